"""The app shell: navigation, the shared filters and their round trip through the URL, first-run generation."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from helpers import app, save_settings

from bench import workload
from queries import db, derived
from ui import data
from ui.navigation import PAGES


def test_shell_default_page_runs(app_db):
    at = app().run()
    assert not at.exception
    start, end = at.sidebar.date_input(key="filter_period").value
    # The sample ends on workload.END: once a month has begun after it, the pages open on its last day.
    today = date.today()
    assert end == (workload.END if workload.END < today.replace(day=1) else today) and start.day == 1
    assert (end.year - start.year) * 12 + end.month - start.month == 11
    assert at.title[0].value == "Brand & quota"


@pytest.mark.parametrize("page", [p.path for p in PAGES])
@pytest.mark.slow
def test_shell_every_registered_page_runs(app_db, page):
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} shows no title"


@pytest.mark.slow
def test_shell_filters_restore_from_url(app_db):
    at = app(start="2026-01-01", end="2026-03-31", as_of="2026-03-15", region=["EMEA", "NA"],
             segment="Enterprise", team="EMEA").run()
    assert not at.exception
    assert at.sidebar.date_input(key="filter_period").value == (date(2026, 1, 1), date(2026, 3, 31))
    assert at.sidebar.date_input(key="filter_as_of").value == date(2026, 3, 15)
    assert at.sidebar.multiselect(key="filter_regions").value == ["EMEA", "NA"]
    assert at.sidebar.multiselect(key="filter_segments").value == ["Enterprise"]
    assert at.sidebar.multiselect(key="filter_teams").value == ["EMEA"]
    assert at.query_params["region"] == ["EMEA", "NA"]
    assert at.query_params["start"] == "2026-01-01"


@pytest.mark.slow
def test_shell_filter_change_is_written_to_url(app_db):
    at = app().run()
    at.sidebar.multiselect(key="filter_regions").set_value(["APAC"]).run()
    at.sidebar.date_input(key="filter_period").set_value((date(2025, 5, 1), date(2025, 5, 31))).run()
    assert not at.exception
    assert at.query_params["region"] == "APAC"
    assert (at.query_params["start"], at.query_params["end"]) == ("2025-05-01", "2025-05-31")
    reopened = app(**{k: at.query_params[k] for k in ("region", "start", "end")}).run()
    assert reopened.sidebar.multiselect(key="filter_regions").value == ["APAC"]
    assert reopened.sidebar.date_input(key="filter_period").value == (date(2025, 5, 1), date(2025, 5, 31))


@pytest.mark.slow
def test_shell_invalid_url_values_are_dropped_with_a_notice(app_db):
    at = app(region=["EMEA", "Atlantis", "'; DROP TABLE leads; --"], start="yesterday", as_of="2026-02-30",
             segment="<script>alert(1)</script>").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="filter_regions").value == ["EMEA"]
    assert at.sidebar.multiselect(key="filter_segments").value == []
    notices = " ".join(c.value for c in at.sidebar.caption)
    assert "Atlantis" in notices and "as\\_of" in notices and "start/end" in notices
    assert "<script>" not in notices.replace("\\<script\\>", "")


@pytest.mark.slow
def test_shell_generates_the_embedded_default_database_on_first_run(tmp_path, monkeypatch):
    target = tmp_path / "default.duckdb"
    monkeypatch.delenv("TANDEM_DB", raising=False)
    monkeypatch.setattr(db, "DEFAULT_PATH", target)
    at = app().run(timeout=120)
    assert not at.exception
    assert target.exists()
    assert at.sidebar.multiselect(key="filter_regions").options == ["APAC", "EMEA", "LATAM", "NA"]


@pytest.mark.slow
def test_shell_offers_the_sample_or_an_empty_start_for_a_missing_database(tmp_path, monkeypatch):
    target = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("TANDEM_DB", str(target))
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "Welcome to Tandem" and not target.exists()
    assert [b.label for b in at.button] == ["Start empty", "Create the sample company"]
    at.button(key="first_run_sample").click().run(timeout=120)
    assert not at.exception
    assert target.exists()
    assert at.sidebar.multiselect(key="filter_regions").options == ["APAC", "EMEA", "LATAM", "NA"]


@pytest.mark.slow
def test_shell_starts_empty_with_the_companys_settings_on_the_data_page(tmp_path, monkeypatch):
    from queries import common, settings

    target = tmp_path / "acme.duckdb"
    monkeypatch.setenv("TANDEM_DB", str(target))
    at = app().run()
    at.text_input(key="first_run_company").set_value("Acme GmbH")
    at.text_input(key="first_run_currency").set_value("eur")
    at.selectbox(key="first_run_fiscal_start").set_value(2)
    at.button[0].click().run()
    assert not at.exception
    con = db.connect(target)
    try:
        chosen = settings.load(con)
        assert (chosen.company_name, chosen.currency, chosen.fiscal_year_start_month) == ("Acme GmbH", "EUR", 2)
        assert common.table_rows(con).row_count.sum() == 0
    finally:
        con.close()
    assert at.title[0].value == "Data"  # an empty database opens where the imports are


@pytest.mark.slow
def test_shell_refuses_an_invalid_currency_for_an_empty_start_and_creates_nothing(tmp_path, monkeypatch):
    target = tmp_path / "acme.duckdb"
    monkeypatch.setenv("TANDEM_DB", str(target))
    at = app().run()
    at.text_input(key="first_run_currency").set_value("E1")
    at.button[0].click().run()
    assert not at.exception
    assert "company.currency" in at.error[0].value and not target.exists()


@pytest.mark.slow
def test_shell_corrupt_database_gets_a_sentence(tmp_path, monkeypatch):
    target = tmp_path / "broken.duckdb"
    target.write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("TANDEM_DB", str(target))
    at = app().run()
    assert not at.exception
    assert "broken.duckdb" in at.error[0].value
    assert target.read_bytes() == b"garbage" * 1000


@pytest.mark.slow
def test_shell_invalid_settings_stop_the_app_with_the_key(app_db):
    con = duckdb.connect(str(app_db))  # a value no save would store: edited in the database by hand
    con.execute("UPDATE settings SET value = '\"dollars\"' WHERE key = 'company.currency'")
    con.close()
    at = app().run()
    assert not at.exception
    assert len(at.error) == 1 and "company.currency" in at.error[0].value
    assert not at.title  # no page ran half-configured


@pytest.mark.slow
def test_shell_fiscal_preset_follows_settings(app_db):
    at = app(preset="this_fiscal_year", as_of="2026-03-10").run()
    assert at.sidebar.date_input(key="filter_period").value == (date(2026, 1, 1), date(2026, 3, 10))
    save_settings(app_db, {"company": {"fiscal_year_start_month": 2}})
    at = app(preset="this_fiscal_year", as_of="2026-03-10").run()
    assert at.sidebar.date_input(key="filter_period").value == (date(2026, 2, 1), date(2026, 3, 10))
    assert at.query_params["preset"] == "this_fiscal_year" and "start" not in at.query_params


@pytest.mark.slow
def test_shell_editing_days_switches_to_custom(app_db):
    at = app(preset="this_month").run()
    assert at.sidebar.selectbox(key="filter_preset").value == "this_month"
    at.sidebar.date_input(key="filter_period").set_value((date(2026, 2, 1), date(2026, 2, 28))).run()
    assert at.sidebar.selectbox(key="filter_preset").value == "custom"
    assert (at.query_params["start"], at.query_params["end"]) == ("2026-02-01", "2026-02-28")


@pytest.mark.slow
def test_shell_unknown_preset_is_dropped(app_db):
    at = app(preset="next_decade").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="filter_preset").value == "trailing_12_months"
    assert "preset=next\\_decade" in " ".join(c.value for c in at.sidebar.caption)


@pytest.mark.slow
def test_shell_rebuilds_what_a_write_made_stale_before_the_page_draws(app_db):
    at = app().run()
    at.switch_page("pages/funnel.py").run()  # builds the summary tables the funnel reads
    at.switch_page("pages/campaigns.py").run()
    at.radio(key="campaigns_view").set_value("spend").run()  # and the spend ones
    con = data.connection()
    built = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    stale = {name for name in built if "reps" in derived.sources(name)}
    assert "lead_facts" in stale and "campaign_spend_daily" in built.keys() - stale, built
    with db.transaction(con) as cur:
        cur.execute("INSERT INTO reps (rep_id, name, team, region, manager, active) "
                    "VALUES ('R-NEW', 'New Rep', 'Partners', 'EMEA', 'Mia Boss', TRUE)")
        db.bump_data_version(cur, ["reps"])
    version = db.data_version(con)
    at.switch_page("pages/settings.py").run()  # reads none of the per-lead summary tables itself
    assert not at.exception, [e.value for e in at.exception]
    after = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    assert {name: after[name] for name in stale} == dict.fromkeys(stale, version)
    assert {name: after[name] for name in built.keys() - stale} == {name: built[name] for name in built.keys() - stale}
    assert "Partners" in at.sidebar.multiselect(key="filter_teams").options


@pytest.mark.slow
def test_shell_builds_the_other_summary_tables_in_the_background_after_the_first_page(app_db, monkeypatch):
    monkeypatch.setenv("TANDEM_WARM_UP", "1")  # the product's default; the tests' is off
    at = app().run()
    assert not at.exception, [e.value for e in at.exception]
    data.wait_for_warm_up(timeout=120)
    con = data.connection()
    built = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    assert set(built) == set(derived.tables())  # the default page reads a few; the thread built the rest
    assert data.warm_up() is None  # once per connection
    at.switch_page("pages/funnel.py").run()
    assert not at.exception, [e.value for e in at.exception]
    after = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    assert after == built  # the funnel's first view found its tables built
    with db.transaction(con) as cur:
        cur.execute("INSERT INTO reps (rep_id, name, team, region, manager, active) "
                    "VALUES ('R-NEW', 'New Rep', 'Partners', 'EMEA', 'Mia Boss', TRUE)")
        db.bump_data_version(cur, ["reps"])
    version = db.data_version(con)
    at.switch_page("pages/settings.py").run()
    assert not at.exception, [e.value for e in at.exception]
    data.wait_for_warm_up(timeout=120)  # a pass at the new data_version brings every table up to date
    after = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    assert {name for name in after if after[name] == version} == {n for n in built if "reps" in derived.sources(n)}
    assert {n: after[n] for n in built if "reps" not in derived.sources(n)} == {
        n: built[n] for n in built if "reps" not in derived.sources(n)}


@pytest.mark.slow
def test_shell_leaves_the_summary_tables_lazy_when_the_warm_up_is_off(app_db):
    at = app().run()  # TANDEM_WARM_UP=0 in the tests
    assert not at.exception, [e.value for e in at.exception]
    data.wait_for_warm_up(timeout=120)
    built = {name for (name,) in data.connection().execute("SELECT name FROM derived._versions").fetchall()}
    assert built and built < set(derived.tables())  # only what the default page and the filter bar read
