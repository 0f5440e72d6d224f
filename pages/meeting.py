"""Planning meeting: A frozen snapshot, what changed, field feedback, action items with owners, and a PDF brief."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Planning meeting")
st.info(
    "Coming here: A frozen snapshot, what changed, field feedback, action items with owners, and a PDF brief.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
