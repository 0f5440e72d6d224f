"""Login mode: the login screen, roles from secrets, who-am-I in the sidebar; local mode acts as admin."""

from __future__ import annotations

import pytest
from helpers import ROLES, app, login_app

from queries import access
from ui import auth


@pytest.mark.parametrize("email, role", [
    ("ann@example.com", "admin"), ("ANN@example.com", "admin"), ("bob@example.com", "member"),
    ("vic@partner.org", "viewer"), ("eve@elsewhere.net", None), ("", None), (None, None),
    ("mallory@example.com.evil.net", None),
])
def test_auth_role_for(email, role):
    assert auth.role_for(email, ROLES) == role


def test_auth_default_role_viewer_lets_everyone_read():
    assert auth.role_for("eve@elsewhere.net", {**ROLES, "default_role": "viewer"}) == "viewer"


@pytest.mark.slow
def test_auth_login_screen_when_not_logged_in(app_db):
    at = login_app(None).run()
    assert not at.exception
    assert at.title[0].value == "Tandem"
    assert at.button(key="auth_login")
    assert not at.sidebar.multiselect  # no filters, no pages before login


@pytest.mark.slow
def test_auth_unknown_user_gets_no_access(app_db):
    at = login_app({"email": "eve@elsewhere.net", "name": "Eve"}).run()
    assert not at.exception
    assert "no access" in at.warning[0].value
    assert not at.sidebar.multiselect


@pytest.mark.parametrize("email, role", [("ann@example.com", "admin"), ("bob@example.com", "member"),
                                         ("vic@partner.org", "viewer")])
@pytest.mark.slow
def test_auth_sidebar_shows_who_and_role(app_db, email, role):
    at = login_app({"email": email, "name": "Someone"}).run()
    assert not at.exception
    assert f"role: {role}" in at.sidebar.text[0].value and email in at.sidebar.text[0].value
    assert at.sidebar.button(key="auth_logout")
    assert at.title[0].value == "Brand & quota"


@pytest.mark.slow
def test_auth_local_mode_is_admin_without_login(app_db):
    at = app().run()
    assert not at.exception
    assert auth.actor() == access.LOCAL
    assert not any(b.key == "auth_logout" for b in at.sidebar.button)


def test_access_require_refuses_lower_roles():
    viewer = access.Actor("vic@partner.org", "viewer")
    member = access.Actor("bob@example.com", "member")
    with pytest.raises(access.PermissionDenied, match="vic@partner.org \\(viewer\\) may not add action items"):
        access.require(viewer, "member", "add action items")
    assert access.require(member, "member", "add action items") == member
    with pytest.raises(access.PermissionDenied):
        access.require(member, "admin", "import data")
    assert access.require(None, "admin", "import data") == access.LOCAL
