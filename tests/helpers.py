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
