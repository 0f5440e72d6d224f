"""`python -m queries.db init`: an empty database with the company's own settings; nothing ever overwritten."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from queries import common, db, settings
from queries.db import __main__ as init_command

ROOT = Path(__file__).resolve().parents[2]


def test_init_creates_an_empty_database_with_the_given_settings(tmp_path, capsys):
    path = tmp_path / "acme.duckdb"
    assert init_command.main(["init", str(path), "--company", "Acme GmbH", "--currency", "eur",
                              "--fiscal-year-start", "2"]) == 0
    assert f"at {path}" in capsys.readouterr().out
    con = db.connect(path, read_only=True)
    try:
        chosen = settings.load(con)
        assert (chosen.company_name, chosen.currency, chosen.fiscal_year_start_month) == ("Acme GmbH", "EUR", 2)
        assert chosen.stage_probabilities == settings.seed().stage_probabilities
        rows = common.table_rows(con)
        assert len(rows) == 10 and rows.row_count.sum() == 0
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == db.SCHEMA_VERSION
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.duckdb"]  # nothing else left behind


def test_init_never_overwrites_a_file(tmp_path, capsys):
    path = tmp_path / "mine.duckdb"
    path.write_bytes(b"somebody's data")
    assert init_command.main(["init", str(path)]) == 1
    assert "already there" in capsys.readouterr().err
    assert path.read_bytes() == b"somebody's data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.duckdb"]


@pytest.mark.parametrize("args, named", [(["--currency", "EURO"], "company.currency"),
                                         (["--fiscal-year-start", "13"], "company.fiscal_year_start_month")])
def test_init_refuses_an_invalid_value_and_creates_nothing(tmp_path, capsys, args, named):
    path = tmp_path / "acme.duckdb"
    assert init_command.main(["init", str(path), *args]) == 1
    assert named in capsys.readouterr().err
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_init_names_a_missing_folder(tmp_path, capsys):
    assert init_command.main(["init", str(tmp_path / "no" / "such.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.slow
def test_init_runs_as_a_module_with_a_usage_error_for_a_bad_call(tmp_path):
    done = subprocess.run([sys.executable, "-m", "queries.db", "init", str(tmp_path / "x.duckdb"), "--company",
                           "Ünïcode & Co"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    con = db.connect(tmp_path / "x.duckdb", read_only=True)
    try:
        assert settings.load(con).company_name == "Ünïcode & Co"
    finally:
        con.close()
    usage = subprocess.run([sys.executable, "-m", "queries.db"], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
    assert usage.returncode == 2 and "init" in usage.stderr
