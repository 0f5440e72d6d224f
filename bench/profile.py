"""Where a page run's time goes: data (ui.data.load, and waiting for what ui.data.start began: the queries, Arrow
to pandas, the cache's bookkeeping), each chart builder (ui/charts), Streamlit elements, and the rest.

AppTest runs the script in its own thread, where cProfile started in the caller sees nothing; wrapping the few
functions that matter with wall-clock timers works in any thread and costs microseconds, so the split is of a
normal run. `python -m bench` adds this split for every page that misses its target.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

ELEMENTS = ("plotly_chart", "dataframe", "metric", "download_button", "markdown", "caption")


def _timed(label: str, fn: Callable, spent: dict[str, float]) -> Callable:
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started

    return wrapper


def _chart_modules() -> list:
    import ui.charts

    return [importlib.import_module(f"ui.charts.{m.name}") for m in pkgutil.iter_modules(ui.charts.__path__)]


@contextmanager
def attributing() -> Iterator[dict[str, float]]:
    """While the block runs, seconds spent per cause: 'data', 'chart <module>.<function>', 'st.<element>'."""
    from ui import data

    spent: dict[str, float] = defaultdict(float)
    # A started load counts as data where the page waits for it (Pending.result); starting it costs microseconds.
    patched: list[tuple[object, str, object]] = [(data, "load", data.load), (data, "start", data.start),
                                                 (data.Pending, "result", data.Pending.result)]
    for module in _chart_modules():
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_"):
                patched.append((module, name, fn))
    for element in ELEMENTS:
        patched.append((DeltaGenerator, element, getattr(DeltaGenerator, element)))
        patched.append((st, element, getattr(st, element)))
    for owner, name, original in patched:
        if owner in (data, data.Pending):
            label = "data"
        elif owner in (DeltaGenerator, st):
            label = f"st.{name}"
        else:
            label = f"chart {owner.__name__.rsplit('.', 1)[-1]}.{name}"
        setattr(owner, name, _timed(label, original, spent))
    try:
        yield spent
    finally:
        for owner, name, original in patched:
            setattr(owner, name, original)


def split(total: float, spent: dict[str, float]) -> dict[str, float]:
    """The causes of one run (seconds), with the charts summed and the rest (script, harness, pandas) named."""
    charts = sum(v for k, v in spent.items() if k.startswith("chart "))
    elements = sum(v for k, v in spent.items() if k.startswith("st."))
    return {"data": spent.get("data", 0.0), "charts": charts, "elements": elements,
            "rest": max(total - spent.get("data", 0.0) - charts - elements, 0.0)}
