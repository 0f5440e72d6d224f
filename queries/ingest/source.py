"""Reading an uploaded file (CSV, Parquet, .xlsx) into a table of text cells, with every defect named by row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1 (after any preamble lines), the first
record row 2, whatever quoted newlines a cell holds.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from queries.db import TandemError

if TYPE_CHECKING:  # imported where used: reading a CSV file needs no pandas (the command line imports it meanwhile)
    import pandas as pd

# Limits a deployment can raise or lower through the environment.
MAX_BYTES = int(os.environ.get("TANDEM_IMPORT_MAX_BYTES", 200 * 1024 * 1024))
MAX_ROWS = int(os.environ.get("TANDEM_IMPORT_MAX_ROWS", 2_000_000))
MAX_FIELD_CHARS = int(os.environ.get("TANDEM_IMPORT_MAX_FIELD_CHARS", 100_000))

DELIMITERS = (",", ";", "\t", "|")
ENCODINGS = ("utf-8", "latin-1", "cp1252")
_SNIFF_BYTES = 64 * 1024
_SNIFF_LINES = 40
_FAST_BLOCK_BYTES = 16 * 1024 * 1024  # Arrow reads a row within one block; a longer row goes to DuckDB
# `file` is empty for the file being imported, and names a second file (queries.ingest.joins) otherwise.
PROBLEM_COLUMNS = ["row", "column", "field", "value", "problem", "severity", "file"]


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for reading files, quiet on a terminal."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def max_bytes() -> int:
    return int(os.environ.get("TANDEM_IMPORT_MAX_BYTES", MAX_BYTES))


def max_rows() -> int:
    return int(os.environ.get("TANDEM_IMPORT_MAX_ROWS", MAX_ROWS))


def problems_frame(rows: list[dict]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    frame["file"] = [f if isinstance(f, str) else "" for f in frame["file"]]
    return frame.astype({"row": "int64"}) if not frame.empty else frame


class ImportRejected(TandemError):
    """Nothing was imported; `problems` names every defect by row and column."""

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems
        errors = problems[problems["severity"] == "error"] if not problems.empty else problems
        first = errors.iloc[0] if not errors.empty else None
        head = describe_problem(first) if first is not None else "the file was rejected"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        super().__init__(f"{head}{more}; nothing was imported")


def describe_problem(p) -> str:
    column = f"column {p['column']!r}" + (f" ({p['field']})" if p["field"] and p["field"] != p["column"] else "")
    where = f"{p['file']}, " if p.get("file") else ""
    return f"{where}row {p['row']}, {column}: {p['problem']}"


def _reject(row: int, column: str, problem: str, value: str = "", field: str = "") -> ImportRejected:
    return ImportRejected(problems_frame([{"row": row, "column": column, "field": field, "value": value,
                                           "problem": problem, "severity": "error"}]))


@dataclass(frozen=True)
class Source:
    """A file read as text cells: `table` has one string column per header name, in file order."""

    name: str
    table: pa.Table
    first_row: int  # spreadsheet row number of the first record
    header_row: int
    options: dict
    row_numbers: pa.Array | None = None  # spreadsheet row of each record when not consecutive (blank rows dropped)
    joined: tuple[str, ...] = ()  # joins whose second file's columns follow this file's own (queries.ingest.joins)
    notes: tuple[dict, ...] = ()  # warnings the joins left, as problem rows (rows a key matched nothing for)

    def row_array(self) -> pa.Array:
        if self.row_numbers is not None:
            return self.row_numbers
        return pa.array(np.arange(self.first_row, self.first_row + self.rows, dtype=np.int64))

    @property
    def columns(self) -> list[str]:
        return list(self.table.column_names)

    @property
    def own_columns(self) -> list[str]:
        """The columns of the file itself, without those a join added."""
        return [c for c in self.columns if c.partition(".")[0] not in self.joined or "." not in c]

    @property
    def rows(self) -> int:
        return self.table.num_rows

    def head(self, n: int = 20) -> pd.DataFrame:
        return self.table.slice(0, n).to_pandas()


def read_source(data: bytes, *, name: str, options: dict | None = None, path: Path | None = None) -> Source:
    """Parse an upload; raises ImportRejected naming row and column for anything that is not a usable table.

    `path`, when given, is the file `data` was read from: DuckDB reads it in place instead of a scratch copy.
    """
    options = dict(options or {})
    limit = max_bytes()
    if len(data) > limit:
        row = data.count(b"\n", 0, limit) + 1
        raise _reject(row, "1", f"the file is {_size(len(data))} and goes past the limit of {_size(limit)} "
                                f"from row {row} on; split it or raise TANDEM_IMPORT_MAX_BYTES")
    suffix = Path(name).suffix.lower()
    if suffix in (".parquet", ".pq"):
        source = _read_parquet(data, name, options)
    elif suffix in (".xlsx", ".xlsm"):
        source = _read_excel(data, name, options)
    else:
        source = _read_csv(data, name, options, path)
    if source.rows == 0:
        raise _reject(source.header_row + 1, source.columns[0] if source.columns else "1",
                      "the file has a header but no data rows")
    if source.rows > max_rows():
        raise _reject(source.first_row + max_rows(), source.columns[0],
                      f"the file has {source.rows:,} rows; the limit is {max_rows():,} "
                      "(split it or raise TANDEM_IMPORT_MAX_ROWS)")
    return source


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _locate(text: str, position: int, delimiter: str) -> tuple[int, int]:
    """Line (1-based) and field number (1-based) of a character position, for naming where bad bytes are."""
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, text.count(delimiter, line_start, position) + 1


def _refuse_binary(data: bytes) -> None:
    """A NUL byte near either end: a binary file (a spreadsheet or an archive named .csv), named where it starts."""
    if b"\x00" in data[:_SNIFF_BYTES] or b"\x00" in data[-_SNIFF_BYTES:]:
        position = data.index(b"\x00") if b"\x00" in data else len(data) - _SNIFF_BYTES + data[-_SNIFF_BYTES:].index(
            b"\x00")
        prefix = data[:position].decode("latin-1")
        line, field = _locate(prefix, position, ",")
        raise _reject(line, str(field), "binary data (a NUL byte): this is not a CSV text file; "
                                        "export the table as CSV, Parquet or .xlsx")


def _decode(data: bytes, encoding: str) -> str:
    _refuse_binary(data)
    if encoding.lower().replace("_", "-") not in ENCODINGS:
        raise _reject(1, "1", f"unknown encoding {encoding!r}; use one of {', '.join(ENCODINGS)}")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        prefix = data[:exc.start].decode(encoding, errors="replace")
        sample = prefix[-_SNIFF_BYTES:]
        delimiter = _sniff_delimiter(sample.splitlines()[-_SNIFF_LINES:]) or ","
        line, field = _locate(prefix, len(prefix), delimiter)
        header = next(csv.reader([prefix.split("\n", 1)[0]], delimiter=delimiter), [])
        column = header[field - 1] if field <= len(header) else str(field)
        raise _reject(line, column, f"byte 0x{data[exc.start]:02X} is not {encoding} text; save the file as UTF-8, "
                                    "or set the encoding option (latin-1, cp1252)",
                      value=repr(data[exc.start:exc.start + 8])) from None
    return text.removeprefix("\ufeff")


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    return [len(fields) for fields in csv.reader(lines, delimiter=delimiter)]


def _sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter giving the most fields on most lines (a preamble line does not count against it)."""
    best, best_score = None, (1, 0)
    for delimiter in DELIMITERS:
        counts = [n for n in _field_counts(lines, delimiter) if n > 1]
        if not counts:
            continue
        fields, lines_with = Counter(counts).most_common(1)[0]
        score = (lines_with, fields)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header_line(lines: list[str], delimiter: str) -> int:
    """0-based index of the header: the first line with the field count most lines share (skips preambles)."""
    counts = _field_counts(lines, delimiter)
    if not counts:
        return 0
    usual = Counter(counts[-max(1, len(counts) - 1):]).most_common(1)[0][0] if len(counts) > 1 else counts[0]
    return next((i for i, n in enumerate(counts) if n == usual), 0)


