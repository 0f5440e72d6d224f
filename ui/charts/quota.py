"""Quota and pipeline figures: this month's pacing, the rep leaderboard and spread, attainment history, pipeline by
stage and coverage. Pure: DataFrame → go.Figure."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.charts import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    OKABE_ITO,
    ORANGE,
    RANKED_BARS,
    VERMILION,
    arrays,
    figure,
    groups,
    layout,
    partial_months,
    plot,
    ranked_ends,
    vline,
)

STAGE_COLOURS = {"prospecting": "#56B4E9", "qualification": BLUE, "proposal": ORANGE, "negotiation": GREEN,
                 "closed since": GREY}
# Bars at or above quota green, the rest blue: as a two-colour scale over 0/1 because Plotly checks a list of
# colour names one by one (slow for a few hundred reps).
AT_QUOTA_SCALE = [[0.0, BLUE], [1.0, GREEN]]


def _quota_line() -> dict[str, list[dict]]:
    return vline(100, line={"color": BLACK, "dash": "dash"}, text="quota")


def pacing(frame: pd.DataFrame, *, key: str, symbol: str = "$") -> go.Figure:
    """Per group: booked to date (bar) against quota, the pacing line to date and both month-end projections."""
    labels = frame[key].astype(str).to_numpy()
    groups = arrays(frame)
    # hovermode stays the shared "x unified": the layout this replaced set "y unified" and then overwrote it.
    return figure([
        plot.Bar(y=labels, x=groups.quota, orientation="h", name="Quota", marker_color="#E5E5E5",
                 hovertemplate=f"Quota: {symbol}%{{x:,.0f}}<extra></extra>"),
        plot.Bar(y=labels, x=groups.booked_to_date, orientation="h", name="Booked to date", marker_color=BLUE,
                 width=0.45, hovertemplate=f"Booked: {symbol}%{{x:,.0f}}<extra></extra>"),
        plot.Scatter(y=labels, x=groups.expected_to_date, mode="markers", name="Pacing (linear, to date)",
                     marker={"symbol": "line-ns-open", "size": 26, "line": {"width": 3, "color": BLACK}},
                     hovertemplate=f"Expected by today: {symbol}%{{x:,.0f}}<extra></extra>"),
        plot.Scatter(y=labels, x=groups.projected, mode="markers", name="Projected: run rate",
                     marker={"symbol": "diamond", "size": 11, "color": ORANGE},
                     hovertemplate=f"Run-rate projection: {symbol}%{{x:,.0f}}<extra></extra>"),
        plot.Scatter(y=labels, x=groups.projected_weighted, mode="markers",
                     name="Projected: booked + weighted pipeline",
                     marker={"symbol": "circle", "size": 11, "color": VERMILION},
                     hovertemplate=f"Weighted projection: {symbol}%{{x:,.0f}}<extra></extra>"),
    ], layout(title="This month: booked against quota and pacing", x_title=f"Amount ({symbol})",
              height=max(260, 70 * len(frame) + 120), barmode="overlay", yaxis={"autorange": "reversed"}))


def leaderboard(frame: pd.DataFrame, *, names: pd.Series | None = None) -> go.Figure:
    """Reps ranked by attainment to date (bars), 100 % marked."""
    ordered = frame.sort_values("attainment_to_date", ascending=True, na_position="first")
    if len(ordered) > RANKED_BARS:  # both ends of a long ranking: reps without an attainment rank at neither
        ordered = ordered[ordered.attainment_to_date.notna()]
    ordered, shown = ranked_ends(ordered, noun="reps with an attainment" if len(ordered) < len(frame) else "reps")
    labels = ordered.rep_id if names is None else ordered.rep_id.map(names).fillna(ordered.rep_id)
    attainment = ordered.attainment_to_date.to_numpy(dtype=float, na_value=float("nan"))
    at_quota = (attainment >= 1).astype(int)  # NaN ≥ 1 is False: no attainment is blue
    return figure([plot.Bar(y=labels.to_numpy(), x=attainment * 100, orientation="h", name="Attainment",
                            marker={"color": at_quota, "colorscale": AT_QUOTA_SCALE, "cmin": 0, "cmax": 1},
                            hovertemplate="%{y}: %{x:.0f}% of quota<extra></extra>")],
                  layout(title=f"Leaderboard: attainment to date{shown}",
                         x_title="Attainment (% of month's quota)", height=max(300, 22 * len(ordered) + 120),
                         showlegend=False, **_quota_line()))


def attainment_spread(frame: pd.DataFrame) -> go.Figure:
    """How reps' attainment to date is spread (histogram in 10-point bins)."""
    return figure([plot.Histogram(x=frame.attainment_to_date.dropna().to_numpy() * 100, xbins={"size": 10},
                                  marker_color=BLUE, name="Reps",
                                  hovertemplate="%{x}%: %{y} reps<extra></extra>")],
                  layout(title="Spread of attainment across reps", x_title="Attainment to date (% of quota)",
                         y_title="Reps (count)", height=300, showlegend=False, bargap=0.05, **_quota_line()))


