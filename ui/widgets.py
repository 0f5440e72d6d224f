"""Small Streamlit helpers shared by pages: safe text, CSV downloads, empty-state sentences."""

from __future__ import annotations

import functools
import re

import pandas as pd
import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: object) -> str:
    """Text typed by a person or read from a file, made safe to place inside a Markdown string."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


CSV_HELP = ("For spreadsheets and scripts: the columns keep their machine-readable names (as in docs/SCHEMA.md and "
            "the Definitions page) and the values are raw: shares 0-1, amounts unrounded, no currency signs.")


def download_csv(frame: pd.DataFrame, *, file_name: str, key: str, label: str = "Download CSV") -> None:
    """A download button for the data behind a chart or table. The CSV is written when the button is clicked, from
    the frame as it was drawn (a copy-on-write snapshot): a page of large tables does not write files nobody
    downloads, and clicking does not rerun the page."""
    st.download_button(label, functools.partial(_csv_bytes, frame.copy(deep=False)), file_name=file_name,
                       mime="text/csv", key=key, icon=":material/download:", on_click="ignore", help=CSV_HELP)


def empty(message: str) -> None:
    """Say, in a sentence, why there is nothing to show and what to do about it."""
    st.info(message, icon=":material/info:")


def left_out(count: object, *, total: object, things: str, lacking: str, figure: str) -> None:
    """One caption saying what a figure leaves out, when it leaves something out: "312 open deals have no amount:
    open pipeline counts the other 1,777." `things` is plural ("open deals"), `lacking` what they lack ("no amount"),
    `figure` what leaves them out ("open pipeline")."""
    try:
        count, total = int(count), int(total)
    except (TypeError, ValueError):
        return
    if count <= 0:
        return
    noun = things if count != 1 else things.removesuffix("s")
    verb = "have" if count != 1 else "has"
    rest = total - count
    tail = f"{figure} counts the other {rest:,}" if rest > 0 else f"{figure} counts none of them"
    st.caption(f":material/info: {count:,} {escape_markdown(noun)} {verb} {escape_markdown(lacking)}: "
               f"{escape_markdown(tail)}.")
