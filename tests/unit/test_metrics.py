"""The metric registry (queries/metrics.toml, queries/lifecycle.toml): complete entries, queries that run, and the
label, help, search and export contracts pages and the brief rely on."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from queries import attribution, db, funnel, metrics, scorecard, segments
from queries.settings import Settings

AS_OF = date(2026, 11, 20)
START, END = date(2025, 12, 1), date(2026, 11, 20)
PROBABILITIES = Settings().stage_probabilities
# Sensible arguments for every queries function the registry names (keyed by its dotted path).
ARGS: dict[str, dict] = {
    "queries.quota.pacing": {"as_of": AS_OF, "by": "all"},
    "queries.quota.attainment": {"start": START, "end": END, "by": "all"},
    "queries.quota.pipeline_month_to_date": {"as_of": AS_OF},
    "queries.pipeline.weighted_projection": {"as_of": AS_OF, "stage_probabilities": PROBABILITIES, "by": "all"},
    "queries.pipeline.coverage": {"as_of": AS_OF, "horizon_months": 1, "by": "all"},
    "queries.pipeline.open_by_stage": {"as_of": AS_OF, "stage_probabilities": PROBABILITIES},
    "queries.deals.summary": {"start": START, "end": END, "by": "all"},
    "queries.deals.reps_at_quota": {"start": START, "end": END},
    "queries.plan.funnel_rates": {"start_month": date(2026, 11, 1), "trailing_months": 6},
    "queries.plan.reverse_funnel": {"start_month": date(2026, 11, 1), "months": 3, "trailing_months": 6},
    "queries.segments.performance": {"start": START, "end": END},
    "queries.campaigns.performance": {"start": START, "end": END},
    "queries.campaigns.plan": {"start": START, "end": END, "as_of": AS_OF},
    "queries.attribution.revenue_by_campaign": {"start": START, "end": END, "model": "linear"},
    "queries.brand.metric_series": {"start": START, "end": END},
    "queries.funnel.mql_delivery": {"start": START, "end": END},
    "queries.funnel.sla": {"start": START, "end": END, "sla_hours": 24, "by": "all"},
    "queries.funnel.breaches": {"start": START, "end": END, "as_of": AS_OF, "sla_hours": 24},
    "queries.funnel.rejection_reasons": {"start": START, "end": END},
    "queries.funnel.stage_days": {"start": START, "end": END},
}
# Columns the sample legitimately leaves empty for the arguments above (none today; keep the list honest).
EMPTY_ON_SAMPLE: set[str] = set()


def run(metric: metrics.Metric, con):
    kwargs = dict(ARGS[metric.query])
    if metric.query == "queries.brand.metric_series":
        kwargs["metric"] = metric.key  # the brand metrics' registry keys are the brand_metrics vocabulary
    return metrics.function(metric)(con, **kwargs)


KEYS = [m.key for m in metrics.all_metrics()]


def test_registry_every_entry_has_a_definition_formula_and_name():
    assert len(KEYS) >= 40
    for metric in metrics.all_metrics():
        for field in ("name", "definition", "formula"):
            text = getattr(metric, field)
            assert text and text.strip(), (metric.key, field)
        assert metric.definition.endswith("."), metric.key  # one whole sentence
        assert metric.labels and metric.pages, metric.key


def test_registry_has_a_query_arguments_row_for_every_query_it_names():
    assert {m.query for m in metrics.all_metrics()} == set(ARGS)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.slow
def test_metric_query_runs_on_the_fixture_database(key, base_con):
    metric = metrics.get(key)
    frame = run(metric, base_con)
    assert metric.column in frame.columns, (metric.query, list(frame.columns))


@pytest.mark.parametrize("key", KEYS)
def test_metric_query_returns_values_on_the_sample(key, sample_con):
    metric = metrics.get(key)
    frame = run(metric, sample_con)
    assert metric.column in frame.columns
    if key not in EMPTY_ON_SAMPLE:
        assert frame[metric.column].notna().any(), (key, metric.query, metric.column)


def test_registry_rejects_an_entry_without_a_definition():
    spec = {"name": "X", "definition": " ", "formula": "a ÷ b", "unit": "pct", "owner": "sales",
            "direction": "higher", "query": "queries.deals.summary", "column": "win_rate", "pages": ["quota"]}
    with pytest.raises(metrics.RegistryError, match=r"\[metrics\.x\] definition"):
        metrics._parse_metric("x", spec, "metrics.toml")
    with pytest.raises(metrics.RegistryError, match="unit must be one of"):
        metrics._parse_metric("x", {**spec, "definition": "A thing.", "unit": "furlongs"}, "metrics.toml")
    with pytest.raises(metrics.RegistryError, match="unknown page 'nowhere'"):
        metrics._parse_metric("x", {**spec, "definition": "A thing.", "pages": ["nowhere"]}, "metrics.toml")


def test_registry_file_parses_and_every_metric_lists_existing_pages():
    raw = tomllib.loads(metrics.METRICS_FILE.read_text(encoding="utf-8"))
    assert set(raw["metrics"]) == set(KEYS)
    from ui.navigation import PAGES

    stems = {spec.path.removeprefix("pages/").removesuffix(".py") for spec in PAGES}
    assert set(metrics.PAGES) == stems


def test_label_fills_placeholders_and_find_label_matches_them():
    assert metrics.label("mqls", label_index=2, month="Mar 2026") == "MQLs in Mar 2026"
    assert metrics.label("sla_compliance", hours="6") == "Contacted within 6 h"
    assert metrics.find_label("Contacted within 6 h").key == "sla_compliance"
    assert metrics.find_label("Target for Nov 2026").key == "mql_target"
    assert metrics.find_label("Won").key == "won_deals"
    assert metrics.find_label("Won revenue").key == "attributed_revenue"
    assert metrics.find_label("Rows to import") is None
    with pytest.raises(KeyError, match="needs month"):
        metrics.label("mql_target")


def test_help_is_the_definition_then_the_formula_then_the_detail():
    text = metrics.help("win_rate", "12 of 30 deals")
    assert text.startswith(metrics.get("win_rate").definition)
    assert metrics.get("win_rate").formula in text and text.endswith("12 of 30 deals")


def test_format_value_by_unit():
    assert metrics.format_value("booked_revenue", 1_234_567, currency_symbol="€") == "€1.2M"
    assert metrics.format_value("win_rate", 0.456) == "46%"
    assert metrics.format_value("aided_awareness", 33.94) == "33.9%"
    assert metrics.format_value("coverage", 3.14) == "3.1×"
    assert metrics.format_value("median_response", 3.46) == "3.5 h"
    assert metrics.format_value("sales_cycle", 41.6) == "42 days"
    assert metrics.format_value("leads", None) == "—"


def test_table_is_grouped_by_team_and_search_narrows_it():
    whole = metrics.table()
    assert len(whole) == len(KEYS)
    assert list(dict.fromkeys(whole.owner)) == ["Marketing", "Sales", "Joint"]
    found = metrics.table("response")
    assert set(found.metric) == {"median_response", "p90_response"} | set(
        whole[whole.definition.str.contains("response", case=False) | whole.formula.str.contains(
            "response", case=False)].metric)
    assert set(metrics.table("win rate").metric) >= {"win_rate", "win_rate_value", "required_coverage"}
    assert metrics.table("no such words here").empty


def test_scorecard_labels_are_registry_labels_of_their_metric():
    for kpi, (label, _unit, _goal) in scorecard.KPIS.items():
        metric = metrics.by_scorecard(kpi)
        assert label in metric.labels, (kpi, label, metric.key)


def test_segment_metrics_are_registry_metrics():
    for column in segments.METRICS:
        assert metrics.get("sales_cycle" if column == "avg_cycle_days" else column).column == column


def test_lifecycle_covers_every_funnel_stage_and_both_closed_outcomes():
    stages = metrics.lifecycle()
    assert stages.stage.tolist() == [s for s in funnel.STAGES if s != "impressions"] + ["lost"]
    assert stages.rule.str.len().min() > 20
    assert "mql_at" in stages.set_index("stage").loc["mql", "rule"]
    assert {"Cohort mode", "Period mode", "Response time"} <= set(metrics.counting_rules().name)
    # The funnel page's list: the stages, then the counting rules, each once and in order.
    assert list(metrics.funnel_rules()) == [*zip(stages.name, stages.rule, strict=True),
                                            *zip(metrics.counting_rules().name, metrics.counting_rules().rule,
                                                 strict=True)]


def test_attribution_models_come_from_queries_attribution():
    models = metrics.attribution_models().set_index("model")
    assert list(models.index) == list(attribution.MODELS)
    assert models.loc["u_shaped", "weights"] == "first 40%, middle 20%, last 40%"
    assert models.loc["w_shaped", "name"] == attribution.MODELS["w_shaped"]["label"]


def test_sla_in_force_comes_from_the_settings():
    assert metrics.sla_hours(Settings(sla_hours=6)) == 6
    assert "within 6 hours" in metrics.sla_sentence(Settings(sla_hours=6))


def test_export_holds_every_section():
    frame = metrics.export(Settings(sla_hours=12))
    assert set(frame.section) == {"metric", "lifecycle stage", "counting rule", "attribution model", "SLA"}
    assert (frame.section == "metric").sum() == len(KEYS)
    assert frame[frame.section == "SLA"].formula.iloc[0] == "12 hours"


@pytest.mark.slow
def test_queries_metrics_imports_without_streamlit():
    import subprocess
    import sys

    code = "import sys, queries.metrics; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=db.ROOT)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_meeting_brief_appends_the_definitions_from_the_registry(make_db, tmp_path, monkeypatch):
    import subprocess

    import brief

    def no_browser(fig):
        raise RuntimeError("no browser in this test")  # the appendix is text; skip drawing the charts

    monkeypatch.setattr(brief, "render_png", no_browser)
    con = db.connect(make_db("base.sql", "meeting.sql"), read_only=True)
    try:
        plain = brief.build_pdf(con, meeting_id="M-2", settings=Settings(sla_hours=6), definitions=False)
        full = brief.build_pdf(con, meeting_id="M-2", settings=Settings(sla_hours=6))
    finally:
        con.close()
    (tmp_path / "plain.pdf").write_bytes(plain)
    (tmp_path / "full.pdf").write_bytes(full)

    def text(name: str) -> str:
        out = subprocess.run(["pdftotext", str(tmp_path / name), "-"], capture_output=True, text=True, check=True)
        return " ".join(out.stdout.split())

    assert "Appendix: definitions" not in text("plain.pdf")
    appendix = text("full.pdf").split("Appendix: definitions", 1)[1]
    assert "within 6 hours" in appendix                                        # the SLA in force
    assert "first 40%, middle 20%, last 40%" in appendix                        # attribution weights
    assert "MQL (marketing-qualified lead)" in appendix                         # lifecycle stages
    # Table cells wrap (and pdftotext interleaves wrapped cells), so check each name word by word.
    words = set(appendix.replace("- ", "-").split())  # a name wrapped at its hyphen
    missing = [m.key for m in metrics.all_metrics() if not set(m.name.split()) <= words]
    assert not missing, missing
    assert metrics.get("mqls").definition in appendix or "marketing judged ready for sales" in appendix
