"""AppTest of the Planning meeting page on a writable copy of the sample (meetings M-0001, M-0002, both closed)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest
from helpers import app

from queries import db, meeting, scorecard
from ui import widgets

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)> [click](javascript:alert(2)) **bold**'


@pytest.fixture
def at(app_db):
    test = app()
    test.run()  # the default page; this file tests only the meeting page
    test.switch_page("pages/meeting.py").run()
    assert not test.exception
    return test


def rows(db_path, sql, params=None):
    # The app holds the file open in this process; a second connection shares its database instance.
    con = duckdb.connect(str(db_path))
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def create(at, *, title="November council", held_on=date(2026, 11, 26), as_of=date(2026, 11, 20)):
    at.date_input(key="meeting_new_held_on").set_value(held_on)
    at.text_input(key="meeting_new_name").input(title)
    at.date_input(key="meeting_new_as_of").set_value(as_of)
    at.button(key="meeting_new_submit").click().run()
    assert not at.exception
    return at.session_state["meeting_choice"]


def texts(at):
    return [t.value for t in at.text]


@pytest.mark.slow
def test_meeting_page_opens_a_past_meeting_with_its_agenda(at, sample_con):
    assert at.title[0].value == "Planning meeting"
    assert "Past meetings" in " ".join(c.value for c in at.caption)
    at.selectbox(key="meeting_choice").set_value("M-0002").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # The scorecard as of 29 Oct 2026, the meeting's as-of day (sample_con reads the original of the app's copy).
    card = scorecard.scorecard(sample_con, as_of=date(2026, 10, 29)).set_index("kpi").value
    assert metrics["Revenue booked this month"] == scorecard.format_value(card["revenue"], "money") != "—"
    assert metrics["MQLs delivered this month"] == scorecard.format_value(card["mqls"], "count") != "—"
    markdown = " ".join(m.value for m in at.markdown)
    changes = scorecard.what_changed(sample_con, meeting_id="M-0002")  # since M-0001, biggest movers first
    assert len(changes) == 5 and all(widgets.escape_markdown(sentence) in markdown for sentence in changes.sentence)
    assert "3 open**, **1 overdue" in markdown
    headers = [h.value for h in at.header]
    assert headers[:4] == ["1. Joint scorecard", "2. What changed since the last meeting",
                           "3. Field feedback since the last meeting", "4. Open and overdue action items"]
    # A closed meeting does not freeze the other pages.
    assert filters_frozen(at) is None
    assert at.query_params["meeting"] == "M-0002"
    # The scorecard's three chart views are tabs: only the open one is drawn, and a link keeps which.
    assert charts_drawn(at) == ["meeting_scorecard_chart", "meeting_feedback_chart"]
    for label, chart in (("Revenue pacing", "meeting_pacing_chart"), ("Awareness trend", "meeting_awareness_chart")):
        at.session_state["meeting_card_view"] = label
        assert charts_drawn(at.run()) == [chart, "meeting_feedback_chart"], label
    assert at.query_params["card_view"] == "awareness"


def charts_drawn(at) -> list[str]:
    """The keys of the charts the page drew, in order."""
    return [chart.proto.id.split("-")[-1] for chart in at.get("plotly_chart")]


def filters_frozen(at):
    return at.session_state["meeting_as_of"] if "meeting_as_of" in at.session_state else None


@pytest.mark.slow
def test_a_link_with_a_meeting_opens_it(app_db):
    test = app(meeting="M-0001")
    test.switch_page("pages/meeting.py").run()  # a link's first run is its page's: it keeps ?meeting=
    assert not test.exception
    assert test.selectbox(key="meeting_choice").value == "M-0001"
    assert any("first meeting" in i.value for i in test.info)  # M-0001 has no previous meeting


@pytest.mark.slow
def test_a_second_meeting_before_any_data_compares_its_scorecards(make_db, monkeypatch):
    # Two meetings on a database with no figures yet: no KPI has progress on either day, and "what changed" says
    # so for each KPI instead of failing.
    path = make_db("base.sql")
    con = db.connect(path)
    meeting.create_meeting(con, held_on=date(2026, 3, 31), title="March council", as_of=date(2026, 3, 31))
    second = meeting.create_meeting(con, held_on=date(2026, 4, 30), title="April council", as_of=date(2026, 4, 29))
    con.close()
    monkeypatch.setenv("TANDEM_DB", str(path))
    at = app(meeting=second)
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(m.value for m in at.markdown).replace("\\", "")  # markdown escapes, taken out
    assert "- Revenue booked this month: not measured. Import deals on the Data page to measure it." in said
    # Nothing the scorecard reads was imported: one sentence naming the imports, no tiles of dashes.
    assert "The joint scorecard needs deals, quotas, leads and touches and brand metrics: import them on the Data " \
           "page." in said
    assert not at.metric and not at.get("plotly_chart")


@pytest.mark.slow
def test_a_link_to_an_open_meeting_freezes_the_pages_at_once(app_db):
    rows(app_db, "UPDATE meetings SET status = 'open' WHERE meeting_id = 'M-0002'")
    test = app(meeting="M-0002")
    test.switch_page("pages/meeting.py").run()
    assert not test.exception
    # The page reruns once when it freezes, so dashboard.py's banner and the filters already use the as-of date.
    assert any("frozen as of 29 Oct 2026" in i.value for i in test.info)
    assert test.session_state["meeting_as_of"] == date(2026, 10, 29)
    test.button(key="meeting_leave").click().run()
    assert not test.exception
    assert "meeting_as_of" not in test.session_state
    assert test.selectbox(key="meeting_choice").value is None
    assert "meeting" not in test.query_params


@pytest.mark.slow
def test_create_a_meeting_freezes_every_page_until_it_is_closed(at, app_db):
    meeting_id = create(at)
    assert meeting_id.startswith("M-")
    assert rows(app_db, "SELECT title, as_of, status FROM meetings WHERE meeting_id = $id", {"id": meeting_id}) == [
        ("November council", date(2026, 11, 20), "open")]
    assert filters_frozen(at) == date(2026, 11, 20)
    assert any("frozen as of 20 Nov 2026" in i.value for i in at.info)  # the shell's banner (ui.filters)
    assert at.sidebar.date_input(key="filter_as_of").disabled
    assert at.query_params["meeting"] == meeting_id
    at.switch_page("pages/quota.py").run()
    assert any("frozen as of 20 Nov 2026" in i.value for i in at.info)
    at.switch_page("pages/meeting.py").run()
    at.button(key="meeting_status_button").click().run()
    assert not at.exception
    assert rows(app_db, "SELECT status FROM meetings WHERE meeting_id = $id", {"id": meeting_id}) == [("closed",)]
    assert filters_frozen(at) is None
    assert not any("frozen" in i.value for i in at.info)


@pytest.mark.slow
def test_add_and_complete_an_action_item(at, app_db):
    meeting_id = create(at)
    at.text_input(key="meeting_item_name").input("Send the brief to both teams")
    at.text_input(key="meeting_item_owner").input("Grace Hansen")
    at.selectbox(key="meeting_item_team").set_value("marketing")
    at.date_input(key="meeting_item_due").set_value(date(2026, 12, 1))
    at.button(key="meeting_item_submit").click().run()
    assert not at.exception
    stored = rows(app_db, "SELECT item_id, owner, team, due_on, status FROM action_items WHERE meeting_id = $id",
                  {"id": meeting_id})
    assert [r[1:] for r in stored] == [("Grace Hansen", "marketing", date(2026, 12, 1), "open")]
    item_id = stored[0][0]
    open_table = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert "Send the brief to both teams" in set(open_table.action)
    at.selectbox(key="meeting_item_pick").set_value(item_id).run()
    at.button(key="meeting_item_done").click().run()
    assert not at.exception
    assert rows(app_db, "SELECT status, version, updated_by FROM action_items WHERE item_id = $id",
                {"id": item_id}) == [("done", 2, "local")]
    assert any("marked done" in s.value for s in at.success)


def record(at, label: str):
    """The meeting with one of the record tabs open (only the open one is drawn)."""
    at.session_state["meeting_record_view"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
def test_a_stale_edit_is_refused_with_a_clear_message(at, app_db):
    at.selectbox(key="meeting_choice").set_value("M-0002").run()
    record(at, "Edit an action item")
    assert at.query_params["record"] == "item"
    at.selectbox(key="meeting_edit_pick").set_value("A-0003").run()
    prefix = "meeting_edit_A-0003_1"
    at.text_input(key=f"{prefix}_owner").input("Ana from marketing")
    # Someone else saves the same item meanwhile (another session: same process, same database).
    rows(app_db, "UPDATE action_items SET owner = 'Ben from sales', version = 2 WHERE item_id = 'A-0003'")
    at.button(key=f"{prefix}_submit").click().run()
    assert not at.exception
    assert any("changed by someone else" in w.value and "reload" in w.value for w in at.warning)
    assert rows(app_db, "SELECT owner, version FROM action_items WHERE item_id = 'A-0003'") == [("Ben from sales", 2)]


@pytest.mark.slow
def test_each_topic_table_holds_exactly_that_topics_feedback(at, app_db):
    at.selectbox(key="meeting_choice").set_value("M-0002").run()
    assert not at.exception
    con = db.connect(app_db)
    try:
        expected = meeting.meeting_feedback(con, meeting_id="M-0002")
    finally:
        con.close()
    tables = [d.value for d in at.dataframe if "feedback" in d.value.columns]
    headings = [h.value for h in at.subheader if h.value.endswith(")") and " (" in h.value]
    labels = [meeting.TOPIC_LABELS[t] for t in meeting.TOPICS if t in set(expected.topic)]
    assert [h.rsplit(" (", 1)[0] for h in headings] == labels  # in the agenda's topic order
    by_label = expected.assign(label=expected.topic.map(meeting.TOPIC_LABELS))
    for heading, table in zip(headings, tables, strict=True):
        label, count = heading.rsplit(" (", 1)
        wanted = by_label[by_label.label == label]
        assert int(count[:-1]) == len(table) == len(wanted) > 0
        assert table.feedback.tolist() == wanted.body.tolist()  # the notes of that topic, in the same order
    assert sum(len(t) for t in tables) == len(expected)


@pytest.mark.slow
def test_add_feedback_shows_it_under_its_topic(at, app_db):
    create(at, held_on=date.today(), as_of=date.today())
    record(at, "Add field feedback")
    at.selectbox(key="meeting_fb_topic").set_value("price")
    at.radio(key="meeting_fb_sentiment").set_value(-1)
    campaign_id, name = rows(app_db, "SELECT campaign_id, name FROM campaigns WHERE start_date <= current_date "
                                     "AND end_date >= current_date - INTERVAL 12 MONTH ORDER BY name LIMIT 1")[0]
    at.selectbox(key="meeting_fb_campaign").set_value(campaign_id)
    at.text_area(key="meeting_fb_body").input("Prospects ask for a monthly plan")
    at.button(key="meeting_fb_submit").click().run()
    assert not at.exception
    assert rows(app_db, "SELECT topic, sentiment, campaign_id, author, batch_id FROM feedback WHERE body = $b",
                {"b": "Prospects ask for a monthly plan"}) == [("price", -1, campaign_id, "local", "manual")]
    shown = [d.value for d in at.dataframe if "feedback" in d.value.columns]
    assert any(((frame.feedback == "Prospects ask for a monthly plan") & (frame.campaign == name)).any()
               for frame in shown)
    assert any(h.value.startswith("Price (") for h in at.subheader)
    # "when" goes to the browser as a datetime, which formats it (DD MMM YYYY), not as preformatted text
    new = next(frame for frame in shown if (frame.feedback == "Prospects ask for a monthly plan").any())
    assert pd.api.types.is_datetime64_any_dtype(new["when"])
    (when,) = new.loc[new.feedback == "Prospects ask for a monthly plan", "when"].dt.date.tolist()
    assert abs((when - date.today()).days) <= 1  # typed now (the clock's day may be UTC's)


@pytest.mark.slow
def test_html_in_notes_and_feedback_is_shown_as_literal_text(at, app_db):
    meeting_id = create(at, held_on=date.today(), as_of=date.today())
    notes_key = f"meeting_notes_{meeting_id}_1"
    at.text_area(key=notes_key).input(PAYLOAD)
    at.button(key="meeting_notes_save").click().run()
    record(at, "Add field feedback")
    at.text_area(key="meeting_fb_body").input(PAYLOAD)
    at.button(key="meeting_fb_submit").click().run()
    assert not at.exception
    assert rows(app_db, "SELECT notes FROM meetings WHERE meeting_id = $id", {"id": meeting_id}) == [(PAYLOAD,)]
    assert PAYLOAD in texts(record(at, "Notes"))  # st.text: never parsed as HTML or Markdown
    shown = [d.value for d in at.dataframe if "feedback" in d.value.columns]
    assert any(PAYLOAD in set(frame.feedback) for frame in shown)
    for element in at.markdown:
        assert "<script" not in element.value and "javascript:" not in element.value


@pytest.mark.slow
def test_record_tabs_draw_one_form_and_keep_unsaved_notes(at, app_db):
    meeting_id = create(at, held_on=date.today(), as_of=date.today())
    notes_key = f"meeting_notes_{meeting_id}_1"
    # The notes open first; the other forms are not drawn until their tab is.
    assert not [f for f in at.text_area if f.key == "meeting_fb_body"]
    at.text_area(key=notes_key).input("Agreed: two webinars in Q1").run()
    record(at, "Joint targets")
    assert not [f for f in at.text_area if f.key == notes_key]
    record(at, "Notes")
    assert at.text_area(key=notes_key).value == "Agreed: two webinars in Q1"  # typed, not saved, still there
    assert rows(app_db, "SELECT notes FROM meetings WHERE meeting_id = $id", {"id": meeting_id}) == [("",)]
    assert "record" not in at.query_params  # the first tab is the default


@pytest.mark.slow
def test_presentation_mode_steps_through_the_agenda(at):
    at.selectbox(key="meeting_choice").set_value("M-0002").run()
    at.toggle(key="meeting_present").set_value(True).run()
    assert not at.exception
    assert [h.value for h in at.main.header] == ["1. Joint scorecard"]
    assert at.button(key="meeting_prev").disabled
    at.button(key="meeting_next").click().run()
    assert [h.value for h in at.main.header] == ["2. What changed since the last meeting"]
    at.button(key="meeting_next").click().run()
    at.button(key="meeting_next").click().run()
    assert [h.value for h in at.main.header] == ["4. Open and overdue action items"]
    assert at.button(key="meeting_next").disabled
    at.button(key="meeting_prev").click().run()
    assert [h.value for h in at.main.header] == ["3. Field feedback since the last meeting"]
    at.toggle(key="meeting_present").set_value(False).run()
    assert len(at.main.header) > 4


def test_writes_from_the_page_go_through_queries_meeting(app_db):
    # The page is layout: its controls' writes live in ui/meeting_actions.py, and neither writes SQL itself: every
    # write is a queries.meeting function.
    page = (db.ROOT / "pages" / "meeting.py").read_text()
    actions = (db.ROOT / "ui" / "meeting_actions.py").read_text()
    for source in (page, actions):
        assert "execute(" not in source and "INSERT" not in source.upper().replace("INSERTED", "")
    assert "data.write(" not in page
    assert {"create_meeting", "add_action_item", "update_action_item", "add_feedback", "update_notes"} <= {
        name for name in dir(meeting) if name in actions}


@pytest.mark.slow
def test_meeting_new_form_takes_the_as_of_filter_for_its_figures(app_db):
    at = app(as_of="2026-11-09").run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception
    assert at.date_input(key="meeting_new_as_of").value == date(2026, 11, 9)
    assert at.date_input(key="meeting_new_held_on").value == date.today()


# --- the scorecard's tiles on tests/fixtures/meeting.sql (counted by hand in tests/unit/test_scorecard.py) --------

@pytest.fixture
def fixture_meetings(make_db, monkeypatch):
    path = make_db("base.sql", "meeting.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    return path


def tiles(at) -> dict[str, tuple]:
    """label → (value, delta, what it compares with, arrow: DOWN 0 UP 1 NONE 2, colour: RED 0 GREEN 1 GRAY 2)."""
    return {m.label: (m.value, m.proto.delta, m.proto.delta_description, m.proto.direction, m.proto.color)
            for m in at.metric}


@pytest.mark.slow
def test_scorecard_tiles_compare_the_same_days_of_last_month_by_the_kpis_direction(fixture_meetings):
    at = app(meeting="M-2")
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    # M-2 is as of 29 April: each month-to-date KPI against 1–29 March, not the whole of March.
    assert tiles(at) == {
        "Revenue booked this month": ("$1,000", "+$400", "vs 1–29 Mar", 1, 1),        # D2 1,000; D1 600
        "Pipeline coverage of the remaining quota": ("1.4×", "+180%", "vs 29 Mar", 1, 1),  # 1.4 against 0.5
        "MQLs delivered this month": ("3", "+1", "vs 1–29 Mar", 1, 1),                # L3–L5; L1, L2
        "MQLs contacted within the SLA this month": ("33%", "-16.7 pp", "vs 1–29 Mar", 0, 0),  # 1 of 3; 1 of 2
        "Aided awareness (latest month)": ("19.0%", "-3.0 pp", "vs 29 Mar", 0, 0),    # April's 19; March's 22
    }
    assert "Each change compares with the same days of last month (1–29 Mar)." in " ".join(c.value for c in at.caption)
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    # What changed since M-1 (as of 31 March): progress against a goal to date, and which days each value covers.
    assert ("Revenue booked this month fell from 60% to 52% of its goal since the previous meeting (as of 31 Mar "
            "2026): $600 in 1–31 Mar, $1,000 in 1–29 Apr.") in said


@pytest.mark.slow
def test_scorecard_kpis_without_their_data_read_dash_and_name_the_import(fixture_meetings):
    con = duckdb.connect(str(fixture_meetings))
    for table in ("leads", "brand_metrics"):
        con.execute(f"DELETE FROM {table}")
    con.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'data_version'")
    con.execute("UPDATE meta SET value = '0' WHERE key = 'written_version'")
    con.close()
    at = app(meeting="M-2")
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = tiles(at)
    # Not 0 and not 0 %: not measured, with no change drawn.
    for label in ("MQLs delivered this month", "MQLs contacted within the SLA this month",
                  "Aided awareness (latest month)"):
        assert shown[label][:2] == ("—", ""), label
    assert shown["Revenue booked this month"][:2] == ("$1,000", "+$400")
    said = " ".join(m.value for m in at.markdown)
    assert "MQLs delivered this month needs leads and touches: import them on the Data page." in said
    assert "Aided awareness (latest month) needs brand metrics: import them on the Data page." in said
    at.session_state["meeting_card_view"] = "Awareness trend"  # the trend's tab, closed until opened
    said = " ".join(m.value for m in at.run().markdown)
    assert "The awareness trend needs brand metrics: import them on the Data page." in said
    assert "MQLs delivered this month: not measured. Import leads on the Data page to measure it." in said.replace(
        "\\", "")
