"""Data: import CSV, Parquet or Excel exports (map, check, commit all-or-nothing, undo) and see the data's health."""

import time
from pathlib import Path

import streamlit as st

from queries import health, ingest
from queries.db import TandemError
from ui import auth, data, filters, widgets

MAPPINGS = Path(__file__).resolve().parent.parent / "sample_data" / "mappings"
# The uploaded file as (name, bytes, came_from_the_uploader). Tests put a file here directly: AppTest cannot
# drive st.file_uploader.
UPLOAD_KEY = "data_upload"
REPORT_KEY = "data_report"
FLASH_KEY = "data_flash"
SUGGEST = "Suggest from the file's header"
NOT_MAPPED = "(not mapped)"
KEEP = "(keep as is)"
EMPTY = "(empty)"
# Sections, not tabs: st.tabs runs every tab's code, and the health checks scan every table.
VIEWS = {"import": "Import", "history": "History and undo", "health": "Health"}


def parse_view(text: str) -> str:
    if text not in VIEWS:
        raise ValueError(text)
    return text


def _show_problems(problems, *, key: str) -> None:
    """The problem report: how many of each kind per column first, then the problems row by row."""
    errors = problems[problems["severity"] == "error"]
    warnings = problems[problems["severity"] == "warning"]
    if not errors.empty:
        st.error(f"{len(errors):,} problems: nothing can be imported until they are fixed. Each names the row "
                 "(as a spreadsheet numbers it) and the column.", icon=":material/error:")
    ignored = warnings[warnings["problem"] == ingest.mapping.IGNORED]
    if not ignored.empty:
        st.caption("Ignored (mapped to nothing): " + ", ".join(widgets.escape_markdown(c) for c in ignored["column"]))
    for _, warning in warnings[warnings["problem"] != ingest.mapping.IGNORED].head(5).iterrows():
        st.warning(f"Row {warning['row']}, column {widgets.escape_markdown(warning['column'])}: "
                   f"{widgets.escape_markdown(warning['problem'])}", icon=":material/info:")
    if not errors.empty:
        st.markdown("**By column and kind**")
        st.dataframe(ingest.tally(errors).drop(columns="file"), hide_index=True, key=f"{key}_tally",
                     column_config={"field": "table column", "column": "file column", "first_row": "first row"})
        st.markdown("**Row by row**")
        st.dataframe(errors.head(1000), hide_index=True, key=f"{key}_table")
        widgets.download_csv(problems, file_name="import_problems.csv", key=f"{key}_download",
                             label="Download all problems (CSV)")


def _refreshed(bar) -> str:
    """Bring the summary tables the write made stale up to date here, on `bar`, where the user clicked (the shell
    would do it at the top of the next run, out of view when the page is scrolled down); a sentence on it, or ""."""
    started = time.perf_counter()
    rebuilt = data.refresh_rollups(progress=lambda fraction, text: bar.progress(min(fraction, 1.0), text=text))
    if not rebuilt:
        return ""
    tables = "summary table" if rebuilt == 1 else "summary tables"
    return f" {rebuilt} {tables} brought up to date in {time.perf_counter() - started:.1f} s."


st.title("Data")
flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
filters.seed("data_view", "show", "import", parse_view)
view = st.radio("Show", list(VIEWS), key="data_view", horizontal=True, format_func=VIEWS.get,
                label_visibility="collapsed")
filters.publish("show", view if view != "import" else None)

