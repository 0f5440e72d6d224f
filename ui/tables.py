"""Tables that read like a report: every st.dataframe of every page goes through `show`.

Headers are words (from COLUMNS, else the metric registry where the column is a metric's output, else the column name
in words); money is in the company currency, shares are percentages, counts have thousands separators, days and hours
carry their unit, dates read as dates. A float column whose kind nobody declared is left as it is, and the page walk
in tests/pages/test_tables.py fails on it: declare it here (or pass `kinds=`) instead of letting a raw float through.
CSV downloads (ui.widgets.download_csv) keep the machine-readable names and raw values.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import streamlit as st

from ui import format

# How a column reads. money: whole units of the company currency; money_exact: to the cent; pct: a share 0–1 shown
# as %; percent: a value already in % (survey readings); points: a change in percentage points; count: a whole
# number; number: a decimal; days, hours: durations; ratio: ×; date, month, datetime; text (ids and names as they are).
KINDS = ("money", "money_exact", "pct", "percent", "points", "count", "number", "days", "hours", "ratio", "date",
         "month", "datetime", "text", "bool")

# Column name → (header, kind), for the columns pages show. A page may override either for one table.
COLUMNS: dict[str, tuple[str, str]] = {
    # ids and names
    "rep_id": ("Rep", "text"), "owner_rep_id": ("Owner rep", "text"), "owner_name": ("Owner", "text"),
    "name": ("Name", "text"), "team": ("Team", "text"), "region": ("Region", "text"), "segment": ("Segment", "text"),
    "industry": ("Industry", "text"), "channel": ("Channel", "text"), "campaign_id": ("Campaign id", "text"),
    "campaign": ("Campaign", "text"), "objective": ("Objective", "text"), "product": ("Product", "text"),
    "price_point": ("Price point", "text"), "place": ("Place", "text"), "promotion": ("Promotion", "text"),
    "owner": ("Owner", "text"), "status": ("Status", "text"), "lead_id": ("Lead", "text"), "deal_id": ("Deal", "text"),
    "company": ("Company", "text"), "account": ("Account", "text"), "stage": ("Stage", "text"),
    "metric": ("Metric", "text"), "quarter": ("Fiscal quarter", "text"), "title": ("Title", "text"),
    "meeting_id": ("Meeting", "text"), "table_name": ("Table", "text"), "column_name": ("Column", "text"),
    "check_name": ("Check", "text"), "data_type": ("Type", "text"), "allowed_values": ("Allowed values", "text"),
    "refers_to": ("Refers to", "text"), "default_value": ("Default", "text"), "minimum": ("Minimum", "text"),
    "meaning": ("Meaning", "text"), "required": ("Required", "bool"), "definition": ("Definition", "text"),
    "formula": ("Formula", "text"), "unit": ("Unit", "text"), "direction": ("Better when", "text"),
    "pages": ("Pages", "text"), "query": ("Query", "text"), "column": ("Column", "text"), "field": ("Field", "text"),
    "rule": ("Rule", "text"), "weights": ("Weights", "text"), "setting": ("Setting", "text"),
    "reads as": ("Reads as", "text"), "body": ("Feedback", "text"), "topic": ("Topic", "text"),
    "author": ("Author", "text"), "reject_reason": ("Reason", "text"), "loss_reason": ("Loss reason", "text"),
    "batch_id": ("Import", "text"), "source_name": ("File", "text"), "imported_by": ("By", "text"),
    "undone_by": ("Undone by", "text"), "row": ("Row", "count"), "problem": ("Problem", "text"),
    "value_text": ("Value", "text"), "kind": ("Kind", "text"), "sentence": ("Change", "text"),
    # dates
    "month": ("Month", "month"), "day": ("Day", "date"), "start_date": ("Start", "date"), "end_date": ("End", "date"),
    "as_of": ("Figures as of", "date"), "held_on": ("Held on", "date"), "due_on": ("Due", "date"),
    "close_date": ("Close date", "date"), "first_date": ("First date", "date"), "last_date": ("Last date", "date"),
    "created_at": ("Created", "datetime"), "mql_at": ("MQL at", "datetime"), "last_import": ("Last import", "datetime"),
    "imported_at": ("Imported", "datetime"), "undone_at": ("Undone", "datetime"), "updated_at": ("Updated", "datetime"),
    # money
    "quota": ("Quota", "money"), "booked": ("Booked", "money"), "booked_to_date": ("Booked to date", "money"),
    "expected_to_date": ("Pacing line to date", "money"), "projected": ("Projected (run rate)", "money"),
    "projected_weighted": ("Projected (weighted)", "money"), "required_per_day": ("Needed per day", "money"),
    "open_pipeline": ("Open pipeline", "money"), "remaining_quota": ("Quota still to book", "money"),
    "weighted_pipeline": ("Weighted pipeline", "money"), "open_amount": ("Open amount", "money"),
    "open_this_month": ("Open, closing this month", "money"), "won_amount": ("Won amount", "money"),
    "avg_won_amount": ("Average won deal", "money"), "revenue_per_lead": ("Revenue per lead", "money"),
    "amount": ("Amount", "money_exact"), "budget": ("Budget", "money"), "spend": ("Spend", "money"),
    "spend_to_date": ("Spend to date", "money"), "pipeline": ("Pipeline", "money"),
    "won_revenue": ("Won revenue", "money"), "cost_per_lead": ("Cost per lead", "money"),
    "attributed_revenue": ("Attributed revenue", "money"), "attributed_pipeline": ("Attributed pipeline", "money"),
    "current_spend": ("Monthly spend now", "money"), "marginal_return": ("Pipeline per next step of spend", "money"),
    "marginal_low": ("… low (95 %)", "money"), "marginal_high": ("… high (95 %)", "money"),
    "required_revenue": ("Revenue needed", "money"), "required_pipeline": ("Pipeline needed", "money"),
    # shares
    "attainment": ("Attainment", "pct"), "attainment_to_date": ("Attainment to date", "pct"),
    "win_rate": ("Win rate", "pct"), "conversion": ("Conversion", "pct"), "ctr": ("Click-through rate", "pct"),
    "roi": ("ROI", "pct"), "spend_share": ("Share of spend", "pct"), "pipeline_share": ("Share of pipeline", "pct"),
    "share_gap": ("Gap", "pct"), "budget_used": ("Budget used", "pct"), "step_conversion": ("Step conversion", "pct"),
    "cumulative_conversion": ("Cumulative from lead", "pct"), "pct_of_target": ("Of target", "pct"),
    "pct_accepted": ("Share accepted", "pct"), "pct_within_sla": ("Share within the SLA", "pct"),
    "sql_rate": ("SQL rate", "pct"),
    "empty_share": ("Empty share", "pct"), "coverage": ("Coverage", "ratio"),
    "required_coverage": ("Coverage needed", "ratio"),
    # counts
    "count": ("Count", "count"), "leads": ("Leads", "count"), "mqls": ("MQLs", "count"), "sqls": ("SQLs", "count"),
    "deals": ("Deals", "count"), "won_deals": ("Won deals", "count"), "won_count": ("Won", "count"),
    "lost_count": ("Lost", "count"), "open_count": ("Open deals", "count"), "accepted": ("Accepted", "count"),
    "rejected": ("Rejected", "count"), "contacted": ("Contacted", "count"), "within_sla": ("Within the SLA", "count"),
    "impressions": ("Impressions", "count"), "clicks": ("Clicks", "count"), "months": ("Months", "count"),
    "rows": ("Rows", "count"), "row_count": ("Rows", "count"), "imported_rows": ("Imported rows", "count"),
    "imports": ("Imports", "count"), "empty_rows": ("Empty rows", "count"), "open_items": ("Open items", "count"),
    "target_mqls": ("MQL target", "count"), "contact_attempts": ("Contact attempts", "count"),
    "required_leads": ("Leads needed", "count"), "required_mqls": ("MQLs needed", "count"),
    "required_sqls": ("SQLs needed", "count"), "forecast_leads": ("Leads forecast", "count"),
    "gap": ("Gap", "count"), "days_elapsed": ("Days gone", "count"), "days_in_month": ("Days in month", "count"),
    # durations and numbers
    "avg_cycle_days": ("Average cycle", "days"), "cycle_days": ("Cycle", "days"), "age_hours": ("Age", "hours"),
    "median_response_hours": ("Median response", "hours"), "p90_response_hours": ("90th percentile response", "hours"),
    "avg_contact_attempts": ("Average contact attempts", "number"), "r_squared": ("Fit (R²)", "number"),
    "b": ("Curve scale b", "number"), "b_low": ("… low (95 %)", "number"), "b_high": ("… high (95 %)", "number"),
    "already_past": ("Already past", "bool"),
}


@cache
def _registry() -> dict[str, tuple[str, str]]:
    """Metric output columns → (the metric's name, its unit as a kind), for columns COLUMNS does not name."""
    from queries import metrics

    units = {"money": "money", "pct": "pct", "percent": "percent", "count": "count", "days": "days",
             "hours": "hours", "points": "points", "ratio": "ratio"}
    found: dict[str, tuple[str, str]] = {}
    for row in metrics.table().itertuples():
        found.setdefault(row.column, (row.name, units[metrics.get(row.metric).unit]))
    return found


def header(name: str) -> str:
    """A column's header in words."""
    known = COLUMNS.get(name) or _registry().get(name)
    if known:
        return known[0]
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def kind_of(name: str, series: pd.Series) -> str | None:
    """The declared kind of a column (None: not declared; integers are counts, texts are texts)."""
    known = COLUMNS.get(name) or _registry().get(name)
    if known:
        return known[1]
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "count"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    if pd.api.types.is_float_dtype(series):
        return None  # undeclared: shown raw, and the page walk fails on it
    return "text"


def column(label: str, kind: str | None, *, help: str | None = None):
    """The st.column_config for one column of a kind."""
    symbol = format.settings().currency_symbol.replace("%", "%%")
    number = st.column_config.NumberColumn
    formats = {"money": f"{symbol}%,.0f", "money_exact": f"{symbol}%,.2f", "pct": "percent", "percent": "%.1f%%",
               "points": "%+.1f pp", "count": "%,d", "number": "%,.2f", "days": "%,.0f d", "hours": "%,.1f h",
               "ratio": "%.2f×"}
    if kind in formats:
        return number(label, format=formats[kind], help=help)
    if kind == "date":
        return st.column_config.DateColumn(label, format="D MMM YYYY", help=help)
    if kind == "month":
        return st.column_config.DateColumn(label, format="MMM YYYY", help=help)
    if kind == "datetime":
        return st.column_config.DatetimeColumn(label, format="D MMM YYYY, HH:mm", help=help)
    if kind == "bool":
        return st.column_config.CheckboxColumn(label, help=help)
    return st.column_config.Column(label, help=help)


def config(frame: pd.DataFrame, *, labels: dict[str, str] | None = None, kinds: dict[str, str] | None = None,
           helps: dict[str, str] | None = None) -> dict:
    """The column_config for every column of `frame`: headers in words and a format for each kind."""
    labels, kinds, helps = labels or {}, kinds or {}, helps or {}
    unknown = (set(labels) | set(kinds)) - {str(c) for c in frame.columns}
    if unknown:
        raise ValueError(f"no such columns: {', '.join(sorted(unknown))}")
    bad = {k for k in kinds.values() if k not in KINDS}
    if bad:
        raise ValueError(f"unknown kinds: {', '.join(sorted(bad))}")
    made = {}
    for name in frame.columns:
        key = str(name)
        kind = kinds.get(key) or kind_of(key, frame[name])
        if kind not in ("text", "bool") and not (pd.api.types.is_numeric_dtype(frame[name])
                                                 or pd.api.types.is_datetime64_any_dtype(frame[name])
                                                 or kind in ("date", "month")):
            kind = "text"  # already written out as text (a column whose rows mix units): shown as it is
        made[key] = column(labels.get(key) or header(key), kind, help=helps.get(key))
    return made


def show(frame: pd.DataFrame, *, key: str, labels: dict[str, str] | None = None, kinds: dict[str, str] | None = None,
         helps: dict[str, str] | None = None, config_override: dict | None = None, **kwargs):
    """st.dataframe with every column in words and formatted (see config); the rest of the arguments are
    st.dataframe's own (hide_index defaults to True). `config_override` replaces whole column configs (a progress bar,
    a wide text column)."""
    kwargs.setdefault("hide_index", True)
    column_config = {**config(frame, labels=labels, kinds=kinds, helps=helps), **(config_override or {})}
    return st.dataframe(frame, key=key, column_config=column_config, **kwargs)