def _unique_names(raw: list[object]) -> list[str]:
    names, seen = [], Counter()
    for i, value in enumerate(raw, start=1):
        name = str(value).strip() if value is not None and str(value).strip() and str(value) != "nan" else ""
        name = name or f"column{i}"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


_READ_CSV = ("SELECT * FROM read_csv($path, delim = $delim, quote = '\"', escape = '\"', header = false, "
             "skip = $skip, auto_detect = false, columns = $columns, max_line_size = $max_line{rejects})")


def _read_cells_fast(path: Path, params: dict) -> pa.Table | None:
    """Arrow's multi-threaded reader (more than twice as fast as DuckDB's on text cells), or None for
    any file it does not read as a plain rectangle of UTF-8 cells: a row of another width, a cell longer than a
    block, a byte that is not UTF-8. Only for a file without a quote character (the caller checks) and with more
    than one column: Arrow accepts quotes DuckDB refuses (text after a closing quote; a quote left open to the end
    of the file swallows the rows after it), and drops the blank lines of a one-column file, which DuckDB reads as
    empty rows."""
    width, delimiter = len(params["columns"]), params["delim"]
    if width < 2 or len(delimiter) != 1 or not delimiter.isascii():
        return None
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(skip_rows=params["skip"], autogenerate_column_names=True,
                                            block_size=_FAST_BLOCK_BYTES),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char=False),
            convert_options=pa_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(width)},
                                                  strings_can_be_null=True, null_values=[""]))
    except (pa.ArrowException, OSError, ValueError):
        return None
    if table.num_columns != width:
        return None
    return table.rename_columns(list(params["columns"]))


