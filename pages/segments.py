"""Segments: region × segment × industry conversion, win rate, deal size and cycle length, and where to focus."""

import streamlit as st

from queries import metrics, segments
from ui import chart_view, data, filters, format, needs, tables, widgets
from ui.charts import segments as charts

ALL = "all"
MIN_LEADS_DEFAULT = 30
# What a slice of the deals alone can show (segments.deal_performance), by the registry metric each column is.
DEAL_METRICS = {"win_rate": "win_rate", "avg_won_amount": "avg_won_amount", "avg_cycle_days": "sales_cycle"}


def parse_metric(text: str) -> str:
    if text not in segments.METRICS:
        raise ValueError(text)
    return text


def parse_deal_metric(text: str) -> str:
    if text not in DEAL_METRICS:
        raise ValueError(text)
    return text


NO_CELL = "No cell: pick one, or click a tile"
# Each heatmap metric (a column of segments.performance) and its entry in the metric registry.
REGISTRY_KEYS = {column: "sales_cycle" if column == "avg_cycle_days" else column for column in segments.METRICS}
# Columns that carry what a figure left out: captions under it (and the CSV), not columns of the tables.
UNDATED = "leads_without_created_date"
WON_UNDATED = "won_without_created_date"
WON_UNDATED_LABEL = "Won deals without a created date"


def cell_label(region: str, segment: str) -> str:
    return f"{region} · {segment}"


def take_clicked_cell() -> None:
    """A click on a heatmap tile picks that cell in the drill-down selector (so either can drive it)."""
    points = st.session_state["segments_heatmap"].selection.points
    if points and points[0].get("customdata"):
        region, segment = points[0]["customdata"][:2]
        st.session_state["segments_cell"] = cell_label(region, segment)


def cycle_left_out(frame) -> None:
    """Under a figure of the average cycle: the won deals without a created date it could not measure."""
    widgets.left_out(frame[WON_UNDATED].sum(), total=frame.won_deals.sum(), things="won deals",
                     lacking="no created date", figure="the average cycle")


f = filters.current()
symbol = format.settings().currency_symbol
value_formats = {"conversion": (".1%", ""), "win_rate": (".0%", ""), "avg_won_amount": (",.0f", symbol),
                 "avg_cycle_days": (".0f", ""), "revenue_per_lead": (",.0f", symbol), "leads": (",.0f", "")}
# Which tables hold rows: with deals but no leads the page shows the deals by segment; with leads but no deals, the
# leads by segment; each part the data lacks names the file to import (ui.needs).
held = needs.rows()
has_leads, has_deals = held["leads"] > 0, held["deals"] > 0
scope_note = filters.scope_note("pages/segments.py")
st.title("Segments")


def deal_view() -> None:
    """The deals closed in the period by the owner rep's region and the deal's segment: what a CRM export alone
    shows."""
    st.caption(f"Deals closed {f.start:%d %b %Y} – {f.end:%d %b %Y}, by the owner rep's region and the deal's "
               "segment (Unassigned where the export has none). Win rate = won ÷ closed deals; cycle = days from "
               "deal created to won. Every deal counts, whether it came from a lead or not. Regions filter the "
               f"owner reps, segments the deals. {scope_note}")
    needs.met("leads", what="Conversion and revenue per lead by segment", key="segments_leads")
    grid = data.load(segments.deal_performance, start=f.start, end=f.end, regions=f.region_list,
                     segments=f.segment_list)
    if grid.empty:
        widgets.empty("No deal closed in this period with these filters. Widen the period or clear the region and "
                      "segment filters.")
        return
    filters.seed("segments_deal_metric", "deal_metric", "win_rate", parse_deal_metric)
    metric = st.selectbox("Metric", list(DEAL_METRICS), key="segments_deal_metric",
                          format_func=lambda column: metrics.get(DEAL_METRICS[column]).name)
    filters.publish("deal_metric", metric if metric != "win_rate" else None)
    value_format, prefix = value_formats[metric]
    chart_view.draw(charts.heatmap(grid, metric=metric, title=metrics.get(DEAL_METRICS[metric]).name,
                                   value_format=value_format, prefix=prefix, count="won_deals",
                                   count_noun="won deals", click_for=None),
                    key="segments_deal_heatmap")
    st.caption(metrics.caption(DEAL_METRICS[metric]))
    if metric == "avg_cycle_days":
        cycle_left_out(grid)
    tables.show(grid, key="segments_deal_table", labels={"region": "Owner rep's region",
                                                          WON_UNDATED: WON_UNDATED_LABEL})
    widgets.download_csv(grid, file_name="segments_deals.csv", key="segments_deal_csv")


