"""Browser tests: fixtures for the server and Chromium (helpers in e2e/browser.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from e2e.browser import CHROMIUM, CHROMIUM_ARGS, Server, free_port, require_chromium


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)  # every browser test: a server and Chromium


@pytest.fixture(scope="session")
def server(sample_path, tmp_path_factory) -> Iterator[Server]:
    db_path = tmp_path_factory.mktemp("e2e") / "e2e.duckdb"
    shutil.copy(sample_path, db_path)
    srv = Server(db_path, free_port())
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


