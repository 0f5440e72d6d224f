"""Unknown stays unknown: exact numbers on tests/fixtures/unknowns.sql (April 2026, as of the 15th), where reps, leads,
deals, campaigns and delivery lack the values schema 3 lets an export leave out. A missing team, region, segment,
channel or industry is the group Unassigned (and a filter on it keeps those rows); a figure that needs a missing value
leaves the row out and says how many it left out. Each query answers the same with its summary tables built and
inlined (a read-only connection)."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest

from queries import (
    attribution,
    campaigns,
    common,
    db,
    deals,
    funnel,
    health,
    meeting,
    pipeline,
    plan,
    quota,
    scorecard,
    segments,
)

APRIL = {"start": date(2026, 4, 1), "end": date(2026, 4, 30)}
AS_OF = date(2026, 4, 15)
PROBABILITIES = (("prospecting", 0.1), ("qualification", 0.2), ("proposal", 0.4), ("negotiation", 0.6))
U = common.UNASSIGNED


@pytest.fixture(params=["built", "inlined"])
def con(request, make_db):
    path = make_db("base.sql", "unknowns.sql")
    connection = db.connect(path, read_only=request.param == "inlined")
    yield connection
    connection.close()


def counts(frame: pd.DataFrame) -> dict[str, object]:
    return {row.stage: (None if pd.isna(row.count) else int(row.count)) for row in frame.itertuples()}


def test_unassigned_is_the_one_label_every_sql_file_gives_a_missing_value():
    # The label is a literal in the SQL (summary tables take no parameters): each spelling must be common.UNASSIGNED.
    spellings = {}
    for path in db.SQL_DIR.rglob("*.sql"):
        # A campaign's status 'unknown' is a status of its own (the dates it has do not say which), not a group label.
        text = "\n".join(line for line in path.read_text().splitlines() if not line.rstrip().endswith("AS status,"))
        for literal in re.findall(r"'([^']*)'", text):
            if literal.strip("()").lower() in ("unassigned", "unknown"):
                spellings.setdefault(literal, []).append(path.stem)
    assert set(spellings) == {U}, spellings


@pytest.mark.slow
def test_dimension_values_offer_unassigned_last_where_a_row_has_no_value(con):
    values = common.dimension_values(con)
    by_kind = {kind: group.value.tolist() for kind, group in values.groupby("kind")}
    # R5, R6 and N2, N5 have no region; R5, R7 no team; leads N2, N3, N5 and deals U2, U3, U5, U7 no segment.
    assert by_kind == {"region": ["EMEA", "NA", U], "segment": ["Enterprise", "SMB", U], "team": ["EMEA", "NA", U]}


@pytest.mark.slow
def test_dimension_values_offer_no_unassigned_when_every_row_has_a_value(make_db):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    assert U not in set(common.dimension_values(con).value)
    con.close()


# --- the funnel ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_cohort_funnel_leaves_leads_without_a_created_date_out_and_counts_them(con):
    frame = funnel.stages(con, **APRIL)
    # Created in April: N2, N3, N4. N1 and N5 have no created date: in no cohort. N2 and N3 became MQLs and made
    # deals (won U2 and U8); N2 never recorded a SAL or SQL, but its deal counts for both.
    assert counts(frame) == {"impressions": 5_500, "leads": 3, "mql": 2, "sal": 2, "sql": 2, "opportunity": 2,
                             "won": 2}
    # Impressions: C7 on 4 April 1,000, C8 4,000, C1 500; C7's 3 April reported none and is left out.
    assert set(frame.days_without_impressions) == {1} and set(frame.campaign_days) == {4}
    assert set(frame.leads_without_created_date) == {2}


@pytest.mark.slow
def test_period_funnel_counts_the_events_of_leads_without_a_created_date(con):
    frame = funnel.stages(con, **APRIL, mode="period")
    # N1 (no created date) became an MQL on 3 April and an SQL on the 5th: both count, though N1 is no April lead.
    assert counts(frame) == {"impressions": 5_500, "leads": 3, "mql": 3, "sal": 0, "sql": 2, "opportunity": 2,
                             "won": 2}
    assert set(frame.leads_without_created_date) == {2}


@pytest.mark.parametrize("mode", ["cohort", "period"])
@pytest.mark.slow
def test_funnel_groups_and_filters_missing_dimensions_as_unassigned(con, mode):
    by_region = {name: counts(group) for name, group in funnel.stages(con, **APRIL, mode=mode, by="region")
                 .groupby("region")}
    assert set(by_region) == {"EMEA", "NA", U}
    assert by_region[U]["leads"] == 1 and by_region[U]["impressions"] is None  # N2; no impressions by region
    by_channel = funnel.stages(con, **APRIL, mode=mode, by="channel")
    unassigned = by_channel[by_channel.channel == U]
    # N2 has no channel; C7, its campaign, has none either: its 1,000 impressions, and one day without.
    assert counts(unassigned)["leads"] == 1 and counts(unassigned)["impressions"] == 1_000
    assert set(unassigned.days_without_impressions) == {1} and set(unassigned.campaign_days) == {2}
    assert set(by_channel[by_channel.channel == "email"].days_without_impressions) == {0}
    only = funnel.stages(con, **APRIL, mode=mode, regions=[U])
    assert counts(only)["leads"] == 1 and counts(only)["mql"] == 1  # N2
    assert set(only.leads_without_created_date) == {1}  # N5: no region, no created date


@pytest.mark.slow
def test_stage_days_leave_leads_without_a_created_date_out_and_count_them(con):
    frame = funnel.stage_days(con, **APRIL).set_index("from_stage")
    # lead → MQL: N2 3 h, N3 24 h (N1's MQL has no created date to measure from).
    assert frame.loc["lead", "leads"] == 2 and frame.loc["lead", "median_days"] == pytest.approx(13.5 / 24)
    # opportunity → won: N2 2 → 10 April (its first deal with a date, U5), N3 6 → 12 April.
    assert frame.loc["opportunity", "median_days"] == pytest.approx(7.0)
    assert set(frame.leads_without_created_date) == {2}


@pytest.mark.slow
def test_deal_stages_leave_deals_without_a_created_date_out_and_count_them(con):
    frame = funnel.deal_stages(con, **APRIL)
    # Created in April: U5, U7, U8 (U8 won). U2 and U4 have no created date: in no period's new deals.
    assert counts(frame) == {"opportunity": 3, "won": 1} and set(frame.deals_without_created_date) == {2}
    # Won in April: U1, U8 and U2, which has no created date but a close date.
    assert counts(funnel.deal_stages(con, **APRIL, mode="period")) == {"opportunity": 3, "won": 3}
    # R5 (no team, no region) owns U2, U3, U4; R7 (no team) U6 and U8; U3 and U5, U7 have no segment.
    no_team = funnel.deal_stages(con, **APRIL, teams=[U])
    assert counts(no_team) == {"opportunity": 1, "won": 1} and set(no_team.deals_without_created_date) == {2}
    assert counts(funnel.deal_stages(con, **APRIL, regions=[U])) == {"opportunity": 1, "won": 0}  # U5 (R6)
    assert counts(funnel.deal_stages(con, **APRIL, segments=[U])) == {"opportunity": 2, "won": 0}  # U5, U7


@pytest.mark.slow
def test_sla_groups_unknown_teams_and_regions_as_unassigned_and_averages_known_attempts(con):
    by_team = funnel.sla(con, **APRIL, by="team").set_index("team")
    # N1 (R1, EMEA); N2 (R5, no team) and N3 (no owner) are Unassigned.
    assert by_team.mqls.to_dict() == {"EMEA": 1, U: 2}
    # Attempts: N3 3, N2 not recorded (left out of the mean, and counted).
    assert by_team.loc[U, "avg_contact_attempts"] == 3.0 and by_team.loc[U, "mqls_without_contact_attempts"] == 1
    assert by_team.loc["EMEA", "mqls_without_contact_attempts"] == 0
    by_region = funnel.sla(con, **APRIL, by="region").set_index("region")
    assert by_region.mqls.to_dict() == {"EMEA": 1, "NA": 1, U: 1}
    total = funnel.sla(con, **APRIL, by="all", teams=[U]).iloc[0]
    assert (total.mqls, total.avg_contact_attempts, total.mqls_without_contact_attempts) == (2, 3.0, 1)
    by_rep = funnel.sla(con, **APRIL, by="rep")
    assert by_rep.rep_id.isna().sum() == 1  # N3 has no owner rep: a rep id stays an id, not a label


@pytest.mark.slow
def test_mql_delivery_and_buckets_filter_on_unassigned(con):
    delivery = funnel.mql_delivery(con, **APRIL, regions=[U])
    assert delivery.mqls.tolist() == [1]  # N2
    buckets = funnel.response_buckets(con, **APRIL, teams=[U]).set_index("bucket")
    assert buckets.loc["< 1 h", "leads"] == 0 and buckets.loc["1–4 h", "leads"] == 2  # N2 1 h, N3 2 h


# --- segments -----------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_segments_slice_missing_values_as_unassigned_and_count_what_they_leave_out(con):
    frame = segments.performance(con, **APRIL)
    assert list(zip(frame.region, frame.segment, strict=True)) == [(U, U), ("NA", U), ("EMEA", "SMB")]
    rows = frame.set_index(["region", "segment"])
    # N2: won U2 (1,000), which has no created date: no cycle to average, and counted.
    n2 = rows.loc[(U, U)]
    assert (n2.leads, n2.won_deals, n2.avg_won_amount, n2.won_without_created_date) == (1, 1, 1000.0, 1)
    assert math.isnan(n2.avg_cycle_days)
    # N3: won U8 in 6 days.
    assert (rows.loc[("NA", U), "avg_cycle_days"], rows.loc[("NA", U), "won_without_created_date"]) == (6.0, 0)
    assert set(frame.leads_without_created_date) == {2}  # N1, N5
    by_industry = segments.performance(con, **APRIL, dims=("industry",)).set_index("industry")
    assert by_industry.leads.to_dict() == {U: 1, "Retail": 1, "Software": 1}
    unassigned = segments.performance(con, **APRIL, regions=[U])
    assert unassigned.leads.tolist() == [1] and unassigned.leads_without_created_date.tolist() == [1]


@pytest.mark.slow
def test_segments_from_deals_alone_slice_missing_values_as_unassigned_and_count_what_they_leave_out(con):
    frame = segments.deal_performance(con, **APRIL)
    # Closed in April: U2 won 1,000 (R5: no region; no segment, no created date), U8 won 800 in 6 days and U6 lost
    # without an amount (R7, NA, SMB), U1 won 600 in 35 days (R1, EMEA, SMB).
    assert list(zip(frame.region, frame.segment, strict=True)) == [(U, U), ("NA", "SMB"), ("EMEA", "SMB")]
    rows = frame.set_index(["region", "segment"])
    assert rows.won_without_created_date.tolist() == [1, 0, 0]
    assert math.isnan(rows.loc[(U, U), "avg_cycle_days"]) and rows.loc[("NA", "SMB"), "avg_cycle_days"] == 6.0
    assert rows.loc[("NA", "SMB"), "win_rate"] == 0.5  # U6 counts as lost, amount or not
    assert segments.deal_performance(con, **APRIL, regions=[U]).won_amount.tolist() == [1000.0]


@pytest.mark.slow
def test_segments_cell_detail_finds_the_leads_behind_an_unassigned_slice(con):
    cell = segments.cell_detail(con, **APRIL, region=U, segment=U)
    assert cell.lead_id.tolist() == ["N2", "N2"] and cell.deal_id.tolist() == ["U2", "U5"]
    assert cell.industry.tolist() == [U, U] and cell.channel.tolist() == [U, U]
    assert math.isnan(cell.cycle_days.iloc[0]) and math.isnan(cell.amount.iloc[1])
    assert segments.cell_detail(con, **APRIL, industry=U).lead_id.unique().tolist() == ["N2"]


# --- quota, pipeline and deals (the Quota & pipeline page) ---------------------------------------------------------
# April quotas: R1 1,000, R3 2,000, R5 3,000, R6 500, R7 400. Won by the 15th: U1 600 (R1), U2 1,000 (R5), U8 800
# (R7); U6 (R7) lost. Teams: EMEA = R1, R6; NA = R3; Unassigned = R5, R7. Regions: NA = R3, R7; Unassigned = R5, R6.

@pytest.mark.slow
def test_pacing_groups_reps_without_a_team_as_unassigned(con):
    teams = deals.at_level(quota.pacing_levels(con, as_of=AS_OF), "team").set_index("team")
    assert teams[["quota", "booked_to_date"]].to_dict("index") == {
        "EMEA": {"quota": 1500.0, "booked_to_date": 600.0}, "NA": {"quota": 2000.0, "booked_to_date": 0.0},
        U: {"quota": 3400.0, "booked_to_date": 1800.0}}
    only = deals.at_level(quota.pacing_levels(con, as_of=AS_OF, teams=[U]), "rep")
    assert only.rep_id.tolist() == ["R5", "R7"]


@pytest.mark.parametrize(("regions", "reps", "quota_total", "booked"), [
    (["NA"], ["R3", "R7"], 2400.0, 800.0),
    ([U], ["R5", "R6"], 3500.0, 1000.0),
    (None, ["R1", "R3", "R5", "R6", "R7"], 6900.0, 2400.0),
])
@pytest.mark.slow
def test_quota_figures_apply_the_region_as_the_reps_region(con, regions, reps, quota_total, booked):
    levels = quota.pacing_levels(con, as_of=AS_OF, regions=regions)
    assert deals.at_level(levels, "rep").rep_id.tolist() == reps
    total = deals.at_level(levels, "all").iloc[0]
    assert (total.quota, total.booked_to_date) == (quota_total, booked)
    history = quota.attainment(con, **APRIL, by="all", regions=regions)
    assert (history.quota.tolist(), history.booked.tolist()) == ([quota_total], [booked])
    quarter = quota.attainment_by_fiscal_quarter(con, **APRIL, fiscal_start=1, by="all", regions=regions)
    assert quarter.booked.tolist() == [booked]
    cover = pipeline.coverage_levels(con, as_of=AS_OF, regions=regions)
    assert deals.at_level(cover, "all").quota.tolist() == [quota_total]
    weighted = pipeline.weighted_projection_levels(con, as_of=AS_OF, stage_probabilities=PROBABILITIES,
                                                   regions=regions)
    assert deals.at_level(weighted, "all").booked_to_date.tolist() == [booked]
    summary = deals.summary(con, **APRIL, by="all", regions=regions)
    assert summary.won_amount.tolist() == [booked]
    assert quota.month_to_date(con, as_of=AS_OF, regions=regions).booked_to_date.iloc[0] == booked
    daily = quota.daily_pacing(con, as_of=AS_OF, regions=regions)
    assert daily.booked_cumulative.max() == booked


@pytest.mark.slow
def test_reps_at_quota_counts_reps_without_a_team_as_unassigned(con):
    frame = deals.reps_at_quota(con, **APRIL).set_index("team")
    # Unassigned: R5 booked 1,000 of 3,000; R7 800 of 400.
    assert frame[["reps_with_quota", "reps_at_quota"]].to_dict("index") == {
        "EMEA": {"reps_with_quota": 2, "reps_at_quota": 0}, "NA": {"reps_with_quota": 1, "reps_at_quota": 0},
        U: {"reps_with_quota": 2, "reps_at_quota": 1}}
    assert deals.reps_at_quota(con, **APRIL, regions=[U]).reps_with_quota.tolist() == [1, 1]  # R6 EMEA, R5


@pytest.mark.slow
def test_coverage_leaves_open_deals_without_an_amount_out_and_counts_them(con):
    levels = pipeline.coverage_levels(con, as_of=AS_OF)
    total = deals.at_level(levels, "all").iloc[0]
    # Open on the 15th and due by the month's end: U3 (no amount), U4 2,000 (no created date: open all the same),
    # U5 (no amount). U7 closes in May. Remaining quota 6,900 − 2,400.
    assert (total.open_pipeline, total.deals_without_amount, total.remaining_quota) == (2000.0, 2, 4500.0)
    assert total.open_deals == 3  # with an amount or not: "2 open deals have no amount: … counts the other 1"
    assert total.coverage == pytest.approx(2000 / 4500)
    # Win rate by count (3 won, 1 lost), the lost deal without an amount included.
    assert total.win_rate == 0.75
    teams = deals.at_level(levels, "team").set_index("team")
    assert teams.deals_without_amount.to_dict() == {"EMEA": 1, "NA": 0, U: 1}
    assert teams.loc[U, "open_pipeline"] == 2000.0
    # The total alone (the planning meeting's) is summed another way, to the same row.
    alone = pipeline.coverage(con, as_of=AS_OF, by="all", regions=[U]).iloc[0]
    grouped = deals.at_level(pipeline.coverage_levels(con, as_of=AS_OF, regions=[U]), "all").iloc[0]
    assert alone.to_dict() == grouped.to_dict()
    assert (alone.open_pipeline, alone.deals_without_amount, alone.remaining_quota) == (2000.0, 2, 2500.0)
    two_months = deals.at_level(pipeline.coverage_levels(con, as_of=AS_OF, horizon_months=2), "all").iloc[0]
    assert (two_months.open_pipeline, two_months.deals_without_amount) == (3500.0, 2)  # + U7 1,500
    assert two_months.open_deals == 4


@pytest.mark.slow
def test_weighted_projection_leaves_open_deals_without_an_amount_out_and_counts_them(con):
    levels = pipeline.weighted_projection_levels(con, as_of=AS_OF, stage_probabilities=PROBABILITIES)
    total = deals.at_level(levels, "all").iloc[0]
    # Only U4 (negotiation, 2,000) has an amount among this month's open deals.
    assert (total.open_this_month, total.weighted_pipeline, total.deals_without_amount) == (2000.0, 1200.0, 2)
    assert total.open_deals == 3
    assert total.projected_weighted == 2400.0 + 1200.0
    reps = deals.at_level(levels, "rep").set_index("rep_id")
    assert reps.deals_without_amount.to_dict() == {"R1": 0, "R3": 0, "R5": 1, "R6": 1, "R7": 0}


@pytest.mark.slow
def test_open_by_stage_counts_every_open_deal_and_sums_the_amounts_it_has(con):
    frame = pipeline.open_by_stage(con, as_of=AS_OF, stage_probabilities=PROBABILITIES)
    got = {(str(row.close_month)[:7], row.stage): (row.deal_count, row.open_amount, row.deals_without_amount)
           for row in frame.itertuples()}
    assert got == {("2026-04", "negotiation"): (1, 2000.0, 0), ("2026-04", "proposal"): (1, 0.0, 1),
                   ("2026-04", "qualification"): (1, 0.0, 1), ("2026-05", "prospecting"): (1, 1500.0, 0)}
    unassigned = pipeline.open_by_stage(con, as_of=AS_OF, stage_probabilities=PROBABILITIES, regions=[U])
    assert unassigned.deal_count.sum() == 3 and unassigned.deals_without_amount.sum() == 2  # U3, U4 (R5); U5 (R6)


@pytest.mark.slow
def test_deal_summary_counts_deals_without_an_amount_or_a_created_date(con):
    frame = deals.summary(con, **APRIL, by="team").set_index("team")
    unassigned = frame.loc[U]
    # Won U2 (no created date: no cycle) and U8 (6 days); lost U6; open U3 (no amount) and U4 2,000.
    assert unassigned[["won_count", "lost_count", "won_amount", "avg_cycle_days", "won_without_created_date",
                       "open_count", "open_amount", "open_without_amount"]].tolist() == [
        2, 1, 1800.0, 6.0, 1, 2, 2000.0, 1]
    emea = frame.loc["EMEA"]  # won U1 (35 days); open U5 (no amount) and U7 1,500
    assert emea[["avg_cycle_days", "won_without_created_date", "open_count", "open_amount",
                 "open_without_amount"]].tolist() == [35.0, 0, 2, 1500.0, 1]


@pytest.mark.slow
def test_pipeline_created_counts_deals_without_an_amount_or_a_created_date(con):
    frame = quota.pipeline_month_to_date(con, as_of=AS_OF).set_index("period")
    # 1–15 April: U5 (no amount), U7 1,500, U8 800 (from lead N3: marketing-sourced). 1–15 March: U1 600, U3 (no
    # amount). U2 and U4 have no created date: in neither period.
    assert frame.loc["current", ["pipeline_created", "marketing_sourced", "deals_without_amount"]].tolist() == [
        2300.0, 800.0, 1]
    assert frame.loc["previous", ["pipeline_created", "deals_without_amount"]].tolist() == [600.0, 1]
    assert frame.deals_created.tolist() == [3, 2]  # with an amount or not
    assert frame.deals_without_created_date.tolist() == [2, 2]
    no_segment = quota.pipeline_month_to_date(con, as_of=AS_OF, segments=[U]).set_index("period")
    # No segment: U2, U3, U5, U7.
    assert no_segment.pipeline_created.tolist() == [1500.0, 0.0]
    assert no_segment.deals_without_amount.tolist() == [1, 1] and no_segment.deals_without_created_date.tolist() == [
        1, 1]
    no_region = quota.pipeline_month_to_date(con, as_of=AS_OF, regions=[U])
    assert no_region.deals_without_created_date.tolist() == [2, 2]  # U2, U4: R5


# --- campaigns and attribution ------------------------------------------------------------------------------------
# C7 has no channel, objective, dates or budget; C8 no end date or budget. April delivery: C7 3 April 100 (nothing
# reported), 4 April 50 (1,000 impressions, 20 clicks); C8 5 April 200 (4,000 impressions, clicks not reported);
# C1 6 April 10 (500, 25). N2 came from C7, N4 from C8, N1 (no created date) from C1; N2 and N3 were touched by C7.

@pytest.mark.slow
def test_campaign_channels_count_campaigns_without_one_as_unassigned(con):
    frame = campaigns.channels(con)
    assert list(zip(frame.channel, frame.campaigns, strict=True)) == [
        ("content", 1), ("display", 1), ("email", 1), ("search", 1), (U, 1)]


@pytest.mark.slow
def test_campaign_plan_status_is_unknown_when_the_dates_do_not_say(con):
    frame = campaigns.plan(con, **APRIL, as_of=AS_OF).set_index("campaign_id")
    assert frame.status.to_dict() == {"C8": "unknown", "C2": "running", "C1": "running", "C3": "running",
                                      "C7": "unknown"}
    c7 = frame.loc["C7"]
    assert c7.channel == U and c7.spend_to_date == 150.0 and math.isnan(c7.budget) and math.isnan(c7.budget_used)
    assert math.isnan(frame.loc["C8", "budget_used"])
    assert campaigns.plan(con, **APRIL, as_of=AS_OF, status=["unknown"]).campaign_id.tolist() == ["C8", "C7"]
    assert campaigns.plan(con, **APRIL, as_of=AS_OF, channels=[U]).campaign_id.tolist() == ["C7"]
    # Without dates C7 may have run in January; C8 started in April, after January.
    january = campaigns.plan(con, start=date(2026, 1, 1), end=date(2026, 1, 31), as_of=AS_OF)
    assert january.campaign_id.tolist() == ["C3", "C7"]
    # Ended is known from an end date alone, planned from a start date alone.
    later = campaigns.plan(con, start=date(2026, 4, 1), end=date(2026, 12, 31), as_of=date(2026, 3, 1))
    assert later.set_index("campaign_id").loc["C8", "status"] == "planned"


@pytest.mark.slow
def test_campaign_performance_uses_the_days_that_report_impressions_and_clicks(con):
    frame = campaigns.performance(con, **APRIL).set_index("campaign_id")
    c7, c8, c1 = frame.loc["C7"], frame.loc["C8"], frame.loc["C1"]
    assert (c7.channel, c7.spend, c7.impressions, c7.clicks, c7.ctr) == (U, 150.0, 1000, 20, 0.02)
    assert (c7.days_without_impressions, c7.days_without_clicks) == (1, 1)
    # C8 reported impressions but no clicks: no day to measure a click-through rate on.
    assert (c8.impressions, c8.clicks, c8.days_without_impressions, c8.days_without_clicks) == (4000, 0, 0, 1)
    assert math.isnan(c8.ctr)
    assert c1.ctr == 0.05
    # C7's April deal U5 has no amount; U2 (won, from N2) has no created date. C7's attributed revenue is U8 (800):
    # U2 cannot be attributed, no touch being known to come before it.
    assert (c7.leads, c7.pipeline, c7.deals_without_amount, c7.deals_without_created_date) == (1, 0.0, 1, 1)
    assert c7.won_revenue == 800.0
    # C1's lead N1 has no created date: no April lead, but its MQL and SQL are April's.
    assert (c1.leads, c1.mqls, c1.sqls, c1.leads_without_created_date) == (0, 1, 1, 1)
    by_channel = campaigns.performance_by_channel(con, **APRIL).set_index("channel")
    assert by_channel.loc[U, ["spend", "ctr", "days_without_impressions", "deals_without_amount"]].tolist() == [
        150.0, 0.02, 1, 1]
    assert campaigns.performance(con, **APRIL, channels=[U]).campaign_id.tolist() == ["C7"]
    monthly = campaigns.spend_by_month(con, campaign_id="C8", **APRIL)
    assert monthly[["impressions", "clicks", "days_without_impressions", "days_without_clicks"]].values.tolist() == [
        [4000, 0, 0, 1]]


@pytest.mark.slow
def test_spend_against_pipeline_counts_deals_without_an_amount_or_a_created_date(con):
    frame = campaigns.spend_vs_pipeline(con, **APRIL, theta=0.0)
    # Created in April: U5 (no amount), U7 1,500, U8 800; U2 and U4 have no created date.
    assert frame[["spend", "pipeline_created", "deals_without_amount", "deals_without_created_date"]
                 ].values.tolist() == [[360.0, 2300.0, 1, 2]]
    unassigned = campaigns.spend_vs_pipeline(con, **APRIL, theta=0.0, channel=U)
    # C7's spend; the deals of N2, whose channel is unknown: U5 (no amount) and U2 (no created date).
    assert unassigned[["spend", "pipeline_created", "deals_without_amount", "deals_without_created_date"]
                      ].values.tolist() == [[150.0, 0.0, 1, 1]]
    points = campaigns.monthly_by_channel(con, **APRIL).set_index("channel")
    assert points.loc[U, ["spend", "pipeline_created", "deals_without_amount"]].tolist() == [150.0, 0.0, 1]
    over = campaigns.overspend(con, **APRIL, min_ratio=0.1).set_index("campaign_id")
    assert over.loc["C7", "channel"] == U and set(over.deals_without_amount) == {1}


@pytest.mark.slow
@pytest.mark.parametrize("half_life_days", [attribution.DEFAULT_HALF_LIFE_DAYS, 3.0], ids=["summary_table", "live"])
def test_attribution_tells_a_campaign_without_a_channel_from_unattributed_revenue(con, half_life_days):
    by_campaign = attribution.revenue_by_campaign(con, **APRIL, model="linear", half_life_days=half_life_days)
    rows = {(r.campaign, r.channel if isinstance(r.channel, str) else None): r.attributed_revenue
            for r in by_campaign.itertuples()}
    # U8 (from N3, touched by C7 before it was created) 800; U1 (no lead) 600 and U2 (no created date) 1,000.
    assert rows == {("Old import", U): 800.0, ("Unattributed", None): 1600.0}
    by_channel = attribution.revenue_by_channel(con, **APRIL, half_life_days=half_life_days)
    linear = by_channel[by_channel.model == "linear"].set_index("channel").attributed_revenue.to_dict()
    assert linear == {U: 800.0, "Unattributed": 1600.0}


@pytest.mark.slow
def test_sourced_and_influenced_pipeline_count_deals_without_an_amount(con):
    frame = attribution.sourced_vs_influenced(con, **APRIL)
    assert frame.channel.tolist() == ["content", "display", "email", "search", U]
    row = frame.set_index("channel").loc[U]
    # Sourced by C7: U5 (from N2, no amount). Influenced by C7's touches: U5 and U8 (800).
    assert row.tolist() == [0.0, 1, 800.0, 2, 1, 1]


# --- the joint plan -----------------------------------------------------------------------------------------------
# Planning May with one trailing month: the window is 1–6 April (cut the day after the last lead, N4 on the 6th).

@pytest.mark.slow
def test_plan_rates_leave_out_what_they_cannot_measure_and_count_it(con):
    rates = plan.funnel_rates(con, start_month=date(2026, 5, 1), trailing_months=1).iloc[0]
    assert (rates.window_start, rates.window_end) == (date(2026, 4, 1), date(2026, 4, 7))
    # Closed in the window: U1 won 600, U6 lost without an amount: left out of the win rate by value.
    assert (rates.win_rate_value, rates.closed_without_amount, rates.avg_cycle_days) == (1.0, 1, 35.0)
    assert (rates.closed_deals, rates.won_deals, rates.won_without_created_date) == (2, 1, 0)
    # Created in the window: U5 (no amount, from a lead), U7 1,500, U8 800 (from a lead).
    assert rates.sourced_share == pytest.approx(800 / 2300) and rates.created_without_amount == 1
    assert rates.created_deals == 3
    assert rates.pipeline_per_sql == 400.0  # 800 over the SQLs of N1 and N3
    # Created: N2, N3, N4. MQLs: N1 (no created date), N2 and N3: the MQL rate counts the last two.
    assert (rates.leads, rates.mqls, rates.sqls, rates.mqls_without_created_date) == (3, 3, 2, 1)
    assert rates.mql_rate == pytest.approx(2 / 3) and rates.sql_rate == pytest.approx(2 / 3)
    assert rates.lead_to_mql_days == pytest.approx(13.5 / 24)  # N2 3 h, N3 24 h


@pytest.mark.slow
def test_plan_scope_of_the_reps_without_a_team(con):
    rates = plan.funnel_rates(con, start_month=date(2026, 5, 1), team=U, trailing_months=1).iloc[0]
    # R5 and R7: U6 lost without an amount is the only closed deal: no win rate by value.
    assert math.isnan(rates.win_rate_value) and rates.closed_without_amount == 1
    # N2 (R5) and N4 (R7) are theirs; N3 has no owner and is in NA, R7's region. N5's unknown region matches none.
    assert (rates.leads, rates.mqls) == (3, 2)
    mix = plan.channel_mix(con, window_start=rates.window_start, window_end=rates.window_end, team=U)
    assert dict(zip(mix.channel, mix.leads, strict=True)) == {"email": 1, "organic": 1, U: 1}
    whole = plan.funnel_rates(con, start_month=date(2026, 5, 1), trailing_months=1).iloc[0]
    funnel_ = plan.reverse_funnel(con, start_month=date(2026, 4, 1), months=1, team=U, rates=whole)
    april = funnel_[funnel_.month == date(2026, 4, 1)]
    assert april.required_revenue.sum() == pytest.approx(3400.0)  # R5's and R7's April quotas


# --- the data page, the planning meeting --------------------------------------------------------------------------

@pytest.mark.slow
def test_health_counts_every_optional_value_an_export_left_out(con):
    nulls = health.key_nulls(con).set_index(["table_name", "column_name"])
    empty = nulls.empty_rows.to_dict()
    assert {key: empty[key] for key in [
        ("leads", "created_at"), ("leads", "channel"), ("leads", "region"), ("leads", "segment"),
        ("leads", "contact_attempts"), ("deals", "amount"), ("deals", "created_at"), ("deals", "segment"),
        ("deals", "account"), ("reps", "team"), ("reps", "region"), ("campaigns", "channel"),
        ("campaigns", "objective"), ("campaigns", "start_date or end_date"), ("campaigns", "budget"),
        ("campaign_spend", "impressions"), ("campaign_spend", "clicks")]} == {
        ("leads", "created_at"): 2, ("leads", "channel"): 2, ("leads", "region"): 2, ("leads", "segment"): 3,
        ("leads", "contact_attempts"): 3, ("deals", "amount"): 3, ("deals", "created_at"): 2, ("deals", "segment"): 4,
        ("deals", "account"): 3, ("reps", "team"): 2, ("reps", "region"): 2, ("campaigns", "channel"): 1,
        ("campaigns", "objective"): 1, ("campaigns", "start_date or end_date"): 2, ("campaigns", "budget"): 2,
        ("campaign_spend", "impressions"): 1, ("campaign_spend", "clicks"): 2}
    assert nulls.loc[("deals", "amount"), "empty_share"] == 3 / 8


@pytest.mark.slow
def test_feedback_can_name_a_campaign_whose_dates_are_unknown(con):
    options = meeting.campaign_options(con, as_of=date(2025, 1, 31), months=1).campaign_id.tolist()
    assert options == ["C7"]  # no flight dates: nothing rules it out; the others ran later
    assert "C8" in meeting.campaign_options(con, as_of=AS_OF).campaign_id.tolist()


@pytest.mark.slow
def test_scorecard_says_how_many_open_deals_coverage_leaves_out(con):
    card = scorecard.scorecard(con, as_of=AS_OF).set_index("kpi")
    assert card.loc["coverage", "value"] == pytest.approx(2000 / 4500)
    assert card.loc["coverage", "detail"].endswith("2 open deals have no amount and are left out.")
