"""The Brand & quota page (the default page) in AppTest: tiles, filters, URL state, empty states."""

from __future__ import annotations

import base64
import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from helpers import app, every_tab

from queries import brand, lag, quota
from ui import format

AS_OF = "2026-11-26"  # the sample's last day (tests/conftest.py SAMPLE_END)


def tile(at, label):
    return next(m for m in at.metric if m.label == label)


def text(at):
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


@pytest.mark.slow
def test_leadership_runs_and_tiles_show_numbers(app_db, sample_con):
    at = app(as_of=AS_OF).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Brand & quota"
    # On 26 November the latest brand month published is October's.
    for label in ("Booked vs quota", "Pipeline created this month", "Sourced by marketing",
                  "Aided awareness (Oct)", "Share of voice (Oct)"):
        value = tile(at, label).value
        assert value and value != "—" and any(ch.isdigit() for ch in value), (label, value)
    # This month's pacing is a tab of the sales clock: a link opens it.
    pacing = app(as_of=AS_OF, sales_view="month").run()
    for label in ("Booked to date", "Projection", "Needed per day"):
        value = tile(pacing, label).value
        assert value and value != "—" and any(ch.isdigit() for ch in value), (label, value)
    # sample_con reads the original of app_db's copy (the app holds a read-write connection to the copy).
    expected = quota.month_to_date(sample_con, as_of=date(2026, 11, 26)).set_index("period").loc["current"]
    assert tile(at, "Booked vs quota").value == format.pct(expected.attainment_to_date)
    # The planted truth: awareness leads pipeline by three months (sample_data/truths.py).
    assert "Aided awareness leads pipeline created by 3 months" in text(at)
    assert "detrended linearly" in text(at) and "not proof of cause" in text(at)
    assert {"horizon", "metric", "brand", "sales", "lag"} <= set(at.query_params)
    # One chart in view per tab group (three), seven in all as each tab is opened; the open tab goes into the URL.
    assert len(at.get("plotly_chart")) == 3
    drawn = [[c.proto.id.rsplit("-", 1)[-1] for c in state.get("plotly_chart")] for state in every_tab(at)]
    assert len({key for keys in drawn for key in keys}) == 7 and all(len(keys) == 3 for keys in drawn)
    at.session_state["leadership_sales_view"] = "Pacing by team"
    at.run()
    assert at.query_params["sales_view"] == "teams"


@pytest.mark.parametrize(("as_of", "month"), [("2026-11-26", "Oct 2026"), ("2026-11-01", "Oct 2026"),
                                              ("2026-10-31", "Sep 2026"), ("2026-06-09", "May 2026")])
@pytest.mark.slow
def test_leadership_brand_tiles_and_table_name_the_month_published_by_as_of(app_db, sample_con, as_of, month):
    at = app(as_of=as_of).run()
    assert not at.exception, [e.value for e in at.exception]
    latest = brand.latest(sample_con, as_of=date.fromisoformat(as_of)).set_index("metric")
    assert (latest.month == pd.Timestamp(month).date()).all()
    aided, voice = latest.loc["aided_awareness"], latest.loc["share_of_voice"]
    year_ago = (pd.Timestamp(month) - pd.DateOffset(years=1)).strftime("%b %Y")
    before = (pd.Timestamp(month) - pd.DateOffset(months=1)).strftime("%b %Y")
    short = pd.Timestamp(month).strftime("%b")  # the tile names the month; its help and comparison add the year
    aided_tile, voice_tile = tile(at, f"Aided awareness ({short})"), tile(at, f"Share of voice ({short})")
    assert f"{pd.Timestamp(month):%B %Y}" in aided_tile.proto.help
    assert (aided_tile.value, aided_tile.delta) == (f"{aided.value:.1f}%", f"{aided.yoy_change:+.1f} pp")
    assert aided_tile.proto.delta_description == f"vs {year_ago}"
    assert (voice_tile.value, voice_tile.delta) == (f"{voice.value:.1f}%", f"{voice.mom_change:+.1f} pp")
    assert voice_tile.proto.delta_description == f"vs {before}"
    assert f"**Every brand metric, {pd.Timestamp(month):%B %Y} (all regions)**" in [m.value for m in at.markdown]
    table = next(d.value for d in at.dataframe if "yoy_change" in d.value.columns).set_index("name")
    # Each reading in its own unit (the rows mix percentages and monthly counts).
    assert table.loc["Aided awareness", "value"] == f"{aided.value:.1f}%"
    assert table.loc["Share of voice", "previous_month_value"] == f"{voice.previous_month_value:.1f}%"
    assert table.loc["Aided awareness", "yoy_change"] == f"{aided.yoy_change:+.1f} pp"


