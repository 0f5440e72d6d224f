"""Tandem: the entry point, read as a table of contents: who may come in, the database, the shared filter bar, and
every page by section."""

from __future__ import annotations

import streamlit as st

from ui import auth, data, filters, first_run, shell
from ui.navigation import PAGES, SECTIONS

st.set_page_config(page_title="Tandem", page_icon=":material/sync_alt:", layout="wide")

auth.gate()
first_run.ensure_database()
run = shell.begin()
filters.render(run.options, last_day=run.last_day)

pages = {section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.path == run.landing)
                   for p in PAGES if p.section == section]
         for section in SECTIONS}
try:
    st.navigation(pages).run()
    filters.drop_unknown_params()
finally:
    # Once the page is drawn, the summary tables no page has built yet, or a write made stale, are built in the
    # background (data.warm_up: one pass at a time, at most one per data_version).
    data.warm_up()
