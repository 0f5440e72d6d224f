"""queries.pipeline: coverage of the remaining quota, this month's weighted projection, open pipeline by stage."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from queries import db, deals, pipeline, quota

AS_OF = date(2026, 3, 20)
PROBABILITIES = {"prospecting": 0.10, "qualification": 0.25, "proposal": 0.50, "negotiation": 0.75}
PROBABILITY_LISTS = {"stages": list(PROBABILITIES), "probabilities": list(PROBABILITIES.values())}
QUERIES = {
    "coverage": {"as_of": AS_OF, "horizon_months": 1, "teams": None, "regions": None, "trailing_months": 12,
                 "total_only": False},
    "weighted_projection": {"as_of": AS_OF, "teams": None, "regions": None, **PROBABILITY_LISTS},
    "open_by_stage": {"as_of": AS_OF, "teams": None, "regions": None, **PROBABILITY_LISTS},
}


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "deals.sql"))
    yield connection
    connection.close()


def rows(frame, key):
    return {record[key]: record for record in frame.to_dict("records")}


def test_pipeline_every_sql_file_has_a_test_entry():
    assert set(QUERIES) == {p.stem for p in (db.SQL_DIR / "pipeline").glob("*.sql")}


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.slow
def test_pipeline_every_query_runs(con, name):
    assert not db.query(con, f"pipeline/{name}", QUERIES[name]).empty


@pytest.mark.slow
def test_pipeline_coverage_this_month_by_rep(con):
    got = rows(pipeline.coverage(con, as_of=AS_OF, by="rep"), "rep_id")
    # R4 left, has no quota and no pipeline: not listed.
    assert list(got) == ["R1", "R2", "R3"]
    # R1: quota 5,000 − booked 1,000 (D1 on the 1st) = 4,000 remaining; open to month end: D2 (closes 31 March,
    # still open on the 20th) 3,000. D5 closes 1 April: outside a one-month horizon.
    r1 = got["R1"]
    assert (r1["open_pipeline"], r1["remaining_quota"], r1["coverage"]) == (3000.0, 4000.0, 0.75)
    # Trailing year to the 20th: won D1, D4, lost D3 → win rate 2/3, required coverage 1.5.
    assert r1["required_coverage"] == pytest.approx(1.5)
    # R2: D6 has no close date and D11's date has passed: neither counts; D7 lost on the 20th: win rate 0.
    r2 = got["R2"]
    assert (r2["open_pipeline"], r2["remaining_quota"], r2["coverage"]) == (0.0, 5000.0, 0.0)
    assert math.isnan(r2["required_coverage"])
    # R3: D10 (25 March) counts, D8 (10 April) does not; no closed deals: no required coverage.
    r3 = got["R3"]
    assert (r3["open_pipeline"], r3["remaining_quota"], r3["coverage"]) == (1000.0, 8000.0, 0.125)
    assert math.isnan(r3["required_coverage"])


@pytest.mark.slow
def test_pipeline_coverage_two_month_horizon_and_teams(con):
    got = rows(pipeline.coverage(con, as_of=AS_OF, horizon_months=2, by="rep"), "rep_id")
    assert (got["R1"]["open_pipeline"], got["R1"]["remaining_quota"], got["R1"]["coverage"]) == (12000.0, 10000.0, 1.2)
    assert (got["R3"]["open_pipeline"], got["R3"]["remaining_quota"]) == (7000.0, 18000.0)
    assert got["R3"]["coverage"] == pytest.approx(7 / 18)
    teams = rows(pipeline.coverage(con, as_of=AS_OF, by="team"), "team")
    assert (teams["EMEA"]["open_pipeline"], teams["EMEA"]["remaining_quota"]) == (3000.0, 9000.0)
    assert teams["EMEA"]["coverage"] == pytest.approx(1 / 3)
    assert teams["EMEA"]["required_coverage"] == pytest.approx(2.0)
    assert list(pipeline.coverage(con, as_of=AS_OF, by="team", teams=["NA"]).team) == ["NA"]
    assert list(pipeline.coverage(con, as_of=AS_OF, by="all").columns)[:4] == [
        "open_pipeline", "remaining_quota", "coverage", "required_coverage"]


@pytest.mark.slow
def test_pipeline_coverage_when_quota_is_met(con):
    # On 1 April R1 has booked D5 (9,000) against 6,000: nothing remains, coverage is undefined, not infinite.
    got = rows(pipeline.coverage(con, as_of=date(2026, 4, 1), by="rep"), "rep_id")
    assert got["R1"]["remaining_quota"] == 0.0 and math.isnan(got["R1"]["coverage"])


@pytest.mark.slow
def test_pipeline_weighted_projection_uses_the_given_probabilities(con):
    got = rows(pipeline.weighted_projection(con, as_of=AS_OF, stage_probabilities=PROBABILITIES, by="rep"), "rep_id")
    # R1: booked 1,000; D2 closed (won) after the 20th, its stage then is unknown: mean probability 0.4 → 1,200.
    assert (got["R1"]["booked_to_date"], got["R1"]["open_this_month"], got["R1"]["weighted_pipeline"],
            got["R1"]["projected_weighted"]) == (1000.0, 3000.0, 1200.0, 2200.0)
    # R2 has a quota and nothing else; R3: D10 in proposal (0.5 × 1,000).
    assert got["R2"]["projected_weighted"] == 0.0
    assert (got["R3"]["weighted_pipeline"], got["R3"]["projected_weighted"]) == (500.0, 500.0)
    assert "R4" not in got
    assert (got["R1"]["quota"], got["R1"]["attainment_to_date"]) == (5000.0, 0.2)
    sure = rows(pipeline.weighted_projection(con, as_of=AS_OF, stage_probabilities=(("proposal", 1.0),), by="team"),
                "team")
    assert (sure["EMEA"]["weighted_pipeline"], sure["NA"]["weighted_pipeline"]) == (3000.0, 1000.0)


@pytest.mark.slow
def test_pipeline_levels_give_every_grouping_from_one_query(con):
    cover = pipeline.coverage_levels(con, as_of=AS_OF)
    # R4 left with nothing this month: not a row of its own, but still a member of NA (its team row is there).
    assert list(zip(cover.level, cover.grp, strict=True)) == [
        ("all", "all"), ("rep", "R1"), ("rep", "R2"), ("rep", "R3"), ("team", "EMEA"), ("team", "NA")]
    # The rep figures of test_pipeline_coverage_this_month_by_rep, summed per team and in total.
    assert cover.open_pipeline.tolist() == [4000.0, 3000.0, 0.0, 1000.0, 3000.0, 1000.0]
    assert cover.remaining_quota.tolist() == [17000.0, 4000.0, 5000.0, 8000.0, 9000.0, 8000.0]
    rep_rows = deals.at_level(cover, "rep")
    assert list(rep_rows.columns[:2]) == ["rep_id", "open_pipeline"] and rep_rows.index.tolist() == [0, 1, 2]
    assert "grp" not in deals.at_level(cover, "all").columns
    weighted = pipeline.weighted_projection_levels(con, as_of=AS_OF, stage_probabilities=PROBABILITIES)
    assert list(zip(weighted.level, weighted.grp, weighted.weighted_pipeline, strict=True)) == [
        ("all", "all", 1700.0), ("rep", "R1", 1200.0), ("rep", "R2", 0.0), ("rep", "R3", 500.0),
        ("team", "EMEA", 1200.0), ("team", "NA", 500.0)]
    only_na = pipeline.coverage_levels(con, as_of=AS_OF, teams=["NA"])
    assert list(zip(only_na.level, only_na.grp, strict=True)) == [("all", "all"), ("rep", "R3"), ("team", "NA")]
    assert pipeline.coverage_levels(con, as_of=AS_OF, teams=["Nowhere"]).empty
    with pytest.raises(ValueError, match="by must be one of"):
        deals.at_level(cover, "region")


def total_from_levels(con, **kw):
    return deals.at_level(pipeline.coverage_levels(con, **kw), "all")


@pytest.mark.parametrize("as_of", [AS_OF, date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1), date(2025, 6, 1)])
@pytest.mark.parametrize("horizon_months", [1, 2])
@pytest.mark.parametrize("teams", [None, ["NA"], ["EMEA", "NA"], ["Nowhere"]])
@pytest.mark.slow
def test_pipeline_coverage_total_is_the_all_row_of_every_level(con, as_of, horizon_months, teams):
    got = pipeline.coverage(con, as_of=as_of, horizon_months=horizon_months, by="all", teams=teams)
    want = total_from_levels(con, as_of=as_of, horizon_months=horizon_months, teams=teams)
    pd.testing.assert_frame_equal(got, want)
    assert len(got) == (0 if teams == ["Nowhere"] else 1)


@pytest.mark.slow
def test_pipeline_coverage_total_by_hand(con):
    # test_pipeline_levels_give_every_grouping_from_one_query's total: R1 3,000 + R3 1,000 open against 17,000.
    total = pipeline.coverage(con, as_of=AS_OF, by="all").iloc[0]
    assert (total.open_pipeline, total.remaining_quota, total.quota, total.booked_to_date) == (
        4000.0, 17000.0, 18000.0, 1000.0)
    # Trailing year to the 20th: won D1, D4; lost D3, D7 → win rate 1/2, required coverage 2.
    assert (total.win_rate, total.required_coverage) == (0.5, 2.0)
    # A deal whose owner is not in reps, or without a close date, counts at no level.
    con.execute("INSERT INTO deals (deal_id, lead_id, account, owner_rep_id, product, segment, created_at, "
                "close_date, stage, amount, loss_reason) VALUES "
                "('D12', NULL, 'Lark', 'R9', 'Core', 'SMB', '2026-03-01 09:00', '2026-03-25', 'proposal', 700, NULL), "
                "('D13', NULL, 'Moss', 'R9', 'Core', 'SMB', '2026-03-01 09:00', '2026-03-02', 'won', 800, NULL), "
                "('D14', NULL, 'Nut', 'R1', 'Core', 'SMB', '2026-03-01 09:00', NULL, 'proposal', 900, NULL)")
    with db.transaction(con) as cur:
        db.bump_data_version(cur)
    after = pipeline.coverage(con, as_of=AS_OF, by="all")
    assert after.iloc[0].to_dict() == total.to_dict()
    pd.testing.assert_frame_equal(after, total_from_levels(con, as_of=AS_OF))


@pytest.mark.parametrize("as_of", [date(2026, 11, 26), date(2026, 2, 28), date(2025, 12, 31)])
@pytest.mark.parametrize("teams", [None, ["EMEA"]])
def test_pipeline_coverage_total_agrees_on_sample(sample_either, as_of, teams):
    got = pipeline.coverage(sample_either, as_of=as_of, horizon_months=3, by="all", teams=teams)
    pd.testing.assert_frame_equal(got, total_from_levels(sample_either, as_of=as_of, horizon_months=3, teams=teams))
    assert len(got) == 1 and got.open_pipeline.iloc[0] > 0


def test_pipeline_weighted_projection_refuses_bad_probabilities(con):
    with pytest.raises(ValueError, match="between 0 and 1"):
        pipeline.weighted_projection(con, as_of=AS_OF, stage_probabilities={"proposal": 1.5})
    with pytest.raises(ValueError, match="not an open stage"):
        pipeline.weighted_projection(con, as_of=AS_OF, stage_probabilities={"won; DROP TABLE deals": 0.5})


@pytest.mark.slow
def test_pipeline_open_by_stage_and_close_month(con):
    got = pipeline.open_by_stage(con, as_of=AS_OF, stage_probabilities=PROBABILITIES)
    records = [(r["close_month"], r["stage"], r["deal_count"], r["open_amount"], r["weighted_amount"])
               for r in got.to_dict("records")]
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    assert records == [
        (march, "closed since", 1, 3000.0, 1200.0), (march, "proposal", 1, 1000.0, 500.0),
        (march, "prospecting", 1, 500.0, 50.0), (april, "closed since", 1, 9000.0, 3600.0),
        (april, "negotiation", 1, 6000.0, 4500.0), (None, "proposal", 1, 2000.0, 1000.0)]


def test_pipeline_projection_agrees_with_quota_pacing_on_sample(sample_con):
    as_of = date(2026, 11, 26)
    weighted = pipeline.weighted_projection(sample_con, as_of=as_of, stage_probabilities=PROBABILITIES)
    weighted = weighted.set_index("team")
    pace = quota.pacing(sample_con, as_of=as_of).set_index("team")
    assert weighted.booked_to_date.to_dict() == pytest.approx(pace.booked_to_date.to_dict())
    assert (weighted.projected_weighted >= weighted.booked_to_date).all()
    assert (weighted.weighted_pipeline <= weighted.open_this_month * 0.75 + 1e-6).all()


def test_pipeline_coverage_groups_add_up_on_sample(sample_con):
    as_of = date(2026, 11, 26)
    by_team = pipeline.coverage(sample_con, as_of=as_of, horizon_months=3, by="team")
    total = pipeline.coverage(sample_con, as_of=as_of, horizon_months=3, by="all").iloc[0]
    assert by_team.open_pipeline.sum() == pytest.approx(total.open_pipeline)
    assert total.coverage == pytest.approx(total.open_pipeline / total.remaining_quota)
    assert 2 < total.required_coverage < 5
    stages = pipeline.open_by_stage(sample_con, as_of=as_of, stage_probabilities=PROBABILITIES)
    assert stages.open_amount.sum() >= total.open_pipeline
