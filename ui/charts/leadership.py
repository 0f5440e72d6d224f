"""Leadership figures: the marketing clock (brand metrics, spend, launches), the sales clock (attainment, pacing)
and the bridge between them (correlation by lag, the shifted series). Pure: DataFrame → go.Figure."""

from __future__ import annotations

import html
import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from queries import metrics
from ui.charts import BLUE, GREEN, GREY, ORANGE, SKY, VERMILION, base_layout

# Brand metric names come from the metric registry (queries/metrics.toml); the keys are the brand_metrics vocabulary.
BRAND_LABELS: dict[str, str] = {metric: metrics.get(metric).name for metric in (
    "aided_awareness", "unaided_awareness", "consideration", "share_of_voice", "share_of_search", "branded_search",
    "web_visits")}
BRAND_UNITS: dict[str, str] = {metric: "%" if metric not in {"branded_search", "web_visits"} else "per month"
                               for metric in BRAND_LABELS}
SALES_LABELS: dict[str, str] = {
    "pipeline_created": "Pipeline created",
    "sqls": "SQLs",
    "inbound_leads": "Inbound leads",
    "won_revenue": "Won revenue",
}
LABEL_CHARS = 24
BLACK_LINE = "#333333"


def _short(text: object, limit: int = LABEL_CHARS) -> str:
    """Campaign names come from imports: shorten them and escape Plotly's HTML-like markup."""
    value = str(text)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value)


def _legend_below(fig: go.Figure) -> go.Figure:
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.28, "x": 0, "xanchor": "left"})
    return fig


def _unit_axis(metric: str) -> str:
    unit = BRAND_UNITS[metric]
    return f"{BRAND_LABELS[metric]} ({unit})"


def brand_series(series: pd.DataFrame, spend: pd.DataFrame, launches: pd.DataFrame, *, metric: str,
                 symbol: str = "$") -> go.Figure:
    """Monthly value and 3-month rolling average of one brand metric; brand spend as bars on a secondary axis;
    the largest campaign launches as annotated markers on the time axis."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=spend.month, y=spend.brand_spend, name="Brand spend", marker_color=SKY, opacity=0.35,
                         hovertemplate=f"Brand spend: {symbol}%{{y:,.0f}}<extra></extra>"), secondary_y=True)
    label = BRAND_LABELS[metric]
    fig.add_trace(go.Scatter(x=series.month, y=series.value, name=f"{label} (monthly)", mode="lines+markers",
                             line={"color": BLUE, "width": 1}, marker={"size": 5},
                             hovertemplate="Monthly: %{y:,.2f}<extra></extra>"), secondary_y=False)
    fig.add_trace(go.Scatter(x=series.month, y=series.rolling_3m, name="3-month average", mode="lines",
                             line={"color": ORANGE, "width": 3},
                             hovertemplate="3-month average: %{y:,.2f}<extra></extra>"), secondary_y=False)
    if not launches.empty:
        fig.add_trace(go.Scatter(
            x=launches.start_date, y=[0] * len(launches), name="Large launch", mode="markers",
            marker={"symbol": "triangle-up", "size": 13, "color": VERMILION},
            text=[_short(name, 60) for name in launches.name],
            customdata=launches.budget,
            hovertemplate=f"%{{text}}<br>launched %{{x|%d %b %Y}}, budget {symbol}%{{customdata:,.0f}}"
                          "<extra></extra>"), secondary_y=True)
        for i, row in enumerate(launches.itertuples(index=False)):
            # A dotted line up from the marker, the name at the top of the plot, staggered so names do not collide.
            top = 1.0 - 0.09 * (i % 3)
            fig.add_shape(type="line", x0=row.start_date, x1=row.start_date, yref="paper", y0=0, y1=top,
                          line={"color": VERMILION, "width": 1, "dash": "dot"})
            fig.add_annotation(x=row.start_date, yref="paper", y=top, yanchor="top",
                               text=_short(row.name), showarrow=False, font={"size": 11, "color": VERMILION},
                               bgcolor="rgba(255,255,255,0.8)")
    base_layout(fig, title=f"{label} and brand spend", x_title="Month", height=420)
    fig.update_yaxes(title_text=_unit_axis(metric), secondary_y=False)
    fig.update_yaxes(title_text=f"Brand spend ({symbol} per month)", secondary_y=True, showgrid=False,
                     rangemode="tozero")
    return _legend_below(fig)


def brand_yoy(series: pd.DataFrame, *, metric: str) -> go.Figure:
    """Year-over-year change of one brand metric per month (bars, green up, vermilion down)."""
    shown = series.dropna(subset=["yoy_change"])
    colours = [GREEN if v >= 0 else VERMILION for v in shown.yoy_change]
    unit = "pp" if BRAND_UNITS[metric] == "%" else "per month"
    fig = go.Figure([go.Bar(x=shown.month, y=shown.yoy_change, marker_color=colours, name="Change vs a year ago",
                            hovertemplate=f"%{{x|%b %Y}}: %{{y:+,.2f}} {unit}<extra></extra>")])
    return base_layout(fig, title=f"{BRAND_LABELS[metric]}: change against the same month a year earlier",
                       x_title="Month", y_title=f"Change ({unit})", height=260)


def attainment_by_month(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Booked revenue per month as bars against the month's quota as a line."""
    text = ["" if pd.isna(a) else f"{a:.0%}" for a in frame.attainment]
    fig = go.Figure([
        go.Bar(x=frame.month, y=frame.booked, name="Booked", marker_color=BLUE, text=text, textposition="outside",
               hovertemplate=f"Booked: {symbol}%{{y:,.0f}} (%{{text}} of quota)<extra></extra>"),
        go.Scatter(x=frame.month, y=frame.quota, name="Quota", mode="lines+markers", line={"color": BLACK_LINE,
                   "width": 2}, hovertemplate=f"Quota: {symbol}%{{y:,.0f}}<extra></extra>"),
    ])
    base_layout(fig, title="Booked revenue against quota, by month", x_title="Month",
                y_title=f"Revenue ({symbol})", height=380)
    return _legend_below(fig)



