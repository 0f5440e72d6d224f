"""The planning meeting's joint scorecard and what changed between two meetings.

Each KPI comes from the domain module that defines it (quota.pacing, pipeline.coverage, funnel.mql_delivery,
funnel.sla, brand.metric_series, targets.monthly); this module only lines them up against their goals, gives each a
status (shown as an icon and a word, never by colour alone), and compares two as-of dates in plain sentences.
The scorecard is company-wide: the room looks at the joint picture, whatever the filters say. A KPI whose data was
never imported reads as missing (no value, no status), with the import that would measure it; a KPI of the running
month compares to date with the same days of the month before, never a part of a month with a whole one.
"""

from __future__ import annotations

import calendar
import math
from datetime import date

import duckdb
import pandas as pd

from queries import brand, common, db, funnel, meeting, pipeline, quota, targets

# kpi → (label, unit, what the goal is)
KPIS: dict[str, tuple[str, str, str]] = {
    "revenue": ("Revenue booked this month", "money", "quota pace to date"),
    "coverage": ("Pipeline coverage of the remaining quota", "ratio", "required coverage (1 / win rate)"),
    "mqls": ("MQLs delivered this month", "count", "MQL target pro rata to date"),
    "sla": ("MQLs contacted within the SLA this month", "pct", "agreed SLA target"),
    "awareness": ("Aided awareness (latest month)", "percent", "the level a year earlier"),
}
# status → (icon, word): the page and the brief show both, so status never rests on colour alone.
STATUSES: dict[str, tuple[str, str]] = {
    "on_track": ("✓", "On track"),
    "at_risk": ("⚠", "At risk"),
    "off_track": ("✗", "Off track"),
    "no_data": ("–", "No data"),
}
# progress = value / goal; at or above 1 is on track, from AT_RISK_FROM up to 1 at risk, below it off track.
AT_RISK_FROM = 0.9
# Awareness moves slowly: within 3 % of last year's level is "at risk", not "off track".
AWARENESS_AT_RISK_FROM = 0.97
COLUMNS = ["kpi", "label", "unit", "value", "goal", "goal_label", "target", "progress", "status", "detail", "missing",
           "left_out"]
# The tables a KPI's value is measured from: when one holds no rows, the KPI is not measured (not 0).
NEEDS: dict[str, tuple[str, ...]] = {"revenue": ("deals",), "coverage": ("deals", "quotas"), "mqls": ("leads",),
                                     "sla": ("leads",), "awareness": ("brand_metrics",)}
# The KPIs counted over the month to date (the others are as of the day: open pipeline, the latest survey).
MONTH_TO_DATE = ("revenue", "mqls", "sla")
# How a KPI's change reads (ui.format.delta's units): a share's change in percentage points, coverage's relative.
CHANGE_UNITS = {"money": "money", "count": "count", "pct": "points", "percent": "points", "ratio": "relative"}


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def format_value(value: float | None, unit: str, currency_symbol: str = "$") -> str:
    """A KPI value as the room reads it: $1.2M, 3.1×, 1,234, 82% (a share), 33.9% (a survey percentage); '—'
    when missing."""
    number = _number(value)
    if number is None:
        return "—"
    if unit == "money":
        size = abs(number)
        sign = "−" if number < 0 else ""
        for limit, suffix in ((1e9, "B"), (1e6, "M")):
            if size >= limit:
                return f"{sign}{currency_symbol}{size / limit:.1f}{suffix}"
        if size >= 1e4:
            return f"{sign}{currency_symbol}{size / 1e3:.0f}k"
        return f"{sign}{currency_symbol}{size:,.0f}"
    if unit == "ratio":
        return f"{number:.1f}×"
    if unit == "count":
        return f"{number:,.0f}"
    if unit == "pct":
        return f"{number * 100:.0f}%"
    if unit == "percent":
        return f"{number:.1f}%"
    return f"{number:,.2f}"


def status_label(status: str) -> str:
    """'✓ On track': the icon and the word together."""
    icon, word = STATUSES.get(status, STATUSES["no_data"])
    return f"{icon} {word}"


def _status(progress: float | None, at_risk_from: float = AT_RISK_FROM) -> str:
    if progress is None:
        return "no_data"
    if progress >= 1:
        return "on_track"
    return "at_risk" if progress >= at_risk_from else "off_track"


def _row(kpi: str, value: float | None, goal: float | None, target: float | None = None, detail: str = "",
         status: str | None = None, at_risk_from: float = AT_RISK_FROM, left_out: str = "") -> dict:
    label, unit, goal_label = KPIS[kpi]
    value, goal, target = _number(value), _number(goal), _number(target)
    progress = value / goal if value is not None and goal else None
    return {"kpi": kpi, "label": label, "unit": unit, "value": value, "goal": goal, "goal_label": goal_label,
            "target": target, "progress": progress, "status": status or _status(progress, at_risk_from),
            "detail": detail, "missing": "", "left_out": left_out}


