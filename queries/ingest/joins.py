"""Second files joined on a key: their columns set beside the imported file's rows, for a mapping to use.

A deal export without amounts for open deals and a products list with list prices make one deals table:

    [columns]
    amount = ["close_value", "products.sales_price"]   # the deal's own value, else its product's list price
    [joins.products]
    file = "products.csv"
    on = { product = "product" }                        # this file's column = products.csv's column

`combine` adds every column of the second file as "<join>.<column>", taken from the row whose key equals the
row's key (both trimmed; an empty key matches nothing). A key the second file does not have leaves those cells
empty, never guessed, and is reported as a warning; a key the second file has twice is an error naming that file,
its row and column. Nothing here touches a database: it is the file's own work, before validation.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from queries.ingest.mapping import Join, join_column
from queries.ingest.source import ImportRejected, Source, problems_frame, read_source

# Repeated keys of a second file named one by one, at most (the tally counts them all).
MAX_NAMED = 1000
_SEPARATOR = "\x1f"  # between the parts of a key of several columns: a character no cell text carries


def read(data: bytes, *, name: str, join: Join, path=None) -> Source:
    """Read a second file; a rejection names the file in each problem."""
    try:
        return read_source(data, name=name, options=join.options, path=path)
    except ImportRejected as rejected:
        problems = rejected.problems.copy()
        problems["file"] = name
        raise ImportRejected(problems) from None


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


def _keys(table: pa.Table, columns: list[str]) -> pa.Array:
    """One key per row: the key columns trimmed and joined, null when any part is empty."""
    pieces = []
    for column in columns:
        array = table[column]
        array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
        array = pc.utf8_trim_whitespace(pc.cast(array, pa.string()))
        pieces.append(pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array))
    return pieces[0] if len(pieces) == 1 else pc.binary_join_element_wise(*pieces, _SEPARATOR)


def _repeated(keys: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Positions of rows whose key an earlier row already has, and the position of that earlier row."""
    first = pc.index_in(keys, value_set=keys, skip_nulls=True).to_numpy(zero_copy_only=False)
    positions = np.arange(len(keys))
    valid = pc.is_valid(keys).to_numpy(zero_copy_only=False)
    first = np.where(valid, first, positions).astype(np.int64)
    repeat = np.flatnonzero(first != positions)
    return repeat, first[repeat]


def combine(source: Source, joins: dict[str, Join], files: dict[str, Source]) -> Source:
    """The file with the columns of each joined second file in `files` added as "<join>.<column>".

    Raises ImportRejected naming file, row and column for a key column either file lacks and for every key a
    second file repeats. Joins without a file in `files` are left out (validation says so if a column needs one).
    """
    problems: list[dict] = []
    table, joined, notes = source.table, list(source.joined), list(source.notes)

    def problem(file: Source, row: int, column: str, text: str, value: str = "") -> None:
        problems.append({"row": row, "column": column, "field": "", "value": value, "problem": text,
                         "severity": "error", "file": "" if file is source else file.name})

    for name, join in joins.items():
        other = files.get(name)
        if other is None:
            continue
        clashing = [c for c in source.own_columns if c.startswith(f"{name}.")]
        for column in clashing:
            problem(source, source.header_row, column, f"the file has a column {column!r}, which the join {name!r} "
                                                       "would name too; give the join another name")
        mine, theirs = list(join.on), list(join.on.values())
        for column in mine:
            if column not in source.columns:
                problem(source, source.header_row, column, f"the file has no column {column!r} (the key of join "
                                                           f"{name!r})")
        for column in theirs:
            if column not in other.columns:
                problem(other, other.header_row, column, f"{other.name} has no column {column!r} (the key of join "
                                                         f"{name!r}); its columns: {', '.join(other.columns)}")
        if clashing or any(c not in source.columns for c in mine) or any(c not in other.columns for c in theirs):
            continue
        other_keys = _keys(other.table, theirs)
        repeat, earlier = _repeated(other_keys)
        rows = other.row_array().to_numpy(zero_copy_only=False)
        shown = other_keys.take(pa.array(repeat[:MAX_NAMED])).to_pylist()
        for position, first, key in zip(repeat[:MAX_NAMED], earlier[:MAX_NAMED], shown, strict=True):
            problem(other, int(rows[position]), theirs[0], f"duplicate key: the same {', '.join(theirs)} is on row "
                                                           f"{int(rows[first])}; a second file needs one row per key",
                    value=key.replace(_SEPARATOR, ", "))
        if len(repeat) > MAX_NAMED:
            problem(other, int(rows[repeat[MAX_NAMED]]), theirs[0],
                    f"and {len(repeat) - MAX_NAMED:,} more rows repeat a key; a second file needs one row per key")
        if len(repeat):
            continue
        my_keys = _keys(source.table, mine)
        index = pc.index_in(my_keys, value_set=other_keys, skip_nulls=True)
        for column in other.columns:
            values = other.table[column]
            values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
            table = table.append_column(join_column(name, column), pc.take(values, index))
        unmatched = pc.and_(pc.is_valid(my_keys), pc.is_null(index))
        missed = pc.sum(unmatched).as_py() or 0
        empty = pc.sum(pc.is_null(my_keys)).as_py() or 0
        if missed:
            counts = Counter(my_keys.filter(unmatched).to_pylist()).most_common(3)
            examples = ", ".join(f"{k.replace(_SEPARATOR, ', ')!r}: {_rows(n)}" for k, n in counts)
            first_row = int(source.row_array().filter(unmatched)[0].as_py())
            notes.append({"row": first_row, "column": ", ".join(mine), "field": "", "value": counts[0][0],
                          "problem": f"{_rows(missed)} with a {', '.join(mine)} that {other.name} does not list "
                                     f"(e.g. {examples}): nothing is taken from {other.name} for them",
                          "severity": "warning", "file": ""})
        if empty:
            first_row = int(source.row_array().filter(pc.is_null(my_keys))[0].as_py())
            notes.append({"row": first_row, "column": ", ".join(mine), "field": "", "value": "",
                          "problem": f"{_rows(empty)} without a {', '.join(mine)}: nothing is taken from "
                                     f"{other.name} for them", "severity": "warning", "file": ""})
        joined.append(name)
    if problems:
        raise ImportRejected(problems_frame(problems))
    return Source(source.name, table, source.first_row, source.header_row, source.options,
                  row_numbers=source.row_numbers, joined=tuple(joined), notes=tuple(notes))
