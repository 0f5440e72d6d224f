"""ui.data: load and start share one cache keyed by data_version; started loads run side by side."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from queries import db, meeting
from ui import data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_fixture(make_db, monkeypatch):
    path = make_db("base.sql", "meeting.sql")
    monkeypatch.setenv("TANDEM_DB", str(path))
    yield path
    data._run.version = None  # a test's begin_run must not outlive it on this thread


def rename_first_meeting(con, title: str) -> None:
    with db.transaction(con) as cur:
        cur.execute("UPDATE meetings SET title = $title WHERE meeting_id = 'M-1'", {"title": title})
        db.bump_data_version(cur)


def counting(monkeypatch, name: str, before=None) -> list[dict]:
    """Replace queries.meeting.<name> with a wrapper that records each call (and runs `before` first)."""
    original = getattr(meeting, name)
    calls: list[dict] = []

    def wrapper(con, **kwargs):
        calls.append(kwargs)
        if before is not None:
            before()
        return original(con, **kwargs)

    wrapper.__module__, wrapper.__qualname__ = original.__module__, original.__qualname__
    monkeypatch.setattr(meeting, name, wrapper)
    return calls


def counting_version_reads(monkeypatch) -> list[int]:
    """Count every db.data_version read from now on (each appends to the list returned)."""
    reads: list[int] = []
    read = db.data_version
    monkeypatch.setattr(db, "data_version", lambda con: reads.append(1) or read(con))
    return reads


@pytest.mark.slow
def test_start_returns_what_load_returns_and_shares_its_cache(app_fixture, monkeypatch):
    calls = counting(monkeypatch, "list_meetings")
    started = data.start(meeting.list_meetings).result()
    loaded = data.load(meeting.list_meetings)
    assert started.meeting_id.tolist() == loaded.meeting_id.tolist() == ["M-2", "M-1"]
    assert started.equals(loaded)
    assert len(calls) == 1  # the load found what the started call cached


@pytest.mark.slow
def test_a_write_makes_started_loads_run_again(app_fixture, monkeypatch):
    calls = counting(monkeypatch, "list_meetings")
    assert "Renamed" not in data.start(meeting.list_meetings).result().title.tolist()
    rename_first_meeting(data.connection(), "Renamed")
    assert "Renamed" in data.start(meeting.list_meetings).result().title.tolist()
    assert len(calls) == 2


@pytest.mark.slow
def test_a_run_reads_data_version_once_and_again_after_its_own_write(app_fixture, monkeypatch):
    reads = counting_version_reads(monkeypatch)
    data.begin_run()
    data.load(meeting.list_meetings)
    data.start(meeting.previous_meeting, meeting_id="M-2").result()
    assert len(reads) == 1  # the run's loads share begin_run's read
    data.write(rename_first_meeting, title="Written in this run")
    assert "Written in this run" in data.load(meeting.list_meetings).title.tolist()
    assert len(reads) == 2


@pytest.mark.slow
def test_a_write_that_fails_raises_its_own_error_and_keeps_the_runs_version(app_fixture, monkeypatch):
    reads = counting_version_reads(monkeypatch)
    data.begin_run()

    def refused(con):
        raise db.TandemError("the write was refused")

    with pytest.raises(db.TandemError, match="the write was refused"):
        data.write(refused)
    assert len(reads) == 1  # rolled back: nothing to read again
    assert data.version() == db.data_version(data.connection())  # the run still keys on the unchanged version


@pytest.mark.slow
def test_the_next_run_sees_a_write_made_elsewhere(app_fixture):
    data.begin_run()
    assert "Elsewhere" not in data.load(meeting.list_meetings).title.tolist()
    other = db.connect(app_fixture)  # another connection in this process (another session's write)
    try:
        rename_first_meeting(other, "Elsewhere")
    finally:
        other.close()
    data.begin_run()
    assert "Elsewhere" in data.load(meeting.list_meetings).title.tolist()


@pytest.mark.slow
def test_started_loads_run_side_by_side(app_fixture, monkeypatch):
    # Each call waits at the barrier until the other arrives: one after the other, the barrier would time out.
    barrier = threading.Barrier(2, timeout=20)
    calls = counting(monkeypatch, "previous_meeting", before=barrier.wait)
    first = data.start(meeting.previous_meeting, meeting_id="M-2")
    second = data.start(meeting.previous_meeting, meeting_id="M-1")
    assert first.result().meeting_id.tolist() == ["M-1"]
    assert second.result().empty
    assert sorted(call["meeting_id"] for call in calls) == ["M-1", "M-2"]


@pytest.mark.slow
def test_a_started_load_raises_its_error_where_the_result_is_taken(app_fixture, monkeypatch):
    def failing(con, **kwargs):
        raise db.DatabaseError("query failed: the test says so")

    failing.__module__, failing.__qualname__ = "queries.meeting", "list_meetings"
    monkeypatch.setattr(meeting, "list_meetings", failing)
    pending = data.start(meeting.list_meetings)  # starting it raises nothing
    with pytest.raises(db.DatabaseError, match="the test says so"):
        pending.result()


@pytest.mark.slow
def test_each_result_is_a_copy_the_page_may_change(app_fixture):
    pending = data.start(meeting.list_meetings)
    frame = pending.result()
    frame["title"] = "changed"
    assert "changed" not in pending.result().title.tolist()
    assert "changed" not in data.load(meeting.list_meetings).title.tolist()


@pytest.mark.slow
def test_start_serves_only_functions_of_the_queries_package(app_fixture):
    with pytest.raises(ValueError, match="queries package"):
        data.start(len)


@pytest.mark.slow
def test_a_summary_table_that_fails_to_rebuild_is_left_to_the_page(app_fixture, monkeypatch):
    from queries import derived

    con = data.connection()
    derived.ensure(con, ["dimension_values"])
    rename_first_meeting(con, "Renamed")  # a write naming no tables: every built summary table is stale
    data.begin_run()
    assert derived.outdated(con, data.version()) == ("dimension_values",)

    def fail(*_args, **_kwargs):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    real_ensure = derived.ensure
    monkeypatch.setattr(derived, "ensure", fail)
    assert data.refresh_summary_tables() == 0  # no error: the shell goes on to draw the page
    monkeypatch.setattr(derived, "ensure", real_ensure)
    seen = []
    # and once the build works, it is brought up to date (on a page's own progress bar here)
    assert data.refresh_summary_tables(progress=lambda fraction, text: seen.append((fraction, text))) == 1
    assert derived.outdated(con, data.version()) == ()
    assert seen == [(0.0, "Updating the summary tables: 0 of 1 done"),
                    (1.0, "Updating the summary tables: 1 of 1 done")]
    assert data.refresh_summary_tables() == 0  # nothing stale at this data_version


EXIT_DURING_WARM_UP = """
import sys, time
from ui import data
assert data.warm_up() is not None
time.sleep(float(sys.argv[1]))  # the interpreter exits while the thread is building a table
"""


@pytest.mark.parametrize("seconds", [0.2, 0.5])
@pytest.mark.slow
def test_a_process_that_exits_during_the_warm_up_exits_cleanly(sample_copy, monkeypatch, seconds):
    # A daemon thread inside DuckDB at exit aborts the process (exit code 134, "terminate called"); the warm-up is
    # stopped and its build interrupted first.
    monkeypatch.setenv("TANDEM_DB", str(sample_copy))
    monkeypatch.setenv("TANDEM_WARM_UP", "1")
    done = subprocess.run([sys.executable, "-c", EXIT_DURING_WARM_UP, str(seconds)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "terminate called" not in done.stderr
