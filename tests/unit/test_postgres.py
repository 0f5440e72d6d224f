"""Postgres mode: connection strings, schema from schema.sql, writes in Postgres transactions on both backends,
refresh across connections, 20 writers in two processes, and one-line errors for a Postgres we cannot use."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pg
import pytest
import version1

from queries import access, backend, common, db, derived, ingest, meeting, targets

ROOT = Path(__file__).resolve().parents[2]
MEMBER = access.Actor("ann@example.com", "member")
ADMIN = access.Actor("ada@example.com", "admin")


@pytest.fixture(scope="module")
def cluster() -> pg.Cluster:
    pg.require_postgres()
    return pg.shared_cluster()


@pytest.fixture
def new_dsn(cluster) -> str:
    """An empty Postgres database."""
    return cluster.create_database()


@pytest.fixture
def to_postgres(cluster):
    """Factory: a DuckDB fixture file copied into a new Postgres database → its connection string."""
    def copy(path: Path) -> str:
        dsn = cluster.create_database()
        backend.load_file(path, dsn)
        return dsn

    return copy


@pytest.fixture(params=["duckdb", "postgres"])
def writable(request, make_db, to_postgres):
    """Factory: make_db(...)-style fixture database opened read-write, as a file or copied into Postgres."""
    opened = []

    def open_(*sql_files: str):
        path = make_db(*sql_files)
        con = db.connect(path if request.param == "duckdb" else to_postgres(path))
        opened.append(con)
        return con

    yield open_
    for con in opened:
        con.close()


# --- connection strings -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["postgresql://ann@db1:5433/tandem", "postgres://db1/tandem",
                                  "host=db1 port=5433 dbname=tandem user=ann", "  dbname=tandem"])
def test_is_postgres_accepts_urls_and_key_value(text):
    assert db.is_postgres(text)


@pytest.mark.parametrize("text", ["tandem.duckdb", "/srv/data/postgres.duckdb", "./a=b.duckdb", "C:\\x.duckdb"])
def test_is_postgres_refuses_file_paths(text):
    assert not db.is_postgres(text) and not db.is_postgres(Path(text))


def test_resolve_path_keeps_a_connection_string_whole(monkeypatch):
    monkeypatch.setenv("TANDEM_DB", "postgresql://ann:s3cret@db1:5433/tandem?sslmode=require")
    target = db.resolve_path()
    assert str(target) == "postgresql://ann:s3cret@db1:5433/tandem?sslmode=require"
    assert target.exists()
    assert target.describe() == "Postgres database tandem at db1:5433" and "s3cret" not in repr(target)


def test_connection_string_from_secrets_unless_the_environment_sets_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TANDEM_DB", raising=False)
    assert db.resolve_path() == db.DEFAULT_PATH
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[tandem]\ndb = "postgresql://app:pw@db1:5432/tandem"\n')
    assert db.resolve_path() == "postgresql://app:pw@db1:5432/tandem"
    monkeypatch.setenv("TANDEM_DB", str(tmp_path / "mine.duckdb"))
    assert db.resolve_path() == tmp_path / "mine.duckdb"


def test_target_parts_from_key_value_and_defaults(monkeypatch):
    monkeypatch.delenv("PGHOST", raising=False)
    monkeypatch.delenv("PGPORT", raising=False)
    target = backend.PostgresTarget("dbname=tandem user=ann password='it''s'")
    assert target.where() == "localhost:5432" and target.parts_["user"] == "ann"
    assert "connect_timeout=" in target.with_timeout()


def test_replica_ddl_keeps_columns_and_drops_keys():
    ddl = backend._replica_ddl()
    assert "REFERENCES" not in ddl and "PRIMARY KEY" not in ddl and "CHECK (stage IN" in ddl


# --- schema -------------------------------------------------------------------------------------------------------

COLUMNS = ("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
           "WHERE table_catalog = $catalog AND table_schema = $schema ORDER BY table_name, ordinal_position")


@pytest.mark.slow
def test_both_backends_have_the_same_tables_and_columns(tmp_path, new_dsn):
    file_con = db.connect(tmp_path / "new.duckdb")
    pg_con = db.connect(new_dsn)
    try:
        in_file = file_con.execute(COLUMNS, {"catalog": "new", "schema": "main"}).fetchall()
        in_postgres = pg_con.execute(COLUMNS, {"catalog": "pg", "schema": "public"}).fetchall()
        in_replica = pg_con.execute(COLUMNS, {"catalog": "memory", "schema": "main"}).fetchall()
        defaults = ("SELECT table_name, column_name, column_default FROM duckdb_columns() WHERE database_name = $c "
                    "ORDER BY ALL")
        assert pg_con.execute(defaults, {"c": "memory"}).fetchall() == file_con.execute(defaults,
                                                                                          {"c": "new"}).fetchall()
    finally:
        file_con.close()
        pg_con.close()
    assert {t for t, *_ in in_file} == set(backend.TABLES)
    assert len(backend.TABLES) == 15
    # Postgres reports types through DuckDB's names; nullability differs only where Postgres keeps NOT NULL
    # implicit in a primary key, so compare names and types there and everything in the replica.
    assert [row[:3] for row in in_postgres] == [row[:3] for row in in_file]
    assert in_replica == in_file


CONSTRAINTS = ("SELECT * FROM postgres_query('pg', 'SELECT conrelid::regclass::text AS t, conname, "
               "pg_get_constraintdef(oid) AS definition FROM pg_constraint "
               "WHERE connamespace = ''public''::regnamespace ORDER BY 1, 2')")


@pytest.mark.slow
def test_a_loaded_database_has_the_constraints_of_a_created_one(new_dsn, to_postgres, make_db):
    created = db.connect(new_dsn)
    loaded = db.connect(to_postgres(make_db("base.sql")))
    try:
        expected = created.execute(CONSTRAINTS).fetchall()
        assert loaded.execute(CONSTRAINTS).fetchall() == expected
        # campaign_spend, quotas, feedback.campaign_id, action_items (the fact tables have none: see schema.sql)
        assert sum("FOREIGN KEY" in row[2] for row in expected) == 4
    finally:
        created.close()
        loaded.close()


@pytest.mark.slow
def test_a_loaded_version_1_file_becomes_a_database_of_this_version(to_postgres, make_db):
    """Its rows go into tables made from this schema.sql, so meta says this version, not the file's."""
    path = make_db("base.sql", "funnel.sql")
    rows = version1.make(path)
    con = db.connect(to_postgres(path))
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == db.SCHEMA_VERSION
        assert con.execute("SELECT * FROM leads ORDER BY ALL").fetchall() == rows["leads"]
    finally:
        con.close()