def _read_cells_strict(path: Path, params: dict) -> tuple[pa.Table, list[tuple]]:
    """Every record as text cells, and the rows that do not fit (line, column index, error, text): DuckDB's reader,
    for a file Arrow's does not read. The strict read first; only a file it refuses is read again, keeping rejected
    rows aside to name them.
    """
    con = scratch_connection()
    try:
        try:
            return con.execute(_READ_CSV.format(rejects=""), params).to_arrow_table(), []
        except duckdb.Error:
            pass
        table = con.execute(_READ_CSV.format(rejects=", store_rejects = true"), params).to_arrow_table()
        rejects = con.execute(
            "SELECT line, min(column_idx), min(error_type), min(csv_line) FROM reject_errors "
            "GROUP BY line ORDER BY line LIMIT 1000"
        ).fetchall()
        return table, rejects
    finally:
        con.close()


def _read_csv(data: bytes, name: str, options: dict, given: Path | None = None) -> Source:
    if not data or data.isspace():  # (isspace stops at the first other byte; strip would copy the file)
        raise _reject(1, "1", "the file is empty; export the table again with a header row and data rows")
    encoding = str(options.get("encoding") or "utf-8").lower().replace("_", "-")
    if encoding == "utf-8" and not data.startswith(b"\xef\xbb\xbf"):
        # Read as it came; only the head is decoded here, to sniff. Every byte is checked as the cells are read.
        _refuse_binary(data)
        text, head = None, data[:_SNIFF_BYTES].decode("utf-8", errors="replace")
    else:
        text = _decode(data, encoding)
        head = text[:_SNIFF_BYTES]
    sample_lines = head.splitlines()[:_SNIFF_LINES]
    if len(text if text is not None else data) > _SNIFF_BYTES and len(sample_lines) > 1:
        sample_lines = sample_lines[:-1]  # the last sampled line may be cut short
    delimiter = options.get("delimiter") or _sniff_delimiter(sample_lines) or ","
    if delimiter == "\\t":
        delimiter = "\t"
    skip = options.get("skip_rows")
    skip = int(skip) if skip is not None else _header_line(sample_lines, delimiter)
    header_line = sample_lines[skip] if skip < len(sample_lines) else ""
    width = max(1, len(next(csv.reader([header_line], delimiter=delimiter), [])))
    with tempfile.TemporaryDirectory(prefix="tandem-import-") as folder:
        # DuckDB reads UTF-8: the bytes as they came (in place when they are a file) unless they had to be decoded
        # from another encoding.
        path = given if given is not None and text is None else Path(folder) / "upload.csv"
        if path != given:
            if text is None:
                path.write_bytes(data)
            else:
                path.write_text(text, encoding="utf-8")
        params = {"path": str(path), "delim": delimiter, "skip": skip, "max_line": max(len(data) + 1, 2_097_152),
                  "columns": {f"c{i}": "VARCHAR" for i in range(width)}}
        fast = None if b'"' in data else _read_cells_fast(path, params)
        if fast is None and text is None:
            _decode(data, encoding)  # a byte that is not UTF-8 is named by row and column before DuckDB reads
        try:
            table, rejects = (fast, []) if fast is not None else _read_cells_strict(path, params)
        except duckdb.Error as exc:
            raise _reject(skip + 1, "1", f"this is not a readable CSV file ({str(exc).splitlines()[0]})") from None
    if table.num_rows == 0:
        raise _reject(1, "1", "the file is empty; export the table again with a header row and data rows")
    header = _unique_names(table.slice(0, 1).to_pylist()[0].values())
    if rejects:
        raise ImportRejected(problems_frame([
            {"row": line, "column": header[min(idx, len(header)) - 1] if idx else "1", "field": "",
             "value": (csv_line or "")[:200],
             "problem": f"this row does not fit the header of {len(header)} columns ({error.lower()})",
             "severity": "error"}
            for line, idx, error, csv_line in rejects]))
    body = table.slice(1).rename_columns(header)
    return Source(name, body, first_row=skip + 2, header_row=skip + 1,
                  options={"delimiter": delimiter, "skip_rows": skip})


