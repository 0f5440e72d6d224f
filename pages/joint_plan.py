"""Joint plan: From quota back to the leads marketing must deliver, by month and channel."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Joint plan")
st.info(
    "Coming here: From quota back to the leads marketing must deliver, by month and channel.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
