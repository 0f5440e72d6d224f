"""Planning meetings: the few writes the UI makes (meetings, notes, action items, feedback) and their reads.

Every write checks the actor's role itself and runs in one transaction that bumps data_version. Writes from this
process take turns (a lock: each is short), and DuckDB's write-write conflicts with any other writer on
the connection (two cursors touching one row, e.g. the meta data_version row) are retried with a short backoff, so
many people adding items at once all succeed. Edits are optimistic: each row carries a version and a
save names the version its editor read; if someone saved first, the save is refused with StaleEditError.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import duckdb
import pandas as pd

from queries import access, db

T = TypeVar("T")

TEAMS = ("marketing", "sales", "joint")
ITEM_STATUSES = ("open", "done", "dropped")
MEETING_STATUSES = ("open", "closed")
# The agenda groups feedback by the 4Ps and lead quality; 'other' exists in the schema for imported rows.
TOPICS = ("product", "price", "place", "promotion", "lead_quality", "other")
TOPIC_LABELS = {"product": "Product", "price": "Price", "place": "Place", "promotion": "Promotion",
                "lead_quality": "Lead quality", "other": "Other"}
SENTIMENTS = {-1: "negative", 0: "neutral", 1: "positive"}
EDITABLE_ITEM_FIELDS = ("title", "owner", "team", "due_on", "status")
MAX_TITLE = 200
MAX_OWNER = 100
MAX_BODY = 4000
MAX_NOTES = 20000
# Feedback typed into the app, told apart from imported batches (which can be undone by batch_id).
FEEDBACK_BATCH = "manual"
# Write-write conflicts: how many attempts in all, and the first backoff (doubled each time, with jitter).
WRITE_ATTEMPTS = 12
FIRST_BACKOFF_SECONDS = 0.005
MAX_BACKOFF_SECONDS = 0.25
# Every session's writes share the app's one connection: taking turns avoids most conflicts in the first place.
_WRITE_LOCK = threading.Lock()


class MeetingError(db.TandemError):
    """A meeting write Tandem cannot do as asked; the message says what to change."""


class StaleEditError(db.TandemError):
    """Someone saved the same meeting or action item after this editor read it: nothing was overwritten."""


# --- helpers ------------------------------------------------------------------------------------------------------

def new_id(prefix: str) -> str:
    """A collision-free id for a row typed in the app: prefix + 12 hex digits of a random UUID (48 bits)."""
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def _is_conflict(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


def _write(con: duckdb.DuckDBPyConnection, table: str, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `work(cursor)`, which writes `table`, and bump data_version in one transaction, retrying write-write
    conflicts."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            with _WRITE_LOCK, db.transaction(con) as cur:
                result = work(cur)
                db.bump_data_version(cur, [table])
            return result
        except duckdb.Error as exc:
            if not _is_conflict(exc):
                raise db.DatabaseError(f"could not save: {str(exc).strip().splitlines()[0]}") from exc
            if attempt == WRITE_ATTEMPTS - 1:
                raise db.DatabaseError("could not save: the database stayed busy with other edits; try again") from exc
            delay = min(FIRST_BACKOFF_SECONDS * 2 ** attempt, MAX_BACKOFF_SECONDS)
            time.sleep(delay * random.uniform(0.5, 1.5))  # noqa: S311 — jitter, not security
    raise AssertionError("unreachable")


def _text(value: Any, what: str, limit: int, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise MeetingError(f"{what} is empty: type a few words")
    if len(text) > limit:
        raise MeetingError(f"{what} is too long ({len(text)} characters; at most {limit})")
    return text


def _day(value: Any, what: str, *, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise MeetingError(f"{what} must be a date like 2026-11-26, got {value[:40]!r}") from None
    if not isinstance(value, date):
        raise MeetingError(f"{what} must be a date, got {type(value).__name__}")
    return value


def _choice(value: Any, what: str, allowed: Sequence[Any]) -> Any:
    if value not in allowed:
        raise MeetingError(f"{what} must be one of {', '.join(str(a) for a in allowed)}, got {str(value)[:40]!r}")
    return value


def _version(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value or value < 1:
        raise MeetingError(f"expected_version must be the whole number you read (1 or more), got {value!r}")
    return int(value)


def _stale(what: str) -> StaleEditError:
    return StaleEditError(f"{what} was changed by someone else since you opened it; reload to see their change "
                          "and try again (nothing was overwritten)")


# --- meetings -----------------------------------------------------------------------------------------------------

def create_meeting(con: duckdb.DuckDBPyConnection, *, held_on: date, title: str, as_of: date,
                   actor: access.Actor | None = None) -> str:
    """Open a new meeting held on `held_on` whose figures are frozen at `as_of`; return its meeting_id."""
    who = access.require(actor, "member", "create meetings")
    held_on, as_of = _day(held_on, "held_on"), _day(as_of, "as_of")
    if as_of > held_on:
        raise MeetingError(f"the as-of date {as_of} is after the meeting day {held_on}: pick a day on or before it")
    params = {"meeting_id": new_id("M"), "held_on": held_on, "title": _text(title, "the title", MAX_TITLE),
              "as_of": as_of, "at": db.now(), "by": who.user}
    _write(con, "meetings", lambda cur: cur.execute(db.sql_text("meeting/insert_meeting"), params))
    return params["meeting_id"]


def list_meetings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """meeting_id, held_on, title, as_of, notes, status, version, created/updated at/by, open_items; latest first."""
    return db.query(con, "meeting/meetings", {"meeting_id": None})


def get_meeting(con: duckdb.DuckDBPyConnection, *, meeting_id: str) -> pd.DataFrame:
    """The meeting's row (columns of list_meetings); empty when there is no such meeting."""
    return db.query(con, "meeting/meetings", {"meeting_id": str(meeting_id)})


