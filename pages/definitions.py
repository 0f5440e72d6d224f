"""Definitions: Every metric, lifecycle stage and attribution model, defined once."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Definitions")
st.info(
    "Coming here: Every metric, lifecycle stage and attribution model, defined once.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
