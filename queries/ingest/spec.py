"""What each importable table accepts: columns, kinds, required fields, vocabularies, ranges, keys and references.

This is the fixed dictionary every identifier in ingest SQL comes from; nothing typed by a user ever
becomes an identifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds a value is parsed as (see typed.sql).
KINDS = ("text", "int", "money", "double", "date", "month", "timestamp", "bool")
SQL_TYPES = {"text": "VARCHAR", "int": "BIGINT", "money": "DECIMAL(18, 4)", "double": "DOUBLE", "date": "DATE",
             "month": "DATE", "timestamp": "TIMESTAMP", "bool": "BOOLEAN"}
NUMERIC_KINDS = ("int", "money", "double")
# What an import does with ids the table already has: refuse them (insert) or update those rows (upsert).
MODES = ("insert", "upsert")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] | None = None
    min_value: float | None = None
    references: str | None = None  # the referenced table (its single-column key)
    default: str | None = None  # the schema's own default, as text
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    date_column: str | None = None  # the column health reports coverage on
    # Checks across columns of one row: (column named in the message, SQL condition that must hold, message).
    row_rules: tuple[tuple[str, str, str], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, kind: str = "text", **kw) -> Column:
    return Column(name, kind, **kw)


STAGES = ("prospecting", "qualification", "proposal", "negotiation", "won", "lost")
BRAND_METRICS = ("aided_awareness", "unaided_awareness", "consideration", "share_of_voice", "share_of_search",
                 "branded_search", "web_visits")
TOPICS = ("product", "price", "place", "promotion", "lead_quality", "other")
PLAN_TEAMS = ("marketing", "sales", "joint")

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("reps", (
        _c("rep_id", required=True, description="sales rep id"),
        _c("name", required=True), _c("team"), _c("region"), _c("manager"),
        _c("active", "bool", required=True, default="true", description="false for reps who left"),
    ), key=("rep_id",)),
    Table("campaigns", (
        _c("campaign_id", required=True), _c("name", required=True), _c("channel"),
        _c("objective", choices=("brand", "demand")),
        _c("product"), _c("price_point"), _c("place"), _c("promotion"),
        _c("start_date", "date"), _c("end_date", "date"),
        _c("budget", "money", min_value=0), _c("owner"),
    ), key=("campaign_id",), date_column="start_date",
        row_rules=(("end_date", "end_date >= start_date", "the end date is before the start date"),)),
    Table("campaign_spend", (
        _c("campaign_id", required=True, references="campaigns"), _c("day", "date", required=True),
        _c("spend", "money", required=True, min_value=0),
        _c("impressions", "int", min_value=0), _c("clicks", "int", min_value=0), _c("reach", "int", min_value=0),
    ), key=("campaign_id", "day"), date_column="day"),
    Table("brand_metrics", (
        _c("month", "month", required=True), _c("metric", required=True, choices=BRAND_METRICS),
        _c("region", required=True, description="a region code, or all"),
        _c("value", "double", required=True, min_value=0), _c("source"),
    ), key=("month", "metric", "region"), date_column="month"),
    Table("leads", (
        _c("lead_id", required=True), _c("created_at", "timestamp"),
        _c("campaign_id", references="campaigns"), _c("channel"), _c("region"),
        _c("segment"), _c("industry"), _c("company"), _c("owner_rep_id", references="reps"),
        _c("mql_at", "timestamp"), _c("sal_at", "timestamp"), _c("sql_at", "timestamp"),
        _c("rejected_at", "timestamp"), _c("reject_reason"), _c("first_contact_at", "timestamp"),
        _c("contact_attempts", "int", min_value=0),
    ), key=("lead_id",), date_column="created_at", row_rules=(
        ("mql_at", "mql_at IS NULL OR mql_at >= created_at", "the MQL time is before the lead was created"),
        ("sal_at", "sal_at IS NULL OR mql_at IS NOT NULL", "a lead accepted by sales needs an MQL time"),
        ("rejected_at", "rejected_at IS NULL OR mql_at IS NOT NULL", "a rejected lead needs an MQL time"),
    )),
    Table("touches", (
        _c("lead_id", required=True, references="leads"), _c("campaign_id", required=True, references="campaigns"),
        _c("touched_at", "timestamp", required=True),
    ), date_column="touched_at"),
    Table("deals", (
        _c("deal_id", required=True), _c("lead_id", references="leads"), _c("account"),
        _c("owner_rep_id", required=True, references="reps"), _c("product"), _c("segment"),
        _c("created_at", "timestamp"), _c("close_date", "date", description="the close date, or the expected one"),
        _c("stage", required=True, choices=STAGES),
        _c("amount", "money", min_value=0, description="required for a won deal; may be empty for the others"),
        _c("loss_reason"),
    ), key=("deal_id",), date_column="created_at", row_rules=(
        ("close_date", "stage NOT IN ('won', 'lost') OR close_date IS NOT NULL",
         "a won or lost deal needs a close date"),
        ("close_date", "close_date IS NULL OR close_date >= CAST(created_at AS DATE)",
         "the close date is before the deal was created"),
        ("amount", "stage <> 'won' OR amount IS NOT NULL", "a won deal needs an amount"),
    )),
    Table("quotas", (
        _c("rep_id", required=True, references="reps"), _c("month", "month", required=True),
        _c("amount", "money", required=True, min_value=0),
    ), key=("rep_id", "month"), date_column="month"),
    Table("targets", (
        _c("month", "month", required=True), _c("metric", required=True),
        _c("team", required=True, choices=PLAN_TEAMS), _c("value", "double", required=True),
        _c("updated_at", "timestamp"), _c("updated_by"),
    ), key=("month", "metric", "team"), date_column="month"),
    Table("feedback", (
        _c("feedback_id", required=True), _c("created_at", "timestamp", required=True), _c("author"), _c("team"),
        _c("campaign_id", references="campaigns"), _c("deal_id", references="deals"),
        _c("topic", required=True, choices=TOPICS), _c("sentiment", "int", required=True, choices=("-1", "0", "1")),
        _c("body", required=True),
    ), key=("feedback_id",), date_column="created_at"),
)}

# Which columns refer to each table with a single-column key: undo refuses while such rows exist.
DEPENDENTS: dict[str, tuple[tuple[str, str], ...]] = {
    parent: tuple((t.name, c.name) for t in TABLES.values() for c in t.columns if c.references == parent)
    for parent in ("reps", "campaigns", "leads", "deals")
}


def table(name: str) -> Table:
    """The spec of an importable table, or a TandemError-worthy ValueError naming the allowed ones."""
    if name not in TABLES:
        raise ValueError(f"{name!r} is not an importable table; choose one of {', '.join(TABLES)}")
    return TABLES[name]
