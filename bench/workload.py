"""What the benchmark runs: the page variants and, for each, the queries calls its default view makes.

This is the one list of "the same arguments the page uses". It was read off each page's code (default widget
values, the shared filters at their defaults with the as-of date fixed to END); `python -m bench` also records
what every page actually asks ui.data for and reports whether that still equals this list.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from queries import (
    attribution,
    brand,
    campaigns,
    common,
    deals,
    funnel,
    health,
    lag,
    meeting,
    pipeline,
    plan,
    quota,
    scorecard,
    segments,
)
from queries import calendar as fiscal
from queries import settings as settings_file
from queries.ingest import core as ingest_core

# Every generated bench database ends here and every page runs as of this day: figures never drift with the date.
END = date(2026, 11, 26)
SEED = 7
MEETING_ID = "M-0002"  # the sample's latest (closed) planning meeting; opening it runs the whole agenda


@dataclass(frozen=True)
class Variant:
    """One page view: the page file (as registered in ui/navigation.py) and the widget state that opens it (what
    the URL parameters ?view=… and ?meeting=… seed on a session's first run)."""
    name: str
    path: str
    state: tuple[tuple[str, Any], ...] = ()
    calls: Callable[[Callable[..., pd.DataFrame], Context], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Context:
    """The filter values every page sees by default (dashboard.py's filter bar, as of END)."""
    start: date
    end: date
    as_of: date
    probabilities: tuple[tuple[str, float], ...]
    sla_hours: float
    horizon_months: int
    currency_symbol: str
    fiscal_start: int


def context(con=None) -> Context:
    """The filters and settings a page view uses: the database's settings (the seed file's without a connection)."""
    settings = settings_file.load(con) if con is not None else settings_file.seed()
    start, end = fiscal.preset_period("trailing_12_months", END, settings.fiscal_year_start_month)
    return Context(start=start, end=end, as_of=END, probabilities=tuple(settings.stage_probabilities.items()),
                   sla_hours=float(settings.sla_hours), horizon_months=settings.default_horizon_months or 0,
                   currency_symbol=settings.currency_symbol, fiscal_start=settings.fiscal_year_start_month)


def months_back(as_of: date, months: int) -> date:
    return (pd.Timestamp(as_of).to_period("M") - (months - 1)).start_time.date()


# Each function below makes the calls its page makes (in the order the page starts or loads them; the data layer's
# timing runs them one after another); `call(fn, **kwargs)` runs or records one.
# The shell's own calls (ui/shell.py: the filter bar's options and the data's span) start every page.

def shell(call, c: Context) -> None:
    # common.table_rows too, once per session and data_version (SESSION_CALLS): a page's own run does not ask.
    call(common.dimension_values)
    call(common.data_span)


def leadership(call, c: Context) -> None:
    shell(call, c)
    window = {"brand_metric": "aided_awareness", "sales_series": "pipeline_created", "start": date(2000, 1, 1),
              "end": c.as_of, "region": "all", "segments": None, "regions": None}
    correlation = call(lag.cross_correlation, max_lag=12, **window)
    brand_start = months_back(c.as_of, c.horizon_months) if c.horizon_months else date(2000, 1, 1)
    series = call(brand.metric_series, metric="aided_awareness", start=brand_start, end=c.as_of, region="all")
    call(quota.month_to_date, as_of=c.as_of, teams=None, regions=None)
    call(quota.pipeline_month_to_date, as_of=c.as_of, segments=None, teams=None, regions=None)
    call(brand.latest, as_of=c.as_of, region="all", metrics=["aided_awareness", "share_of_voice"])
    call(brand.spend_by_month, start=brand_start, end=c.as_of)
    call(brand.latest, as_of=c.as_of, region="all")
    call(quota.attainment, start=c.start, end=c.end, by="all", teams=None, regions=None)
    call(quota.pacing_levels, as_of=c.as_of, teams=None, regions=None)
    call(quota.daily_pacing, as_of=c.as_of, by="all", teams=None, regions=None)
    call(quota.daily_pacing, as_of=c.as_of, by="team", teams=None, regions=None)
    call(brand.large_launches, start=series.month.min(), end=c.as_of)
    found = correlation.dropna(subset=["r"])
    if not found.empty:  # with no correlation the page draws no shifted series
        call(lag.monthly_series, lag=int(found.loc[found.r.idxmax()].lag_months), **window)


def held(call) -> set[str]:
    """The tables that hold rows: a page leaves out what needs the others. The session's first run read them
    (SESSION_CALLS): the page itself does not ask again."""
    counts = call(common.table_rows)
    return set(counts.table_name[counts.row_count > 0])


def campaigns_filters(call, c: Context, tables: tuple[str, ...]) -> bool:
    shell(call, c)
    if not set(tables) <= held(call):
        return False
    call(campaigns.channels)
    return True


def campaigns_plan(call, c: Context) -> None:
    if campaigns_filters(call, c, ("campaigns",)):
        call(campaigns.plan, start=c.start, end=c.end, as_of=c.as_of, objective=None, channels=[], status=[])


def campaigns_performance(call, c: Context) -> None:
    if not campaigns_filters(call, c, ("campaigns", "campaign_spend")):
        return
    args = {"start": c.start, "end": c.end, "channels": [], "objective": None, "model": "linear",
            "half_life_days": attribution.DEFAULT_HALF_LIFE_DAYS}
    performance = call(campaigns.performance_levels, **args)
    per_campaign = campaigns.at_level(performance, "campaign")
    if per_campaign.filter(like="_without_").to_numpy().any():  # the page then says what the figures leave out
        call(campaigns.performance_gaps, campaign_ids=per_campaign.campaign_id.tolist(), start=c.start, end=c.end)


def campaigns_attribution(call, c: Context) -> None:
    shell(call, c)
    tables = held(call)
    if "deals" not in tables:
        return
    half_life = attribution.DEFAULT_HALF_LIFE_DAYS
    credit = call(attribution.revenue_by_campaign, start=c.start, end=c.end, model="linear", half_life_days=half_life)
    if not {"campaigns", "leads", "touches"} <= tables:
        return
    if not credit.empty:
        call(attribution.revenue_by_channel, start=c.start, end=c.end, half_life_days=half_life)
    call(attribution.sourced_vs_influenced, start=c.start, end=c.end)


def campaigns_spend(call, c: Context) -> None:
    shell(call, c)
    tables = held(call)
    if not {"campaigns", "campaign_spend"} <= tables:
        return
    # The first of its three tabs, spend against pipeline; the curves and the overspend list run when opened.
    call(campaigns.spend_vs_pipeline, start=c.start, end=c.end, theta=campaigns.DEFAULT_THETA)


def quota_page(call, c: Context) -> None:
    shell(call, c)
    p = c.probabilities
    reps = {"teams": None, "regions": None}
    call(quota.pacing_levels, as_of=c.as_of, **reps)
    call(pipeline.weighted_projection_levels, as_of=c.as_of, stage_probabilities=p, **reps)
    call(quota.attainment, start=c.start, end=c.end, by="team", **reps)
    call(deals.reps_at_quota, start=c.start, end=c.end, **reps)
    call(quota.attainment_by_fiscal_quarter, start=c.start, end=c.end, fiscal_start=c.fiscal_start, by="team",
         **reps)
    call(pipeline.coverage_levels, as_of=c.as_of, horizon_months=1, **reps)
    call(pipeline.open_by_stage, as_of=c.as_of, stage_probabilities=p, **reps)
    call(deals.summary, start=c.start, end=c.end, by="rep", **reps)


def segments_page(call, c: Context) -> None:
    shell(call, c)
    for dims in (("region", "segment", "industry"), ("region", "segment")):
        call(segments.performance, start=c.start, end=c.end, dims=dims, regions=None, segments=None)


def funnel_page(call, c: Context) -> None:
    shell(call, c)
    lead_filters = {"start": c.start, "end": c.end, "regions": None, "segments": None}
    call(funnel.stages, mode="cohort", by=None, **lead_filters)
    call(funnel.stage_days, **lead_filters)
    call(funnel.mql_delivery, **lead_filters)
    call(funnel.rejection_reasons, **lead_filters)
    call(funnel.sla, sla_hours=c.sla_hours, by="all", teams=None, **lead_filters)
    call(funnel.sla, sla_hours=c.sla_hours, by="rep", teams=None, **lead_filters)
    call(funnel.response_buckets, teams=None, **lead_filters)
    call(funnel.breaches, as_of=c.as_of, sla_hours=c.sla_hours, teams=None, **lead_filters)


def joint_plan(call, c: Context) -> None:
    shell(call, c)
    start_month = (pd.Timestamp(c.as_of).to_period("M") + 1).start_time.date()
    rates = call(plan.funnel_rates, start_month=start_month, team=None, trailing_months=6).iloc[0]
    call(plan.reverse_funnel, start_month=start_month, months=3, team=None, trailing_months=6,
         revenue_source="quota", rates=rates)


def meeting_list(call, c: Context) -> None:
    shell(call, c)
    call(meeting.list_meetings)


def meeting_open(call, c: Context) -> None:
    shell(call, c)
    meetings = call(meeting.list_meetings).set_index("meeting_id")
    as_of = pd.Timestamp(meetings.loc[MEETING_ID].as_of).date()
    symbol = {"sla_hours": c.sla_hours, "currency_symbol": c.currency_symbol}
    call(scorecard.scorecard, as_of=as_of, **symbol)
    call(scorecard.scorecard, as_of=scorecard.a_month_earlier(as_of), **symbol)  # each tile's change
    previous = call(meeting.previous_meeting, meeting_id=MEETING_ID)
    if not previous.empty:
        call(scorecard.scorecard, as_of=pd.Timestamp(previous.as_of.iloc[0]).date(), **symbol)
    # The scorecard's chart views are tabs: its pacing and awareness trend load when opened.
    then = None if previous.empty else previous.as_of.iloc[0]
    after, through = meeting.window_of(meetings.loc[MEETING_ID], then)
    call(meeting.feedback_by_topic, after=after, through=through)
    call(meeting.feedback_since, after=after, through=through)
    call(meeting.list_action_items, status="open", as_of=as_of)
    # The forms below the agenda are tabs opening on the notes: the items to edit, the campaigns to name in feedback
    # and the joint targets load when their tab is opened.


def data_history(call, c: Context) -> None:
    shell(call, c)
    call(ingest_core.history)


def data_health(call, c: Context) -> None:
    shell(call, c)
    call(health.table_overview)
    call(health.key_nulls)
    call(health.orphans)
    call(health.table_schema, table="reps")


VARIANTS: tuple[Variant, ...] = (
    Variant("Brand & quota", "pages/leadership.py", calls=leadership),
    Variant("Campaigns · plan", "pages/campaigns.py", (("campaigns_view", "plan"),), campaigns_plan),
    Variant("Campaigns · performance", "pages/campaigns.py", (("campaigns_view", "performance"),),
            campaigns_performance),
    Variant("Campaigns · attribution", "pages/campaigns.py", (("campaigns_view", "attribution"),),
            campaigns_attribution),
    Variant("Campaigns · spend ≠ sales", "pages/campaigns.py", (("campaigns_view", "spend"),), campaigns_spend),
    Variant("Quota & pipeline", "pages/quota.py", calls=quota_page),
    Variant("Segments", "pages/segments.py", calls=segments_page),
    Variant("Funnel & handoff", "pages/funnel.py", calls=funnel_page),
    Variant("Joint plan", "pages/joint_plan.py", calls=joint_plan),
    Variant("Planning meeting · list", "pages/meeting.py", (("meeting_choice", None),), meeting_list),
    Variant("Planning meeting · open", "pages/meeting.py", (("meeting_choice", MEETING_ID),), meeting_open),
    Variant("Definitions", "pages/definitions.py", calls=shell),
    Variant("Data · import", "pages/data.py", (("data_view", "import"),), calls=shell),
    Variant("Data · history", "pages/data.py", (("data_view", "history"),), calls=data_history),
    Variant("Data · health", "pages/data.py", (("data_view", "health"),), calls=data_health),
    Variant("Settings", "pages/settings.py", calls=shell),
)


def frozen(kwargs: Mapping[str, Any]) -> tuple:
    """Keyword arguments as a comparable key: lists as tuples, a mapping or a Series (a row of rates) as its sorted
    items, NaN as "NaN" (so two calls with the same arguments compare equal)."""
    def value(v: Any) -> Any:
        if isinstance(v, pd.Series):
            v = v.to_dict()
        if isinstance(v, Mapping):
            return tuple(sorted((k, value(x)) for k, x in v.items()))
        if isinstance(v, list | tuple):
            return tuple(value(x) for x in v)
        if isinstance(v, float) and math.isnan(v):
            return "NaN"
        return v

    return tuple(sorted((k, value(v)) for k, v in kwargs.items()))


@dataclass(frozen=True)
class Call:
    """One concrete queries call: the function and its keyword arguments (lists kept as lists)."""
    fn: Callable[..., pd.DataFrame]
    kwargs: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.fn.__module__.removeprefix('queries.')}.{self.fn.__qualname__}"

    def key(self) -> tuple:
        """Comparable with what ui.data.load received (see frozen)."""
        return f"{self.fn.__module__}.{self.fn.__qualname__}", frozen(self.kwargs)

    def label(self) -> str:
        shown = {k: v for k, v in self.kwargs.items() if k in ("by", "dims", "mode", "metric", "status", "channel")}
        args = ", ".join(f"{k}={'/'.join(v) if isinstance(v, tuple) else v}" for k, v in shown.items())
        return f"{self.name}({args})"


# Calls a session makes once, on its first run, and keeps until the data changes (ui.needs.rows): a page's own run
# reads their result without asking ui.data again, so they are run for their result but not listed.
SESSION_CALLS = (common.table_rows,)


def plan_calls(variant: Variant, con, ctx: Context) -> list[Call]:
    """Resolve a variant's calls against a database (some arguments depend on earlier results). A call made again
    with the same arguments is listed once: the page's cache answers the repeat."""
    made: list[Call] = []

    def call(fn, **kwargs):
        made_now = Call(fn, kwargs)
        if fn not in SESSION_CALLS and all(earlier.key() != made_now.key() for earlier in made):
            made.append(made_now)
        return fn(con, **kwargs)

    variant.calls(call, ctx)
    return made


def run_calls(calls: list[Call], con) -> Iterator[pd.DataFrame]:
    for c in calls:
        yield c.fn(con, **c.kwargs)


def time_calls(con, planned: list, runs: int) -> tuple[list[float], list[float], list[list[float]]]:
    """(total wall per run, total CPU per run, per-call wall per run) over `runs` runs after one warm-up."""
    totals, cpus, per_call = [], [], [[] for _ in planned]
    for run in range(runs + 1):
        total, cpu = 0.0, time.process_time()
        for i, call in enumerate(planned):
            started = time.perf_counter()
            call.fn(con, **call.kwargs)
            elapsed = time.perf_counter() - started
            total += elapsed
            if run:
                per_call[i].append(elapsed)
        if run:
            totals.append(total)
            cpus.append(time.process_time() - cpu)
    return totals, cpus, per_call