def previous_meeting(con: duckdb.DuckDBPyConnection, *, meeting_id: str) -> pd.DataFrame:
    """The meeting held before this one (by held_on, then creation); empty for the first meeting."""
    return db.query(con, "meeting/previous_meeting", {"meeting_id": str(meeting_id)})


def _require_meeting(cur: duckdb.DuckDBPyConnection, meeting_id: str) -> tuple[str, int]:
    row = cur.execute(db.sql_text("meeting/meeting_state"), {"meeting_id": meeting_id}).fetchone()
    if row is None:
        raise MeetingError(f"there is no meeting {meeting_id!r}; pick one from the list")
    return row[0], row[1]


def update_notes(con: duckdb.DuckDBPyConnection, *, meeting_id: str, notes: str, expected_version: int,
                 actor: access.Actor | None = None) -> int:
    """Replace the meeting's notes if its version is still `expected_version`; return the new version.

    Raises StaleEditError when someone else saved (or closed) the meeting first, MeetingError when it is closed.
    """
    who = access.require(actor, "member", "edit meeting notes")
    text = _text(notes, "the notes", MAX_NOTES, required=False)
    expected = _version(expected_version)

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        status, version = _require_meeting(cur, str(meeting_id))
        if version != expected:
            raise _stale("this meeting")
        if status != "open":
            raise MeetingError("this meeting is closed: reopen it to edit its notes")
        changed = cur.execute(db.sql_text("meeting/update_meeting_notes"),
                              {"meeting_id": str(meeting_id), "expected_version": expected, "notes": text,
                               "at": db.now(), "by": who.user}).fetchone()[0]
        if changed != 1:
            raise _stale("this meeting")
        return expected + 1

    return _write(con, "meetings", work)


def _set_status(con: duckdb.DuckDBPyConnection, meeting_id: str, status: str, actor: access.Actor | None) -> int:
    verb = "close" if status == "closed" else "reopen"
    who = access.require(actor, "member", f"{verb} meetings")

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        _, version = _require_meeting(cur, str(meeting_id))
        cur.execute(db.sql_text("meeting/set_meeting_status"),
                    {"meeting_id": str(meeting_id), "status": status, "at": db.now(), "by": who.user})
        return version + 1

    return _write(con, "meetings", work)


def close_meeting(con: duckdb.DuckDBPyConnection, *, meeting_id: str, actor: access.Actor | None = None) -> int:
    """Close the meeting (pages return to live data); return its new version."""
    return _set_status(con, meeting_id, "closed", actor)


