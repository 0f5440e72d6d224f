"""Postgres mode: Tandem's tables live in a shared Postgres; pages read a local DuckDB replica, writes go to Postgres.

TANDEM_DB (or --db) may be a Postgres connection string (`postgresql://user@host:5432/db` or libpq `key=value`).
connect() then opens an in-memory DuckDB, loads DuckDB's postgres extension from the duckdb-extension-postgres wheel
(copied once into a local extension directory; nothing is downloaded at run time) and ATTACHes the database as `pg`.

Reads: every Tandem table is copied into the in-memory DuckDB (same DDL as the file, without keys), so the same
named SQL runs at DuckDB speed and no page pulls rows from Postgres per view. A statement trigger on each table
records the last writing transaction in meta under 'changed:<table>'; at most once a second (and right after a
write of this process) the connection reads meta from Postgres and re-copies only the tables that changed, meta
first, so data_version — and with it every cache key — never runs ahead of the rows.

If Postgres goes away after a server started, its pages keep serving the copy and each write says, in one
sentence naming host and port, that nothing was saved.

Writes: db.transaction(con) (PostgresConnection.write_transaction) yields a cursor whose default catalog is the
Postgres database, inside one Postgres transaction that first locks meta (SHARE ROW EXCLUSIVE): writers on every
server take turns instead of failing on the data_version row, and Postgres errors come back as the DuckDB exceptions
the write modules already handle (constraint violations → ConstraintException, serialisation failures →
TransactionException "conflict").
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import duckdb

from queries import db

_log = logging.getLogger(__name__)
CATALOG = "pg"  # the name Postgres is attached under (fixed in the SQL below too)
# How stale a page may be about writes made on another server (writes of this process are seen at once).
CHECK_INTERVAL_SECONDS = 1.0
CONNECT_TIMEOUT_SECONDS = 10
EXTENSION_PACKAGE = "duckdb_extension_postgres"
_LIBPQ_KEY = re.compile(r"^\s*(host|hostaddr|port|dbname|user|password|passfile|service|sslmode|connect_timeout|"
                        r"application_name|options|target_session_attrs)\s*=", re.IGNORECASE)
_LIBPQ_PAIR = re.compile(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")
# The tables of schema.sql, in creation order (parents before children: the order rows can be loaded in).
TABLES: tuple[str, ...] = ("meta", *db.TABLES)
_TRACKED = db.TABLES
_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION tandem_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    -- Which transaction last wrote this table: replicas re-copy a table when its marker moves.
    INSERT INTO meta (key, value) VALUES ('changed:' || TG_TABLE_NAME, txid_current()::text)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    RETURN NULL;
END
$fn$;
"""
# Identifiers below come only from TABLES (parsed from schema.sql), never from input.
_TRIGGERS = "".join(
    f"DROP TRIGGER IF EXISTS tandem_changed_{t} ON {t};\n"
    f"CREATE TRIGGER tandem_changed_{t} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t}\n"
    f"    FOR EACH STATEMENT EXECUTE FUNCTION tandem_mark_changed();\n" for t in _TRACKED)
_REFRESH = {t: f"DELETE FROM memory.main.{t}; "  # noqa: S608 — t is a table name of schema.sql
               f"INSERT INTO memory.main.{t} BY NAME SELECT * FROM {CATALOG}.public.{t}" for t in TABLES}
_LOCK_WRITERS = f"CALL postgres_execute('{CATALOG}', 'LOCK TABLE meta IN SHARE ROW EXCLUSIVE MODE')"


# --- the connection string ----------------------------------------------------------------------------------------

def is_postgres(target: Any) -> bool:
    """True for a Postgres connection string (postgresql:// URL or libpq key=value), False for a file path."""
    if isinstance(target, PostgresTarget):
        return True
    if not isinstance(target, str):
        return False
    return target.strip().lower().startswith(("postgresql://", "postgres://")) or bool(_LIBPQ_KEY.match(target))


