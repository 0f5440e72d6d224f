"""The metric formulas (queries/sql/formulas.sql) as DuckDB macros, on every connection Tandem opens.

They live in an in-memory catalog attached as `formulas`, not in the user's file: a read-only file gets them too,
and nothing is written into the database. Attaching is per database instance, so every cursor of the connection
(each query runs on its own) calls them as formulas.<name>(…); a second connection to the same file in this
process finds them already there.
"""

from __future__ import annotations

import re
import threading
from functools import cache

import duckdb

CATALOG = "formulas"
_NAME = re.compile(r"^CREATE OR REPLACE MACRO formulas\.(\w+)\(", re.MULTILINE)
_lock = threading.Lock()


def text() -> str:
    from queries import db

    return db.sql_text(CATALOG)


@cache
def names() -> tuple[str, ...]:
    """Every macro formulas.sql defines, in its order."""
    return tuple(_NAME.findall(text()))


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Attach the `formulas` catalog to this connection's database and define the macros in it, once per database.

    Call after the schema exists: a table macro's tables must be there when it is defined.
    """
    from queries import db

    with _lock, con.cursor() as cur:
        current = cur.execute("SELECT current_database()").fetchone()[0]
        if current == CATALOG:
            raise db.DatabaseError(f"a database named {CATALOG!r} (a file {CATALOG}.duckdb) cannot be opened: "
                                   "rename the file")
        attached = cur.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = $name",
                               {"name": CATALOG}).fetchone()[0]
        if attached:
            return
        # READ_WRITE: on a read-only file an in-memory catalog would otherwise be read-only too, and empty.
        cur.execute(f"ATTACH ':memory:' AS {CATALOG} (READ_WRITE)")
        try:
            cur.execute(text())
        except BaseException:
            cur.execute(f"DETACH {CATALOG}")  # so that the next connection tries again instead of finding it half-made
            raise
