"""Validate, commit and undo an import: set-wise checks in DuckDB on a staging table, one transaction per write.

Every identifier in the SQL comes from the fixed spec (queries.ingest.spec); values are always bound.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from queries import access, db, derived
from queries.db import TandemError
from queries.ingest import mapping as mapping_module
from queries.ingest import spec
from queries.ingest.mapping import Mapping
from queries.ingest.source import MAX_FIELD_CHARS, ImportRejected, Source, problems_frame, scratch_connection

MODES = spec.MODES
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%m-%d-%Y", "%d %B %Y",
                "%B %d %Y", "%d %b %Y", "%b %d %Y", "%Y-%m", "%B %Y", "%b %Y", "%Y%m%d", "%d/%m/%y", "%m/%d/%y")
_TIME_SUFFIXES = ("", " %H:%M:%S", " %H:%M", "T%H:%M:%S", " %H:%M:%S.%f", "T%H:%M:%S.%f", " %I:%M %p")
INSERT_SLICE_ROWS = 2 * mapping_module.ROW_GROUP_ROWS  # whole row groups per slice (see ROW_GROUP_ROWS)
PREVIEW_ROWS = 20

Progress = Callable[[float, str], None]

# How a cleaned text cell `in_<c>` becomes a typed value, per kind (fixed templates; {c} is a spec column).
_NUMBER = "coalesce(TRY_CAST(in_{c} AS {t}), TRY_CAST(regexp_replace(in_{c}, '[\\s$€£¥,]', '', 'g') AS {t}))"
_TIME_ISO = "coalesce(TRY_CAST(in_{c} AS TIMESTAMP), try_strptime(in_{c}, $formats))"
_TIME = "coalesce(try_strptime(in_{c}, $formats), TRY_CAST(in_{c} AS TIMESTAMP))"
_TYPED = {
    "text": "in_{c}", "int": _NUMBER, "money": _NUMBER, "double": _NUMBER, "date": "CAST({time} AS DATE)",
    "month": "CAST(date_trunc('month', {time}) AS DATE)", "timestamp": "{time}", "bool": "TRY_CAST(in_{c} AS BOOLEAN)",
}
_TYPE_MESSAGE = {
    "int": "'not a whole number'", "money": "'not an amount (a number with at most 2 decimals)'",
    "double": "'not a number'", "date": "'not a date in the format ' || $date_format",
    "month": "'not a month (a date) in the format ' || $date_format",
    "timestamp": "'not a date and time in the format ' || $date_format", "bool": "'not true or false'",
}


class UndoRefused(TandemError):
    """The batch cannot be undone; the message says why and what to undo first."""


@dataclass
class Report:
    """What validation found; after a commit also the batch id and what changed."""

    table: str
    mode: str
    rows: int
    problems: pd.DataFrame
    preview: pd.DataFrame
    date_format: str
    existing: int = 0
    batch_id: str | None = None
    inserted: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == "error"]

    @property
    def ok(self) -> bool:
        return self.errors.empty


def _formats(date_format: str) -> list[str]:
    return [date_format + suffix for suffix in _TIME_SUFFIXES]


def _typed(c: spec.Column, iso: bool) -> str:
    expression = "lower(in_{c})" if c.choices and c.kind == "text" else _TYPED[c.kind]
    return expression.format(c=c.name, t=spec.SQL_TYPES[c.kind], time=(_TIME_ISO if iso else _TIME).format(c=c.name))


def _check_cell(c: spec.Column, short: frozenset[str] = frozenset(), unmapped: frozenset[str] = frozenset()) -> str:
    """A CASE naming the first thing wrong with one cell of column c (NULL when it is fine).

    Columns in `short` have no cell over the length limit even counted in bytes: their length is not measured.
    Required columns in `unmapped` have no source at all: the header row's problem says so once, not every row."""
    name = c.name
    whens = [] if name in short else [
        f"WHEN length(in_{name}) > $max_field_chars THEN 'the cell has ' || format('{{:,}}', length(in_{name}))"
        " || ' characters; at most ' || format('{:,}', $max_field_chars) || ' are allowed'"]
    required = c.required and name not in unmapped
    whens.append(f"WHEN in_{name} IS NULL THEN " + ("'required: the cell is empty'" if required else "NULL"))
    if c.choices:
        allowed = "[" + ", ".join(f"'{v}'" for v in c.choices) + "]"
        whens.append(f"WHEN NOT list_contains({allowed}, lower(in_{name})) THEN 'not an allowed value; use one of: "
                     f"{', '.join(c.choices)} (or map it under [values.{name}])'")
    if c.kind != "text":
        whens.append(f"WHEN {name} IS NULL THEN {_TYPE_MESSAGE[c.kind]}")
    if c.kind == "double":
        whens.append(f"WHEN NOT isfinite({name}) THEN 'not a finite number'")
    if c.min_value is not None:
        whens.append(f"WHEN {name} < {c.min_value:g} THEN 'out of range: must be at least {c.min_value:g}'")
    return "CASE " + " ".join(whens) + " END"


