"""The first run on a database that does not exist yet: the embedded sample is generated; a database of one's own
(TANDEM_DB or --db naming a new file) is created empty or as the sample company, as the person chooses."""

from __future__ import annotations

import calendar

import streamlit as st

from queries import db
from queries import settings as company_settings
from ui import auth, widgets


def ensure_database() -> None:
    """Return once the database exists; until then draw the way to create it and stop the run."""
    path = db.resolve_path()
    if path.exists():
        return
    if path == db.DEFAULT_PATH:  # the embedded default: the sample company, as on every fresh checkout
        _generate_sample(path)
        return
    _choose(path)
    st.stop()


def _generate_sample(path) -> None:
    """Generate the sample company at `path`, with visible progress; stop with a sentence on failure."""
    import sample_data  # only needed on a first run

    with st.status(f"Creating the sample database at {path} …", expanded=True) as status:
        bar = st.progress(0.0, text="starting")
        try:
            sample_data.generate(path, progress=lambda fraction, text: bar.progress(fraction, text=text))
        except (db.TandemError, OSError) as exc:
            status.update(label="Could not create the sample database", state="error")
            st.error(f"{exc}. Set TANDEM_DB to a writable path and reload.")
            st.stop()
        status.update(label="Sample database ready", state="complete", expanded=False)


def _choose(path) -> None:
    st.title("Welcome to Tandem")
    st.markdown(f"There is no database at `{widgets.escape_markdown(path)}` yet. Start with your own company's data, "
                "or look around a sample company first.")
    if not auth.can("admin"):
        widgets.empty("Only an admin can create the database. Ask one to open Tandem once, or to run "
                      "python -m queries.db init with this path.")
        return
    seed = company_settings.seed()
    own, sample = st.columns(2, gap="large", border=True)
    with own:
        st.subheader("Start empty, with my own data")
        st.caption("Creates an empty database with your company's name, currency and fiscal year. The Data page then "
                   "walks you through the imports: reps, deals, quotas, campaigns and spend, leads, brand metrics.")
        with st.form("first_run_empty", border=False):
            name = st.text_input("Company name", max_chars=80, key="first_run_company",
                                 placeholder="e.g. Acme GmbH")
            currency = st.text_input("Currency (ISO code)", seed.currency, max_chars=3, key="first_run_currency",
                                     help="Three letters, e.g. USD, EUR, GBP. Every amount is shown in it.")
            months = list(calendar.month_name)[1:]
            start = st.selectbox("Fiscal year starts in", range(1, 13), index=seed.fiscal_year_start_month - 1,
                                 format_func=lambda m: months[m - 1], key="first_run_fiscal_start")
            empty = st.form_submit_button("Start empty", type="primary", icon=":material/add_circle:")
        if empty:
            try:
                chosen = company_settings.seeded(company=name or None, currency=currency, fiscal_year_start=start)
                db.schema.init(path, chosen)
            except db.TandemError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                st.rerun()
    with sample:
        st.subheader("Explore the sample company")
        st.caption("Generates three years of a made-up company's campaigns, brand tracking, leads, deals and quotas "
                   "(about 60,000 leads, a few seconds), with patterns planted for every page to find.")
        if st.button("Create the sample company", key="first_run_sample", icon=":material/science:"):
            _generate_sample(path)
            st.rerun()
