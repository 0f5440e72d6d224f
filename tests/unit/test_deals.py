"""queries.deals: won/lost/open counts, win rate, deal size and cycle per rep, team or in total; reps at quota."""

from __future__ import annotations

import math
from datetime import date

import pytest

from queries import db, deals

MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
# Every named query of the domain, with the parameters a test runs it with (keys must equal the SQL files).
QUERIES = {
    "summary": {"start": date(2026, 3, 1), "end": date(2026, 3, 31), "by": "rep", "teams": None, "regions": None},
    "reps_at_quota": {"start": date(2026, 3, 1), "end": date(2026, 4, 30), "teams": None, "regions": None},
}


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "deals.sql"))
    yield connection
    connection.close()


def rows(frame, key):
    return {record[key]: record for record in frame.to_dict("records")}


def test_deals_every_sql_file_has_a_test_entry():
    assert set(QUERIES) == {p.stem for p in (db.SQL_DIR / "deals").glob("*.sql")}


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.slow
def test_deals_every_query_runs(con, name):
    assert not db.query(con, f"deals/{name}", QUERIES[name]).empty


@pytest.mark.slow
def test_deals_summary_by_rep_counts_window_edges_and_a_rep_without_deals(con):
    got = rows(deals.summary(con, **MARCH, by="rep"), "rep_id")
    assert list(got) == ["R1", "R2", "R3", "R4"]
    # R1: D1 closes on the window's first day, D2 on its last (both won, 28 and 30 days); D3 lost; D4 closes the
    # day before and D5 the day after the window; D5 is won, so it is not open either.
    r1 = got["R1"]
    assert (r1["won_count"], r1["lost_count"]) == (2, 1)
    assert r1["win_rate"] == pytest.approx(2 / 3)
    assert (r1["won_amount"], r1["avg_won_amount"], r1["avg_cycle_days"]) == (4000.0, 2000.0, 29.0)
    assert (r1["open_count"], r1["open_amount"]) == (0, 0.0)
    # R2: one loss; open D6 (no close date) and D11 (expected close date already past) both count as open.
    r2 = got["R2"]
    assert (r2["won_count"], r2["lost_count"], r2["win_rate"], r2["won_amount"]) == (0, 1, 0.0, 0.0)
    assert math.isnan(r2["avg_won_amount"]) and math.isnan(r2["avg_cycle_days"])
    assert (r2["open_count"], r2["open_amount"]) == (2, 2500.0)
    # R3: nothing closed (win rate undefined); D9 was created after the window ends, so it is not open yet.
    r3 = got["R3"]
    assert (r3["won_count"], r3["lost_count"]) == (0, 0) and math.isnan(r3["win_rate"])
    assert (r3["open_count"], r3["open_amount"]) == (2, 7000.0)
    # R4 has no deals at all and still appears, with zeros.
    r4 = got["R4"]
    assert (r4["won_count"], r4["lost_count"], r4["won_amount"], r4["open_count"], r4["open_amount"]) == (0, 0, 0, 0, 0)
    assert math.isnan(r4["win_rate"])


@pytest.mark.slow
def test_deals_summary_by_team_and_total(con):
    teams = rows(deals.summary(con, **MARCH, by="team"), "team")
    assert list(teams) == ["EMEA", "NA"]
    emea = teams["EMEA"]
    assert (emea["won_count"], emea["lost_count"], emea["win_rate"]) == (2, 2, 0.5)
    assert (emea["won_amount"], emea["avg_won_amount"], emea["avg_cycle_days"]) == (4000.0, 2000.0, 29.0)
    assert (emea["open_count"], emea["open_amount"]) == (2, 2500.0)
    assert (teams["NA"]["open_count"], teams["NA"]["open_amount"]) == (2, 7000.0)
    total = deals.summary(con, **MARCH, by="all")
    assert list(total.columns) == ["won_count", "lost_count", "win_rate", "won_amount", "avg_won_amount",
                                   "avg_cycle_days", "open_count", "open_amount", "won_without_created_date",
                                   "open_without_amount"]
    assert total.iloc[0].to_dict() == {"won_count": 2, "lost_count": 2, "win_rate": 0.5, "won_amount": 4000.0,
                                       "avg_won_amount": 2000.0, "avg_cycle_days": 29.0, "open_count": 4,
                                       "open_amount": 9500.0, "won_without_created_date": 0,
                                       "open_without_amount": 0}


def test_deals_summary_one_day_window_on_the_edge(con):
    got = rows(deals.summary(con, start=date(2026, 3, 31), end=date(2026, 3, 31)), "rep_id")
    assert (got["R1"]["won_count"], got["R1"]["won_amount"], got["R1"]["avg_cycle_days"]) == (1, 3000.0, 30.0)


@pytest.mark.slow
def test_deals_summary_team_filter_and_bad_grouping(con):
    assert deals.summary(con, **MARCH, teams=("NA",)).rep_id.tolist() == ["R3", "R4"]
    with pytest.raises(ValueError, match="by must be one of"):
        deals.summary(con, **MARCH, by="region")


@pytest.mark.slow
def test_deals_reps_at_quota_by_month_and_team(con):
    got = deals.reps_at_quota(con, start=date(2026, 3, 10), end=date(2026, 4, 2))
    records = [(r["month"], r["team"], r["reps_with_quota"], r["reps_at_quota"], r["share_at_quota"])
               for r in got.to_dict("records")]
    # March: R1 booked 4,000 of 5,000. April: R1 booked 9,000 of 6,000 (D5 closes on April 1st).
    assert records == [(date(2026, 3, 1), "EMEA", 2, 0, 0.0), (date(2026, 3, 1), "NA", 1, 0, 0.0),
                       (date(2026, 4, 1), "EMEA", 2, 1, 0.5), (date(2026, 4, 1), "NA", 1, 0, 0.0)]


def test_deals_summary_totals_match_groups_on_sample(sample_con):
    period = {"start": date(2025, 12, 1), "end": date(2026, 11, 26)}
    by_rep = deals.summary(sample_con, **period, by="rep")
    by_team = deals.summary(sample_con, **period, by="team")
    total = deals.summary(sample_con, **period, by="all").iloc[0]
    for column in ("won_count", "lost_count", "won_amount", "open_count", "open_amount"):
        assert by_rep[column].sum() == pytest.approx(total[column])
        assert by_team[column].sum() == pytest.approx(total[column])
    assert total.win_rate == pytest.approx(total.won_count / (total.won_count + total.lost_count))
    assert 0.2 < total.win_rate < 0.5
    assert total.avg_won_amount == pytest.approx(total.won_amount / total.won_count)


def test_deals_reps_at_quota_share_is_a_fraction_on_sample(sample_con):
    got = deals.reps_at_quota(sample_con, start=date(2025, 12, 1), end=date(2026, 10, 31))
    assert ((got.share_at_quota >= 0) & (got.share_at_quota <= 1)).all()
    # Reps differ in skill: some beat quota and some miss, in most months.
    assert 0.1 < got.reps_at_quota.sum() / got.reps_with_quota.sum() < 0.9