# --- Import -------------------------------------------------------------------------------------------------------
if view == "import":
    if not auth.can("admin"):
        widgets.empty("Only an admin can import data. History and Health show what is in the database.")
    else:
        left, right = st.columns(2)
        table = left.selectbox("Import into", list(ingest.TABLES), key="data_table")
        mode = right.radio("Mode", ingest.MODES, horizontal=True, key="data_mode",
                           help="insert: every id must be new. upsert: rows with an existing id are updated (their "
                                "previous values are kept so the import can be undone).")
        uploaded = st.file_uploader("Export file (CSV, Parquet or .xlsx)",
                                    type=["csv", "txt", "tsv", "parquet", "xlsx"],
                                    key="data_file", help=f"Up to {ingest.max_bytes() / 1e6:,.0f} MB and "
                                                          f"{ingest.max_rows():,} rows.")
        if uploaded is not None:
            st.session_state[UPLOAD_KEY] = (uploaded.name, uploaded.getvalue(), True)
        elif st.session_state.get(UPLOAD_KEY, (None, None, False))[2]:
            del st.session_state[UPLOAD_KEY]  # the person removed the file from the uploader
        upload = st.session_state.get(UPLOAD_KEY)

        saved = [SUGGEST, *sorted(p.name for p in MAPPINGS.glob("*.toml"))]
        chosen = st.selectbox("Mapping", saved, key="data_saved_mapping",
                              help="A saved mapping (TOML) pairs the file's columns and values with the table's.")
        mapping_file = st.file_uploader("…or upload a mapping you saved (.toml)", type=["toml"],
                                        key="data_mapping_file")
        try:
            if mapping_file is not None:
                base = ingest.loads(mapping_file.getvalue().decode("utf-8"))
            elif chosen != SUGGEST:
                base = ingest.loads((MAPPINGS / chosen).read_text(encoding="utf-8"))
            else:
                base = None
        except (TandemError, UnicodeDecodeError) as exc:
            st.error(f"The mapping cannot be used: {exc}")
            st.stop()

        if upload is None:
            widgets.empty("Upload an export to import it. Every row is checked first; nothing is written unless all "
                          "rows are good, and every import can be undone from the History tab.")
        else:
            name, content, _ = upload
            try:
                source = ingest.read_source(content, name=name, options=base.read_options() if base else None)
            except ingest.ImportRejected as rejected:
                st.error(f"{name} cannot be read: {rejected}")
                _show_problems(rejected.problems, key="data_read_problems")
                st.stop()
            base = base or ingest.suggest(source.columns, table=table)
            # Widget keys carry the mapping's origin, so choosing another mapping resets the pickers to it.
            scope = f"{table}_{'upload' if mapping_file is not None else saved.index(chosen)}"
            spec = ingest.TABLES[table]
            st.caption(f"{name}: {source.rows:,} rows, {len(source.columns)} columns; the header is row "
                       f"{source.header_row}.")
            with st.expander("The file's first rows", expanded=False):
                st.dataframe(source.head(10), hide_index=True, key="data_file_preview")

            st.subheader("Map the columns")
            st.caption("Pick the file column for each of the table's columns (suggested by name), or type a constant "
                       "used when the column is not mapped or a cell is empty. * = required.")
            columns, defaults = {}, {}
            for column in spec.columns:
                expression = base.columns.get(column.name)
                options = [NOT_MAPPED, *source.columns]
                if expression and expression not in options:
                    options.append(expression)  # a template or formula from a saved mapping
                label, pick, constant = st.columns([2, 3, 2], vertical_alignment="bottom")
                mark = " \\*" if column.required and column.default is None else ""
                allowed = f"  \n{', '.join(column.choices)}" if column.choices else ""
                label.markdown(f"**{column.name}**{mark}{allowed}")
                picked = pick.selectbox(column.name, options, index=options.index(expression) if expression else 0,
                                        key=f"data_map_{scope}_{column.name}", label_visibility="collapsed")
                typed = constant.text_input(f"Constant for {column.name}",
                                            value=str(base.defaults.get(column.name, "")),
                                            key=f"data_default_{scope}_{column.name}", label_visibility="collapsed",
                                            placeholder="constant")
                if picked != NOT_MAPPED:
                    columns[column.name] = picked
                if typed.strip():
                    defaults[column.name] = typed.strip()

            values: dict[str, dict[str, str]] = {}
            kept: set[tuple[str, str]] = set()  # values the person keeps as they are, whatever the mapping said
            draft = ingest.Mapping(columns=columns, values=base.values, defaults=defaults, options=dict(base.options))
            for column in spec.columns:
                if not column.choices or column.name not in columns:
                    continue
                found = ingest.distinct_values(source, draft, column=column.name)
                outside = [v for v in found if v.strip().lower() not in column.choices][:30]
                if not outside:
                    continue
                st.markdown(f"**Values of {column.name}** the table does not know: map each to one it does (suggested "
                            "from common CRM names), or to empty.")
                saved_values = {k.strip().lower(): v for k, v in base.values.get(column.name, {}).items()}
                suggested = ingest.suggest_values(outside, column.choices, column=column.name)
                options = [KEEP, EMPTY, *column.choices]
                grid = st.columns(3)
                for i, value in enumerate(outside):
                    default = saved_values.get(value.strip().lower(), suggested.get(value))
                    default = EMPTY if default == "" else default
                    picked = grid[i % 3].selectbox(f"“{widgets.escape_markdown(value)}” →", options,
                                                   index=options.index(default) if default in options else 0,
                                                   key=f"data_value_{scope}_{column.name}_{i}")
                    if picked == KEEP:
                        kept.add((column.name, value.strip().lower()))
                    else:
                        values.setdefault(column.name, {})[value] = "" if picked == EMPTY else picked

            ranked = ingest.detect_date_format(source, draft, table=table)
            formats = [f for f, _ in ranked] + [f for f in ingest.DATE_FORMATS if f not in dict(ranked)]
            current = base.options.get("date_format") or (ranked[0][0] if ranked else formats[0])
            if current not in formats:
                formats.insert(0, current)
            counts = dict(ranked)
            date_format = st.selectbox(
                "Date format", formats, index=formats.index(current), key=f"data_date_format_{scope}",
                format_func=lambda f: f"{f}  ({counts[f]} sample dates parse)" if f in counts else f,
                help="Detected from the file's date cells; ISO dates (2026-03-31) always parse.")
            for target, saved_values in base.values.items():  # the pickers' choices replace the saved ones
                chosen_values = values.setdefault(target, {})
                picked_keys = {k.strip().lower() for k in chosen_values}
                values[target] = {**{k: v for k, v in saved_values.items() if k.strip().lower() not in picked_keys
                                     and (target, k.strip().lower()) not in kept}, **chosen_values}
            mapping = ingest.Mapping(columns=columns, values={k: v for k, v in values.items() if v}, defaults=defaults,
                                     options={**base.options, "date_format": date_format})
            st.download_button("Save this mapping (.toml)", ingest.dumps(mapping).encode("utf-8"),
                               file_name=f"{table}_mapping.toml", mime="application/toml", key="data_mapping_download",
                               icon=":material/save:")

            signature = (table, mode, name, len(content), ingest.dumps(mapping))
            check, commit = st.columns(2)
            if check.button("Check the rows", key="data_validate", icon=":material/fact_check:", type="primary"):
                try:
                    st.session_state[REPORT_KEY] = (signature, data.write(ingest.validate, source=source,
                                                                          mapping=mapping, table=table, mode=mode))
                except TandemError as exc:
                    st.error(str(exc))
            checked = st.session_state.get(REPORT_KEY)
            report = checked[1] if checked and checked[0] == signature else None
            if commit.button("Import", key="data_commit", icon=":material/upload:", disabled=not (report and report.ok),
                             help="Enabled once the rows were checked without problems."):
                bar = st.progress(0.0, text="Starting")
                try:
                    done = data.write(ingest.commit, source=source, mapping=mapping, table=table, mode=mode,
                                      actor=auth.actor(), progress=lambda f, text: bar.progress(min(f, 1.0), text=text))
                except ingest.ImportRejected as rejected:
                    st.error(str(rejected))
                    _show_problems(rejected.problems, key="data_commit_problems")
                except TandemError as exc:
                    st.error(str(exc))
                else:
                    st.session_state.pop(REPORT_KEY, None)
                    st.session_state[FLASH_KEY] = (
                        f"Imported {done.rows:,} rows into {table} as batch {done.batch_id} ({done.inserted:,} new, "
                        f"{done.updated:,} updated). Undo it from the History tab.")
                    # Stored first: a click during the rebuild reruns the page, and the import is done either way.
                    st.session_state[FLASH_KEY] += _refreshed(bar)
                    st.rerun()
            if report is not None:
                tiles = st.columns(3)
                tiles[0].metric("Rows to import", f"{report.rows:,}")
                tiles[1].metric("Problems", f"{len(report.errors):,}")
                tiles[2].metric("Already in the database", f"{report.existing:,}",
                                help="Rows whose id the table has: updated in upsert mode, refused in insert mode.")
                if report.ok:
                    st.success("Every row is good. Import writes them all in one transaction.", icon=":material/done:")
                _show_problems(report.problems, key="data_problems")
                st.markdown("**Preview** (the first rows as they will be stored)")
                st.dataframe(report.preview, hide_index=True, key="data_preview")