def _bound(sql: str, params: dict) -> dict:
    """The parameters a statement uses (DuckDB refuses named parameters a statement does not have)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return {k: v for k, v in params.items() if f"${k}" in body}


def _render(name: str, table: str, iso: bool = True, short: frozenset[str] = frozenset(),
            unmapped: frozenset[str] = frozenset(), **chosen: str) -> str:
    """A SQL template filled with identifiers of the fixed spec only (chosen values must be spec names).

    `short`: columns whose cells are all known to be within the length limit; `unmapped`: required columns without
    any source (see _check_cell)."""
    t = spec.table(table)
    allowed = {
        "column": {*t.column_names, "batch_id"},
        "child": {child for child, _ in spec.DEPENDENTS.get(table, ())},
        "child_column": {column for _, column in spec.DEPENDENTS.get(table, ())},
        "condition": {condition for _, condition, _ in t.row_rules},
    }
    key = t.key
    kinds = {c.name: c.kind for c in t.columns}
    refs = [(c.name, c.references, spec.TABLES[c.references].key[0]) for c in t.columns if c.references]
    allowed["column"] |= {c for c, _, _ in refs}
    allowed["ref_table"] = {r for _, r, _ in refs}
    allowed["ref_key"] = {k for _, _, k in refs}
    for role, value in chosen.items():
        if value not in allowed[role]:
            raise ValueError(f"{value!r} is not a {role} of {table} in the spec")
    fields = {
        "table": t.name,
        "columns": ", ".join(t.column_names),
        "key": ", ".join(key),
        "key_field": key[0] if key else "",
        "key_match": " AND ".join(f"t.{k} = s.{k}" for k in key),
        "key_text": "concat_ws(' / ', " + ", ".join(f"CAST({k} AS VARCHAR)" for k in key) + ")" if key else "''",
        "key_not_null": " AND ".join(f"{k} IS NOT NULL" for k in key) or "TRUE",
        "in_columns": ", ".join(f"in_{c}" for c in t.column_names),
        "typed": ", ".join(f"{_typed(c, iso)} AS {c.name}" for c in t.columns),
        "checks": ", ".join(f"{_check_cell(c, short, unmapped)} AS p_{c.name}" for c in t.columns),
        "any_problem": "(" + " OR ".join(f"({_check_cell(c, short, unmapped)}) IS NOT NULL" for c in t.columns) + ")",
        "aggregates": ", ".join(
            (f"CAST(sum({c}) AS {spec.SQL_TYPES[kinds[c]]}) AS {c}" if kinds[c] in spec.NUMERIC_KINDS
             else f"arg_min({c}, _row) AS {c}") for c in t.column_names if c not in key),
        **chosen,
    }
    return db.sql_text(f"ingest/{name}").format(**fields)


def _frame(cur: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pd.DataFrame:
    return cur.execute(sql, params or {}).to_arrow_table().to_pandas()


def _within_limit(array: pa.Array | pa.ChunkedArray) -> bool:
    """Whether no cell can have more than MAX_FIELD_CHARS characters: none has more bytes (cheap to measure)."""
    longest = pc.max(pc.binary_length(array)).as_py()
    return longest is None or longest <= MAX_FIELD_CHARS


def _stage(cur: duckdb.DuckDBPyConnection, source: Source, mapping: Mapping, table: str
           ) -> tuple[list[dict], pd.DataFrame]:
    """Parse the mapped file into temp table ingest_typed; return the mapping's problems and the bad cells."""
    staged, problems = mapping_module.apply(source, mapping, table=table)
    date_format = str(mapping.options.get("date_format") or DEFAULT_DATE_FORMAT)
    iso = date_format == DEFAULT_DATE_FORMAT
    params = {"formats": _formats(date_format), "max_field_chars": MAX_FIELD_CHARS, "date_format": date_format}
    short = frozenset(c.name for c in spec.table(table).columns if _within_limit(staged[f"in_{c.name}"]))
    unmapped = frozenset(mapping_module.unsourced(mapping, table=table))
    cur.register("ingest_stage", staged)
    try:
        sql = _render("typed", table, iso=iso, short=short, unmapped=unmapped)
        cur.execute(sql, _bound(sql, params))
        # The checks ran on every cell inside typed.sql as one flag; the messages are spelled out for bad rows only.
        bad = cur.execute("SELECT count(*) FROM ingest_typed WHERE _bad").fetchone()[0]
        if bad:
            sql = _render("cell_problems", table, iso=iso, short=short, unmapped=unmapped)
            cells = _frame(cur, sql, _bound(sql, params))
        else:
            cells = pd.DataFrame({"row": pd.Series(dtype="int64"), "field": pd.Series(dtype=object),
                                  "problem": pd.Series(dtype=object)})
    finally:
        cur.unregister("ingest_stage")
    cells["value"] = ""
    if not cells.empty:
        positions = np.searchsorted(staged["_row"].to_numpy(), cells["row"].to_numpy())
        for field_name, index in cells.groupby("field").indices.items():
            cells.loc[cells.index[index], "value"] = staged[f"in_{field_name}"].take(positions[index]).to_pylist()
    if mapping.options.get("aggregate"):
        if mapping.options["aggregate"] != "sum":
            problems.append({"row": source.header_row, "column": "aggregate", "field": "", "value": "",
                             "problem": 'the only aggregate option is "sum"', "severity": "error"})
        elif not spec.table(table).key:
            problems.append({"row": source.header_row, "column": "aggregate", "field": "", "value": "",
                             "problem": f"{table} has no key to combine rows on", "severity": "error"})
        else:
            cur.execute(_render("aggregate", table))
    return problems, cells


