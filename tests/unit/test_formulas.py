"""The metric formulas: each written once, in queries/sql/formulas.sql, as a macro every connection has, every SQL file
calls and the registry names; a formula written out anywhere else fails here."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from queries import db, metrics
from queries.db import formulas

FORMULAS_FILE = db.SQL_DIR / "formulas.sql"
_COMMENT = re.compile(r"--[^\n]*")

# What each formula looks like written out, and a copy of it as SQL files wrote it before it became a macro (so the
# pattern is known to catch one). Matched on SQL without comments, its whitespace runs made one space.
WRITTEN_OUT: list[tuple[str, str, str]] = [
    ("win_rate", r"/ nullif\(\(?[\w.]+ \+ [\w.]+\)?, 0\)", "won_count / nullif(won_count + lost_count, 0) AS win_rate"),
    ("win_rate", r"FILTER \(WHERE \w*won\w*\) / count\(\*\)", "count(*) FILTER (WHERE won) / count(*) AS win_rate"),
    ("required_coverage", r"\+ [\w.]+\) / nullif\([\w.]*won", "(won_n + lost_n) / nullif(won_n, 0)"),
    ("coverage", r"open_pipeline / nullif\(", "open_pipeline / nullif(greatest(quota - booked_to_date, 0), 0)"),
    ("win_rate_value", r"won_amount\b.{0,30} / .{0,30}closed_amount",
     "CAST(c.won_amount AS DOUBLE) / CAST(nullif(c.closed_amount, 0) AS DOUBLE) AS win_rate_value"),
    ("attainment", r"booked\w*.{0,30} / .{0,20}nullif\([\w.]*quota",
     "CAST(coalesce(booked.booked, 0) AS DOUBLE) / CAST(nullif(quota.quota, 0) AS DOUBLE) AS attainment"),
    ("attainment", r"booked\w*.{0,30} / .{0,20}nullif\([\w.]*quota", "booked_to_date / nullif(quota, 0)"),
    ("sql_rate", r"\bsqls / nullif\([\w.]*mqls", "s.sqls / nullif(s.mqls, 0) AS sql_rate"),
    ("sql_rate", r"FILTER \(WHERE reached_sql\) / count\(\*\)", "count(*) FILTER (WHERE reached_sql) / count(*)"),
    ("sql_rate", r"reached\b[\w.]*(, 0\))? / nullif\(", "coalesce(m.reached, 0) / nullif(m.leads, 0) AS sql_rate"),
    ("reached_sql", r"sql_at IS NOT NULL OR [\w.]*has_deal", "l.sql_at IS NOT NULL OR l.has_deal"),
    ("reached_sal", r"sal_at IS NOT NULL OR [\w.]*sql_at IS NOT NULL",
     "sal_at IS NOT NULL OR sql_at IS NOT NULL OR has_deal AS accepted"),
    ("brand_sales_months", r"\bregr_(slope|intercept)\(",
     "brand_value - (regr_intercept(brand_value, idx) OVER () + regr_slope(brand_value, idx) OVER () * idx)"),
    ("brand_sales_months", r"year\(\w+\) \* 12 \+ month\(",
     "year(created_at) * 12 + month(created_at) - 1 AS month_key"),
    ("funnel_stages", r"\(\d, 'sal'\)", "(3, 'mql'), (4, 'sal'), (5, 'sql'), (6, 'opportunity'), (7, 'won'))"),
    ("funnel_stages", r"nullif\(lag\(count\)", "CAST(count AS DOUBLE) / nullif(lag(count) OVER (PARTITION BY grp"),
    ("u_shaped_weight", r"u_middle / \(n - 2\)", "CASE WHEN pos > 1 AND pos < n THEN u_middle / (n - 2) ELSE 0 END"),
    ("w_shaped_weight", r"\* w_mql / 2", "(CAST(pos = 1 AS INTEGER) + CAST(pos = n AS INTEGER)) * w_mql / 2"),
    ("w_shaped_weight", r"w_rest / ", "THEN w_rest / w_rest_count"),
    ("time_decay_weight", r"pow\(2(\.0)?, -", "pow(2.0, -days_after_latest / half_life_days) AS time_decay"),
    ("mql_rate", r"mqls / nullif\([\w.]*leads", "s.dated_mqls / nullif(s.leads, 0) AS mql_rate"),
    ("acceptance_rate", r"accepted / nullif\(", "p.accepted / nullif(p.mqls, 0) AS pct_accepted"),
    ("sourced_share", r"sourced\w*.{0,30} / .{0,20}nullif\([\w.]*pipeline",
     "CAST(coalesce(c.marketing_sourced, 0) AS DOUBLE) / CAST(nullif(c.pipeline_created, 0) AS DOUBLE)"),
    ("pipeline_per_sql", r"pipeline\w*.{0,20} / nullif\([\w.]*sqls",
     "CAST(p.sourced_pipeline AS DOUBLE) / nullif(s.sqls, 0) AS pipeline_per_sql"),
    ("ctr", r"clicks.{0,40} / nullif\([\w.]*impressions",
     "CAST(clicks - clicks_without_impressions AS DOUBLE) / nullif(impressions - impressions_without_clicks, 0)"),
    ("cost_per_lead", r"spend.{0,20} / nullif\([\w.]*leads",
     "CAST(spend AS DOUBLE) / nullif(leads, 0) AS cost_per_lead"),
    ("roi", r"revenue - [\w.]*spend.{0,20} / ",
     "CAST(won_revenue - spend AS DOUBLE) / nullif(CAST(spend AS DOUBLE), 0) AS roi"),
    ("rounded_credit", r"round\(CAST\(amount AS DOUBLE\) \*",
     "CAST(round(CAST(amount AS DOUBLE) * w_linear, 2) AS DECIMAL(18, 2)) AS c_linear"),
    ("touch_credit", r"FILTER \(WHERE top_\w+\)", "min(pos) FILTER (WHERE top_linear) AS p_linear"),
    ("touch_credit", r"/ t_\w+ AS w_", "linear / t_linear AS w_linear"),
]


def _code(path: Path) -> str:
    return " ".join(_COMMENT.sub("", path.read_text()).split())


def _other_sql_files() -> list[Path]:
    return sorted(p for p in db.SQL_DIR.rglob("*.sql") if p != FORMULAS_FILE)


@pytest.mark.parametrize(("macro", "pattern", "example"), WRITTEN_OUT, ids=[f"{m}:{e[:30]}" for m, _, e in WRITTEN_OUT])
def test_formulas_no_sql_file_writes_a_formula_out(macro, pattern, example):
    compiled = re.compile(pattern)
    assert compiled.search(" ".join(example.split())), f"the {macro} pattern misses a written-out copy"
    found = [p.relative_to(db.SQL_DIR).as_posix() for p in _other_sql_files() if compiled.search(_code(p))]
    assert not found, f"{macro} is written out in {found}: call formulas.{macro}(…) instead"


def test_formulas_every_pattern_names_a_macro_of_the_file():
    assert {macro for macro, _, _ in WRITTEN_OUT} <= set(formulas.names())


def _bodies() -> dict[str, str]:
    """Each macro of formulas.sql → its definition's text (comments out, whitespace made one space)."""
    parts = re.split(r"(?=CREATE OR REPLACE MACRO formulas\.)", _code(FORMULAS_FILE))
    return {re.match(r"CREATE OR REPLACE MACRO formulas\.(\w+)", part).group(1): part
            for part in parts if part.startswith("CREATE")}