@pytest.mark.slow
def test_init_creates_an_empty_database_with_its_settings_and_refuses_a_second_time(new_dsn):
    from queries import settings

    db.schema.init(new_dsn, settings.seeded(company="Acme GmbH", currency="EUR", fiscal_year_start=2))
    con = db.connect(new_dsn)
    try:
        chosen = settings.load(con)
        assert (chosen.company_name, chosen.currency, chosen.fiscal_year_start_month) == ("Acme GmbH", "EUR", 2)
        assert common.table_rows(con).row_count.sum() == 0
    finally:
        con.close()
    with pytest.raises(db.DatabaseError, match="already holds a Tandem database"):
        db.schema.init(new_dsn, settings.seed())


@pytest.mark.slow
def test_a_version_2_database_is_upgraded_in_place_once(cluster, tmp_path, monkeypatch):
    """Two servers of a shared version 2 database: the first to start upgrades it; rows and keys are kept."""
    import version2

    from queries import settings

    seed = tmp_path / "seed.toml"
    seed.write_text("[company]\nname = 'Shared Ltd'\ncurrency = 'GBP'\n")
    monkeypatch.setenv("TANDEM_SETTINGS", str(seed))
    dsn = cluster.create_database()
    duck = backend._duckdb()
    try:
        backend._attach(duck, backend.PostgresTarget(dsn))
        with backend._pg_transaction(duck):
            # The tables as version 2 made them (its change triggers are made again by every upgrade).
            backend._execute_in_postgres(duck, version2.SCHEMA_V2.read_text()
                                         + "INSERT INTO meta VALUES ('schema_version', '2'), ('data_version', '1'), "
                                           "('written_version', '1');\n"
                                         + (version2.FIXTURES / "base.sql").read_text())
    finally:
        duck.close()
    first, second = db.connect(dsn), db.connect(dsn)
    try:
        assert first.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
        assert settings.load(second).company_name == "Shared Ltd"
        assert [r[0] for r in first.execute("SELECT rep_id FROM reps ORDER BY 1").fetchall()] == ["R1", "R2", "R3",
                                                                                                  "R4"]
        with db.transaction(first) as cur:
            cur.execute("INSERT INTO deals (deal_id, owner_rep_id, stage) VALUES ('D-open', 'R1', 'proposal')")
        with pytest.raises(duckdb.ConstraintException, match="check constraint"):
            with db.transaction(first) as cur:
                cur.execute("INSERT INTO deals (deal_id, owner_rep_id, stage, close_date) "
                            "VALUES ('D-won', 'R1', 'won', '2026-03-01')")
    finally:
        first.close()
        second.close()


