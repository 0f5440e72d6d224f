"""Data: import CSV, Parquet or Excel exports (map, check, commit all-or-nothing, undo) and see the data's health."""

import re
import time
from pathlib import Path

import streamlit as st

from queries import health, ingest
from queries.db import TandemError
from ui import auth, data, filters, needs, tables, widgets

MAPPINGS = Path(__file__).resolve().parent.parent / "sample_data" / "mappings"
# The uploaded file as (name, bytes, came_from_the_uploader). Tests put a file here directly: AppTest cannot
# drive st.file_uploader.
UPLOAD_KEY = "data_upload"
# A second file, per join slot, kept the same way: "data_join_upload_<slot>" (see _second_files).
JOIN_UPLOAD_KEY = "data_join_upload"
NEW_JOIN = "new"  # the slot for a second file the chosen mapping does not name
REPORT_KEY = "data_report"
FLASH_KEY = "data_flash"
SUGGEST = "Suggest from the file's header"
NOT_MAPPED = "(not mapped)"
KEEP = "(keep as is)"
EMPTY = "(empty)"
FILE_TYPES = ["csv", "txt", "tsv", "parquet", "xlsx"]
# Sections, not tabs: st.tabs runs every tab's code, and the health checks scan every table.
VIEWS = {"import": "Import", "history": "History and undo", "health": "Health"}


def parse_view(text: str) -> str:
    if text not in VIEWS:
        raise ValueError(text)
    return text


IGNORED = ingest.mapping.IGNORED
# The problem report's columns: the table's column (field) and the file's (column) are told apart.
PROBLEM_LABELS = {"field": "Table column", "column": "File column", "first_row": "First row", "example": "First value",
                  "file": "File", "value": "Value", "count": "Rows"}


def _show_problems(problems, *, key: str) -> None:
    """The problem report: how many of each kind per column first, then the problems row by row."""
    errors = problems[problems["severity"] == "error"]
    warnings = problems[problems["severity"] == "warning"]
    if not errors.empty:
        st.error(f"{len(errors):,} problems: nothing can be imported until they are fixed. Each names the row "
                 "(as a spreadsheet numbers it) and the column.", icon=":material/error:")
    ignored = warnings[warnings["problem"] == IGNORED]
    if not ignored.empty:
        st.caption("Ignored (mapped to nothing): " + ", ".join(widgets.escape_markdown(c) for c in ignored["column"]))
    for _, warning in warnings[warnings["problem"] != IGNORED].head(5).iterrows():
        st.warning(f"Row {warning['row']}, column {widgets.escape_markdown(warning['column'])}: "
                   f"{widgets.escape_markdown(warning['problem'])}", icon=":material/info:")
    if not errors.empty:
        st.markdown("**By column and kind**")
        counted = ingest.tally(errors)
        if not counted["file"].astype(bool).any():
            counted = counted.drop(columns="file")
        tables.show(counted, key=f"{key}_tally", labels={k: v for k, v in PROBLEM_LABELS.items() if k in counted})
        st.markdown("**Row by row**")
        shown = errors if errors["file"].astype(bool).any() else errors.drop(columns="file")
        tables.show(shown.head(1000), key=f"{key}_table",
                    labels={k: v for k, v in PROBLEM_LABELS.items() if k in shown},
                    helps={"row": "The row as a spreadsheet numbers it (the header is row 1)."})
        widgets.download_csv(problems, file_name="import_problems.csv", key=f"{key}_download",
                             label="Download all problems (CSV)")


def _kept_upload(uploaded, key: str):
    """The file in an uploader, kept in the session under `key` as (name, bytes, came_from_the_uploader)."""
    if uploaded is not None:
        st.session_state[key] = (uploaded.name, uploaded.getvalue(), True)
    elif st.session_state.get(key, (None, None, False))[2]:
        del st.session_state[key]  # the person removed the file from the uploader
    return st.session_state.get(key)


def _join_name(file_name: str, taken: set[str]) -> str:
    """A join's name from its file's name ("Products 2026.csv" → products_2026), unlike the names taken."""
    stem = re.sub(r"[^a-z0-9]+", "_", Path(file_name).stem.lower()).strip("_")
    stem = stem if stem and stem[0].isalpha() else f"file_{stem}".rstrip("_")
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem}_{n}"
    return name


