"""HTML/script payloads stored in the database are shown as literal text in Chromium: nothing runs, nothing injected."""

from __future__ import annotations

import shutil

import pytest
from e2e.browser import Server, assert_healthy, free_port, wait_ready

from queries import db

PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b id="injected">bold</b>'


@pytest.fixture(scope="module")
def payload_server(sample_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("payload") / "payload.duckdb"
    shutil.copy(sample_path, path)
    con = db.connect(path)
    con.execute("UPDATE campaigns SET name = $p WHERE campaign_id IN (SELECT campaign_id FROM campaigns LIMIT 80)",
                {"p": PAYLOAD})
    con.execute("UPDATE feedback SET body = $p", {"p": PAYLOAD})
    con.execute("UPDATE meetings SET notes = $p", {"p": PAYLOAD})
    con.execute("UPDATE action_items SET title = $p", {"p": PAYLOAD})
    con.execute("UPDATE deals SET account = $p", {"p": PAYLOAD})
    con.close()
    srv = Server(path, free_port())
    yield srv
    srv.stop()


@pytest.mark.parametrize("url_path", ["", "campaigns", "segments", "meeting?meeting=M-0002", "quota"])
def test_payloads_never_run_or_inject(payload_server, page, url_path):
    page.goto(f"{payload_server.url}/{url_path}")
    wait_ready(page)
    assert_healthy(page)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#injected").count() == 0
    assert page.locator('img[src="x"]').count() == 0
    if url_path.startswith("meeting"):
        # The meeting's notes are shown as text, markup and all.
        assert PAYLOAD in page.locator('[data-testid="stMain"]').inner_text()
