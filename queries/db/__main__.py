"""`python -m queries.db init PATH`: an empty Tandem database, with the company's own name, currency and calendar.

    python -m queries.db init my.duckdb --company "Acme GmbH" --currency EUR --fiscal-year-start 2
    python -m queries.db init postgresql://tandem@db.example.com/tandem --company "Acme GmbH"

Exit 0 prints where the database is and what to do next; exit 1 says why nothing was created (an existing file, an
invalid value); exit 2 is a usage error.
"""

from __future__ import annotations

import argparse
import sys

from queries import db, settings
from queries.db import schema


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m queries.db", description="Create an empty Tandem database.")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="create an empty Tandem database (schema and settings, no rows)",
                               description="Create an empty Tandem database: every table, no rows, and the "
                                           "company settings (the seed file's, tandem.toml, with the options "
                                           "given here). Never overwrites an existing file or Tandem database.")
    init.add_argument("path", metavar="PATH", help="a new .duckdb file, or a postgresql:// connection string")
    init.add_argument("--company", metavar="NAME", help="the company's name, shown on every page")
    init.add_argument("--currency", metavar="CODE", help="ISO 4217 code every amount is shown in (e.g. EUR)")
    init.add_argument("--fiscal-year-start", metavar="MONTH", type=int,
                      help="the month the fiscal year starts in, 1-12 (2 = February: Feb-Apr 2026 is FY27 Q1)")
    init.add_argument("--week-start", choices=("monday", "sunday"), help="the first day of a week")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        chosen = settings.seeded(company=args.company, currency=args.currency,
                                 fiscal_year_start=args.fiscal_year_start, week_start=args.week_start)
        where = schema.init(args.path, chosen)
    except db.TandemError as exc:
        print(f"Nothing was created: {exc}", file=sys.stderr)
        return 1
    shown = db.resolve_path(where)
    label = shown.describe() if db.is_postgres(shown) else str(shown)
    print(f"Created an empty Tandem database for {chosen.company_name} ({chosen.currency}, fiscal year from month "
          f"{chosen.fiscal_year_start_month}) at {label}.")
    target = label if not db.is_postgres(shown) else "'<the connection string>'"
    print(f"Next: TANDEM_DB={target} streamlit run dashboard.py opens it on the Data page's checklist (reps, deals, "
          f"quotas, campaigns and spend, leads, brand metrics); or import from here: python -m queries.ingest --db "
          f"{target} --table reps FILE.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
