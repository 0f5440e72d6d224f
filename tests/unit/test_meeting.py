"""Meeting writes and reads: exact rows on tests/fixtures/meeting.sql, optimistic edits, concurrent writers."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from queries import access, db, meeting

SQL_DIR = Path(meeting.__file__).resolve().parent / "sql" / "meeting"
MEMBER = access.Actor("ann@example.com", "member")
VIEWER = access.Actor("vic@example.com", "viewer")


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "meeting.sql"))
    yield connection
    connection.close()


def one(con, sql, params=None):
    return db.run_sql(con, sql, params).iloc[0].to_dict()


# --- meetings -----------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_create_meeting_stores_an_open_meeting_and_bumps_data_version(con):
    before = db.data_version(con)
    meeting_id = meeting.create_meeting(con, held_on=date(2026, 5, 29), title="  May council ",
                                        as_of=date(2026, 5, 28), actor=MEMBER)
    assert meeting_id.startswith("M-") and len(meeting_id) == 14
    row = meeting.get_meeting(con, meeting_id=meeting_id).iloc[0]
    assert (row.title, row.held_on, row.as_of, row.status, row.version, row.notes, row.created_by,
            row.updated_by) == ("May council", date(2026, 5, 29), date(2026, 5, 28), "open", 1, "",
                                "ann@example.com", "ann@example.com")
    assert db.data_version(con) == before + 1
    assert list(meeting.list_meetings(con).meeting_id) == [meeting_id, "M-2", "M-1"]


@pytest.mark.slow
def test_create_meeting_refuses_bad_input_and_viewers(con):
    with pytest.raises(meeting.MeetingError, match="after the meeting day"):
        meeting.create_meeting(con, held_on=date(2026, 5, 1), title="x", as_of=date(2026, 5, 2))
    with pytest.raises(meeting.MeetingError, match="title is empty"):
        meeting.create_meeting(con, held_on=date(2026, 5, 1), title="  ", as_of=date(2026, 5, 1))
    with pytest.raises(meeting.MeetingError, match="must be a date"):
        meeting.create_meeting(con, held_on="May", title="x", as_of=date(2026, 5, 1))
    with pytest.raises(access.PermissionDenied, match="needs the member role"):
        meeting.create_meeting(con, held_on=date(2026, 5, 1), title="x", as_of=date(2026, 5, 1), actor=VIEWER)
    assert len(meeting.list_meetings(con)) == 2


@pytest.mark.slow
def test_previous_meeting_is_the_one_held_before(con):
    assert meeting.previous_meeting(con, meeting_id="M-2").meeting_id.tolist() == ["M-1"]
    assert meeting.previous_meeting(con, meeting_id="M-1").empty


@pytest.mark.slow
def test_update_notes_is_versioned(con):
    version = meeting.update_notes(con, meeting_id="M-2", notes="First notes", expected_version=1)
    assert version == 2
    row = meeting.get_meeting(con, meeting_id="M-2").iloc[0]
    assert (row.notes, row.version, row.updated_by) == ("First notes", 2, "local")
    with pytest.raises(meeting.StaleEditError, match="changed by someone else.*reload"):
        meeting.update_notes(con, meeting_id="M-2", notes="Overwrite", expected_version=1)
    assert meeting.get_meeting(con, meeting_id="M-2").notes.iloc[0] == "First notes"


@pytest.mark.slow
def test_notes_of_a_closed_meeting_cannot_change_until_reopened(con):
    with pytest.raises(meeting.MeetingError, match="closed: reopen"):
        meeting.update_notes(con, meeting_id="M-1", notes="late", expected_version=3)
    assert meeting.reopen_meeting(con, meeting_id="M-1", actor=MEMBER) == 4
    assert meeting.update_notes(con, meeting_id="M-1", notes="late", expected_version=4) == 5


@pytest.mark.slow
def test_close_and_reopen_meeting(con):
    before = db.data_version(con)
    assert meeting.close_meeting(con, meeting_id="M-2") == 2
    row = meeting.get_meeting(con, meeting_id="M-2").iloc[0]
    assert (row.status, row.updated_by) == ("closed", "local")
    assert meeting.reopen_meeting(con, meeting_id="M-2") == 3
    assert meeting.get_meeting(con, meeting_id="M-2").status.iloc[0] == "open"
    assert db.data_version(con) == before + 2
    with pytest.raises(meeting.MeetingError, match="no meeting 'M-9'"):
        meeting.close_meeting(con, meeting_id="M-9")
    with pytest.raises(access.PermissionDenied):
        meeting.close_meeting(con, meeting_id="M-2", actor=VIEWER)


# --- action items -------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_add_action_item_and_list_it(con):
    item_id = meeting.add_action_item(con, title="Send the brief", owner="Mo", team="joint",
                                      due_on=date(2026, 5, 5), meeting_id="M-2", actor=MEMBER)
    assert item_id.startswith("A-")
    items = meeting.list_action_items(con, meeting_id="M-2", as_of=date(2026, 5, 10))
    assert items[["item_id", "status", "overdue", "version"]].values.tolist() == [
        [item_id, "open", True, 1],          # due 5 May, open, as of 10 May: overdue
        ["A-3", "open", False, 1],           # due 20 May
        ["A-4", "dropped", False, 4],        # dropped items are never overdue
    ]
    added = items.iloc[0]
    assert (added.title, added.owner, added.team, added.meeting_title, added.created_by) == (
        "Send the brief", "Mo", "joint", "April council", "ann@example.com")


@pytest.mark.slow
def test_list_action_items_filters_by_status_and_flags_overdue(con):
    open_items = meeting.list_action_items(con, status="open", as_of=date(2026, 4, 29))
    assert open_items[["item_id", "overdue"]].values.tolist() == [["A-2", True], ["A-3", False]]
    assert meeting.list_action_items(con, status=["done", "dropped"]).item_id.tolist() == ["A-1", "A-4"]
    with pytest.raises(meeting.MeetingError, match="status must be one of"):
        meeting.list_action_items(con, status="closed")


@pytest.mark.slow
def test_add_action_item_refuses_bad_input(con):
    with pytest.raises(meeting.MeetingError, match="team must be one of"):
        meeting.add_action_item(con, title="x", owner="y", team="finance", due_on=None)
    with pytest.raises(meeting.MeetingError, match="owner is empty"):
        meeting.add_action_item(con, title="x", owner=" ", team="sales", due_on=None)
    with pytest.raises(meeting.MeetingError, match="no meeting 'M-404'"):
        meeting.add_action_item(con, title="x", owner="y", team="sales", due_on=None, meeting_id="M-404")
    with pytest.raises(access.PermissionDenied):
        meeting.add_action_item(con, title="x", owner="y", team="sales", due_on=None, actor=VIEWER)
    assert len(meeting.list_action_items(con)) == 4


@pytest.mark.slow
def test_update_action_item_changes_only_the_given_fields(con):
    assert meeting.update_action_item(con, item_id="A-2", expected_version=1, status="done", actor=MEMBER) == 2
    row = meeting.list_action_items(con).set_index("item_id").loc["A-2"]
    assert (row.status, row.title, row.owner, row.due_on, row.version, row.updated_by) == (
        "done", "Call back inbound MQLs within a day", "Ned Lead", date(2026, 4, 15), 2, "ann@example.com")
    assert meeting.update_action_item(con, item_id="A-2", expected_version=2, due_on=None, owner="Ana") == 3
    row = meeting.list_action_items(con).set_index("item_id").loc["A-2"]
    assert (row.owner, row.due_on, row.status) == ("Ana", None, "done")


@pytest.mark.slow
def test_update_action_item_refuses_a_stale_version_and_keeps_the_first_save(con):
    meeting.update_action_item(con, item_id="A-3", expected_version=1, title="Agree webinar lead scoring")
    before = db.data_version(con)
    with pytest.raises(meeting.StaleEditError, match="changed by someone else.*reload"):
        meeting.update_action_item(con, item_id="A-3", expected_version=1, status="dropped")
    row = meeting.list_action_items(con).set_index("item_id").loc["A-3"]
    assert (row.title, row.status, row.version) == ("Agree webinar lead scoring", "open", 2)
    assert db.data_version(con) == before  # the refused save wrote nothing


@pytest.mark.slow
def test_update_action_item_refuses_unknown_items_fields_and_values(con):
    with pytest.raises(meeting.MeetingError, match="no action item 'A-404'"):
        meeting.update_action_item(con, item_id="A-404", expected_version=1, status="done")
    with pytest.raises(meeting.MeetingError, match="cannot change meeting_id"):
        meeting.update_action_item(con, item_id="A-3", expected_version=1, meeting_id="M-1")
    with pytest.raises(meeting.MeetingError, match="nothing to change"):
        meeting.update_action_item(con, item_id="A-3", expected_version=1)
    with pytest.raises(meeting.MeetingError, match="status must be one of"):
        meeting.update_action_item(con, item_id="A-3", expected_version=1, status="finished")
    with pytest.raises(meeting.MeetingError, match="expected_version"):
        meeting.update_action_item(con, item_id="A-3", expected_version=0, status="done")
    with pytest.raises(access.PermissionDenied):
        meeting.update_action_item(con, item_id="A-3", expected_version=1, status="done", actor=VIEWER)


# --- feedback -----------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_add_feedback_stores_it_with_the_acting_user_as_author(con):
    feedback_id = meeting.add_feedback(con, topic="price", sentiment=-1, body="Discounts too deep",
                                       campaign_id="C2", team="sales", actor=MEMBER)
    assert feedback_id.startswith("F-")
    row = one(con, "SELECT * FROM feedback WHERE feedback_id = $id", {"id": feedback_id})
    assert (row["topic"], row["sentiment"], row["body"], row["campaign_id"], row["author"], row["team"],
            row["batch_id"]) == ("price", -1, "Discounts too deep", "C2", "ann@example.com", "sales", "manual")


@pytest.mark.slow
def test_add_feedback_refuses_bad_input(con):
    with pytest.raises(meeting.MeetingError, match="topic must be one of"):
        meeting.add_feedback(con, topic="people", sentiment=0, body="x")
    with pytest.raises(meeting.MeetingError, match="sentiment must be"):
        meeting.add_feedback(con, topic="price", sentiment=2, body="x")
    with pytest.raises(meeting.MeetingError, match="feedback is empty"):
        meeting.add_feedback(con, topic="price", sentiment=0, body="")
    with pytest.raises(meeting.MeetingError, match="no campaign 'C9'"):
        meeting.add_feedback(con, topic="price", sentiment=0, body="x", campaign_id="C9")
    with pytest.raises(access.PermissionDenied):
        meeting.add_feedback(con, topic="price", sentiment=0, body="x", actor=VIEWER)
    assert one(con, "SELECT count(*) AS n FROM feedback")["n"] == 6


@pytest.mark.slow
def test_feedback_since_the_last_meeting(con):
    after, through = meeting.feedback_window(con, meeting_id="M-2")
    assert (after, through) == (date(2026, 3, 31), date(2026, 4, 30))
    frame = meeting.feedback_since(con, after=after, through=through)
    # 4Ps order, then lead quality; newest first inside a topic; F1 (31 Mar) and F6 (1 May) are outside.
    assert frame[["feedback_id", "topic", "campaign_name"]].fillna("").values.tolist() == [
        ["F4", "product", "Spring search"], ["F5", "promotion", ""],
        ["F3", "lead_quality", "Webinars"], ["F2", "lead_quality", "Webinars"]]
    counts = meeting.feedback_by_topic(con, after=after, through=through)
    assert counts[["topic", "items", "negative", "neutral", "positive", "campaigns"]].values.tolist() == [
        ["product", 1, 0, 0, 1, 1], ["promotion", 1, 1, 0, 0, 0], ["lead_quality", 2, 1, 1, 0, 1]]
    assert meeting.feedback_window(con, meeting_id="M-1") == (None, date(2026, 3, 31))
    # The same windows from rows already read (what the meeting page does).
    rows = meeting.list_meetings(con).set_index("meeting_id")
    assert meeting.window_of(rows.loc["M-2"], rows.loc["M-1"].as_of) == (date(2026, 3, 31), date(2026, 4, 30))
    assert meeting.window_of(rows.loc["M-1"], None) == (None, date(2026, 3, 31))


# --- concurrency --------------------------------------------------------------------------------------------------

def run_threads(count, target):
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []
    results: list = []

    def worker(index):
        barrier.wait()
        try:
            results.append(target(index))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.slow
def test_twenty_threads_adding_items_at_once_all_succeed(con):
    before = db.data_version(con)
    results, errors = run_threads(20, lambda i: meeting.add_action_item(
        con, title=f"Item {i}", owner=f"Owner {i}", team="joint", due_on=None, meeting_id="M-2", actor=MEMBER))
    assert errors == []
    items = meeting.list_action_items(con, meeting_id="M-2")
    assert set(results) <= set(items.item_id) and len(set(results)) == 20
    assert sorted(items.title) == sorted([f"Item {i}" for i in range(20)] + [
        "Agree lead scoring for webinars", "Write the pricing one-pager"])
    assert db.data_version(con) == before + 20


@pytest.mark.slow
def test_two_editors_of_one_item_at_once_exactly_one_wins(con):
    results, errors = run_threads(2, lambda i: meeting.update_action_item(
        con, item_id="A-3", expected_version=1, owner=f"Editor {i}"))
    assert results == [2]
    assert len(errors) == 1 and isinstance(errors[0], meeting.StaleEditError)
    assert "changed by someone else" in str(errors[0]) and "reload" in str(errors[0])
    row = meeting.list_action_items(con).set_index("item_id").loc["A-3"]
    assert row.version == 2 and row.owner in {"Editor 0", "Editor 1"}


@pytest.mark.slow
def test_a_write_conflicting_with_another_writer_is_retried(con, monkeypatch):
    # Another cursor (an import, a targets save) holds an uncommitted change to the data_version row: our write
    # conflicts, backs off (the blocker commits meanwhile) and succeeds on its next attempt.
    blocker = con.cursor()
    blocker.execute("BEGIN TRANSACTION")
    db.bump_data_version(blocker)
    sleeps = []

    def backoff(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 1:
            blocker.execute("COMMIT")

    monkeypatch.setattr(meeting.time, "sleep", backoff)
    before = db.data_version(con)
    item_id = meeting.add_action_item(con, title="Retry me", owner="Mo", team="joint", due_on=None)
    assert len(sleeps) == 1
    assert db.data_version(con) == before + 2  # the blocker's bump and ours
    assert item_id in set(meeting.list_action_items(con).item_id)
    blocker.close()


@pytest.mark.slow
def test_a_writer_that_never_gets_through_gets_a_sentence(con, monkeypatch):
    blocker = con.cursor()
    blocker.execute("BEGIN TRANSACTION")
    db.bump_data_version(blocker)
    monkeypatch.setattr(meeting.time, "sleep", lambda seconds: None)
    with pytest.raises(db.DatabaseError, match="stayed busy with other edits; try again"):
        meeting.add_feedback(con, topic="price", sentiment=0, body="x")
    blocker.execute("ROLLBACK")
    blocker.close()
    assert one(con, "SELECT count(*) AS n FROM feedback")["n"] == 6


@pytest.mark.slow
def test_campaign_options_lists_campaigns_in_flight_during_the_window(con):
    def ids(**kwargs):
        return meeting.campaign_options(con, **kwargs).campaign_id.tolist()

    assert ids() == ["C3", "C1", "C2"]  # by name: Big billboard, Spring search, Webinars
    assert ids(as_of=date(2026, 2, 15)) == ["C3"]  # C1 and C2 had not started
    assert ids(as_of=date(2027, 6, 15)) == ["C3"]  # C1 and C2 ended before 2026-06-15
    assert ids(as_of=date(2027, 6, 15), months=14) == ["C3", "C1", "C2"]


def test_every_meeting_sql_file_is_used_by_the_module():
    source = Path(meeting.__file__).read_text()
    for path in SQL_DIR.glob("*.sql"):
        assert f'"meeting/{path.stem}"' in source, path.name