# --- History and undo ---------------------------------------------------------------------------------------------
if view == "history":
    batches = data.load(ingest.history)
    if batches.empty:
        widgets.empty("No imports yet. Imports you make under Import (or with python -m queries.ingest) "
                      "are listed here and can be undone.")
    else:
        st.dataframe(batches, hide_index=True, key="data_history")
        widgets.download_csv(batches, file_name="import_history.csv", key="data_history_download")
        committed = batches[batches["status"] == "committed"]
        if committed.empty:
            widgets.empty("Every import has been undone.")
        else:
            labels = {b.batch_id: f"{b.batch_id} · {b.table_name} · {b.source_name} · {b.row_count:,} rows"
                      for b in committed.itertuples()}
            batch_id = st.selectbox("Import to undo", list(labels), format_func=labels.get, key="data_undo_batch")
            if st.button("Undo this import", key="data_undo", icon=":material/undo:", disabled=not auth.can("admin"),
                         help=None if auth.can("admin") else "Only an admin can undo imports."):
                try:
                    with st.spinner("Undoing the import …"):
                        result = data.write(ingest.undo, batch_id=batch_id, actor=auth.actor())
                except TandemError as exc:
                    st.error(f"Cannot undo: {exc}")
                else:
                    st.session_state[FLASH_KEY] = (
                        f"Undid {result['batch_id']} ({result['table']}): {result['deleted']:,} rows removed, "
                        f"{result['restored']:,} restored to their previous values.")
                    st.session_state[FLASH_KEY] += _refreshed(st.progress(0.0, text="Updating the summary tables"))
                    st.rerun()

