"""Cached access to the data layer: one connection per server process, results keyed by data_version."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from queries import db

CACHE_TTL_SECONDS = 3600


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # One read-write connection per process; every query runs on its own cursor (see queries.db).
    return db.connect(path)


def path() -> str:
    return str(db.resolve_path())


def connection() -> duckdb.DuckDBPyConnection:
    return _connection(path())


def version() -> int:
    """The database's data_version: part of every cache key, so any write refreshes every page."""
    return db.data_version(connection())


def _freeze(value: Any) -> Any:
    if isinstance(value, list | set | frozenset):
        return tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
    return value


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=1024)
def _cached(db_path: str, data_version: int, function: str, kwargs: tuple) -> pd.DataFrame:
    module, name = function.rsplit(".", 1)
    fn = getattr(importlib.import_module(module), name)
    return fn(_connection(db_path), **dict(kwargs))


def load(fn: Callable[..., pd.DataFrame], **kwargs: Any) -> pd.DataFrame:
    """Call a queries function with the app's connection, cached on its arguments and data_version."""
    if not fn.__module__.startswith("queries."):
        raise ValueError("data.load only serves functions of the queries package")
    frozen = tuple(sorted((key, _freeze(value)) for key, value in kwargs.items()))
    return _cached(path(), version(), f"{fn.__module__}.{fn.__qualname__}", frozen).copy()


def write(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a write function of the queries package with the app's connection (it bumps data_version)."""
    return fn(connection(), **kwargs)