def _second_files(source, base):
    """Second files joined on a key (queries.ingest.joins): a slot per join of the chosen mapping, one more for
    another file. Returns the file with their columns added, the joins, and what identifies them (for the check)."""
    declared = dict(base.joins) if base else {}
    joins, files, signature = {}, {}, []
    with st.expander("Second files: fill columns from another file joined on a key (a products list with prices, a "
                     "teams list with regions)", expanded=bool(declared)):
        for slot in [*declared, NEW_JOIN]:
            join = declared.get(slot)
            label = (f"Second file of join {slot} ({join.file})" if join else
                     "Another file: its columns can fill what this one leaves empty")
            upload = _kept_upload(st.file_uploader(label, type=FILE_TYPES, key=f"data_join_file_{slot}"),
                                  f"{JOIN_UPLOAD_KEY}_{slot}")
            if upload is None:
                continue
            other_name, content, _ = upload
            name = slot if join else _join_name(other_name, {*declared, *joins})
            join = join or ingest.Join(on={})
            try:
                other = ingest.joins.read(content, name=other_name, join=join)
            except ingest.ImportRejected as rejected:
                st.error(f"{other_name} cannot be read: {rejected}")
                _show_problems(rejected.problems, key=f"data_join_read_problems_{slot}")
                st.stop()
            on = join.on or ingest.join_key(source.own_columns, other.columns) or {}
            if len(on) > 1:
                st.caption(f"{other_name} is joined on " + ", ".join(f"{a} = {b}" for a, b in on.items()))
            else:
                mine, theirs = next(iter(on.items()), (None, None))
                left, right = st.columns(2)
                mine = left.selectbox(f"Key in {source.name}", source.own_columns,
                                      index=source.own_columns.index(mine) if mine in source.own_columns else 0,
                                      key=f"data_join_mine_{slot}")
                theirs = right.selectbox(f"Key in {other_name}", other.columns,
                                         index=other.columns.index(theirs) if theirs in other.columns else 0,
                                         key=f"data_join_theirs_{slot}")
                on = {mine: theirs}
            st.caption(f"Join **{name}**: {other_name}, {other.rows:,} rows. Its columns are named {name}.<column> "
                       "below; a row whose key it does not list gets nothing from it.")
            joins[name] = ingest.Join(on=on, file=other_name, options=join.options)
            files[name] = other
            signature.append((name, other_name, len(content), tuple(on.items())))
    try:
        combined = ingest.combine(source, joins, files)
    except ingest.ImportRejected as rejected:
        st.error(f"A second file cannot be joined: {rejected}")
        _show_problems(rejected.problems, key="data_join_problems")
        st.stop()
    return combined, joins, tuple(signature)


def _own_and_fill(expression, joins) -> tuple[object, str | None]:
    """A [columns] value split for the pickers: the file's own source (a column, a template or formula, or a tuple
    of several tried in order) and the second file's column that fills what it leaves empty."""
    parts = ingest.mapping.parts(expression)
    own = [p for p in parts if ingest.mapping.joined_name(p, joins) is None]
    fill = next((p for p in parts if ingest.mapping.joined_name(p, joins) is not None), None)
    return (own[0] if len(own) == 1 else tuple(own) if own else None), fill


def _source_label(option) -> str:
    return ", else ".join(option) if isinstance(option, tuple) else str(option)


def _refreshed(bar) -> str:
    """Bring the summary tables the write made stale up to date here, on `bar`, where the user clicked (the shell
    would do it at the top of the next run, out of view when the page is scrolled down); a sentence on it, or ""."""
    started = time.perf_counter()
    rebuilt = data.refresh_summary_tables(
        progress=lambda fraction, text: bar.progress(min(fraction, 1.0), text=text))
    if not rebuilt:
        return ""
    tables = "summary table" if rebuilt == 1 else "summary tables"
    return f" {rebuilt} {tables} brought up to date in {time.perf_counter() - started:.1f} s."


def _pick_import(table: str) -> None:
    st.session_state["data_view"] = "import"
    st.session_state["data_table"] = table


