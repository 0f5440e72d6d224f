"""The names CRM exports give Tandem's columns and deal stages: what a suggested mapping recognises.

Column names are the header labels of each CRM's standard export of its default fields (HubSpot's "Export" of a
deals or contacts view, a Salesforce opportunities or leads report, Pipedrive's "Export data" of deals, whose
headers carry a "Deal - " prefix) and of the public CRM Sales Opportunities sample. Stage names are each CRM's
default pipeline. Names are compared ignoring case, spaces and punctuation (see `normal`), so HubSpot's internal
stage ids (closedwon, decisionmakerboughtin) match their labels.
"""

from __future__ import annotations

import re

# Per export: the table it fills and {header: Tandem column}. A header of an export's own that fills no Tandem
# column (a deal's name, its pipeline, a contact's e-mail) is left out: a suggestion leaves it unmapped.
EXPORTS: dict[str, tuple[str, dict[str, str]]] = {
    "HubSpot's deals export": ("deals", {
        "Record ID": "deal_id", "Associated Company": "account", "Associated Company (Primary)": "account",
        "Deal owner": "owner_rep_id", "Deal Stage": "stage", "Amount": "amount", "Create Date": "created_at",
        "Close Date": "close_date", "Closed Lost Reason": "loss_reason",
    }),
    "HubSpot's contacts export": ("leads", {
        "Record ID": "lead_id", "Create Date": "created_at", "Original Source": "channel",
        "Country/Region": "region", "Industry": "industry", "Company Name": "company", "Contact owner": "owner_rep_id",
        "Became a Marketing Qualified Lead Date": "mql_at", "Became a Sales Qualified Lead Date": "sql_at",
    }),
    "Salesforce's opportunities report": ("deals", {
        "Opportunity ID": "deal_id", "Account Name": "account", "Opportunity Owner": "owner_rep_id",
        "Product Name": "product", "Created Date": "created_at", "Close Date": "close_date", "Stage": "stage",
        "Amount": "amount",
    }),
    "Salesforce's leads report": ("leads", {
        "Lead ID": "lead_id", "Create Date": "created_at", "Created Date": "created_at", "Lead Source": "channel",
        "Country": "region", "Industry": "industry", "Company / Account": "company", "Company": "company",
        "Lead Owner": "owner_rep_id",
    }),
    "Pipedrive's deals export": ("deals", {
        "Deal - ID": "deal_id", "Deal - Organization": "account", "Deal - Owner": "owner_rep_id",
        "Deal - Deal created": "created_at", "Deal - Expected close date": "close_date", "Deal - Stage": "stage",
        "Deal - Value": "amount", "Deal - Lost reason": "loss_reason",
    }),
    "the CRM Sales Opportunities sample's sales_pipeline.csv": ("deals", {
        "opportunity_id": "deal_id", "account": "account", "sales_agent": "owner_rep_id", "product": "product",
        "engage_date": "created_at", "close_date": "close_date", "deal_stage": "stage", "close_value": "amount",
    }),
    "the CRM Sales Opportunities sample's products.csv": ("deals", {
        "product": "product", "sales_price": "amount",
    }),
    "the CRM Sales Opportunities sample's sales_teams.csv": ("reps", {
        "sales_agent": "rep_id", "manager": "manager", "regional_office": "region",
    }),
}

# Other names for a column, in any table that has it, compared by similarity (a typo or a variant still matches).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "rep_id": ("rep", "sales rep", "rep code", "employee id", "sales agent", "agent"),
    "owner_rep_id": ("owner", "owner id", "rep", "sales rep", "assigned to", "account owner", "sales agent",
                     "deal owner"),
    "campaign_id": ("campaign", "campaign number", "campaign code", "utm campaign"),
    "deal_id": ("opportunity id", "opportunity", "deal"), "lead_id": ("lead", "prospect id", "lead number"),
    "account": ("company", "account name", "customer", "organization"),
    "amount": ("value", "deal value", "revenue", "deal amount"),
    "close_date": ("closed", "close", "closed date", "expected close"), "stage": ("status", "deal stage"),
    "created_at": ("created", "create date", "created date", "date created", "created on"),
    "spend": ("cost", "amount spent"), "impressions": ("displays", "impr", "views"), "day": ("date",),
    "month": ("mese", "period"), "budget": ("planned spend",), "team": ("group",),
    "body": ("comment", "text", "feedback"), "loss_reason": ("lost reason", "closed lost reason", "reason lost"),
    "region": ("regional office", "territory", "country"),
}

# A column a table needs that an export often has no column of its own for: the column it may share.
# A file of sales reps that names each rep once (the CRM sample's sales_agent) gives the rep's id and name.
SHARED: dict[tuple[str, str], str] = {("reps", "name"): "rep_id"}

# Deal stage names → Tandem's stages (prospecting, qualification, proposal, negotiation, won, lost).
STAGES: dict[str, str] = {
    # Salesforce's default opportunity stages (probability 10, 10, 20, 50, 60, 70, 75, 90 %).
    "Prospecting": "prospecting", "Qualification": "qualification", "Needs Analysis": "qualification",
    "Value Proposition": "proposal", "Id. Decision Makers": "proposal", "Perception Analysis": "proposal",
    "Proposal/Price Quote": "proposal", "Negotiation/Review": "negotiation",
    "Closed Won": "won", "Closed Lost": "lost",
    # HubSpot's default sales pipeline (20, 40, 60, 80, 90 %).
    "Appointment Scheduled": "prospecting", "Qualified To Buy": "qualification",
    "Presentation Scheduled": "proposal", "Decision Maker Bought-In": "negotiation", "Contract Sent": "negotiation",
    # Pipedrive's default pipelines and its deal statuses.
    "Lead In": "prospecting", "Qualified": "qualification", "Contact Made": "qualification",
    "Needs Defined": "qualification", "Demo Scheduled": "qualification", "Proposal Made": "proposal",
    "Negotiations Started": "negotiation", "Won": "won", "Lost": "lost",
    # The CRM Sales Opportunities sample: Prospecting, Engaging (a deal being worked), Won, Lost.
    "Engaging": "qualification",
    # Other common names.
    "Discovery": "qualification", "Proposal": "proposal", "Proposal Sent": "proposal", "Quote Sent": "proposal",
    "Negotiation": "negotiation", "Contract": "negotiation", "Closed - Won": "won", "Closed - Lost": "lost",
}

# Value names per table column that has a vocabulary (spec.Column.choices). The leads table has none: a lead's
# status (HubSpot's Lead Status, Salesforce's Lead Status) has no Tandem column; its MQL and SQL times do.
VALUES: dict[str, dict[str, str]] = {"stage": STAGES}


def normal(name: str) -> str:
    """A name as compared: lower case, letters and digits only ("Deal - Owner" → "dealowner")."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def export_names(table: str) -> dict[str, tuple[str, dict[str, str]]]:
    """{normal(header): (Tandem column, {header as the export writes it: export})} over the exports that fill
    `table`."""
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for export, (target, headers) in EXPORTS.items():
        if target == table:
            for header, column in headers.items():
                found.setdefault(normal(header), (column, {}))[1].setdefault(header, export)
    return found


def known_value(column: str, value: str) -> str | None:
    """The Tandem value a common CRM name stands for in a vocabulary column ("Closed Won" → won), or None."""
    names = {normal(k): v for k, v in VALUES.get(column, {}).items()}
    return names.get(normal(value))
