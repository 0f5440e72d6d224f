"""Quota and pipeline figures: this month's pacing, the rep leaderboard and spread, attainment history, pipeline by
stage and coverage. Pure: DataFrame → go.Figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import BLACK, BLUE, GREEN, GREY, OKABE_ITO, ORANGE, VERMILION, base_layout

STAGE_COLOURS = {"prospecting": "#56B4E9", "qualification": BLUE, "proposal": ORANGE, "negotiation": GREEN,
                 "closed since": GREY}


def pacing(frame: pd.DataFrame, *, key: str, symbol: str = "$") -> go.Figure:
    """Per group: booked to date (bar) against quota, the pacing line to date and both month-end projections."""
    labels = frame[key].astype(str)
    fig = go.Figure([
        go.Bar(y=labels, x=frame.quota, orientation="h", name="Quota", marker_color="#E5E5E5",
               hovertemplate=f"Quota: {symbol}%{{x:,.0f}}<extra></extra>"),
        go.Bar(y=labels, x=frame.booked_to_date, orientation="h", name="Booked to date", marker_color=BLUE,
               width=0.45, hovertemplate=f"Booked: {symbol}%{{x:,.0f}}<extra></extra>"),
        go.Scatter(y=labels, x=frame.expected_to_date, mode="markers", name="Pacing (linear, to date)",
                   marker={"symbol": "line-ns-open", "size": 26, "line": {"width": 3, "color": BLACK}},
                   hovertemplate=f"Expected by today: {symbol}%{{x:,.0f}}<extra></extra>"),
        go.Scatter(y=labels, x=frame.projected, mode="markers", name="Projected: run rate",
                   marker={"symbol": "diamond", "size": 11, "color": ORANGE},
                   hovertemplate=f"Run-rate projection: {symbol}%{{x:,.0f}}<extra></extra>"),
        go.Scatter(y=labels, x=frame.projected_weighted, mode="markers", name="Projected: booked + weighted pipeline",
                   marker={"symbol": "circle", "size": 11, "color": VERMILION},
                   hovertemplate=f"Weighted projection: {symbol}%{{x:,.0f}}<extra></extra>"),
    ])
    fig.update_layout(barmode="overlay", hovermode="y unified", yaxis={"autorange": "reversed"})
    return base_layout(fig, title="This month: booked against quota and pacing", x_title=f"Amount ({symbol})",
                       height=max(260, 70 * len(frame) + 120))


def leaderboard(frame: pd.DataFrame, *, names: pd.Series | None = None) -> go.Figure:
    """Reps ranked by attainment to date (bars), 100 % marked."""
    ordered = frame.sort_values("attainment_to_date", ascending=True, na_position="first")
    labels = ordered.rep_id if names is None else ordered.rep_id.map(names).fillna(ordered.rep_id)
    colours = [GREEN if (v or 0) >= 1 else BLUE for v in ordered.attainment_to_date.fillna(0)]
    fig = go.Figure([go.Bar(y=labels, x=ordered.attainment_to_date * 100, orientation="h", marker_color=colours,
                            name="Attainment", hovertemplate="%{y}: %{x:.0f}% of quota<extra></extra>")])
    fig.add_vline(x=100, line={"color": BLACK, "dash": "dash"}, annotation_text="quota")
    fig.update_layout(hovermode="closest", showlegend=False)
    return base_layout(fig, title="Leaderboard: attainment to date", x_title="Attainment (% of month's quota)",
                       height=max(300, 22 * len(frame) + 120))


def attainment_spread(frame: pd.DataFrame) -> go.Figure:
    """How reps' attainment to date is spread (histogram in 10-point bins)."""
    fig = go.Figure([go.Histogram(x=frame.attainment_to_date.dropna() * 100, xbins={"size": 10}, marker_color=BLUE,
                                  name="Reps", hovertemplate="%{x}%: %{y} reps<extra></extra>")])
    fig.add_vline(x=100, line={"color": BLACK, "dash": "dash"}, annotation_text="quota")
    fig.update_layout(hovermode="closest", showlegend=False, bargap=0.05)
    return base_layout(fig, title="Spread of attainment across reps", x_title="Attainment to date (% of quota)",
                       y_title="Reps (count)", height=300)


