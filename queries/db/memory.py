"""DuckDB's memory cap for a Tandem connection, and memory lent for a while to work that runs out of it."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from queries.db import DatabaseError, TandemError

# DuckDB's own default is 80 % of the machine; a dashboard shares its server, so it asks for less (see limit_memory).
DEFAULT_MEMORY_LIMIT = "256MB"
MEMORY_LIMIT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
_UNITS = {"kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
# A query or summary-table build that runs out of the cap is retried once with this share of the machine's memory,
# then the cap is restored (see borrowed_memory): lean while serving, and no out-of-memory error on a large database.
MEMORY_CEILING_SHARE = 0.25

T = TypeVar("T")


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
