"""`python -m brief --db PATH --meeting ID --out brief.pdf`: a meeting's PDF brief from the command line.

Exit 0 prints the path written; a bad meeting id or database prints one line and exits 1; a usage error exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from queries import db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m brief", description="Write a planning meeting's PDF brief.")
    parser.add_argument("--db", required=True, help="the Tandem database file")
    parser.add_argument("--meeting", required=True, help="the meeting id (e.g. M-0002)")
    parser.add_argument("--out", required=True, help="the PDF file to write")
    parser.add_argument("--csv", help="also write the open action items as CSV to this file")
    parser.add_argument("--no-definitions", dest="definitions", action="store_false",
                        help="leave out the appendix with the definitions of every metric, stage, model and the SLA")
    args = parser.parse_args(argv)

    import brief  # after argument parsing: --help stays fast

    out = Path(args.out).expanduser()
    try:
        if not out.parent.is_dir():
            raise db.TandemError(f"{out}: the folder {out.parent} does not exist")
        con = db.connect(args.db, read_only=True)
        try:
            pdf = brief.build_pdf(con, meeting_id=args.meeting, definitions=args.definitions)
            csv = brief.action_items_csv(con, meeting_id=args.meeting) if args.csv else None
        finally:
            con.close()
        _write(out, pdf)
        if csv is not None:
            _write(Path(args.csv).expanduser(), csv)
    except db.TandemError as exc:
        print(f"python -m brief: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"python -m brief: cannot write {exc.filename or out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(out)
    return 0


def _write(path: Path, content: bytes) -> None:
    """Write atomically: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
