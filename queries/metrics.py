"""The metric registry: every metric's name, definition, formula, unit, owner and query, defined once.

The texts live in queries/metrics.toml (metrics) and queries/lifecycle.toml (the lifecycle stage rules); this
module loads and validates them and answers what pages, charts, the brief and the Definitions page ask:
`get(key).name`, `help(key)` (a tile's tooltip), `label(key, month=...)` (a tile label with its period filled in),
`table()` (every metric as rows), `lifecycle()`, `attribution_models()` (from queries.attribution.MODELS, the one
place the model weights live) and `sla_hours(settings)` (from the database's settings). No Streamlit here.
"""

from __future__ import annotations

import importlib
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from queries import attribution
from queries import settings as settings_module
from queries.db import formulas

METRICS_FILE = Path(__file__).with_name("metrics.toml")
LIFECYCLE_FILE = Path(__file__).with_name("lifecycle.toml")
UNITS: dict[str, str] = {
    "money": "money (company currency)",
    "pct": "percent (a share)",
    "percent": "percent (survey value)",
    "count": "count",
    "days": "days",
    "hours": "hours",
    "points": "percentage points",
    "ratio": "ratio (×)",
}
OWNERS: dict[str, str] = {"marketing": "Marketing", "sales": "Sales", "joint": "Joint"}
DIRECTIONS: dict[str, str] = {"higher": "Higher is better", "lower": "Lower is better", "neither": "Neither (context)"}
PAGES: tuple[str, ...] = ("leadership", "campaigns", "quota", "segments", "funnel", "joint_plan", "meeting",
                          "definitions", "data", "settings")
_REQUIRED = ("name", "definition", "formula", "unit", "owner", "direction", "query", "column", "pages")
_OPTIONAL = ("labels", "scorecard", "macro")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TABLE_COLUMNS = ["owner", "metric", "name", "definition", "formula", "unit", "direction", "pages", "query", "column"]


class RegistryError(ValueError):
    """metrics.toml or lifecycle.toml has an entry Tandem cannot use; the message names the file and the entry."""


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    definition: str
    formula: str
    unit: str
    owner: str
    direction: str
    query: str
    column: str
    pages: tuple[str, ...]
    labels: tuple[str, ...]
    scorecard: str | None = None
    macro: str | None = None

    @property
    def higher_is_better(self) -> bool | None:
        return {"higher": True, "lower": False}.get(self.direction)


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    rule: str
    field: str
    owner: str


def _parse_metric(key: str, raw: Mapping[str, Any], source: str) -> Metric:
    def fail(why: str) -> RegistryError:
        return RegistryError(f"{source}: [metrics.{key}] {why}")

    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise fail("key must be snake_case")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise fail(f"has unknown field {sorted(unknown)[0]!r}")
    for name in _REQUIRED:
        value = raw.get(name)
        if name == "pages":
            if not isinstance(value, list) or not value or not all(isinstance(p, str) for p in value):
                raise fail("pages must be a non-empty list of page names")
        elif not isinstance(value, str) or not value.strip():
            raise fail(f"{name} must be a non-empty text")
    if raw["unit"] not in UNITS:
        raise fail(f"unit must be one of {', '.join(UNITS)}, got {raw['unit']!r}")
    if raw["owner"] not in OWNERS:
        raise fail(f"owner must be one of {', '.join(OWNERS)}, got {raw['owner']!r}")
    if raw["direction"] not in DIRECTIONS:
        raise fail(f"direction must be one of {', '.join(DIRECTIONS)}, got {raw['direction']!r}")
    bad_pages = [p for p in raw["pages"] if p not in PAGES]
    if bad_pages:
        raise fail(f"names an unknown page {bad_pages[0]!r} (pages: {', '.join(PAGES)})")
    if not re.fullmatch(r"queries\.\w+\.\w+", raw["query"]):
        raise fail("query must be a queries function path such as queries.quota.attainment")
    macro = raw.get("macro")
    if macro is not None and (not isinstance(macro, str) or macro not in formulas.names()):
        raise fail(f"names a macro {macro!r} that queries/sql/formulas.sql does not define "
                   f"(it defines {', '.join(formulas.names())})")
    labels = raw.get("labels", [raw["name"]])
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x.strip() for x in labels):
        raise fail("labels must be a non-empty list of texts")
    return Metric(key=key, name=raw["name"].strip(), definition=" ".join(raw["definition"].split()),
                  formula=" ".join(raw["formula"].split()), unit=raw["unit"], owner=raw["owner"],
                  direction=raw["direction"], query=raw["query"], column=raw["column"], pages=tuple(raw["pages"]),
                  labels=tuple(labels), scorecard=raw.get("scorecard"), macro=macro)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot be read as TOML ({exc})") from None


