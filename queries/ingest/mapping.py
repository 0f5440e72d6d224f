"""Mappings from a file's columns and values to a table's: loaded and saved as TOML, applied to a file's cells.

(How a mapping is suggested from a header is queries.ingest.suggestions.)

A mapping file has these sections:

    [columns]        target = "source column"   (or a template "{Day} {Month} 2020",
                                                 or a formula "= {A} / ({A} + {B}) * 100",
                                                 or a list ["A", "B"]: the first of them with a value)
    [values.<target>] "source value" = "target value"
    [defaults]       target = value             (used when the column is not mapped or the cell is empty)
    [joins.<name>]   file = "other.csv", on = { "source column" = "other.csv column" }
                     (a second file: its columns are "<name>.<column>" in [columns]; see queries.ingest.joins)
    [options]        date_format, delimiter, decimal, sheet, encoding, skip_rows, null_values, aggregate
"""

from __future__ import annotations

import ast
import json
import os
import re
import tomllib
from collections.abc import Container
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from queries.db import TandemError
from queries.ingest import spec
from queries.ingest.source import Source

OPTION_NAMES = ("date_format", "delimiter", "decimal", "sheet", "encoding", "skip_rows", "null_values", "aggregate")
SECTIONS = ("columns", "values", "defaults", "joins", "options")
# What a [joins.<name>] section may hold besides `file` and `on`: how to read the second file.
JOIN_OPTIONS = ("delimiter", "sheet", "encoding", "skip_rows")
# A join's name prefixes its columns ("products.sales_price"): letters, digits and underscores.
JOIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
DEFAULT_NULL_VALUES = ("#N/A", "N/A", "NULL", "null", "None", "nan")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# DuckDB's row group (rows). The mapped cells come in batches of whole row groups, so DuckDB's copy of them is whole
# row groups, and so are the rows an import appends (when none of a batch is left out, as rows already in the table
# are in upsert mode). A batch of any other size leaves a part-filled row group behind it, which the checkpoint when
# the database closes rewrites (a cost that grows with the file).
ROW_GROUP_ROWS = 122_880
# A column is made one array only below this size (an Arrow string array holds at most 2 GiB); a larger one keeps
# the chunks it was read in: the same cells, only not cut on row group boundaries.
COMBINE_MAX_BYTES = 1 << 30
# The warning for a file column nothing maps.
IGNORED = "this column is not mapped to any field and will be ignored"

@dataclass
class Join:
    """A second file joined on a key: `on` pairs this file's key columns with the second file's."""

    on: dict[str, str]
    file: str = ""  # where the second file is: a path relative to the mapping file, or the uploaded file's name
    options: dict[str, Any] = field(default_factory=dict)  # how to read it (JOIN_OPTIONS)