def history(frame: pd.DataFrame, *, symbol: str = "$", through: date | None = None) -> go.Figure:
    """Booked per month and team (bars) against each team's month-varying quota (dashed line); a month not complete
    by `through` (the last day the data covers) marked as partial (its quota is the whole month's)."""
    traces: list[go.Bar | go.Scatter] = []
    for i, (team, months) in enumerate(groups(frame, "team")):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        partial = partial_months(months.month, through)
        traces += [
            plot.Bar(x=months.month, y=months.booked, name=f"{team} booked", legendgroup=team,
                     **partial.bar(colour, f"{team} booked: {symbol}%{{y:,.0f}}<extra></extra>")),
            plot.Scatter(x=months.month, y=months.quota, name=f"{team} quota", mode="lines",
                         line={"color": colour, "dash": "dash", "shape": "hvh"}, legendgroup=team,
                         hovertemplate=f"{team} quota: {symbol}%{{y:,.0f}}<extra></extra>"),
        ]
    return figure(traces, layout(title="Booked against quota by month and team", x_title="Month",
                                 y_title=f"Revenue ({symbol})", height=380, barmode="group",
                                 **partial_months(frame.month.to_numpy(), through).band()))


def share_at_quota(frame: pd.DataFrame, *, through: date | None = None) -> go.Figure:
    """Share of reps at or above 100 % of quota, by month and team (lines); a month not complete by `through` (the
    last day the data covers) marked as partial."""
    traces = []
    for i, (team, months) in enumerate(groups(frame, "team")):
        partial = partial_months(months.month, through)
        traces.append(plot.Scatter(x=months.month, y=months.share_at_quota * 100, name=team,
                                   line={"color": OKABE_ITO[i % len(OKABE_ITO)]},
                                   customdata=np.column_stack((months.reps_at_quota, months.reps_with_quota)),
                                   **partial.line(f"{team}: %{{y:.0f}}%% (%{{customdata[0]}} of %{{customdata[1]}} "
                                                  "reps)<extra></extra>")))
    return figure(traces, layout(title="Share of reps at or above quota", x_title="Month",
                                 y_title="Reps at ≥ 100 % of quota (%)", height=320, yaxis={"range": [0, 105]},
                                 **partial_months(frame.month.to_numpy(), through).band()))


def pipeline_by_stage(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Open pipeline by expected close month (bars stacked by stage); deals without a date in their own column."""
    cells = arrays(frame)
    months = pd.Series(["No date" if m is None or pd.isna(m) else f"{m:%b %Y}" for m in cells.close_month]).to_numpy()
    traces = []
    for stage, colour in STAGE_COLOURS.items():
        mask = cells.stage == stage
        if mask.any():
            traces.append(plot.Bar(x=months[mask], y=cells.open_amount[mask], name=stage, marker_color=colour,
                                   customdata=cells.deal_count[mask],
                                   hovertemplate=f"{stage}: {symbol}%{{y:,.0f}} (%{{customdata}} deals)"
                                                 "<extra></extra>"))
    return figure(traces, layout(title="Open pipeline by expected close month and stage",
                                 x_title="Expected close month", y_title=f"Open pipeline ({symbol})", height=360,
                                 barmode="stack",
                                 xaxis={"categoryorder": "array", "categoryarray": list(dict.fromkeys(months))}))


def coverage(frame: pd.DataFrame, *, key: str) -> go.Figure:
    """Coverage per group (bars) against the coverage its win rate requires (markers)."""
    labels = frame[key].astype(str).to_numpy()
    groups = arrays(frame)
    return figure([
        plot.Bar(x=labels, y=groups.coverage, name="Coverage", marker_color=BLUE,
                 hovertemplate="Coverage: %{y:.2f}×<extra></extra>"),
        plot.Scatter(x=labels, y=groups.required_coverage, name="Required (1 / win rate)", mode="markers",
                     marker={"symbol": "line-ew-open", "size": 30, "line": {"width": 3, "color": VERMILION}},
                     hovertemplate="Required: %{y:.2f}×<extra></extra>"),
    ], layout(title="Pipeline coverage of the remaining quota", x_title=key.replace("_", " ").title(),
              y_title="Open pipeline ÷ remaining quota (×)", height=340))
