"""Walk every page with AppTest and check each KPI tile against the metric registry (queries/metrics.toml): its
label names a registry metric that lists the page, and its help text carries the metric's definition."""

from __future__ import annotations

import pytest
from helpers import app, every_tab

from queries import metrics
from ui.navigation import PAGES

# Tiles that count rows of an import preview on the Data page: bookkeeping about a file, not business metrics.
NOT_METRICS = {"Rows to import", "Problems", "Already in the database"}
SAMPLE = {"start": "2025-12-01", "end": "2026-11-26", "as_of": "2026-11-26"}


def stem(path: str) -> str:
    return path.removeprefix("pages/").removesuffix(".py")


def tiles(at, page: str) -> list[tuple[str, str, str]]:
    assert not at.exception, (page, [e.value for e in at.exception])
    return [(page, m.label, m.proto.help) for m in at.metric]


def walk(at) -> list[tuple[str, str, str]]:
    """Every page as the sidebar opens it (each of its tabs), plus the states that show more tiles (a segment cell, a
    campaign's detail, the attribution section, a meeting)."""
    seen = []
    for spec in PAGES:
        at.switch_page(spec.path).run()
        for state in every_tab(at):  # the tiles of each tab in turn: a closed tab holds none
            seen += tiles(state, stem(spec.path))
    at.switch_page("pages/segments.py").run()
    cells = at.selectbox(key="segments_cell").options
    at.selectbox(key="segments_cell").set_value(cells[1]).run()
    seen += tiles(at, "segments")
    at.switch_page("pages/meeting.py").run()
    at.selectbox(key="meeting_choice").set_value("M-0002").run()
    seen += tiles(at, "meeting")
    return seen


@pytest.fixture
def shown(app_db):
    at = app(**SAMPLE)
    at.run()
    seen = walk(at)
    detail = app(**SAMPLE, campaign="C-STADIUM")  # the link opens the campaigns page itself: ?campaign= is its own
    detail.switch_page("pages/campaigns.py").run()
    seen += tiles(detail, "campaigns")
    detail.radio(key="campaigns_view").set_value("attribution").run()
    seen += tiles(detail, "campaigns")
    return seen


@pytest.mark.slow
def test_every_tile_label_is_a_registry_metric_on_its_page(shown):
    labels = {label for _page, label, _help in shown}
    # The walk must reach the tiles of every page that has them, or this test proves little.
    assert {"Booked vs quota", "Attainment", "Coverage", "Win rate", "MQLs", "Won revenue in the period",
            "Revenue booked this month", "Win rate (by value)", "Spend", "ROI"} <= labels, sorted(labels)
    unknown, misplaced = [], []
    for page, label, _help in shown:
        if label in NOT_METRICS:
            continue
        metric = metrics.find_label(label)
        if metric is None:
            unknown.append((page, label))
        elif page not in metric.pages:
            misplaced.append((page, label, metric.key))
    assert not unknown, f"tile labels missing from queries/metrics.toml: {sorted(set(unknown))}"
    assert not misplaced, f"metrics whose `pages` leave out the page showing them: {sorted(set(misplaced))}"


@pytest.mark.slow
def test_every_tile_help_carries_its_metric_definition(shown):
    missing = []
    for page, label, text in shown:
        metric = metrics.find_label(label)
        if metric is not None and metric.definition not in (text or ""):
            missing.append((page, label))
    assert not missing, f"tiles whose help= lacks the registry definition: {sorted(set(missing))}"


def test_every_registry_metric_has_a_definition():
    for metric in metrics.all_metrics():
        assert metric.definition.strip() and metric.formula.strip(), metric.key
