"""Roles in login mode: viewers read, members write meeting items, admins import; the write functions refuse too."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import login_app

from queries import access, db, ingest, meeting, targets

VIEWER = {"email": "vic@partner.org", "name": "Vic"}
MEMBER = {"email": "bob@example.com", "name": "Bob"}
ADMIN = {"email": "ann@example.com", "name": "Ann"}


def on_page(user, page):
    at = login_app(user).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
def test_roles_viewer_sees_no_usable_write_controls(app_db):
    at = on_page(VIEWER, "pages/meeting.py")
    for key in ("meeting_new_submit", "meeting_item_submit", "meeting_fb_submit"):
        found = [b for b in at.button if b.key == key]
        assert all(b.disabled for b in found), key
    data_page = on_page(VIEWER, "pages/data.py")
    assert not [s for s in data_page.selectbox if s.key == "data_table"]
    assert "Only an admin can import data" in " ".join(i.value for i in data_page.info)
    settings_page = on_page(VIEWER, "pages/settings.py")
    assert all(b.disabled for b in settings_page.button if b.key != "auth_logout")


def test_roles_viewer_direct_write_calls_are_refused(sample_copy):
    con = db.connect(sample_copy)
    viewer = access.Actor("vic@partner.org", "viewer")
    before = db.data_version(con)
    with pytest.raises(access.PermissionDenied):
        meeting.add_action_item(con, title="x", owner="y", team="joint", due_on=date(2026, 12, 1), actor=viewer)
    with pytest.raises(access.PermissionDenied):
        meeting.add_feedback(con, topic="price", sentiment=-1, body="too dear", actor=viewer)
    with pytest.raises(access.PermissionDenied):
        targets.save_targets(con, rows=[{"month": date(2026, 12, 1), "metric": "mqls", "team": "marketing",
                                         "value": 1.0}], actor=viewer)
    assert db.data_version(con) == before
    con.close()


@pytest.mark.slow
def test_roles_member_adds_an_action_item_but_cannot_import(app_db):
    at = on_page(MEMBER, "pages/meeting.py")
    at.date_input(key="meeting_new_held_on").set_value(date(2026, 11, 26))
    at.text_input(key="meeting_new_name").input("Member's meeting")
    at.date_input(key="meeting_new_as_of").set_value(date(2026, 11, 20))
    at.button(key="meeting_new_submit").click().run()
    at.text_input(key="meeting_item_name").input("Call back every webinar lead")
    at.text_input(key="meeting_item_owner").input("Bob")
    at.button(key="meeting_item_submit").click().run()
    assert not at.exception
    con = db.connect(app_db)
    created = con.execute("SELECT created_by FROM action_items WHERE title = 'Call back every webinar lead'").fetchall()
    con.close()
    assert created == [("bob@example.com",)]
    data_page = on_page(MEMBER, "pages/data.py")
    assert not [s for s in data_page.selectbox if s.key == "data_table"]
    member = access.Actor("bob@example.com", "member")
    con = db.connect(app_db)
    source = ingest.read_source(b"rep_id,name,team,region\nZ1,Zed,NA,NA\n", name="reps.csv")
    with pytest.raises(access.PermissionDenied, match="may not import data"):
        ingest.commit(con, source=source, mapping=ingest.suggest(["rep_id", "name", "team", "region"], table="reps"),
                      table="reps", actor=member)
    con.close()


@pytest.mark.slow
def test_roles_admin_can_import(app_db):
    at = on_page(ADMIN, "pages/data.py")
    assert [s for s in at.selectbox if s.key == "data_table"]
    con = db.connect(app_db)
    source = ingest.read_source(b"rep_id,name,team,region\nZ1,Zed,NA,NA\n", name="reps.csv")
    report = ingest.commit(con, source=source, mapping=ingest.suggest(["rep_id", "name", "team", "region"],
                                                                       table="reps"),
                           table="reps", actor=access.Actor("ann@example.com", "admin"))
    assert con.execute("SELECT imported_by FROM import_batches WHERE batch_id = $b",
                       {"b": report.batch_id}).fetchall() == [("ann@example.com",)]
    con.close()