@dataclass
class Mapping:
    columns: dict[str, str | list[str]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    joins: dict[str, Join] = field(default_factory=dict)

    @property
    def null_values(self) -> list[str]:
        return [str(v) for v in self.options.get("null_values", DEFAULT_NULL_VALUES)]

    def read_options(self) -> dict:
        return {k: self.options[k] for k in ("delimiter", "sheet", "encoding", "skip_rows") if k in self.options}


def loads(text: str) -> Mapping:
    """Parse a mapping file; a TandemError names what is wrong with it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TandemError(f"the mapping file is not valid TOML ({exc})") from None
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise TandemError(f"the mapping file has unknown sections: {', '.join(sorted(unknown))} "
                          f"(allowed: {', '.join(SECTIONS)})")
    bad_options = set(data.get("options", {})) - set(OPTION_NAMES)
    if bad_options:
        raise TandemError(f"unknown options in the mapping: {', '.join(sorted(bad_options))} "
                          f"(allowed: {', '.join(OPTION_NAMES)})")
    return Mapping(
        columns={str(k): _sources(k, v) for k, v in data.get("columns", {}).items()},
        values={str(t): {str(k): str(v) for k, v in vals.items()} for t, vals in data.get("values", {}).items()},
        defaults={str(k): v for k, v in data.get("defaults", {}).items()},
        options=dict(data.get("options", {})),
        joins={str(name): _join(name, section) for name, section in data.get("joins", {}).items()},
    )


def _sources(target: str, value: Any) -> str | list[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    raise TandemError(f"[columns] {target} must be a file column (text) or a list of them, the first with a value "
                      f"used (not {value!r})")


def _join(name: str, section: Any) -> Join:
    where = f"[joins.{name}]"
    if not JOIN_NAME.fullmatch(name):
        raise TandemError(f"{where}: a join's name is letters, digits and underscores, starting with a letter")
    if not isinstance(section, dict):
        raise TandemError(f"{where} must be a section with file and on")
    unknown = set(section) - {"file", "on", *JOIN_OPTIONS}
    if unknown:
        raise TandemError(f"{where} has unknown keys: {', '.join(sorted(unknown))} "
                          f"(allowed: file, on, {', '.join(JOIN_OPTIONS)})")
    on = section.get("on")
    if not isinstance(on, dict) or not on or not all(isinstance(v, str) and v for v in on.values()):
        raise TandemError(f'{where} needs on = {{ "this file\'s key column" = "the second file\'s key column" }}')
    return Join(on={str(k): str(v) for k, v in on.items()}, file=str(section.get("file", "")),
                options={k: section[k] for k in JOIN_OPTIONS if k in section})


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


def _column_lines(mapping: Mapping, table: str | None, notes: dict[str, str] | None) -> list[str]:
    """[columns], one line per mapped column; with `notes`, every column of the table in order, each with its note as
    a comment, and the unmapped ones commented out."""
    if notes is None or table is None:
        return [f"{_key(k)} = {_value(v)}" for k, v in mapping.columns.items()]
    rows = [(f"{_key(c)} = {_value(mapping.columns[c])}" if c in mapping.columns else f'# {_key(c)} = ""', notes.get(c))
            for c in spec.table(table).column_names]
    width = max(len(text) for text, _ in rows)
    return [f"{text:<{width}}  # {note}" if note else text for text, note in rows]


def dumps(mapping: Mapping, *, table: str | None = None, notes: dict[str, str] | None = None) -> str:
    """The mapping as TOML, in the format loads() reads. Given the table and a note per column (why it was suggested,
    or that nothing was found), [columns] lists every column of the table with its note."""
    lines = ["[columns]", *_column_lines(mapping, table, notes)]
    for target, values in mapping.values.items():
        if values:
            lines += ["", f"[values.{_key(target)}]", *(f"{_key(k)} = {_value(v)}" for k, v in values.items())]
    if mapping.defaults:
        lines += ["", "[defaults]", *(f"{_key(k)} = {_value(v)}" for k, v in mapping.defaults.items())]
    for name, join in mapping.joins.items():
        lines += ["", f"[joins.{name}]", f"file = {_value(join.file)}", f"on = {_value(join.on)}",
                  *(f"{_key(k)} = {_value(v)}" for k, v in join.options.items())]
    if mapping.options:
        lines += ["", "[options]", *(f"{_key(k)} = {_value(v)}" for k, v in mapping.options.items())]
    return "\n".join(lines) + "\n"


def parts(expression: str | list[str] | None) -> list[str]:
    """The sources of a [columns] value, in the order they are tried."""
    if not expression:
        return []
    return [expression] if isinstance(expression, str) else list(expression)


def join_column(name: str, column: str) -> str:
    """How [columns] names a column of a joined file: "<join>.<column>"."""
    return f"{name}.{column}"


def joined_name(reference: str, joins: Container[str]) -> str | None:
    """The join a [columns] reference reads ("products" for "products.sales_price"), or None for this file's own."""
    name, dot, _ = reference.partition(".")
    return name if dot and name in joins else None


def suggest(source_columns: list[str], *, table: str) -> Mapping:
    """A mapping that pairs each table column with the file column named most like it (queries.ingest.suggestions)."""
    from queries.ingest import suggestions  # it builds on this module

    return suggestions.suggest(source_columns, table=table)


def _numeric(array: pa.ChunkedArray) -> pa.Array:
    import pandas as pd  # only formulas need it; reading and mapping a file do not (see queries.ingest.__main__)

    return pa.array(pd.to_numeric(array.to_pandas(), errors="coerce"), type=pa.float64())


def _formula(expression: str, table: pa.Table) -> pa.Array:
    """Evaluate "= {A} / ({A} + {B}) * 100": arithmetic on numeric columns only, never Python code."""
    names: dict[str, str] = {}

    def placeholder(match: re.Match) -> str:
        return names.setdefault(match.group(1), f"_v{len(names)}")

    tree = ast.parse(_PLACEHOLDER.sub(placeholder, expression.lstrip("= ")), mode="eval")
    variables = {var: _numeric(table[name]) for name, var in names.items()}
    operators = {ast.Add: pc.add, ast.Sub: pc.subtract, ast.Mult: pc.multiply, ast.Div: pc.divide}

    def evaluate(node: ast.AST):
        if isinstance(node, ast.Expression):
            return evaluate(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in operators:
            return operators[type(node.op)](evaluate(node.left), evaluate(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return pc.negate(evaluate(node.operand))
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return pa.scalar(float(node.value))
        if isinstance(node, ast.Name) and node.id in variables:
            return variables[node.id]
        raise ValueError("only numbers, {columns}, + - * / and parentheses are allowed")

    result = evaluate(tree)
    return pc.cast(result, pa.string())


def referenced_columns(expression: str) -> list[str]:
    """The file columns a mapping value reads: itself, or each {name} of a template or formula."""
    if "{" in expression:
        return _PLACEHOLDER.findall(expression)
    return [expression]


def unsourced(mapping: Mapping, *, table: str) -> list[str]:
    """The required columns the mapping gives no source: no file column, no default of its own or the schema's."""
    return [c.name for c in spec.table(table).columns
            if c.required and c.default is None and not mapping.columns.get(c.name) and c.name not in mapping.defaults]


def apply(source: Source, mapping: Mapping, *, table: str) -> tuple[pa.Table, list[dict]]:
    """The file's cells arranged as the table's columns and any mapping problems.

    Columns are `_row` (the spreadsheet row) and `in_<column>` for each table column: text, trimmed, with
    placeholders as NULL, values mapped, decimals normalised and defaults filled.

    A [columns] list takes, cell by cell, the first of its sources with a value (after placeholders and [values]),
    so a second file's column (joined by queries.ingest.joins.combine) can fill what this file leaves empty.

    Problems are at the header row: a mapped column missing from the file, a joined file that was not given, a
    required column with no source and no default, a formula that cannot be read; file columns nothing maps are
    warnings, as are rows a join found no match for.
    """
    target = spec.table(table)
    header = source.header_row
    problems: list[dict] = []
    present = set(source.columns)

    def problem(column: str, field_name: str, text: str, severity: str = "error", value: str = "") -> None:
        problems.append({"row": header, "column": column, "field": field_name, "value": value, "problem": text,
                         "severity": severity})

    for name in mapping.columns:
        if name not in target.column_names:
            problem(name, name, f"{table} has no column {name!r}; remove it from [columns]")
    for name in (*mapping.defaults, *mapping.values):
        if name not in target.column_names:
            problem(name, name, f"{table} has no column {name!r}")
    arrays = {"_row": source.row_array()}
    raw: dict[str, list[pa.Array | pa.ChunkedArray]] = {}
    used: set[str] = set()

    def read(expression: str, column: spec.Column) -> pa.Array | pa.ChunkedArray | None:
        """One source of a column: a file column, a template or a formula (None, and a problem, if it cannot be)."""
        referenced = referenced_columns(expression)
        missing = [c for c in referenced if c not in present]
        used.update(c for c in referenced if c in present)
        if missing:
            join = joined_name(missing[0], mapping.joins)
            if join is not None and join not in source.joined:
                problem(missing[0], column.name, f"the second file of join {join!r} was not given (upload it, or "
                                                 f"name it with --join {join}=FILE)")
            elif join is not None:
                problem(missing[0], column.name, f"the second file of join {join!r} has no column "
                                                 f"{missing[0].partition('.')[2]!r}")
            else:
                hint = (f" (the header has one column {source.columns[0]!r}: is the delimiter right?)"
                        if len(source.columns) == 1 else "")
                problem(missing[0], column.name, f"the file has no column {missing[0]!r}{hint}")
        elif expression.startswith("="):
            try:
                return _formula(expression, source.table)
            except (ValueError, SyntaxError, pa.ArrowException) as exc:
                problem(expression, column.name, f"cannot compute the formula ({exc})")
        elif "{" in expression:
            pieces = [source.table[p[1:-1]] if _PLACEHOLDER.fullmatch(p) else pa.scalar(p)
                      for p in re.split(r"(\{[^{}]+\})", expression) if p]
            return pc.binary_join_element_wise(*pieces, "")
        else:
            return source.table[expression]
        return None

    missing_required = unsourced(mapping, table=table)
    for column in target.columns:
        expressions = parts(mapping.columns.get(column.name))
        found = [array for array in (read(e, column) for e in expressions) if array is not None]
        if column.name in missing_required:
            problem(column.name, column.name, "required column is not mapped and has no default; map a file "
                                              "column to it or set a constant in [defaults]")
        raw[column.name] = found or [pa.nulls(source.rows, type=pa.string())]
    # Arrow's kernels let go of the GIL: the columns are cleaned side by side (a 1M-row file in half the time).
    with ThreadPoolExecutor(max_workers=max(1, min(len(raw), os.cpu_count() or 1))) as pool:
        cleaned = pool.map(lambda c: _clean(raw[c.name], c, mapping), target.columns)
        arrays.update((f"in_{c.name}", array) for c, array in zip(target.columns, cleaned, strict=True))
    for name in source.own_columns:
        if name not in used:
            problem(name, "", IGNORED, severity="warning")
    problems.extend(dict(note) for note in source.notes)
    table = pa.table(arrays)
    return pa.Table.from_batches(table.to_batches(max_chunksize=ROW_GROUP_ROWS), schema=table.schema), problems


def _clean(sources: list[pa.Array | pa.ChunkedArray], column: spec.Column, mapping: Mapping
           ) -> pa.Array | pa.ChunkedArray:
    """Trim, turn placeholders into empty cells, map values, take the first source with a value, normalise decimals,
    fill defaults: all vectorised.

    The result is one array (not chunked as the file was read; see COMBINE_MAX_BYTES): apply cuts it into batches
    of whole row groups."""
    cleaned = [_cell_values(array, column, mapping) for array in sources]
    array = cleaned[0] if len(cleaned) == 1 else pc.coalesce(*cleaned)
    if column.kind in spec.NUMERIC_KINDS and str(mapping.options.get("decimal") or ".") == ",":
        array = pc.replace_substring(pc.replace_substring(array, ".", ""), ",", ".")
    default = mapping.defaults.get(column.name, column.default)
    if default is not None:
        text = ("true" if default else "false") if isinstance(default, bool) else str(default)
        array = pc.coalesce(array, pa.scalar(text, pa.string()))
    return array


def _cell_values(array: pa.Array | pa.ChunkedArray, column: spec.Column, mapping: Mapping
                 ) -> pa.Array | pa.ChunkedArray:
    """One source's cells trimmed, placeholders empty, values mapped (a value mapped to "" becomes empty)."""
    if isinstance(array, pa.ChunkedArray) and array.nbytes < COMBINE_MAX_BYTES:
        array = array.combine_chunks()
    array = pc.utf8_trim_whitespace(pc.cast(array, pa.string()))
    empty = pc.or_kleene(pc.equal(array, ""), pc.is_in(array, value_set=pa.array(mapping.null_values, pa.string())))
    if pc.any(empty).as_py():  # most columns have none: skip copying every string
        array = pc.if_else(empty, pa.scalar(None, pa.string()), array)
    values = mapping.values.get(column.name)
    if values:
        keys = pa.array([str(k).strip().lower() for k in values], pa.string())
        targets = pa.array([str(v).strip() or None for v in values.values()], pa.string())
        index = pc.index_in(pc.utf8_lower(array), value_set=keys)
        array = pc.if_else(pc.is_valid(index), pc.take(targets, index), array)
    return array


def column_sources(mapping: Mapping, *, table: str) -> dict[str, str]:
    """For each table column, what a person should read as its source in a problem report."""
    return {c: " or ".join(parts(mapping.columns.get(c)))
            or (f"default {mapping.defaults[c]!r}" if c in mapping.defaults else c)
            for c in spec.table(table).column_names}