@cache
def registry() -> dict[str, Metric]:
    """Every metric by key, in the file's order (validated: a bad entry raises RegistryError naming it)."""
    raw = _read(METRICS_FILE).get("metrics", {})
    metrics = {key: _parse_metric(key, spec, str(METRICS_FILE)) for key, spec in raw.items()}
    seen: dict[str, str] = {}
    for metric in metrics.values():
        for text in (metric.name, *metric.labels):
            other = seen.setdefault(text, metric.key)
            if other != metric.key:
                raise RegistryError(f"{METRICS_FILE}: {text!r} names both {other} and {metric.key}")
    return metrics


def get(key: str) -> Metric:
    try:
        return registry()[key]
    except KeyError:
        raise KeyError(f"no metric {key!r} in {METRICS_FILE.name}") from None


def all_metrics() -> tuple[Metric, ...]:
    return tuple(registry().values())


def help(key: str, detail: str | None = None) -> str:  # noqa: A001 (the name pages call, as st.metric's help=)
    """A tile's tooltip: the definition and the formula, then the page's own detail (figures behind the number)."""
    metric = get(key)
    text = f"{metric.definition} {metric.formula}"
    return f"{text}\n\n{detail}" if detail else text


def caption(key: str) -> str:
    """A line under a chart: the registry name in bold and its definition."""
    metric = get(key)
    return f"**{metric.name}**: {metric.definition} {metric.formula}"


def label(key: str, **parts: object) -> str:
    """The metric's first tile label with its placeholders filled ({month}, {hours}); pass label_index to pick
    another of its labels."""
    metric = get(key)
    index = int(parts.pop("label_index", 0))  # type: ignore[arg-type]
    template = metric.labels[index]
    missing = set(_PLACEHOLDER.findall(template)) - set(parts)
    if missing:
        raise KeyError(f"label {template!r} of {key} needs {', '.join(sorted(missing))}")
    return template.format(**{k: str(v) for k, v in parts.items()})


def _label_pattern(template: str) -> re.Pattern[str]:
    pieces = _PLACEHOLDER.split(template)
    # split() alternates literal text and placeholder names: literals escaped, names replaced by a wildcard.
    return re.compile("".join(re.escape(p) if i % 2 == 0 else ".+?" for i, p in enumerate(pieces)) + r"\Z")


def find_label(text: str) -> Metric | None:
    """The metric a tile label belongs to (placeholders match any text), or None when no metric has it."""
    for metric in registry().values():
        if any(_label_pattern(template).match(text) for template in metric.labels):
            return metric
    return None


def by_scorecard(kpi: str) -> Metric:
    """The metric the planning meeting's scorecard KPI (queries.scorecard.KPIS) shows."""
    for metric in registry().values():
        if metric.scorecard == kpi:
            return metric
    raise KeyError(f"no metric in {METRICS_FILE.name} has scorecard = {kpi!r}")


