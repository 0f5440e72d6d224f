"""The start of every run, before the page: the database read once for the run, and what the filter bar and the
navigation take from it. A file that is not a usable Tandem database stops the run with a sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from queries import common, db
from ui import data, format, navigation, needs


@dataclass(frozen=True)
class Run:
    """What the shell knows once the run has begun."""
    options: pd.DataFrame  # the filter bar's choices (common.dimension_values)
    last_day: date | None  # the last day the data holds; None while it holds no dated rows
    landing: str  # the page a visit without a page in its address opens on


def begin() -> Run:
    """Read data_version and the settings for this run, bring the summary tables a write made stale up to date, and
    load what the filter bar and the navigation need; on a database error, say what to do and stop the run."""
    try:
        data.begin_run()
        format.settings()
        data.refresh_summary_tables()
        options = data.load(common.dimension_values)
        empty = sum(needs.rows().values()) == 0
        last_day = data.load(common.data_span).last_day.iloc[0]
    except db.TandemError as exc:
        st.error(f"{exc}. Point TANDEM_DB at a Tandem database, or move this file away to start a new one.")
        st.stop()
    return Run(options=options, last_day=None if pd.isna(last_day) else pd.Timestamp(last_day).date(),
               landing=navigation.landing(empty=empty))
