"""The tables of schema.sql in a database: created in a new one, checked in an existing one, upgraded in place from an
older schema version, and an empty Tandem database made on purpose (`init`)."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from queries import db
from queries.db import DatabaseError, _describe, transaction
from queries.db.memory import borrowed_memory

if TYPE_CHECKING:
    from queries.settings import Settings

SCHEMA_VERSION = "3"
# What each older schema version changed in the next one: the tables an upgrade from it rebuilds from schema.sql with
# their rows (see upgrade). Version 1 had primary and foreign keys on the fact tables (feedback.deal_id referred to
# deals' key). Version 2 required values that real exports lack (a deal's amount, account, segment and created date,
# a lead's channel, region, segment, a rep's team and region, a campaign's dates and budget) and stored 0 for
# impressions, clicks, reach and contact attempts nobody reported; version 3 keeps those NULL. Version 3 also keeps the
# settings in the database (the settings table, seeded from tandem.toml by the upgrade).
CHANGED_AFTER: dict[str, tuple[str, ...]] = {
    "1": ("feedback", "touches", "deals", "leads"),
    "2": ("feedback", "quotas", "campaign_spend", "deals", "leads", "campaigns", "reps"),
}
# Children before parents: the order tables are dropped in (and recreated in reverse).
_DROP_ORDER = ("feedback", "touches", "quotas", "campaign_spend", "deals", "leads", "campaigns", "reps")


def rebuilt_by_upgrade(version: str) -> tuple[str, ...]:
    """The tables an upgrade from `version` rebuilds, children first: what every later version changed."""
    later = [v for v in CHANGED_AFTER if int(v) >= int(version)]
    changed = {table for v in later for table in CHANGED_AFTER[v]}
    return tuple(t for t in _DROP_ORDER if t in changed)


def apply_schema(con: duckdb.DuckDBPyConnection, settings: Settings | None = None) -> None:
    """Create every table of schema.sql, the meta rows and the settings (`settings`, else the seed file: tandem.toml),
    in one transaction."""
    from queries import settings as settings_module

    chosen = settings or settings_module.seed()
    with transaction(con) as cur:
        cur.execute(db.SCHEMA_FILE.read_text())
        cur.execute(
            "INSERT INTO meta VALUES ('schema_version', $v), ('data_version', '1'), ('written_version', '1')",
            {"v": SCHEMA_VERSION},
        )
        settings_module.write_rows(cur, chosen)


def check_schema(con: duckdb.DuckDBPyConnection, db_path: Path, *, read_only: bool = False) -> None:
    """Refuse a file that is not a Tandem database or has a version this Tandem does not know; upgrade an older
    known version when the file is opened for writing (read-only, its tables read the same, and the settings come
    from the seed file)."""
    try:
        with con.cursor() as cur:
            row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        raise DatabaseError(f"{db_path}: not a Tandem database (it has no meta table)") from None
    version = row[0] if row else None
    if version == SCHEMA_VERSION or (version in CHANGED_AFTER and read_only):
        return
    if version not in CHANGED_AFTER:
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
    found = re.search(rf"^CREATE TABLE {name} \(.*?^\);", db.SCHEMA_FILE.read_text(), re.MULTILINE | re.DOTALL)
    if found is None:
        raise ValueError(f"schema.sql has no table {name}")
    return found.group(0)


def upgrade(con: duckdb.DuckDBPyConnection, version: str) -> None:
    """Bring a file of an older schema version to SCHEMA_VERSION in one transaction: its tables that changed are
    rebuilt from schema.sql with their rows (children before parents are dropped, parents recreated first), tables
    it did not have are created, and the settings are seeded from the seed file (tandem.toml) when it had none."""
    from queries import settings as settings_module

    rebuilt = rebuilt_by_upgrade(version)
    with con.cursor() as cur:
        blocking = cur.execute(
            "SELECT DISTINCT table_name, referenced_table FROM duckdb_constraints() "
            "WHERE constraint_type = 'FOREIGN KEY' AND list_contains($rebuilt, referenced_table) "
            "AND NOT list_contains($rebuilt, table_name) ORDER BY ALL", {"rebuilt": list(rebuilt)}).fetchall()
        indexes = [sql for (sql,) in cur.execute(
            "SELECT sql FROM duckdb_indexes() WHERE list_contains($rebuilt, table_name) AND sql IS NOT NULL "
            "ORDER BY index_name", {"rebuilt": list(rebuilt)}).fetchall()]
        present = {name for (name,) in cur.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main'").fetchall()}
    if blocking:
        names = ", ".join(f"{table} (refers to {parent})" for table, parent in blocking)
        raise DatabaseError(f"tables that are not Tandem's refer to tables the upgrade rebuilds: {names}; "
                            "drop those references (or open the file read-only)")
    seed = settings_module.seed() if "settings" not in present else None
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
        for table in db.TABLES:
            if table not in present and table not in rebuilt:
                cur.execute(table_ddl(table))
        if seed is not None:
            settings_module.write_rows(cur, seed)
        cur.execute("UPDATE meta SET value = $v WHERE key = 'schema_version'", {"v": SCHEMA_VERSION})
    with suppress(duckdb.Error):  # compacts the log; the upgrade is committed either way
        con.execute("CHECKPOINT")


def init(target: str | os.PathLike, settings: Settings) -> str:
    """Create an empty Tandem database (the tables, no rows but the settings) at a new file path or in a Postgres
    database that has no Tandem tables yet; refuse anything that exists. Returns the target as given."""
    resolved = db.resolve_path(target)
    if db.is_postgres(resolved):
        from queries import backend

        backend.init(resolved, settings)
        return str(resolved)
    path = Path(resolved)
    if path.exists():
        raise DatabaseError(f"{path}: a file is already there; Tandem never overwrites one (choose another path, "
                            "or move that file away)")
    if not path.parent.is_dir():
        raise DatabaseError(f"{path}: the folder {path.parent} does not exist")
    # Made under a temporary name beside it, then linked into place: never half a database at `path`, and a file
    # that appears there meanwhile is not overwritten (os.link refuses an existing name).
    fd, scratch = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    os.unlink(scratch)  # DuckDB creates the file itself
    try:
        con = duckdb.connect(scratch)
        try:
            apply_schema(con, settings)
        finally:
            con.close()
        try:
            os.link(scratch, path)
        except FileExistsError:
            raise DatabaseError(f"{path}: a file appeared there meanwhile; it was left as it is") from None
        except OSError:  # a file system without hard links: the same check, then a rename
            if path.exists():
                raise DatabaseError(f"{path}: a file appeared there meanwhile; it was left as it is") from None
            os.replace(scratch, path)
    finally:
        for leftover in (scratch, scratch + ".wal"):
            with suppress(FileNotFoundError):
                os.unlink(leftover)
    return str(path)
