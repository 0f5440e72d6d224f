"""Connections, named SQL, cursors, transactions and the data_version every cache is keyed on."""

from __future__ import annotations

import os
import re
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

if TYPE_CHECKING:  # results are DataFrames; pandas itself is imported by whoever reads them (0.45 s)
    import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = Path(__file__).resolve().parent / "sql"
SCHEMA_FILE = Path(__file__).resolve().parent / "schema.sql"
DEFAULT_PATH = ROOT / "sample_data" / "tandem.duckdb"
SCHEMA_VERSION = "2"
# The data tables of schema.sql (meta aside), in creation order: what a write names as changed (bump_data_version).
TABLES: tuple[str, ...] = tuple(t for t in re.findall(r"^CREATE TABLE (\w+)", SCHEMA_FILE.read_text(), re.MULTILINE)
                                if t != "meta")
# The tables each older schema version rebuilds when a file of that version is opened for writing (see upgrade).
# Version 1 had primary and foreign keys on the fact tables; feedback.deal_id referred to deals' key.
REBUILT_BY_UPGRADE = {"1": ("feedback", "touches", "deals", "leads")}
# DuckDB's own default is 80 % of the machine; a dashboard shares its server, so it asks for less (see limit_memory).
DEFAULT_MEMORY_LIMIT = "256MB"
MEMORY_LIMIT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
_UNITS = {"kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
# A query or rollup build that runs out of the cap is retried once with this share of the machine's memory, then
# the cap is restored (see borrowed_memory): lean while serving, and no out-of-memory error on a large database.
MEMORY_CEILING_SHARE = 0.25

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
        limit_memory(con)
        if is_new:
            apply_schema(con)
        else:
            check_schema(con, db_path, read_only=read_only)
    except BaseException:
        con.close()
        raise
    return con


def _configured_limit() -> str:
    """TANDEM_MEMORY_LIMIT (default DEFAULT_MEMORY_LIMIT), refused unless it is a size."""
    limit = os.environ.get("TANDEM_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT).strip()
    if not MEMORY_LIMIT.fullmatch(limit):
        raise DatabaseError(f"TANDEM_MEMORY_LIMIT={limit[:40]!r} is not a size like 512MB or 2GB")
    return limit


def limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Cap DuckDB's memory (env TANDEM_MEMORY_LIMIT, e.g. 512MB or 2GB; default DEFAULT_MEMORY_LIMIT): above it,
    large builds spill to a temporary folder instead of growing the server process."""
    con.execute(f"SET memory_limit = '{_configured_limit()}'")  # noqa: S608 - checked against MEMORY_LIMIT


def _limit_bytes() -> int:
    try:
        number, unit = MEMORY_LIMIT.fullmatch(_configured_limit()).groups()
    except DatabaseError:
        return 0
    return int(float(number) * _UNITS[unit.lower()])


def _container_bytes() -> int | None:
    """The cgroup's memory limit (a container's), when there is one."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            return int(text)
    return None


def _ceiling_bytes() -> int:
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = 8 * 2**30
    return int(min(physical, _container_bytes() or physical) * MEMORY_CEILING_SHARE)


# Per database (memory_limit belongs to the database, shared by every connection to the same file): how many
# blocks borrow now, and the databases whose cap could not be set back yet, with a connection to retry on.
_borrowing: dict[str, int] = {}
_unrestored: dict[str, duckdb.DuckDBPyConnection] = {}
_borrowing_lock = threading.Lock()


def _database_key(con: duckdb.DuckDBPyConnection) -> str:
    with con.cursor() as cur:
        row = cur.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return row[0] if row and row[0] else f"in-memory {id(con)}"


def _restore(key: str, con: duckdb.DuckDBPyConnection) -> None:
    """Set the cap back (caller holds _borrowing_lock); when it cannot be yet, keep it for restore_pending."""
    try:
        with con.cursor() as cur:
            limit_memory(cur)
    except duckdb.ConnectionException:
        _unrestored.pop(key, None)  # closed: nothing left to restore
    except (duckdb.Error, TandemError):
        _unrestored[key] = con
    else:
        _unrestored.pop(key, None)


def restore_pending() -> None:
    """Retry setting the cap back where an earlier attempt could not (nothing to do, and no lock, in the usual case)."""
    if not _unrestored:
        return
    with _borrowing_lock:
        for key, con in list(_unrestored.items()):
            if key not in _borrowing:
                _restore(key, con)


@contextmanager
def borrowed_memory(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Lift the memory cap to MEMORY_CEILING_SHARE of the machine (or of the container) while the block runs, for
    work that ran out of the cap, and set the cap back once no other block on this database still borrows.

    When the cap cannot be set back at once (the memory in use cannot be spilled below it yet), the next query
    retries (restore_pending). A cap already at or above the ceiling is left alone.
    """
    ceiling = _ceiling_bytes()
    if ceiling <= _limit_bytes():
        yield
        return
    key = _database_key(con)
    with _borrowing_lock:
        if key not in _borrowing:
            with con.cursor() as cur:
                cur.execute(f"SET memory_limit = '{ceiling // 2**20}MiB'")  # noqa: S608 - an int just computed
            _unrestored.pop(key, None)
        _borrowing[key] = _borrowing.get(key, 0) + 1
    try:
        yield
    finally:
        with _borrowing_lock:
            _borrowing[key] -= 1
            if _borrowing[key] == 0:
                del _borrowing[key]
                _restore(key, con)


def retried_with_memory(con: duckdb.DuckDBPyConnection, action: Callable[[], T]) -> T:
    """action(); if it runs out of the memory cap, once more inside borrowed_memory."""
    try:
        return action()
    except duckdb.OutOfMemoryException:
        with borrowed_memory(con):
            return action()


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of schema.sql and the meta rows, in one transaction."""
    with transaction(con) as cur:
        cur.execute(SCHEMA_FILE.read_text())
        cur.execute(
            "INSERT INTO meta VALUES ('schema_version', $v), ('data_version', '1'), ('written_version', '1')",
            {"v": SCHEMA_VERSION},
        )


def check_schema(con: duckdb.DuckDBPyConnection, db_path: Path, *, read_only: bool = False) -> None:
    """Refuse a file that is not a Tandem database or has a version this Tandem does not know; upgrade an older
    known version when the file is opened for writing (read-only, its tables read the same)."""
    try:
        with con.cursor() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        raise DatabaseError(f"{db_path}: not a Tandem database (it has no meta table)") from None
    version = row[0] if row else None
    if version == SCHEMA_VERSION or (version in REBUILT_BY_UPGRADE and read_only):
        return
    if version not in REBUILT_BY_UPGRADE:
        raise DatabaseError(
            f"{db_path}: schema version {version!r} is not one this Tandem knows (it knows {SCHEMA_VERSION!r})"
        )
    try:
        upgrade(con, version)
    except (duckdb.Error, DatabaseError) as exc:
        raise DatabaseError(f"{db_path}: cannot upgrade the schema from version {version} ({_describe(exc)}); "
                            "the file is unchanged") from None


def table_ddl(name: str) -> str:
    """The CREATE TABLE statement of one table of schema.sql."""
    found = re.search(rf"^CREATE TABLE {name} \(.*?^\);", SCHEMA_FILE.read_text(), re.MULTILINE | re.DOTALL)
    if found is None:
        raise ValueError(f"schema.sql has no table {name}")
    return found.group(0)


def upgrade(con: duckdb.DuckDBPyConnection, version: str) -> None:
    """Bring a file of an older schema version to SCHEMA_VERSION in one transaction: its tables that changed are
    rebuilt from schema.sql with their rows (children before parents are dropped, parents recreated first)."""
    rebuilt = REBUILT_BY_UPGRADE[version]
    with con.cursor() as cur:
        blocking = cur.execute(
            "SELECT DISTINCT table_name, referenced_table FROM duckdb_constraints() "
            "WHERE constraint_type = 'FOREIGN KEY' AND list_contains($rebuilt, referenced_table) "
            "AND NOT list_contains($rebuilt, table_name) ORDER BY ALL", {"rebuilt": list(rebuilt)}).fetchall()
        indexes = [sql for (sql,) in cur.execute(
            "SELECT sql FROM duckdb_indexes() WHERE list_contains($rebuilt, table_name) AND sql IS NOT NULL "
            "ORDER BY index_name", {"rebuilt": list(rebuilt)}).fetchall()]
    if blocking:
        names = ", ".join(f"{table} (refers to {parent})" for table, parent in blocking)
        raise DatabaseError(f"tables that are not Tandem's refer to tables the upgrade rebuilds: {names}; "
                            "drop those references (or open the file read-only)")
    with borrowed_memory(con), transaction(con) as cur:
        for table in rebuilt:
            cur.execute(f"CREATE TEMP TABLE upgrade_{table} AS SELECT * FROM {table}")  # noqa: S608 - code names
        for table in rebuilt:
            cur.execute(f"DROP TABLE {table}")
        for table in reversed(rebuilt):
            cur.execute(table_ddl(table))
            cur.execute(f"INSERT INTO {table} SELECT * FROM upgrade_{table}")  # noqa: S608 - code names
            cur.execute(f"DROP TABLE upgrade_{table}")
        for statement in indexes:  # indexes someone added to these tables themselves
            cur.execute(statement)
        cur.execute("UPDATE meta SET value = $v WHERE key = 'schema_version'", {"v": SCHEMA_VERSION})
    with suppress(duckdb.Error):  # compacts the log; the upgrade is committed either way
        con.execute("CHECKPOINT")


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

    A query that reads derived tables (`derived.<name>`, see queries/derived.py) has them brought up to date first.
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
        table = retried_with_memory(con, lambda: _arrow(con, sql, params))
    except duckdb.Error as exc:
        raise DatabaseError(f"query failed: {_describe(exc)}") from exc
    restore_pending()
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
    new data_version, so a rollup that reads none of them stays valid (queries.derived): a note typed in a meeting
    does not rebuild the per-lead facts. 'written_version' says up to which data_version that record is complete;
    a write that moved data_version without it (another program) makes every table count as written.
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
