"""The first screenful of the cached inbox, read with nothing but ``sqlite3``.

Before its first frame the app needs the newest few dozen rows of the unfiltered list and how many
there are; everything else (the row map ``ThreadCache`` builds over every thread, pydantic, the
provider, the sync engine) can load while the rep is already looking at the list. Reading one
page here is a single indexed walk of ``ix_threads_order`` with a ``LIMIT``: a few milliseconds at
any size. The same SQL fragments as ``ThreadCache`` (``ROW_SELECT``, ``ORDER_BY``) make the page
identical to the top of the list the full cache paints a moment later.

Anything unexpected (no file yet, another schema version, a damaged file) means "no first page":
the app then starts the ordinary way and ``ThreadCache.open_or_rebuild`` deals with the file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from noxtui.domain.rows import ThreadRow
from noxtui.storage.cache.columns import ROW_SELECT, row_from_columns
from noxtui.storage.cache.query import ORDER_BY, order_hint
from noxtui.storage.cache.schema import SCHEMA_VERSION
from noxtui.storage.cache.scope import CacheScope


@dataclass(frozen=True)
class FirstPage:
    """The newest ``rows`` of one account's cached inbox, and how many threads it holds in all."""

    rows: list[ThreadRow]
    total: int


def read_first_page(path: Path, scope: CacheScope, limit: int) -> FirstPage | None:
    """The top ``limit`` rows of ``scope``'s unfiltered list, or ``None`` when there is nothing usable."""
    if limit <= 0 or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _read(conn, scope, limit)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, scope: CacheScope, limit: int) -> FirstPage | None:
    version = conn.execute("SELECT value FROM cache_meta WHERE key = 'schema_version'").fetchone()
    if version is None or version[0] != str(SCHEMA_VERSION):
        return None
    found = conn.execute(
        "SELECT scope_id FROM scopes WHERE provider = ? AND account = ?", (scope.provider, scope.account)
    ).fetchone()
    if found is None:
        return None
    scope_id = found[0]
    # Counted from the narrowest index the planner finds (not the wide list-order index): at a
    # million threads this is the one part of the first page that grows with the inbox.
    total = conn.execute("SELECT count(*) FROM threads WHERE scope_id = ?", (scope_id,)).fetchone()[0]
    if not total:
        return None
    rows = [
        row_from_columns(values)
        for values in conn.execute(
            f"SELECT {ROW_SELECT} FROM threads t {order_hint(conn)} "
            f"WHERE t.scope_id = ? ORDER BY {ORDER_BY} LIMIT ?",
            (scope_id, limit),
        )
    ]
    return FirstPage(rows, total)