@pytest.mark.slow
def test_leadership_team_filter_changes_attainment(app_db, sample_con):
    at = app(as_of=AS_OF).run()
    everyone = tile(at, "Booked vs quota").value
    at.sidebar.multiselect(key="filter_teams").set_value(["EMEA"]).run()
    assert not at.exception
    emea = quota.month_to_date(sample_con, as_of=date(2026, 11, 26), teams=["EMEA"]).set_index("period")
    emea = emea.loc["current"]
    assert tile(at, "Booked vs quota").value == format.pct(emea.attainment_to_date) != everyone
    assert at.query_params["team"] == "EMEA"


@pytest.mark.slow
def test_leadership_url_restores_horizon_series_and_lag(app_db):
    at = app(as_of=AS_OF, horizon="36", metric="consideration", brand="share_of_search", sales="sqls",
             lag="5").run()
    assert not at.exception
    assert at.radio(key="leadership_horizon").value == "36"
    assert at.selectbox(key="leadership_metric").value == "consideration"
    assert at.selectbox(key="leadership_lag_brand").value == "share_of_search"
    assert at.selectbox(key="leadership_lag_sales").value == "sqls"
    assert at.slider(key="leadership_lag").value == 5
    assert "Shifted by 5 months" in text(at)
    assert (at.query_params["horizon"], at.query_params["lag"]) == ("36", "5")


@pytest.mark.slow
def test_leadership_lag_slider_is_written_to_url(app_db):
    at = app(as_of=AS_OF).run()
    assert at.slider(key="leadership_lag").value == 3  # starts at the strongest lag
    at.slider(key="leadership_lag").set_value(7).run()
    at.radio(key="leadership_horizon").set_value("12").run()
    assert not at.exception
    assert (at.query_params["lag"], at.query_params["horizon"]) == ("7", "12")
    assert "Shifted by 7 months" in text(at)


def chart_values(at, key: str, trace: int) -> list[float]:
    """The y values of one trace of the chart drawn under `key` (plotly sends arrays as typed binary)."""
    [chart] = [c for c in at.get("plotly_chart") if key in c.proto.id]
    y = json.loads(chart.proto.spec)["data"][trace]["y"]
    if isinstance(y, dict):
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"])).tolist()
    return [round(v, 6) for v in y]


@pytest.mark.slow
def test_leadership_controls_changed_by_hand_drive_the_same_run(app_db, sample_con):
    # The page starts its queries before it draws the controls, from their values in session_state: a changed
    # control must change the numbers of the very run it triggers.
    at = app(as_of=AS_OF).run()
    at.selectbox(key="leadership_metric").set_value("consideration").run()
    at.radio(key="leadership_horizon").set_value("12").run()
    at.selectbox(key="leadership_lag_brand").set_value("share_of_search").run()
    assert not at.exception, [e.value for e in at.exception]
    expected = brand.metric_series(sample_con, metric="consideration", start=date(2025, 12, 1), end=date(2026, 11, 26))
    assert chart_values(at, "leadership_brand_chart", 1) == [round(v, 6) for v in expected.value]
    correlation = lag.cross_correlation(sample_con, brand_metric="share_of_search", sales_series="pipeline_created",
                                        start=date(2000, 1, 1), end=date(2026, 11, 26))
    best = correlation.dropna(subset=["r"]).sort_values("r").iloc[-1]
    assert f"r = {best.r:.2f}" in text(at) and f"{int(best.lag_months)} month" in text(at)
    # Brand spend from the series' first month (the page reads it from the horizon's first month and cuts it).
    spend = brand.spend_by_month(sample_con, start=expected.month.min(), end=date(2026, 11, 26))
    assert chart_values(at, "leadership_brand_chart", 0) == [round(v, 6) for v in spend.brand_spend]
    # The shifted series follows the lag as the viewer set it, in that same run.
    chosen = 5 if int(best.lag_months) != 5 else 4
    at.slider(key="leadership_lag").set_value(chosen).run()
    at.session_state["leadership_lag_view"] = "Both series, the brand shifted"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shifted = lag.monthly_series(sample_con, brand_metric="share_of_search", sales_series="pipeline_created",
                                 start=date(2000, 1, 1), end=date(2026, 11, 26), lag=chosen)
    drawn = chart_values(at, "leadership_shift_chart", 1)
    assert all((math.isnan(d) and pd.isna(e)) or d == round(e, 6)
               for d, e in zip(drawn, shifted.brand_value, strict=True))


