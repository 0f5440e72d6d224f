"""Command line: python -m sample_data --db PATH [--seed 7] [--months 36] [--end YYYY-MM-DD] [--scale 1.0]."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from queries import db
from sample_data import generate


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sample_data",
                                     description="Generate Tandem's sample company database.")
    parser.add_argument("--db", default=None, help="database file to write (default: $TANDEM_DB or the embedded one)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--end", type=_iso_date, default=None, help="last day of data (default: today)")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 60k leads; 20 ≈ 1.2M leads")
    args = parser.parse_args(argv)
    path = db.resolve_path(args.db)
    started = time.perf_counter()
    try:
        generate(path, seed=args.seed, months=args.months, end=args.end, scale=args.scale)
    except db.TandemError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    shown = path.describe() if db.is_postgres(path) else path  # never echo a password
    print(f"wrote {shown} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
