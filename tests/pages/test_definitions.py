"""AppTest of the Definitions page: every metric grouped by team, search narrows it, stages, models, SLA, CSV."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import app

from queries import attribution, metrics

pytestmark = pytest.mark.slow


@pytest.fixture
def at(app_db):
    test = app()
    test.run()
    test.switch_page("pages/definitions.py").run()
    assert not test.exception
    return test


def metric_rows(at) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if "direction" in d.value.columns]  # AppTest has no table keys
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["name"])


def test_definitions_page_lists_every_metric_by_team(at):
    assert at.title[0].value == "Definitions"
    rows = metric_rows(at)
    assert sorted(rows.name) == sorted(m.name for m in metrics.all_metrics())
    assert [s.value.split(" (")[0] for s in at.subheader] == ["Marketing", "Sales", "Joint"]
    win = rows.set_index("name").loc["Win rate"]
    assert win.definition == metrics.get("win_rate").definition
    assert "Quota & pipeline" in win.pages and "Segments" in win.pages  # page titles, not file names


def test_definitions_page_search_narrows_the_table_and_keeps_it_in_the_url(at):
    everything = len(metric_rows(at))
    at.text_input(key="definitions_search").input("response").run()
    assert not at.exception
    found = metric_rows(at)
    assert 0 < len(found) < everything
    assert {"Median response", "p90 response"} <= set(found.name)
    assert at.query_params["q"] == "response"
    at.text_input(key="definitions_search").input("zzz nothing").run()
    assert metric_rows(at).empty
    assert "No metric matches" in " ".join(i.value for i in at.info)


def test_definitions_page_opens_with_the_search_from_a_link(app_db):
    test = app(q="win rate")
    test.switch_page("pages/definitions.py").run()  # the link's first run is this page's: it keeps ?q=
    assert set(metric_rows(test).name) >= {"Win rate", "Win rate (by value)"}
    assert "Impressions" not in set(metric_rows(test).name)


def test_definitions_page_shows_stages_models_and_the_sla(at):
    stages = next(d.value for d in at.dataframe if "field" in d.value.columns)
    assert stages.name.str.startswith("MQL").any() and "mql_at" in " ".join(stages.rule)
    models = next(d.value for d in at.dataframe if "weights" in d.value.columns)
    assert models.name.tolist() == [spec["label"] for spec in attribution.MODELS.values()]
    assert "first 40%, middle 20%, last 40%" in models.weights.tolist()
    assert "**24 hours** to first contact" in " ".join(m.value for m in at.markdown)
    assert at.get("download_button")[0].proto.label == "Download all definitions (CSV)"
