"""Quota & pipeline: This month's pacing per team and rep, attainment history, and pipeline coverage."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Quota & pipeline")
st.info(
    "Coming here: This month's pacing per team and rep, attainment history, and pipeline coverage.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
