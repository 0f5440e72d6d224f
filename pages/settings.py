"""Settings: Company name, fiscal calendar, currency, SLA hours and stage probabilities."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Settings")
st.info(
    "Coming here: Company name, fiscal calendar, currency, SLA hours and stage probabilities.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