_TABLE_WORDS = {"brand_metrics": "brand metrics"}


def import_sentence(tables: list[str]) -> str:
    """'Import leads on the Data page to measure it.'"""
    names = [_TABLE_WORDS.get(t, t) for t in tables]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Import {listed} on the Data page to measure it."


def _unmeasured(kpi: str, tables: list[str]) -> dict:
    """A KPI whose data was never imported: no value, no goal, no status; `missing` names the tables."""
    row = _row(kpi, None, None, detail=import_sentence(tables))
    row["missing"] = ", ".join(tables)
    return row


def _first(frame: pd.DataFrame) -> pd.Series | None:
    return None if frame.empty else frame.iloc[0]


def scorecard(con: duckdb.DuckDBPyConnection, *, as_of: date, sla_hours: float = 24,
              currency_symbol: str = "$") -> pd.DataFrame:
    """kpi, label, unit, value, goal, goal_label, target, progress (value / goal), status, detail, missing, left_out:
    the five joint KPIs as of `as_of` (this month to date, company-wide), in agenda order.

    missing: the tables (comma-separated) a KPI is measured from that hold no rows, '' when it is measured; such a
    KPI has no value and status no_data, and its detail names the import. left_out: a sentence on what the value
    leaves out ('' when nothing)."""
    month_start = as_of.replace(day=1)
    days_in_month = calendar.monthrange(as_of.year, as_of.month)[1]
    elapsed_share = as_of.day / days_in_month

    def money(value: object) -> str:
        return format_value(_number(value), "money", currency_symbol)

    # The five KPIs' seven queries do not depend on each other: they run side by side.
    held, pacing, coverage, deliveries, slas, sla_targets, awareness = db.side_by_side(
        lambda: common.table_rows(con),
        lambda: quota.pacing(con, as_of=as_of, by="all"),
        lambda: pipeline.coverage(con, as_of=as_of, horizon_months=1, by="all"),
        lambda: funnel.mql_delivery(con, start=month_start, end=as_of),
        lambda: funnel.sla(con, start=month_start, end=as_of, sla_hours=sla_hours, by="all"),
        lambda: targets.monthly(con, start_month=month_start, end_month=month_start, metrics=["sla_pct"]),
        lambda: brand.metric_series(con, metric="aided_awareness", start=date(as_of.year - 2, as_of.month, 1),
                                    end=as_of))

    empty = set(held.table_name[held.row_count == 0])
    missing = {kpi: [t for t in tables if t in empty] for kpi, tables in NEEDS.items()}

    rows = []
    pace = _first(pacing)
    if missing["revenue"]:
        rows.append(_unmeasured("revenue", missing["revenue"]))
    elif pace is None or not _number(pace.quota):
        rows.append(_row("revenue", None if pace is None else pace.booked_to_date, None,
                         detail="No quota is set for this month."))
    else:
        rows.append(_row("revenue", pace.booked_to_date, pace.expected_to_date, pace.quota,
                         detail=f"{money(pace.booked_to_date)} booked of a {money(pace.quota)} quota; "
                                f"pace to date {money(pace.expected_to_date)}, run-rate projection "
                                f"{money(pace.projected)}."))

    cover = _first(coverage)
    unpriced = 0 if cover is None else int(_number(cover.deals_without_amount) or 0)
    left_out = (f"{unpriced:,} open {'deal has' if unpriced == 1 else 'deals have'} no amount and "
                f"{'is' if unpriced == 1 else 'are'} left out." if unpriced else "")
    if missing["coverage"]:
        rows.append(_unmeasured("coverage", missing["coverage"]))
    elif cover is None:
        rows.append(_row("coverage", None, None, detail="No quota or open pipeline this month."))
    elif _number(cover.coverage) is None and _number(cover.remaining_quota) == 0 and _number(cover.quota):
        rows.append(_row("coverage", None, cover.required_coverage, status="on_track", left_out=left_out,
                         detail=f"This month's quota is already met; {money(cover.open_pipeline)} still open."
                                + (f" {left_out}" if left_out else "")))
    else:
        rows.append(_row("coverage", cover.coverage, cover.required_coverage, left_out=left_out,
                         detail=f"{money(cover.open_pipeline)} open pipeline closing this month against "
                                f"{money(cover.remaining_quota)} of quota still to book."
                                + (f" {left_out}" if left_out else "")))

    delivery = _first(deliveries)
    target_mqls = None if delivery is None else _number(delivery.target_mqls)
    mqls = None if delivery is None else _number(delivery.mqls)
    if missing["mqls"]:
        rows.append(_unmeasured("mqls", missing["mqls"]))
    elif target_mqls is None:
        rows.append(_row("mqls", mqls, None, detail="No MQL target is set for this month."))
    else:
        rows.append(_row("mqls", mqls, target_mqls * elapsed_share, target_mqls,
                         detail=f"{format_value(mqls, 'count')} MQLs of a {format_value(target_mqls, 'count')} "
                                f"monthly target ({as_of.day} of {days_in_month} days gone)."))

    sla = _first(slas)
    sla_target = _first(sla_targets)
    goal = None if sla_target is None else _number(sla_target.value)
    share = None if sla is None else _number(sla.pct_within_sla)
    detail = (f"{format_value(sla.within_sla, 'count')} of {format_value(sla.mqls, 'count')} MQLs contacted within "
              f"{sla_hours:g} h; median response {_number(sla.median_response_hours) or 0:.1f} h."
              if sla is not None else "No MQLs this month yet.")
    if goal is None:
        detail += " No SLA target is set for this month."
    if missing["sla"]:
        rows.append(_unmeasured("sla", missing["sla"]))
    else:
        rows.append(_row("sla", share, None if goal is None else goal / 100, detail=detail))

    series = awareness.dropna(subset=["value"])
    if missing["awareness"]:
        rows.append(_unmeasured("awareness", missing["awareness"]))
    elif series.empty:
        rows.append(_row("awareness", None, None, detail="No awareness survey yet."))
    else:
        latest = series.iloc[-1]
        change = _number(latest.yoy_change)
        year_ago = None if change is None else latest.value - change
        month_label = pd.Timestamp(latest.month).strftime("%b %Y")
        detail = (f"{latest.value:.1f}% in {month_label}, {round(change, 1) or 0.0:+.1f} points on a year earlier."
                  if change is not None else f"{latest.value:.1f}% in {month_label}; no survey a year earlier.")
        rows.append(_row("awareness", latest.value, year_ago, detail=detail, at_risk_from=AWARENESS_AT_RISK_FROM))
    return pd.DataFrame(rows, columns=COLUMNS)


