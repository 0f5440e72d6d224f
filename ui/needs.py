"""What each figure needs from the data, and one sentence naming what to import when it is not there.

A page asks `needs.met("deals", "quotas", what="Quota pacing", key="quota_pacing")` before drawing a part: when a
table it needs holds no rows at all, the part is replaced by one sentence saying which export would unlock it, with a
button that opens its import on the Data page; nothing is said about the business (no "no breaches" with zero MQLs,
no 0 % with an arrow). A table that holds rows, none of them in the filters' scope, is the page's own sentence
("widen the period").
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from queries import common
from ui import data


@dataclass(frozen=True)
class Step:
    """One step of the import checklist: the tables it fills, what to bring, and what it unlocks."""
    key: str
    tables: tuple[str, ...]
    title: str
    bring: str
    unlocks: str


# The order a company's own data is best brought in (each step's references exist by then).
STEPS: tuple[Step, ...] = (
    Step("reps", ("reps",), "The sales team",
         "one row per rep: id, name, team, region (a CRM's users or sales-team export)",
         "teams and regions in the filters, and every per-rep figure"),
    Step("deals", ("deals",), "Deals",
         "the opportunities export: id, owner rep, stage, amount, created and close dates (empty cells stay unknown)",
         "pipeline, win rates, booked revenue and the sales clock"),
    Step("quotas", ("quotas",), "Quotas",
         "one row per rep and month with the quota amount",
         "attainment, pacing and coverage on Brand & quota and Quota & pipeline, and the joint plan"),
    Step("campaigns", ("campaigns", "campaign_spend"), "Campaigns and spend",
         "the campaign list (id, name, channel, objective, dates, budget) and daily spend from the ad platforms",
         "the Campaigns page: plan, performance, spend against pipeline"),
    Step("leads", ("leads", "touches"), "Leads and touches",
         "the leads export (id, created, source campaign or channel, MQL/SQL dates, owner) and each lead's campaign "
         "touches",
         "the funnel and the handoff scorecard, segments, attribution and marketing-sourced pipeline"),
    Step("brand", ("brand_metrics",), "Brand metrics",
         "monthly brand tracking: awareness, consideration, share of voice or search, per region",
         "the marketing clock and the lag explorer on Brand & quota"),
)
_STEP_OF = {table: step for step in STEPS for table in step.tables}


_MEMO_KEY = "needs_rows"


def rows() -> dict[str, int]:
    """Rows per table of company data: read once per session and data_version (the shell's first read serves every
    later question of the session's runs until the data changes)."""
    stamp = (data.path(), data.version())
    memo = st.session_state.get(_MEMO_KEY)
    if memo is not None and memo[0] == stamp:
        return memo[1]
    counts = data.load(common.table_rows)
    held = dict(zip(counts.table_name, counts.row_count.astype(int), strict=True))
    st.session_state[_MEMO_KEY] = (stamp, held)
    return held


def missing(*tables: str) -> list[str]:
    """The given tables that hold no rows."""
    held = rows()
    unknown = [t for t in tables if t not in held]
    if unknown:
        raise ValueError(f"not tables of company data: {', '.join(unknown)}")
    return [t for t in tables if held[t] == 0]


def _names(tables: list[str]) -> str:
    steps = list(dict.fromkeys(_STEP_OF[t].title.lower() for t in tables))
    return steps[0] if len(steps) == 1 else ", ".join(steps[:-1]) + " and " + steps[-1]


def sentence(tables: list[str], what: str) -> str:
    """'Pipeline coverage needs deals and quotas: import them on the Data page.'"""
    steps = {_STEP_OF[t].key for t in tables}
    them = "it" if steps == {"reps"} else "them"  # the sales team; every other step's name is plural
    return f"{what} needs {_names(tables)}: import {them} on the Data page."


def open_import(table: str) -> None:
    """Go to the Data page's import, with `table` picked (the Data page reads these keys as its widgets' state)."""
    st.session_state["data_view"] = "import"
    st.session_state["data_table"] = table
    st.switch_page("pages/data.py")


def met(*tables: str, what: str, key: str) -> bool:
    """True when every table holds rows; otherwise say which to import, with a button that opens that import on the
    Data page, and return False. `what` names the figure or section ("Quota pacing"); `key` names the sentence's
    button (unique on the page)."""
    absent = missing(*tables)
    if not absent:
        return True
    with st.container(border=True):
        st.markdown(f":material/upload_file: {sentence(absent, what)}")
        step = _STEP_OF[absent[0]]
        if st.button(f"Import {step.title.lower()}", key=f"needs_{key}", icon=":material/arrow_forward:",
                     type="tertiary"):
            open_import(absent[0])
    return False
