"""The shared filter bar (period, as-of date, regions, segments, teams) and its round trip through the URL.

dashboard.py calls `render()` on every run; pages call `current()`. Every value that arrives in the URL is
parsed and checked against what the database knows; anything else is dropped with a notice, never raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from queries import calendar as fiscal
from ui import format
from ui.widgets import escape_markdown

T = TypeVar("T")

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
STATE_KEY = "filters_current"
# The as-of date a page should treat as "today" while a planning meeting is open (set by the meeting page).
MEETING_AS_OF_KEY = "meeting_as_of"
MEETING_TITLE_KEY = "meeting_title"


@dataclass(frozen=True)
class Filters:
    """What every page reads: the period [start, end], the as-of date, and the selections (empty = all)."""
    start: date
    end: date
    as_of: date
    regions: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    meeting_title: str | None = field(default=None)

    @property
    def region_list(self) -> list[str] | None:
        return list(self.regions) or None

    @property
    def segment_list(self) -> list[str] | None:
        return list(self.segments) or None

    @property
    def team_list(self) -> list[str] | None:
        return list(self.teams) or None


DEFAULT_PRESET = "trailing_12_months"


def default_period(as_of: date) -> tuple[date, date]:
    """The trailing twelve months: from the first day of the month eleven months before as_of, to as_of."""
    return fiscal.preset_period(DEFAULT_PRESET, as_of, 1)


def _parse_preset(text: str) -> str:
    if text not in fiscal.PRESETS:
        raise ValueError(text)
    return text


def _to_custom() -> None:
    st.session_state["filter_preset"] = "custom"


def parse_date(text: str) -> date:
    value = date.fromisoformat(text.strip())
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"{text} is outside {EARLIEST}–{LATEST}")
    return value


def _notice(message: str) -> None:
    # Shown at once, as plain text (the value came from a link anyone could have crafted).
    st.sidebar.caption(f"Ignored from the link: {escape_markdown(message)}")


# The URL parameters the shell and the page read or write this run; any other one in a link is unknown (see
# drop_unknown_params).
_PARAMS_KEY = "filters_params_known"
_CHECKED_KEY = "filters_params_checked"
SHARED_PARAMS = ("as_of", "preset", "start", "end", "region", "segment", "team")


def _known(param: str) -> None:
    st.session_state.setdefault(_PARAMS_KEY, set()).add(param)


def drop_unknown_params() -> None:
    """After the page of a session's first run (the one a link opens): a URL parameter neither the shell nor that page
    knows is dropped from the address with the same notice as an unknown value, so a misspelt ?regoin=EMEA does not
    look applied. Later runs are the app's own navigation, which keeps the address to each page's own parameters."""
    if st.session_state.get(_CHECKED_KEY):
        return
    st.session_state[_CHECKED_KEY] = True
    known = st.session_state.get(_PARAMS_KEY, set()) | set(SHARED_PARAMS)
    for name in [name for name in st.query_params if name not in known]:
        _notice(f"{name[:40]} (not a setting of this page)")
        del st.query_params[name]


def scope_note(path: str) -> str:
    """The sentence a page adds to its caption naming the sidebar filters that do not change it, and why ('' when
    every filter applies)."""
    from ui.navigation import BY_PATH, FILTERS

    spec = BY_PATH[path]
    if not spec.ignores:
        return ""
    reasons: dict[str, list[str]] = {}
    for name, why in spec.ignores:
        reasons.setdefault(why, []).append(FILTERS[name])
    parts = []
    for why, names in reasons.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        plural = len(names) > 1
        parts.append(f"The {listed} filter{'s' if plural else ''} {'do' if plural else 'does'} not change this "
                     f"page: {why}.")
    return " ".join(parts)


def seed(key: str, param: str, default: T, parse: Callable[[str], T]) -> None:
    """Before a widget is drawn: on the session's first run, take its value from the URL parameter."""
    _known(param)
    if key in st.session_state:
        return
    raw = st.query_params.get_all(param)
    value = default
    if raw:
        try:
            value = parse(raw[-1])
        except (ValueError, TypeError):
            _notice(f"{param}={raw[-1][:40]} (not a valid value)")
    st.session_state[key] = value


def seed_many(key: str, param: str, allowed: Sequence[str]) -> None:
    """Like seed() for a multiselect: repeated URL keys, each kept only if it is a known value."""
    _known(param)
    if key in st.session_state:
        return
    chosen = []
    for raw in st.query_params.get_all(param):
        if raw in allowed and raw not in chosen:
            chosen.append(raw)
        else:
            _notice(f"{param}={raw[:40]} (unknown value)")
    st.session_state[key] = chosen


def publish(param: str, value: Any) -> None:
    """Write a value into the URL so a copied link reopens the same view (None or empty removes it)."""
    _known(param)
    if value is None or (isinstance(value, list | tuple) and not value):
        if param in st.query_params:
            del st.query_params[param]
        return
    if isinstance(value, list | tuple):
        text = [str(v) for v in value]
        if st.query_params.get_all(param) != text:
            st.query_params[param] = text
        return
    text = value.isoformat() if isinstance(value, date) else str(value)
    if st.query_params.get(param) != text:
        st.query_params[param] = text