def to_date(as_of: date) -> str:
    """The days of a running month a KPI counts: '1–26 Nov' ('1 Nov' on the 1st)."""
    return f"{as_of.day} {as_of:%b}" if as_of.day == 1 else f"1–{as_of.day} {as_of:%b}"


def compare(before: pd.DataFrame, after: pd.DataFrame, *, before_label: str = "the previous meeting",
            currency_symbol: str = "$", before_as_of: date | None = None,
            after_as_of: date | None = None) -> pd.DataFrame:
    """kpi, label, unit, value_before, value_after, progress_before, progress_after, change_points (progress
    change × 100), status_before, status_after, sentence: each KPI of two scorecards, biggest movers first
    (by how far its progress against goal moved; KPIs without a comparison last).

    Progress is measured against a goal to date (quota pace, the MQL target pro rata), so two meetings at different
    points of their months compare fairly; the month-to-date values themselves cover different days, and with the
    two as-of dates given the sentence says which ("$600 in 1–31 Mar, $1,000 in 1–29 Apr"). A KPI not measured now
    (its data never imported) says what to import instead."""
    # Five rows a side: plain Python, a fraction of what a pandas merge, itertuples and sort take on so few rows.
    later = {(row["kpi"], row["label"], row["unit"]): row for row in after.to_dict("records")}
    rows = []
    for then in before.to_dict("records"):
        now = later.get((then["kpi"], then["label"], then["unit"]))
        if now is None:
            continue
        label, unit = then["label"], then["unit"]
        p0, p1 = _number(then["progress"]), _number(now["progress"])
        change = None if p0 is None or p1 is None else (p1 - p0) * 100
        v0 = format_value(then["value"], unit, currency_symbol)
        v1 = format_value(now["value"], unit, currency_symbol)
        dated = then["kpi"] in MONTH_TO_DATE and before_as_of is not None and after_as_of is not None
        if now.get("missing"):
            sentence = f"{label}: not measured. {now['detail']}"
        elif then.get("missing"):
            sentence = f"{label}: {v1} now ({status_label(now['status'])}); not measured at {before_label}."
        elif change is None:
            sentence = (f"{label}: {v1} now ({status_label(now['status'])}), {v0} at {before_label} "
                        f"({status_label(then['status'])}).")
        else:
            verb = "rose" if change >= 0.5 else "fell" if change <= -0.5 else "held level,"
            values = (f"{v0} in {to_date(before_as_of)}, {v1} in {to_date(after_as_of)}" if dated
                      else f"{v0} then, {v1} now")
            sentence = f"{label} {verb} from {p0:.0%} to {p1:.0%} of its goal since {before_label}: {values}."
        if change is not None and then["status"] != now["status"]:
            sentence += f" Status: {status_label(then['status'])} → {status_label(now['status'])}."
        rows.append({"kpi": then["kpi"], "label": label, "unit": unit, "value_before": then["value"],
                     "value_after": now["value"], "progress_before": p0, "progress_after": p1,
                     "change_points": change, "status_before": then["status"], "status_after": now["status"],
                     "sentence": sentence})
    rows.sort(key=lambda row: 1 if row["change_points"] is None else -abs(row["change_points"]))  # None last
    return pd.DataFrame(rows, columns=["kpi", "label", "unit", "value_before", "value_after", "progress_before",
                                       "progress_after", "change_points", "status_before", "status_after",
                                       "sentence"])