def _pacing_traces(daily: pd.DataFrame, *, symbol: str, show_legend: bool) -> list[go.Scatter]:
    booked = daily.dropna(subset=["booked_cumulative"])
    return [
        go.Scatter(x=daily.day, y=daily.expected_cumulative, name="Pacing line", mode="lines",
                   line={"color": GREY, "dash": "dot", "width": 2}, showlegend=show_legend,
                   hovertemplate=f"Pacing: {symbol}%{{y:,.0f}}<extra></extra>"),
        go.Scatter(x=booked.day, y=booked.booked_cumulative, name="Booked to date", mode="lines",
                   line={"color": BLUE, "width": 3, "shape": "hv"}, showlegend=show_legend,
                   hovertemplate=f"Booked: {symbol}%{{y:,.0f}}<extra></extra>"),
    ]


def _projection(pace: pd.Series, as_of: date, month_end: date, *, symbol: str, show_legend: bool) -> go.Scatter:
    return go.Scatter(x=[as_of, month_end], y=[pace.booked_to_date, pace.projected], name="Run-rate projection",
                      mode="lines+markers", line={"color": ORANGE, "dash": "dash", "width": 2},
                      showlegend=show_legend, hovertemplate=f"Projection: {symbol}%{{y:,.0f}}<extra></extra>")


def pacing(daily: pd.DataFrame, pace: pd.Series, *, as_of: date, symbol: str = "$") -> go.Figure:
    """This month: cumulative booked revenue against the pacing line, the run-rate projection and the quota."""
    month_end = daily.day.max()
    fig = go.Figure(_pacing_traces(daily, symbol=symbol, show_legend=True))
    fig.add_trace(_projection(pace, as_of, month_end, symbol=symbol, show_legend=True))
    if not math.isnan(pace.quota):
        fig.add_hline(y=pace.quota, line={"color": GREEN, "width": 2},
                      annotation_text=f"Quota {symbol}{pace.quota:,.0f}", annotation_position="top left")
    fig.add_vline(x=as_of, line={"color": GREY, "width": 1})
    base_layout(fig, title=f"{as_of:%B %Y}: booked to date against pacing", x_title="Day",
                y_title=f"Revenue, cumulative ({symbol})", height=380)
    return _legend_below(fig)


