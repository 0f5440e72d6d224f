"""Hostile input: SQL-injection strings through every filter and URL parameter of every page change nothing and
raise nothing; HTML/script payloads in stored text are never rendered as HTML."""

from __future__ import annotations

import pytest
from helpers import app

from queries import db
from ui.navigation import PAGES

SHARED_PARAMS = ("start", "end", "as_of", "region", "segment", "team", "preset")
SQL_PAYLOADS = (
    "' OR '1'='1",
    "'; DROP TABLE leads; --",
    "EMEA' UNION SELECT rep_id, name FROM reps --",
    "1); DELETE FROM deals; --",
    "$start",
    "2026-01-01'; UPDATE meta SET value='0' --",
    "x" * 3000,
)
HTML_PAYLOAD = ('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
                '**bold**[link](javascript:alert(1))')
TABLES = ("reps", "campaigns", "campaign_spend", "brand_metrics", "leads", "touches", "deals", "quotas", "targets",
          "feedback", "meetings", "action_items", "import_batches", "meta")


def checksum(path) -> dict:
    con = db.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone() for t in TABLES}
    finally:
        con.close()


def page_params(page: str) -> set[str]:
    """Every URL parameter the page (and the shared bar) writes on a normal run."""
    at = app(preset="custom", start="2026-01-01", end="2026-06-30", region="EMEA", segment="SMB", team="EMEA").run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return set(at.query_params.keys()) | set(SHARED_PARAMS)


@pytest.mark.parametrize("page", [p.path for p in PAGES])
@pytest.mark.slow
def test_hostile_sql_strings_in_every_url_parameter(app_db, page):
    before = checksum(app_db)
    params = sorted(page_params(page))
    for payload in SQL_PAYLOADS:
        # Every parameter of the page carries the payload at once; each must be refused or noticed on its own.
        at = app(**dict.fromkeys(params, payload)).run()
        at.switch_page(page).run()
        assert not at.exception, (payload, [e.value for e in at.exception])
        notices = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")
        for param in params:
            kept = at.query_params.get(param)
            assert kept != payload or f"{param}=" in notices, (
                f"{page}: {param}={payload[:30]!r} was neither refused nor noticed")
    assert checksum(app_db) == before


@pytest.fixture
def payload_db(app_db):
    con = db.connect(app_db)
    con.execute("UPDATE campaigns SET name = $p WHERE campaign_id IN (SELECT campaign_id FROM campaigns LIMIT 50)",
                {"p": HTML_PAYLOAD})
    con.execute("UPDATE deals SET account = $p", {"p": HTML_PAYLOAD})
    con.execute("UPDATE feedback SET body = $p", {"p": HTML_PAYLOAD})
    con.execute("UPDATE reps SET name = $p WHERE rep_id = 'NA-001'", {"p": HTML_PAYLOAD})
    con.execute("UPDATE meetings SET notes = $p, title = $p", {"p": HTML_PAYLOAD})
    con.execute("UPDATE action_items SET title = $p, owner = $p", {"p": HTML_PAYLOAD})
    con.close()
    return app_db


@pytest.mark.parametrize("page", [p.path for p in PAGES])
@pytest.mark.slow
def test_hostile_html_in_stored_text_is_never_rendered_as_html(payload_db, page):
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    for element in [*at.markdown, *at.caption, *at.sidebar.markdown]:
        if element.proto.allow_html:
            assert "onerror" not in element.value and "<script" not in element.value, page
    for element in at.get("html"):
        assert "onerror" not in element.proto.body, page
