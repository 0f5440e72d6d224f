"""Suggested mappings: which file column fills each table column and why, which values map to a vocabulary, and
which column a second file is joined on.

A file column is suggested for a table column, best first, when its name is the column's own name, the name a known
CRM export gives it (queries.ingest.names), a common other name for it, or is similar to one of those; each file
column fills one table column (but see names.SHARED).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from queries.ingest import names, spec
from queries.ingest.mapping import Join, Mapping, join_column, joined_name

SIMILAR = 0.75  # how similar (difflib's ratio of the compared names) a name must be to be suggested
# Ranks above any similarity ratio (at most 1.0): the column's own name, then a known export's name for it, then a
# common other name. A similar name ranks by its ratio.
_OWN, _EXPORT, _SYNONYM = 3.0, 2.0, 1.5


@dataclass
class Suggestion:
    """A suggested mapping, and per table column a sentence on why it was suggested or what was not found."""

    mapping: Mapping
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> int:
        return len(self.mapping.columns)


def _candidates(column: spec.Column, header: str, exports: dict[str, tuple[str, dict[str, str]]]
                ) -> tuple[float, str] | None:
    """How well a header names a table column, and why; None below SIMILAR."""
    key = names.normal(header)
    if key == names.normal(column.name):
        return _OWN, "same name"
    if key in exports and exports[key][0] == column.name:
        spelled = exports[key][1]  # the export that writes it exactly so, else the first that writes it alike
        return _EXPORT, f"named so in {spelled.get(header) or next(iter(spelled.values()))}"
    others = (column.name.replace("_", " "), *names.SYNONYMS.get(column.name, ()))
    if key in {names.normal(o) for o in others}:
        return _SYNONYM, f"{header!r} is a common name for it"
    best, like = max(((difflib.SequenceMatcher(None, names.normal(o), key).ratio(), o)
                      for o in (column.name, *others, *(h for h, (c, _) in exports.items() if c == column.name))),
                     default=(0.0, ""))
    if best >= SIMILAR:
        return best, f"{header!r} is like {like!r} ({best:.0%} similar)"
    return None


def _pick(target: spec.Table, headers: list[str]) -> dict[str, tuple[str, str]]:
    """{table column: (header, why)}: the best pairs first, each header and column used once."""
    exports = names.export_names(target.name)
    scored = []
    for order, column in enumerate(target.columns):
        for position, header in enumerate(headers):
            found = _candidates(column, header, exports)
            if found:
                scored.append((-found[0], order, position, column.name, header, found[1]))
    chosen: dict[str, tuple[str, str]] = {}
    used: set[str] = set()
    for _, _, _, column, header, why in sorted(scored):
        if column not in chosen and header not in used:
            chosen[column] = (header, why)
            used.add(header)
    return chosen


def explain(columns: list[str], *, table: str, joins: dict[str, Join] | None = None) -> Suggestion:
    """The suggested mapping for a file's header, with a note per table column.

    `columns` may include the columns of joined second files ("products.sales_price", see queries.ingest.joins) for
    the joins in `joins`: a table column this file does not fill takes a joined column named like it; one it fills
    takes the joined column second, for the rows where the file's own cell is empty.
    """
    target = spec.table(table)
    joins = joins or {}
    own = [c for c in columns if joined_name(c, joins) is None]
    keys = {join_column(name, column) for name, join in joins.items() for column in join.on.values()}
    joined = [c for c in columns if joined_name(c, joins) is not None and c not in keys]
    chosen = _pick(target, own)
    # A joined column is compared by its name in its own file.
    by_name = {c.partition(".")[2]: c for c in joined}
    extra = {column: (by_name[header], why) for column, (header, why) in _pick(target, list(by_name)).items()}
    columns_out: dict[str, str | list[str]] = {}
    notes: dict[str, str] = {}
    for column in target.columns:
        name = column.name
        if name in chosen and name in extra:
            columns_out[name] = [chosen[name][0], extra[name][0]]
            notes[name] = f"{chosen[name][1]}; where it is empty, {extra[name][0]}: {extra[name][1]}"
        elif name in chosen or name in extra:
            header, why = chosen.get(name) or extra[name]
            columns_out[name] = header
            notes[name] = why
    for (table_name, name), other in names.SHARED.items():
        if table_name == table and name not in columns_out and isinstance(columns_out.get(other), str):
            columns_out[name] = columns_out[other]
            notes[name] = f"the same column as {other}: the file has none of its own for it"
    for column in target.columns:
        if column.name not in columns_out:
            if column.default is not None:
                notes[column.name] = f"not found in the header: {column.default} unless set under [defaults]"
            elif column.required:
                notes[column.name] = "required, not found: map a file column or set a constant under [defaults]"
            else:
                notes[column.name] = "not found in the header"
    ordered = {c: columns_out[c] for c in target.column_names if c in columns_out}
    return Suggestion(Mapping(columns=ordered, joins=dict(joins)), notes)


def suggest(columns: list[str], *, table: str) -> Mapping:
    """The suggested mapping for a file's header (see explain)."""
    return explain(columns, table=table).mapping


def suggest_values(distinct: list[str], choices: tuple[str, ...], *, column: str | None = None) -> dict[str, str]:
    """Source values that are not in a vocabulary, each paired with an allowed value: the one a common CRM name stands
    for (names.VALUES of `column`: "Appointment Scheduled" → prospecting), else one the value contains ("Closed Won"
    → won), else the closest spelling; values none of these find are left out."""
    suggestions = {}
    for value in distinct:
        text = str(value).strip().lower()
        if not text or text in choices:
            continue
        known = names.known_value(column, value) if column else None
        if known in choices:
            suggestions[value] = known
            continue
        contained = [c for c in choices if c in text.replace(" ", "_") or c.replace("_", " ") in text]
        if contained:
            suggestions[value] = max(contained, key=len)
            continue
        close = difflib.get_close_matches(text, choices, n=1, cutoff=0.6)
        if close:
            suggestions[value] = close[0]
    return suggestions


def join_key(mine: list[str], theirs: list[str], *, unique: Iterable[str] = ()) -> dict[str, str] | None:
    """The key to join a second file on: a column both headers name alike (preferring one of `unique`, the second
    file's columns without repeated values), as {this file's column: the second file's}; None when they share none."""
    shared = [(m, t) for t in theirs for m in mine if names.normal(m) == names.normal(t)]
    if not shared:
        return None
    unique = set(unique)
    mine_key, their_key = next(((m, t) for m, t in shared if t in unique), shared[0])
    return {mine_key: their_key}
