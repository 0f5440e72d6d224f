"""Attribution models: exact credit on a hand fixture (tests/fixtures/attribution.sql), collapse rules, and
reconciliation to the cent on the generated sample."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from conftest import build_db

from queries import attribution, db, derived

APRIL = (date(2026, 4, 1), date(2026, 4, 30))
# Close dates isolate single deals: D1 (1 touch + 1 after creation), D2 (2), D3 (4), D4/D5 (none), D6 (3, no MQL).
D1, D2, D3, D6 = date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6)
UNATTRIBUTED_DAYS = (date(2026, 4, 4), date(2026, 4, 5))


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    # Built once for the module: every test here only reads it.
    path = build_db(tmp_path_factory.mktemp("attribution") / "fixture.duckdb", "base.sql", "attribution.sql")
    connection = db.connect(path, read_only=True)
    yield connection
    connection.close()


def credit(con, start, end, model, **kwargs) -> dict[str | None, float]:
    frame = attribution.revenue_by_campaign(con, start=start, end=end, model=model, **kwargs)
    return {None if pd.isna(r.campaign_id) else r.campaign_id: r.attributed_revenue for r in frame.itertuples()}


# April: won deals D1–D6 (21,750.00); D7 lost, D8 open, D9 won in May are out. Worked out deal by deal below.
APRIL_EXPECTED = {
    "first_touch": {"C1": 21000.00, None: 750.00},
    "last_touch": {"C1": 1000.00, "C2": 18000.00, "C3": 2000.00, None: 750.00},
    "linear": {"C1": 6916.66, "C2": 9666.67, "C3": 4416.67, None: 750.00},
    "u_shaped": {"C1": 9300.00, "C2": 9400.00, "C3": 2300.00, None: 750.00},
    "w_shaped": {"C1": 8400.00, "C2": 10200.00, "C3": 2400.00, None: 750.00},
    "time_decay": {"C1": 3285.71, "C2": 12571.43, "C3": 5142.86, None: 750.00},
}


@pytest.mark.parametrize("model", list(attribution.MODELS))
def test_attribution_april_exact_per_model(con, model):
    assert credit(con, *APRIL, model) == APRIL_EXPECTED[model]


def test_attribution_columns_deals_and_unattributed_row(con):
    frame = attribution.revenue_by_campaign(con, start=APRIL[0], end=APRIL[1], model="linear")
    assert list(frame.columns) == ["campaign_id", "campaign", "channel", "attributed_revenue", "deals"]
    assert dict(zip(frame.campaign, frame.deals, strict=True)) == {
        "Spring search": 4, "Webinars": 3, "Big billboard": 2, "Unattributed": 2}
    last = frame.iloc[-1]
    assert last.campaign == attribution.UNATTRIBUTED and pd.isna(last.campaign_id) and pd.isna(last.channel)


@pytest.mark.parametrize("model", list(attribution.MODELS))
def test_attribution_single_touch_gets_everything_and_later_touch_is_ignored(con, model):
    # L1 was also touched by C3 ten days after D1 was created: that touch must not share D1's credit.
    assert credit(con, D1, D1, model) == {"C1": 1000.00}


@pytest.mark.parametrize(("model", "expected"), [
    ("first_touch", {"C1": 3000.00}),
    ("last_touch", {"C2": 3000.00}),
    ("linear", {"C1": 1500.00, "C2": 1500.00}),
    ("u_shaped", {"C1": 1500.00, "C2": 1500.00}),          # 2 touches: 50 / 50
    ("w_shaped", {"C1": 2000.00, "C2": 1000.00}),          # first = last before MQL: 30 + 30 vs 30 → 2/3, 1/3
    ("time_decay", {"C1": 1000.00, "C2": 2000.00}),        # 7 days older at half-life 7: half the weight
])
def test_attribution_two_touches(con, model, expected):
    assert credit(con, D2, D2, model) == expected


def test_attribution_time_decay_half_life_changes_the_split(con):
    # 7 days apart at half-life 14: weights 2^-0.5 and 1 → 41.42 % and 58.58 % of 3,000.
    assert credit(con, D2, D2, "time_decay", half_life_days=14) == {"C1": 1242.64, "C2": 1757.36}


@pytest.mark.parametrize(("model", "expected"), [
    ("first_touch", {"C1": 15000.00}),
    ("last_touch", {"C2": 15000.00}),
    ("linear", {"C1": 3750.00, "C2": 7500.00, "C3": 3750.00}),            # C2 holds two of four touches
    ("u_shaped", {"C1": 6000.00, "C2": 7500.00, "C3": 1500.00}),          # 40 / 10 / 10 / 40
    ("w_shaped", {"C1": 4500.00, "C2": 9000.00, "C3": 1500.00}),          # 30 / 30 (MQL) / 10 / 30
    ("time_decay", {"C1": 1000.00, "C2": 10000.00, "C3": 4000.00}),       # 1/15, 2/15, 4/15, 8/15
])
def test_attribution_four_touches(con, model, expected):
    assert credit(con, D3, D3, model) == expected


def test_attribution_w_shaped_without_mql_splits_the_middle_between_first_and_last(con):
    # L6 never became an MQL: 30 + 15 to the first touch, 10 to the rest, 30 + 15 to the last.
    assert credit(con, D6, D6, "w_shaped") == {"C1": 900.00, "C2": 200.00, "C3": 900.00}
    assert credit(con, D6, D6, "u_shaped") == {"C1": 800.00, "C2": 400.00, "C3": 800.00}


def test_attribution_rounding_remainder_goes_to_one_touch(con):
    # 2,000 / 3 = 666.666…: two touches get 666.67 and the first (the tie's top) takes the −0.01 remainder.
    assert credit(con, D6, D6, "linear") == {"C1": 666.66, "C2": 666.67, "C3": 666.67}
    assert credit(con, D6, D6, "time_decay") == {"C1": 285.71, "C2": 571.43, "C3": 1142.86}


@pytest.mark.parametrize("model", list(attribution.MODELS))
def test_attribution_deals_without_eligible_touch_are_unattributed(con, model):
    # D4 has no lead; D5's lead was touched only after the deal was created.
    assert credit(con, *UNATTRIBUTED_DAYS, model) == {None: 750.00}


def test_attribution_empty_period_and_bad_arguments(con):
    assert attribution.revenue_by_campaign(con, start=date(2020, 1, 1), end=date(2020, 12, 31),
                                           model="linear").empty
    with pytest.raises(db.TandemError, match="unknown attribution model"):
        attribution.revenue_by_campaign(con, start=APRIL[0], end=APRIL[1], model="last_click")
    with pytest.raises(db.TandemError, match="half-life"):
        attribution.revenue_by_campaign(con, start=APRIL[0], end=APRIL[1], model="time_decay", half_life_days=0)


def test_attribution_model_weights_are_defined_once_and_sum_to_one():
    weights = {key: spec["weights"] for key, spec in attribution.MODELS.items()}
    assert sum(weights["u_shaped"].values()) == pytest.approx(1.0)
    assert sum(weights["w_shaped"].values()) == pytest.approx(1.0)
    assert set(attribution.MODELS) == {"first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay"}
    assert all(spec["label"] and spec["rule"] for spec in attribution.MODELS.values())


def test_attribution_weights_come_from_the_models_dict(con, monkeypatch):
    # Changing the dict changes the SQL's result: the numbers live in one place.
    monkeypatch.setitem(attribution._POSITION_WEIGHTS, "u_middle", 0.0)
    monkeypatch.setitem(attribution._POSITION_WEIGHTS, "u_first", 0.5)
    monkeypatch.setitem(attribution._POSITION_WEIGHTS, "u_last", 0.5)
    assert credit(con, D3, D3, "u_shaped") == {"C1": 7500.00, "C2": 7500.00}


def test_attribution_revenue_by_channel_side_by_side(con):
    frame = attribution.revenue_by_channel(con, start=APRIL[0], end=APRIL[1])
    assert list(frame.columns) == ["model", "channel", "attributed_revenue", "share"]
    got = {(r.model, r.channel): r.attributed_revenue for r in frame.itertuples()}
    channel_of = {"C1": "search", "C2": "content", "C3": "display", None: "Unattributed"}
    expected = {(model, channel_of[c]): v for model, rows in APRIL_EXPECTED.items() for c, v in rows.items()}
    assert got == expected
    assert frame.groupby("model").share.sum().round(9).eq(1.0).all()


def test_attribution_sourced_vs_influenced_exact(con):
    frame = attribution.sourced_vs_influenced(con, start=date(2026, 3, 1), end=date(2026, 4, 30))
    rows = {r.channel: (r.sourced_pipeline, r.sourced_deals, r.influenced_pipeline, r.influenced_deals)
            for r in frame.itertuples()}
    assert rows == {
        # Sourced by C1: D1, D2, D3, D7, D8, D9. Influenced by C1 touches before creation: those and D6.
        "search": (41220.00, 6, 43220.00, 7),
        # Sourced by C2: D6. Influenced: D2, D3, D6, D8.
        "content": (2000.00, 1, 27777.00, 4),
        # C3 sourced nothing; it touched D3, D6 and D9 in time (not D1, not D5).
        "display": (0.00, 0, 21444.00, 3),
    }


@pytest.mark.parametrize("model", list(attribution.MODELS))
@pytest.mark.parametrize(("start", "end"), [(date(2025, 12, 1), date(2026, 11, 26)),
                                            (date(2023, 1, 1), date(2026, 11, 26))])
def test_attribution_sample_reconciles_to_the_cent(sample_con, model, start, end):
    frame = attribution.revenue_by_campaign(sample_con, start=start, end=end, model=model, half_life_days=3)
    total = sample_con.execute("SELECT sum(amount) FROM deals WHERE stage = 'won' AND close_date BETWEEN ? AND ?",
                               [start, end]).fetchone()[0]
    cents = sum(Decimal(f"{value:.2f}") for value in frame.attributed_revenue)
    assert cents == total
    assert frame.campaign_id.isna().sum() == 1 and (frame.attributed_revenue > 0).all()
    # Every value is whole cents.
    assert (frame.attributed_revenue.round(2) == frame.attributed_revenue).all()


def test_attribution_sample_each_deal_sums_to_its_amount(sample_con):
    params = attribution.credit_params(start=date(2025, 12, 1), end=date(2026, 11, 26), half_life_days=7)
    with sample_con.cursor() as cur:
        cur.execute(db.sql_text("attribution/credit_macro"))
        bad = cur.execute(
            "SELECT count(*) FROM (SELECT a.deal_id, a.model, sum(a.credit) AS c, any_value(d.amount) AS amount, "
            "sum(a.weight) AS w FROM attribution_credit($start, $end, 'won', $half_life_days, $u_first, $u_middle, "
            "$u_last, $w_first, $w_mql, $w_last, $w_rest) a JOIN deals d USING (deal_id) GROUP BY ALL) "
            "WHERE c <> amount OR abs(w - 1) > 1e-9", params).fetchone()[0]
    assert bad == 0


@pytest.mark.slow
def test_attribution_sample_channels_reconcile_for_every_model(sample_con):
    frame = attribution.revenue_by_channel(sample_con, start=date(2025, 12, 1), end=date(2026, 11, 26))
    totals = frame.groupby("model").attributed_revenue.sum().round(2)
    assert totals.nunique() == 1 and len(totals) == len(attribution.MODELS)


def test_attribution_summary_table_settings_are_the_defaults_of_the_models():
    # The daily summary table is built with the settings of derived/attribution_settings.sql: they must be MODELS'
    # weights and the default half-life, so the default view reads the summary table.
    weights = {key: value for spec in attribution.MODELS.values() for key, value in spec["weights"].items()}
    assert attribution.summary_table_settings() == {"half_life_days": attribution.DEFAULT_HALF_LIFE_DAYS, **weights}
    assert attribution.summary_table_applies(attribution.credit_params(start=APRIL[0], end=APRIL[1],
                                                                       half_life_days=7))
    assert not attribution.summary_table_applies(attribution.credit_params(start=APRIL[0], end=APRIL[1],
                                                                           half_life_days=14))


def test_attribution_changed_weights_bypass_the_summary_table(monkeypatch):
    monkeypatch.setitem(attribution._POSITION_WEIGHTS, "u_first", 0.5)
    assert not attribution.summary_table_applies(attribution.credit_params(start=APRIL[0], end=APRIL[1],
                                                                           half_life_days=7))


@pytest.mark.parametrize(("start", "end"), [(date(2025, 12, 1), date(2026, 11, 26)),
                                            (date(2026, 3, 2), date(2026, 3, 8))])
@pytest.mark.slow
def test_attribution_sample_summary_table_equals_the_macro(sample_con, start, end):
    # The summary table (touch positions of every deal, at the default settings) and the live macro (the period's
    # deals, any settings) both credit through formulas.touch_credit: every (basis, day, campaign, model) row of the
    # table must equal the live one, to the cent, so a page reads the same numbers whichever path it takes.
    params = attribution.credit_params(start=start, end=end, half_life_days=attribution.DEFAULT_HALF_LIFE_DAYS)
    order = " WHERE day BETWEEN $start AND $end ORDER BY basis, day, campaign_id NULLS FIRST, model"
    summary = db.run_sql(sample_con, derived.inline("SELECT * FROM derived.attribution_credit_daily" + order),
                         {"start": start, "end": end})
    with sample_con.cursor() as cur:
        cur.execute(db.sql_text("attribution/credit_macro"))
        live = cur.execute(f"SELECT * FROM {attribution._LIVE_CREDIT}" + order, params).to_arrow_table().to_pandas()
    assert len(summary) > 0 and set(summary.basis) == {"won", "pipeline"}
    pd.testing.assert_frame_equal(summary, live, check_exact=True)


@pytest.mark.slow
def test_attribution_queries_import_without_streamlit():
    code = "import sys, queries.attribution, queries.campaigns; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(db.ROOT))
    assert out.stdout.strip() == "False"