def test_formulas_every_macro_is_called_by_some_sql_file():
    # Called by a query's SQL file, or by a macro that is (the weights are formulas.touch_credit's parts).
    code = " ".join(_code(p) for p in _other_sql_files())
    bodies = _bodies()
    used = {name for name in formulas.names() if f"formulas.{name}(" in code}
    while grown := {name for name in formulas.names() if name not in used
                    and any(f"formulas.{name}(" in bodies[caller] for caller in used)}:
        used |= grown
    assert [name for name in formulas.names() if name not in used] == []


@pytest.mark.slow
def test_formulas_connection_has_every_macro_of_the_file(base_con):
    with base_con.cursor() as cur:  # a cursor, as every query runs: the macros are the database's, not one cursor's
        defined = {name for (name,) in cur.execute(
            "SELECT function_name FROM duckdb_functions() WHERE database_name = 'formulas'").fetchall()}
    assert defined == set(formulas.names())


@pytest.mark.slow
def test_formulas_read_only_connection_and_a_second_one_have_them(make_db):
    path = make_db("base.sql")
    con = db.connect(path, read_only=True)
    try:
        again = db.connect(path, read_only=True)  # the same database in this process: found already loaded
        try:
            row = db.run_sql(again, "SELECT formulas.win_rate(3, 1) AS w, formulas.attainment(5, 0) AS a")
        finally:
            again.close()
        assert row.w[0] == 0.75 and row.a.isna()[0]
    finally:
        con.close()