def history(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Booked per month and team (bars) against each team's month-varying quota (dashed line)."""
    fig = go.Figure()
    for i, (team, rows) in enumerate(frame.groupby("team", sort=True)):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        fig.add_trace(go.Bar(x=rows.month, y=rows.booked, name=f"{team} booked", marker_color=colour,
                             legendgroup=team, hovertemplate=f"{team} booked: {symbol}%{{y:,.0f}}<extra></extra>"))
        fig.add_trace(go.Scatter(x=rows.month, y=rows.quota, name=f"{team} quota", mode="lines",
                                 line={"color": colour, "dash": "dash", "shape": "hvh"}, legendgroup=team,
                                 hovertemplate=f"{team} quota: {symbol}%{{y:,.0f}}<extra></extra>"))
    fig.update_layout(barmode="group")
    return base_layout(fig, title="Booked against quota by month and team", x_title="Month",
                       y_title=f"Revenue ({symbol})", height=380)


def share_at_quota(frame: pd.DataFrame) -> go.Figure:
    """Share of reps at or above 100 % of quota, by month and team (lines)."""
    fig = go.Figure()
    for i, (team, rows) in enumerate(frame.groupby("team", sort=True)):
        fig.add_trace(go.Scatter(x=rows.month, y=rows.share_at_quota * 100, name=team, mode="lines+markers",
                                 line={"color": OKABE_ITO[i % len(OKABE_ITO)]},
                                 customdata=rows[["reps_at_quota", "reps_with_quota"]],
                                 hovertemplate=f"{team}: %{{y:.0f}}%% (%{{customdata[0]}} of %{{customdata[1]}} reps)"
                                               "<extra></extra>"))
    fig.update_yaxes(range=[0, 105])
    return base_layout(fig, title="Share of reps at or above quota", x_title="Month",
                       y_title="Reps at ≥ 100 % of quota (%)", height=320)


def pipeline_by_stage(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Open pipeline by expected close month (bars stacked by stage); deals without a date in their own column."""
    months = frame.close_month.map(lambda m: "No date" if m is None or pd.isna(m) else f"{m:%b %Y}")
    order = list(dict.fromkeys(months))
    fig = go.Figure()
    for stage, colour in STAGE_COLOURS.items():
        mask = frame.stage == stage
        if mask.any():
            fig.add_trace(go.Bar(x=months[mask], y=frame.open_amount[mask], name=stage, marker_color=colour,
                                 customdata=frame.deal_count[mask],
                                 hovertemplate=f"{stage}: {symbol}%{{y:,.0f}} (%{{customdata}} deals)<extra></extra>"))
    fig.update_layout(barmode="stack", xaxis={"categoryorder": "array", "categoryarray": order})
    return base_layout(fig, title="Open pipeline by expected close month and stage", x_title="Expected close month",
                       y_title=f"Open pipeline ({symbol})", height=360)


def coverage(frame: pd.DataFrame, *, key: str) -> go.Figure:
    """Coverage per group (bars) against the coverage its win rate requires (markers)."""
    labels = frame[key].astype(str)
    fig = go.Figure([
        go.Bar(x=labels, y=frame.coverage, name="Coverage", marker_color=BLUE,
               hovertemplate="Coverage: %{y:.2f}×<extra></extra>"),
        go.Scatter(x=labels, y=frame.required_coverage, name="Required (1 / win rate)", mode="markers",
                   marker={"symbol": "line-ew-open", "size": 30, "line": {"width": 3, "color": VERMILION}},
                   hovertemplate="Required: %{y:.2f}×<extra></extra>"),
    ])
    return base_layout(fig, title="Pipeline coverage of the remaining quota", x_title=key.replace("_", " ").title(),
                       y_title="Open pipeline ÷ remaining quota (×)", height=340)