def function(metric: Metric | str) -> Callable[..., pd.DataFrame]:
    """The queries function that computes a metric (imported from its dotted path)."""
    metric = get(metric) if isinstance(metric, str) else metric
    module, name = metric.query.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def format_value(key: str, value: object, *, currency_symbol: str = "$") -> str:
    """A value in its metric's unit: $1.2M, 42%, 33.9%, 1,234, 12 days, 3.5 h, +2.3 pp, 3.1×; '—' when missing."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "—"
    if math.isnan(number):
        return "—"
    unit = get(key).unit
    if unit == "money":
        sign, size = ("−" if number < 0 else ""), abs(number)
        for limit, suffix in ((1e9, "B"), (1e6, "M")):
            if size >= limit:
                return f"{sign}{currency_symbol}{size / limit:.1f}{suffix}"
        return f"{sign}{currency_symbol}{size / 1e3:.0f}k" if size >= 1e4 else f"{sign}{currency_symbol}{size:,.0f}"
    formats = {"pct": f"{number * 100:.0f}%", "percent": f"{number:.1f}%", "days": f"{number:,.0f} days",
               "hours": f"{number:,.1f} h", "points": f"{number:+.1f} pp", "ratio": f"{number:.1f}×",
               "count": f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"}
    return formats[unit]


def table(search: str = "") -> pd.DataFrame:
    """Every metric as a row (owner, metric, name, definition, formula, unit, direction, pages, query, column),
    grouped by owning team; `search` keeps the rows whose texts contain every word of it (case-insensitive)."""
    rows = [{"owner": OWNERS[m.owner], "metric": m.key, "name": m.name, "definition": m.definition,
             "formula": m.formula, "unit": UNITS[m.unit], "direction": DIRECTIONS[m.direction],
             "pages": ", ".join(m.pages), "query": m.query, "column": m.column} for m in all_metrics()]
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    frame["owner"] = pd.Categorical(frame.owner, categories=list(OWNERS.values()), ordered=True)
    frame = frame.sort_values(["owner", "name"], kind="stable").reset_index(drop=True)
    frame["owner"] = frame.owner.astype(str)
    words = search.casefold().split()
    if words:
        text = frame.drop(columns=["metric"]).astype(str).agg(" ".join, axis=1).str.casefold() + " " + frame.metric
        keep = pd.Series(True, index=frame.index)
        for word in words:
            keep &= text.str.contains(word, regex=False)
        frame = frame[keep].reset_index(drop=True)
    return frame


@cache
def _lifecycle_raw() -> dict[str, Any]:
    raw = _read(LIFECYCLE_FILE)
    for section, fields in (("stages", ("key", "name", "rule", "field", "owner")), ("counting", ("name", "rule"))):
        entries = raw.get(section)
        if not isinstance(entries, list) or not entries:
            raise RegistryError(f"{LIFECYCLE_FILE}: [[{section}]] entries are missing")
        for number, entry in enumerate(entries, start=1):
            for name in fields:
                if not isinstance(entry.get(name), str) or not entry[name].strip():
                    raise RegistryError(f"{LIFECYCLE_FILE}: [[{section}]] entry {number} needs a text {name}")
    return raw


def lifecycle() -> pd.DataFrame:
    """stage, name, rule, field, owner: the lifecycle stages in funnel order (lead → won/lost) and their rules."""
    stages = [Stage(**entry) for entry in _lifecycle_raw()["stages"]]
    return pd.DataFrame([{"stage": s.key, "name": s.name, "rule": " ".join(s.rule.split()), "field": s.field,
                          "owner": OWNERS.get(s.owner, s.owner)} for s in stages],
                        columns=["stage", "name", "rule", "field", "owner"])


def counting_rules() -> pd.DataFrame:
    """name, rule: how the funnel counts on top of the stage rules (cohort and period modes, conversion, response)."""
    return pd.DataFrame([{"name": e["name"], "rule": " ".join(e["rule"].split())}
                         for e in _lifecycle_raw()["counting"]], columns=["name", "rule"])


@cache
def funnel_rules() -> tuple[tuple[str, str], ...]:
    """(name, rule) of every lifecycle stage and then every counting rule, as the funnel page lists them (read once:
    the two frames are not built again on every view)."""
    return tuple((r.name, r.rule) for frame in (lifecycle(), counting_rules()) for r in frame.itertuples(index=False))


def attribution_models() -> pd.DataFrame:
    """model, name, rule, weights: every attribution model as queries.attribution.MODELS defines it."""
    rows = []
    for key, spec in attribution.MODELS.items():
        weights = ", ".join(f"{name.split('_', 1)[1]} {value:.0%}" for name, value in spec["weights"].items())
        if key == "time_decay":
            weights = f"half-life {attribution.DEFAULT_HALF_LIFE_DAYS:g} days by default (adjustable)"
        rows.append({"model": key, "name": spec["label"], "rule": spec["rule"], "weights": weights or "—"})
    return pd.DataFrame(rows, columns=["model", "name", "rule", "weights"])


def sla_hours(settings: settings_module.Settings) -> float:
    """The SLA in force: hours sales has to first contact an MQL (the settings' [handoff] sla_hours)."""
    return float(settings.sla_hours)


def sla_sentence(settings: settings_module.Settings) -> str:
    return (f"Sales first contacts every MQL within {sla_hours(settings):g} hours of it becoming an MQL "
            "(the SLA on the Settings page; the Funnel page can try another value without changing it).")


def export(settings: settings_module.Settings) -> pd.DataFrame:
    """Everything the Definitions page shows, as one long table for a CSV: section, key, name, definition, formula,
    unit, owner, direction, pages, query."""
    metrics = table().rename(columns={"metric": "key"}).assign(section="metric")
    metrics["query"] = metrics["query"] + " → " + metrics.pop("column")
    stages = lifecycle().rename(columns={"stage": "key", "rule": "definition", "field": "formula"}).assign(
        section="lifecycle stage")
    counting = counting_rules().rename(columns={"rule": "definition"}).assign(section="counting rule")
    models = attribution_models().rename(columns={"model": "key", "rule": "definition", "weights": "formula"}).assign(
        section="attribution model", owner="Marketing")
    sla = pd.DataFrame([{"section": "SLA", "key": "sla_hours", "name": "Speed-to-lead SLA",
                         "definition": sla_sentence(settings), "formula": f"{sla_hours(settings):g} hours",
                         "unit": "hours", "owner": "Joint"}])
    columns = ["section", "key", "name", "definition", "formula", "unit", "owner", "direction", "pages", "query"]
    return pd.concat([metrics, stages, counting, models, sla], ignore_index=True).reindex(columns=columns)
