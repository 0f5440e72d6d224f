"""Campaigns: The 4Ps plan, campaign performance, attribution models that reconcile, and why spend is not sales."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Campaigns")
st.info(
    "Coming here: The 4Ps plan, campaign performance, attribution models that reconcile, and why spend is not sales.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
