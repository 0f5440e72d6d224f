"""The joint scorecard and "what changed": exact numbers on tests/fixtures/meeting.sql, invariants on the sample."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date

import pytest

from queries import db, meeting, scorecard


@pytest.fixture
def con(make_db):
    connection = db.connect(make_db("base.sql", "meeting.sql"))
    yield connection
    connection.close()


def rounded(frame, *columns):
    out = []
    for row in frame[list(columns)].itertuples(index=False):
        out.append(tuple(None if isinstance(v, float) and math.isnan(v)
                         else round(v, 4) if isinstance(v, float) else v for v in row))
    return out


@pytest.mark.slow
def test_scorecard_on_the_first_meetings_day(con):
    frame = scorecard.scorecard(con, as_of=date(2026, 3, 31))
    assert list(frame.columns) == scorecard.COLUMNS
    assert rounded(frame, "kpi", "value", "goal", "target", "progress", "status") == [
        ("revenue", 600.0, 1000.0, 1000.0, 0.6, "off_track"),    # D1 won; pace = 1000 × 31/31
        ("coverage", 0.5, 2.0, None, 0.25, "off_track"),          # D6 200 / (1000 − 600); win rate 1/2
        ("mqls", 2.0, 4.0, 4.0, 0.5, "off_track"),                # L1, L2 against 4 × 31/31
        ("sla", 0.5, 0.5, None, 1.0, "on_track"),                 # L1 within 24 h, L2 never
        ("awareness", 22.0, 20.0, None, 1.1, "on_track"),         # 22 against 20 a year earlier
    ]


@pytest.mark.slow
def test_scorecard_on_the_second_meetings_as_of_day(con):
    frame = scorecard.scorecard(con, as_of=date(2026, 4, 29))
    assert rounded(frame, "kpi", "value", "goal", "progress", "status") == [
        ("revenue", 1000.0, 1933.3333, 0.5172, "off_track"),      # 2000 × 29/30
        ("coverage", 1.4, 1.5, 0.9333, "at_risk"),                # D4 1400 / (2000 − 1000); win rate 2/3
        ("mqls", 3.0, 2.9, 1.0345, "on_track"),                   # L6 comes on 30 Apr: not counted
        ("sla", 0.3333, 0.5, 0.6667, "off_track"),                # only L3 within 24 h
        ("awareness", 19.0, 20.0, 0.95, "off_track"),             # below 97 % of a year earlier
    ]
    assert frame.set_index("kpi").detail["revenue"] == (
        "$1,000 booked of a $2,000 quota; pace to date $1,933, run-rate projection $1,034.")


@pytest.mark.slow
def test_what_changed_ranks_the_biggest_movers_first_in_sentences(con):
    frame = scorecard.what_changed(con, meeting_id="M-2", currency_symbol="€")
    assert rounded(frame, "kpi", "change_points", "status_before", "status_after") == [
        ("coverage", 68.3333, "off_track", "at_risk"),
        ("mqls", 53.4483, "off_track", "on_track"),
        ("sla", -33.3333, "on_track", "off_track"),
        ("awareness", -15.0, "on_track", "off_track"),
        ("revenue", -8.2759, "off_track", "off_track"),
    ]
    sentences = frame.set_index("kpi").sentence
    assert sentences["coverage"] == (
        "Pipeline coverage of the remaining quota rose from 25% to 93% of its goal since the previous meeting "
        "(as of 31 Mar 2026): 0.5× then, 1.4× now. Status: ✗ Off track → ⚠ At risk.")
    # The two values cover different days of their months: the sentence says which.
    assert sentences["revenue"] == (
        "Revenue booked this month fell from 60% to 52% of its goal since the previous meeting (as of 31 Mar 2026): "
        "€600 in 1–31 Mar, €1,000 in 1–29 Apr.")


@pytest.mark.slow
def test_what_changed_is_empty_for_the_first_meeting(con):
    assert scorecard.what_changed(con, meeting_id="M-1").empty
    with pytest.raises(meeting.MeetingError, match="no meeting 'M-404'"):
        scorecard.what_changed(con, meeting_id="M-404")


@pytest.mark.slow
def test_scorecard_without_any_data_says_so(base_con):
    # base.sql has reps and campaigns only: no KPI is measured (none reads 0), and each names its import.
    frame = scorecard.scorecard(base_con, as_of=date(2026, 4, 29)).set_index("kpi")
    assert frame.status.tolist() == ["no_data"] * 5 and frame.value.isna().all()
    assert frame.missing.to_dict() == {"revenue": "deals", "coverage": "deals, quotas", "mqls": "leads",
                                       "sla": "leads", "awareness": "brand_metrics"}
    assert frame.detail.to_dict() == {
        "revenue": "Import deals on the Data page to measure it.",
        "coverage": "Import deals and quotas on the Data page to measure it.",
        "mqls": "Import leads on the Data page to measure it.", "sla": "Import leads on the Data page to measure it.",
        "awareness": "Import brand metrics on the Data page to measure it."}


@pytest.mark.slow
def test_scorecard_with_deals_alone_measures_revenue_and_names_the_rest(con):
    for table in ("quotas", "leads", "brand_metrics", "targets"):
        con.execute(f"DELETE FROM {table}")
    frame = scorecard.scorecard(con, as_of=date(2026, 4, 29)).set_index("kpi")
    # D2 (1,000) was won on 20 April; without a quota there is no goal, and MQLs are not 0 but unmeasured.
    assert frame.loc["revenue", ["value", "status", "missing"]].tolist() == [1000.0, "no_data", ""]
    assert frame.loc["revenue", "detail"] == "No quota is set for this month."
    assert frame.missing[["coverage", "mqls", "sla", "awareness"]].tolist() == ["quotas", "leads", "leads",
                                                                                 "brand_metrics"]
    assert frame.value[["coverage", "mqls", "sla", "awareness"]].isna().all()


@pytest.mark.slow
def test_compare_two_scorecards_without_data(base_con):
    # Meetings held before any data is imported: no KPI has progress on either day, so nothing moved; every KPI
    # is still listed, in scorecard order.
    frame = scorecard.compare(scorecard.scorecard(base_con, as_of=date(2026, 3, 31)),
                              scorecard.scorecard(base_con, as_of=date(2026, 4, 29)))
    assert frame.kpi.tolist() == list(scorecard.KPIS)
    assert frame.change_points.isna().all()
    assert frame.sentence.iloc[0] == (
        "Revenue booked this month: not measured. Import deals on the Data page to measure it.")


@pytest.mark.slow
def test_quota_already_met_counts_coverage_as_on_track(con):
    con.execute("INSERT INTO deals VALUES ('D9', NULL, 'Jade', 'R1', 'Core', 'SMB', '2026-04-01 09:00', "
                "'2026-04-21', 'won', 5000, NULL, 'sample')")
    row = scorecard.scorecard(con, as_of=date(2026, 4, 29)).set_index("kpi").loc["coverage"]
    assert row.status == "on_track" and math.isnan(row.value)
    assert row.detail.startswith("This month's quota is already met")


@pytest.mark.slow
def test_scorecard_changes_compare_the_same_days_of_the_month_before(con):
    # 29 April against 29 March: the same 29 days of each month, not the whole of March.
    assert scorecard.a_month_earlier(date(2026, 4, 29)) == date(2026, 3, 29)
    assert scorecard.a_month_earlier(date(2026, 3, 31)) == date(2026, 2, 28)  # February has no 31st
    before = scorecard.scorecard(con, as_of=date(2026, 3, 29))
    after = scorecard.scorecard(con, as_of=date(2026, 4, 29))
    frame = scorecard.changes(before, after).set_index("kpi")
    assert frame.change_unit.to_dict() == {"revenue": "money", "coverage": "relative", "mqls": "count",
                                           "sla": "points", "awareness": "points"}
    # Revenue: D1 600 by 29 Mar, D2 1,000 by 29 Apr. Coverage: 200 / 400 = 0.5 on 29 Mar, 1.4 now.
    # MQLs: L1, L2 by 29 Mar; L3, L4, L5 by 29 Apr. Within the SLA: 1 of 2, then 1 of 3.
    assert frame.change["revenue"] == 400.0 and frame.change["mqls"] == 1.0
    assert frame.change["coverage"] == pytest.approx(1.4 / 0.5 - 1)
    assert frame.change["sla"] == pytest.approx((1 / 3 - 1 / 2) * 100)
    assert frame.change["awareness"] == pytest.approx(after.set_index("kpi").value["awareness"]
                                                      - before.set_index("kpi").value["awareness"])
    unmeasured = scorecard.changes(before.assign(value=math.nan), after)
    assert unmeasured.change.isna().all()


@pytest.mark.parametrize(("change", "unit", "text"), [
    (221000.0, "money", "+$221k"), (-1500.0, "money", "−$1,500"), (-3.14, "points", "−3.1 pp"),
    (0.12, "relative", "+12%"), (31.0, "count", "+31"), (None, "count", "—"), (float("nan"), "points", "—")])
def test_format_change(change, unit, text):
    assert scorecard.format_change(change, unit, "$") == text


@pytest.mark.parametrize(("value", "unit", "text"), [
    (2894300.0, "money", "$2.9M"), (190200.0, "money", "$190k"), (600.0, "money", "$600"),
    (-1500.0, "money", "−$1,500"), (3.12, "ratio", "3.1×"), (884.0, "count", "884"), (0.8235, "pct", "82%"),
    (28.39, "percent", "28.4%"), (None, "money", "—"), (float("nan"), "pct", "—"),
])
def test_format_value(value, unit, text):
    assert scorecard.format_value(value, unit, "$") == text


def test_status_label_pairs_an_icon_with_a_word():
    assert [scorecard.status_label(s) for s in scorecard.STATUSES] == [
        "✓ On track", "⚠ At risk", "✗ Off track", "– No data"]


@pytest.mark.slow
def test_sample_scorecard_invariants(sample_con):
    frame = scorecard.scorecard(sample_con, as_of=date(2026, 11, 26))
    assert frame.kpi.tolist() == list(scorecard.KPIS)
    assert set(frame.status) <= set(scorecard.STATUSES)
    assert (frame.status != "no_data").all()  # the sample has quotas, targets, MQLs and surveys
    changes = scorecard.what_changed(sample_con, meeting_id="M-0002")
    moved = changes.change_points.abs().dropna().tolist()
    assert moved == sorted(moved, reverse=True) and len(changes) == 5


@pytest.mark.slow
def test_queries_import_without_streamlit():
    code = "import sys, queries.meeting, queries.scorecard; print('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
