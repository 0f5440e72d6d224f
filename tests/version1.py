"""A Tandem file as schema version 1 wrote it (keys on the fact tables), made from a fixture database."""

from __future__ import annotations

from pathlib import Path

import duckdb

# The four tables as schema version 1 created them: keys and references on the fact tables.
VERSION_1_TABLES = {
    "leads": """CREATE TABLE leads (
    lead_id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, campaign_id VARCHAR REFERENCES campaigns (campaign_id),
    channel VARCHAR NOT NULL, region VARCHAR NOT NULL, segment VARCHAR NOT NULL, industry VARCHAR, company VARCHAR,
    owner_rep_id VARCHAR REFERENCES reps (rep_id), mql_at TIMESTAMP, sal_at TIMESTAMP, sql_at TIMESTAMP,
    rejected_at TIMESTAMP, reject_reason VARCHAR, first_contact_at TIMESTAMP,
    contact_attempts INTEGER NOT NULL DEFAULT 0 CHECK (contact_attempts >= 0),
    batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
    "touches": """CREATE TABLE touches (
    lead_id VARCHAR NOT NULL REFERENCES leads (lead_id),
    campaign_id VARCHAR NOT NULL REFERENCES campaigns (campaign_id),
    touched_at TIMESTAMP NOT NULL, batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
    "deals": """CREATE TABLE deals (
    deal_id VARCHAR PRIMARY KEY, lead_id VARCHAR REFERENCES leads (lead_id), account VARCHAR NOT NULL,
    owner_rep_id VARCHAR NOT NULL REFERENCES reps (rep_id), product VARCHAR, segment VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL, close_date DATE, stage VARCHAR NOT NULL, amount DECIMAL(14, 2) NOT NULL,
    loss_reason VARCHAR, batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
    "feedback": """CREATE TABLE feedback (
    feedback_id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, author VARCHAR, team VARCHAR,
    campaign_id VARCHAR REFERENCES campaigns (campaign_id), deal_id VARCHAR REFERENCES deals (deal_id),
    topic VARCHAR NOT NULL, sentiment INTEGER NOT NULL, body VARCHAR NOT NULL,
    batch_id VARCHAR NOT NULL DEFAULT 'sample')""",
}
FACT_TABLES = ("leads", "touches", "deals", "feedback")
KEYS = ("SELECT table_name, constraint_type FROM duckdb_constraints() "
        "WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY') AND table_name IN ('leads', 'touches', 'deals', "
        "'feedback') ORDER BY ALL")


def make(path: Path) -> dict[str, list]:
    """Turn a fixture database into a version 1 file with the same rows; returns every row of the four tables."""
    con = duckdb.connect(str(path))
    rows = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in FACT_TABLES}
    for t in FACT_TABLES:
        con.execute(f"CREATE TEMP TABLE keep_{t} AS SELECT * FROM {t}")
    for t in ("feedback", "touches", "deals", "leads"):
        con.execute(f"DROP TABLE {t}")
    for t in ("leads", "deals", "touches", "feedback"):
        con.execute(VERSION_1_TABLES[t])
        con.execute(f"INSERT INTO {t} SELECT * FROM keep_{t}")
    con.execute("DROP TABLE settings")  # version 1 kept the settings in a file
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert len(con.execute(KEYS).fetchall()) == 11
    con.close()
    return rows
