"""Shared fixtures: databases built from text SQL, the generated sample, and the AppTest fix for pages/."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest
import streamlit as st
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.pages_manager import PagesManager

from queries import db

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The generated sample every invariant test reads: fixed seed and end date, so results never drift.
SAMPLE_SEED = 7
SAMPLE_END = date(2026, 11, 26)


class NavigationOnly(PagesManager):
    """This app registers its pages with st.navigation; never run pages/ as a legacy v1 app."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def streamlit_test_env(monkeypatch):
    monkeypatch.setattr(app_test, "PagesManager", NavigationOnly)
    # No background build of the summary tables (ui.data.warm_up) unless a test asks for it: tests count what a
    # page builds, and a thread left running would hold a test's database open.
    monkeypatch.setenv("TANDEM_WARM_UP", "0")
    st.cache_data.clear()
    st.cache_resource.clear()  # caches outlive one AppTest inside a pytest process
    yield
    st.cache_resource.clear()  # closes no file handles itself, but drops the app's connection


@pytest.fixture(params=[False, True], ids=["unchecked", "checked"])
def plotly_checks(request, monkeypatch):
    """Charts built as the app builds them (ui.charts.CHECKED off) and with Plotly's property checks on: a test
    using this fixture runs both ways."""
    import ui.charts

    monkeypatch.setattr(ui.charts, "CHECKED", request.param)
    return request.param


def build_db(path: Path, *sql_files: str) -> Path:
    """A new Tandem database at `path` with the schema and the given fixture files (tests/fixtures/*.sql)."""
    con = db.connect(path)
    try:
        for name in sql_files:
            con.execute((FIXTURES / name).read_text())
    finally:
        con.close()
    return path


@pytest.fixture
def make_db(tmp_path) -> Callable[..., Path]:
    """Factory: make_db("base.sql", "funnel.sql") → path of a fresh database with those rows."""
    counter = iter(range(1000))

    def make(*sql_files: str) -> Path:
        return build_db(tmp_path / f"fixture{next(counter)}.duckdb", *sql_files)

    return make


@pytest.fixture
def base_con(make_db) -> duckdb.DuckDBPyConnection:
    con = db.connect(make_db("base.sql"))
    yield con
    con.close()


@pytest.fixture(scope="session")
def sample_path(tmp_path_factory) -> Path:
    """The generated sample (seed 7, scale 1), made once per test session. Treat it as read-only."""
    import sample_data

    return sample_data.generate(tmp_path_factory.mktemp("sample") / "sample.duckdb", seed=SAMPLE_SEED,
                                end=SAMPLE_END)


@pytest.fixture
def sample_con(sample_path) -> duckdb.DuckDBPyConnection:
    con = db.connect(sample_path, read_only=True)
    yield con
    con.close()


@pytest.fixture(params=["built", "inlined"])
def sample_either(request, sample_path, tmp_path) -> duckdb.DuckDBPyConnection:
    """The sample twice: on a writable copy, where the summary tables are built, and read-only, where their
    definitions are inlined. A query on summary tables must answer the same on both."""
    if request.param == "built":
        shutil.copy(sample_path, tmp_path / "sample.duckdb")
        con = db.connect(tmp_path / "sample.duckdb")
    else:
        con = db.connect(sample_path, read_only=True)
    yield con
    con.close()


@pytest.fixture
def sample_copy(sample_path, tmp_path) -> Path:
    """A private, writable copy of the generated sample (for apps and writes)."""
    target = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, target)
    return target


@pytest.fixture
def app_db(sample_copy, monkeypatch) -> Path:
    """TANDEM_DB pointed at a writable copy of the sample, for AppTest."""
    monkeypatch.setenv("TANDEM_DB", str(sample_copy))
    return sample_copy