@pytest.mark.slow
def test_a_loaded_version_2_file_gets_the_settings_its_upgrade_would(to_postgres, tmp_path):
    import version2

    from queries import settings

    path = tmp_path / "v2.duckdb"
    rows = version2.make(path, "base.sql")
    con = db.connect(to_postgres(path))
    try:
        assert settings.load(con) == settings.seed()
        assert con.execute("SELECT * FROM deals ORDER BY ALL").fetchall() == rows["deals"]
    finally:
        con.close()


@pytest.mark.slow
def test_schema_in_postgres_enforces_the_constraints(new_dsn):
    con = db.connect(new_dsn)
    try:
        with pytest.raises(duckdb.ConstraintException, match="violates check constraint"):
            with db.transaction(con) as cur:
                cur.execute("INSERT INTO targets (month, metric, team, value) VALUES ('2026-03-02','mqls','joint',1)")
        with pytest.raises(duckdb.ConstraintException, match="foreign key"):
            with db.transaction(con) as cur:
                cur.execute("INSERT INTO quotas VALUES ('R99','2026-03-01',100,'t')")
        with pytest.raises(duckdb.ConstraintException, match="check constraint"):
            with db.transaction(con) as cur:
                cur.execute("INSERT INTO brand_metrics VALUES ('2026-03-01','web_visits','all','NaN'::DOUBLE,NULL,"
                            "'t')")
    finally:
        con.close()


@pytest.mark.slow
def test_connect_creates_the_schema_once_and_checks_its_version(new_dsn):
    first = db.connect(new_dsn)
    first.close()
    second = db.connect(new_dsn)  # finds the tables, does not create them again
    try:
        assert dict(second.execute("SELECT key, value FROM meta WHERE key NOT LIKE 'changed:%'").fetchall()) == {
            "schema_version": db.SCHEMA_VERSION, "data_version": "1", "written_version": "1"}
        with db.transaction(second) as cur:
            cur.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    finally:
        second.close()
    with pytest.raises(db.DatabaseError, match=r"Postgres database \w+ at 127\.0\.0\.1:\d+: schema version '99'"):
        db.connect(new_dsn)


@pytest.mark.slow
def test_read_only_connection_refuses_writes(to_postgres, make_db):
    con = db.connect(to_postgres(make_db("base.sql")), read_only=True)
    try:
        with pytest.raises(db.DatabaseError, match="opened read-only"):
            meeting.add_action_item(con, title="x", owner="y", team="joint", due_on=None)
    finally:
        con.close()


# --- writes on both backends --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_transaction_rolls_back_on_error(writable):
    con = writable("base.sql")
    before = db.data_version(con)
    with pytest.raises(duckdb.ConstraintException):
        with db.transaction(con) as cur:
            db.bump_data_version(cur)
            cur.execute("INSERT INTO reps VALUES ('R1','dup','EMEA','EMEA',NULL,TRUE,'t')")
    assert db.data_version(con) == before
    assert con.execute("SELECT count(*) FROM reps").fetchone()[0] == 4


@pytest.mark.slow
def test_meeting_writes_and_optimistic_edits(writable):
    con = writable("base.sql", "meeting.sql")
    before = db.data_version(con)
    meeting_id = meeting.create_meeting(con, held_on=date(2026, 5, 29), title="May council", as_of=date(2026, 5, 28),
                                        actor=MEMBER)
    item = meeting.add_action_item(con, title="Call Acme", owner="Ann", team="sales", due_on=date(2026, 6, 5),
                                   meeting_id=meeting_id, actor=MEMBER)
    assert meeting.update_action_item(con, item_id=item, expected_version=1, status="done", actor=MEMBER) == 2
    with pytest.raises(meeting.StaleEditError):
        meeting.update_action_item(con, item_id=item, expected_version=1, title="late", actor=MEMBER)
    assert meeting.update_notes(con, meeting_id=meeting_id, notes="Agreed.", expected_version=1, actor=MEMBER) == 2
    meeting.add_feedback(con, topic="price", sentiment=-1, body="Too dear for SMB", campaign_id="C1", actor=MEMBER)
    with pytest.raises(meeting.MeetingError, match="no campaign"):
        meeting.add_feedback(con, topic="price", sentiment=-1, body="x", campaign_id="C404", actor=MEMBER)
    row = meeting.list_action_items(con, meeting_id=meeting_id).iloc[0]
    assert (row.item_id, row.title, row.status, row.version) == (item, "Call Acme", "done", 2)
    assert meeting.get_meeting(con, meeting_id=meeting_id).notes.iloc[0] == "Agreed."
    assert db.data_version(con) == before + 5


