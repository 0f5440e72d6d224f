"""Every view of every page, on four shapes of data (an empty database, a CRM's deals only, marketing's data only, the
full sample): it runs, says what to import instead of stating what it cannot know, draws every change on a tile
through ui.format.delta with the arrow and colour its number and the metric's direction call for, and shows every
table in words and formats."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from helpers import app, every_tab

import ui.format
from bench.workload import END, VARIANTS
from queries import db, settings

SHAPES = ("empty", "deals_only", "marketing_only", "sample")
# Views whose figures need company data (not the Data page, Settings or Definitions).
DATA_VIEWS = [v for v in VARIANTS if not v.path.endswith(("data.py", "settings.py", "definitions.py"))]
# Children before parents (campaign_spend and feedback refer to campaigns, quotas to reps, action items to meetings).
MARKETING = ("feedback", "touches", "leads", "campaign_spend", "brand_metrics", "campaigns")
SALES = ("feedback", "action_items", "meetings", "quotas", "targets", "deals", "reps")


def make_shape(shape: str, sample_path, folder) -> str:
    """A database of one shape: empty (as init makes it), the sample's deals and reps only (open deals partly without
    an amount, created date or account, and no segment at all, as a CRM export has them), marketing's tables only,
    or the whole sample."""
    target = folder / f"{shape}.duckdb"
    if shape == "empty":
        db.schema.init(target, settings.seed())
        return str(target)
    shutil.copy(sample_path, target)
    con = duckdb.connect(str(target))
    try:
        if shape == "deals_only":
            for table in (*MARKETING, "quotas", "targets", "action_items", "meetings"):
                con.execute(f"DELETE FROM {table}")
            con.execute("UPDATE deals SET lead_id = NULL, segment = NULL")
            con.execute("UPDATE deals SET amount = NULL WHERE stage NOT IN ('won', 'lost') AND hash(deal_id) % 4 = 0")
            con.execute("UPDATE deals SET created_at = NULL WHERE stage = 'prospecting' AND hash(deal_id) % 3 = 0")
            con.execute("UPDATE deals SET account = NULL WHERE hash(deal_id) % 6 = 0")
        elif shape == "marketing_only":
            for table in SALES:
                con.execute(f"DELETE FROM {table}")
            con.execute("UPDATE leads SET owner_rep_id = NULL")
        con.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'data_version'")
        con.execute("UPDATE meta SET value = '0' WHERE key = 'written_version'")  # every table counts as written
    finally:
        con.close()
    return str(target)


@pytest.fixture(scope="module")
def shapes(sample_path, tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("shapes")
    return {shape: make_shape(shape, sample_path, folder) for shape in SHAPES}


def run_view(shapes, variant, shape, monkeypatch):
    """The view as the browser opens it, as of the sample's last day, with every delta made recorded."""
    log: list = []
    monkeypatch.setattr(ui.format, "DELTA_LOG", log)
    monkeypatch.setenv("TANDEM_DB", shapes[shape])
    at = app(as_of=END.isoformat()).run()
    for key, value in variant.state:
        at.session_state[key] = value
    at.switch_page(variant.path).run()
    assert not at.exception, (variant.name, shape, [e.message for e in at.exception])
    return at, log


def texts(at) -> str:
    return " ".join(e.value for kind in ("markdown", "caption", "info", "warning", "success") for e in at.get(kind)
                    if hasattr(e, "value") and isinstance(e.value, str))


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_every_view_runs_on_every_shape_of_data(shapes, variant, shape, monkeypatch):
    at, log = run_view(shapes, variant, shape, monkeypatch)
    for state in every_tab(at):
        assert not state.exception, (variant.name, shape, [e.message for e in state.exception])
        assert not state.error, (variant.name, shape, [e.value for e in state.error])
        if shape == "empty" and variant in DATA_VIEWS:
            # Nothing to show: one sentence per part naming what to import, no tile, no chart, no table.
            assert "import" in texts(state).lower() and "Data page" in texts(state), (variant.name, texts(state)[:300])
            assert not state.metric and not state.get("plotly_chart") and not state.dataframe, variant.name
        check_deltas(state, log, variant.name, shape)
        check_tables(state, variant.name, shape)


def check_deltas(at, log, view: str, shape: str) -> None:
    """Every tile's delta was made by ui.format.delta from a number, and its arrow and colour follow that number's
    sign and the metric's direction."""
    made = {entry[2]["delta"]: entry for entry in log if entry[2]["delta"] is not None}
    for tile in at.metric:
        shown = tile.proto.delta
        if not shown:
            continue
        assert shown in made, (view, shape, tile.label, shown, "a delta not made by ui.format.delta")
        value, direction, kwargs = made[shown]
        arrow = tile.proto.direction  # MetricDirection: DOWN 0, UP 1, NONE 2
        color = tile.proto.color  # MetricColor: RED 0, GREEN 1, GRAY 2
        if kwargs["delta_arrow"] == "off":
            assert color == 2, (view, tile.label, shown)
            continue
        assert arrow == (1 if value > 0 else 0), (view, tile.label, shown, value)
        good = value > 0 if direction == "higher" else value < 0
        expected = 2 if direction == "neither" else (1 if good else 0)
        assert color == expected, (view, tile.label, shown, value, direction)


def check_tables(at, view: str, shape: str) -> None:
    """Every table's headers are words and every float column has a format."""
    for table in at.dataframe:
        config = json.loads(table.proto.columns or "{}")
        frame = table.value
        for name in frame.columns:
            column = config.get(str(name), {})
            if column.get("hidden"):
                continue
            label = column.get("label") or str(name)
            assert "_" not in label and not label[:1].islower(), (view, shape, name, label)
            if frame[name].dtype.kind == "f":
                assert column.get("type_config", {}).get("format"), (view, shape, name, "an unformatted float")


DELTA_VIEWS = [v for v in VARIANTS if v.name in {"Brand & quota", "Quota & pipeline", "Funnel & handoff",
                                                 "Planning meeting · open"}]


@pytest.mark.parametrize("variant", DELTA_VIEWS, ids=[v.name for v in DELTA_VIEWS])
@pytest.mark.slow
def test_deltas_follow_their_numbers_on_the_sample(shapes, variant, monkeypatch):
    at, log = run_view(shapes, variant, "sample", monkeypatch)
    for state in every_tab(at):
        check_deltas(state, log, variant.name, "sample")
        check_tables(state, variant.name, "sample")
