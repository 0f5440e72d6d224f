"""Cached access to the data layer: one connection per server process, results keyed by data_version."""

from __future__ import annotations

import atexit
import importlib
import os
import threading
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from queries import db, derived

CACHE_TTL_SECONDS = 3600
# start()'s queries run side by side on this many threads, each on its own cursor: DuckDB works outside the GIL,
# and planning one query (one core) overlaps with running another. On a 2-core machine Brand & quota's calls
# finished soonest on three threads, and a fourth gained nothing (bench/NOTES.md).
LOAD_WORKERS = 3
_pool = ThreadPoolExecutor(max_workers=LOAD_WORKERS, thread_name_prefix="tandem-load")


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # One read-write connection per process; every query runs on its own cursor (see queries.db).
    return db.connect(path)


def path() -> str:
    return str(db.resolve_path())


def connection() -> duckdb.DuckDBPyConnection:
    return _connection(path())


# The data_version a script run read when it began (begin_run), per thread: the run's many loads share one read.
_run = threading.local()


def begin_run() -> None:
    """Read data_version once for this script run (dashboard.py calls it first thing). Every load and start of the
    run keys its cache on it; a write of the run (write) reads it again. Without it, each load reads its own: a
    round trip that, while started queries run, waits for the GIL each time."""
    _run.version = None
    _run.version = db.data_version(connection())


def refresh_summary_tables(progress: Callable[[float, str], None] | None = None) -> int:
    """After a change to the data, rebuild at once every summary table this server's pages asked for that the change
    made stale (derived.outdated; after an import, most of them: a long wait on a large data set),
    instead of leaving each page to stall on its own share of them with nothing on screen. The tables only the
    background build made are left to its next pass (warm_up). Return how many tables it went through.

    The shell calls it with no `progress`: a spinner at the top of the page, for a change made elsewhere. A page that
    has just written passes its own progress bar's `progress(fraction, text)`, so the wait shows where the user
    clicked. A run at a data_version already found fresh costs no query.
    """
    con = connection()
    stale = derived.outdated(con, version())
    if not stale:
        return 0

    counted = [len(stale)]  # the tables ensure went through: the stale ones and any fresh input of theirs

    def report(done: int, total: int) -> None:
        counted[0] = total
        if progress is not None:
            progress(done / total, f"Updating the summary tables: {done} of {total} done")

    def build() -> int:
        try:
            derived.ensure(con, stale, progress=report)
        except duckdb.Error:
            # Left to the page: the first of its queries that reads a table that failed to build tries it again
            # and shows why, in its own place, instead of the shell stopping every page.
            return 0
        return counted[0]

    if progress is None:
        tables = "summary table" if len(stale) == 1 else f"{len(stale)} summary tables"
        with st.spinner(f"Updating the {tables} after the latest change to the data …", show_time=True):
            return build()
    return build()


# The background builds of the summary tables (warm_up), per connection: (thread, stop, data_version it began at).
_warmed: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_warm_lock = threading.Lock()
OFF = {"0", "false", "no", "off"}


def warm_up() -> threading.Thread | None:
    """After each run (dashboard.py): unless a pass is running or one began at this data_version, build on a
    background thread every summary table that is missing or stale. After a restart, the first view of each page
    then finds its tables built instead of building them itself (on a large data set, a long first view); after a
    write, the tables no page has read yet are brought up to date there too, while the run's own refresh
    (refresh_summary_tables) rebuilds only the ones pages read. Returns the thread started, or None (none started, or
    TANDEM_WARM_UP=0). Never raises: the pages build what they read anyway."""
    if os.environ.get("TANDEM_WARM_UP", "1").strip().lower() in OFF:
        return None
    try:
        con = connection()
        current = version()
    except (db.TandemError, duckdb.Error):
        return None
    with _warm_lock:
        thread, _, began = _warmed.get(con, (None, None, None))
        if (thread is not None and thread.is_alive()) or began == current:
            return None
        stop = threading.Event()
        thread = threading.Thread(target=derived.warm_up, args=(con,), kwargs={"stop": stop},
                                  name="tandem-warm-up", daemon=True)
        try:
            thread.start()
        except RuntimeError:  # no thread to be had (interpreter shutting down): the pages build what they read
            return None
        _warmed[con] = (thread, stop, current)
    return thread


def wait_for_warm_up(*, stop: bool = False, timeout: float | None = None) -> None:
    """Wait for every background build to end; with stop=True, ask each to stop and interrupt the table being
    built first (at exit, and in tests)."""
    with _warm_lock:
        running = [(thread, event) for thread, event, _ in _warmed.values()]
    for _, event in running:
        if stop:
            event.set()
    if stop and any(thread.is_alive() for thread, _ in running):
        derived.interrupt_build()
    for thread, _ in running:
        thread.join(timeout)


# A daemon thread still inside DuckDB when the interpreter exits aborts the process: stop it first.
atexit.register(wait_for_warm_up, stop=True, timeout=30)


def version() -> int:
    """The database's data_version: part of every cache key, so any write refreshes every page."""
    memo = getattr(_run, "version", None)
    return memo if memo is not None else db.data_version(connection())


def _freeze(value: Any) -> Any:
    if isinstance(value, list | set | frozenset):
        return tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
    return value


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=1024)
def _cached(db_path: str, data_version: int, function: str, kwargs: tuple) -> pd.DataFrame:
    module, name = function.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(_connection(db_path), **dict(kwargs))


def _key(fn: Callable[..., pd.DataFrame], kwargs: Mapping[str, Any]) -> tuple[str, tuple]:
    if not fn.__module__.startswith("queries."):
        raise ValueError("data.load only serves functions of the queries package")
    return f"{fn.__module__}.{fn.__qualname__}", tuple(sorted((key, _freeze(value)) for key, value in kwargs.items()))


def load(fn: Callable[..., pd.DataFrame], **kwargs: Any) -> pd.DataFrame:
    """Call a queries function with the app's connection, cached on its arguments and data_version."""
    name, frozen = _key(fn, kwargs)
    return _cached(path(), version(), name, frozen).copy()


class Pending:
    """A load started by start(): result() waits for it and returns the frame (a copy, as load returns)."""

    def __init__(self, future: Future) -> None:
        self._future = future

    def result(self) -> pd.DataFrame:
        return self._future.result().copy()


def start(fn: Callable[..., pd.DataFrame], **kwargs: Any) -> Pending:
    """load(), started now on a worker thread: the page draws (or starts more queries) while DuckDB works, and
    takes the frame with .result() where it needs it. Cached exactly as load caches it (a cached call is only a
    hand-over); an error is raised by result(). Use it for queries whose arguments are known before the drawing
    that comes ahead of them."""
    name, frozen = _key(fn, kwargs)
    return Pending(_pool.submit(_cached, path(), version(), name, frozen))


def write(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a write function of the queries package with the app's connection (it bumps data_version, so the run's
    later loads read the new one)."""
    result = fn(connection(), **kwargs)
    # A write that raised rolled back: data_version did not move, and its error is the one to show.
    if getattr(_run, "version", None) is not None:
        _run.version = db.data_version(connection())
    return result
