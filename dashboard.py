"""Tandem: the entry point. Page config, the database (generated on first run), the shared filters, navigation."""

from __future__ import annotations

import streamlit as st

from queries import common, db
from ui import auth, data, filters, format
from ui.navigation import PAGES, SECTIONS

st.set_page_config(page_title="Tandem", page_icon=":material/sync_alt:", layout="wide")


def ensure_database() -> None:
    """Generate the sample database on first run, with visible progress; stop with a sentence on failure."""
    path = db.resolve_path()
    if path.exists():
        return
    import sample_data  # only needed on the very first run

    with st.status(f"Creating the sample database at {path} …", expanded=True) as status:
        bar = st.progress(0.0, text="starting")
        try:
            sample_data.generate(path, progress=lambda fraction, text: bar.progress(fraction, text=text))
        except (db.TandemError, OSError) as exc:
            status.update(label="Could not create the sample database", state="error")
            st.error(f"{exc}. Set TANDEM_DB to a writable path and reload.")
            st.stop()
        status.update(label="Sample database ready", state="complete", expanded=False)


try:
    format.settings()
except db.TandemError as exc:
    st.error(f"Tandem cannot start: {exc}. Fix the settings file and reload.")
    st.stop()
auth.gate()
ensure_database()
try:
    data.begin_run()
    data.refresh_rollups()
    options = data.load(common.dimension_values)
except db.TandemError as exc:
    st.error(f"{exc}. Point TANDEM_DB at a Tandem database, or move this file away to get a fresh sample.")
    st.stop()

current = filters.render(options)
if current.meeting_title:
    st.info(f"Planning meeting open: figures are frozen as of {current.as_of:%d %b %Y}.", icon=":material/lock:")

pages = {section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
                   for p in PAGES if p.section == section]
         for section in SECTIONS}
try:
    st.navigation(pages).run()
finally:
    # Once the page is drawn, the summary tables no page has built yet, or a write made stale, are built in the
    # background (data.warm_up: one pass at a time, at most one per data_version).
    data.warm_up()