def checklist(held: dict[str, int]) -> None:
    """The import steps in order, each with what it holds, what to bring and what it unlocks, and its import."""
    for number, step in enumerate(needs.STEPS, 1):
        counts = [f"{held[t]:,} {t.replace('_', ' ')}" for t in step.tables]
        done = all(held[t] for t in step.tables)
        text, button = st.columns([5, 1], vertical_alignment="center")
        mark = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
        text.markdown(f"{mark} **{number}. {step.title}** · {', '.join(counts)}  \n"
                      f"Bring {step.bring}. Unlocks {step.unlocks}.")
        first = next((t for t in step.tables if not held[t]), step.tables[0])
        button.button(f"Import {step.title.lower()}", key=f"data_step_{step.key}", on_click=_pick_import,
                      args=(first,), disabled=not auth.can("admin"), width="stretch")


st.title("Data")
st.caption(filters.scope_note("pages/data.py"))
flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
held = needs.rows()
incomplete = [step for step in needs.STEPS if not all(held[t] for t in step.tables)]
with st.expander("Getting started: what to import, in this order" if incomplete else "What the data holds",
                 expanded=bool(incomplete), icon=":material/checklist:"):
    if incomplete:
        st.caption(f"{len(needs.STEPS) - len(incomplete)} of {len(needs.STEPS)} steps done. Each page shows what "
                   "the data it has supports and says which import would unlock the rest; values an export lacks "
                   "stay unknown.")
    checklist(held)
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
        uploaded = st.file_uploader("Export file (CSV, Parquet or .xlsx)", type=FILE_TYPES,
                                    key="data_file", help=f"Up to {ingest.max_bytes() / 1e6:,.0f} MB and "
                                                          f"{ingest.max_rows():,} rows.")
        upload = _kept_upload(uploaded, UPLOAD_KEY)

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
            st.caption(f"{name}: {source.rows:,} rows, {len(source.columns)} columns; the header is row "
                       f"{source.header_row}.")
            with st.expander("The file's first rows", expanded=False):
                first_rows = source.head(10)
                # The file's own column names, as the mapping below lists them.
                tables.show(first_rows, key="data_file_preview", labels={str(c): str(c) for c in first_rows.columns},
                            kinds={str(c): "text" for c in first_rows.columns})
            source, joins, joined_files = _second_files(source, base)
            base = base or ingest.explain(source.columns, table=table, joins=joins).mapping
            joins = {**base.joins, **joins}  # a declared join without its file stays: the check says it is missing
            # Widget keys carry the mapping's origin, so choosing another mapping resets the pickers to it; the fill
            # pickers also carry the joins, so a second file added later gets its suggestions.
            scope = f"{table}_{'upload' if mapping_file is not None else saved.index(chosen)}"
            fill_scope = f"{scope}_{'_'.join(sorted(joins)) or 'none'}"
            spec = ingest.TABLES[table]
            own_columns = source.own_columns
            joined_columns = [c for c in source.columns if c not in own_columns]

            st.subheader("Map the columns")
            st.caption("Pick the file column for each of the table's columns (suggested by name), or type a constant "
                       "used when the column is not mapped or a cell is empty. * = required."
                       + (" A second file's column fills the cells the file's own column leaves empty."
                          if joins else ""))
            columns, defaults = {}, {}
            for column in spec.columns:
                own, fill = _own_and_fill(base.columns.get(column.name), joins)
                options = [NOT_MAPPED, *own_columns]
                if own is not None and own not in options:
                    options.append(own)  # a template, formula or list from a saved mapping
                fills = [NOT_MAPPED, *joined_columns]
                if fill is not None and fill not in fills:
                    fills.append(fill)  # a declared join whose file is not uploaded yet
                if len(fills) > 1:
                    label, pick, filler, constant = st.columns([2, 3, 3, 2], vertical_alignment="bottom")
                else:
                    (label, pick, constant), filler = st.columns([2, 3, 2], vertical_alignment="bottom"), None
                mark = " \\*" if column.required and column.default is None else ""
                allowed = f"  \n{', '.join(column.choices)}" if column.choices else ""
                label.markdown(f"**{column.name}**{mark}{allowed}")
                picked = pick.selectbox(column.name, options, index=options.index(own) if own is not None else 0,
                                        key=f"data_map_{scope}_{column.name}", label_visibility="collapsed",
                                        format_func=_source_label)
                filled = NOT_MAPPED if filler is None else filler.selectbox(
                    f"{column.name}, else", fills, index=fills.index(fill) if fill is not None else 0,
                    key=f"data_fill_{fill_scope}_{column.name}", label_visibility="collapsed",
                    format_func=lambda f: f if f == NOT_MAPPED else f"else {f}")
                typed = constant.text_input(f"Constant for {column.name}",
                                            value=str(base.defaults.get(column.name, "")),
                                            key=f"data_default_{scope}_{column.name}", label_visibility="collapsed",
                                            placeholder="constant")
                sources = ([] if picked == NOT_MAPPED else list(picked) if isinstance(picked, tuple) else [picked])
                sources += [] if filled == NOT_MAPPED else [filled]
                if sources:
                    columns[column.name] = sources[0] if len(sources) == 1 else sources
                if typed.strip():
                    defaults[column.name] = typed.strip()

            values: dict[str, dict[str, str]] = {}
            kept: set[tuple[str, str]] = set()  # values the person keeps as they are, whatever the mapping said
            draft = ingest.Mapping(columns=columns, values=base.values, defaults=defaults, options=dict(base.options),
                                   joins=joins)
            for column in spec.columns:
                if not column.choices or column.name not in columns:
                    continue
                found = ingest.distinct_values(source, draft, column=column.name)
                outside = [v for v in found if v.strip().lower() not in column.choices][:30]
                if not outside:
                    continue
                st.markdown(f"**Values of {column.name}** the table does not know: map each to one it does (suggested "
                            "from common CRM names), or to empty to use the next column's value.")
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
                                     options={**base.options, "date_format": date_format}, joins=joins)
            st.download_button("Save this mapping (.toml)", ingest.dumps(mapping).encode("utf-8"),
                               file_name=f"{table}_mapping.toml", mime="application/toml", key="data_mapping_download",
                               icon=":material/save:")

            signature = (table, mode, name, len(content), joined_files, ingest.dumps(mapping))
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
                tables.show(report.preview, key="data_preview")