def reopen_meeting(con: duckdb.DuckDBPyConnection, *, meeting_id: str, actor: access.Actor | None = None) -> int:
    """Reopen a closed meeting; return its new version."""
    return _set_status(con, meeting_id, "open", actor)


# --- action items -------------------------------------------------------------------------------------------------

def add_action_item(con: duckdb.DuckDBPyConnection, *, title: str, owner: str, team: str, due_on: date | None,
                    meeting_id: str | None = None, actor: access.Actor | None = None) -> str:
    """Add an open action item (owner, team marketing/sales/joint, optional due date); return its item_id."""
    who = access.require(actor, "member", "add action items")
    params = {"item_id": new_id("A"), "meeting_id": None if meeting_id is None else str(meeting_id),
              "title": _text(title, "the action's title", MAX_TITLE), "owner": _text(owner, "the owner", MAX_OWNER),
              "team": _choice(team, "team", TEAMS), "due_on": _day(due_on, "due_on", required=False),
              "at": db.now(), "by": who.user}

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if params["meeting_id"] is not None:
            _require_meeting(cur, params["meeting_id"])
        cur.execute(db.sql_text("meeting/insert_action_item"), params)

    _write(con, "action_items", work)
    return params["item_id"]


def _item_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(EDITABLE_ITEM_FIELDS))
    if unknown:
        raise MeetingError(f"cannot change {', '.join(unknown)}; an action item has {', '.join(EDITABLE_ITEM_FIELDS)}")
    if not changes:
        raise MeetingError("nothing to change: give at least one of " + ", ".join(EDITABLE_ITEM_FIELDS))
    checks: dict[str, Callable[[Any], Any]] = {
        "title": lambda v: _text(v, "the action's title", MAX_TITLE),
        "owner": lambda v: _text(v, "the owner", MAX_OWNER),
        "team": lambda v: _choice(v, "team", TEAMS),
        "due_on": lambda v: _day(v, "due_on", required=False),
        "status": lambda v: _choice(v, "status", ITEM_STATUSES),
    }
    params: dict[str, Any] = {}
    for field in EDITABLE_ITEM_FIELDS:
        params[f"set_{field}"] = field in changes
        params[field] = checks[field](changes[field]) if field in changes else None
    return params


def update_action_item(con: duckdb.DuckDBPyConnection, *, item_id: str, expected_version: int,
                       actor: access.Actor | None = None, **changes: Any) -> int:
    """Change an action item's title, owner, team, due_on and/or status; return its new version.

    Optimistic: saved only if its version is still `expected_version`, else StaleEditError ("changed by someone
    else, reload") and nothing changes.
    """
    who = access.require(actor, "member", "edit action items")
    params = {**_item_changes(changes), "item_id": str(item_id), "expected_version": _version(expected_version),
              "at": db.now(), "by": who.user}

    def work(cur: duckdb.DuckDBPyConnection) -> int:
        if cur.execute(db.sql_text("meeting/update_action_item"), params).fetchone()[0] == 1:
            return params["expected_version"] + 1
        if cur.execute(db.sql_text("meeting/action_item_version"), {"item_id": params["item_id"]}).fetchone() is None:
            raise MeetingError(f"there is no action item {params['item_id']!r}; reload the list")
        raise _stale("this action item")

    return _write(con, "action_items", work)


def list_action_items(con: duckdb.DuckDBPyConnection, *, meeting_id: str | None = None,
                      status: str | Sequence[str] | None = None, as_of: date | None = None) -> pd.DataFrame:
    """item_id, meeting_id, meeting_title, title, owner, team, due_on, status, overdue, version, created/updated
    at/by: open first, by due date. status: one status or several (None = all); overdue = open and due before
    as_of (default today)."""
    statuses = [status] if isinstance(status, str) else (list(status) if status else None)
    for value in statuses or ():
        _choice(value, "status", ITEM_STATUSES)
    return db.query(con, "meeting/action_items", {"meeting_id": meeting_id, "statuses": statuses,
                                                  "as_of": as_of or date.today()})


# --- feedback -----------------------------------------------------------------------------------------------------

