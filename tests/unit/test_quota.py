"""Quota attainment and pacing: exact numbers on tests/fixtures/quota.sql, invariants on the sample."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from queries import db, deals, quota


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "quota.sql"))
    yield connection
    connection.close()


def rows(frame, *columns):
    return [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
            for row in frame[list(columns)].itertuples(index=False)]


JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.mark.slow
def test_attainment_by_rep_counts_won_deals_by_close_month(con):
    frame = quota.attainment(con, start=JAN, end=date(2026, 3, 31), by="rep")
    assert list(frame.columns) == ["month", "rep_id", "quota", "booked", "attainment"]
    assert rows(frame, "month", "rep_id", "quota", "booked", "attainment") == [
        (JAN, "R1", 1000.0, 900.0, 0.9),     # D2 closes on 31 Jan: January; D3 is lost
        (JAN, "R2", 500.0, 0.0, 0.0),        # a rep with no wins: booked 0
        (JAN, "R3", 2000.0, 1500.0, 0.75),
        (FEB, "R1", 1000.0, 250.0, 0.25),    # D7 is open, not booked
        (FEB, "R2", 500.0, 0.0, 0.0),
        (FEB, "R3", 0.0, 400.0, None),       # zero quota: attainment NULL
        (FEB, "R4", None, 100.0, None),      # no quota: attainment NULL
        (MAR, "R1", None, 700.0, None),      # a month with no quota at all
    ]


@pytest.mark.slow
def test_attainment_by_team_sums_reps(con):
    frame = quota.attainment(con, start=JAN, end=date(2026, 3, 31), by="team")
    assert list(frame.columns) == ["month", "team", "quota", "booked", "attainment"]
    assert rows(frame, "month", "team", "quota", "booked") == [
        (JAN, "EMEA", 1500.0, 900.0), (JAN, "NA", 2000.0, 1500.0),
        (FEB, "EMEA", 1500.0, 250.0), (FEB, "NA", 0.0, 500.0),
        (MAR, "EMEA", None, 700.0),
    ]
    assert frame.attainment.tolist()[:3] == [0.6, 0.75, pytest.approx(250 / 1500)]
    assert frame.attainment.iloc[3:].isna().all()


@pytest.mark.slow
def test_attainment_all_and_team_filter(con):
    total = quota.attainment(con, start=JAN, end=date(2026, 3, 31), by="all")
    assert list(total.columns) == ["month", "quota", "booked", "attainment"]
    assert rows(total, "month", "quota", "booked") == [(JAN, 3500.0, 2400.0), (FEB, 1500.0, 750.0),
                                                      (MAR, None, 700.0)]
    assert total.attainment.iloc[0] == pytest.approx(2400 / 3500)
    north = quota.attainment(con, start=JAN, end=date(2026, 3, 31), by="all", teams=("NA",))
    assert rows(north, "month", "quota", "booked", "attainment") == [(JAN, 2000.0, 1500.0, 0.75),
                                                                    (FEB, 0.0, 500.0, None)]


@pytest.mark.slow
def test_attainment_takes_whole_months_of_the_period(con):
    frame = quota.attainment(con, start=date(2026, 1, 20), end=date(2026, 1, 21), by="all")
    assert rows(frame, "month", "quota", "booked") == [(JAN, 3500.0, 2400.0)]
    assert quota.attainment(con, start=date(2025, 1, 1), end=date(2025, 12, 31)).empty


@pytest.mark.slow
def test_attainment_rejects_unknown_grouping(con):
    with pytest.raises(ValueError, match="by must be"):
        quota.attainment(con, start=JAN, end=MAR, by="region")


@pytest.mark.slow
def test_pacing_mid_month_by_rep(con):
    frame = quota.pacing(con, as_of=date(2026, 1, 20), by="rep")
    assert list(frame.columns) == ["rep_id", "quota", "booked_to_date", "expected_to_date", "projected",
                                   "required_per_day", "days_elapsed", "days_in_month"]
    r1, r2, r3 = (frame.set_index("rep_id").loc[rep] for rep in ("R1", "R2", "R3"))
    assert (r1.quota, r1.booked_to_date) == (1000.0, 600.0)  # D2 closes on the 31st, after as_of
    assert r1.expected_to_date == pytest.approx(1000 * 20 / 31)
    assert r1.projected == pytest.approx(600 / 20 * 31)
    assert r1.required_per_day == pytest.approx(400 / 11)
    assert (r2.booked_to_date, r2.projected, r2.required_per_day) == (0.0, 0.0, pytest.approx(500 / 11))
    assert (r3.booked_to_date, r3.required_per_day) == (1500.0, pytest.approx(500 / 11))
    assert (r1.days_elapsed, r1.days_in_month) == (20, 31)


@pytest.mark.slow
def test_pacing_total_and_last_day_of_month(con):
    total = quota.pacing(con, as_of=date(2026, 1, 20), by="all")
    assert list(total.columns) == ["quota", "booked_to_date", "expected_to_date", "projected", "required_per_day",
                                   "days_elapsed", "days_in_month"]
    assert total.iloc[0].tolist() == [3500.0, 2100.0, pytest.approx(3500 * 20 / 31), pytest.approx(3255.0),
                                      pytest.approx(1400 / 11), 20, 31]
    last = quota.pacing(con, as_of=date(2026, 1, 31), by="rep").set_index("rep_id")
    assert last.booked_to_date.to_dict() == {"R1": 900.0, "R2": 0.0, "R3": 1500.0}
    assert last.expected_to_date.to_dict() == {"R1": 1000.0, "R2": 500.0, "R3": 2000.0}
    assert last.required_per_day.isna().all()  # short of quota with no day left
    assert (last.days_elapsed == 31).all()


@pytest.mark.slow
def test_pacing_missing_and_zero_quota(con):
    feb = quota.pacing(con, as_of=date(2026, 2, 28), by="rep").set_index("rep_id")
    assert feb.loc["R3"].tolist()[:2] == [0.0, 400.0] and feb.loc["R3"].required_per_day == 0.0  # met
    assert math.isnan(feb.loc["R4"].quota) and feb.loc["R4"].booked_to_date == 100.0
    assert math.isnan(feb.loc["R4"].required_per_day) and math.isnan(feb.loc["R4"].expected_to_date)
    march = quota.pacing(con, as_of=date(2026, 3, 10), by="team")
    assert march.team.tolist() == ["EMEA"]
    assert math.isnan(march.quota.iloc[0]) and march.projected.iloc[0] == pytest.approx(700 / 10 * 31)
    assert quota.pacing(con, as_of=date(2026, 1, 20), teams=["Nowhere"]).empty


@pytest.mark.slow
def test_pacing_levels_give_every_grouping_from_one_query(con):
    levels = quota.pacing_levels(con, as_of=date(2026, 1, 20))
    assert list(levels.columns[:4]) == ["level", "grp", "quota", "booked_to_date"]
    # The figures of test_pacing_mid_month_by_rep and test_pacing_total_and_last_day_of_month, per team and in total.
    assert list(zip(levels.level, levels.grp, levels.quota, levels.booked_to_date, strict=True)) == [
        ("all", "all", 3500.0, 2100.0), ("rep", "R1", 1000.0, 600.0), ("rep", "R2", 500.0, 0.0),
        ("rep", "R3", 2000.0, 1500.0), ("team", "EMEA", 1500.0, 600.0), ("team", "NA", 2000.0, 1500.0)]
    by_rep = quota.pacing(con, as_of=date(2026, 1, 20), by="rep")
    assert by_rep.rep_id.tolist() == ["R1", "R2", "R3"] and by_rep.index.tolist() == [0, 1, 2]
    # R4 has no quota in February but a win: a group of its own, and NA's quota is R3's alone.
    feb = quota.pacing_levels(con, as_of=date(2026, 2, 28), teams=["NA"])
    assert list(zip(feb.level, feb.grp, strict=True)) == [("all", "all"), ("rep", "R3"), ("rep", "R4"), ("team", "NA")]
    assert feb.set_index("grp").booked_to_date.to_dict() == {"all": 500.0, "R3": 400.0, "R4": 100.0, "NA": 500.0}
    assert quota.pacing_levels(con, as_of=date(2026, 1, 20), teams=["Nowhere"]).empty


@pytest.mark.slow
def test_at_level_shapes_each_grouping_and_leaves_the_levels_frame_alone(con):
    levels = quota.pacing_levels(con, as_of=date(2026, 1, 20))
    before = levels.copy()
    teams = deals.at_level(levels, "team")
    total = deals.at_level(levels, "all")
    reps = deals.at_level(levels, "rep")
    assert list(teams.columns[:3]) == ["team", "quota", "booked_to_date"] and "level" not in teams.columns
    assert list(zip(teams.team, teams.quota, strict=True)) == [("EMEA", 1500.0), ("NA", 2000.0)]
    assert teams.index.tolist() == [0, 1] and reps.index.tolist() == [0, 1, 2]
    assert list(total.columns[:2]) == ["quota", "booked_to_date"] and total.quota.tolist() == [3500.0]
    assert reps.rep_id.tolist() == ["R1", "R2", "R3"]
    pd.testing.assert_frame_equal(levels, before)  # the page picks several levels from one frame
    with pytest.raises(ValueError, match="by must be one of"):
        deals.at_level(levels, "region")


def test_attainment_sums_over_teams_equal_total_on_sample(sample_con):
    by_team = quota.attainment(sample_con, start=date(2025, 12, 1), end=date(2026, 11, 26), by="team")
    total = quota.attainment(sample_con, start=date(2025, 12, 1), end=date(2026, 11, 26), by="all")
    summed = by_team.groupby("month")[["quota", "booked"]].sum()
    assert summed.quota.tolist() == pytest.approx(total.quota.tolist())
    assert summed.booked.tolist() == pytest.approx(total.booked.tolist())
    assert len(total) == 12 and total.quota.notna().all() and (total.booked > 0).all()


def test_pacing_teams_add_up_on_sample(sample_con):
    teams = quota.pacing(sample_con, as_of=date(2026, 11, 26))
    total = quota.pacing(sample_con, as_of=date(2026, 11, 26), by="all").iloc[0]
    assert sorted(teams.team) == ["APAC", "EMEA", "LATAM", "NA"]
    assert teams.booked_to_date.sum() == pytest.approx(total.booked_to_date)
    assert teams.quota.sum() == pytest.approx(total.quota)
    assert (total.days_elapsed, total.days_in_month) == (26, 30)


def test_month_to_date_compares_with_the_same_day_last_month(con):
    frame = quota.month_to_date(con, as_of=date(2026, 2, 14)).set_index("period")
    assert frame.loc["current"].tolist()[:5] == [FEB, date(2026, 2, 14), 1500.0, 350.0, pytest.approx(350 / 1500)]
    assert frame.loc["previous"].tolist()[:5] == [JAN, date(2026, 1, 14), 3500.0, 1500.0,
                                                  pytest.approx(1500 / 3500)]
    assert frame.loc["current", "attainment_change"] == pytest.approx(350 / 1500 - 1500 / 3500)
    assert math.isnan(frame.loc["previous", "attainment_change"])
    end_of_march = quota.month_to_date(con, as_of=date(2026, 3, 31)).set_index("period")
    assert end_of_march.loc["previous", "through"] == date(2026, 2, 28)  # clamped to February's last day
    assert end_of_march.loc["previous", "booked_to_date"] == 750.0
    assert math.isnan(end_of_march.loc["current", "quota"]) and math.isnan(end_of_march.loc["current",
                                                                                              "attainment_to_date"])
    north = quota.month_to_date(con, as_of=date(2026, 2, 14), teams=["NA"]).set_index("period")
    assert north.loc["current", "booked_to_date"] == 100.0 and math.isnan(north.loc["current", "attainment_to_date"])


def test_pipeline_month_to_date_and_marketing_share(con):
    frame = quota.pipeline_month_to_date(con, as_of=date(2026, 1, 20)).set_index("period")
    assert frame.loc["current", "pipeline_created"] == 600 + 300 + 5000 + 1500 + 9999 + 2000
    assert frame.loc["current", "marketing_sourced"] == 2000.0
    assert frame.loc["current", "marketing_share"] == pytest.approx(2000 / 19399)
    assert frame.loc["previous", "pipeline_created"] == 0.0 and math.isnan(frame.loc["previous", "marketing_share"])
    assert math.isnan(frame.loc["current", "pipeline_change"])  # nothing a month earlier
    feb = quota.pipeline_month_to_date(con, as_of=date(2026, 2, 20)).set_index("period")
    assert feb.loc["current", "pipeline_created"] == 400 + 700 + 100  # D5, D6, D9
    assert feb.loc["current", "pipeline_change"] == pytest.approx(1200 / 19399 - 1)
    assert feb.loc["current", "share_change"] == pytest.approx(0 - 2000 / 19399)
    enterprise = quota.pipeline_month_to_date(con, as_of=date(2026, 1, 20), segments=["Enterprise"])
    assert enterprise.iloc[0][["pipeline_created", "marketing_share"]].tolist() == [14999.0, 0.0]
    north = quota.pipeline_month_to_date(con, as_of=date(2026, 1, 20), teams=["NA"], regions=["NA"])
    assert north.iloc[0].pipeline_created == 1500.0


def test_daily_pacing_cumulates_wins_up_to_as_of(con):
    frame = quota.daily_pacing(con, as_of=date(2026, 1, 20))
    assert list(frame.columns) == ["day", "booked_cumulative", "expected_cumulative"]
    assert len(frame) == 31
    by_day = frame.set_index("day")
    assert by_day.loc[date(2026, 1, 9), "booked_cumulative"] == 0.0
    assert by_day.loc[date(2026, 1, 10), "booked_cumulative"] == 1500.0
    assert by_day.loc[date(2026, 1, 20), "booked_cumulative"] == 2100.0
    assert math.isnan(by_day.loc[date(2026, 1, 21), "booked_cumulative"])
    assert by_day.loc[date(2026, 1, 31), "expected_cumulative"] == pytest.approx(3500.0)
    teams = quota.daily_pacing(con, as_of=date(2026, 1, 20), by="team")
    assert sorted(set(teams.team)) == ["EMEA", "NA"] and len(teams) == 62


@pytest.mark.slow
def test_attainment_by_fiscal_quarter_calendar_year(con):
    frame = quota.attainment_by_fiscal_quarter(con, start=date(2026, 1, 15), end=date(2026, 2, 10), fiscal_start=1)
    assert rows(frame, "quarter", "quarter_start", "team", "quota", "booked") == [
        ("FY26 Q1", JAN, "EMEA", 3000.0, 1850.0), ("FY26 Q1", JAN, "NA", 2000.0, 2000.0)]
    assert frame.attainment.tolist() == pytest.approx([1850 / 3000, 1.0])


def test_attainment_by_fiscal_quarter_february_start_spans_two_quarters(con):
    frame = quota.attainment_by_fiscal_quarter(con, start=date(2026, 1, 15), end=date(2026, 2, 10), fiscal_start=2)
    assert rows(frame, "quarter", "quarter_start", "team", "quota", "booked", "attainment") == [
        ("FY26 Q4", date(2025, 11, 1), "EMEA", 1500.0, 900.0, 0.6),
        ("FY26 Q4", date(2025, 11, 1), "NA", 2000.0, 1500.0, 0.75),
        ("FY27 Q1", FEB, "EMEA", 1500.0, 950.0, pytest.approx(950 / 1500)),
        ("FY27 Q1", FEB, "NA", 0.0, 500.0, None)]


def test_attainment_by_fiscal_quarter_sums_the_months_on_sample(sample_con):
    monthly = quota.attainment(sample_con, start=date(2025, 4, 1), end=date(2026, 9, 30), by="all")
    quarterly = quota.attainment_by_fiscal_quarter(sample_con, start=date(2025, 4, 1), end=date(2026, 9, 30),
                                                   fiscal_start=4, by="all")
    assert len(quarterly) == 6 and quarterly.quarter.tolist()[0] == "FY26 Q1"
    assert quarterly.quota.sum() == pytest.approx(monthly.quota.sum())
    assert quarterly.booked.sum() == pytest.approx(monthly.booked.sum())


def test_attainment_monthly_summary_table_books_every_won_deal_once_on_sample(sample_con):
    # quota.attainment sums derived.rep_month_booked (won revenue per rep and close month); sum the deals instead.
    frame = quota.attainment(sample_con, start=date(2025, 1, 1), end=date(2026, 11, 26), by="rep")
    got = {(row.rep_id, pd.Timestamp(row.month).date()): row.booked for row in frame.itertuples() if row.booked}
    direct = sample_con.execute(
        "SELECT owner_rep_id, CAST(date_trunc('month', close_date) AS DATE), CAST(sum(amount) AS DOUBLE) "
        "FROM deals WHERE stage = 'won' AND close_date BETWEEN DATE '2025-01-01' AND DATE '2026-11-30' "
        "AND owner_rep_id IN (SELECT rep_id FROM reps) GROUP BY ALL").fetchall()
    assert len(direct) > 100 and got == {(rep, month): pytest.approx(booked) for rep, month, booked in direct}
