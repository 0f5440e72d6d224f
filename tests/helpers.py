"""Helpers for page tests."""

from __future__ import annotations

from pathlib import Path

import streamlit.testing.v1.app_test as app_test

ROOT = Path(__file__).resolve().parent.parent


def app(**query_params) -> app_test.AppTest:
    """An AppTest of the whole app (dashboard.py), optionally opened with URL parameters."""
    at = app_test.AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at


def every_tab(at: app_test.AppTest):
    """The page as it ran, then again with each other view of each of its tab groups opened (ui.chart_view.tabs draws
    only the open view): a check run on each yielded state covers what a closed tab holds. Each group goes back to
    the view it had."""
    from ui.chart_view import TAB_GROUPS

    yield at
    shown = {tab.label for tab in at.tabs}
    for key, views in list(TAB_GROUPS.items()):
        if key not in at.session_state or not shown & set(views.values()):
            continue
        first = at.session_state[key]
        for label in views.values():
            if label != first:
                at.session_state[key] = label
                yield at.run()
        at.session_state[key] = first
        at.run()


LOGIN_SECRETS = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "s" * 32,
                 "client_id": "tandem", "client_secret": "secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ROLES = {"default_role": "none",
         "roles": {"admin": ["ann@example.com"], "member": ["*@example.com"], "viewer": ["vic@partner.org"]}}


def login_app(user: dict | None, **config) -> app_test.AppTest:
    """The whole app in login mode (roles as in ROLES), with this user logged in (None: nobody)."""
    at = app()
    at.secrets["auth"] = LOGIN_SECRETS
    at.secrets["tandem"] = {**ROLES, **config}
    if user:
        at.user = {"is_logged_in": True, **user}
    return at


def save_settings(path: Path, raw: dict) -> None:
    """Store settings in the database at `path` as the Settings page would (validated; moves data_version)."""
    from queries import db, settings

    con = db.connect(path)
    try:
        settings.save(con, raw)
    finally:
        con.close()


def without(path: Path, *tables: str) -> None:
    """Empty these tables of a fixture database, as an export that lacks them leaves it (data_version bumped)."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for name in tables:
            con.execute(f"DELETE FROM {name}")
        con.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'data_version'")
    finally:
        con.close()
