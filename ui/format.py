"""Number formatting for tiles, tables and charts, in the company's currency (the database's settings)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from queries import settings as settings_module
from ui import data


@st.cache_data(ttl=data.CACHE_TTL_SECONDS, show_spinner=False, max_entries=16)
def _settings(db_path: str, data_version: int) -> settings_module.Settings:
    return settings_module.load(data.connection())


def settings() -> settings_module.Settings:
    """The database's settings, read again after any write (a save on the Settings page moves data_version)."""
    return _settings(data.path(), data.version())


def _missing(value: object) -> bool:
    """None, NaN, pd.NA and NaT all read as missing."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is not a single missing value
        return False


def _millions(size: float) -> str:
    """A size of a million or more, shortened: 1.2M, 3.4B (money and counts alike)."""
    return f"{size / 1e9:.1f}B" if size >= 1e9 else f"{size / 1e6:.1f}M"


def money(value: float | None, *, compact: bool = True) -> str:
    """$1.2M, $850k, $1,234 (compact) or $1,234.56; '—' for missing."""
    if _missing(value):
        return "—"
    symbol = settings().currency_symbol
    value = float(value)
    sign = "−" if value < 0 else ""
    size = abs(value)
    if not compact:
        return f"{sign}{symbol}{size:,.2f}"
    if size >= 1e6:
        return f"{sign}{symbol}{_millions(size)}"
    if size >= 1e4:
        return f"{sign}{symbol}{size / 1e3:.0f}k"
    return f"{sign}{symbol}{size:,.0f}"


def pct(value: float | None, digits: int = 0) -> str:
    """A ratio as a percentage: 0.456 → 46%."""
    return "—" if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def count(value: float | None, *, compact: bool = False) -> str:
    """12,346; compact, from a million on, 11.6M (a metric tile in a row of five holds eight characters); '—' for
    missing."""
    if _missing(value):
        return "—"
    value = float(value)
    if compact and abs(value) >= 1e6:
        return f"{'-' if value < 0 else ''}{_millions(abs(value))}"
    return f"{value:,.0f}"


def exactly(value: float | None, more: str = "") -> str:
    """A tile's help detail for a count shown compact: the exact count first when the tile shortens it, then
    `more`."""
    shown = count(value)
    return more if count(value, compact=True) == shown else f"Exactly {shown}. {more}".strip()


def points(value: float | None, digits: int = 1) -> str:
    """A change in percentage points: +2.3 pp."""
    return "—" if _missing(value) else f"{float(value):+.{digits}f} pp"