def a_month_earlier(as_of: date) -> date:
    """The same day of the month before (its last day when it is shorter): a running month's KPIs compare with that
    month up to this day, the same days, never a part of a month with a whole one."""
    return (pd.Timestamp(as_of) - pd.DateOffset(months=1)).date()


def changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """kpi, change, change_unit: each KPI of `after` against `before` (the scorecard as of a_month_earlier: the same
    days of the month before), signed, in the unit it reads in (CHANGE_UNITS: a share's change in percentage points,
    coverage's as a relative change); NaN where either side is not measured."""
    earlier = {row["kpi"]: _number(row["value"]) for row in before.to_dict("records")}
    rows = []
    for row in after.to_dict("records"):
        v0, v1, unit = earlier.get(row["kpi"]), _number(row["value"]), CHANGE_UNITS[row["unit"]]
        if v0 is None or v1 is None:
            change = math.nan
        elif row["unit"] == "pct":
            change = (v1 - v0) * 100
        elif unit == "relative":
            change = v1 / v0 - 1 if v0 else math.nan
        else:
            change = v1 - v0
        rows.append({"kpi": row["kpi"], "change": change, "change_unit": unit})
    return pd.DataFrame(rows, columns=["kpi", "change", "change_unit"])


def format_change(change: float | None, unit: str, currency_symbol: str = "$") -> str:
    """A change as the brief prints it: +$221k, −3.1 pp, +12%, +31; '—' without a comparison."""
    number = _number(change)
    if number is None:
        return "—"
    sign = "−" if number < 0 else "+"
    size = abs(number)
    if unit == "money":
        return sign + format_value(size, "money", currency_symbol)
    if unit == "points":
        return f"{sign}{size:.1f} pp"
    if unit == "relative":
        return f"{sign}{size * 100:.0f}%"
    return f"{sign}{size:,.0f}"


def meeting_scorecard(con: duckdb.DuckDBPyConnection, *, meeting_id: str, sla_hours: float = 24,
                      currency_symbol: str = "$") -> pd.DataFrame:
    """The scorecard as of the meeting's as-of date."""
    found = meeting.get_meeting(con, meeting_id=meeting_id)
    if found.empty:
        raise meeting.MeetingError(f"there is no meeting {meeting_id!r}; pick one from the list")
    return scorecard(con, as_of=pd.Timestamp(found.as_of.iloc[0]).date(), sla_hours=sla_hours,
                     currency_symbol=currency_symbol)


def what_changed(con: duckdb.DuckDBPyConnection, *, meeting_id: str, sla_hours: float = 24,
                 currency_symbol: str = "$") -> pd.DataFrame:
    """compare() of the previous meeting's scorecard (at its as-of date) with this meeting's; empty when this is
    the first meeting."""
    found = meeting.get_meeting(con, meeting_id=meeting_id)
    if found.empty:
        raise meeting.MeetingError(f"there is no meeting {meeting_id!r}; pick one from the list")
    previous = meeting.previous_meeting(con, meeting_id=meeting_id)
    if previous.empty:
        return compare(pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=COLUMNS))
    then = pd.Timestamp(previous.as_of.iloc[0]).date()
    now = pd.Timestamp(found.as_of.iloc[0]).date()
    return compare(scorecard(con, as_of=then, sla_hours=sla_hours, currency_symbol=currency_symbol),
                   scorecard(con, as_of=now, sla_hours=sla_hours, currency_symbol=currency_symbol),
                   before_label=f"the previous meeting (as of {then:%d %b %Y})", currency_symbol=currency_symbol,
                   before_as_of=then, after_as_of=now)