def add_feedback(con: duckdb.DuckDBPyConnection, *, topic: str, sentiment: int, body: str,
                 campaign_id: str | None = None, author: str | None = None, team: str | None = None,
                 actor: access.Actor | None = None) -> str:
    """Record field feedback (topic: the 4Ps, lead_quality or other; sentiment −1/0/1); return its feedback_id.
    The author defaults to the acting user."""
    who = access.require(actor, "member", "add feedback")
    if isinstance(sentiment, bool) or sentiment not in SENTIMENTS:
        raise MeetingError(f"sentiment must be -1 (negative), 0 (neutral) or 1 (positive), got {sentiment!r}")
    params = {"feedback_id": new_id("F"), "at": db.now(),
              "author": _text(author, "the author", MAX_OWNER, required=False) or who.user,
              "team": _text(team, "the team", MAX_OWNER, required=False) or None,
              "campaign_id": None if campaign_id in (None, "") else str(campaign_id),
              "topic": _choice(topic, "topic", TOPICS), "sentiment": int(sentiment),
              "body": _text(body, "the feedback", MAX_BODY), "batch_id": FEEDBACK_BATCH}

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if params["campaign_id"] is not None and cur.execute(
                db.sql_text("meeting/campaign_exists"), {"campaign_id": params["campaign_id"]}).fetchone() is None:
            raise MeetingError(f"there is no campaign {params['campaign_id'][:40]!r}; pick one from the list")
        cur.execute(db.sql_text("meeting/insert_feedback"), params)

    _write(con, "feedback", work)
    return params["feedback_id"]


def feedback_since(con: duckdb.DuckDBPyConnection, *, after: date | None, through: date) -> pd.DataFrame:
    """feedback_id, created_at, topic, sentiment, body, author, team, campaign_id, campaign_name: feedback created
    after the day `after` (None = from the start) through the end of `through`, by topic then newest first."""
    return db.query(con, "meeting/feedback_since", {"after": after, "through": through})


def feedback_by_topic(con: duckdb.DuckDBPyConnection, *, after: date | None, through: date) -> pd.DataFrame:
    """topic, items, negative, neutral, positive, net_sentiment, campaigns for the same window as feedback_since."""
    return db.query(con, "meeting/feedback_by_topic", {"after": after, "through": through})


def campaign_options(con: duckdb.DuckDBPyConnection, *, as_of: date | None = None,
                     months: int = 12) -> pd.DataFrame:
    """campaign_id, name, label: the campaigns a piece of feedback can name: in flight during the `months` months up
    to `as_of` as far as their dates say (a missing date rules nothing out; every campaign when as_of is None)."""
    return db.query(con, "meeting/campaign_options", {"as_of": as_of, "months": int(months)})


def feedback_window(con: duckdb.DuckDBPyConnection, *, meeting_id: str) -> tuple[date | None, date]:
    """(after, through) for a meeting's feedback: since the previous meeting's as-of day, through the later of
    this meeting's day and as-of date (so feedback typed during the meeting shows)."""
    this = get_meeting(con, meeting_id=meeting_id)
    if this.empty:
        raise MeetingError(f"there is no meeting {meeting_id!r}; pick one from the list")
    before = previous_meeting(con, meeting_id=meeting_id)
    return window_of(this.iloc[0], None if before.empty else before.as_of.iloc[0])


def window_of(meeting_row: Any, previous_as_of: Any) -> tuple[date | None, date]:
    """feedback_window from rows already read: the meeting's (held_on, as_of; a row of list_meetings) and the
    previous meeting's as-of day (None for the first meeting)."""
    after = _day(previous_as_of, "as_of", required=False)
    return after, max(_day(meeting_row["held_on"], "held_on"), _day(meeting_row["as_of"], "as_of"))


def meeting_feedback(con: duckdb.DuckDBPyConnection, *, meeting_id: str) -> pd.DataFrame:
    """feedback_since() over the meeting's window (see feedback_window)."""
    after, through = feedback_window(con, meeting_id=meeting_id)
    return feedback_since(con, after=after, through=through)


def meeting_feedback_by_topic(con: duckdb.DuckDBPyConnection, *, meeting_id: str) -> pd.DataFrame:
    """feedback_by_topic() over the meeting's window (see feedback_window)."""
    after, through = feedback_window(con, meeting_id=meeting_id)
    return feedback_by_topic(con, after=after, through=through)
