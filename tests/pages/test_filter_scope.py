"""Every page × sidebar filter pair: the filter changes what the page shows, or the page's caption says it does not
apply (ui.navigation.PageSpec.ignores). And a link's unknown parameter names are dropped with a notice."""

from __future__ import annotations

import json

import pytest
from helpers import app, every_tab

from bench.workload import END
from ui import filters
from ui.navigation import FILTERS, PAGES

# Each filter set to a value that narrows the sample (against the default view as of its last day).
NARROWED = {"period": {"start": "2026-06-01", "end": "2026-08-31"}, "as_of": {"as_of": "2026-09-15"},
            "regions": {"region": "LATAM"}, "segments": {"segment": "Enterprise"}, "teams": {"team": "EMEA"}}


def shown(at) -> str:
    """Everything the page shows that a filter could change: tiles, tables, charts, texts and widget values, in each
    of its tabs (a closed one draws nothing)."""
    parts = []
    for state in every_tab(at):
        assert not state.exception, [e.message for e in state.exception]
        parts += [(m.label, m.value, m.proto.delta) for m in state.metric]
        parts += [d.value.to_json(date_format="iso") for d in state.dataframe]
        parts += [json.loads(c.proto.spec)["data"] for c in state.get("plotly_chart")]
        parts += [e.value for kind in ("markdown", "info", "success") for e in state.get(kind)]
        parts += [str(w.value) for w in state.date_input if not w.key.startswith("filter_")]
    return json.dumps(parts, default=str, sort_keys=True)


def view(spec, **params):
    at = app(**{"as_of": END.isoformat(), **params}).run()
    at.switch_page(spec.path).run()
    return at


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.slow
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_every_filter_changes_the_page_or_its_caption_says_it_does_not(app_db, spec):
    base = view(spec)
    before = shown(base)
    for name, label in FILTERS.items():
        narrowed = view(spec, **NARROWED[name])
        if name in spec.ignored:
            # The note names it alone, first in a list, in the middle or last.
            assert any(form in captions(narrowed) for form in (f"{label} filter", f"The {label}, ", f"{label} and",
                                                               f", {label}")), (spec.url_path, name,
                                                                                captions(narrowed)[:300])
            assert filters.scope_note(spec.path) in captions(narrowed)
        else:
            assert shown(narrowed) != before, (spec.url_path, name, "the filter changes nothing on the page")


def test_scope_note_names_the_ignored_filters_with_why():
    assert filters.scope_note("pages/quota.py") == ("The Segments filter does not change this page: quotas are set "
                                                    "per rep, not per segment.")
    assert filters.scope_note("pages/funnel.py") == ""
    note = filters.scope_note("pages/campaigns.py")
    assert note.startswith("The Regions, Segments and Teams filters do not change this page: ")


@pytest.mark.slow
def test_an_unknown_parameter_name_is_dropped_with_a_notice(app_db):
    at = app(as_of=END.isoformat(), regoin="EMEA", horizon="12").run()  # a link to the Brand & quota page
    assert not at.exception
    notices = " ".join(c.value for c in at.sidebar.caption)
    assert "regoin" in notices and "not a setting of this page" in notices and "horizon" not in notices
    assert "regoin" not in at.query_params
    assert at.query_params.get("horizon") == "12"  # the page's own parameter is kept
    assert at.radio(key="leadership_horizon").value == "12"
