"""Safe imports: read a file, map it to a table, validate set-wise in DuckDB, commit all-or-nothing, undo.

    source = read_source(data, name="deals.csv")
    mapping = suggest(source.columns, table="deals")          # or loads(Path("map.toml").read_text())
    source = combine(source, mapping.joins, {"products": read_source(other, name="products.csv")})  # its joins
    report = validate(con, source, mapping, table="deals")     # report.problems: row, column, problem
    report = commit(con, source, mapping, table="deals", mode="insert", actor="ann")
    undo(con, batch_id=report.batch_id)
"""

import importlib

# Each name from the module that defines it, imported on first use: `python -m queries.ingest` reads the file
# while the validation modules (and pandas, a slow import) are still being imported.
_HOMES = {
    "core": ("DATE_FORMATS", "Report", "UndoRefused", "commit", "detect_date_format", "distinct_values", "history",
             "undo", "validate"),
    "joins": ("combine",),
    "mapping": ("Join", "Mapping", "dumps", "loads"),
    "problems": ("tally",),
    "source": ("ImportRejected", "Source", "max_bytes", "max_rows", "read_source"),
    "spec": ("MODES", "TABLES"),
    "suggestions": ("Suggestion", "explain", "join_key", "suggest", "suggest_values"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name in _HOMES:  # a submodule not imported yet
        return importlib.import_module(f"{__name__}.{name}")
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
