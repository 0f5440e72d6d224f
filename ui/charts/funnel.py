"""Funnel and handoff figures: the narrowing funnel, conversion by split, MQLs against target, rejection reasons,
the SLA per rep, SQL rate by response time and days between stages. Pure: DataFrame → go.Figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from ui.charts import (
    BLUE,
    GREY,
    OKABE_ITO,
    ORANGE,
    VERMILION,
    Columns,
    arrays,
    figure,
    layout,
    partial_months,
    plot,
    ranked_ends,
    vline,
)

# How the MQLs without an owner rep are named in the SLA ranking (and its table on the page).
NO_OWNER = "(no owner)"


def _pct_text(values: Sequence[float]) -> list[str]:
    return ["" if pd.isna(v) else f"{v:.0%}" for v in values]


def funnel(frame: pd.DataFrame, *, labels: Mapping[str, str], mode: str, title: str | None = None) -> go.Figure:
    """Leads → won (or the stages given) as a funnel of counts, each bar labelled with its step conversion
    (impressions left out: ad views, not people, they would dwarf the rest). `title` replaces the mode's own."""
    rows = arrays(frame[frame.stage != "impressions"])
    steps = _pct_text(rows.step_conversion)
    text = [f"{int(c):,}" + (f" · {s} of previous" if s and i else "")
            for i, (c, s) in enumerate(zip(rows.count, steps, strict=True))]
    title = title or ("Cohort: leads created in the period, by the furthest stage reached (count)" if mode == "cohort"
                      else "Period: funnel events that happened in the period (count)")
    return figure([plot.Funnel(y=[labels[s] for s in rows.stage], x=rows.count.astype(float), text=text,
                               textinfo="text", marker={"color": BLUE},
                               hovertemplate="%{y}: %{x:,.0f}<extra></extra>")],
                  layout(title=title, y_title="Stage", height=380, hovermode="closest"))


def conversion_by_split(frame: pd.DataFrame, *, by: str, labels: Mapping[str, str],
                        groups: Sequence[str]) -> go.Figure:
    """Cumulative conversion from lead at each stage, one line per group (the given groups, in order)."""
    rows = frame[frame.stage != "impressions"]
    split = rows[by].to_numpy()
    traces = []
    for i, group in enumerate(groups):
        part = Columns(rows, split == group)
        traces.append(plot.Scatter(x=[labels[s] for s in part.stage], y=part.cumulative_conversion * 100,
                                   mode="lines+markers", name=str(group), line={"color": OKABE_ITO[i % len(OKABE_ITO)]},
                                   hovertemplate=f"{group}: %{{y:.1f}}%<extra></extra>"))
    return figure(traces, layout(title=f"Conversion from lead by {by} (%)", x_title="Stage",
                                 y_title="Share of leads reaching the stage (%)", height=400))


def mql_delivery(frame: pd.DataFrame, *, through: date | None = None) -> go.Figure:
    """MQLs delivered per month (bars) against the monthly marketing MQL target (line); a month not complete by
    `through` (the last day the data covers) marked as partial (its target is the whole month's)."""
    months = arrays(frame)
    partial = partial_months(months.month, through)
    traces: list[go.Bar | go.Scatter] = [plot.Bar(x=months.month, y=months.mqls, name="MQLs delivered",
                                                  **partial.bar(BLUE, "%{x|%b %Y}: %{y:,.0f} MQLs<extra></extra>"))]
    if frame.target_mqls.notna().any():
        traces.append(plot.Scatter(x=months.month, y=months.target_mqls, name="Target", mode="lines+markers",
                                   line={"color": VERMILION, "dash": "dash"},
                                   hovertemplate="Target: %{y:,.0f}<extra></extra>"))
    return figure(traces, layout(title="MQLs delivered vs the monthly target (count)", x_title="Month",
                                 y_title="MQLs (count)", height=320, **partial.band()))


def rejection_reasons(frame: pd.DataFrame) -> go.Figure:
    """Rejected MQLs per reason (horizontal bars, most frequent on top)."""
    rows = arrays(frame.iloc[::-1])
    return figure([plot.Bar(y=rows.reject_reason, x=rows.rejected, orientation="h", marker_color=ORANGE,
                            text=_pct_text(rows.share), textposition="auto",
                            hovertemplate="%{y}: %{x:,.0f} rejected<extra></extra>")],
                  layout(title="Why sales rejected MQLs (count)", x_title="Rejected MQLs (count)", height=320,
                         hovermode="closest"))


def sla_ranking(frame: pd.DataFrame, *, column: str, sla_hours: float, target_pct: float | None = None) -> go.Figure:
    """Share of MQLs first contacted within the SLA per rep (or team, region), best on top; a target line if set."""
    kept, shown = ranked_ends(frame, noun=f"{column.replace('_id', '')}s")
    rows = kept.iloc[::-1]
    names = rows[column].fillna(NO_OWNER).astype(str).to_numpy()
    target = {} if target_pct is None else vline(target_pct, line={"color": VERMILION, "dash": "dash"},
                                                 text=f"target {target_pct:.0f}%")
    return figure([plot.Bar(y=names, x=rows.pct_within_sla.to_numpy() * 100, orientation="h", marker_color=BLUE,
                            customdata=rows[["median_response_hours", "mqls"]].to_numpy(),
                            hovertemplate="%{y}: %{x:.0f}% within SLA · median %{customdata[0]:.1f} h · "
                                          "%{customdata[1]:,.0f} MQLs<extra></extra>")],
                  layout(title=f"MQLs first contacted within {sla_hours:g} h, by {column.replace('_id', '')} (%)"
                               f"{shown}",
                         x_title=f"Share of MQLs contacted within {sla_hours:g} h (%)",
                         height=max(320, 22 * len(rows) + 120), hovermode="closest", xaxis={"range": [0, 100]},
                         **target))


def response_buckets(frame: pd.DataFrame, *, fast: Sequence[str]) -> go.Figure:
    """SQL rate by time to first contact: buckets within 24 h in blue, slower in orange, never in grey."""
    buckets = arrays(frame)
    colours = [BLUE if b in fast else GREY if b == "never" else ORANGE for b in buckets.bucket]
    text = [f"{r:.0%} of {n:,}" if pd.notna(r) else "no MQLs"
            for r, n in zip(buckets.sql_rate, buckets.leads, strict=True)]
    return figure([plot.Bar(x=buckets.bucket, y=buckets.sql_rate * 100, marker_color=colours, text=text,
                            textposition="auto", hovertemplate="%{x}: %{y:.1f}% reached SQL<extra></extra>")],
                  layout(title="Conversion to SQL by time from MQL to first contact (%)",
                         x_title="Time to first contact", y_title="MQLs reaching SQL (%)", height=340,
                         hovermode="closest"))


def stage_days(frame: pd.DataFrame, *, labels: Mapping[str, str]) -> go.Figure:
    """Median days between consecutive stages (horizontal bars, funnel order top to bottom)."""
    rows = arrays(frame.iloc[::-1])
    names = [f"{labels[a]} → {labels[b]}" for a, b in zip(rows.from_stage, rows.to_stage, strict=True)]
    return figure([plot.Bar(y=names, x=rows.median_days, orientation="h", marker_color=BLUE,
                            text=["" if pd.isna(d) else f"{d:.1f} d" for d in rows.median_days],
                            textposition="auto", customdata=rows.leads,
                            hovertemplate="%{y}: median %{x:.1f} days over %{customdata:,} leads<extra></extra>")],
                  layout(title="Median days between stages (days)", x_title="Median days", height=300,
                         hovermode="closest"))
