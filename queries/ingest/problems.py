"""The problem report of an import: a tally by column and kind of problem first, then the problems row by row.

A file with 500 empty dates and 12 unreadable amounts shows both classes at once, not only those of its first rows:

    created_at (engage_date): 500 empty, first on row 4
    amount (close_value): 12 not a number, first on row 9 ('twelve')
"""

from __future__ import annotations

import re

import pandas as pd

from queries.ingest.mapping import IGNORED
from queries.ingest.source import describe_problem

# The kind of a problem, from the start of its message (the messages are written in core, mapping, source, joins
# and the spec's row rules); a message none of these match is its own kind, up to its first explanation.
_KINDS: tuple[tuple[str, str], ...] = (
    (r"required: the cell is empty", "empty"),
    (r"required column is not mapped", "not mapped"),
    (r"the cell has [\d,]+ characters", "too long"),
    (r"not an allowed value", "not an allowed value"),
    (r"not a whole number", "not a whole number"),
    (r"not an amount|not a number|not a finite number", "not a number"),
    (r"not a (date|month)", "not a date"),
    (r"not true or false", "not true or false"),
    (r"out of range", "out of range"),
    (r"duplicate id in the file", "duplicate id"),
    (r"duplicate key", "duplicate key"),
    (r"id already in the database", "already in the database"),
    (r"the second file of join .* was not given", "second file not given"),
    (r".* has no column", "no such column"),
    (r"this row does not fit the header", "does not fit the header"),
    (r"byte 0x[0-9A-F]+ is not", "not readable text"),
)
_UNKNOWN = re.compile(r"unknown (\w+) id")
_SINGULAR = {"reps": "rep", "campaigns": "campaign", "leads": "lead", "deals": "deal"}
TALLY_COLUMNS = ["file", "field", "column", "kind", "count", "first_row", "example"]


def kind(problem: str) -> str:
    """A short name for the kind of a problem message: "empty", "not a number", "unknown rep"…"""
    text = str(problem)
    unknown = _UNKNOWN.match(text)
    if unknown:
        return f"unknown {_SINGULAR.get(unknown.group(1), unknown.group(1))}"
    for pattern, name in _KINDS:
        if re.match(pattern, text):
            return name
    return re.split(r";| \(|: ", text, maxsplit=1)[0][:80]


def tally(problems: pd.DataFrame, *, severity: str = "error") -> pd.DataFrame:
    """Problems of one severity counted by file, table column (field), file column and kind: the most frequent first,
    each with the first row it is on and that row's value."""
    chosen = problems[problems["severity"] == severity] if not problems.empty else problems
    if chosen.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("count", "first_row") else object)
                             for c in TALLY_COLUMNS})
    frame = chosen.assign(kind=chosen["problem"].map(kind),
                          file=chosen["file"].fillna("") if "file" in chosen else "",
                          value=chosen["value"].fillna("").astype(str))
    frame = frame.sort_values("row", kind="stable")
    grouped = frame.groupby(["file", "field", "column", "kind"], sort=False, dropna=False)
    counted = grouped.agg(count=("row", "size"), first_row=("row", "first"), example=("value", "first")).reset_index()
    counted = counted.sort_values(["count", "first_row"], ascending=[False, True], kind="stable")
    return counted[TALLY_COLUMNS].reset_index(drop=True).astype({"count": "int64", "first_row": "int64"})


def tally_line(row) -> str:
    """One tally row as a sentence: "amount (close_value): 12 not a number, first on row 9 ('twelve')"."""
    where = f"{row['file']}: " if row["file"] else ""
    label = row["field"] or row["column"]
    if row["field"] and row["column"] and row["column"] != row["field"]:
        label += f" ({row['column']})"
    example = f" ({row['example']!r})" if row["example"] else ""
    return f"{where}{label}: {row['count']:,} {row['kind']}, first on row {row['first_row']}{example}"


def notes(problems: pd.DataFrame) -> list[str]:
    """The warnings worth reading before the numbers are (rows a join found nothing for), one line each; columns
    nothing maps are left out (the mapping says so)."""
    warned = problems[(problems["severity"] == "warning") & (problems["problem"] != IGNORED)]
    return [f"note: {p}" for p in warned["problem"]]


def report(problems: pd.DataFrame, *, limit: int) -> list[str]:
    """The problem report's lines: the tally, then the first `limit` problems row by row, then the total and any
    notes."""
    errors = problems[problems["severity"] == "error"]
    counted = tally(errors)
    lines = [f"{len(errors):,} problems, by column and kind:", *(f"  {tally_line(r)}" for _, r in counted.iterrows())]
    shown = min(limit, len(errors))
    lines.append(f"The first {shown:,} by row:" if shown < len(errors) else "By row:")
    lines += [describe_problem(p) for _, p in errors.head(limit).iterrows()]
    lines.append(f"{len(errors):,} problems in total; nothing was imported.")
    return lines + notes(problems)