@pytest.mark.slow
def test_targets_save_inserts_then_replaces(writable):
    con = writable("base.sql", "plan.sql")
    rows = [{"month": date(2027, 1, 1), "metric": "revenue", "team": "joint", "value": 1000.0}]
    assert targets.save_targets(con, rows=rows, actor=ADMIN) == 1
    assert targets.save_targets(con, rows=[{**rows[0], "value": 1500.0}], actor=ADMIN) == 1
    frame = targets.monthly(con, start_month=date(2027, 1, 1), end_month=date(2027, 1, 1))
    assert frame[["metric", "team", "value", "updated_by"]].values.tolist() == [["revenue", "joint", 1500.0,
                                                                                  "ada@example.com"]]


REPS = "rep_id,name,team,region\nR5,Eva Fox,EMEA,EMEA\nR6,Finn Gray,NA,NA\n"


def _import(con, text: str, table: str, mode: str = "insert") -> ingest.Report:
    source = ingest.read_source(textwrap.dedent(text).encode(), name=f"{table}.csv")
    return ingest.commit(con, source=source, mapping=ingest.suggest(source.columns, table=table), table=table,
                         mode=mode)


@pytest.mark.slow
def test_import_upsert_and_undo_round_trip(writable):
    con = writable("base.sql", "ingest/deals.sql")
    reps = "SELECT rep_id, name, active, batch_id FROM reps ORDER BY rep_id"
    before = con.execute(reps).fetchall()
    added = _import(con, REPS, "reps")
    assert (added.inserted, added.updated) == (2, 0)
    changed = _import(con, "rep_id,name,team,region,active\nR1,Ana Berg-Lund,EMEA,EMEA,false\n", "reps",
                      mode="upsert")
    assert (changed.inserted, changed.updated) == (0, 1)
    assert con.execute("SELECT name, active FROM reps WHERE rep_id = 'R1'").fetchone() == ("Ana Berg-Lund", False)
    assert ingest.undo(con, batch_id=changed.batch_id)["restored"] == 1
    assert ingest.undo(con, batch_id=added.batch_id)["deleted"] == 2
    assert con.execute(reps).fetchall() == before
    assert ingest.history(con).status.tolist() == ["undone", "undone"]


@pytest.mark.slow
def test_import_refused_by_a_constraint_writes_nothing(writable):
    con = writable("base.sql", "ingest/deals.sql")
    before = db.data_version(con)
    with pytest.raises(ingest.ImportRejected):
        _import(con, "rep_id,name,team,region\nR7,Gus,EMEA,EMEA\nR7,Gus again,EMEA,EMEA\n", "reps")
    assert db.data_version(con) == before
    assert con.execute("SELECT count(*) FROM reps WHERE rep_id = 'R7'").fetchone()[0] == 0


# --- several servers ----------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_write_on_one_server_reaches_the_other(to_postgres, make_db, monkeypatch):
    dsn = to_postgres(make_db("base.sql", "meeting.sql"))
    one, two = db.connect(dsn), db.connect(dsn)
    try:
        before = db.data_version(two)
        item = meeting.add_action_item(one, title="Fix the lead form", owner="Bo", team="marketing", due_on=None)
        monkeypatch.setattr(backend, "CHECK_INTERVAL_SECONDS", 0.0)  # "after a refresh", without waiting a second
        assert db.data_version(two) == before + 1
        assert item in meeting.list_action_items(two).item_id.tolist()
        # The optimistic rule holds across servers: both read version 1, the second save is refused.
        assert meeting.update_action_item(two, item_id=item, expected_version=1, status="done") == 2
        with pytest.raises(meeting.StaleEditError):
            meeting.update_action_item(one, item_id=item, expected_version=1, owner="Cy")
    finally:
        one.close()
        two.close()