class PostgresTarget(str):
    """A Postgres connection string standing where a database path stands (str() is the string itself).

    exists() is always True: a Postgres database is never generated on first run, and whether it can be reached
    is for connect() to say.
    """

    def exists(self) -> bool:
        return True

    def expanduser(self) -> PostgresTarget:
        return self

    @property
    def parts_(self) -> dict[str, str]:
        text = self.strip()
        if text.lower().startswith(("postgresql://", "postgres://")):
            url = urlsplit(text)
            query = dict(parse_qsl(url.query))
            found = {"host": query.get("host") or unquote(url.hostname or ""),
                     "port": query.get("port") or (str(url.port) if url.port else ""),
                     "dbname": query.get("dbname") or unquote(url.path.lstrip("/")),
                     "user": query.get("user") or unquote(url.username or "")}
        else:
            found = {k.lower(): v.strip("'").replace("\\'", "'") for k, v in _LIBPQ_PAIR.findall(text)}
        user = found.get("user") or os.environ.get("PGUSER") or _login()
        return {"host": found.get("host") or found.get("hostaddr") or os.environ.get("PGHOST") or "localhost",
                "port": found.get("port") or os.environ.get("PGPORT") or "5432",
                "dbname": found.get("dbname") or os.environ.get("PGDATABASE") or user,
                "user": user}

    def where(self) -> str:
        """'host:port' as a person would check it."""
        parts = self.parts_
        return f"{parts['host']}:{parts['port']}"

    def describe(self) -> str:
        """The database named without its password: 'Postgres database tandem at db1:5432'."""
        return f"Postgres database {self.parts_['dbname']} at {self.where()}"

    def with_timeout(self) -> str:
        """The connection string with a connect_timeout, unless it sets one (an unreachable host fails fast)."""
        text = self.strip()
        if "connect_timeout" in text:
            return text
        if text.lower().startswith(("postgresql://", "postgres://")):
            url = urlsplit(text)
            query = urlencode([*parse_qsl(url.query), ("connect_timeout", str(CONNECT_TIMEOUT_SECONDS))])
            return urlunsplit((url.scheme, url.netloc, url.path, query, url.fragment))
        return f"{text} connect_timeout={CONNECT_TIMEOUT_SECONDS}"

    def __repr__(self) -> str:
        return f"PostgresTarget({self.describe()!r})"


def _login() -> str:
    try:
        import getpass

        return getpass.getuser()
    except (ImportError, KeyError, OSError):
        return "postgres"


def _first_line(exc: BaseException) -> str:
    """The Postgres message of a DuckDB error, on one line, without the query text DuckDB wraps around it."""
    text = str(exc)
    match = re.search(r"(?:FATAL|ERROR):\s+(.*)", text)
    if match:
        return match.group(1).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[0] if lines else type(exc).__name__
    # Never echo the connection string (it may hold a password): keep what libpq said after it.
    line = re.sub(r'^.*?Unable to connect to Postgres at ".*?":\s*', "", line)
    return re.sub(r"^.*?failed:\s*", "", line)


def connection_error(target: PostgresTarget, exc: BaseException) -> db.DatabaseError:
    """One sentence naming host and port for a Postgres that cannot be reached or refuses us."""
    reason = _first_line(exc)
    lowered = reason.lower()  # not str(exc): that may quote the connection string, password and all
    parts = target.parts_
    if "password" in lowered or "authentication" in lowered or "pg_hba" in lowered or (
            "role" in lowered and "does not exist" in lowered):
        return db.DatabaseError(f"Postgres at {target.where()} refused user {parts['user']!r} ({reason}); "
                                "check the user and password in TANDEM_DB")
    if "database" in lowered and "does not exist" in lowered:
        return db.DatabaseError(f"Postgres at {target.where()} has no database {parts['dbname']!r}; "
                                f"create it (createdb {parts['dbname']}) or fix TANDEM_DB")
    return db.DatabaseError(f"cannot reach Postgres at {target.where()} ({reason}); check that the server is "
                            "running and the host and port in TANDEM_DB")


