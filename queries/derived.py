"""Summary tables: small tables computed from the big ones, kept beside the data and rebuilt when a table they read
changes.

A page at scale 20 would otherwise rescan 1.2 M leads and 2.3 M touches for every query. Each summary table is
defined once, in `queries/sql/derived/<name>.sql`: a SELECT over the base tables, no parameters, whose first line
declares the tables it reads (`-- Inputs: leads, deals, derived.lead_facts`; see inputs()). A named query reads it as
`derived.<name>` (optionally `AS <alias>`). queries.db.query runs such a query through `run()`:

- on a writable connection it first makes sure every summary table the query names was built after the last write
  to any table it reads (`sources`: its declared inputs, through the summary tables it reads; each write records the
  tables it changed, queries.db.bump_data_version), in a scratch database attached as `derived`, rebuilding a stale
  one inside a transaction that also reads data_version. The scratch database is a file in the temporary folder,
  unlinked as soon as it is open (see `_attach`), never the user's file, so reading changes nothing there;
- on a read-only connection (DuckDB attaches no writable database there) it inlines each definition as a
  subquery: the same SQL, the same answer, only slower. Much slower for a daily summary of the per-lead facts
  (segment_daily, lead_cohort_daily, mql_daily, ...): a period's filter does not reach through its grouping, so
  each call groups every lead. The dashboard's own connections are writable; read-only ones serve tests and
  scripts.

Money sums are stored as DECIMAL(18,2), which DuckDB reads several times faster than the DECIMAL(38,2) a sum
widens to; data whose sums pass its 16 digits before the point gets the wide type instead (`definition(wide=True)`).

Every write bumps data_version and names the tables it changed (queries.db.bump_data_version), so no summary table
outlives the data it was built from, and a write to tables a summary table does not read (a meeting's notes, its
action items) leaves it as it is: after a note typed in a planning meeting, the next page does not rebuild the
per-lead facts.

The schema and the folder keep the name `derived` (`derived.<name>` in every query's SQL).
"""

from __future__ import annotations

import atexit
import os
import re
import secrets
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from queries import db