@pytest.mark.slow
def test_refresh_copies_only_changed_tables(to_postgres, make_db):
    con = db.connect(to_postgres(make_db("base.sql", "meeting.sql")))
    try:
        assert not con.refresh(force=True)  # nothing changed since connect
        con.execute("UPDATE memory.main.campaigns SET name = 'local only'")  # a table the write will not touch
        with db.transaction(con) as cur:
            cur.execute("UPDATE reps SET name = 'Ann B.' WHERE rep_id = 'R1'")
            db.bump_data_version(cur)
        assert con.refresh(force=True)
        assert con.execute("SELECT name FROM reps WHERE rep_id = 'R1'").fetchone() == ("Ann B.",)
        assert con.execute("SELECT DISTINCT name FROM campaigns").fetchall() == [("local only",)]
    finally:
        con.close()



@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.slow
def test_summary_tables_attach_beside_the_replica_and_follow_other_servers(to_postgres, make_db, monkeypatch,
                                                                           read_only):
    """queries.derived attaches ':memory:' AS derived on the replica (even for a read-only Postgres connection: the
    copy itself is writable), and a write on another server reaches the summary table after the replica refreshes."""
    dsn = to_postgres(make_db("base.sql"))
    con, writer = db.connect(dsn, read_only=read_only), db.connect(dsn)
    try:
        con.execute("ATTACH IF NOT EXISTS ':memory:' AS derived")
        assert not derived.is_read_only(con)  # built, not inlined
        before = common.dimension_values(con)
        assert {("team", "EMEA"), ("team", "NA")} <= set(zip(before.kind, before.value, strict=True))
        assert con.execute("SELECT data_version FROM derived._versions WHERE name = 'dimension_values'").fetchone() \
            == (db.data_version(con),)
        monkeypatch.setattr(backend, "CHECK_INTERVAL_SECONDS", 0.0)
        # A write that names its tables, on the other server, reaches the replica's meta with them. The first after
        # the file was loaded names every table (what the load changed is not recorded); an action item after that
        # leaves the summary table as built...
        meeting.add_action_item(writer, title="Call the top ten accounts", owner="Ana", team="sales", due_on=None)
        assert common.dimension_values(con).equals(before)
        built = con.execute("SELECT data_version FROM derived._versions WHERE name = 'dimension_values'").fetchone()
        assert built == (db.data_version(con),)
        meeting.add_action_item(writer, title="Share the win-loss notes", owner="Ana", team="joint", due_on=None)
        assert common.dimension_values(con).equals(before)
        assert db.written_versions(con)[1]["action_items"] == db.data_version(con) == built[0] + 1
        assert derived.outdated(con, db.data_version(con)) == ()
        assert con.execute("SELECT data_version FROM derived._versions WHERE name = 'dimension_values'").fetchone() \
            == built
        with db.transaction(writer) as cur:  # ...and a new rep rebuilds it
            cur.execute("INSERT INTO reps (rep_id, name, team, region, manager, active) "
                        "VALUES ('R9', 'New Rep', 'Partners', 'EMEA', 'Mia Boss', TRUE)")
            db.bump_data_version(cur, ["reps"])
        assert derived.outdated(con, db.data_version(con)) == ("dimension_values",)  # what the shell rebuilds
        after = common.dimension_values(con)  # the replica refreshes with derived attached, then the summary table
        assert ("team", "Partners") in set(zip(after.kind, after.value, strict=True))
        assert con.execute("SELECT count(*) FROM reps").fetchone() == (5,)
    finally:
        con.close()
        writer.close()


WRITER = """
import sys, threading
from queries import db, meeting
con = db.connect(sys.argv[1])
errors = []
def write(n):
    try:
        for k in range(3):
            meeting.add_action_item(con, title=f"{sys.argv[2]}-{n}-{k}", owner="o", team="joint", due_on=None)
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=write, args=(n,)) for n in range(10)]
for t in threads: t.start()
for t in threads: t.join()
con.close()
print("errors:", errors, flush=True)
"""


