"""Segments: region × segment × industry conversion, win rate, deal size and cycle length, and where to focus."""

import streamlit as st

from queries import metrics, segments
from ui import chart_view, data, filters, format, widgets
from ui.charts import segments as charts

ALL = "all"
MIN_LEADS_DEFAULT = 30


def parse_metric(text: str) -> str:
    if text not in segments.METRICS:
        raise ValueError(text)
    return text


NO_CELL = "No cell: pick one, or click a tile"
# Each heatmap metric (a column of segments.performance) and its entry in the metric registry.
REGISTRY_KEYS = {column: "sales_cycle" if column == "avg_cycle_days" else column for column in segments.METRICS}


def cell_label(region: str, segment: str) -> str:
    return f"{region} · {segment}"


def take_clicked_cell() -> None:
    """A click on a heatmap tile picks that cell in the drill-down selector (so either can drive it)."""
    points = st.session_state["segments_heatmap"].selection.points
    if points and points[0].get("customdata"):
        region, segment = points[0]["customdata"][:2]
        st.session_state["segments_cell"] = cell_label(region, segment)


f = filters.current()
symbol = format.settings().currency_symbol
money_column = st.column_config.NumberColumn(format="accounting")
pct_column = st.column_config.NumberColumn(format="percent")
days_column = st.column_config.NumberColumn(format="%.0f d")
value_formats = {"conversion": (".1%", ""), "win_rate": (".0%", ""), "avg_won_amount": (",.0f", symbol),
                 "avg_cycle_days": (".0f", ""), "revenue_per_lead": (",.0f", symbol)}
st.title("Segments")
st.caption(f"Leads created {f.start:%d %b %Y} – {f.end:%d %b %Y}, followed to today. Conversion = won deals ÷ "
           "leads; win rate = won ÷ closed deals; cycle = days from deal created to won; revenue per lead = won "
           "revenue ÷ leads (conversion × average won deal). Only deals made from leads count. Regions and "
           "segments filter the leads; the team filter does not apply here.")

slices = data.load(segments.performance, start=f.start, end=f.end, dims=("region", "segment", "industry"),
                   regions=f.region_list, segments=f.segment_list)
if slices.empty:
    widgets.empty("No leads were created in this period with these filters. Widen the period or clear the region "
                  "and segment filters.")
    st.stop()

filters.seed("segments_metric", "metric", "revenue_per_lead", parse_metric)
metric_col, industry_col = st.columns(2)
metric = metric_col.selectbox("Metric", list(segments.METRICS), key="segments_metric",
                              format_func=lambda column: metrics.get(REGISTRY_KEYS[column]).name)
industry = industry_col.selectbox("Industry", [ALL, *sorted(slices.industry.unique())], key="segments_industry",
                                  format_func=lambda i: "All industries" if i == ALL else i)
filters.publish("metric", metric if metric != "revenue_per_lead" else None)

if industry == ALL:
    grid = data.load(segments.performance, start=f.start, end=f.end, dims=("region", "segment"),
                     regions=f.region_list, segments=f.segment_list)
else:
    grid = slices[slices.industry == industry]
value_format, prefix = value_formats[metric]
chart_view.draw(charts.heatmap(grid, metric=metric, title=metrics.get(REGISTRY_KEYS[metric]).name,
                               value_format=value_format, prefix=prefix),
                key="segments_heatmap", on_select=take_clicked_cell, selection_mode="points")
st.caption(metrics.caption(REGISTRY_KEYS[metric]))
widgets.download_csv(grid, file_name="segments_grid.csv", key="segments_grid_csv")

st.subheader("Leads and deals behind a cell")
cells = {cell_label(r, s): (r, s) for r, s in zip(grid.region, grid.segment, strict=True)}
if st.session_state.get("segments_cell", NO_CELL) not in [NO_CELL, *cells]:
    st.session_state["segments_cell"] = NO_CELL  # the filters changed and the picked cell is gone
cell = cells.get(st.selectbox("Cell (region · segment)", [NO_CELL, *cells], key="segments_cell"))
if cell is None:
    st.caption("Click a tile in the grid, or pick a cell here, to list its leads and the deals made from them.")
else:
    row = grid[(grid.region == cell[0]) & (grid.segment == cell[1])].iloc[0]
    tiles = st.columns(5)
    tiles[0].metric(metrics.label("leads"), format.count(row.leads, compact=True),
                    help=metrics.help("leads", format.exactly(row.leads)))
    tiles[1].metric(metrics.label("won_deals"), format.count(row.won_deals, compact=True),
                    help=metrics.help("won_deals", format.exactly(row.won_deals)))
    tiles[2].metric(metrics.label("conversion"), format.pct(row.conversion, 1), help=metrics.help("conversion"))
    tiles[3].metric(metrics.label("win_rate"), format.pct(row.win_rate), help=metrics.help("win_rate"))
    tiles[4].metric(metrics.label("revenue_per_lead"), format.money(row.revenue_per_lead),
                    help=metrics.help("revenue_per_lead"))
    detail = data.load(segments.cell_detail, start=f.start, end=f.end, region=cell[0], segment=cell[1],
                       industry=None if industry == ALL else industry, regions=f.region_list,
                       segments=f.segment_list)
    st.dataframe(detail, hide_index=True, key="segments_detail_table",
                 column_config={"amount": money_column, "cycle_days": days_column,
                                "created_at": st.column_config.DatetimeColumn("Created", format="YYYY-MM-DD")})
    widgets.download_csv(detail, file_name=f"segment_{cell[0]}_{cell[1]}.csv".replace(" ", "_"),
                         key="segments_detail_csv")

st.subheader("Where to focus")
min_leads = st.number_input("Only slices with at least this many leads", min_value=1, value=MIN_LEADS_DEFAULT,
                            step=10, key="segments_min_leads",
                            help="Small slices swing on one deal; hide them to rank what is reliable.")
focus = slices if industry == ALL else slices[slices.industry == industry]
focus = focus[focus.leads >= min_leads]
if focus.empty:
    widgets.empty("No region × segment × industry slice has that many leads. Lower the minimum.")
else:
    st.caption("Region × segment × industry slices ranked by revenue per lead: where one more lead is worth most.")
    st.dataframe(focus, hide_index=True, key="segments_focus_table",
                 column_config={"conversion": pct_column, "win_rate": pct_column, "avg_won_amount": money_column,
                                "avg_cycle_days": days_column, "revenue_per_lead": money_column})
    widgets.download_csv(focus, file_name="segments_where_to_focus.csv", key="segments_focus_csv")
