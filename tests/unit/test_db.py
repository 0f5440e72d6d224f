"""Connection and path rules of queries.db."""

from __future__ import annotations

import subprocess
import sys
import threading

import duckdb
import pytest

from queries import db


def test_connect_creates_schema_and_versions(tmp_path):
    con = db.connect(tmp_path / "new.duckdb")
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert meta["schema_version"] == db.SCHEMA_VERSION
    assert meta["data_version"] == "1"
    assert {"reps", "campaigns", "campaign_spend", "brand_metrics", "leads", "touches", "deals", "quotas",
            "targets", "feedback", "meetings", "action_items", "import_batches", "meta"} <= tables


def test_connect_path_from_argument_then_env_then_default(tmp_path, monkeypatch):
    monkeypatch.setenv("TANDEM_DB", str(tmp_path / "env.duckdb"))
    assert db.resolve_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
    assert db.resolve_path() == tmp_path / "env.duckdb"
    monkeypatch.delenv("TANDEM_DB")
    assert db.resolve_path() == db.DEFAULT_PATH


def test_connect_refuses_unknown_schema_version(tmp_path):
    path = tmp_path / "future.duckdb"
    con = db.connect(path)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(db.DatabaseError, match=r"future\.duckdb: schema version '99'"):
        db.connect(path)


def test_connect_refuses_a_database_without_meta(tmp_path):
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(db.DatabaseError, match="other.duckdb: not a Tandem database"):
        db.connect(path)


def test_connect_refuses_a_corrupt_file(tmp_path):
    path = tmp_path / "corrupt.duckdb"
    path.write_bytes(b"this is not a database" * 500)
    with pytest.raises(db.DatabaseError, match="corrupt.duckdb"):
        db.connect(path)
    assert path.read_bytes() == b"this is not a database" * 500


def test_connect_refuses_missing_folder(tmp_path):
    with pytest.raises(db.DatabaseError, match="does not exist"):
        db.connect(tmp_path / "nowhere" / "x.duckdb")


def test_connect_read_only_refuses_missing_file(tmp_path):
    with pytest.raises(db.DatabaseError, match="no such database file"):
        db.connect(tmp_path / "missing.duckdb", read_only=True)


@pytest.mark.slow
def test_connect_names_a_file_locked_by_another_process(tmp_path):
    path = tmp_path / "busy.duckdb"
    db.connect(path).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(db.DatabaseInUseError, match="busy.duckdb: the database is in use"):
            db.connect(path)
    finally:
        holder.kill()
        holder.wait()


def test_transaction_rolls_back_on_error(base_con):
    before = db.data_version(base_con)
    with pytest.raises(duckdb.ConstraintException):
        with db.transaction(base_con) as cur:
            db.bump_data_version(cur)
            cur.execute("INSERT INTO reps VALUES ('R1','dup','EMEA','EMEA',NULL,TRUE,'t')")
    assert db.data_version(base_con) == before


def test_bump_data_version_increments(base_con):
    before = db.data_version(base_con)
    with db.transaction(base_con) as cur:
        db.bump_data_version(cur)
    assert db.data_version(base_con) == before + 1


def test_query_binds_values_never_formats_them(base_con):
    frame = db.run_sql(base_con, "SELECT count(*) AS n FROM reps WHERE name = $name", {"name": "x' OR '1'='1"})
    assert frame.n.tolist() == [0]


def test_side_by_side_runs_queries_at_once_on_one_connection_and_keeps_their_order(base_con):
    # Each call waits at the barrier for the other two: run one after another, the barrier would time out.
    barrier = threading.Barrier(3, timeout=20)

    counts = {"reps": "SELECT count(*) AS n FROM reps", "campaigns": "SELECT count(*) AS n FROM campaigns",
              "meta": "SELECT count(*) AS n FROM meta WHERE key = 'data_version'"}

    def count(table):
        def call():
            barrier.wait()
            return db.run_sql(base_con, counts[table])
        return call

    frames = db.side_by_side(count("reps"), count("campaigns"), count("meta"))
    expected = [db.run_sql(base_con, counts[table]).n.iloc[0] for table in ("reps", "campaigns", "meta")]
    assert [frame.n.iloc[0] for frame in frames] == expected
    assert len(set(expected)) == 3  # three different counts, so a mixed-up order would show


def test_side_by_side_raises_the_error_of_a_failed_call(base_con):
    with pytest.raises(db.DatabaseError, match="no_such_table"):
        db.side_by_side(lambda: db.run_sql(base_con, "SELECT 1 AS one"),
                        lambda: db.run_sql(base_con, "SELECT * FROM no_such_table"))


def test_sql_text_refuses_paths_outside_the_sql_folder():
    with pytest.raises(ValueError):
        db.sql_text("../schema")