def _translate(exc: duckdb.Error, target: PostgresTarget) -> BaseException:
    """A Postgres error as the DuckDB exception kind the write modules handle (or a DatabaseError if the link broke)."""
    if isinstance(exc, duckdb.ConstraintException | duckdb.TransactionException):
        return exc
    text = str(exc)
    lowered = text.lower()
    if "could not serialize access" in lowered or "deadlock detected" in lowered:
        return duckdb.TransactionException(f"Conflict with a concurrent write in Postgres: {_first_line(exc)}")
    if "violates" in lowered and "constraint" in lowered:
        detail = re.search(r"DETAIL:\s+(.*)", text)
        return duckdb.ConstraintException(
            f"Constraint Error: {_first_line(exc)}" + (f" ({detail.group(1).strip()})" if detail else ""))
    if any(s in lowered for s in ("server closed the connection", "connection to server", "no connection to the "
                                  "server", "could not connect", "connection refused", "terminating connection")):
        return db.DatabaseError(f"lost the connection to Postgres at {target.where()} ({_first_line(exc)}); "
                                "nothing was saved, try again when it is back")
    return exc


# --- the extension ------------------------------------------------------------------------------------------------

def extension_directory() -> Path:
    """A DuckDB extension_directory holding the postgres extension from the duckdb-extension-postgres wheel.

    The wheel ships extensions/v<duckdb>/postgres.duckdb_extension; DuckDB looks for
    <dir>/v<duckdb>/<platform>/postgres_scanner.duckdb_extension. Copied once (atomically) per machine.
    """
    spec = importlib.util.find_spec(EXTENSION_PACKAGE)
    version = duckdb.__version__
    if spec is None or not spec.origin:
        raise db.DatabaseError(f"Postgres mode needs the duckdb-extension-postgres package: "
                               f"pip install duckdb-extension-postgres=={version}")
    source = Path(spec.origin).parent / "extensions" / f"v{version}" / "postgres.duckdb_extension"
    if not source.exists():
        raise db.DatabaseError(f"the installed duckdb-extension-postgres has no build for DuckDB {version}; "
                               f"pip install duckdb-extension-postgres=={version}")
    probe = duckdb.connect()
    try:
        platform = probe.execute("PRAGMA platform").fetchone()[0]
    finally:
        probe.close()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    for root in (cache / "tandem" / "duckdb-extensions",
                 Path(tempfile.gettempdir()) / f"tandem-duckdb-extensions-{os.getuid()}"):
        target = root / f"v{version}" / platform / "postgres_scanner.duckdb_extension"
        try:
            if not target.exists() or target.stat().st_size != source.stat().st_size:
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}")
                shutil.copyfile(source, partial)
                os.replace(partial, target)
            return root
        except OSError:
            continue
    raise db.DatabaseError("cannot write DuckDB's postgres extension to ~/.cache or the temp folder")


def _duckdb() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the postgres extension loaded from the wheel, never from the network."""
    con = duckdb.connect(":memory:", config={"extension_directory": str(extension_directory()),
                                             "autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    try:
        db.memory.limit_memory(con)
        con.execute("LOAD postgres")
    except duckdb.Error as exc:
        con.close()
        raise db.DatabaseError(f"cannot load DuckDB's postgres extension ({_first_line(exc)})") from None
    return con


def _attach(con: duckdb.DuckDBPyConnection, target: PostgresTarget, *, read_only: bool = False,
            public_only: bool = False) -> None:
    """ATTACH the Postgres database as `pg`. public_only: only its public schema (Tandem's tables) in DuckDB's
    catalog, so catalog functions on the replica (duckdb_columns(), information_schema) do not enumerate
    pg_catalog's ~2,000 columns too."""
    literal = target.with_timeout().replace("'", "''")
    options = "TYPE postgres" + (", READ_ONLY" if read_only else "") + (", SCHEMA 'public'" if public_only else "")
    try:
        con.execute(f"ATTACH '{literal}' AS {CATALOG} ({options})")
    except duckdb.Error as exc:
        raise connection_error(target, exc) from None


# --- schema -------------------------------------------------------------------------------------------------------

def _pg_tables(con: duckdb.DuckDBPyConnection, schema: str = "public") -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = $c AND "
                       "table_schema = $s", {"c": CATALOG, "s": schema}).fetchall()
    return {r[0] for r in rows}


