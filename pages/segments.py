"""Segments: Region × segment × industry conversion, win rate, deal size and cycle length, and where to focus."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Segments")
st.info(
    "Coming here: Region × segment × industry conversion, win rate, deal size and cycle length, and where to focus.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
