"""Two Streamlit servers on different ports share one Postgres: an action item added through one appears in the
other after a refresh; a Postgres that cannot be reached is one sentence on the page, naming host and port."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import pg
import pytest
from e2e.browser import Server, assert_healthy, free_port, wait_ready

from queries import backend, db, meeting

TIMEOUT_MS = 60_000
FIRST_RUN_TIMEOUT_MS = 180_000
MEETING = "M-0002"


@pytest.fixture(scope="module")
def shared_dsn(sample_path) -> str:
    pg.require_postgres()
    dsn = pg.shared_cluster().create_database()
    backend.load_file(sample_path, dsn)
    return dsn


@pytest.fixture(scope="module")
def servers(shared_dsn, tmp_path_factory) -> Iterator[tuple[Server, Server]]:
    folder = tmp_path_factory.mktemp("two_servers")
    started: list[Server] = []
    try:
        for name in ("one", "two"):
            # Server names its log after db_path; TANDEM_DB itself is the connection string.
            started.append(Server(folder / f"{name}.duckdb", free_port(), extra_env={"TANDEM_DB": shared_dsn}))
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()


def open_meeting(tab, server: Server) -> None:
    # A fresh server needs dashboard.py's navigation once before a direct page URL; its first run also copies
    # the database from Postgres, so allow it more time on a busy machine.
    tab.goto(server.url)
    wait_ready(tab, FIRST_RUN_TIMEOUT_MS)
    tab.goto(f"{server.url}/meeting?meeting={MEETING}")
    wait_ready(tab, FIRST_RUN_TIMEOUT_MS)
    tab.locator('[data-testid="stMain"]').get_by_text("4. Open and overdue action items").wait_for(timeout=TIMEOUT_MS)
    assert_healthy(tab)


def open_count(tab) -> int:
    text = tab.locator('[data-testid="stMain"]').inner_text()
    return int(re.search(r"(\d+) open", text).group(1))


def test_action_item_added_on_one_server_shows_on_the_other(servers, shared_dsn, browser):
    one, two = servers
    tab_one = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    tab_two = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    open_meeting(tab_two, two)
    before = open_count(tab_two)

    title = f"Shared item {uuid.uuid4().hex[:8]}"
    open_meeting(tab_one, one)
    form = tab_one.locator('[data-testid="stForm"]').filter(has_text="Add an action item")
    form.get_by_label("Action").fill(title)
    form.get_by_label("Owner").fill("Ann")
    form.get_by_role("button", name="Add action item").click()
    tab_one.locator('[data-testid="stAlertContentSuccess"]').wait_for(timeout=TIMEOUT_MS)
    wait_ready(tab_one)
    assert_healthy(tab_one)
    assert open_count(tab_one) == before + 1

    # Written to Postgres, not to a server's local copy.
    con = db.connect(shared_dsn, read_only=True)
    try:
        assert title in meeting.list_action_items(con, status="open").title.tolist()
    finally:
        con.close()

    time.sleep(backend.CHECK_INTERVAL_SECONDS + 0.5)  # server two looks at Postgres at most once a second
    tab_two.reload()
    wait_ready(tab_two)
    tab_two.locator('[data-testid="stMain"]').get_by_text("4. Open and overdue action items").wait_for(
        timeout=TIMEOUT_MS)
    assert_healthy(tab_two)
    assert open_count(tab_two) == before + 1
    tab_one.context.close()
    tab_two.context.close()


def test_unreachable_postgres_is_one_sentence_on_the_page(page, tmp_path):
    port = free_port()
    server = Server(tmp_path / "down.duckdb", free_port(),
                    extra_env={"TANDEM_DB": f"postgresql://tandem:s3cret@127.0.0.1:{port}/tandem"})
    try:
        page.goto(server.url)
        page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=TIMEOUT_MS)
        text = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
        assert f"cannot reach Postgres at 127.0.0.1:{port}" in text and "s3cret" not in text
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        server.stop()