@pytest.mark.slow
def test_twenty_writers_in_two_processes_lose_nothing(to_postgres, make_db):
    dsn = to_postgres(make_db("base.sql"))
    con = db.connect(dsn)
    before = db.data_version(con)
    con.close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, dsn, name], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for name in ("one", "two")]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all(out.strip() == "errors: []" for out, _ in outputs), outputs
    con = db.connect(dsn)
    try:
        titles = meeting.list_action_items(con).title.tolist()
        assert sorted(titles) == sorted(f"{p}-{n}-{k}" for p in ("one", "two") for n in range(10) for k in range(3))
        assert db.data_version(con) == before + 60
    finally:
        con.close()


# --- loading and failures -----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_load_file_replaces_the_tables_and_moves_data_version_on(to_postgres, make_db):
    dsn = to_postgres(make_db("base.sql", "meeting.sql"))
    con = db.connect(dsn)
    meeting.add_action_item(con, title="gone after the load", owner="o", team="joint", due_on=None)
    seen = db.data_version(con)
    backend.load_file(make_db("base.sql"), dsn)
    try:
        con.refresh(force=True)
        assert db.data_version(con) > seen
        assert con.execute("SELECT count(*) FROM action_items").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.slow
def test_load_file_that_fails_changes_nothing(to_postgres, make_db, tmp_path):
    dsn = to_postgres(make_db("base.sql", "meeting.sql"))
    junk = tmp_path / "junk.duckdb"
    duckdb.connect(str(junk)).close()
    with pytest.raises(db.DatabaseError, match="not a Tandem database"):
        backend.load_file(junk, dsn)
    con = db.connect(dsn, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM meetings").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE "
                           "'tandem_load_%'").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.slow
def test_unreachable_postgres_is_one_sentence_naming_host_and_port():
    port = pg.free_port()
    with pytest.raises(db.DatabaseError) as caught:
        db.connect(f"postgresql://tandem:s3cret@127.0.0.1:{port}/tandem")
    message = str(caught.value)
    assert message.startswith(f"cannot reach Postgres at 127.0.0.1:{port} (Connection refused)")
    assert "\n" not in message and "s3cret" not in message


@pytest.mark.slow
def test_unknown_user_and_database_are_named(cluster):
    with pytest.raises(db.DatabaseError, match=rf"Postgres at 127\.0\.0\.1:{cluster.port} refused user 'nobody'"):
        db.connect(f"host=127.0.0.1 port={cluster.port} user=nobody dbname=postgres password=x")
    with pytest.raises(db.DatabaseError, match="has no database 'nowhere'"):
        db.connect(cluster.dsn("nowhere"))


@pytest.mark.slow
def test_postgres_going_away_keeps_reads_and_refuses_writes_in_one_sentence(make_db):
    own = pg.Cluster()  # a cluster of its own, to stop under a live connection
    try:
        dsn = own.create_database()
        backend.load_file(make_db("base.sql", "meeting.sql"), dsn)
        con = db.connect(dsn)
        own.stop()
        assert not con.refresh(force=True)  # the copy stays
        assert meeting.list_meetings(con).meeting_id.tolist() == ["M-2", "M-1"]
        with pytest.raises(db.DatabaseError, match=rf"lost the connection to Postgres at 127\.0\.0\.1:{own.port}"):
            meeting.add_action_item(con, title="x", owner="y", team="joint", due_on=None)
        con.close()
    finally:
        own.stop()


@pytest.mark.slow
def test_command_line_says_one_line_without_traceback(tmp_path):
    port = pg.free_port()
    result = subprocess.run([sys.executable, "-m", "queries.ingest", "--db", f"postgresql://x@127.0.0.1:{port}/t",
                             "--table", "reps", "--list"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"cannot reach Postgres at 127.0.0.1:{port}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_extension_package_is_named(monkeypatch):
    monkeypatch.setattr(backend.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(db.DatabaseError, match=r"pip install duckdb-extension-postgres==1\.5\.5"):
        backend.extension_directory()


@pytest.mark.slow
def test_sample_data_command_loads_a_postgres_database(new_dsn):
    out = subprocess.run([sys.executable, "-m", "sample_data", "--db", new_dsn, "--scale", "0.1", "--months", "12",
                          "--end", "2025-06-30"], capture_output=True, text=True, cwd=db.ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "password" not in out.stdout
    con = db.connect(new_dsn)
    try:
        assert con.execute("SELECT count(*) FROM reps").fetchone()[0] == 12
        assert con.execute("SELECT count(DISTINCT month) FROM brand_metrics").fetchone()[0] == 12
        assert con.execute("SELECT max(created_at) FROM leads").fetchone()[0].date() <= date(2025, 6, 30)
    finally:
        con.close()
