"""The sample generator: deterministic, atomic, fast enough, and every planted truth measurable."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import numpy as np
import pytest

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


def test_generator_same_seed_same_checksums(tmp_path):
    a = sample_data.generate(tmp_path / "a.duckdb", seed=3, end=date(2025, 6, 15), scale=0.2, months=18)
    b = sample_data.generate(tmp_path / "b.duckdb", seed=3, end=date(2025, 6, 15), scale=0.2, months=18)
    c = sample_data.generate(tmp_path / "c.duckdb", seed=4, end=date(2025, 6, 15), scale=0.2, months=18)
    assert checksums(a) == checksums(b)
    assert checksums(a)["leads"] != checksums(c)["leads"]


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
    assert sample_con.execute("SELECT count(DISTINCT month) FROM brand_metrics").fetchone()[0] == 36
    assert sample_con.execute("SELECT count(DISTINCT team) FROM reps").fetchone()[0] == 4


def test_generator_data_ends_on_the_end_day(sample_con):
    last = sample_con.execute("SELECT max(created_at) FROM leads").fetchone()[0]
    assert last.date() <= date(2026, 11, 26)
    assert sample_con.execute("SELECT max(close_date) FROM deals WHERE stage IN ('won','lost')").fetchone()[0] \
        <= date(2026, 11, 26)


def test_truth_1_awareness_follows_adstocked_brand_spend(sample_con):
    rows = sample_con.execute("""
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


def test_truth_2_inbound_leads_follow_awareness_three_months_later(sample_con):
    awareness = np.array([r[0] for r in sample_con.execute(
        "SELECT value FROM brand_metrics WHERE metric = 'aided_awareness' AND region = 'all' ORDER BY month"
    ).fetchall()])[:-1]
    inbound = np.array([r[0] for r in sample_con.execute(
        "SELECT count(*) FROM leads WHERE campaign_id IS NULL GROUP BY date_trunc('month', created_at) ORDER BY 1"
    ).fetchall()], dtype=float)[: len(awareness)]
    r = [np.corrcoef(awareness[: len(awareness) - k], inbound[k:])[0, 1] for k in range(7)]
    assert int(np.argmax(r)) == T.BRAND_TO_PIPELINE_LAG_MONTHS


def test_truth_3_demand_leads_diminish_with_spend(sample_con):
    rows = sample_con.execute("""
        SELECT s.spend, coalesce(l.leads, 0) FROM
            (SELECT campaign_id, sum(spend)::DOUBLE AS spend FROM campaign_spend GROUP BY 1) s
            JOIN campaigns c USING (campaign_id)
            LEFT JOIN (SELECT campaign_id, count(*) AS leads FROM leads GROUP BY 1) l USING (campaign_id)
        WHERE c.objective = 'demand' AND c.end_date < DATE '2026-11-01' AND l.leads >= 5
    """).fetchall()
    spend, leads = np.log([r[0] for r in rows]), np.log([r[1] for r in rows])
    slope = np.polyfit(spend, leads, 1)[0]
    assert abs(slope - T.DEMAND_SPEND_EXPONENT) < 0.1


def test_truth_4_stadium_billboards_top_spend_and_no_pipeline(sample_con):
    top = sample_con.execute("SELECT campaign_id FROM campaign_spend GROUP BY 1 ORDER BY sum(spend) DESC LIMIT 1")
    assert top.fetchone()[0] == T.STADIUM_CAMPAIGN_ID
    sourced = sample_con.execute("SELECT count(*) FROM leads WHERE campaign_id = $c",
                                 {"c": T.STADIUM_CAMPAIGN_ID}).fetchone()[0]
    touched_pipeline = sample_con.execute("""
        SELECT coalesce(sum(d.amount), 0)::DOUBLE / (SELECT sum(amount)::DOUBLE FROM deals)
        FROM deals d WHERE d.lead_id IN (SELECT lead_id FROM touches WHERE campaign_id = $c)
    """, {"c": T.STADIUM_CAMPAIGN_ID}).fetchone()[0]
    assert sourced == 0
    assert touched_pipeline < 0.002


def test_truth_5_fast_response_doubles_sql_rate_and_slow_reps(sample_con):
    fast, slow = sample_con.execute("""
        SELECT avg((sql_at IS NOT NULL)::INT) FILTER (WHERE first_contact_at <= mql_at + INTERVAL 24 HOUR),
               avg((sql_at IS NOT NULL)::INT) FILTER (WHERE first_contact_at > mql_at + INTERVAL 24 HOUR)
        FROM leads WHERE mql_at IS NOT NULL AND first_contact_at IS NOT NULL AND mql_at < DATE '2026-10-01'
    """).fetchone()
    assert fast >= 2 * slow
    slowest = sample_con.execute("""
        SELECT owner_rep_id FROM leads WHERE first_contact_at >= mql_at
        GROUP BY 1 ORDER BY median(epoch(first_contact_at - mql_at)) DESC LIMIT 2
    """).fetchall()
    assert {r[0] for r in slowest} == set(T.SLOW_REP_IDS)


