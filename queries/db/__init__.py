"""Connections, named SQL, cursors, transactions and the data_version every cache is keyed on.

Beside it: queries.db.formulas (the metric formulas, as macros every connection gets), queries.db.memory (DuckDB's
memory cap, and memory lent to a build that runs out of it), queries.db.schema (creating, checking and upgrading the
tables of schema.sql) and `python -m queries.db init` (an empty database).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

if TYPE_CHECKING:  # results are DataFrames; pandas itself (a slow import) is imported by whoever reads them
    import pandas as pd

PACKAGE = Path(__file__).resolve().parent.parent  # queries/
ROOT = PACKAGE.parent
SQL_DIR = PACKAGE / "sql"
SCHEMA_FILE = PACKAGE / "schema.sql"
DEFAULT_PATH = ROOT / "sample_data" / "tandem.duckdb"
# The data tables of schema.sql (meta aside), in creation order: what a write names as changed (bump_data_version).
TABLES: tuple[str, ...] = tuple(t for t in re.findall(r"^CREATE TABLE (\w+)", SCHEMA_FILE.read_text(), re.MULTILINE)
                                if t != "meta")

T = TypeVar("T")


class TandemError(Exception):
    """An error with a sentence a person can act on; pages and commands show it as it is."""


class DatabaseError(TandemError):
    """The database file cannot be opened or used."""


class DatabaseInUseError(DatabaseError):
    """Another process holds the write lock on the database file."""


def is_postgres(target: Any) -> bool:
    """True when `target` is a Postgres connection string (postgresql://… or libpq key=value), not a file path."""
    from queries import backend

    return backend.is_postgres(target)


def secrets_database() -> str | None:
    """`db` under [tandem] in .streamlit/secrets.toml (the working folder's, else the user's), read without
    Streamlit: where a team keeps a Postgres connection string with its password out of the environment."""
    for path in (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        try:
            section = tomllib.loads(path.read_text()).get("tandem", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # no file, or one Streamlit itself will complain about
        value = section.get("db") if isinstance(section, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """The database path: the argument, else env TANDEM_DB, else [tandem] db in .streamlit/secrets.toml, else the
    embedded default.

    A Postgres connection string comes back as a backend.PostgresTarget: a str (the string itself) whose
    exists() is True, so it can stand where a path stands.
    """
    if path is None:
        path = os.environ.get("TANDEM_DB") or secrets_database() or DEFAULT_PATH
    if is_postgres(path):
        from queries import backend

        return backend.PostgresTarget(str(path).strip())
    return Path(path).expanduser()


def _describe(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text


def connect(path: str | os.PathLike | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the Tandem database, creating the schema in a new file.

    Refuses, with a message naming the file, a file that is not a DuckDB database, one held by another
    process, and one whose schema_version this Tandem does not know. A Postgres connection string opens
    Postgres mode (queries.backend): the same reads and writes, against a shared server.
    """
    db_path = resolve_path(path)
    if is_postgres(db_path):
        from queries import backend

        return backend.connect(db_path, read_only=read_only)
    is_new = not db_path.exists() or db_path.stat().st_size == 0
    if is_new and read_only:
        raise DatabaseError(f"{db_path}: no such database file")
    if is_new and not db_path.parent.is_dir():
        raise DatabaseError(f"{db_path}: the folder {db_path.parent} does not exist")
    try:
        con = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise DatabaseInUseError(
                f"{db_path}: the database is in use by another process (a running dashboard?); "
                "stop it or use another file"
            ) from None
        raise DatabaseError(f"{db_path}: cannot open the database ({_describe(exc)})") from None
    except (duckdb.Error, OSError) as exc:
        raise DatabaseError(f"{db_path}: not a Tandem database or a damaged file ({_describe(exc)})") from None
    try:
        memory.limit_memory(con)
        if is_new:
            schema.apply_schema(con)
        else:
            schema.check_schema(con, db_path, read_only=read_only)
        formulas.load(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, *, before: Callable[[duckdb.DuckDBPyConnection], object] | None = None
                ) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside BEGIN … COMMIT; any exception rolls everything back.

    `before(cursor)` runs on the same cursor ahead of BEGIN, for work that only fills temp tables: DuckDB reads a
    temp table made outside the transaction twice as fast as one made inside it (an import stages its file so).
    In Postgres mode the cursor writes to Postgres, in one Postgres transaction that waits its turn among writers.
    """
    postgres = getattr(con, "write_transaction", None)
    if postgres is not None:
        with postgres(before=before) as cur:
            yield cur
        return
    with con.cursor() as cur:
        if before is not None:
            before(cur)
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")


@cache
def sql_text(name: str) -> str:
    """The text of a named query: 'domain/name' → queries/sql/domain/name.sql."""
    path = (SQL_DIR / f"{name}.sql").resolve()
    if SQL_DIR not in path.parents:
        raise ValueError(f"unknown query {name!r}")
    return path.read_text()


def query(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run a named query with bound parameters through its own cursor; return a DataFrame.

    A query that reads summary tables (`derived.<name>`, see queries/derived.py) has them brought up to date first.
    """
    sql = sql_text(name)
    if "derived." in sql:
        from queries import derived

        return derived.run(con, sql, params)
    return run_sql(con, sql, params)


# side_by_side's threads: a composite result (the meeting's scorecard) runs its independent queries at once.
_side_pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="tandem-side")


def side_by_side(*calls: Callable[[], T]) -> list[T]:
    """Run independent queries at once and return their results in order (the first error is raised here).

    Each query runs on its own cursor (run_sql), so they share one connection safely, and DuckDB works outside the
    GIL: a query is planned on one core while another runs. Only for calls that start no side_by_side themselves.
    """
    futures = [_side_pool.submit(call) for call in calls]
    return [future.result() for future in futures]


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run fixed SQL text with bound parameters through its own cursor (never format values into SQL).

    A query that runs out of the memory cap is run again once with memory borrowed (retried_with_memory).
    """
    try:
        table = memory.retried_with_memory(con, lambda: _arrow(con, sql, params))
    except duckdb.Error as exc:
        raise DatabaseError(f"query failed: {_describe(exc)}") from exc
    memory.restore_pending()
    return table.to_pandas()


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None):
    with con.cursor() as cur:
        return cur.execute(sql, dict(params or {})).to_arrow_table()


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number every write increments; caches use it so pages refresh after any change."""
    with con.cursor() as cur:
        row = cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def bump_data_version(cur: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None) -> None:
    """Increment data_version, and record which tables the write changed; call inside the write's own transaction.

    `tables`: the tables of schema.sql the write changed (None: any of them). Each gets meta 'written:<table>' = the
    new data_version, so a summary table that reads none of them stays valid (queries.derived): a note typed in a
    meeting does not rebuild the per-lead facts. 'written_version' says up to which data_version that record is
    complete; a write that moved data_version without it (another program) makes every table count as written.
    """
    names = TABLES if tables is None else tuple(tables)
    unknown = sorted(set(names) - set(TABLES))
    if unknown:
        raise ValueError(f"not Tandem tables: {', '.join(unknown)}")
    version, complete = cur.execute(
        "SELECT CAST(max(value) FILTER (WHERE key = 'data_version') AS BIGINT), "
        "CAST(max(value) FILTER (WHERE key = 'written_version') AS BIGINT) "
        "FROM meta WHERE key IN ('data_version', 'written_version')").fetchone()
    version = (version or 0) + 1
    if complete is None or complete != version - 1:
        names = TABLES  # what the writes since the record was complete changed is not known
    keys = ["written_version", *(f"written:{name}" for name in names)]
    cur.execute("UPDATE meta SET value = $v WHERE key = 'data_version'", {"v": str(version)})
    # DELETE then INSERT, not an upsert: the same statements work on the Postgres tables (queries.backend).
    cur.execute("DELETE FROM meta WHERE list_contains($keys, key)", {"keys": keys})
    cur.execute("INSERT INTO meta SELECT unnest($keys), $v", {"keys": keys, "v": str(version)})


def written_versions(cur: duckdb.DuckDBPyConnection) -> tuple[int, dict[str, int]]:
    """data_version, and for each table of schema.sql the data_version of the last write that changed it (0: none
    since the record began; every table the current data_version when the record is incomplete)."""
    rows = dict(cur.execute("SELECT key, value FROM meta WHERE key = 'data_version' OR key = 'written_version' "
                            "OR starts_with(key, 'written:')").fetchall())
    version = int(rows.get("data_version", 0))
    if rows.get("written_version") != str(version):
        return version, dict.fromkeys(TABLES, version)
    return version, {name: int(rows.get(f"written:{name}", 0)) for name in TABLES}


def now() -> datetime:
    """Wall-clock time for audit columns, to the second."""
    return datetime.now().replace(microsecond=0)


# The parts of this package that use the definitions above (imported last: they import this module).
from queries.db import formulas, memory, schema  # noqa: E402
from queries.db.memory import borrowed_memory, retried_with_memory  # noqa: E402
from queries.db.schema import SCHEMA_VERSION  # noqa: E402

__all__ = ["DEFAULT_PATH", "ROOT", "SCHEMA_FILE", "SCHEMA_VERSION", "SQL_DIR", "TABLES", "DatabaseError",
           "DatabaseInUseError", "TandemError", "borrowed_memory", "bump_data_version", "connect", "data_version",
           "formulas", "is_postgres", "memory", "now", "query", "resolve_path", "retried_with_memory", "run_sql",
           "schema", "side_by_side", "sql_text", "transaction", "written_versions"]
