"""Drive the real app in-process with streamlit.testing.v1.AppTest: one page's full server-side run, timed."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
import streamlit.testing.v1.app_test as app_test
import streamlit.testing.v1.local_script_runner as local_script_runner
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache

from bench.workload import END, Variant, frozen

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_SECONDS = 600


class NavigationOnly(PagesManager):
    """The same fix as tests/conftest.py (RECIPES.md): never run pages/ as a legacy v1 app between reruns."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


# One bytecode cache for every run, as a real server keeps (streamlit.runtime.Runtime holds one ScriptCache): AppTest
# builds a new one per run, so every run would recompile dashboard.py and the page (with the magic AST pass), 20–80 ms
# per page that no server spends after its first view.
_SCRIPT_CACHE = ScriptCache()


def install() -> None:
    # Pages are timed with the tables they read built by their warm-up run; a background build of the others
    # (ui.data.warm_up) would run during the timed runs.
    os.environ.setdefault("TANDEM_WARM_UP", "0")
    app_test.PagesManager = NavigationOnly
    app_test.ScriptCache = lambda: _SCRIPT_CACHE
    local_script_runner.ScriptCache = lambda: _SCRIPT_CACHE


def use_database(path: Path) -> None:
    """Point the app at a bench database; drop the app's cached connection to any other file."""
    os.environ["TANDEM_DB"] = str(path)
    st.cache_data.clear()
    st.cache_resource.clear()


class PageError(RuntimeError):
    """The page raised: its figures would be meaningless."""


def _check(at: app_test.AppTest, variant: Variant) -> None:
    if at.exception:
        raise PageError(f"{variant.path} raised: {at.exception[0].message}")
    if at.error:
        raise PageError(f"{variant.path} showed an error: {at.error[0].value}")


def start() -> app_test.AppTest:
    """One AppTest of the whole app (dashboard.py and its filter bar), as of END, run once on its default page."""
    at = app_test.AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT_SECONDS)
    at.query_params["as_of"] = END.isoformat()
    at.run()
    return at


def open_page(at: app_test.AppTest, variant: Variant, seen: list | None = None) -> app_test.AppTest:
    """Switch to the variant's page with its widget state, and run it once (the warm-up).

    `seen` (optional) receives the ui.data.load calls of that run.
    """
    for key, value in variant.state:
        at.session_state[key] = value
    at.switch_page(variant.path)
    if seen is None:
        at.run()
    else:
        with recording() as calls:
            at.run()
        seen.extend(calls)
    _check(at, variant)
    return at


def timed_rerun(at: app_test.AppTest, variant: Variant) -> tuple[float, float]:
    """(wall, CPU) seconds for one full rerun of the page with every st.cache_data result cleared first.

    CPU is this process's, all threads (the script's and DuckDB's): on a shared machine it moves far less than
    wall-clock time, which includes waiting for a core.
    """
    st.cache_data.clear()
    started, cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    _check(at, variant)
    return elapsed, cpu


def empty_page_times(runs: int) -> list[float]:
    """The harness alone: AppTest running a script that draws one empty line."""
    at = app_test.AppTest.from_string("import streamlit as st\nst.write('')", default_timeout=TIMEOUT_SECONDS)
    at.run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return times


@contextmanager
def recording() -> Iterator[list[tuple]]:
    """Record every ui.data.load and ui.data.start call (function and arguments as its cache key sees them) while
    the block runs, each once: a repeat in the same run is answered by the cache (a page's parts that each ask
    ui.needs which tables hold rows read one table count)."""
    from ui import data

    seen: list[tuple] = []
    originals = {"load": data.load, "start": data.start}

    def recorded(original):
        def call(fn, **kwargs):
            key = (f"{fn.__module__}.{fn.__qualname__}", frozen(kwargs))
            if key not in seen:
                seen.append(key)
            return original(fn, **kwargs)
        return call

    for name, original in originals.items():
        setattr(data, name, recorded(original))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(data, name, original)