SCHEMA = "derived"
_REFERENCE = re.compile(r"\bderived\.([a-z_][a-z0-9_]*)\b")
_REFERENCE_ALIAS = re.compile(r"\bderived\.([a-z_][a-z0-9_]*)\b(\s+AS\s+([A-Za-z_][A-Za-z0-9_]*))?")
_COMMENT = re.compile(r"--[^\n]*")
_INPUTS = re.compile(r"--\s*Inputs:\s*(.*)")
_REFRESH = re.compile(r"--\s*Refresh by ([a-z_][a-z0-9_]*):\s*(.*)")
_SORTED = re.compile(r"--\s*Sorted by:\s*(.*)")
_lock = threading.Lock()
# Per connection: whether it was opened read-only (fixed when it opens), and the data_version at which these tables
# were last seen built. A query whose tables are known built at the current data_version skips the check: one
# round trip (data_version) instead of two before every query that reads a summary table.
_read_only: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_seen_built: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Per connection: the data_version at which outdated() last found nothing stale, and the tables queries (or callers
# of ensure) asked for: the ones a write's foreground rebuild brings up to date. warm_up's tables are not in it.
_checked_current: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_asked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# The cursor building a table right now (one at a time, under _lock) and whether warm_up is its builder, for
# interrupt_build: at exit, and when a page needs the lock the background build holds.
_build_state = threading.Lock()
_build_cursor: duckdb.DuckDBPyConnection | None = None
_build_in_background = False
_seen_lock = threading.Lock()
# Per connection: what each recent import or undo changed, by the data_version it wrote: {version: Write}. A summary
# table that declares a refresh key rebuilds only the rows of the keys those writes changed, when every write since
# it was built is recorded here (note_write); any other write since (another process's, a meeting's) rebuilds it whole.
_writes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_KEPT_WRITES = 16
MAX_RECORDED_ROWS = 200_000  # a larger write is not kept: the summary tables it touches are rebuilt whole
_SCRATCH_PREFIX = "tandem-derived-"
_COMPACT_MONEY, _WIDE_MONEY = "DECIMAL(18, 2)", "DECIMAL(38, 2)"


@cache
def tables() -> tuple[str, ...]:
    """The names of every summary table (the stems of queries/sql/derived/*.sql)."""
    return tuple(sorted(path.stem for path in (db.SQL_DIR / SCHEMA).glob("*.sql")))


@lru_cache(maxsize=1024)  # SQL texts are fixed or rendered from a few choices: a bounded set
def references(sql: str) -> tuple[str, ...]:
    """The summary tables a SQL text reads (`derived.<name>`), in dependency order (the summary tables each one
    declares among its inputs come first)."""
    ordered: list[str] = []

    def visit(name: str, seen: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in seen:
            raise ValueError(f"summary table {name!r} refers to itself")
        if name not in tables():
            raise ValueError(f"unknown summary table {name!r}")
        for inner in summary_inputs(name):
            visit(inner, (*seen, name))
        ordered.append(name)

    for name in _REFERENCE.findall(_code(sql)):
        visit(name, ())
    return tuple(ordered)


def _code(sql: str) -> str:
    """SQL without its comments (which may mention derived.<name> without reading it)."""
    return _COMMENT.sub("", sql)


def definition(name: str, *, wide: bool = False) -> str:
    """The SELECT that defines a summary table; wide=True keeps its money sums DECIMAL(38,2)."""
    text = db.sql_text(f"{SCHEMA}/{name}").strip().rstrip(";")
    return text.replace(_COMPACT_MONEY, _WIDE_MONEY) if wide else text


def inline(sql: str, *, wide: bool = False) -> str:
    """The SQL with every `derived.<name> [AS alias]` replaced by its definition as a subquery named alias (or
    <name>)."""
    def expand(match: re.Match[str]) -> str:
        name, alias = match.group(1), match.group(3)
        return f"({inline(definition(name, wide=wide), wide=wide)}) AS {alias or name}"

    return _REFERENCE_ALIAS.sub(expand, _code(sql))


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    with suppress(KeyError, TypeError):  # (TypeError: a connection that cannot be weakly referenced)
        return _read_only[con]
    with con.cursor() as cur:
        row = cur.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    with _seen_lock, suppress(TypeError):
        _read_only[con] = bool(row and row[0])
    return bool(row and row[0])


def ensure(con: duckdb.DuckDBPyConnection, names: Iterable[str], *,
           progress: Callable[[int, int], None] | None = None, asked: bool = True) -> None:
    """Build every named summary table (dependencies first) that is missing or older than the last write to a table
    it reads. `progress(done, total)` is called before the first table (0) and after each one, a fresh one too.
    The names count as asked for (outdated() lists them after a write) unless asked=False (warm_up).

    Checking is one small query and takes no lock, so a page whose tables are fresh never waits behind another
    session's rebuild; rebuilding is serialised per process.
    """
    wanted = references(" ".join(f"derived.{name}" for name in names))
    if asked and wanted:
        with _seen_lock, suppress(TypeError):
            _asked[con] = _asked.get(con, frozenset()) | set(wanted)
    if not wanted or not _stale(con, list(wanted)):
        return
    if progress is not None:
        progress(0, len(wanted))  # before waiting for the lock: the wait shows too
    # A page goes first: a build of warm_up's that holds the lock is interrupted (warm_up builds that table again
    # afterwards); a page's build is waited for.
    while not _lock.acquire(timeout=0.05 if asked else -1):
        interrupt_build(background_only=True)
    try:
        _build_all(con, wanted, progress, in_background=not asked)
    finally:
        _lock.release()


def _build_all(con: duckdb.DuckDBPyConnection, wanted: tuple[str, ...],
               progress: Callable[[int, int], None] | None, *, in_background: bool) -> None:
    global _build_cursor, _build_in_background
    with con.cursor() as cur:
        with _build_state:
            _build_cursor, _build_in_background = cur, in_background
        try:
            _attach(cur)
            cur.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}._versions (name VARCHAR PRIMARY KEY, "
                        "data_version BIGINT)")
            for done, name in enumerate(wanted):
                if progress is not None and done:
                    progress(done, len(wanted))
                # A large database's build can need more than the serving cap.
                with _seen_lock:
                    writes = dict(_writes.get(con, {})) if _weakly_referable(con) else {}
                db.retried_with_memory(con, lambda name=name, writes=writes: _refresh(cur, name, writes))
            if progress is not None:
                progress(len(wanted), len(wanted))
            # Fold the write-ahead log into the (unlinked) file, so no log is left in the folder between rebuilds.
            # Another session's open transaction can refuse it; the log then goes at the next checkpoint.
            with suppress(duckdb.Error):
                cur.execute(f"CHECKPOINT {SCHEMA}")
        finally:
            with _build_state:
                _build_cursor, _build_in_background = None, False


def interrupt_build(*, background_only: bool = False) -> None:
    """Interrupt the table being built, if any, or only if warm_up builds it (its transaction rolls back and ensure
    raises duckdb.InterruptException): at exit, so that a background build does not hold the process up, or abort
    it, while the interpreter shuts down; and for a page that needs the build lock."""
    with _build_state:
        if _build_cursor is not None and (_build_in_background or not background_only):
            with suppress(duckdb.Error):
                _build_cursor.interrupt()


def warm_up(con: duckdb.DuckDBPyConnection, *, stop: threading.Event | None = None) -> int:
    """Build every summary table that is missing or stale, one at a time in dependency order; return how many were
    looked at. For a background thread: each table takes the build lock on its own, so a page that needs another
    table waits for one build at most, not for the whole list, and the tables it builds do not count as asked for
    (a write's foreground rebuild leaves them to the next pass). Stops at `stop`, and at the first error (the
    connection closed, out of memory even with borrowed memory, interrupt_build): a page then builds what it reads
    itself, as it would without this, and shows any error in its own place. Nothing on a read-only connection."""
    order = references(" ".join(f"derived.{name}" for name in tables()))
    stop = stop or threading.Event()
    done = 0
    try:
        if is_read_only(con):
            return 0
        for done, name in enumerate(order):
            while not stop.is_set():
                try:
                    ensure(con, [name], asked=False)
                    break
                except duckdb.InterruptException:
                    stop.wait(0.2)  # a page took the lock (interrupt_build): let it have it, then build this again
            if stop.is_set():
                return done
    except (duckdb.Error, db.TandemError):
        return done
    return len(order)


def outdated(con: duckdb.DuckDBPyConnection, version: int) -> tuple[str, ...]:
    """The summary tables asked for on this connection (by a query or an ensure call, and the tables they read) that
    a write has made stale since they were built, in dependency order (none on a read-only connection). Tables never
    built are left to the first query that reads them; tables only warm_up built, to its next pass.

    `version` is the data_version the caller read: once a check at that version found nothing stale, the next
    returns at once without a query, so a page may ask on every run.
    """
    if is_read_only(con):
        return ()
    with _seen_lock, suppress(KeyError, TypeError):
        if _checked_current[con] == version:
            return ()
    try:
        with con.cursor() as cur:
            built = dict(cur.execute(f"SELECT name, data_version FROM {SCHEMA}._versions").fetchall())  # noqa: S608
            _, written = db.written_versions(cur)
    except duckdb.CatalogException:
        built = {}  # nothing built yet in this process
    with _seen_lock:
        asked = _asked.get(con, frozenset()) if _weakly_referable(con) else frozenset(built)
    order = references(" ".join(f"derived.{name}" for name in built if name in tables() and name in asked))
    stale = tuple(name for name in order if name in built and built[name] < _required(name, written))
    if not stale:
        with _seen_lock, suppress(TypeError):
            _checked_current[con] = version
    return stale


def _weakly_referable(con: object) -> bool:
    try:
        weakref.ref(con)
    except TypeError:
        return False
    return True


def _attach(cur: duckdb.DuckDBPyConnection) -> None:
    """Attach the scratch database the summary tables live in, once per database (the caller holds _lock).

    It is a DuckDB file, not ':memory:': an in-memory table is kept uncompressed, and once the summary tables outgrow
    the memory cap (the per-lead facts alone are 12 M rows at scale 200) DuckDB spills its blocks to temporary files
    and reads them back on every query, which made the Funnel page's queries twice as slow there. A file's blocks
    are compressed and, when evicted, simply read again. The file is unlinked once open, so it goes away with the
    process however that ends. Its write-ahead log is folded into it after each rebuild; one can stay in the folder
    until the next rebuild when another session's transaction refuses that checkpoint, and for good after a crash,
    until an attach on a POSIX system removes the logs of processes that are gone. Where an open file cannot be
    unlinked (Windows), it is removed at exit.
    """
    attached = cur.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = $name",
                           {"name": SCHEMA}).fetchone()[0]
    if attached:
        return
    _remove_orphans()
    path = Path(tempfile.gettempdir()) / f"{_SCRATCH_PREFIX}{os.getpid()}-{secrets.token_hex(8)}.duckdb"
    literal = str(path).replace("'", "''")
    cur.execute(f"ATTACH IF NOT EXISTS '{literal}' AS {SCHEMA}")  # noqa: S608 - a path made here, quoted
    try:
        path.unlink()
    except OSError:
        atexit.register(_unlink_quietly, path)