# --- History and undo ---------------------------------------------------------------------------------------------
if view == "history":
    batches = data.load(ingest.history)
    if batches.empty:
        widgets.empty("No imports yet. Imports you make under Import (or with python -m queries.ingest) "
                      "are listed here and can be undone.")
    else:
        tables.show(batches, key="data_history", labels={"batch_id": "Import", "row_count": "Rows"})
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
    tables.show(overview, key="data_overview", labels={"rows": "Rows", "imported_rows": "From imports"})
    widgets.download_csv(overview, file_name="table_overview.csv", key="data_overview_download")

    st.subheader("Empty key fields")
    st.caption("Values an export left out stay unknown: each page leaves such rows out of the figures that need the "
               "value and says how many.")
    nulls = data.load(health.key_nulls)
    tables.show(nulls, key="data_nulls", labels={"empty_rows": "Empty", "rows": "Of rows"})
    widgets.download_csv(nulls, file_name="key_nulls.csv", key="data_nulls_download")

    st.subheader("Orphans")
    gaps = data.load(health.orphans)
    tables.show(gaps, key="data_orphans")
    widgets.download_csv(gaps, file_name="orphans.csv", key="data_orphans_download")

    st.subheader("What each table accepts")
    schema_table = st.selectbox("Table", list(ingest.TABLES), key="data_schema_table")
    schema = data.load(health.table_schema, table=schema_table)
    tables.show(schema.drop(columns="data_type"), key="data_schema",
                labels={"kind": "Holds", "default_value": "When empty"},
                helps={"required": "A row without it is refused.",
                       "refers_to": "The table its value must name a row of.",
                       "default_value": "The value an empty cell gets."})
    widgets.download_csv(health.template(table=schema_table), file_name=f"{schema_table}_template.csv",
                         key="data_template_download", label="Download a CSV template")
