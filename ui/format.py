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


# --- changes (st.metric deltas) -------------------------------------------------------------------------------------

# Tests set a list here: every delta made is appended as (the number it was made from, the kwargs given to st.metric).
DELTA_LOG: list | None = None
DELTA_UNITS = ("money", "count", "points", "relative", "days", "hours")
_COLORS = {"higher": "normal", "lower": "inverse", "neither": "off"}


def _delta_text(value: float, unit: str) -> str:
    """The change with its sign first, an ASCII minus (st.metric reads only that as negative), rounded as shown."""
    sign = "-" if value < 0 else "+"
    size = abs(value)
    if unit == "money":
        return f"{sign}{money(size)}"
    if unit == "count":
        return f"{sign}{count(size, compact=True)}"
    if unit == "points":
        return f"{sign}{size:.1f} pp"
    if unit == "relative":
        return f"{sign}{size * 100:.0f}%"
    if unit == "days":
        return f"{sign}{size:,.0f} d"
    return f"{sign}{size:,.1f} h"


def delta(value: float | None, *, unit: str, metric: str | None = None, direction: str | None = None,
          against: str | None = None) -> dict:
    """The one way a page draws a change on a tile: keyword arguments for st.metric (delta, delta_color, delta_arrow,
    delta_description).

    `value` is the signed change; `unit` how it reads (money, count, points: percentage points, relative: a ratio
    shown as %, days, hours); the better direction comes from the registry (`metric`'s direction: higher, lower,
    neither) or is given. The arrow follows the sign, the colour whether that is good (green), bad (red) or neither
    (grey); a change that rounds to nothing is grey with no arrow; no comparison (None or NaN) shows no delta at all.
    `against` says what it compares with ("vs the same days last month").
    """
    if unit not in DELTA_UNITS:
        raise ValueError(f"unknown delta unit {unit!r}")
    if direction is None:
        from queries import metrics

        direction = metrics.get(metric).direction if metric else "neither"
    if _missing(value):
        made = {"delta": None}
    else:
        number = float(value)
        text = _delta_text(number, unit)
        if not any(c in "123456789" for c in text):  # rounds to nothing as shown
            made = {"delta": text.replace("+", "±", 1).replace("-", "±", 1), "delta_color": "off",
                    "delta_arrow": "off"}
        else:
            made = {"delta": text, "delta_color": _COLORS[direction], "delta_arrow": "auto"}
        if against:
            made["delta_description"] = against
    if DELTA_LOG is not None:
        DELTA_LOG.append((None if _missing(value) else float(value), direction, made))
    return made