def _remove_orphans() -> None:
    """Remove scratch files (and their logs) left in the temporary folder by processes that no longer run.

    POSIX only: elsewhere os.kill(pid, 0) does not probe a process (on Windows it terminates it).
    """
    if os.name != "posix":
        return
    for leftover in Path(tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*-*.duckdb*"):
        pid = leftover.name[len(_SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            _unlink_quietly(leftover)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def _unlink_quietly(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def _stale(con: duckdb.DuckDBPyConnection, names: list[str]) -> bool:
    """True when any of the tables is missing or older than the last write to a table it reads (or nothing is
    attached yet)."""
    try:
        with con.cursor() as cur:
            built = dict(cur.execute(f"SELECT name, data_version FROM {SCHEMA}._versions "  # noqa: S608 - fixed name
                                     "WHERE list_contains($names, name)", {"names": names}).fetchall())
            _, written = db.written_versions(cur)
    except duckdb.CatalogException:
        return True
    return any(built.get(name) is None or built[name] < _required(name, written) for name in names)


@cache
def inputs(name: str) -> tuple[str, ...]:
    """The tables a summary table reads, as its SQL file declares them on its first line (`-- Inputs: leads, deals,
    derived.lead_facts`, or `-- Inputs: none`): tables of schema.sql by name, other summary tables as
    `derived.<name>`. tests/unit/test_derived.py checks each declaration against what DuckDB's parser finds in the
    SQL."""
    first = db.sql_text(f"{SCHEMA}/{name}").partition("\n")[0]
    declared = _INPUTS.fullmatch(first.strip())
    if declared is None:
        raise ValueError(f"queries/sql/{SCHEMA}/{name}.sql does not start with its '-- Inputs:' line")
    names = tuple(part.strip() for part in declared.group(1).split(",") if part.strip())
    if names == ("none",):
        return ()
    unknown = [n for n in names if n not in db.TABLES and n.removeprefix(f"{SCHEMA}.") not in tables()]
    if unknown:
        raise ValueError(f"summary table {name!r} declares unknown inputs: {', '.join(unknown)}")
    return names


def summary_inputs(name: str) -> tuple[str, ...]:
    """The summary tables among a summary table's declared inputs."""
    return tuple(n.removeprefix(f"{SCHEMA}.") for n in inputs(name) if n.startswith(f"{SCHEMA}."))


@cache
def refresh_key(name: str) -> tuple[str, tuple[str, ...]] | None:
    """How a summary table can be brought up to date a few rows at a time, as its SQL file declares it on its second
    line: `-- Refresh by lead_id: leads, deals` says that its rows of a lead_id are computed from the rows of those
    inputs with that lead_id alone (its other inputs apply whole), so after a write that changed some leads (or
    deals), deleting its rows of their lead_ids and inserting them again from its SQL, with those inputs restricted
    to them, gives the same table as a rebuild. None for a table without the line (always rebuilt whole)."""
    declared = next(filter(None, (_REFRESH.fullmatch(line) for line in _declarations(name))), None)
    if declared is None:
        return None
    column, keyed = declared.group(1), tuple(part.strip() for part in declared.group(2).split(",") if part.strip())
    unknown = [n for n in keyed if n not in inputs(name)]
    if not keyed or unknown:
        raise ValueError(f"summary table {name!r} refreshes by inputs it does not declare: {', '.join(unknown)}")
    return column, keyed


def _declarations(name: str) -> list[str]:
    """The declaration lines that open a summary table's SQL file (`-- Inputs:`, `-- Refresh by`, `-- Sorted by:`)."""
    lines = []
    for line in db.sql_text(f"{SCHEMA}/{name}").splitlines():
        if not (_INPUTS.fullmatch(line.strip()) or _REFRESH.fullmatch(line.strip()) or _SORTED.fullmatch(line.strip())):
            break
        lines.append(line.strip())
    return lines


@cache
def sorted_by(name: str) -> str | None:
    """The columns a summary table's build sorts its rows by, as its SQL file declares them (`-- Sorted by: mql_at,
    lead_id`), so that a range filter reads only the row groups that hold it; the SELECT itself has no ORDER BY, so
    that a refresh of a few keys (refresh_key) does not sort every row only to keep a few (the rows it inserts go
    after the others, unsorted, until the next rebuild). None: not declared (the SELECT may order its rows itself)."""
    declared = next(filter(None, (_SORTED.fullmatch(line) for line in _declarations(name))), None)
    if declared is None:
        return None
    columns = [part.strip() for part in declared.group(1).split(",")]
    if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", c) for c in columns):
        raise ValueError(f"summary table {name!r} declares a sort that is not a list of columns")
    return ", ".join(columns)


@cache
def keyed_sources(name: str) -> frozenset[str]:
    """The tables of schema.sql whose changed rows, by the refresh key of a summary table, say which of its rows to
    rebuild: the keyed inputs it declares, through the keyed summary tables among them (by the same key)."""
    declared = refresh_key(name)
    if declared is None:
        return frozenset()
    column, keyed = declared
    found: set[str] = set()
    for part in keyed:
        inner = part.removeprefix(f"{SCHEMA}.")
        if inner == part:
            found.add(part)
        elif (refresh_key(inner) or ("",))[0] == column:
            found |= keyed_sources(inner)
        else:
            raise ValueError(f"summary table {name!r} refreshes by {column}, which {inner!r} does not")
    return frozenset(found)


@dataclass(frozen=True)
class Write:
    """What one import or undo changed: the tables it named (queries.db.bump_data_version), and the rows of `table`
    it changed, each before and after (None: more than MAX_RECORDED_ROWS)."""

    tables: frozenset[str]
    table: str
    rows: pa.Table | None


def note_write(con: duckdb.DuckDBPyConnection, version: int, write: Write) -> None:
    """Record, after its commit, what the write that moved data_version to `version` changed (queries.ingest), so
    the summary tables it made stale rebuild only the rows of the keys it changed."""
    if write.rows is not None and write.rows.num_rows > MAX_RECORDED_ROWS:
        write = Write(write.tables, write.table, None)
    with _seen_lock, suppress(TypeError):
        kept = dict(_writes.get(con, {}))
        kept[version] = write
        _writes[con] = {v: kept[v] for v in sorted(kept)[-_KEPT_WRITES:]}


@cache
def sources(name: str) -> frozenset[str]:
    """The tables of schema.sql a summary table reads: its declared inputs, and those of the summary tables it
    reads."""
    found = {n for n in inputs(name) if not n.startswith(f"{SCHEMA}.")}
    for inner in summary_inputs(name):
        found |= sources(inner)
    return frozenset(found)


def _required(name: str, written: Mapping[str, int]) -> int:
    """The data_version a build of `name` must have: that of the last write to a table it reads (0: none)."""
    return max((written[table] for table in sources(name)), default=0)


def _refresh(cur: duckdb.DuckDBPyConnection, name: str, writes: Mapping[int, Write]) -> None:
    if _fresh(cur, name):
        return
    with suppress(duckdb.ConversionException):  # (a money sum past DECIMAL(18,2): rebuilt whole, wide)
        if _refresh_rows(cur, name, writes):
            return
    try:
        _rebuild(cur, name, wide=False)
    except duckdb.ConversionException:
        # A money sum past DECIMAL(18,2): build this table with DECIMAL(38,2) sums (slower to read, as exact).
        _rebuild(cur, name, wide=True)


def _changed_keys(cur: duckdb.DuckDBPyConnection, name: str, writes: Mapping[int, Write]
                  ) -> tuple[pa.Array, int] | None:
    """The keys (refresh_key) whose rows of a built summary table the writes since its build changed, inside the
    caller's transaction; None when it must be rebuilt whole: it declares no key, or is missing, or a write since
    is not recorded (another process's, a meeting's), changed inputs it reads whole, or was too large to keep, or
    a summary table it reads is not up to date. With the keys, the data_version they bring it to."""
    declared = refresh_key(name)
    if declared is None:
        return None
    row = cur.execute(f"SELECT data_version FROM {SCHEMA}._versions WHERE name = $name",  # noqa: S608 - fixed
                      {"name": name}).fetchone()
    if row is None:
        return None
    version, written = db.written_versions(cur)
    keys = []
    for v in range(row[0] + 1, version + 1):
        write = writes.get(v)
        if write is None:
            return None
        if not write.tables & sources(name):
            continue
        if write.tables & sources(name) != {write.table} or write.table not in keyed_sources(name) \
                or write.rows is None:
            return None
        keys.append(write.rows.column(declared[0]).combine_chunks().cast(pa.string()))
    upstream = summary_inputs(name)
    if upstream:
        built = dict(cur.execute(f"SELECT name, data_version FROM {SCHEMA}._versions "  # noqa: S608 - fixed
                                 "WHERE list_contains($names, name)", {"names": list(upstream)}).fetchall())
        if any(built.get(i, -1) < _required(i, written) for i in upstream):
            return None
    return (pa.concat_arrays(keys) if keys else pa.array([], pa.string())), version


def _refresh_rows(cur: duckdb.DuckDBPyConnection, name: str, writes: Mapping[int, Write]) -> bool:
    """Bring a summary table up to date by rebuilding only the rows of the keys the writes since its build changed
    (refresh_key): its rows of those keys deleted, then inserted again from its SQL, in which each keyed input of
    schema.sql names a temporary table of that input's rows with those keys (a temporary table comes first in
    DuckDB's search path) and the result is limited to those keys. False, having changed nothing, when the table
    must be rebuilt whole (_changed_keys)."""
    column, keyed = refresh_key(name) or ("", ())
    base = [part for part in keyed if not part.startswith(f"{SCHEMA}.")]
    cur.execute("BEGIN TRANSACTION")
    try:
        changed = _changed_keys(cur, name, writes)
        if changed is None:
            cur.execute("ROLLBACK")
            return False
        keys, version = changed
        cur.register("summary_changed", pa.table({"key": keys}))
        cur.execute("CREATE OR REPLACE TEMP TABLE summary_keys AS "
                    "SELECT DISTINCT key FROM summary_changed WHERE key IS NOT NULL")
        for table in base:  # names of the declaration, checked against schema.sql by inputs()
            cur.execute(f"DROP TABLE IF EXISTS temp.main.{table}")
            cur.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table} "  # noqa: S608 - checked names
                        f"WHERE {column} IN (SELECT key FROM summary_keys)")
        cur.execute(f"DELETE FROM {SCHEMA}.{name} WHERE {column} IN (SELECT key FROM summary_keys)")  # noqa: S608
        cur.execute(f"INSERT INTO {SCHEMA}.{name} SELECT * FROM ({definition(name)}) AS summary "  # noqa: S608
                    f"WHERE summary.{column} IN (SELECT key FROM summary_keys)")
        cur.execute(f"INSERT OR REPLACE INTO {SCHEMA}._versions VALUES ($name, $version)",  # noqa: S608 - fixed
                    {"name": name, "version": version})
        cur.execute("COMMIT")
        return True
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    finally:
        for table in base:
            cur.execute(f"DROP TABLE IF EXISTS temp.main.{table}")
        cur.execute("DROP TABLE IF EXISTS temp.main.summary_keys")
        with suppress(duckdb.Error):
            cur.unregister("summary_changed")


def _fresh(cur: duckdb.DuckDBPyConnection, name: str) -> bool:
    row = cur.execute(f"SELECT data_version FROM {SCHEMA}._versions WHERE name = $name",  # noqa: S608 - fixed
                      {"name": name}).fetchone()
    return row is not None and row[0] >= _required(name, db.written_versions(cur)[1])


def _rebuild(cur: duckdb.DuckDBPyConnection, name: str, *, wide: bool) -> None:
    if _fresh(cur, name):
        return
    cur.execute("BEGIN TRANSACTION")
    try:
        # data_version read in the same transaction as the rows, so the label never claims newer data than built.
        version, written = db.written_versions(cur)
        # A table built from other summary tables is only as new as they are: one that a write made stale between
        # its rebuild and this one (it reads a table written since) leaves this table stale too, and its label must
        # say so. One still valid at this data_version, however long ago it was built, gives the same rows.
        upstream = references(" ".join(f"{SCHEMA}.{i}" for i in summary_inputs(name)))
        if upstream:
            built = dict(cur.execute(f"SELECT name, data_version FROM {SCHEMA}._versions "  # noqa: S608 - fixed
                                     "WHERE list_contains($names, name)", {"names": list(upstream)}).fetchall())
            # (-1: an input missing altogether, so this table is never taken for fresh.)
            behind = [built.get(i, -1) for i in upstream if built.get(i, -1) < _required(i, written)]
            version = min([version, *behind])
        order = f"\nORDER BY {sorted_by(name)}" if sorted_by(name) else ""  # (declared column names, checked)
        cur.execute(f"CREATE OR REPLACE TABLE {SCHEMA}.{name} AS {definition(name, wide=wide)}{order}")  # noqa: S608
        cur.execute(f"INSERT OR REPLACE INTO {SCHEMA}._versions VALUES ($name, $version)",  # noqa: S608 - fixed
                    {"name": name, "version": version})
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def prepare(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The SQL to run on this connection: its summary tables brought up to date, or inlined on a read-only one."""
    needed = references(sql)
    if not needed:
        return sql
    if is_read_only(con):
        return inline(sql)
    # Tables are rebuilt only when data_version moves: seen built at the current one, they still are.
    version = db.data_version(con)
    seen_version, seen = None, frozenset()
    with _seen_lock, suppress(TypeError):
        seen_version, seen = _seen_built.get(con, (None, frozenset()))
    if seen_version == version and seen.issuperset(needed):
        return sql
    try:
        ensure(con, needed)
    except duckdb.Error as exc:
        raise db.DatabaseError(f"building the summary tables {', '.join(needed)} failed: {exc}") from exc
    with _seen_lock, suppress(TypeError):
        _seen_built[con] = (version, (seen if seen_version == version else frozenset()) | set(needed))
    return sql


def run(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run fixed SQL text that may read summary tables; see the module docstring."""
    prepared = prepare(con, sql)
    try:
        return db.run_sql(con, prepared, params)
    except db.DatabaseError as exc:
        inlined = prepared is not sql
        if not (inlined and is_read_only(con) and isinstance(exc.__cause__, duckdb.ConversionException)):
            raise
    return db.run_sql(con, inline(sql, wide=True), params)  # a money sum past DECIMAL(18,2): the wide definitions
