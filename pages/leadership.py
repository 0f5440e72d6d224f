"""Brand & quota: Long-horizon brand metrics beside monthly quota progress, and the lag explorer between them."""

import streamlit as st

from ui import filters

f = filters.current()
st.title("Brand & quota")
st.info(
    "Coming here: Long-horizon brand metrics beside monthly quota progress, and the lag explorer between them.",
    icon=":material/construction:",
)
st.caption(f"Period {f.start:%d %b %Y} – {f.end:%d %b %Y}, as of {f.as_of:%d %b %Y}.")