@pytest.mark.slow
def test_formulas_load_concurrently_once(make_db):
    path = make_db("base.sql")
    con = db.connect(path)
    try:
        db.run_sql(con, "DETACH formulas")
        errors = []

        def load():
            try:
                formulas.load(con)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert db.run_sql(con, "SELECT formulas.sql_rate(1, 4) AS r").r[0] == 0.25
    finally:
        con.close()


def test_formulas_keep_null_where_a_denominator_is_zero(base_con):
    row = db.run_sql(base_con, """
        SELECT formulas.win_rate(0, 0) AS win_rate, formulas.required_coverage(0, 3) AS required_coverage,
               formulas.coverage(10.0, 0) AS coverage, formulas.win_rate_value(5, 0) AS win_rate_value,
               formulas.attainment(5, 0) AS attainment, formulas.sql_rate(2, 0) AS sql_rate,
               formulas.reached_mql(NULL, NULL, NULL, false) AS reached_mql,
               formulas.reached_sal(NULL, TIMESTAMP '2026-01-01', false) AS reached_sal""")
    first = row.iloc[0]
    assert first[["win_rate", "required_coverage", "coverage", "win_rate_value", "attainment", "sql_rate"]].isna().all()
    assert not first.reached_mql and first.reached_sal


def test_registry_every_named_macro_is_defined_and_called_by_its_query():
    named = {m.key: m.macro for m in metrics.all_metrics() if m.macro}
    assert named, "no metric names its macro"
    for key, macro in named.items():
        assert macro in formulas.names(), key
        module, function = metrics.get(key).query.rsplit(".", 1)
        sql = db.SQL_DIR / module.split(".")[-1] / f"{function}.sql"
        assert f"formulas.{macro}(" in _code(sql), f"{sql.name} does not call formulas.{macro}"


def test_registry_rejects_a_macro_formulas_sql_does_not_define():
    raw = {"name": "X", "definition": "d", "formula": "f", "unit": "pct", "owner": "sales", "direction": "higher",
           "query": "queries.deals.summary", "column": "win_rate", "pages": ["quota"], "macro": "no_such_macro"}
    with pytest.raises(metrics.RegistryError, match="no_such_macro"):
        metrics._parse_metric("x", raw, "metrics.toml")


def test_formulas_a_database_file_named_like_the_catalog_is_refused_with_a_sentence(make_db, tmp_path):
    named = tmp_path / "formulas.duckdb"
    make_db("base.sql").rename(named)
    with pytest.raises(db.DatabaseError, match="rename the file"):
        db.connect(named)


@pytest.mark.slow
def test_formulas_postgres_connection_has_every_macro(make_db):
    import pg

    from queries import backend

    pg.require_postgres()
    dsn = pg.shared_cluster().create_database()
    backend.load_file(make_db("base.sql"), dsn)
    con = db.connect(dsn, read_only=True)
    try:
        with con.cursor() as cur:
            defined = {name for (name,) in cur.execute(
                "SELECT function_name FROM duckdb_functions() WHERE database_name = 'formulas'").fetchall()}
        assert defined == set(formulas.names())
        assert db.run_sql(con, "SELECT formulas.win_rate(1, 3) AS w").w[0] == 0.25
    finally:
        con.close()
