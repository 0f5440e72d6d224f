"""Suggestions that know real CRM exports: columns by the names HubSpot, Salesforce, Pipedrive and the CRM sample give
them, stage values by common CRM stage names, and a note per column saying why."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from queries import ingest
from queries.ingest import mapping, names

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "sample_data" / "mappings"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"

# Each export fixture (the export's own header), its table, and what is suggested from that header alone.
SUGGESTED = {
    "hubspot_deals.csv": ("deals", {
        "deal_id": "Record ID", "account": "Associated Company", "owner_rep_id": "Deal owner",
        "created_at": "Create Date", "close_date": "Close Date", "stage": "Deal Stage", "amount": "Amount",
        "loss_reason": "Closed Lost Reason"}),
    "hubspot_contacts.csv": ("leads", {
        "lead_id": "Record ID", "created_at": "Create Date", "channel": "Original Source", "region": "Country/Region",
        "industry": "Industry", "company": "Company Name", "owner_rep_id": "Contact owner",
        "mql_at": "Became a Marketing Qualified Lead Date", "sql_at": "Became a Sales Qualified Lead Date"}),
    "salesforce_opportunities.csv": ("deals", {
        "deal_id": "Opportunity ID", "account": "Account Name", "owner_rep_id": "Opportunity Owner",
        "created_at": "Created Date", "close_date": "Close Date", "stage": "Stage", "amount": "Amount"}),
    "salesforce_leads.csv": ("leads", {
        "lead_id": "Lead ID", "created_at": "Create Date", "channel": "Lead Source", "region": "Country",
        "industry": "Industry", "company": "Company / Account", "owner_rep_id": "Lead Owner"}),
    "pipedrive_deals.csv": ("deals", {
        "deal_id": "Deal - ID", "account": "Deal - Organization", "owner_rep_id": "Deal - Owner",
        "created_at": "Deal - Deal created", "close_date": "Deal - Expected close date", "stage": "Deal - Stage",
        "amount": "Deal - Value", "loss_reason": "Deal - Lost reason"}),
    "crm_sales_pipeline.csv": ("deals", {
        "deal_id": "opportunity_id", "account": "account", "owner_rep_id": "sales_agent", "product": "product",
        "created_at": "engage_date", "close_date": "close_date", "stage": "deal_stage", "amount": "close_value"}),
    "crm_sales_teams.csv": ("reps", {
        "rep_id": "sales_agent", "name": "sales_agent", "region": "regional_office", "manager": "manager"}),
    "crm_products.csv": ("deals", {"product": "product", "amount": "sales_price"}),
}
# The ready mapping for each export fixture.
READY = {"hubspot_deals.csv": "hubspot_deals.toml", "hubspot_contacts.csv": "hubspot_contacts.toml",
         "salesforce_opportunities.csv": "salesforce_opportunities.toml",
         "salesforce_leads.csv": "salesforce_leads.toml", "pipedrive_deals.csv": "pipedrive_deals.toml",
         "crm_sales_pipeline.csv": "crm_sample_deals.toml", "crm_sales_teams.csv": "crm_sample_reps.toml"}


def header(name: str) -> list[str]:
    return ingest.read_source((FIXTURES / name).read_bytes(), name=name).columns


@pytest.mark.parametrize("fixture", sorted(SUGGESTED))
def test_suggestions_for_each_known_export_header(fixture):
    table, expected = SUGGESTED[fixture]
    assert ingest.suggest(header(fixture), table=table).columns == expected


@pytest.mark.parametrize("fixture", sorted(READY))
def test_suggestions_agree_with_the_ready_mapping(fixture):
    """Where a ready mapping maps a column to one file column, the suggestion from the header names the same one."""
    table, _ = SUGGESTED[fixture]
    ready = ingest.loads((MAPPINGS / READY[fixture]).read_text()).columns
    suggested = ingest.suggest(header(fixture), table=table).columns
    plain = {c: v for c, v in ready.items() if isinstance(v, str)}
    assert {c: v for c, v in suggested.items() if c in plain} == {c: v for c, v in plain.items() if c in suggested}
    assert len(set(suggested) & set(plain)) >= len(plain) - 1  # at most one column is the mapping's own choice


def test_suggestions_note_why_or_what_is_missing():
    suggestion = ingest.explain(header("crm_sales_pipeline.csv"), table="deals")
    assert suggestion.notes == {
        "deal_id": "named so in the CRM Sales Opportunities sample's sales_pipeline.csv",
        "lead_id": "not found in the header",
        "account": "same name",
        "owner_rep_id": "named so in the CRM Sales Opportunities sample's sales_pipeline.csv",
        "product": "same name",
        "segment": suggestion.notes["segment"],  # required or not, as the table says (below)
        "created_at": "named so in the CRM Sales Opportunities sample's sales_pipeline.csv",
        "close_date": "same name",
        "stage": "named so in the CRM Sales Opportunities sample's sales_pipeline.csv",
        "amount": "named so in the CRM Sales Opportunities sample's sales_pipeline.csv",
        "loss_reason": "not found in the header",
    }
    segment = ingest.TABLES["deals"].column("segment")
    assert suggestion.notes["segment"] == ("required, not found: map a file column or set a constant under [defaults]"
                                           if segment.required else "not found in the header")
    reps = ingest.explain(header("crm_sales_teams.csv"), table="reps")
    assert reps.notes["name"] == "the same column as rep_id: the file has none of its own for it"
    assert reps.notes["active"] == "not found in the header: true unless set under [defaults]"
    assert ingest.explain(["Deal owner"], table="deals").notes["owner_rep_id"] == "named so in HubSpot's deals export"
    assert ingest.explain(["Amount (EUR)"], table="deals").notes["amount"] == (
        "'Amount (EUR)' is like 'amount' (80% similar)")


def test_suggestions_with_a_joined_second_file():
    joins = {"products": ingest.Join(on={"product": "product"}, file="products.csv")}
    columns = [*header("crm_sales_pipeline.csv"), "products.product", "products.series", "products.sales_price"]
    suggestion = ingest.explain(columns, table="deals", joins=joins)
    assert suggestion.mapping.columns["amount"] == ["close_value", "products.sales_price"]
    assert suggestion.mapping.columns["product"] == "product"  # the join's key is not offered as a column
    assert suggestion.mapping.joins == joins
    # A column the file does not have at all comes from the second file alone.
    only = ingest.explain(["opportunity_id", "product", "products.sales_price"], table="deals", joins=joins)
    assert only.mapping.columns == {"deal_id": "opportunity_id", "product": "product",
                                    "amount": "products.sales_price"}


def test_suggestions_join_key_is_a_column_both_files_name_alike():
    assert ingest.join_key(["opportunity_id", "Product"], ["product", "series"]) == {"Product": "product"}
    assert ingest.join_key(["a", "team", "region"], ["Team", "Region"], unique=["Region"]) == {"region": "Region"}
    assert ingest.join_key(["a"], ["b"]) is None


STAGE_NAMES = {
    # Salesforce's default stages
    "Prospecting": None, "Qualification": None, "Needs Analysis": "qualification", "Value Proposition": "proposal",
    "Id. Decision Makers": "proposal", "Perception Analysis": "proposal", "Proposal/Price Quote": "proposal",
    "Negotiation/Review": "negotiation", "Closed Won": "won", "Closed Lost": "lost",
    # HubSpot's default pipeline, by label and by internal id
    "Appointment Scheduled": "prospecting", "Qualified To Buy": "qualification", "Presentation Scheduled": "proposal",
    "Decision Maker Bought-In": "negotiation", "Contract Sent": "negotiation", "decisionmakerboughtin": "negotiation",
    "closedwon": "won", "appointmentscheduled": "prospecting",
    # Pipedrive's default pipeline
    "Lead In": "prospecting", "Qualified": "qualification", "Contact Made": "qualification",
    "Demo Scheduled": "qualification", "Proposal Made": "proposal", "Negotiations Started": "negotiation",
    # The CRM sample
    "Engaging": "qualification", "Won": None, "Lost": None,
}


def test_suggestions_for_common_crm_stage_names():
    suggested = ingest.suggest_values(list(STAGE_NAMES), ingest.TABLES["deals"].column("stage").choices,
                                      column="stage")
    # Names already in the vocabulary (any case) need no mapping and are left out.
    assert suggested == {k: v for k, v in STAGE_NAMES.items() if v is not None}


def test_suggestions_stage_names_fall_back_to_spelling_for_unknown_names():
    choices = ingest.TABLES["deals"].column("stage").choices
    assert ingest.suggest_values(["Negotiating", "Banana", "Won!"], choices, column="stage") == {
        "Negotiating": "negotiation", "Won!": "won"}


def test_suggestions_names_are_unambiguous_per_table():
    """A header name (as compared) means one column of a table, whichever export writes it."""
    seen: dict[tuple[str, str], str] = {}
    for table, headers in names.EXPORTS.values():
        for name, column in headers.items():
            assert column in ingest.TABLES[table].column_names, (name, column)
            assert seen.setdefault((table, names.normal(name)), column) == column, (table, name)
    for column, values in names.VALUES.items():
        allowed = {c.choices for t in ingest.TABLES.values() for c in t.columns if c.name == column}
        assert all(set(values.values()) <= set(choices) for choices in allowed if choices)


def test_suggestions_as_toml_with_a_comment_per_column():
    suggestion = ingest.explain(header("crm_sales_teams.csv"), table="reps")
    text = mapping.dumps(suggestion.mapping, table="reps", notes=suggestion.notes)
    lines = text.splitlines()
    assert lines[0] == "[columns]"
    assert lines[1].startswith('rep_id = "sales_agent"') and lines[1].endswith(
        "# named so in the CRM Sales Opportunities sample's sales_teams.csv")
    assert lines[3].startswith('# team = ""')  # not found: commented out, with its note
    assert tomllib.loads(text)["columns"] == {"rep_id": "sales_agent", "name": "sales_agent",
                                              "region": "regional_office", "manager": "manager"}
    assert ingest.loads(text).columns == suggestion.mapping.columns
