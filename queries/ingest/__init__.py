"""Safe imports: read a file, map it to a table, validate set-wise in DuckDB, commit all-or-nothing, undo.

    source = read_source(data, name="deals.csv")
    mapping = suggest(source.columns, table="deals")          # or loads(Path("map.toml").read_text())
    report = validate(con, source, mapping, table="deals")     # report.problems: row, column, problem
    report = commit(con, source, mapping, table="deals", mode="insert", actor="ann")
    undo(con, batch_id=report.batch_id)
"""

from queries.ingest.core import (
    DATE_FORMATS,
    MODES,
    Report,
    UndoRefused,
    commit,
    detect_date_format,
    distinct_values,
    history,
    undo,
    validate,
)
from queries.ingest.mapping import Mapping, dumps, loads, suggest, suggest_values
from queries.ingest.source import ImportRejected, Source, max_bytes, max_rows, read_source
from queries.ingest.spec import TABLES

__all__ = [
    "DATE_FORMATS", "MODES", "TABLES", "ImportRejected", "Mapping", "Report", "Source", "UndoRefused", "commit",
    "detect_date_format", "distinct_values", "dumps", "history", "loads", "max_bytes", "max_rows", "read_source",
    "suggest", "suggest_values", "undo", "validate",
]
