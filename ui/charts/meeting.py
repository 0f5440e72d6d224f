"""Planning-meeting figures: the scorecard against goals, this month's revenue pacing, the awareness trend and
field feedback by topic. Pure: DataFrame → go.Figure (the page and the PDF brief draw the same figures)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from ui.charts import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    SKY,
    VERMILION,
    arrays,
    figure,
    layout,
    partial_months,
    plot,
    vline,
)

# Status colours back up the icon and word on each bar; they never carry the status alone.
STATUS_COLOURS = {"on_track": GREEN, "at_risk": ORANGE, "off_track": VERMILION, "no_data": GREY}
SENTIMENT_COLOURS = {"negative": VERMILION, "neutral": GREY, "positive": BLUE}


def scorecard(frame: pd.DataFrame, *, status_labels: dict[str, str]) -> go.Figure:
    """Each KPI's progress against its goal (% of goal to date), the goal at 100 %, the status written on the bar."""
    ordered = frame.iloc[::-1]
    progress = ordered.progress.astype(float) * 100
    text = [f"{status_labels.get(s, s)} · {p:.0f}%" if pd.notna(p) else status_labels.get(s, s)
            for s, p in zip(ordered.status, progress, strict=True)]
    top = max(150.0, float(progress.max()) * 1.35) if progress.notna().any() else 150.0
    # hovermode stays the shared "x unified": the layout this replaced set "closest" and then overwrote it.
    return figure([plot.Bar(
        y=ordered.label.to_numpy(), x=progress.fillna(0).to_numpy(), orientation="h", text=text,
        textposition="outside", marker_color=[STATUS_COLOURS.get(s, GREY) for s in ordered.status], cliponaxis=False,
        hovertemplate="%{y}: %{x:.0f}% of goal<extra></extra>", name="Progress")],
        layout(title="Joint scorecard: progress against each goal", x_title="% of goal to date", height=320,
               showlegend=False, xaxis={"range": [0, top]},
               **vline(100, line={"color": BLACK, "dash": "dash", "width": 2}, text="goal")))


def revenue_pacing(frame: pd.DataFrame, *, symbol: str = "$") -> go.Figure:
    """Cumulative revenue booked this month day by day against the linear quota pace."""
    days = arrays(frame)
    return figure([
        plot.Scatter(x=days.day, y=days.expected_cumulative, name="Quota pace (linear)", mode="lines",
                     line={"color": BLACK, "dash": "dash"},
                     hovertemplate=f"Pace: {symbol}%{{y:,.0f}}<extra></extra>"),
        plot.Scatter(x=days.day, y=days.booked_cumulative, name="Booked to date", mode="lines+markers",
                     line={"color": BLUE, "width": 3}, marker={"size": 5},
                     hovertemplate=f"Booked: {symbol}%{{y:,.0f}}<extra></extra>"),
    ], layout(title="Revenue this month: booked against the quota pace", x_title="Day",
              y_title=f"Revenue, cumulative ({symbol})", height=340))


def awareness_trend(frame: pd.DataFrame, *, through: date | None = None) -> go.Figure:
    """Aided awareness by month with its 3-month rolling average; a month not complete by `through` (the last day the
    data covers) marked as partial."""
    months = arrays(frame)
    partial = partial_months(months.month, through)
    return figure([
        plot.Scatter(x=months.month, y=months.value, name="Aided awareness", line={"color": ORANGE, "width": 3},
                     **partial.line("%{x|%b %Y}: %{y:.1f}%<extra></extra>")),
        plot.Scatter(x=months.month, y=months.rolling_3m, name="3-month average", line={"color": SKY, "dash": "dot"},
                     **partial.line("3-month average: %{y:.1f}%<extra></extra>", mode="lines")),
    ], layout(title="Awareness trend: aided awareness by month", x_title="Month",
              y_title="Aided awareness (% of audience)", height=340, **partial.band()))


def feedback_by_topic(frame: pd.DataFrame, *, topic_labels: dict[str, str]) -> go.Figure:
    """Field feedback per topic, split by sentiment (stacked bars with counts)."""
    labels = frame.topic.map(topic_labels).fillna(frame.topic).to_numpy()
    counts = arrays(frame)
    # hovermode stays the shared "x unified": the layout this replaced set "closest" and then overwrote it.
    return figure([
        plot.Bar(y=labels, x=getattr(counts, column), orientation="h", name=column.title(),
                 text=[f"{n:,}" for n in getattr(counts, column)], marker_color=SENTIMENT_COLOURS[column],
                 hovertemplate=f"%{{y}}: %{{x}} {column}<extra></extra>")
        for column in ("negative", "neutral", "positive")
    ], layout(title="Field feedback since the last meeting, by topic", x_title="Feedback (count)",
              height=max(260, 50 * len(frame) + 140), barmode="stack", yaxis={"autorange": "reversed"}))