def _execute_in_postgres(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run Postgres SQL text as it is (DDL of schema.sql, triggers) in Postgres, then forget cached catalog info."""
    con.execute("CALL postgres_execute($c, $sql)", {"c": CATALOG, "sql": sql})
    con.execute("CALL pg_clear_cache()")


def _checked_version(version: str) -> str:
    # SCHEMA_VERSION is a code constant of digits, checked here; no input reaches the SQL it goes into.
    if not version.isdigit():
        raise ValueError(version)
    return version


def _meta_rows(version: str) -> str:
    return (f"INSERT INTO meta VALUES ('schema_version', '{_checked_version(version)}'), "  # noqa: S608
            "('data_version', '1'), ('written_version', '1');\n")


def ensure_schema(con: duckdb.DuckDBPyConnection, target: PostgresTarget, *, read_only: bool = False,
                  settings: Any = None) -> None:
    """Create schema.sql's tables, the change triggers, meta rows and the settings (`settings`, else the seed file's)
    in an empty database (one transaction), or check the schema_version of an existing one and upgrade an older one;
    refuse a database with some Tandem tables but no meta."""
    tables = _pg_tables(con)
    if "meta" not in tables:
        clash = sorted(tables & set(TABLES))
        if clash:
            raise db.DatabaseError(f"{target.describe()}: not a Tandem database (it has {', '.join(clash)} "
                                   "but no meta table)")
        if read_only:
            raise db.DatabaseError(f"{target.describe()}: has no Tandem tables yet (open it read-write once, or "
                                   "load one with python -m sample_data --db ...)")
        try:
            with _pg_transaction(con):
                _execute_in_postgres(con, db.SCHEMA_FILE.read_text() + _CHANGE_FUNCTION + _TRIGGERS
                                     + _meta_rows(db.SCHEMA_VERSION))
                _seed_settings(con, settings)
        except duckdb.Error as exc:
            if "already exists" not in str(exc):  # another server created it at the same moment: check theirs
                raise db.DatabaseError(f"{target.describe()}: cannot create the tables ({_first_line(exc)})") from None
        con.execute("CALL pg_clear_cache()")
    row = con.execute("SELECT value FROM pg.public.meta WHERE key = 'schema_version'").fetchone()
    version = row[0] if row else None
    if version != db.SCHEMA_VERSION and version not in db.schema.CHANGED_AFTER:
        raise db.DatabaseError(f"{target.describe()}: schema version {version!r} is not one this Tandem knows "
                               f"(it knows {db.SCHEMA_VERSION!r})")
    if version != db.SCHEMA_VERSION and not read_only:
        try:
            with _pg_transaction(con):
                _execute_in_postgres(con, _TO_VERSION_3 + _CHANGE_FUNCTION + _TRIGGERS)
                _seed_settings(con, None)
        except duckdb.Error as exc:
            raise db.DatabaseError(f"{target.describe()}: cannot upgrade the schema from version {version} "
                                   f"({_first_line(exc)}); nothing was changed") from None
    if not read_only and _missing_triggers(con):
        with _pg_transaction(con):
            _execute_in_postgres(con, _CHANGE_FUNCTION + _TRIGGERS)


def _seed_settings(con: duckdb.DuckDBPyConnection, settings: Any) -> None:
    """The settings rows, when the settings table has none (values bound, never formatted into SQL)."""
    from queries import settings as settings_module

    con.execute("USE pg")
    try:
        if con.execute("SELECT count(*) FROM public.settings").fetchone()[0] == 0:
            settings_module.write_rows(con, settings or settings_module.seed())
    finally:
        con.execute("USE memory")


def init(target: PostgresTarget, settings: Any) -> None:
    """`python -m queries.db init` for Postgres: Tandem's tables and the given settings in a database that has no
    Tandem tables yet; refuse one that has."""
    duck = _duckdb()
    try:
        _attach(duck, target, public_only=True)
        if "meta" in _pg_tables(duck):
            raise db.DatabaseError(f"{target.describe()}: already holds a Tandem database; Tandem never overwrites "
                                   "one (use another database, or drop its tables first)")
        ensure_schema(duck, target, settings=settings)
    finally:
        duck.close()


# Upgrading a shared database from version 2 (or 1: its keys on the fact tables are kept, Postgres keeps them cheaply)
# to 3, under a lock on meta so two servers starting at once upgrade it once: the columns real exports may lack lose
# NOT NULL and the 0 they defaulted to, a won deal must have an amount, and the settings table arrives (seeded from
# the upgrading server's tandem.toml by _seed_settings).
_TO_VERSION_3 = f"""
LOCK TABLE meta IN ACCESS EXCLUSIVE MODE;
DO $upgrade$ BEGIN
IF (SELECT value FROM meta WHERE key = 'schema_version') IN ('1', '2') THEN
    ALTER TABLE reps ALTER COLUMN team DROP NOT NULL, ALTER COLUMN region DROP NOT NULL;
    ALTER TABLE campaigns ALTER COLUMN channel DROP NOT NULL, ALTER COLUMN objective DROP NOT NULL,
        ALTER COLUMN start_date DROP NOT NULL, ALTER COLUMN end_date DROP NOT NULL, ALTER COLUMN budget DROP NOT NULL;
    ALTER TABLE campaign_spend ALTER COLUMN impressions DROP NOT NULL, ALTER COLUMN impressions DROP DEFAULT,
        ALTER COLUMN clicks DROP NOT NULL, ALTER COLUMN clicks DROP DEFAULT,
        ALTER COLUMN reach DROP NOT NULL, ALTER COLUMN reach DROP DEFAULT;
    ALTER TABLE leads ALTER COLUMN created_at DROP NOT NULL, ALTER COLUMN channel DROP NOT NULL,
        ALTER COLUMN region DROP NOT NULL, ALTER COLUMN segment DROP NOT NULL,
        ALTER COLUMN contact_attempts DROP NOT NULL, ALTER COLUMN contact_attempts DROP DEFAULT;
    ALTER TABLE deals ALTER COLUMN account DROP NOT NULL, ALTER COLUMN segment DROP NOT NULL,
        ALTER COLUMN created_at DROP NOT NULL, ALTER COLUMN amount DROP NOT NULL,
        ADD CHECK (stage <> 'won' OR amount IS NOT NULL);
    {db.schema.table_ddl("settings").replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1)}
    UPDATE meta SET value = '{_checked_version(db.SCHEMA_VERSION)}' WHERE key = 'schema_version';
