"""Data: Import CSV, Parquet or Excel exports with mapping, validation, atomic commit and undo; data health."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Data")
st.info(
    "Coming here: Import CSV, Parquet or Excel exports with mapping, validation, atomic commit and undo; data health.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
