"""Command line: python -m queries.ingest --db PATH --table TABLE [--mapping MAP.toml] [--join NAME=FILE ...]
[--mode insert|upsert] [--dry-run] FILE | --table TABLE --suggest [--join NAME=FILE ...] [--out MAP.toml] FILE |
--db PATH --undo BATCH_ID | --db PATH --list.

Exit 0: done (prints the batch id and row count, or the suggested mapping). Exit 1: nothing changed (validation
problems, undo refused, database unavailable). Exit 2: usage error, or no database at PATH (nothing is created:
`python -m queries.db init PATH` makes one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from pathlib import Path

from queries import access, db
from queries.ingest import joins, mapping, source, spec

REPORT_LIMIT = 50


class Usage(Exception):
    """A wrong argument or a missing file: exit 2 with this message."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m queries.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="the Tandem database file (it must exist; not needed with --suggest)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--undo", metavar="BATCH_ID", help="undo one import batch")
    action.add_argument("--list", action="store_true", help="list import batches")
    action.add_argument("--suggest", action="store_true",
                        help="print the mapping suggested from the file's header as TOML, to edit and reuse")
    parser.add_argument("--table", choices=list(spec.TABLES), help="the table to import into")
    parser.add_argument("--mapping", type=Path, help="a mapping file (TOML); default: suggested from the header")
    parser.add_argument("--join", action="append", default=[], metavar="NAME=FILE",
                        help="the second file of the mapping's [joins.NAME] (default: its `file`, beside the "
                             "mapping, else beside FILE); without --mapping, a second file to suggest columns from, "
                             "joined on a column both files name alike")
    parser.add_argument("--out", type=Path, help="with --suggest: write the mapping to this new file")
    parser.add_argument("--mode", choices=spec.MODES, default="insert")
    parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    parser.add_argument("--actor", help="who is importing (recorded in import_batches.imported_by)")
    parser.add_argument("file", nargs="?", type=Path)
    return parser


def _print_problems(problems) -> None:
    from queries.ingest import problems as report  # pandas: imported meanwhile (see _import_meanwhile)

    for line in report.report(problems, limit=REPORT_LIMIT):
        print(line)


def _print_notes(read: source.Source) -> None:
    """What the joins left empty: not wrong, but worth knowing before the numbers are read."""
    for note in read.notes:
        print(f"note: {note['problem']}")


def _import_meanwhile(module: str) -> None:
    """Start importing a module on a thread. Reading a file is mostly Arrow's threads, so the import (pandas
    among it, a slow one) runs beside it; `import` where the module is used waits for it, or imports it if it failed."""
    def load() -> None:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001, S110 - imported again where used, which raises it there
            pass

    threading.Thread(target=load, name=f"import {module}", daemon=True).start()


def _operator(name: str | None) -> access.Actor | None:
    """Whoever runs the command line has the database file in hand: an admin, named for the record."""
    return access.Actor(name, "admin") if name else None


def _list_or_undo(con, args: argparse.Namespace) -> int:
    from queries.ingest import core

    if args.list:
        print(core.history(con).fillna("").to_string(index=False))
        return 0
    result = core.undo(con, batch_id=args.undo, actor=_operator(args.actor))
    print(f"undone {result['batch_id']} ({result['table']}): {result['deleted']} rows deleted, "
          f"{result['restored']} rows restored")
    return 0


def _join_files(args: argparse.Namespace, chosen: mapping.Mapping | None) -> dict[str, Path]:
    """The second file of each join: --join NAME=FILE, else the mapping's `file` beside the mapping file."""
    given: dict[str, Path] = {}
    for text in args.join:
        name, equals, path = text.partition("=")
        if not equals or not mapping.JOIN_NAME.fullmatch(name) or not path:
            raise Usage(f"--join {text}: write it NAME=FILE, NAME letters, digits and underscores")
        if chosen is not None and name not in chosen.joins:
            raise Usage(f"--join {name}: the mapping has no [joins.{name}] (it has: "
                        f"{', '.join(chosen.joins) or 'none'})")
        given[name] = Path(path)
    for name, path in given.items():
        if not path.is_file():
            raise Usage(f"{path}: no such file (the second file of join {name})")
    for name, join in (chosen.joins if chosen is not None else {}).items():
        if name in given:
            continue
        if not join.file:
            raise Usage(f"[joins.{name}] names no file: give it with --join {name}=FILE")
        places = [args.mapping.parent / join.file, args.file.parent / join.file]
        found = next((p for p in places if p.is_file()), None)
        if found is None:
            raise Usage(f"{join.file}, the second file of join {name}, is neither beside the mapping nor beside "
                        f"{args.file.name}; name it with --join {name}=FILE")
        given[name] = found
    return given


def _combine(read: source.Source, chosen: mapping.Mapping | None, files: dict[str, Path]
             ) -> tuple[source.Source, dict[str, mapping.Join]]:
    """The file with its joined second files' columns; the joins (a suggested key for each new one)."""
    from queries.ingest import suggestions

    known = dict(chosen.joins) if chosen is not None else {}
    others: dict[str, source.Source] = {}
    for name, path in files.items():
        join = known.get(name) or mapping.Join(on={})
        others[name] = joins.read(path.read_bytes(), name=path.name, join=join, path=path)
        if not join.on:
            other = others[name]
            unique = [c for c in other.columns
                      if len(other.table[c].drop_null().unique()) == len(other.table[c].drop_null())]
            key = suggestions.join_key(read.columns, other.columns, unique=unique)
            if key is None:
                raise Usage(f"--join {name}: {read.name} and {path.name} name no column alike; write the key in a "
                            f'mapping: [joins.{name}] on = {{ "{read.name} column" = "{path.name} column" }}')
            known[name] = mapping.Join(on=key, file=str(path))
    return joins.combine(read, known, others), known