def lead_view() -> None:
    """The leads created in the period by region, segment and industry, followed to the deals made from them."""
    if has_deals:
        st.caption(f"Leads created {f.start:%d %b %Y} – {f.end:%d %b %Y}, followed to today. Conversion = won deals "
                   "÷ leads; win rate = won ÷ closed deals; cycle = days from deal created to won; revenue per lead = "
                   "won revenue ÷ leads (conversion × average won deal). Only deals made from leads count. Regions "
                   f"and segments filter the leads. {scope_note}")
    else:
        st.caption(f"Leads created {f.start:%d %b %Y} – {f.end:%d %b %Y}, by region and segment. Regions and "
                   f"segments filter the leads. {scope_note}")
        needs.met("deals", what="Conversion, win rate, deal size and cycle by segment", key="segments_deals")

    slices = data.load(segments.performance, start=f.start, end=f.end, dims=("region", "segment", "industry"),
                       regions=f.region_list, segments=f.segment_list)
    if slices.empty:
        widgets.empty("No leads were created in this period with these filters. Widen the period or clear the "
                      "region and segment filters.")
        return

    filters.seed("segments_metric", "metric", "revenue_per_lead", parse_metric)
    metric_col, industry_col = st.columns(2)
    if has_deals:
        metric = metric_col.selectbox("Metric", list(segments.METRICS), key="segments_metric",
                                      format_func=lambda column: metrics.get(REGISTRY_KEYS[column]).name)
        filters.publish("metric", metric if metric != "revenue_per_lead" else None)
    else:
        metric = "leads"  # without deals, the leads are what the slices can show
    industry = industry_col.selectbox("Industry", [ALL, *sorted(slices.industry.unique())], key="segments_industry",
                                      format_func=lambda i: "All industries" if i == ALL else i)

    if industry == ALL:
        grid = data.load(segments.performance, start=f.start, end=f.end, dims=("region", "segment"),
                         regions=f.region_list, segments=f.segment_list)
    else:
        grid = slices[slices.industry == industry]
    value_format, prefix = value_formats[metric]
    key = REGISTRY_KEYS.get(metric, metric)
    chart_view.draw(charts.heatmap(grid, metric=metric, title=metrics.get(key).name, value_format=value_format,
                                   prefix=prefix, click_for="its leads and deals" if has_deals else "its leads"),
                    key="segments_heatmap", on_select=take_clicked_cell, selection_mode="points")
    st.caption(metrics.caption(key))
    undated = slices[UNDATED].iloc[0]
    widgets.left_out(undated, total=grid.leads.sum() + undated, things="leads", lacking="no created date",
                     figure="the grid")
    if metric == "avg_cycle_days":
        cycle_left_out(grid)
    widgets.download_csv(grid, file_name="segments_grid.csv", key="segments_grid_csv")

    st.subheader("Leads and deals behind a cell" if has_deals else "Leads behind a cell")
    cells = {cell_label(r, s): (r, s) for r, s in zip(grid.region, grid.segment, strict=True)}
    if st.session_state.get("segments_cell", NO_CELL) not in [NO_CELL, *cells]:
        st.session_state["segments_cell"] = NO_CELL  # the filters changed and the picked cell is gone
    cell = cells.get(st.selectbox("Cell (region · segment)", [NO_CELL, *cells], key="segments_cell"))
    if cell is None:
        st.caption("Click a tile in the grid, or pick a cell here, to list its leads"
                   + (" and the deals made from them." if has_deals else "."))
    else:
        row = grid[(grid.region == cell[0]) & (grid.segment == cell[1])].iloc[0]
        tiles = st.columns(5)
        tiles[0].metric(metrics.label("leads"), format.count(row.leads, compact=True),
                        help=metrics.help("leads", format.exactly(row.leads)))
        if has_deals:
            tiles[1].metric(metrics.label("won_deals"), format.count(row.won_deals, compact=True),
                            help=metrics.help("won_deals", format.exactly(row.won_deals)))
            tiles[2].metric(metrics.label("conversion"), format.pct(row.conversion, 1),
                            help=metrics.help("conversion"))
            tiles[3].metric(metrics.label("win_rate"), format.pct(row.win_rate), help=metrics.help("win_rate"))
            tiles[4].metric(metrics.label("revenue_per_lead"), format.money(row.revenue_per_lead),
                            help=metrics.help("revenue_per_lead"))
        detail = data.load(segments.cell_detail, start=f.start, end=f.end, region=cell[0], segment=cell[1],
                           industry=None if industry == ALL else industry, regions=f.region_list,
                           segments=f.segment_list)
        deal_columns = ["deal_id", "deal_stage", "amount", "close_date", "cycle_days"]
        tables.show(detail if has_deals else detail.drop(columns=deal_columns), key="segments_detail_table",
                    labels={"cycle_days": "Cycle (closed deals)"} if has_deals else None)
        widgets.download_csv(detail, file_name=f"segment_{cell[0]}_{cell[1]}.csv".replace(" ", "_"),
                             key="segments_detail_csv")

    if not has_deals:
        return  # where to focus ranks by revenue per lead, which needs deals
    st.subheader("Where to focus")
    min_leads = st.number_input("Only slices with at least this many leads", min_value=1, value=MIN_LEADS_DEFAULT,
                                step=10, key="segments_min_leads",
                                help="Small slices swing on one deal; hide them to rank what is reliable.")
    focus = slices if industry == ALL else slices[slices.industry == industry]
    focus = focus[focus.leads >= min_leads]
    if focus.empty:
        widgets.empty("No region × segment × industry slice has that many leads. Lower the minimum.")
    else:
        st.caption("Region × segment × industry slices ranked by revenue per lead: where one more lead is worth "
                   "most.")
        tables.show(focus.drop(columns=UNDATED), key="segments_focus_table", labels={WON_UNDATED: WON_UNDATED_LABEL})
        widgets.download_csv(focus, file_name="segments_where_to_focus.csv", key="segments_focus_csv")


if has_leads:
    lead_view()
elif has_deals:
    deal_view()
else:
    st.caption(f"Conversion, win rate, deal size and cycle by region, segment and industry. {scope_note}")
    needs.met("deals", what="Win rate, deal size and cycle by segment", key="segments_deals")
    needs.met("leads", what="Conversion and revenue per lead by segment", key="segments_leads")