def default_as_of(today: date, last_day: date | None) -> date:
    """Today, unless the data ends before this month began (an export of past years): then the data's last day, so
    the pages open on figures instead of an empty "this month"."""
    if last_day is not None and last_day < today.replace(day=1):
        return last_day
    return today


def render(options: pd.DataFrame, *, today: date | None = None, last_day: date | None = None) -> Filters:
    """Draw the filter bar in the sidebar, keep it in the URL, and store the resulting Filters; while a planning
    meeting is open, say above the page that its figures are frozen. `last_day`: the last day the data holds (see
    default_as_of)."""
    st.session_state[_PARAMS_KEY] = set()  # what this run reads or writes: see drop_unknown_params
    today = default_as_of(today or date.today(), last_day)
    values = {kind: sorted(group.value.dropna().tolist()) for kind, group in options.groupby("kind")}
    seed("filter_as_of", "as_of", today, parse_date)
    seed_many("filter_regions", "region", values.get("region", []))
    seed_many("filter_segments", "segment", values.get("segment", []))
    seed_many("filter_teams", "team", values.get("team", []))
    linked_period = bool(st.query_params.get_all("start") or st.query_params.get_all("end"))
    seed("filter_preset", "preset", "custom" if linked_period else DEFAULT_PRESET, _parse_preset)
    if "filter_period" not in st.session_state:
        start_raw, end_raw = st.query_params.get_all("start"), st.query_params.get_all("end")
        period = default_period(st.session_state["filter_as_of"])
        try:
            if start_raw or end_raw:
                start = parse_date(start_raw[-1]) if start_raw else period[0]
                end = parse_date(end_raw[-1]) if end_raw else period[1]
                if start > end:
                    raise ValueError("start after end")
                period = (start, end)
        except (ValueError, TypeError):
            _notice("start/end (not a valid period)")
        st.session_state["filter_period"] = period

    meeting_as_of = st.session_state.get(MEETING_AS_OF_KEY)
    bar = st.sidebar
    bar.header("Filters")
    as_of = bar.date_input("As of", key="filter_as_of", min_value=EARLIEST, max_value=LATEST,
                           disabled=meeting_as_of is not None,
                           help="The day treated as today: this month's pacing and 'now' figures use it. It "
                                "starts at today, or at the data's last day when the data ends before this month.")
    start_month = format.settings().fiscal_year_start_month
    preset = bar.selectbox("Period", list(fiscal.PRESETS), format_func=fiscal.PRESETS.get, key="filter_preset",
                           help="Fiscal presets follow the fiscal year start month on the Settings page.")
    if preset != "custom":
        # A preset decides the days; it follows the as-of date (or an open meeting's frozen date).
        st.session_state["filter_period"] = fiscal.preset_period(preset, meeting_as_of or as_of, start_month)
    period = bar.date_input("Days", key="filter_period", min_value=EARLIEST, max_value=LATEST, on_change=_to_custom,
                            help="Events (leads created, deals closed, spend) between these days, inclusive. "
                                 "Editing them switches the period to Custom.")
    regions = bar.multiselect("Regions", values.get("region", []), key="filter_regions", placeholder="All regions")
    segments = bar.multiselect("Segments", values.get("segment", []), key="filter_segments",
                               placeholder="All segments")
    teams = bar.multiselect("Teams", values.get("team", []), key="filter_teams", placeholder="All teams")

    # While the user is still picking a range the widget holds one date: keep the last complete period.
    if isinstance(period, tuple | list) and len(period) == 2:
        start, end = period
        st.session_state["filter_last_period"] = (start, end)
    else:
        start, end = st.session_state.get("filter_last_period", default_period(as_of))

    publish("preset", preset if preset != DEFAULT_PRESET else None)
    publish("start", start if preset == "custom" else None)
    publish("end", end if preset == "custom" else None)
    publish("as_of", as_of if as_of != today else None)
    publish("region", regions)
    publish("segment", segments)
    publish("team", teams)
    effective_as_of = meeting_as_of or as_of
    current = Filters(start=start, end=end, as_of=effective_as_of, regions=tuple(regions),
                      segments=tuple(segments), teams=tuple(teams),
                      meeting_title=st.session_state.get(MEETING_TITLE_KEY) if meeting_as_of else None)
    st.session_state[STATE_KEY] = current
    if current.meeting_title:
        st.info(f"Planning meeting open: figures are frozen as of {current.as_of:%d %b %Y}.", icon=":material/lock:")
    return current


def current() -> Filters:
    """The filters dashboard.py set for this run (defaults when a page runs on its own)."""
    found = st.session_state.get(STATE_KEY)
    if found is None:
        # A link to a page, opened first on a freshly started server, runs that page without dashboard.py:
        # Streamlit's legacy pages/-folder mode stays on until st.navigation is first called in the process.
        # Leave that mode and rerun, so dashboard.py runs and routes to the same page.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return found
