"""Funnel & handoff: The audience-narrowing funnel and the marketing→sales handoff scorecard, both ways."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Funnel & handoff")
st.info(
    "Coming here: The audience-narrowing funnel and the marketing→sales handoff scorecard, both ways.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