def _check(cur: duckdb.DuckDBPyConnection, source: Source, mapping: Mapping, table: str, mode: str,
           mapping_problems: list[dict], cells: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Every problem, set-wise; and how many staged rows already exist in the table."""
    t = spec.table(table)
    frames = [cells]
    for c in t.columns:
        if c.references:
            frames.append(_frame(cur, _render("reference_problems", table, column=c.name, ref_table=c.references,
                                              ref_key=spec.TABLES[c.references].key[0])))
    for field_name, condition, message in t.row_rules:
        frames.append(_frame(cur, _render("rule_problems", table, condition=condition),
                             {"field": field_name, "message": message}))
    if t.key:
        frames.append(_frame(cur, _render("duplicate_problems", table)))
        cur.execute(_render("mark_existing", table))
        if mode == "insert":
            frames.append(_frame(cur, _render("existing_problems", table)))
    else:
        cur.execute(db.sql_text("ingest/no_existing"))
        if mode == "upsert":
            mapping_problems.append({"row": source.header_row, "column": "mode", "field": "", "value": "upsert",
                                     "problem": f"{table} has no id, so upsert cannot find existing rows; use insert",
                                     "severity": "error"})
    existing = cur.execute("SELECT count(*) FROM ingest_existing").fetchone()[0]
    sources = mapping_module.column_sources(mapping, table=table)
    cells = pd.concat([f for f in frames if not f.empty] or [frames[0]], ignore_index=True)
    cells["column"] = cells["field"].map(sources)
    cells["severity"] = "error"
    cells["file"] = ""
    problems = pd.concat([problems_frame(mapping_problems), cells[problems_frame([]).columns]], ignore_index=True)
    problems["value"] = problems["value"].fillna("")
    order = {name: i for i, name in enumerate(t.column_names)}
    problems["position"] = problems["field"].map(order).fillna(len(order))
    problems = problems.sort_values(["row", "position"], kind="stable").drop(columns="position")
    return problems.reset_index(drop=True).astype({"row": "int64"}), int(existing)


def _preview(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = _frame(cur, "SELECT * FROM ingest_typed ORDER BY _row LIMIT $n", {"n": PREVIEW_ROWS})
    return frame[[c for c in frame.columns if c != "_bad"]].rename(columns={"_row": "row"})


def _report(cur, source: Source, mapping: Mapping, table: str, mode: str, staged: tuple[list[dict], pd.DataFrame]
            ) -> Report:
    """Check the staged file against the database (inside the transaction) and describe what would be written."""
    mapping_problems, cells = staged
    problems, existing = _check(cur, source, mapping, table, mode, mapping_problems, cells)
    rows = cur.execute("SELECT count(*) FROM ingest_typed").fetchone()[0]
    return Report(table=table, mode=mode, rows=int(rows), problems=problems, preview=_preview(cur),
                  date_format=str(mapping.options.get("date_format") or DEFAULT_DATE_FORMAT), existing=existing)


def _check_mode(table: str, mode: str) -> None:
    if mode not in MODES:
        raise TandemError(f"mode must be insert or upsert, not {mode!r}")
    spec.table(table)


def validate(con: duckdb.DuckDBPyConnection, *, source: Source, mapping: Mapping, table: str,
             mode: str = "insert") -> Report:
    """Stage and check a mapped file against the database without writing anything."""
    _check_mode(table, mode)
    with db.borrowed_memory(con), con.cursor() as cur:
        cur.execute("SET enable_progress_bar = false")
        staged = _stage(cur, source, mapping, table)
        cur.execute("BEGIN TRANSACTION")
        try:
            return _report(cur, source, mapping, table, mode, staged)
        finally:
            cur.execute("ROLLBACK")


def _noop(fraction: float, text: str) -> None:
    return None


def _insert_slices(cur: duckdb.DuckDBPyConnection, table: str, batch_id: str, rows: int, step: int,
                   progress: Progress) -> int:
    """Insert the new staged rows slice by slice (for a progress bar); returns how many were written.

    Slices are positions in the staging table: offsets from its first rowid (DuckDB may number a temp table's rows
    from a large base)."""
    first = cur.execute("SELECT coalesce(min(rowid), 0) FROM ingest_typed").fetchone()[0]
    written = 0
    for start in range(0, rows, step):
        end = min(rows, start + step)
        progress(0.4 + 0.55 * start / max(1, rows), f"Writing rows {start + 1:,}–{end:,} of {rows:,}")
        written += cur.execute(_render("insert_rows", table),
                               {"batch_id": batch_id, "lo": first + start, "hi": first + end}).fetchone()[0]
    return written


def _changed_rows(con: duckdb.DuckDBPyConnection, cur: duckdb.DuckDBPyConnection, table: str, batch_id: str,
                  rows: int) -> derived.Write | None:
    """What a batch changes, for the summary tables (queries.derived.note_write): its rows as they are and the
    previous version of those it replaced; in a commit after its writes, in an undo before them (the same rows).
    None in Postgres mode (no summary tables are kept beside it). The rows themselves only for a batch small enough
    to keep."""
    if getattr(con, "write_transaction", None) is not None:
        return None
    tables = frozenset({table, "import_batches"})
    if rows > derived.MAX_RECORDED_ROWS:
        return derived.Write(tables, table, None)
    params = {"batch_id": batch_id}
    changed = cur.execute(_render("batch_rows", table), params).to_arrow_table()
    if spec.table(table).key:
        previous = cur.execute(_render("replaced_rows", table), params).to_arrow_table()
        changed = pa.concat_tables([changed, previous.select(changed.column_names).cast(changed.schema)])
    return derived.Write(tables, table, changed)


def _noted(con: duckdb.DuckDBPyConnection, version: int, write: derived.Write | None) -> None:
    if write is not None:
        derived.note_write(con, version, write)


def commit(con: duckdb.DuckDBPyConnection, *, source: Source, mapping: Mapping, table: str, mode: str = "insert",
           actor: access.Actor | None = None, progress: Progress | None = None) -> Report:
    """Validate and write all rows or none, in one transaction; raises ImportRejected if any row has a problem.

    Admins only (`actor` None is the local user, an admin); the batch records who imported it.
    """
    who = access.require(actor, "admin", "import data")
    reporting = progress is not None
    progress = progress or _noop
    _check_mode(table, mode)
    t = spec.table(table)
    batch_id = f"imp-{db.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    staged: list = []  # (mapping problems, bad cells), filled by stage

    def stage(cur: duckdb.DuckDBPyConnection) -> None:
        """The file's own work (parse, type, cell checks) before the transaction: it fills temp tables only."""
        cur.execute("SET enable_progress_bar = false")  # no terminal bar from the command line
        progress(0.05, "Reading and checking every cell")
        staged.extend(_stage(cur, source, mapping, table))

    try:
        # A file is staged whole: it borrows memory (a 1M-row one under the serving cap spilled to disk).
        with db.borrowed_memory(con), db.transaction(con, before=stage) as cur:
            progress(0.25, "Checking ids and references against the database")
            report = _report(cur, source, mapping, table, mode, tuple(staged))
            if not report.ok:
                raise ImportRejected(report.problems)
            if t.key:
                cur.execute(_render("create_previous", table))
            if mode == "upsert" and report.existing:
                progress(0.3, f"Keeping the previous version of {report.existing:,} rows")
                cur.execute(_render("save_previous", table), {"batch_id": batch_id})
                # Only the columns the file provides: an upsert must not blank what the file does not mention.
                provided = set(mapping.columns) | set(mapping.defaults)
                for column in t.column_names:
                    if column not in t.key and column in provided:
                        cur.execute(_render("update_column", table, column=column))
                cur.execute(_render("set_batch", table), {"batch_id": batch_id})
            if reporting or report.existing:
                written = _insert_slices(cur, table, batch_id, report.rows,
                                         INSERT_SLICE_ROWS if reporting else max(1, report.rows), progress)
            else:  # every row is new and nobody watches a bar: one statement without a filter
                written = cur.execute(_render("insert_all", table), {"batch_id": batch_id}).fetchone()[0]
            if written != report.rows - report.existing:
                raise TandemError(f"the import wrote {written:,} new rows where {report.rows - report.existing:,} "
                                  "were expected; nothing was imported")
            cur.execute(db.sql_text("ingest/record_batch"), {
                "batch_id": batch_id, "table_name": table, "source_name": source.name, "row_count": report.rows,
                "imported_at": db.now(), "imported_by": who.user})
            db.bump_data_version(cur, [table, "import_batches"])
            changed = _changed_rows(con, cur, table, batch_id, report.rows)
            version = db.written_versions(cur)[0] if changed is not None else 0
            progress(0.97, "Committing")
    except duckdb.ConstraintException as exc:
        raise TandemError(
            f"the database refused the import ({str(exc).splitlines()[0][:300]}); nothing was imported. "
            "DuckDB cannot change a reference column (such as owner_rep_id) of a row other tables refer to."
        ) from None
    _noted(con, version, changed)
    progress(1.0, "Done")
    report.batch_id = batch_id
    report.updated = report.existing if mode == "upsert" else 0
    report.inserted = report.rows - report.updated
    return report


def undo(con: duckdb.DuckDBPyConnection, *, batch_id: str, actor: access.Actor | None = None) -> dict:
    """Restore the exact state before a batch: delete the rows it added, put back the rows it updated.

    Refuses (UndoRefused) when a later import changed rows of this batch, or rows elsewhere refer to rows
    it would delete. Admins only (`actor` None is the local user).
    """
    who = access.require(actor, "admin", "undo imports")
    with db.transaction(con) as cur:
        found = _frame(cur, db.sql_text("ingest/batch"), {"batch_id": batch_id})
        if found.empty:
            raise UndoRefused(f"there is no import batch {batch_id!r}")
        batch = found.iloc[0]
        if batch["status"] == "undone":
            raise UndoRefused(f"import {batch_id} was already undone")
        table = str(batch["table_name"])
        t = spec.table(table)
        params = {"batch_id": batch_id}
        if t.key:
            cur.execute(_render("create_previous", table))
            later = _frame(cur, _render("later_changes", table), params)
            if not later.empty:
                names = ", ".join(later["replaced_by"].astype(str))
                raise UndoRefused(f"a later import ({names}) updated {int(later['rows'].sum()):,} rows of {batch_id}; "
                                  "undo that import first")
        for child, child_column in spec.DEPENDENTS.get(table, ()):
            rows, batches = cur.execute(_render("dependents", table, child=child, child_column=child_column),
                                        params).fetchone()
            if rows:
                raise UndoRefused(f"{rows:,} {child} rows (batches: {batches}) refer to {table} this import added; "
                                  f"undo or delete those first")
        changed = _changed_rows(con, cur, table, batch_id, int(batch["row_count"]))
        restored = 0
        if t.key:
            restored = cur.execute(_render("count_previous", table), params).fetchone()[0]
            for column in (*[c for c in t.column_names if c not in t.key], "batch_id"):
                cur.execute(_render("restore_column", table, column=column), params)
        deleted = cur.execute(_render("delete_batch", table), params).fetchone()[0]
        if t.key:
            cur.execute(_render("forget_previous", table), params)
        cur.execute(db.sql_text("ingest/mark_undone"), {**params, "undone_at": db.now(), "undone_by": who.user})
        db.bump_data_version(cur, [table, "import_batches"])
        version = db.written_versions(cur)[0]
    _noted(con, version, changed)
    return {"batch_id": batch_id, "table": table, "deleted": int(deleted), "restored": int(restored)}


def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import batch, newest first: batch_id, table_name, source_name, row_count, imported_at/by, status."""
    return db.query(con, "ingest/history")


def _separator(date_format: str) -> str:
    """The character between the parts of a date format, which every cell in the format contains; "" when there is
    none to require: no separator (%Y%m%d), or a space, which DuckDB matches with any whitespace (a tab, a line
    break)."""
    return next(iter(re.sub("%[a-zA-Z]", "", date_format)), "").strip()


def detect_date_format(source: Source, mapping: Mapping, *, table: str, sample: int = 500) -> list[tuple[str, int]]:
    """Candidate date formats ranked by how many sampled date cells each parses (best first; zero-count left out).

    The sample is `sample` rows spread evenly over the file (not only its head), each distinct cell text parsed
    once and counted as often as it occurs: a million-row file costs what a small one does. Every cell is still
    checked against the chosen format when the file is validated.
    """
    t = spec.table(table)
    date_columns = [c.name for c in t.columns if c.kind in ("date", "month", "timestamp")]
    if not date_columns:
        return []
    if source.rows > sample:
        picked = pa.array(np.linspace(0, source.rows - 1, sample).round().astype(np.int64))
        source = dataclasses.replace(source, table=source.table.take(picked),
                                     row_numbers=source.row_array().take(picked))
    staged, _ = mapping_module.apply(source, mapping, table=table)
    cells = pa.chunked_array([pc.utf8_trim_whitespace(staged[f"in_{name}"].cast(pa.string()))
                              for name in date_columns]).drop_null()
    counted = pc.value_counts(cells)
    if len(counted) == 0:
        return []
    con = scratch_connection()
    try:
        con.register("ingest_dates", pa.table({"value": counted.field("values"), "cells": counted.field("counts")}))
        # A failed parse is the cost: a cell is parsed only against the candidates whose separator it contains, and
        # those naming the month only if it has letters (a CASE: DuckDB evaluates a FILTER's AND in full).
        separators = [_separator(f) for f in DATE_FORMATS]
        guards = [" AND ".join([*(["lettered"] if re.search("%[bB]", f) else []),
                                *([f"contains(value, $separator_{i})"] if separator else [])]) or "TRUE"
                  for i, (f, separator) in enumerate(zip(DATE_FORMATS, separators, strict=True))]
        parsed = ", ".join(f"coalesce(sum(cells) FILTER (WHERE CASE WHEN {guard} THEN try_strptime(value, $format_{i}) "
                           "END IS NOT NULL), 0)" for i, guard in enumerate(guards))
        params = {f"format_{i}": _formats(f) for i, f in enumerate(DATE_FORMATS)}
        params.update({f"separator_{i}": separator for i, separator in enumerate(separators) if separator})
        counts = con.execute(db.sql_text("ingest/count_parsed").format(parsed=parsed), params).fetchone()
    finally:
        con.close()
    return sorted(((f, int(n)) for f, n in zip(DATE_FORMATS, counts, strict=True) if n), key=lambda r: -r[1])


def distinct_values(source: Source, mapping: Mapping, *, column: str, limit: int = 200) -> list[str]:
    """The distinct values of the file columns mapped to a table column (for mapping them to a vocabulary), the most
    frequent first."""
    counted: dict[str, int] = {}
    for expression in mapping_module.parts(mapping.columns.get(column)):
        if expression in source.columns:
            for c in source.table[expression].value_counts().to_pylist():
                if c["values"] is not None and str(c["values"]).strip():
                    counted[str(c["values"])] = counted.get(str(c["values"]), 0) + c["counts"]
    ranked = sorted(counted.items(), key=lambda r: -r[1])
    return [v for v, _ in ranked[:limit]]
