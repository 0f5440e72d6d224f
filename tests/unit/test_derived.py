"""Summary tables: built in a scratch file, rebuilt after a write to a table they read, identical when inlined."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from queries import common, db, derived, meeting, segments


def _checksum(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_summary_table_has_a_commented_definition():
    assert "dimension_values" in derived.tables()
    for name in derived.tables():
        text = db.sql_text(f"derived/{name}")
        assert text.startswith("-- Inputs: "), name
        lines = text.splitlines()[1:]
        while lines[0].startswith(("-- Refresh by ", "-- Sorted by: ")):
            lines = lines[1:]
        assert lines[0].startswith("-- Summary table:"), name
        assert (derived.refresh_key(name) is not None) == ("\n-- Refresh by " in text), name
        assert (derived.sorted_by(name) is not None) == ("\n-- Sorted by: " in text), name
        assert "$" not in text, f"{name}: summary tables take no parameters"


def _tables_read(sql: str) -> set[str]:
    """The tables a SELECT reads, by DuckDB's own parser: base tables by name, summary tables as derived.<name>;
    common table expressions left out."""
    con = duckdb.connect()
    try:
        tree = json.loads(con.execute("SELECT json_serialize_sql($sql)", {"sql": sql}).fetchone()[0])
    finally:
        con.close()
    assert not tree.get("error"), tree.get("error_message")
    found: set[tuple[str, str]] = set()
    ctes: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE" and "table_name" in node:
                found.add((node.get("catalog_name") or node.get("schema_name") or "", node["table_name"]))
            for entry in (node.get("cte_map") or {}).get("map", []) if isinstance(node.get("cte_map"), dict) else []:
                ctes.add(entry["key"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return {f"{schema}.{table}" if schema else table for schema, table in found if schema or table not in ctes}


@pytest.mark.parametrize("name", derived.tables())
def test_declared_inputs_are_what_the_sql_reads(name):
    assert set(derived.inputs(name)) == _tables_read(derived.definition(name))
    assert len(derived.inputs(name)) == len(set(derived.inputs(name)))


def test_an_undeclared_or_unknown_input_is_refused(monkeypatch):
    texts = {"derived/no_line": "-- Summary table: x\nSELECT 1", "derived/bad": "-- Inputs: leads, nope\nSELECT 1"}
    monkeypatch.setattr(db, "sql_text", lambda name: texts[name])
    derived.inputs.cache_clear()
    try:
        with pytest.raises(ValueError, match="Inputs"):
            derived.inputs("no_line")
        with pytest.raises(ValueError, match="nope"):
            derived.inputs("bad")
    finally:
        derived.inputs.cache_clear()


@pytest.mark.slow
def test_built_once_per_data_version_and_rebuilt_after_a_write(make_db):
    con = db.connect(make_db("base.sql"))
    before = common.dimension_values(con)
    assert set(zip(before.kind, before.value, strict=True)) >= {("team", "EMEA"), ("team", "NA"), ("region", "NA")}
    version = db.data_version(con)
    assert con.execute("SELECT data_version FROM derived._versions WHERE name = 'dimension_values'").fetchone() == (
        version,)
    # A row written without bumping data_version is not seen: the summary table is keyed on data_version alone...
    con.execute("INSERT INTO reps (rep_id, name, team, region, manager, active) "
                "VALUES ('R9', 'New Rep', 'Partners', 'EMEA', 'Mia Boss', TRUE)")
    assert common.dimension_values(con).equals(before)
    # ...and every write bumps it, after which the table is rebuilt.
    with db.transaction(con) as cur:
        db.bump_data_version(cur)
    after = common.dimension_values(con)
    assert ("team", "Partners") in set(zip(after.kind, after.value, strict=True))
    assert con.execute("SELECT data_version FROM derived._versions WHERE name = 'dimension_values'").fetchone() == (
        version + 1,)
    con.close()


@pytest.mark.slow
def test_checked_once_per_data_version_on_a_connection(make_db, monkeypatch):
    con = db.connect(make_db("base.sql"))
    before = common.dimension_values(con)
    checks = []
    real_stale = derived._stale
    monkeypatch.setattr(derived, "_stale", lambda *args: checks.append(args[1]) or real_stale(*args))
    assert common.dimension_values(con).equals(before)
    assert checks == []  # seen built at this data_version: no second look
    other = db.connect(make_db("base.sql"))  # another connection looks for itself
    common.dimension_values(other)
    assert checks == [["dimension_values"]]
    con.execute("INSERT INTO reps (rep_id, name, team, region, manager, active) "
                "VALUES ('R9', 'New Rep', 'Partners', 'EMEA', 'Mia Boss', TRUE)")
    with db.transaction(con) as cur:
        db.bump_data_version(cur)
    assert ("team", "Partners") in set(zip(*common.dimension_values(con)[["kind", "value"]].values.T, strict=True))
    assert checks == [["dimension_values"], ["dimension_values"]]
    other.close()
    con.close()


@pytest.mark.slow
def test_a_write_between_two_rebuilds_leaves_the_later_table_stale_not_wrong(make_db, monkeypatch):
    # segment_daily is built from lead_facts. A write that commits after lead_facts is rebuilt and before
    # segment_daily is labels segment_daily with the older lead_facts version, so the next query rebuilds both.
    con = db.connect(make_db("base.sql", "funnel.sql"))
    day = {"start": date(2026, 3, 2), "end": date(2026, 3, 2), "dims": ("region",)}
    before = segments.performance(con, **day).set_index("region").leads.get("NA", 0)
    real_refresh = derived._refresh

    def refresh_then_write(cur, name, writes):
        real_refresh(cur, name, writes)
        if name == "lead_facts":
            with db.transaction(con) as writer:
                writer.execute("INSERT INTO leads (lead_id, created_at, channel, region, segment) "
                               "VALUES ('LATE', TIMESTAMP '2026-03-02 10:00', 'search', 'NA', 'SMB')")
                db.bump_data_version(writer)

    with db.transaction(con) as cur:
        db.bump_data_version(cur)  # every summary table stale: the next query rebuilds lead_facts, then the rest
    monkeypatch.setattr(derived, "_refresh", refresh_then_write)
    segments.performance(con, **day)  # built while the write landed: either answer is fair here
    monkeypatch.setattr(derived, "_refresh", real_refresh)
    versions = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    assert versions["segment_daily"] == versions["lead_facts"] < db.data_version(con)
    after = segments.performance(con, **day).set_index("region").leads["NA"]
    assert after == before + 1  # the next query sees the late lead
    con.close()


def _built(con) -> dict[str, int]:
    return dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())


@pytest.mark.slow
def test_a_write_to_tables_a_summary_table_does_not_read_leaves_it_built(make_db, monkeypatch):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    day = {"start": date(2026, 3, 2), "end": date(2026, 3, 2), "dims": ("region",)}
    segments.performance(con, **day)
    common.dimension_values(con)
    before = _built(con)
    assert {"lead_facts", "segment_daily", "dimension_values"} <= before.keys()
    rebuilt = []
    real_rebuild = derived._rebuild
    monkeypatch.setattr(derived, "_rebuild", lambda cur, name, **kw: rebuilt.append(name) or real_rebuild(
        cur, name, **kw))
    # An action item typed in a meeting: no summary table reads action_items, so none is rebuilt or even re-checked...
    meeting.add_action_item(con, title="Call the top ten accounts", owner="Ana", team="sales", due_on=None)
    assert db.data_version(con) == max(before.values()) + 1
    segments.performance(con, **day)
    common.dimension_values(con)
    assert rebuilt == [] and _built(con) == before
    # ...while a new rep (reps: read by dimension_values and lead_facts) rebuilds those, and the new team shows.
    with db.transaction(con) as cur:
        cur.execute("INSERT INTO reps (rep_id, name, team, region, manager, active) "
                    "VALUES ('R9', 'New Rep', 'Partners', 'EMEA', 'Mia Boss', TRUE)")
        db.bump_data_version(cur, ["reps"])
    assert ("team", "Partners") in set(zip(*common.dimension_values(con)[["kind", "value"]].values.T, strict=True))
    segments.performance(con, **day)
    assert set(rebuilt) == {"dimension_values", "lead_facts", "segment_daily"}
    after = _built(con)
    assert after["dimension_values"] == after["lead_facts"] == after["segment_daily"] == db.data_version(con)
    con.close()


@pytest.mark.slow
def test_a_table_built_from_a_summary_table_that_is_still_valid_is_not_rebuilt_again(make_db):
    # campaign_activity_daily reads campaign_deals_daily (leads, deals) and campaign_spend itself: after a spend
    # write only it is rebuilt, labelled with the current data_version although its input is older, and then fresh.
    con = db.connect(make_db("base.sql", "funnel.sql"))
    derived.ensure(con, ["campaign_activity_daily"])
    first = _built(con)
    with db.transaction(con) as cur:
        db.bump_data_version(cur, ["campaign_spend"])
    assert derived._stale(con, ["campaign_activity_daily"])
    assert not derived._stale(con, ["campaign_deals_daily"])
    derived.ensure(con, ["campaign_activity_daily"])
    second = _built(con)
    assert second["campaign_deals_daily"] == first["campaign_deals_daily"] < db.data_version(con)
    assert second["campaign_activity_daily"] == db.data_version(con)
    assert not derived._stale(con, ["campaign_activity_daily"])
    con.close()


@pytest.mark.slow
def test_a_write_that_names_no_tables_counts_as_a_write_to_every_table(make_db):
    con = db.connect(make_db("base.sql"))
    common.dimension_values(con)
    built = _built(con)["dimension_values"]
    # Another program moved data_version without saying what it wrote: every summary table is stale...
    con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
    version, written = db.written_versions(con)
    assert version == built + 1 and set(written.values()) == {version}
    assert derived._stale(con, ["dimension_values"])
    # ...and the next write that names its tables cannot know what that one changed, so it names every table.
    with db.transaction(con) as cur:
        db.bump_data_version(cur, ["action_items"])
    version, written = db.written_versions(con)
    assert version == built + 2 and set(written.values()) == {version} and set(written) == set(db.TABLES)
    with db.transaction(con) as cur:  # from here the record is complete again
        db.bump_data_version(cur, ["feedback"])
    version, written = db.written_versions(con)
    assert written["feedback"] == version and written["reps"] == version - 1
    with pytest.raises(ValueError, match="not Tandem tables: lead"):
        db.bump_data_version(con, ["lead"])
    con.close()


@pytest.mark.slow
def test_outdated_names_the_built_tables_a_write_made_stale_in_dependency_order(make_db, monkeypatch):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    assert derived.outdated(con, db.data_version(con)) == ()  # nothing built yet: nothing to bring up to date
    derived.ensure(con, ["segment_daily", "campaign_spend_daily"])
    assert derived.outdated(con, db.data_version(con)) == ()
    with db.transaction(con) as cur:
        db.bump_data_version(cur, ["leads"])
    # segment_daily reads lead_facts, which reads leads: both, the input first; spend summary tables stay as they are.
    assert derived.outdated(con, db.data_version(con)) == ("lead_facts", "segment_daily")
    derived.ensure(con, derived.outdated(con, db.data_version(con)))
    reads = []
    real = db.written_versions
    monkeypatch.setattr(db, "written_versions", lambda cur: reads.append(1) or real(cur))
    assert derived.outdated(con, db.data_version(con)) == ()
    assert derived.outdated(con, db.data_version(con)) == ()  # found fresh at this version: no second look
    assert len(reads) == 1
    read_only = db.connect(make_db("base.sql"), read_only=True)
    assert derived.outdated(read_only, db.data_version(read_only)) == ()  # inlined there, never built
    read_only.close()
    con.close()


@pytest.mark.slow
def test_ensure_reports_its_progress_table_by_table(make_db):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    calls = []

    def progress(done, total):
        calls.append((done, total))

    names = ["segment_daily", "campaign_spend_daily"]
    derived.ensure(con, names, progress=progress)
    # segment_daily reads lead_facts: three tables, counted before the first and after each.
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    calls.clear()
    derived.ensure(con, names, progress=progress)
    assert calls == []  # all fresh: no build, no progress
    built_at = "SELECT data_version FROM derived._versions WHERE name = 'campaign_spend_daily'"
    spend_built = con.execute(built_at).fetchone()
    with db.transaction(con) as cur:
        db.bump_data_version(cur, ["leads"])
    derived.ensure(con, names, progress=progress)
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]  # the spend summary table, still fresh, counts as done too...
    assert con.execute(built_at).fetchone() == spend_built  # ...without a rebuild
    con.close()


@pytest.mark.slow
def test_warm_up_builds_every_table_one_at_a_time_and_stops_when_asked(make_db, monkeypatch):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    stop = threading.Event()
    stop.set()
    assert derived.warm_up(con, stop=stop) == 0  # nothing built
    calls = []
    real = derived.ensure
    monkeypatch.setattr(derived, "ensure", lambda con, names, **kw: calls.append(list(names)) or real(con, names, **kw))
    assert derived.warm_up(con) == len(derived.tables())
    # One table per call (each takes the build lock alone), dependencies first.
    assert calls == [[name] for name in derived.references(" ".join(f"derived.{n}" for n in derived.tables()))]
    assert calls.index(["lead_facts"]) < calls.index(["segment_daily"])
    built = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    assert set(built) == set(derived.tables())
    with db.transaction(con) as cur:
        db.bump_data_version(cur, ["reps"])
    assert derived.warm_up(con) == len(derived.tables())  # a second pass brings the stale ones up to date
    assert derived.outdated(con, db.data_version(con)) == ()
    con.close()


@pytest.mark.slow
def test_warm_up_gives_up_quietly_at_the_first_error(make_db, monkeypatch):
    con = db.connect(make_db("base.sql"))
    built = []

    def ensure(con, names, **_):
        if len(built) == 2:
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")
        built.extend(names)

    monkeypatch.setattr(derived, "ensure", ensure)
    assert derived.warm_up(con) == 2  # no error raised: the pages build what they read
    assert len(built) == 2
    built.clear()
    read_only = db.connect(make_db("base.sql"), read_only=True)
    assert derived.warm_up(read_only) == 0 and built == []  # inlined there, never built
    read_only.close()
    con.close()


@pytest.mark.slow
def test_a_write_lists_only_the_tables_queries_asked_for_and_warm_up_takes_the_rest(make_db):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    derived.ensure(con, ["segment_daily"])  # what a page's query asks for
    derived.warm_up(con)  # builds the other tables without asking for them
    with db.transaction(con) as cur:
        db.bump_data_version(cur, ["leads"])
    # Many built tables read leads; the foreground rebuild is only for the asked ones and what they read.
    assert derived.outdated(con, db.data_version(con)) == ("lead_facts", "segment_daily")
    assert derived.sources("mql_daily") >= {"leads"}
    version = db.data_version(con)
    assert derived.warm_up(con) == len(derived.tables())  # the next pass takes them all
    built = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
    assert all(built[name] == version for name in derived.tables() if "leads" in derived.sources(name))
    con.close()


@pytest.mark.slow
def test_a_page_interrupts_the_background_build_and_goes_first(make_db, monkeypatch):
    con = db.connect(make_db("base.sql", "funnel.sql"))
    real = derived._refresh
    slow_once, started = {"dimension_values"}, threading.Event()

    def refresh(cur, name, writes):
        if name in slow_once:  # the background's build of this table runs until something interrupts it
            slow_once.discard(name)
            started.set()
            cur.execute("SELECT sum(i) FROM range(100000000000) AS t (i)").fetchall()
        real(cur, name, writes)

    monkeypatch.setattr(derived, "_refresh", refresh)
    stop, passes = threading.Event(), []
    background = threading.Thread(target=lambda: passes.append(derived.warm_up(con, stop=stop)), daemon=True)
    background.start()
    try:
        assert started.wait(60)
        page = threading.Thread(target=derived.ensure, args=(con, ["segment_daily"]), daemon=True)
        page.start()
        page.join(60)
        assert not page.is_alive(), "the page waited for the background build"
        background.join(60)
        assert passes == [len(derived.tables())]  # the interrupted table was built again, after the page's
        built = dict(con.execute("SELECT name, data_version FROM derived._versions").fetchall())
        assert set(built) == set(derived.tables())
    finally:
        stop.set()
        derived.interrupt_build()
        background.join(60)
    con.close()


def test_every_summary_table_names_the_tables_it_reads():
    assert derived.sources("dimension_values") == {"reps", "leads", "deals"}
    assert derived.sources("lead_stage_daily") >= {"leads", "deals", "reps", "campaigns"}  # through lead_facts
    assert derived.sources("attribution_settings") == frozenset()  # constants only
    assert derived.sources("health_feedback_orphans") == {"feedback", "deals"}
    assert "feedback" not in derived.sources("health_orphans")  # a note rebuilds the small table only
    for name in derived.tables():  # a meeting's own writes (its notes, action items) rebuild nothing
        assert not derived.sources(name) & {"meetings", "action_items"}, name


@pytest.mark.slow
def test_reading_leaves_the_file_unchanged(make_db):
    path = make_db("base.sql")
    before = _checksum(path)
    con = db.connect(path)
    common.dimension_values(con)
    con.close()
    assert _checksum(path) == before


@pytest.mark.slow
def test_scratch_file_is_unlinked_once_open_and_gone_after_close(make_db, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    con = db.connect(make_db("base.sql"))
    assert ("team", "EMEA") in set(zip(*common.dimension_values(con)[["kind", "value"]].values.T, strict=True))
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'derived'").fetchone()[0]
    assert path.startswith(str(scratch / f"tandem-derived-{os.getpid()}-"))
    assert list(scratch.iterdir()) == []  # unlinked at once, and the rebuild's log checkpointed into it
    con.close()
    assert list(scratch.iterdir()) == []


@pytest.mark.slow
def test_attaching_removes_scratch_files_of_processes_that_are_gone(make_db, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    left = [scratch / f"tandem-derived-{gone}-0123.duckdb.wal", scratch / f"tandem-derived-{gone}-0123.duckdb"]
    alive = scratch / f"tandem-derived-{os.getppid()}-4567.duckdb.wal"  # the parent still runs: its log stays
    unrelated = scratch / "tandem-derived-notes.txt"
    for file in (*left, alive, unrelated):
        file.write_bytes(b"x")
    con = db.connect(make_db("base.sql"))
    common.dimension_values(con)
    con.close()
    assert sorted(scratch.iterdir()) == sorted([alive, unrelated])


@pytest.mark.slow
def test_summary_table_columns_use_compact_types(sample_copy):
    # Sums of BIGINT and DECIMAL(14,2) columns widen to HUGEINT and DECIMAL(38,2), whose bit-packed blocks DuckDB
    # decodes several times slower than BIGINT and DECIMAL(18,2): every summary table casts its sums back.
    con = db.connect(sample_copy)
    derived.ensure(con, derived.tables())
    wide = con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                       "WHERE database_name = 'derived' AND (data_type IN ('HUGEINT', 'UHUGEINT') "
                       "OR data_type LIKE 'DECIMAL(19,%' OR data_type LIKE 'DECIMAL(2_,%' "
                       "OR data_type LIKE 'DECIMAL(3_,%')").fetchall()
    con.close()
    assert wide == []


@pytest.mark.slow
def test_money_sums_past_decimal_18_are_built_wide_and_stay_exact(make_db):
    # rep_month_booked sums a rep's won deals per month as DECIMAL(18,2): 10,001 deals at the largest amount a deal
    # may hold pass its 16 digits, so that table is built (and inlined, read-only) with DECIMAL(38,2) instead.
    path = make_db("base.sql")
    con = db.connect(path)
    with db.transaction(con) as cur:
        cur.execute("INSERT INTO deals (deal_id, account, owner_rep_id, segment, created_at, close_date, stage, "
                    "amount) SELECT 'BIG' || i, 'Acme', 'R1', 'SMB', TIMESTAMP '2026-03-01 09:00', "
                    "DATE '2026-03-20', 'won', 999999999999.99 FROM range(10001) AS t(i)")
        db.bump_data_version(cur)
    expected = Decimal("999999999999.99") * 10001
    sql = "SELECT booked FROM derived.rep_month_booked WHERE rep_id = 'R1' AND month = DATE '2026-03-01'"
    assert derived.run(con, sql).booked.tolist() == [expected]
    assert con.execute(sql).fetchone()[0] == expected  # exact to the cent in the built table
    assert con.execute("SELECT data_type FROM duckdb_columns() WHERE database_name = 'derived' AND "
                       "table_name = 'rep_month_booked' AND column_name = 'booked'").fetchone() == ("DECIMAL(38,2)",)
    con.close()
    read_only = db.connect(path, read_only=True)
    assert derived.run(read_only, sql).booked.tolist() == [expected]
    read_only.close()


@pytest.mark.slow
def test_read_only_connection_inlines_the_same_answer(make_db):
    path = make_db("base.sql")
    con = db.connect(path)
    written = common.dimension_values(con)
    con.close()
    read_only = db.connect(path, read_only=True)
    assert derived.is_read_only(read_only)
    assert common.dimension_values(read_only).equals(written)
    read_only.close()


@pytest.mark.parametrize("name", derived.tables())
@pytest.mark.slow
def test_inlined_definition_equals_the_built_table(sample_copy, name):
    con = db.connect(sample_copy)
    derived.ensure(con, [name])
    built = db.run_sql(con, f"SELECT * FROM derived.{name} ORDER BY ALL")  # noqa: S608 - fixed names
    inlined = db.run_sql(con, derived.inline(f"SELECT * FROM derived.{name} ORDER BY ALL"))  # noqa: S608
    con.close()
    assert len(built) > 0
    assert built.equals(inlined)


def test_unknown_summary_table_is_refused():
    with pytest.raises(ValueError, match="unknown summary table 'nope'"):
        derived.references("SELECT * FROM derived.nope")


def _reading_calls():
    from datetime import date

    from queries import funnel, health, segments

    window = {"start": date(2025, 12, 1), "end": date(2026, 11, 26)}
    return {
        "funnel.stages cohort by channel": lambda c: funnel.stages(c, mode="cohort", by="channel", **window),
        "funnel.stages period": lambda c: funnel.stages(c, mode="period", **window),
        "funnel.stage_days": lambda c: funnel.stage_days(c, **window),
        "funnel.sla by team": lambda c: funnel.sla(c, by="team", teams=["EMEA"], **window),
        "funnel.breaches": lambda c: funnel.breaches(c, as_of=date(2026, 9, 30), sla_hours=4, **window),
        "funnel.rejection_reasons": lambda c: funnel.rejection_reasons(c, regions=["EMEA", "NA"], **window),
        "funnel.response_buckets": lambda c: funnel.response_buckets(c, **window),
        "funnel.mql_delivery": lambda c: funnel.mql_delivery(c, segments=["SMB"], **window),
        "segments.performance": lambda c: segments.performance(c, dims=["region", "industry"], **window),
        "health.orphans": health.orphans,
        "health.table_overview": health.table_overview,
    }


@pytest.mark.parametrize("call", list(_reading_calls()))
@pytest.mark.slow
def test_queries_on_summary_tables_equal_their_inlined_form(sample_path, sample_copy, call):
    """Built tables (writable connection) and inlined definitions (read-only) give the same frames."""
    fn = _reading_calls()[call]
    read_only = db.connect(sample_path, read_only=True)
    writable = db.connect(sample_copy)
    try:
        inlined, built = fn(read_only), fn(writable)
    finally:
        read_only.close()
        writable.close()
    assert len(built) > 0
    pd.testing.assert_frame_equal(built, inlined)