def pacing_by_team(daily: pd.DataFrame, pace: pd.DataFrame, *, as_of: date, symbol: str = "$") -> go.Figure:
    """Small multiples: one pacing panel per team, on a shared day axis."""
    teams = list(pace.team)
    columns = min(len(teams), 2) or 1
    rows = math.ceil(len(teams) / columns) or 1
    titles = [html.escape(str(t)) for t in teams]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, shared_xaxes=True,
                        vertical_spacing=0.12, horizontal_spacing=0.08)
    month_end = daily.day.max()
    for i, team in enumerate(teams):
        row, col = i // columns + 1, i % columns + 1
        team_daily = daily[daily.team == team]
        for trace in _pacing_traces(team_daily, symbol=symbol, show_legend=i == 0):
            fig.add_trace(trace, row=row, col=col)
        fig.add_trace(_projection(pace.iloc[i], as_of, month_end, symbol=symbol, show_legend=i == 0), row=row, col=col)
    base_layout(fig, title="Pacing by team", height=230 * rows + 80)
    fig.update_yaxes(tickprefix=symbol)
    fig.update_yaxes(title_text=f"Revenue ({symbol})", col=1)
    return _legend_below(fig)


def correlation_by_lag(frame: pd.DataFrame, *, best_lag: int | None, chosen_lag: int, brand: str,
                       sales: str) -> go.Figure:
    """Pearson r for each lag: the strongest highlighted, the one on the slider outlined."""
    colours = [VERMILION if lag == best_lag else BLUE for lag in frame.lag_months]
    widths = [3 if lag == chosen_lag else 0 for lag in frame.lag_months]
    fig = go.Figure([go.Bar(x=frame.lag_months, y=frame.r, marker={"color": colours,
                                                                   "line": {"color": "#000000", "width": widths}},
                            customdata=frame.n_months, name="r",
                            hovertemplate="Lag %{x} months: r = %{y:.2f} over %{customdata} months<extra></extra>")])
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(range=[-1, 1])
    return base_layout(fig, title=f"{BRAND_LABELS[brand]} → {SALES_LABELS[sales]}: correlation by lag",
                       x_title="Brand leads sales by (months)", y_title="Pearson r (detrended)", height=340)


def shifted_series(frame: pd.DataFrame, *, lag: int, brand: str, sales: str, symbol: str = "$") -> go.Figure:
    """The sales series and the brand series moved forward by `lag` months, on two axes."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    sales_unit = f"{symbol}" if sales in {"pipeline_created", "won_revenue"} else "count"
    fig.add_trace(go.Scatter(x=frame.month, y=frame.sales_value, name=SALES_LABELS[sales], mode="lines+markers",
                             line={"color": BLUE, "width": 2},
                             hovertemplate=f"{SALES_LABELS[sales]}: %{{y:,.0f}}<extra></extra>"), secondary_y=False)
    shift = f"{lag} month{'s' if lag != 1 else ''} earlier" if lag else "same month"
    fig.add_trace(go.Scatter(x=frame.month, y=frame.brand_value, name=f"{BRAND_LABELS[brand]} ({shift})",
                             mode="lines+markers", line={"color": ORANGE, "width": 2},
                             hovertemplate=f"{BRAND_LABELS[brand]}: %{{y:,.2f}}<extra></extra>"), secondary_y=True)
    base_layout(fig, title=f"{SALES_LABELS[sales]} beside {BRAND_LABELS[brand].lower()} shifted by {lag} months",
                x_title="Month (sales)", height=360)
    fig.update_yaxes(title_text=f"{SALES_LABELS[sales]} ({sales_unit} per month)", secondary_y=False)
    fig.update_yaxes(title_text=_unit_axis(brand), secondary_y=True, showgrid=False)
    return _legend_below(fig)
