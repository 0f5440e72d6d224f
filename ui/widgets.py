"""Small Streamlit helpers shared by pages: safe text, CSV downloads, empty-state sentences."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: object) -> str:
    """Text typed by a person or read from a file, made safe to place inside a Markdown string."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def download_csv(frame: pd.DataFrame, *, file_name: str, key: str, label: str = "Download CSV") -> None:
    """A download button for the data behind a chart or table."""
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), file_name=file_name, mime="text/csv",
                       key=key, icon=":material/download:")


def empty(message: str) -> None:
    """Say, in a sentence, why there is nothing to show and what to do about it."""
    st.info(message, icon=":material/info:")