def test_truth_6_enterprise_bigger_slower_harder_than_smb(sample_con):
    stats = {r[0]: r[1:] for r in sample_con.execute("""
        SELECT segment, median(amount) FILTER (WHERE stage = 'won'),
               avg(close_date - CAST(created_at AS DATE)) FILTER (WHERE stage = 'won'),
               count(*) FILTER (WHERE stage = 'won') / count(*) FILTER (WHERE stage IN ('won', 'lost'))
        FROM deals GROUP BY 1
    """).fetchall()}
    assert stats["Enterprise"][0] > 5 * stats["SMB"][0]
    assert stats["Enterprise"][1] > 2 * stats["SMB"][1]
    assert stats["Enterprise"][2] < stats["SMB"][2] - 0.1


def test_truth_7_quota_seasonality_and_spread(sample_con):
    q4, q1 = sample_con.execute("""
        SELECT avg(amount) FILTER (WHERE month(month) IN (10, 11, 12)), avg(amount) FILTER (WHERE month(month) <= 3)
        FROM quotas
    """).fetchone()
    assert q4 > 1.2 * q1
    attainment = [r[0] for r in sample_con.execute("""
        SELECT sum(coalesce(b.booked, 0)) / sum(q.amount) FROM quotas q
        LEFT JOIN (SELECT owner_rep_id, date_trunc('month', close_date) AS month, sum(amount) AS booked
                   FROM deals WHERE stage = 'won' GROUP BY ALL) b ON b.owner_rep_id = q.rep_id AND b.month = q.month
        WHERE q.month < DATE '2026-11-01' GROUP BY q.rep_id
    """).fetchall()]
    assert min(attainment) < 0.9 and max(attainment) > 1.1
    current_month_quota = sample_con.execute("SELECT count(*) FROM quotas WHERE month = DATE '2026-11-01'").fetchone()
    assert current_month_quota[0] == 40  # the current month (26 of 30 days elapsed) has a quota per rep


def test_truth_8_feedback_on_the_4ps_concentrated_on_weak_campaigns(sample_con):
    topics = {r[0] for r in sample_con.execute("SELECT DISTINCT topic FROM feedback").fetchall()}
    assert {"product", "price", "place", "promotion", "lead_quality"} <= topics
    top_share = sample_con.execute("""
        SELECT sum(n) FILTER (WHERE rank <= $k) / sum(n) FROM
        (SELECT campaign_id, count(*) AS n, row_number() OVER (ORDER BY count(*) DESC) AS rank
         FROM feedback GROUP BY 1)
    """, {"k": T.WEAK_CAMPAIGN_COUNT}).fetchone()[0]
    assert top_share >= 0.6


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


def test_cli_writes_a_database(tmp_path):
    out = run_cli("--db", str(tmp_path / "cli.duckdb"), "--scale", "0.1", "--months", "12", "--end", "2025-01-31")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "cli.duckdb").exists()


def test_cli_unknown_argument_exits_nonzero_with_one_line():
    out = run_cli("--colour", "blue")
    assert out.returncode == 2
    assert "unrecognized arguments: --colour blue" in out.stderr


def test_cli_unwritable_path_names_the_file():
    # /proc refuses new files even to root, so this holds wherever the tests run.
    target = "/proc/tandem-test.duckdb"
    out = run_cli("--db", target, "--scale", "0.1", "--months", "12")
    assert out.returncode == 1
    assert target in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not os.path.exists(target)


def test_cli_missing_folder_names_the_file(tmp_path):
    target = tmp_path / "no" / "such" / "x.duckdb"
    out = run_cli("--db", str(target), "--scale", "0.1", "--months", "12")
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [f"error: {target}: the folder {target.parent} does not exist"]


def test_cli_bad_end_date_is_a_usage_error():
    out = run_cli("--end", "26/11/2026")
    assert out.returncode == 2
    assert "not a date in YYYY-MM-DD form" in out.stderr


def test_cli_out_of_range_months_is_refused(tmp_path):
    out = run_cli("--db", str(tmp_path / "x.duckdb"), "--months", "2")
    assert out.returncode == 1
    assert "months must be between 6 and 240" in out.stderr
    assert not (tmp_path / "x.duckdb").exists()
