"""The sample generator: deterministic, atomic, fast enough, and every planted truth measurable."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import numpy as np
import pytest
from conftest import SAMPLE_END, SAMPLE_SEED

import sample_data
from queries import db
from sample_data import generator
from sample_data import truths as T

TABLES = ("reps", "campaigns", "campaign_spend", "brand_metrics", "leads", "touches", "deals", "quotas",
          "targets", "feedback", "meetings", "action_items")


def checksums(path) -> dict[str, tuple]:
    con = db.connect(path, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone() for t in TABLES}
    finally:
        con.close()


@pytest.mark.slow
def test_generator_same_seed_same_checksums(tmp_path):
    a = sample_data.generate(tmp_path / "a.duckdb", seed=3, end=date(2025, 6, 15), scale=0.2, months=18)
    b = sample_data.generate(tmp_path / "b.duckdb", seed=3, end=date(2025, 6, 15), scale=0.2, months=18)
    c = sample_data.generate(tmp_path / "c.duckdb", seed=4, end=date(2025, 6, 15), scale=0.2, months=18)
    assert checksums(a) == checksums(b)
    assert checksums(a)["leads"] != checksums(c)["leads"]


@pytest.mark.slow
def test_generator_is_not_held_to_the_serving_memory_cap(tmp_path, monkeypatch):
    # The serving cap (TANDEM_MEMORY_LIMIT) is for dashboards; a large sample's key indexes need more than it.
    monkeypatch.setenv("TANDEM_MEMORY_LIMIT", "4MB")
    path = sample_data.generate(tmp_path / "small.duckdb", seed=3, months=12, end=date(2026, 6, 30), scale=0.05)
    con = db.connect(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM leads").fetchone()[0] > 0
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "3.8 MiB"  # readers keep it
    finally:
        con.close()


def test_generator_default_size(sample_con):
    counts = {t: sample_con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    assert counts["reps"] == 40
    assert 350 <= counts["campaigns"] <= 450
    assert 50_000 <= counts["leads"] <= 75_000
    assert 5_000 <= counts["deals"] <= 11_000
    assert sample_con.execute("SELECT count(DISTINCT channel) FROM campaigns").fetchone()[0] == 8
    # 36 months end in November 2026, whose reading is published only once it ends (after the 26th).
    assert sample_con.execute("SELECT count(DISTINCT month) FROM brand_metrics").fetchone()[0] == 35
    assert sample_con.execute("SELECT count(DISTINCT team) FROM reps").fetchone()[0] == 4


@pytest.mark.parametrize(("end", "last_reading"), [
    (date(2025, 11, 26), date(2025, 10, 1)),  # November has not ended: no reading for it
    (date(2025, 11, 30), date(2025, 11, 1)),  # its last day: November has ended
])
@pytest.mark.slow
def test_generator_writes_no_brand_reading_for_an_unfinished_month(tmp_path, end, last_reading):
    path = sample_data.generate(tmp_path / "s.duckdb", seed=3, months=12, end=end, scale=0.1)
    con = db.connect(path, read_only=True)
    try:
        months = con.execute("SELECT min(month), max(month), count(DISTINCT month), count(DISTINCT metric) "
                             "FROM brand_metrics").fetchone()
        assert months == (date(2024, 12, 1), last_reading, last_reading.month + 1, len(T.BRAND_METRICS))
        # Leads and spend run through the end day itself.
        assert con.execute("SELECT max(day) FROM campaign_spend").fetchone()[0] == end
    finally:
        con.close()


@pytest.mark.slow
def test_generator_a_calendar_month_does_not_depend_on_the_end_date(tmp_path):
    # Two samples of 12 months ending 12 July and 31 October 2026 (the same stadium flight, from March 2026) share
    # November 2025 – 12 July 2026: every reading, lead, deal and day of spend in it is the same in both.
    early = sample_data.generate(tmp_path / "early.duckdb", seed=3, months=12, end=date(2026, 7, 12), scale=0.1)
    late = sample_data.generate(tmp_path / "late.duckdb", seed=3, months=12, end=date(2026, 10, 31), scale=0.1)
    shared = {"first": date(2025, 11, 1), "last": date(2026, 7, 12)}
    queries = {
        # July's reading is in the later sample only: July had not ended on the 12th.
        "brand_metrics": "SELECT month, metric, region, value, source FROM brand_metrics "
                         "WHERE month >= $first AND month < date_trunc('month', $last)",
        "leads": "SELECT l.created_at, l.channel, l.region, l.segment, l.industry, l.company, c.name, l.owner_rep_id, "
                 "CASE WHEN l.mql_at < $last + 1 THEN l.mql_at END, CASE WHEN l.sql_at < $last + 1 THEN l.sql_at END "
                 "FROM leads AS l LEFT JOIN campaigns AS c USING (campaign_id) "
                 "WHERE l.created_at >= $first AND l.created_at < $last + 1",
        # Deals of leads that came before November 2025 are in the earlier sample only.
        "deals": "SELECT d.created_at, d.owner_rep_id, d.product, d.segment, d.amount, d.account "
                 "FROM deals AS d LEFT JOIN leads AS l USING (lead_id) "
                 "WHERE d.created_at >= $first AND d.created_at < $last + 1 AND coalesce(l.created_at >= $first, TRUE)",
        "campaign_spend": "SELECT c.name, s.day, s.spend, s.impressions, s.clicks, s.reach "
                          "FROM campaign_spend AS s JOIN campaigns AS c USING (campaign_id) "
                          "WHERE s.day BETWEEN $first AND $last",
    }
    rows = {}
    for path in (early, late):
        con = db.connect(path, read_only=True)
        try:
            for table, sql in queries.items():
                rows.setdefault(table, []).append(sorted(con.execute(sql, shared).fetchall(), key=repr))
        finally:
            con.close()
    for table, (a, b) in rows.items():
        assert len(a) > 20 and a == b, table


def test_generator_stadium_flight_starts_in_spring_months_before_the_end(sample_con):
    start = sample_con.execute("SELECT start_date FROM campaigns WHERE campaign_id = $c",
                               {"c": T.STADIUM_CAMPAIGN_ID}).fetchone()[0]
    assert start == date(2026, T.STADIUM_START_MONTH, 1)  # 8 months before November 2026
    assert generator._stadium_start(generator.Calendar(date(2026, 5, 31), 36)) == np.datetime64("2025-03-01")
    assert generator._stadium_start(generator.Calendar(date(2026, 6, 1), 36)) == np.datetime64("2026-03-01")


# --- the planted truths (docs/SAMPLE_DATA.md), each measured at several end dates -----------------------------

TRUTH_ENDS = [SAMPLE_END, pytest.param(date(2025, 4, 9), marks=pytest.mark.slow),
              pytest.param(date(2027, 8, 31), marks=pytest.mark.slow)]  # each end but the default generates a sample


@pytest.fixture(scope="module", params=TRUTH_ENDS, ids=str)
def at_end(request, sample_path, tmp_path_factory):
    """(connection, end) for the default sample (seed 7, scale 1) ending on each of TRUTH_ENDS."""
    end = request.param
    path = sample_path if end == SAMPLE_END else sample_data.generate(
        tmp_path_factory.mktemp("truths") / "sample.duckdb", seed=SAMPLE_SEED, end=end)
    con = db.connect(path, read_only=True)
    yield con, end
    con.close()


@pytest.mark.slow
def test_generator_data_ends_on_the_end_day(at_end):
    con, end = at_end
    last = con.execute("SELECT max(created_at) FROM leads").fetchone()[0]
    assert last.date() <= end
    assert con.execute("SELECT max(close_date) FROM deals WHERE stage IN ('won','lost')").fetchone()[0] <= end


def test_truth_1_awareness_follows_adstocked_brand_spend(at_end):
    con, _ = at_end
    rows = con.execute("""
        SELECT b.month, b.value, coalesce(s.spend, 0)
        FROM brand_metrics b
        LEFT JOIN (SELECT date_trunc('month', day) AS month, sum(spend)::DOUBLE AS spend
                   FROM campaign_spend JOIN campaigns USING (campaign_id) WHERE objective = 'brand'
                   GROUP BY 1) s ON s.month = b.month
        WHERE b.metric = 'aided_awareness' AND b.region = 'all' ORDER BY b.month
    """).fetchall()
    awareness = np.array([r[1] for r in rows])
    spend = np.array([r[2] for r in rows])
    carried = generator.adstock(spend, T.ADSTOCK_THETA)
    # Awareness tracks carried-over spend more closely than this month's spend alone.
    assert np.corrcoef(carried[3:], awareness[3:])[0, 1] > 0.8
    assert np.corrcoef(carried[3:], awareness[3:])[0, 1] > np.corrcoef(spend[3:], awareness[3:])[0, 1]


def test_truth_2_inbound_leads_follow_awareness_three_months_later(at_end):
    con, _ = at_end
    rows = con.execute("""
        SELECT b.value, coalesce(l.leads, 0)
        FROM brand_metrics b
        LEFT JOIN (SELECT date_trunc('month', created_at) AS month, count(*) AS leads FROM leads
                   WHERE campaign_id IS NULL GROUP BY 1) l ON l.month = b.month
        WHERE b.metric = 'aided_awareness' AND b.region = 'all' ORDER BY b.month
    """).fetchall()
    awareness, inbound = np.array(rows, dtype=float).T
    r = [np.corrcoef(awareness[: len(awareness) - k], inbound[k:])[0, 1] for k in range(7)]
    assert int(np.argmax(r)) == T.BRAND_TO_PIPELINE_LAG_MONTHS


def test_truth_3_demand_leads_diminish_with_spend(at_end):
    con, end = at_end
    rows = con.execute("""
        SELECT s.spend, coalesce(l.leads, 0) FROM
            (SELECT campaign_id, sum(spend)::DOUBLE AS spend FROM campaign_spend GROUP BY 1) s
            JOIN campaigns c USING (campaign_id)
            LEFT JOIN (SELECT campaign_id, count(*) AS leads FROM leads GROUP BY 1) l USING (campaign_id)
        WHERE c.objective = 'demand' AND c.end_date < $month AND c.start_date >= (SELECT min(day) FROM campaign_spend)
          AND l.leads >= 5
    """, {"month": end.replace(day=1)}).fetchall()
    spend, leads = np.log([r[0] for r in rows]), np.log([r[1] for r in rows])
    slope = np.polyfit(spend, leads, 1)[0]
    assert abs(slope - T.DEMAND_SPEND_EXPONENT) < 0.1


def test_truth_4_stadium_billboards_top_spend_and_no_pipeline(at_end):
    con, _ = at_end
    top = con.execute("SELECT campaign_id FROM campaign_spend GROUP BY 1 ORDER BY sum(spend) DESC LIMIT 1")
    assert top.fetchone()[0] == T.STADIUM_CAMPAIGN_ID
    sourced = con.execute("SELECT count(*) FROM leads WHERE campaign_id = $c",
                          {"c": T.STADIUM_CAMPAIGN_ID}).fetchone()[0]
    touched_pipeline = con.execute("""
        SELECT coalesce(sum(d.amount), 0)::DOUBLE / (SELECT sum(amount)::DOUBLE FROM deals)
        FROM deals d WHERE d.lead_id IN (SELECT lead_id FROM touches WHERE campaign_id = $c)
    """, {"c": T.STADIUM_CAMPAIGN_ID}).fetchone()[0]
    assert sourced == 0
    assert touched_pipeline < 0.002


def test_truth_5_fast_response_doubles_sql_rate_and_slow_reps(at_end):
    con, end = at_end
    fast, slow = con.execute("""
        SELECT avg((sql_at IS NOT NULL)::INT) FILTER (WHERE first_contact_at <= mql_at + INTERVAL 24 HOUR),
               avg((sql_at IS NOT NULL)::INT) FILTER (WHERE first_contact_at > mql_at + INTERVAL 24 HOUR)
        FROM leads WHERE mql_at IS NOT NULL AND first_contact_at IS NOT NULL AND mql_at < $before
    """, {"before": (np.datetime64(end, "M") - 1).astype(date)}).fetchone()
    assert fast >= 2 * slow
    slowest = con.execute("""
        SELECT owner_rep_id FROM leads WHERE first_contact_at >= mql_at
        GROUP BY 1 ORDER BY median(epoch(first_contact_at - mql_at)) DESC LIMIT 2
    """).fetchall()
    assert {r[0] for r in slowest} == set(T.SLOW_REP_IDS)


def test_truth_6_enterprise_bigger_slower_harder_than_smb(at_end):
    con, _ = at_end
    stats = {r[0]: r[1:] for r in con.execute("""
        SELECT segment, median(amount) FILTER (WHERE stage = 'won'),
               avg(close_date - CAST(created_at AS DATE)) FILTER (WHERE stage = 'won'),
               count(*) FILTER (WHERE stage = 'won') / count(*) FILTER (WHERE stage IN ('won', 'lost'))
        FROM deals GROUP BY 1
    """).fetchall()}
    assert stats["Enterprise"][0] > 5 * stats["SMB"][0]
    assert stats["Enterprise"][1] > 2 * stats["SMB"][1]
    assert stats["Enterprise"][2] < stats["SMB"][2] - 0.1


def test_truth_7_quota_seasonality_and_spread(at_end):
    con, end = at_end
    month = end.replace(day=1)
    q4, q1 = con.execute("""
        SELECT avg(amount) FILTER (WHERE month(month) IN (10, 11, 12)), avg(amount) FILTER (WHERE month(month) <= 3)
        FROM quotas
    """).fetchone()
    assert q4 > 1.2 * q1
    attainment = [r[0] for r in con.execute("""
        SELECT sum(coalesce(b.booked, 0)) / sum(q.amount) FROM quotas q
        LEFT JOIN (SELECT owner_rep_id, date_trunc('month', close_date) AS month, sum(amount) AS booked
                   FROM deals WHERE stage = 'won' GROUP BY ALL) b ON b.owner_rep_id = q.rep_id AND b.month = q.month
        WHERE q.month < $month GROUP BY q.rep_id
    """, {"month": month}).fetchall()]
    assert min(attainment) < 0.9 and max(attainment) > 1.1
    # The end date's month, partly elapsed or not, has a quota per rep; so have the six after it.
    per_month = con.execute("SELECT count(*) FILTER (WHERE month = $month), count(DISTINCT month) FILTER "
                            "(WHERE month > $month) FROM quotas", {"month": month}).fetchone()
    assert per_month == (40, T.QUOTA_FUTURE_MONTHS)


def test_truth_8_feedback_on_the_4ps_concentrated_on_weak_campaigns(at_end):
    con, _ = at_end
    topics = {r[0] for r in con.execute("SELECT DISTINCT topic FROM feedback").fetchall()}
    assert {"product", "price", "place", "promotion", "lead_quality"} <= topics
    top_share = con.execute("""
        SELECT sum(n) FILTER (WHERE rank <= $k) / sum(n) FROM
        (SELECT campaign_id, count(*) AS n, row_number() OVER (ORDER BY count(*) DESC) AS rank
         FROM feedback GROUP BY 1)
    """, {"k": T.WEAK_CAMPAIGN_COUNT}).fetchone()[0]
    assert top_share >= 0.6


@pytest.mark.slow
def test_generator_leaves_target_untouched_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "keep.duckdb"
    target.write_bytes(b"previous contents")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generator, "_write", boom)
    with pytest.raises(RuntimeError):
        sample_data.generate(target, scale=0.1, months=12, end=date(2025, 1, 31))
    assert target.read_bytes() == b"previous contents"
    assert sorted(os.listdir(tmp_path)) == ["keep.duckdb"]


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sample_data", *args], capture_output=True, text=True,
                          cwd=cwd or db.ROOT, timeout=120)


@pytest.mark.slow
def test_cli_writes_a_database(tmp_path):
    out = run_cli("--db", str(tmp_path / "cli.duckdb"), "--scale", "0.1", "--months", "12", "--end", "2025-01-31")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "cli.duckdb").exists()


@pytest.mark.slow
def test_cli_unknown_argument_exits_nonzero_with_one_line():
    out = run_cli("--colour", "blue")
    assert out.returncode == 2
    assert "unrecognized arguments: --colour blue" in out.stderr


@pytest.mark.slow
def test_cli_unwritable_path_names_the_file():
    # /proc refuses new files even to root, so this holds wherever the tests run.
    target = "/proc/tandem-test.duckdb"
    out = run_cli("--db", target, "--scale", "0.1", "--months", "12")
    assert out.returncode == 1
    assert target in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not os.path.exists(target)


@pytest.mark.slow
def test_cli_missing_folder_names_the_file(tmp_path):
    target = tmp_path / "no" / "such" / "x.duckdb"
    out = run_cli("--db", str(target), "--scale", "0.1", "--months", "12")
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [f"error: {target}: the folder {target.parent} does not exist"]


@pytest.mark.slow
def test_cli_bad_end_date_is_a_usage_error():
    out = run_cli("--end", "26/11/2026")
    assert out.returncode == 2
    assert "not a date in YYYY-MM-DD form" in out.stderr


@pytest.mark.slow
def test_cli_out_of_range_months_is_refused(tmp_path):
    out = run_cli("--db", str(tmp_path / "x.duckdb"), "--months", "2")
    assert out.returncode == 1
    assert "months must be between 6 and 240" in out.stderr
    assert not (tmp_path / "x.duckdb").exists()
