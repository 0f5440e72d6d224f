"""Settings: the company's own calendar, currency, SLA and stage probabilities, stored in the database."""

import calendar
from datetime import date

import pandas as pd
import streamlit as st

from queries import calendar as fiscal
from queries import settings as company_settings
from ui import auth, data, filters, format, tables

f = filters.current()
current = format.settings()
st.title("Settings")
st.caption("Stored in the database with the data, so every server that shares it reads the same values; every page "
           "reads them. Saving validates every value and writes them all in one step. (tandem.toml only seeds a new "
           "database.) " + filters.scope_note("pages/settings.py"))

saved = st.session_state.pop("settings_saved", None)
if saved:
    st.success(saved, icon=":material/check_circle:")

if not auth.can("admin"):
    st.info("Only an admin can change settings. These are the values in force.", icon=":material/lock:")

with st.form("settings_form", border=True):
    left, right = st.columns(2)
    name = left.text_input("Company name", current.company_name, max_chars=80, key="settings_name")
    currency = left.text_input("Currency (ISO code)", current.currency, max_chars=3, key="settings_currency",
                               help="Three letters, e.g. USD, EUR, GBP. Every amount is formatted with it.")
    month_names = list(calendar.month_name)[1:]
    start_month = left.selectbox("Fiscal year starts in", range(1, 13), index=current.fiscal_year_start_month - 1,
                                 format_func=lambda m: month_names[m - 1], key="settings_fiscal_start")
    week_start = left.radio("Weeks start on", ("monday", "sunday"), horizontal=True, key="settings_week_start",
                            index=0 if current.week_start == "monday" else 1, format_func=str.title)
    sla = right.number_input("SLA: first contact of an MQL within (hours)", min_value=0.5, max_value=720.0,
                             value=float(current.sla_hours), step=1.0, key="settings_sla")
    horizon = right.selectbox("Brand charts open on", (12, 24, 36, 0), key="settings_horizon",
                              index=(12, 24, 36, 0).index(current.default_horizon_months),
                              format_func=lambda m: "all months" if m == 0 else f"the last {m} months")
    right.markdown("**Stage probabilities** (chance an open deal in the stage is won)")
    probabilities = {
        stage: right.slider(stage.title(), 0.0, 1.0, float(current.stage_probabilities[stage]), 0.05,
                            key=f"settings_prob_{stage}")
        for stage in company_settings.OPEN_STAGES
    }
    submitted = st.form_submit_button("Save settings", type="primary", disabled=not auth.can("admin"))

if submitted:
    raw = {"company": {"name": name, "currency": currency.strip().upper(), "fiscal_year_start_month": start_month,
                       "week_start": week_start},
           "handoff": {"sla_hours": sla},
           "pipeline": {"stage_probabilities": probabilities},
           "brand": {"default_horizon_months": horizon}}
    try:
        data.write(company_settings.save, raw=raw, actor=auth.actor())
    except company_settings.SettingsError as exc:
        st.error(str(exc), icon=":material/error:")
    except company_settings.access.PermissionDenied as exc:
        st.error(str(exc), icon=":material/lock:")
    else:
        st.session_state["settings_saved"] = "Settings saved. Every page now uses them."
        st.rerun()

st.subheader("How the settings read today")
today = f.as_of
start = current.fiscal_year_start_month
tables.show(
    pd.DataFrame({
        "setting": ["This fiscal quarter", "This fiscal year", "Fiscal year runs", "An amount", "SLA"],
        "reads as": [
            f"{fiscal.quarter_label(today, start)} ({fiscal.fiscal_quarter_start(today, start):%d %b %Y} – "
            f"{fiscal.fiscal_quarter_end(today, start):%d %b %Y})",
            fiscal.year_label(today, start),
            f"{month_names[start - 1]} – {month_names[(start - 2) % 12]}",
            format.money(1234567.891, compact=False),
            f"{current.sla_hours:g} hours",
        ],
    }),
    key="settings_reads_as_table", width="stretch",
)
st.caption(f"As of {today:%d %b %Y}; the first fiscal year that includes {date(today.year, 1, 1):%b %Y} is "
           f"{fiscal.year_label(date(today.year, 1, 1), start)}.")
