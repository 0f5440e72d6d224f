"""Tandem: the entry point. Page config, the database (made on first run), the shared filters, navigation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from queries import common, db
from ui import auth, data, filters, first_run, format, needs
from ui.navigation import PAGES, SECTIONS

st.set_page_config(page_title="Tandem", page_icon=":material/sync_alt:", layout="wide")


auth.gate()
first_run.ensure_database()
try:
    data.begin_run()
    format.settings()
    data.refresh_rollups()
    options = data.load(common.dimension_values)
    empty = sum(needs.rows().values()) == 0
    last_day = data.load(common.data_span).last_day.iloc[0]
except db.TandemError as exc:
    st.error(f"{exc}. Point TANDEM_DB at a Tandem database, or move this file away to start a new one.")
    st.stop()

current = filters.render(options, last_day=None if pd.isna(last_day) else pd.Timestamp(last_day).date())
if current.meeting_title:
    st.info(f"Planning meeting open: figures are frozen as of {current.as_of:%d %b %Y}.", icon=":material/lock:")

# An empty database opens on the Data page, whose checklist says what to import first.
landing = "pages/data.py" if empty else next(p.path for p in PAGES if p.default)
pages = {section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.path == landing)
                   for p in PAGES if p.section == section]
         for section in SECTIONS}
try:
    st.navigation(pages).run()
    filters.drop_unknown_params()
finally:
    # Once the page is drawn, the summary tables no page has built yet, or a write made stale, are built in the
    # background (data.warm_up: one pass at a time, at most one per data_version).
    data.warm_up()