# --- Health -------------------------------------------------------------------------------------------------------
if view == "health":
    st.subheader("Tables")
    overview = data.load(health.table_overview)
    st.caption("Rows per table, how many came from imports, the dates covered (the last date is the latest "
               "record) and the last import.")
    st.dataframe(overview, hide_index=True, key="data_overview")
    widgets.download_csv(overview, file_name="table_overview.csv", key="data_overview_download")

    st.subheader("Empty key fields")
    nulls = data.load(health.key_nulls)
    st.dataframe(nulls, hide_index=True, key="data_nulls",
                 column_config={"empty_share": st.column_config.NumberColumn("empty share", format="percent")})
    widgets.download_csv(nulls, file_name="key_nulls.csv", key="data_nulls_download")

    st.subheader("Orphans")
    gaps = data.load(health.orphans)
    st.dataframe(gaps, hide_index=True, key="data_orphans")
    widgets.download_csv(gaps, file_name="orphans.csv", key="data_orphans_download")

    st.subheader("What each table accepts")
    schema_table = st.selectbox("Table", list(ingest.TABLES), key="data_schema_table")
    st.dataframe(data.load(health.table_schema, table=schema_table), hide_index=True, key="data_schema")
    widgets.download_csv(health.template(table=schema_table), file_name=f"{schema_table}_template.csv",
                         key="data_template_download", label="Download a CSV template")