@pytest.mark.slow
def test_leadership_brand_spend_starts_with_the_brand_series(make_db, monkeypatch):
    # Share of voice is measured from February 2026, brand spend began in January (150, then 30 in February): over
    # all history the spend bars start where the series does (as of 1 April, March's reading is published).
    monkeypatch.setenv("TANDEM_DB", str(make_db("base.sql", "brand.sql")))
    at = app(as_of="2026-04-01", metric="share_of_voice", horizon="all").run()
    assert not at.exception, [e.value for e in at.exception]
    assert chart_values(at, "leadership_brand_chart", 1) == [40.0, 37.0]
    assert chart_values(at, "leadership_brand_chart", 0) == [30.0]


@pytest.mark.slow
def test_leadership_invalid_url_values_are_dropped(app_db):
    at = app(as_of=AS_OF, horizon="7", lag="99", brand="'; DROP TABLE leads; --").run()
    assert not at.exception
    assert at.radio(key="leadership_horizon").value == "24"  # tandem.toml default_horizon_months
    assert at.slider(key="leadership_lag").value == 3
    assert at.selectbox(key="leadership_lag_brand").value == "aided_awareness"
    notices = " ".join(c.value for c in at.sidebar.caption)
    assert "horizon" in notices and "lag" in notices


@pytest.mark.slow
def test_leadership_without_deals_or_brand_says_what_to_import(make_db, monkeypatch):
    monkeypatch.setenv("TANDEM_DB", str(make_db("base.sql")))  # reps and campaigns only
    at = app(as_of="2026-03-10", region="NA").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Brand & quota needs deals and brand metrics: import them on the Data page." in text(at)
    assert not at.metric and not at.get("plotly_chart")


@pytest.mark.slow
def test_leadership_empty_selections_get_sentences(make_db, monkeypatch):
    monkeypatch.setenv("TANDEM_DB", str(make_db("base.sql", "quota.sql", "brand.sql")))
    at = app(as_of="2026-03-10", region="NA", sales_view="month").run()
    assert not at.exception, [e.value for e in at.exception]
    said = text(at)
    assert "No quota is set for March 2026 for the selected teams and regions" in said
    assert "Not enough complete months" in said
    aided = tile(at, "Aided awareness")
    assert aided.value == "—" and "No aided awareness published for NA by 10 Mar 2026" in aided.proto.help


def test_leadership_charts_are_built_as_specified():
    import pandas as pd

    from ui.charts import VERMILION
    from ui.charts import leadership as charts

    months = [date(2026, m, 1) for m in (1, 2, 3)]
    series = pd.DataFrame({"month": months, "value": [30.0, 31.0, 33.0], "rolling_3m": [None, None, 31.33],
                           "yoy_change": [1.0, -0.5, 2.0]})
    spend = pd.DataFrame({"month": months, "brand_spend": [100.0, 0.0, 50.0]})
    launches = pd.DataFrame({"start_date": [date(2026, 2, 3)], "name": ["<b>Big</b> launch"], "budget": [9e5]})
    fig = charts.brand_series(series, spend, launches, metric="aided_awareness", symbol="€")
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 1 and bars[0].yaxis == "y2"  # spend on the secondary axis
    assert fig.layout.annotations[0].text == "&lt;b&gt;Big&lt;/b&gt; launch"  # imported names are not markup
    assert fig.layout.yaxis2.title.text == "Brand spend (€ per month)"
    correlation = pd.DataFrame({"lag_months": [0, 1, 2], "r": [0.1, 0.8, 0.4], "n_months": [30, 29, 28]})
    lag_fig = charts.correlation_by_lag(correlation, best_lag=1, chosen_lag=2, brand="aided_awareness",
                                        sales="pipeline_created")
    assert list(lag_fig.data[0].marker.color)[1] == VERMILION
    assert list(lag_fig.data[0].marker.line.width) == [0, 0, 3]