END IF;
END $upgrade$;
"""  # noqa: S608 - code constants only: a table of schema.sql and checked digits


def _missing_triggers(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute("SELECT count(*) FROM postgres_query($c, 'SELECT tgname FROM pg_trigger "
                        "WHERE tgname LIKE ''tandem_changed_%'' AND NOT tgisinternal')", {"c": CATALOG}).fetchone()
    return found[0] < len(_TRACKED)


@contextmanager
def _pg_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _foreign_keys() -> list[tuple[str, str, str, str]]:
    """(table, column, parent, parent_column) of every REFERENCES in schema.sql."""
    found = []
    blocks = re.findall(r"^CREATE TABLE (\w+) \((.*?)^\);", db.SCHEMA_FILE.read_text(), re.MULTILINE | re.DOTALL)
    for table, body in blocks:
        found += [(table, *ref) for ref in re.findall(r"^\s+(\w+) [^\n]*?REFERENCES (\w+) \((\w+)\)", body,
                                                      re.MULTILINE)]
    return found


def _replica_ddl() -> str:
    """schema.sql for the local copy: same columns, types, NOT NULL, defaults and checks; no keys or references
    (a copy is refreshed table by table, and Postgres already enforced them)."""
    text = db.SCHEMA_FILE.read_text()
    text = re.sub(r"\s+REFERENCES \w+ \(\w+\)", "", text)
    text = re.sub(r",\s*PRIMARY KEY \([^)]*\)", "", text)
    return text.replace(" PRIMARY KEY", " NOT NULL")


# --- the connection -----------------------------------------------------------------------------------------------

class _PostgresCursor:
    """A DuckDB cursor whose unqualified table names are the Postgres tables; Postgres errors come back as the
    DuckDB exception kinds callers already handle. Everything else is the DuckDB cursor's own."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, target: PostgresTarget):
        self._cursor, self._target = cursor, target

    def execute(self, query: str, parameters: Any = None) -> _PostgresCursor:
        try:
            if parameters is None:
                self._cursor.execute(query)
            else:
                self._cursor.execute(query, parameters)
        except duckdb.Error as exc:
            raise _translate(exc, self._target) from exc
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __enter__(self) -> _PostgresCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class PostgresConnection:
    """Tandem's connection in Postgres mode; use it where a DuckDB connection is used.

    cursor()/execute() read the local replica (refreshed first if Postgres changed); db.transaction() writes to
    Postgres. Writing with con.execute() would change only the local copy: always write through db.transaction().
    """

    def __init__(self, duck: duckdb.DuckDBPyConnection, target: PostgresTarget, *, read_only: bool = False):
        self._duck, self.target, self.read_only = duck, target, read_only
        self._lock = threading.Lock()
        self._seen: dict[str, str] = {}
        self._checked_at = float("-inf")
        duck.execute(_replica_ddl())
        db.formulas.load(duck)

    # reads
    def cursor(self) -> duckdb.DuckDBPyConnection:
        self.refresh()
        return self._duck.cursor()

    def execute(self, query: str, parameters: Any = None) -> duckdb.DuckDBPyConnection:
        self.refresh()
        return self._duck.execute(query, parameters) if parameters is not None else self._duck.execute(query)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._duck, name)

    def __enter__(self) -> PostgresConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._duck.close()

    def _remote_meta(self, cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
        try:
            return dict(cur.execute("SELECT key, value FROM pg.public.meta").fetchall())
        except duckdb.Error as exc:
            raise connection_error(self.target, exc) from None

    def refresh(self, *, force: bool = False) -> bool:
        """Bring the local copy up to date with Postgres if it changed (checked at most once per
        CHECK_INTERVAL_SECONDS unless forced); True when something was copied."""
        started = time.monotonic()
        if not force and started - self._checked_at < CHECK_INTERVAL_SECONDS:
            return False
        try:
            with self._duck.cursor() as cur:
                remote = self._remote_meta(cur)
        except db.DatabaseError as exc:
            if not self._seen:
                raise
            # Postgres went away after we copied it: keep serving the copy (writes say it is down), retry later.
            self._checked_at = started
            _log.warning("%s; serving the copy made at data_version %s", exc, self._seen.get("data_version"))
            return False
        if remote == self._seen:
            self._checked_at = started
            return False
        with self._lock, self._duck.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                # meta first: the copied tables may be newer than its data_version, never older.
                cur.execute(_REFRESH["meta"])
                remote = dict(cur.execute("SELECT key, value FROM memory.main.meta").fetchall())
                for table in _TRACKED:
                    key = f"changed:{table}"
                    if not self._seen or remote.get(key) != self._seen.get(key):
                        cur.execute(_REFRESH[table])
                cur.execute("COMMIT")
            except BaseException as exc:
                with suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                if isinstance(exc, duckdb.Error):
                    raise connection_error(self.target, exc) from None
                raise
            self._seen = remote
            self._checked_at = started
        return True

    # writes
    @contextmanager
    def write_transaction(self, *, before=None) -> Iterator[_PostgresCursor]:
        """A cursor on the Postgres tables inside one Postgres transaction that waits its turn among writers
        (`before(cursor)` runs first, outside it: see db.transaction)."""
        if self.read_only:
            raise db.DatabaseError(f"{self.target.describe()}: opened read-only, so nothing can be saved")
        with self._duck.cursor() as raw:
            cur = _PostgresCursor(raw, self.target)
            cur.execute(f"USE {CATALOG}")
            if before is not None:
                before(cur)
            cur.execute("BEGIN TRANSACTION")
            try:
                cur.execute(_LOCK_WRITERS)
                yield cur
            except BaseException:
                with suppress(duckdb.Error):
                    raw.execute("ROLLBACK")
                raise
            try:
                cur.execute("COMMIT")
            finally:
                self._checked_at = float("-inf")  # the next read looks again, so this process sees its write


def connect(target: str, *, read_only: bool = False) -> PostgresConnection:
    """Open Tandem on a Postgres database: create its tables if it has none, check its schema version, copy it."""
    target = PostgresTarget(target)
    duck = _duckdb()
    try:
        _attach(duck, target, read_only=read_only, public_only=True)
        ensure_schema(duck, target, read_only=read_only)
        con = PostgresConnection(duck, target, read_only=read_only)
        con.refresh(force=True)
    except BaseException:
        duck.close()
        raise
    return con


# --- loading a file into Postgres ---------------------------------------------------------------------------------

def load_file(source: str | os.PathLike, target: str) -> int:
    """Replace the Tandem tables of a Postgres database with those of a Tandem DuckDB file; return rows copied.

    Readers never see a half-loaded database: the rows go into a fresh schema first, and one Postgres transaction
    swaps it in (after waiting for running writes). data_version moves past both the old and the new value, so
    every running server refreshes.
    """
    target = PostgresTarget(target)
    db.connect(source, read_only=True).close()  # a Tandem file of a schema version we know, or a clear error
    staging = f"tandem_load_{uuid.uuid4().hex[:12]}"
    duck = _duckdb()
    try:
        _attach(duck, target)
        source_literal = str(Path(source).expanduser()).replace("'", "''")
        duck.execute(f"ATTACH '{source_literal}' AS src (READ_ONLY)")
        # schema.sql without its REFERENCES; they are added once the rows are in (one check per key, not per row),
        # under the names Postgres gives inline references (<table>_<column>_fkey): the result is schema.sql's.
        without_references = re.sub(r"\s+REFERENCES \w+ \(\w+\)", "", db.SCHEMA_FILE.read_text())
        references = "".join(f"ALTER TABLE {t} ADD FOREIGN KEY ({c}) REFERENCES {parent} ({key});\n"
                             for t, c, parent, key in _foreign_keys())
        with _pg_transaction(duck):
            _execute_in_postgres(duck, f"CREATE SCHEMA {staging}; SET LOCAL search_path TO {staging};\n"
                                 + without_references)
        copied = 0
        try:
            in_source = {name for (name,) in duck.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = 'main'"
            ).fetchall()}
            with _pg_transaction(duck):
                for table in TABLES:
                    if table in in_source:
                        copied += duck.execute(f"INSERT INTO {CATALOG}.{staging}.{table} BY NAME "  # noqa: S608
                                               f"SELECT * FROM src.main.{table}").fetchone()[0]
                if "settings" not in in_source:  # a file of an older version: the settings its upgrade would store
                    from queries import settings as settings_module

                    duck.execute(f"USE {CATALOG}.{staging}")
                    try:
                        settings_module.write_rows(duck, settings_module.seed())
                    finally:
                        duck.execute("USE memory")
            with _pg_transaction(duck):
                _execute_in_postgres(duck, f"SET LOCAL search_path TO {staging};\n" + references)
            # Remember the data_version being replaced (under the lock), so the new one moves past it.
            swap = "CREATE TEMP TABLE tandem_old_version (v bigint) ON COMMIT DROP;\n"
            if "meta" in _pg_tables(duck):
                swap += ("LOCK TABLE public.meta IN ACCESS EXCLUSIVE MODE;\n"
                         "INSERT INTO tandem_old_version SELECT value::bigint FROM public.meta "
                         "WHERE key = 'data_version';\n")
            swap += "".join(f"DROP TABLE IF EXISTS public.{t} CASCADE;\n" for t in reversed(TABLES))
            swap += "".join(f"ALTER TABLE {staging}.{t} SET SCHEMA public;\n" for t in TABLES)
            swap += f"DROP SCHEMA {staging};\n" + _CHANGE_FUNCTION + _TRIGGERS
            # The tables were made from this schema.sql, whatever version the file had: say so.
            swap += (f"UPDATE meta SET value = '{_checked_version(db.SCHEMA_VERSION)}' "  # noqa: S608 - digits
                     "WHERE key = 'schema_version';\n")
            swap += ("UPDATE meta SET value = (greatest(value::bigint, (SELECT coalesce(max(v), 0) "
                     "FROM tandem_old_version)) + 1)::text WHERE key = 'data_version';\n")
            swap += "".join(f"INSERT INTO meta VALUES ('changed:{t}', txid_current()::text) "  # noqa: S608
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value;\n" for t in _TRACKED)
            with _pg_transaction(duck):
                _execute_in_postgres(duck, swap)
        except BaseException:
            with suppress(duckdb.Error):
                _execute_in_postgres(duck, f"DROP SCHEMA IF EXISTS {staging} CASCADE")
            raise
    except duckdb.Error as exc:
        raise db.DatabaseError(f"{target.describe()}: loading {source} failed ({_first_line(exc)}); "
                               "nothing was changed") from None
    finally:
        duck.close()
    return copied
