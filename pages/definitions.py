"""Definitions: every metric, lifecycle stage and attribution model, defined once (queries/metrics.toml)."""

import streamlit as st

from queries import metrics
from ui import filters, format, tables, widgets
from ui.navigation import PAGES

PAGE_TITLES = {spec.path.removeprefix("pages/").removesuffix(".py"): spec.title for spec in PAGES}

MAX_SEARCH = 100

filters.seed("definitions_search", "q", "", lambda text: text[:MAX_SEARCH])
st.title("Definitions")
st.caption("One language for both teams: what every number Tandem shows means, how it is calculated, which team "
           "owns it and where it appears. Tiles and charts show the same definitions as their help text. "
           + filters.scope_note("pages/definitions.py"))

search = st.text_input("Search metrics", key="definitions_search", max_chars=MAX_SEARCH,
                       placeholder="e.g. win rate, MQL, pipeline",
                       help="Keeps the metrics whose name, definition, formula, unit, owner or pages contain every "
                            "word you type.")
filters.publish("q", search.strip() or None)

found = metrics.table(search)
found["pages"] = found.pages.map(lambda text: ", ".join(PAGE_TITLES.get(p, p) for p in text.split(", ")))
st.header("Metrics")
if found.empty:
    widgets.empty(f"No metric matches “{search.strip()}”. Try fewer or other words, or clear the search.")
else:
    st.caption(f"{len(found)} of {len(metrics.all_metrics())} metrics, grouped by the team that owns them.")
    for owner, rows in found.groupby("owner", sort=False):
        st.subheader(f"{owner} ({len(rows)})")
        tables.show(rows.drop(columns=["owner", "metric"]), width="stretch", key=f"definitions_table_{owner.lower()}",
                    labels={"name": "Metric", "pages": "Shown on", "query": "Computed by"},
                    config_override={"name": st.column_config.TextColumn("Metric", pinned=True),
                                     "definition": st.column_config.TextColumn("Definition", width="large"),
                                     "formula": st.column_config.TextColumn("Formula", width="large")})

st.header("Lifecycle stages")
st.caption("The exact rule the data uses for each stage (queries/lifecycle.toml describes what the funnel SQL does).")
tables.show(metrics.lifecycle().drop(columns=["stage"]), width="stretch", key="definitions_stages_table",
            labels={"name": "Stage", "field": "Recorded in", "owner": "Moved there by"},
            config_override={"rule": st.column_config.TextColumn("Rule", width="large")})
tables.show(metrics.counting_rules(), width="stretch", key="definitions_counting_table",
            labels={"name": "How the funnel counts"},
            config_override={"rule": st.column_config.TextColumn("Rule", width="large")})

st.header("Attribution models")
st.caption("How each model splits a won deal's revenue over the campaign touches on its lead (a touch counts when it "
           "happened on or before the deal was created). Weights as queries/attribution.py applies them.")
tables.show(metrics.attribution_models().drop(columns=["model"]), width="stretch", key="definitions_models_table",
            labels={"name": "Model", "weights": "Position weights"},
            config_override={"rule": st.column_config.TextColumn("Rule", width="large")})

st.header("SLA in force")
settings = format.settings()
st.markdown(f"**{metrics.sla_hours(settings):g} hours** to first contact. "
            + widgets.escape_markdown(metrics.sla_sentence(settings)))
st.caption(metrics.caption("sla_compliance"))

widgets.download_csv(metrics.export(settings), file_name="tandem_definitions.csv", key="definitions_csv",
                     label="Download all definitions (CSV)")
