"""The Planning meeting page's state: which meeting a run shows, the freeze an open meeting puts on every page, and
what the page's controls do.

Each write goes through queries.meeting (or queries.targets) as the acting user, and its outcome is queued as a
message the page shows on its next run (ui.flash). The callbacks run before the next rerun, with the version the
person saw when the control was drawn.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from queries import db, meeting, targets
from queries.access import PermissionDenied
from ui import auth, data, filters, flash

FLASH_KEY = "meeting_flash"
STEP_KEY = "meeting_step"
CHOICE_KEY = "meeting_choice"  # the Meeting selectbox's
PENDING_KEY = "meeting_pending_choice"  # the meeting to choose on the next run ("" for none): set by a callback


def chosen(ids: list[str]) -> str | None:
    """The meeting this run shows (None: live data): the Meeting selectbox's value, taken from ?meeting= on a
    session's first run. A meeting a callback has just created, or none after Leave meeting, replaces it; a meeting
    not in `ids` reads as none."""

    def known(text: str) -> str:
        if text not in ids:
            raise ValueError(text)
        return text

    filters.seed(CHOICE_KEY, "meeting", None, known)
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is not None:
        st.session_state[CHOICE_KEY] = pending or None
    if st.session_state.get(CHOICE_KEY) not in ids:
        st.session_state[CHOICE_KEY] = None
    return st.session_state[CHOICE_KEY]


def freeze_pages(current: pd.Series | None) -> None:
    """Freeze every page at the as-of date of `current` (a row of queries.meeting.list_meetings) while it is open;
    otherwise every page shows live data. The shell reads these keys before any page runs, so a change reruns once to
    let the banner and the filters pick it up now."""
    if current is not None and current.status == "open":
        wanted = (pd.Timestamp(current.as_of).date(), str(current.title))
    else:
        wanted = (None, None)
    held = (st.session_state.get(filters.MEETING_AS_OF_KEY), st.session_state.get(filters.MEETING_TITLE_KEY))
    if wanted != held:
        if wanted[0] is None:
            st.session_state.pop(filters.MEETING_AS_OF_KEY, None)
            st.session_state.pop(filters.MEETING_TITLE_KEY, None)
        else:
            st.session_state[filters.MEETING_AS_OF_KEY], st.session_state[filters.MEETING_TITLE_KEY] = wanted
        st.rerun()


def _say(kind: str, text: str) -> None:
    flash.add(FLASH_KEY, kind, text)


def _write(success: str, fn: Callable[..., object], **kwargs) -> object | None:
    try:
        result = data.write(fn, actor=auth.actor(), **kwargs)
    except PermissionDenied as exc:
        _say("error", str(exc))
    except meeting.StaleEditError as exc:
        _say("warning", str(exc))
    except db.TandemError as exc:
        _say("error", str(exc))
    else:
        _say("success", success)
        return result
    return None


def on_create() -> None:
    state = st.session_state
    new_id = _write("Meeting created and opened: every page now shows its figures as of its as-of date.",
                    meeting.create_meeting, held_on=state["meeting_new_held_on"], title=state["meeting_new_name"],
                    as_of=state["meeting_new_as_of"])
    if new_id:
        state[PENDING_KEY] = new_id


def on_status(meeting_id: str, close: bool) -> None:
    if close:
        _write("Meeting closed: pages are back on live data.", meeting.close_meeting, meeting_id=meeting_id)
    else:
        _write("Meeting reopened.", meeting.reopen_meeting, meeting_id=meeting_id)


def on_leave() -> None:
    st.session_state[PENDING_KEY] = ""


def on_notes(meeting_id: str, version: int, key: str) -> None:
    _write("Notes saved.", meeting.update_notes, meeting_id=meeting_id, notes=st.session_state[key],
           expected_version=version)


def on_add_item(meeting_id: str) -> None:
    state = st.session_state
    _write("Action item added.", meeting.add_action_item, title=state["meeting_item_name"],
           owner=state["meeting_item_owner"], team=state["meeting_item_team"], due_on=state["meeting_item_due"],
           meeting_id=meeting_id)


def on_item_status(item_id: str, version: int, status: str) -> None:
    _write(f"Action item marked {status}.", meeting.update_action_item, item_id=item_id, expected_version=version,
           status=status)


def on_edit_item(item_id: str, version: int, prefix: str) -> None:
    state = st.session_state
    _write("Action item saved.", meeting.update_action_item, item_id=item_id, expected_version=version,
           title=state[f"{prefix}_name"], owner=state[f"{prefix}_owner"], team=state[f"{prefix}_team"],
           due_on=state[f"{prefix}_due"], status=state[f"{prefix}_status"])


def on_feedback() -> None:
    state = st.session_state
    _write("Feedback added.", meeting.add_feedback, topic=state["meeting_fb_topic"],
           sentiment=state["meeting_fb_sentiment"], body=state["meeting_fb_body"],
           campaign_id=state["meeting_fb_campaign"], author=state["meeting_fb_author"] or None,
           team=state["meeting_fb_team"])


def on_step(delta: int, steps: int) -> None:
    """Presentation mode's Previous and Next: move `delta` sections, staying within the agenda's `steps`."""
    st.session_state[STEP_KEY] = min(max(st.session_state.get(STEP_KEY, 0) + delta, 0), steps - 1)


def save_targets(rows: pd.DataFrame) -> None:
    """The targets editor's Save: on success queue the count and rerun (the table reloads the stored values); a
    refused save is said where the button is."""
    try:
        saved = data.write(targets.save_targets, rows=rows, actor=auth.actor())
    except (targets.TargetError, PermissionDenied) as exc:
        st.error(str(exc))
    else:
        _say("success", f"{saved} targets saved.")
        st.rerun()
