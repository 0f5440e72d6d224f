"""python -m queries.ingest: exit codes 0 / 1 / 2 and a clear message when a dashboard holds the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEALS = "deal_id,account,owner_rep_id,segment,created_at,stage,amount\nD1,Acme,R1,SMB,2026-03-01,proposal,900\n"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "queries.ingest", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_cli_import_list_undo_and_failures(make_db, tmp_path):
    path = str(make_db("base.sql"))
    good = tmp_path / "deals.csv"
    good.write_text(DEALS)
    done = cli("--db", path, "--table", "deals", str(good))
    assert done.returncode == 0, done.stderr
    batch_id, rows = done.stdout.split()[:2]
    assert batch_id.startswith("imp-") and rows == "1"
    assert batch_id in cli("--db", path, "--list").stdout
    again = cli("--db", path, "--table", "deals", str(good))
    assert again.returncode == 1
    assert "row 2, column 'deal_id': id already in the database" in again.stdout
    assert "1 problems in total; nothing was imported." in again.stdout
    assert cli("--db", path, "--undo", batch_id).returncode == 0
    refused = cli("--db", path, "--undo", batch_id)
    assert refused.returncode == 1 and "already undone" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.slow
def test_cli_usage_errors_exit_2(make_db, tmp_path):
    path = str(make_db("base.sql"))
    assert cli("--db", path, "--table", "deals").returncode == 2
    assert cli("--db", path, "--table", "nope", "x.csv").returncode == 2
    missing = cli("--db", path, "--table", "deals", str(tmp_path / "missing.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


@pytest.mark.slow
def test_cli_database_held_by_a_dashboard(make_db, tmp_path):
    path = str(make_db("base.sql"))
    good = tmp_path / "deals.csv"
    good.write_text(DEALS)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(120)", path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        blocked = cli("--db", path, "--table", "deals", str(good))
    finally:
        holder.kill()
        holder.wait()
    assert blocked.returncode == 1
    assert "in use by another process (a running dashboard?)" in blocked.stderr
    assert "Traceback" not in blocked.stderr


@pytest.mark.slow
def test_cli_file_refused_while_reading_names_the_row(make_db, tmp_path):
    # Refused before validation starts (the validation modules are still being imported then).
    path = str(make_db("base.sql"))
    empty = tmp_path / "deals.csv"
    empty.write_text(DEALS.splitlines()[0] + "\n")
    done = cli("--db", path, "--table", "deals", str(empty))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "row 2, column 'deal_id': the file has a header but no data rows" in done.stdout


@pytest.mark.slow
def test_reading_a_csv_file_needs_no_pandas():
    # The command line imports pandas on a thread while it reads the file: reading must not need it.
    script = ("import sys; from queries import access, db; from queries.ingest import mapping, source, spec; "
              "read = source.read_source(sys.argv[1].encode(), name='deals.csv'); "
              "print(read.rows, 'pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, DEALS], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split() == ["1", "False"], done.stderr


def test_ingest_package_names_resolve_on_first_use():
    from queries import ingest

    for name in ingest.__all__:
        assert getattr(ingest, name) is not None
    assert ingest.commit.__module__ == "queries.ingest.core" and ingest.core.commit is ingest.commit
    try:
        ingest.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no attribute 'no_such_name'" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


def files_in(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file of a folder with its size, modification time and content hash."""
    import hashlib

    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.slow
