"""Agreed monthly targets: read them, and save edits from planning (one transaction, bumping data_version)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from queries import access, db

TEAMS = ("marketing", "sales", "joint")
# The metrics other pages read (docs/SCHEMA.md, targets), with the team that owns each and the highest sane value.
METRICS: dict[str, tuple[str, float]] = {
    "revenue": ("joint", 1e13),
    "mqls": ("marketing", 1e9),
    "sourced_pipeline": ("marketing", 1e13),
    "sla_pct": ("sales", 100.0),
}


class TargetError(db.TandemError):
    """A target row Tandem cannot save; the message names the row and what is wrong with it."""


def monthly(con: duckdb.DuckDBPyConnection, *, start_month: date, end_month: date,
            metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """month, metric, team, value, updated_at, updated_by for the months from start_month through end_month."""
    return db.query(con, "targets/monthly", {"start_month": start_month, "end_month": end_month,
                                             "metrics": list(metrics) if metrics else None})


def _as_month(value: Any) -> date | None:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def _check(index: int, row: Mapping[str, Any]) -> dict[str, Any]:
    """One row validated and normalised, or a TargetError naming it (1-based, as a person counts)."""
    label = f"row {index}"
    missing = [key for key in ("month", "metric", "team", "value") if key not in row]
    if missing:
        raise TargetError(f"{label}: missing {', '.join(missing)}")
    month, metric, team, value = _as_month(row["month"]), row["metric"], row["team"], row["value"]
    label = f"row {index} ({str(row['month'])[:10]}, {str(metric)[:40]}, {str(team)[:20]})"
    if month is None or month.day != 1:
        raise TargetError(f"{label}: month must be the first day of a month, got {str(row['month'])[:40]!r}")
    if metric not in METRICS:
        raise TargetError(f"{label}: metric must be one of {', '.join(METRICS)}")
    if team not in TEAMS:
        raise TargetError(f"{label}: team must be one of {', '.join(TEAMS)}")
    owner, highest = METRICS[metric]
    if team != owner:
        raise TargetError(f"{label}: {metric} is a {owner} target, not {team}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TargetError(f"{label}: value must be a number, got {str(value)[:40]!r}") from None
    if isinstance(value, bool) or not math.isfinite(number) or not 0 <= number <= highest:
        raise TargetError(f"{label}: value must be a number from 0 to {highest:g}, got {str(value)[:40]}")
    return {"month": month, "metric": metric, "team": team, "value": number}


def save_targets(con: duckdb.DuckDBPyConnection, *, rows: pd.DataFrame | Iterable[Mapping[str, Any]],
                 actor: access.Actor | None = None) -> int:
    """Insert or replace targets (month, metric, team, value) in one transaction; stamp updated_at/updated_by and
    bump data_version. Needs the admin role (None: the local user). Nothing is written when any row is invalid:
    a TargetError names the first bad row."""
    who = access.require(actor, "admin", "edit targets")
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    checked, seen = [], {}
    for index, row in enumerate(records, start=1):
        if not isinstance(row, Mapping):
            raise TargetError(f"row {index}: expected month, metric, team and value, got {type(row).__name__}")
        clean = _check(index, row)
        key = (clean["month"], clean["metric"], clean["team"])
        if key in seen:
            raise TargetError(f"row {index}: repeats row {seen[key]} ({key[0]}, {key[1]}, {key[2]})")
        seen[key] = index
        checked.append(clean)
    if not checked:
        return 0
    stamp = db.now()
    delete, insert = db.sql_text("targets/delete_target"), db.sql_text("targets/insert_target")
    with db.transaction(con) as cur:
        for clean in checked:
            cur.execute(delete, {key: clean[key] for key in ("month", "metric", "team")})
            cur.execute(insert, {**clean, "updated_at": stamp, "updated_by": who.user})
        db.bump_data_version(cur, ["targets"])
    return len(checked)
