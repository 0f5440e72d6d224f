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

from queries import common, db, funnel, segments

APRIL = {"start": date(2026, 4, 1), "end": date(2026, 4, 30)}
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
        for literal in re.findall(r"'([^']*)'", path.read_text()):
            if literal.strip("()").lower() in ("unassigned", "unknown"):
                spellings.setdefault(literal, []).append(path.stem)
    assert set(spellings) == {U}, spellings


def test_dimension_values_offer_unassigned_last_where_a_row_has_no_value(con):
    values = common.dimension_values(con)
    by_kind = {kind: group.value.tolist() for kind, group in values.groupby("kind")}
    # R5, R6 and N2, N5 have no region; R5, R7 no team; leads N2, N3, N5 and deals U2, U3, U5, U7 no segment.
    assert by_kind == {"region": ["EMEA", "NA", U], "segment": ["Enterprise", "SMB", U], "team": ["EMEA", "NA", U]}


def test_dimension_values_offer_no_unassigned_when_every_row_has_a_value(make_db):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    assert U not in set(common.dimension_values(con).value)
    con.close()


# --- the funnel ---------------------------------------------------------------------------------------------------

def test_cohort_funnel_leaves_leads_without_a_created_date_out_and_counts_them(con):
    frame = funnel.stages(con, **APRIL)
    # Created in April: N2, N3, N4. N1 and N5 have no created date: in no cohort. N2 and N3 became MQLs and made
    # deals (won U2 and U8); N2 never recorded a SAL or SQL, but its deal counts for both.
    assert counts(frame) == {"impressions": 5_500, "leads": 3, "mql": 2, "sal": 2, "sql": 2, "opportunity": 2,
                             "won": 2}
    # Impressions: C7 on 4 April 1,000, C8 4,000, C1 500; C7's 3 April reported none and is left out.
    assert set(frame.days_without_impressions) == {1}
    assert set(frame.leads_without_created_date) == {2}


def test_period_funnel_counts_the_events_of_leads_without_a_created_date(con):
    frame = funnel.stages(con, **APRIL, mode="period")
    # N1 (no created date) became an MQL on 3 April and an SQL on the 5th: both count, though N1 is no April lead.
    assert counts(frame) == {"impressions": 5_500, "leads": 3, "mql": 3, "sal": 0, "sql": 2, "opportunity": 2,
                             "won": 2}
    assert set(frame.leads_without_created_date) == {2}


@pytest.mark.parametrize("mode", ["cohort", "period"])
def test_funnel_groups_and_filters_missing_dimensions_as_unassigned(con, mode):
    by_region = {name: counts(group) for name, group in funnel.stages(con, **APRIL, mode=mode, by="region")
                 .groupby("region")}
    assert set(by_region) == {"EMEA", "NA", U}
    assert by_region[U]["leads"] == 1 and by_region[U]["impressions"] is None  # N2; no impressions by region
    by_channel = funnel.stages(con, **APRIL, mode=mode, by="channel")
    unassigned = by_channel[by_channel.channel == U]
    # N2 has no channel; C7, its campaign, has none either: its 1,000 impressions, and one day without.
    assert counts(unassigned)["leads"] == 1 and counts(unassigned)["impressions"] == 1_000
    assert set(unassigned.days_without_impressions) == {1}
    assert set(by_channel[by_channel.channel == "email"].days_without_impressions) == {0}
    only = funnel.stages(con, **APRIL, mode=mode, regions=[U])
    assert counts(only)["leads"] == 1 and counts(only)["mql"] == 1  # N2
    assert set(only.leads_without_created_date) == {1}  # N5: no region, no created date


def test_stage_days_leave_leads_without_a_created_date_out_and_count_them(con):
    frame = funnel.stage_days(con, **APRIL).set_index("from_stage")
    # lead → MQL: N2 3 h, N3 24 h (N1's MQL has no created date to measure from).
    assert frame.loc["lead", "leads"] == 2 and frame.loc["lead", "median_days"] == pytest.approx(13.5 / 24)
    # opportunity → won: N2 2 → 10 April (its first deal with a date, U5), N3 6 → 12 April.
    assert frame.loc["opportunity", "median_days"] == pytest.approx(7.0)
    assert set(frame.leads_without_created_date) == {2}


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


def test_mql_delivery_and_buckets_filter_on_unassigned(con):
    delivery = funnel.mql_delivery(con, **APRIL, regions=[U])
    assert delivery.mqls.tolist() == [1]  # N2
    buckets = funnel.response_buckets(con, **APRIL, teams=[U]).set_index("bucket")
    assert buckets.loc["< 1 h", "leads"] == 0 and buckets.loc["1–4 h", "leads"] == 2  # N2 1 h, N3 2 h


# --- segments -----------------------------------------------------------------------------------------------------

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


def test_segments_cell_detail_finds_the_leads_behind_an_unassigned_slice(con):
    cell = segments.cell_detail(con, **APRIL, region=U, segment=U)
    assert cell.lead_id.tolist() == ["N2", "N2"] and cell.deal_id.tolist() == ["U2", "U5"]
    assert cell.industry.tolist() == [U, U] and cell.channel.tolist() == [U, U]
    assert math.isnan(cell.cycle_days.iloc[0]) and math.isnan(cell.amount.iloc[1])
    assert segments.cell_detail(con, **APRIL, industry=U).lead_id.unique().tolist() == ["N2"]