def _read_parquet(data: bytes, name: str, options: dict) -> Source:
    with tempfile.TemporaryDirectory(prefix="tandem-import-") as folder:
        path = Path(folder) / "upload.parquet"
        path.write_bytes(data)
        con = scratch_connection()
        try:
            table = con.execute("SELECT COLUMNS(*)::VARCHAR FROM read_parquet($path)", {"path": str(path)}
                                ).to_arrow_table()
        except duckdb.Error as exc:
            raise _reject(1, "1", f"this is not a readable Parquet file ({str(exc).splitlines()[0]})") from None
        finally:
            con.close()
    return Source(name, table.rename_columns(_unique_names(table.column_names)), first_row=2, header_row=1,
                  options={})


def _read_excel(data: bytes, name: str, options: dict) -> Source:
    import pandas as pd

    sheet = options.get("sheet") or 0
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet, header=None, dtype=str, engine="openpyxl")
    except ValueError as exc:
        raise _reject(1, "1", f"cannot read the sheet {sheet!r} ({exc})") from None
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _reject(1, "1", f"this is not a readable .xlsx file ({type(exc).__name__}: {exc})") from None
    frame = frame.dropna(how="all", axis=1)
    if frame.dropna(how="all").empty:
        raise _reject(1, "1", "the sheet is empty; it needs a header row and data rows")
    filled = frame.notna().sum(axis=1).tolist()[:_SNIFF_LINES]
    usual = Counter(n for n in filled if n).most_common(1)[0][0]
    skip = int(options["skip_rows"]) if options.get("skip_rows") is not None else next(
        i for i, n in enumerate(filled) if n >= usual)
    header = _unique_names(frame.iloc[skip].tolist())
    body = frame.iloc[skip + 1:].set_axis(header, axis=1).dropna(how="all")
    row_numbers = pa.array([int(i) + 1 for i in body.index], type=pa.int64())
    body = body.map(lambda v: None if pd.isna(v) else str(v))
    table = pa.Table.from_pandas(body.astype(object), preserve_index=False).cast(
        pa.schema([(c, pa.string()) for c in header]))
    return Source(name, table, first_row=skip + 2, header_row=skip + 1, options={"sheet": sheet, "skip_rows": skip},
                  row_numbers=row_numbers)