def _suggested(read: source.Source, known: dict[str, mapping.Join], table: str):
    """The suggestion for the file's header, with value suggestions for vocabulary columns and the date format."""
    from queries.ingest import core, suggestions

    suggestion = suggestions.explain(read.columns, table=table, joins=known)
    chosen = suggestion.mapping
    for column in spec.table(table).columns:
        if column.choices and column.name in chosen.columns:
            outside = [v for v in core.distinct_values(read, chosen, column=column.name)
                       if v.strip().lower() not in column.choices]
            values = suggestions.suggest_values(outside, column.choices, column=column.name)
            if values:
                chosen.values[column.name] = values
            missing = [v for v in outside if v not in values]
            if missing:
                shown = ", ".join(repr(v) for v in missing[:5]) + (" …" if len(missing) > 5 else "")
                suggestion.notes[column.name] += (f"; {len(missing)} values without a suggestion ({shown}): "
                                                  f"map them under [values.{column.name}]")
    return suggestion


def _suggest(args: argparse.Namespace, read: source.Source, known: dict[str, mapping.Join]) -> int:
    from queries.ingest import core

    suggestion = _suggested(read, known, args.table)
    chosen = suggestion.mapping
    ranked = core.detect_date_format(read, chosen, table=args.table)
    if ranked:
        chosen.options["date_format"] = ranked[0][0]
    folder = (args.out.parent if args.out else Path.cwd()).resolve()
    for join in chosen.joins.values():  # a join's file is read relative to the mapping file
        join.file = Path(os.path.relpath(Path(join.file).resolve(), folder)).as_posix()
    total = len(spec.table(args.table).columns)
    text = (f"# Suggested for the {args.table} table from the header of {read.name}: {suggestion.found} of {total} "
            "columns found.\n# Check each line, then import with --mapping and this file.\n"
            + mapping.dumps(chosen, table=args.table, notes=suggestion.notes))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"{args.out}: {suggestion.found} of {total} columns suggested", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def _database(args: argparse.Namespace) -> Path:
    """The database to use, which must exist: an import never creates one (a dry run writes nothing at all)."""
    path = db.resolve_path(args.db)
    if not db.is_postgres(path) and (not path.is_file() or path.stat().st_size == 0):
        raise Usage(f"{args.db}: no such database; create it with: python -m queries.db init {args.db}")
    return path


def _check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> bool:
    """Whether this is an import (or a suggestion); parser.error (exit 2) for arguments that do not fit."""
    importing = not (args.undo or args.list)
    if not args.suggest and not args.db:
        parser.error("--db is required (except with --suggest)")
    if importing and (not args.table or not args.file):
        parser.error("--table and FILE are required to import or suggest (or use --undo BATCH_ID or --list)")
    if importing and not args.file.is_file():
        parser.error(f"{args.file}: no such file")
    if args.mapping and not args.mapping.is_file():
        parser.error(f"{args.mapping}: no such mapping file")
    if args.suggest and args.mapping:
        parser.error("--suggest makes a mapping: leave out --mapping")
    if args.out and not args.suggest:
        parser.error("--out is for --suggest")
    if args.out and args.out.exists():
        parser.error(f"{args.out} exists; choose a new file name")
    return importing


def _run_import(con, args: argparse.Namespace, read: source.Source, chosen: mapping.Mapping) -> int:
    from queries.ingest import core  # imported meanwhile (see _import_meanwhile)

    if not chosen.options.get("date_format"):
        ranked = core.detect_date_format(read, chosen, table=args.table)
        if ranked:
            chosen.options["date_format"] = ranked[0][0]
    if args.dry_run:
        report = core.validate(con, source=read, mapping=chosen, table=args.table, mode=args.mode)
        if not report.ok:
            _print_problems(report.problems)
            return 1
        print(f"dry run: {report.rows} rows would be imported into {args.table} "
              f"({report.existing} already exist); nothing was written")
    else:
        report = core.commit(con, source=read, mapping=chosen, table=args.table, mode=args.mode,
                             actor=_operator(args.actor))
        print(f"{report.batch_id} {report.rows} rows imported into {args.table} "
              f"({report.inserted} inserted, {report.updated} updated)")
    _print_notes(read)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    importing = _check_arguments(parser, args)
    if importing:
        _import_meanwhile("queries.ingest.core")  # used once the file is read
    con = None
    try:
        path = None if args.suggest else _database(args)
        chosen = mapping.loads(args.mapping.read_text(encoding="utf-8")) if args.mapping else None
        files = _join_files(args, chosen) if importing else {}
        if path is not None:
            # A dry run opens the file read-only: nothing about it changes, not even an upgrade of its schema.
            con = db.connect(path, read_only=bool(args.list or args.dry_run))
        if not importing:
            return _list_or_undo(con, args)
        read = source.read_source(args.file.read_bytes(), name=args.file.name, path=args.file,
                                  options=chosen.read_options() if chosen else None)
        read, known = _combine(read, chosen, files)
        if args.suggest:
            return _suggest(args, read, known)
        if chosen is None:
            suggestion = _suggested(read, known, args.table)
            chosen = suggestion.mapping
            print(f"mapping suggested from the header ({suggestion.found} of {len(spec.table(args.table).columns)} "
                  "columns; see it with --suggest)", file=sys.stderr)
        return _run_import(con, args, read, chosen)
    except Usage as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except source.ImportRejected as exc:
        _print_problems(exc.problems)
        return 1
    except db.TandemError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if con is not None:
            con.close()


if __name__ == "__main__":
    sys.exit(main())