@pytest.mark.slow
def test_queries_package_never_imports_streamlit():
    code = ("import importlib, pkgutil, sys, queries\n"
            "for m in pkgutil.walk_packages(queries.__path__, 'queries.'):\n"
            "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
            "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('streamlit', 'ui', 'pages'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=db.ROOT).stdout.strip()
    assert out == ""


def test_memory_limit_from_the_environment_and_refused_when_not_a_size(tmp_path, monkeypatch):
    path = tmp_path / "limited.duckdb"
    monkeypatch.setenv("TANDEM_MEMORY_LIMIT", "300MB")
    con = db.connect(path)
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.close()
    assert limit.endswith("MiB") and 280 <= float(limit.split()[0]) <= 300
    monkeypatch.setenv("TANDEM_MEMORY_LIMIT", "300MB'; DROP TABLE leads; --")
    with pytest.raises(db.DatabaseError, match="TANDEM_MEMORY_LIMIT=.* is not a size like 512MB or 2GB"):
        db.connect(path)
    monkeypatch.delenv("TANDEM_MEMORY_LIMIT")
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM leads").fetchone() == (0,)
    con.close()


def _limit(con) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


# A list aggregate cannot spill to disk: 2 million integers need ~16 MB whatever the cap.
NEEDS_MEMORY = "SELECT len(list(range)) AS n FROM range(2000000)"


@pytest.fixture
def capped(tmp_path, monkeypatch):
    """A new database under a 4MB cap, and that cap as DuckDB reports it."""
    monkeypatch.setenv("TANDEM_MEMORY_LIMIT", "4MB")
    con = db.connect(tmp_path / "small.duckdb")
    yield con, _limit(con)
    con.close()


def test_query_over_the_memory_cap_runs_once_more_with_borrowed_memory(capped):
    con, cap = capped
    with pytest.raises(duckdb.OutOfMemoryException), con.cursor() as cur:
        cur.execute(NEEDS_MEMORY).fetchall()  # the cap alone refuses it
    assert db.run_sql(con, NEEDS_MEMORY).n.tolist() == [2_000_000]
    assert _limit(con) == cap  # set back afterwards


def test_borrowed_memory_is_given_back_when_the_last_borrower_ends(capped, monkeypatch):
    con, cap = capped
    with db.borrowed_memory(con):
        lifted = _limit(con)
        with db.borrowed_memory(con):
            pass
        assert _limit(con) == lifted != cap  # another borrower still runs
    assert _limit(con) == cap
    monkeypatch.setattr(db.memory, "_ceiling_bytes", lambda: 2 * 10**6)  # a cap above the ceiling is never lowered
    with db.borrowed_memory(con):
        assert _limit(con) == cap


def test_borrowed_memory_is_counted_per_database_not_per_connection(tmp_path, monkeypatch):
    monkeypatch.setenv("TANDEM_MEMORY_LIMIT", "4MB")
    first = db.connect(tmp_path / "shared.duckdb")
    second = db.connect(tmp_path / "shared.duckdb")  # the same database: one memory_limit for both
    capped = _limit(first)
    with db.borrowed_memory(first):
        with db.borrowed_memory(second):
            pass
        assert _limit(first) != capped  # the first block still borrows
    assert _limit(first) == _limit(second) == capped
    first.close()
    second.close()


@pytest.mark.slow
def test_a_cap_that_cannot_be_set_back_at_once_is_set_back_by_the_next_query(capped, monkeypatch):
    con, cap = capped
    real = db.memory.limit_memory
    failures = iter([True, True])  # on leaving the borrowed block, and on the same query's retry just after

    def refuse_twice(cur):
        if next(failures, False):
            raise duckdb.OutOfMemoryException("could not free up enough memory for the new limit")
        real(cur)

    monkeypatch.setattr(db.memory, "limit_memory", refuse_twice)
    assert db.run_sql(con, NEEDS_MEMORY).n.tolist() == [2_000_000]  # its result is kept
    assert _limit(con) != cap
    assert db.run_sql(con, "SELECT 1 AS one").one.tolist() == [1]
    assert _limit(con) == cap and not db.memory._unrestored


def test_summary_table_build_over_the_memory_cap_is_retried_with_borrowed_memory(capped, monkeypatch):
    from queries import derived

    con, cap = capped
    original = derived.definition
    monkeypatch.setattr(derived, "definition", lambda name, **kw: NEEDS_MEMORY if name == "dimension_values"
                        else original(name, **kw))
    derived.ensure(con, ["dimension_values"])
    assert con.execute("SELECT n FROM derived.dimension_values").fetchall() == [(2_000_000,)]
    assert _limit(con) == cap