def test_cli_never_creates_a_missing_database(tmp_path):
    good = tmp_path / "deals.csv"
    good.write_text(DEALS)
    missing = tmp_path / "new.duckdb"
    for args in (["--table", "deals", "--dry-run", str(good)], ["--table", "deals", str(good)], ["--list"],
                 ["--undo", "imp-x"]):
        done = cli("--db", str(missing), *args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr == (f"error: {missing}: no such database; create it with: python -m queries.db init "
                               f"{missing}\n")
        assert done.stdout == ""
        assert sorted(p.name for p in tmp_path.iterdir()) == ["deals.csv"], args


@pytest.mark.slow
def test_cli_dry_run_leaves_the_database_file_untouched(make_db, tmp_path):
    path = make_db("base.sql")
    good, bad = tmp_path / "deals.csv", tmp_path / "bad.csv"
    good.write_text(DEALS)
    bad.write_text(DEALS.replace("900", "nine hundred"))
    before = files_in(path.parent)
    done = cli("--db", str(path), "--table", "deals", "--dry-run", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "dry run: 1 rows would be imported into deals (0 already exist); nothing was written\n"
    refused = cli("--db", str(path), "--table", "deals", "--dry-run", str(bad))
    assert refused.returncode == 1 and "row 2, column 'amount': not an amount" in refused.stdout
    assert files_in(path.parent) == before


@pytest.mark.slow
def test_cli_problem_report_starts_with_a_tally_by_column_and_kind(make_db, tmp_path):
    # 55 unreadable dates come first by row; the 3 unknown reps after them are past the first 50 problems.
    rows = [f"D{i},Acme,R1,SMB,yesterday,proposal,100" for i in range(55)]
    rows += [f"E{i},Acme,R9,SMB,2026-03-01,proposal,100" for i in range(3)]
    bad = tmp_path / "deals.csv"
    bad.write_text("deal_id,account,owner_rep_id,segment,created_at,stage,amount\n" + "\n".join(rows) + "\n")
    done = cli("--db", str(make_db("base.sql")), "--table", "deals", str(bad))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[:4] == [
        "58 problems, by column and kind:",
        "  created_at: 55 not a date, first on row 2 ('yesterday')",
        "  owner_rep_id: 3 unknown rep, first on row 57 ('R9')",
        "The first 50 by row:"]
    assert lines[4] == "row 2, column 'created_at': not a date and time in the format %Y-%m-%d"
    assert len(lines) == 4 + 50 + 1 and not any("R9" in line or "unknown" in line for line in lines[4:])
    assert lines[-1] == "58 problems in total; nothing was imported."


@pytest.mark.slow
def test_cli_suggest_prints_a_mapping_to_edit_and_writes_it(make_db, tmp_path):
    pipeline, products = FIXTURES / "crm_sales_pipeline.csv", FIXTURES / "crm_products.csv"
    shown = cli("--table", "deals", "--suggest", "--join", f"products={products}", str(pipeline))
    assert shown.returncode == 0, shown.stderr
    import tomllib

    suggested = tomllib.loads(shown.stdout)
    assert suggested["columns"] == {
        "deal_id": "opportunity_id", "account": "account", "owner_rep_id": "sales_agent", "product": "product",
        "created_at": "engage_date", "close_date": "close_date", "stage": "deal_stage",
        "amount": ["close_value", "products.sales_price"]}
    assert suggested["values"] == {"stage": {"Engaging": "qualification"}}
    assert suggested["joins"]["products"]["on"] == {"product": "product"}
    assert suggested["options"] == {"date_format": "%Y-%m-%d"}
    assert shown.stdout.startswith("# Suggested for the deals table from the header of crm_sales_pipeline.csv: "
                                   "8 of 11 columns found.")
    assert '# lead_id = ""' in shown.stdout and "# not found in the header" in shown.stdout
    out = tmp_path / "maps" / "deals.toml"
    out.parent.mkdir()
    written = cli("--table", "deals", "--suggest", "--join", f"products={products}", "--out", str(out),
                  str(pipeline))
    assert written.returncode == 0 and written.stdout == ""
    assert written.stderr.endswith(f"{out}: 8 of 11 columns suggested\n")
    saved = ingest_loads(out)
    assert (out.parent / saved.joins["products"].file).resolve() == products.resolve()  # relative to the mapping
    again = cli("--table", "deals", "--suggest", "--out", str(out), str(pipeline))
    assert again.returncode == 2 and "exists; choose a new file name" in again.stderr
    # The written mapping imports as it is: its join file is found from where the mapping is.
    path = str(make_db("base.sql"))
    reps = cli("--db", path, "--table", "reps", "--mapping", str(ROOT / "sample_data/mappings/crm_sample_reps.toml"),
               str(FIXTURES / "crm_sales_teams.csv"))
    assert reps.returncode == 0, reps.stdout + reps.stderr
    dry = cli("--db", path, "--table", "deals", "--mapping", str(out), "--dry-run", str(pipeline))
    tally = [line for line in dry.stdout.splitlines() if line.startswith("  ")]
    # Only what the sample itself leaves unknown, while the table requires it: no rep, join or stage problem.
    assert all(line.split(":")[0].strip() in {"segment", "account", "created_at (engage_date)",
                                              "amount (close_value or products.sales_price)"} for line in tally), tally
    assert dry.returncode == (1 if tally else 0)
    assert dry.stdout.splitlines()[-1] == ("note: 1 row with a product that crm_products.csv does not list (e.g. "
                                           "'GTXPro': 1 row): nothing is taken from crm_products.csv for them")


def ingest_loads(path: Path):
    from queries import ingest

    return ingest.loads(path.read_text())


@pytest.mark.slow
def test_cli_join_files_missing_or_with_repeated_keys(make_db, tmp_path):
    path = str(make_db("base.sql"))
    mapping = ROOT / "sample_data" / "mappings" / "crm_sample_deals.toml"
    pipeline = tmp_path / "sales_pipeline.csv"
    pipeline.write_bytes((FIXTURES / "crm_sales_pipeline.csv").read_bytes())
    missing = cli("--db", path, "--table", "deals", "--mapping", str(mapping), "--dry-run", str(pipeline))
    assert missing.returncode == 2
    assert missing.stderr == ("error: products.csv, the second file of join products, is neither beside the mapping "
                              "nor beside sales_pipeline.csv; name it with --join products=FILE\n")
    unknown = cli("--db", path, "--table", "deals", "--mapping", str(mapping), "--join", "teams=x.csv", str(pipeline))
    assert unknown.returncode == 2 and "the mapping has no [joins.teams] (it has: products)" in unknown.stderr
    (tmp_path / "products.csv").write_text("product,series,sales_price\nGTX Basic,GTX,550\nGTX Basic,GTX,560\n")
    repeated = cli("--db", path, "--table", "deals", "--mapping", str(mapping), str(pipeline))  # found beside it
    assert repeated.returncode == 1
    assert repeated.stdout.splitlines()[:2] == [
        "1 problems, by column and kind:", "  products.csv: product: 1 duplicate key, first on row 3 ('GTX Basic')"]
    assert ("products.csv, row 3, column 'product': duplicate key: the same product is on row 2; a second file needs "
            "one row per key") in repeated.stdout
