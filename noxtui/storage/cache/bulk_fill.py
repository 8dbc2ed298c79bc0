"""Filling an empty cache fast: rows appended without their indexes, the indexes built once at the end.

Why: at a million threads most of a first fill's SQLite time went to keeping five b-trees in step
row by row, worst the unique ``(scope_id, thread_id)`` index, which thread ids reach in random
order (every insert a different leaf page, each dirtied page written again at commit). Rows
appended to a table with no secondary index cost a third as much, and ``CREATE INDEX`` afterwards
sorts once (a few seconds at a million).

How it stays correct:

* Only a file whose ``threads`` table is empty is filled this way (``begin``), and only while the
  caller holds the fill open (``ThreadCache.filling``).
* Rows are appended without looking for an older copy (there is no index to look with). A thread
  can still arrive twice: the list shifted between two pages, or the app wrote a fresher copy from
  ``message get`` meanwhile. ``end`` keeps one copy of each, chosen as ``write_newer`` would have
  chosen it row by row (``_survivor``), before the unique index is built again.
* ``ensure_indexes`` ends a fill, and runs on every open too: a fill the app never ended (a crash,
  a kill) left the indexes missing, and they are built then, duplicates resolved the same way.

* A sync's page readers (``page_reader.py``) may append too, each over a connection of its own
  (``open_appender``, ``append_batch``): appends from several processes only need the write lock
  in turn, and the copies they may make of one thread are resolved by the same ``end``.

Files created before this (their threads table declared the pair ``UNIQUE``, an index that
cannot be dropped) keep that constraint until they are empty again; ``begin`` then recreates the
table in the current shape.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from noxtui.storage.cache import list_tables
from noxtui.storage.cache.columns import FlatThread
from noxtui.storage.cache.schema import INDEXES, THREADS_TABLE, UNIQUE_ID_INDEX

_DROPPED = ("ix_threads_id", "ix_threads_order", "ix_threads_updated", "ix_thread_labels_k", "ix_thread_projects_k")
_OLD_UNIQUE = "sqlite_autoindex_threads_1"


def _exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def begin(conn: sqlite3.Connection) -> bool:
    """Inside a write transaction: when ``threads`` is empty, drop its indexes; ``True`` if it did."""
    if conn.execute("SELECT 1 FROM threads LIMIT 1").fetchone() is not None:
        return False
    if _exists(conn, _OLD_UNIQUE):  # an older file: recreate the (empty) table without the constraint
        conn.execute("DROP TABLE threads")
        conn.execute(THREADS_TABLE)
    for name in _DROPPED:  # fixed literals, never input
        conn.execute(f"DROP INDEX IF EXISTS {name}")
    return True


def append(conn: sqlite3.Connection, scope_id: int, batch: list[FlatThread]) -> list[tuple[int, FlatThread]]:
    """Write ``batch`` as new rows under fresh keys (no copy is looked for: ``end`` resolves them)."""
    first = int(conn.execute("SELECT coalesce(max(k), 0) + 1 FROM threads").fetchone()[0])
    keys = list(range(first, first + len(batch)))
    list_tables.write_rows(conn, scope_id, keys, batch, rewritten=[])
    return list(zip(keys, batch, strict=True))


class FillTarget(NamedTuple):
    """A cache file being filled, and the scope a page reader appends its rows to."""

    path: str
    scope_id: int


APPENDER_WAIT_S = 120.0
"""How long a page reader waits for the write lock (the others' appends, the app's own writes)."""


def open_appender(target: FillTarget) -> sqlite3.Connection:
    """A page reader's own connection to the filling file. Not ``CacheConnection``: opening that
    would take the dropped indexes for a fill that never ended and build them mid-fill."""
    conn = sqlite3.connect(target.path, isolation_level=None, timeout=APPENDER_WAIT_S)
    conn.execute("PRAGMA synchronous=OFF")  # as the app's connection during a fill (``unflushed``)
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA cache_size=-16384")
    return conn


def append_batch(conn: sqlite3.Connection, scope_id: int, batch: list[FlatThread]) -> None:
    """``append`` in an immediate transaction of its own: the keys it takes (``max(k) + 1``) are
    read under the write lock, so two processes never take the same ones."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        append(conn, scope_id, list_tables.newest_copies(batch))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def indexes_missing(conn: sqlite3.Connection) -> bool:
    """Whether an index of the list is missing (a fill under way, or one that never ended)."""
    names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    unique = _OLD_UNIQUE in names or "ix_threads_id" in names
    return not unique or not names.issuperset(_DROPPED[1:])


def ensure_indexes(conn: sqlite3.Connection) -> list[int]:
    """Inside a write transaction: create whatever index is missing (the end of a fill, or a file
    whose fill never ended). A thread found twice keeps the copy ``write_newer`` would have kept;
    returns the keys of the copies deleted."""
    for statement in INDEXES.split(";"):  # one by one: ``executescript`` would commit the transaction
        if statement.strip():
            conn.execute(statement)
    if _exists(conn, _OLD_UNIQUE) or _exists(conn, "ix_threads_id"):
        return []
    try:
        conn.execute(UNIQUE_ID_INDEX)  # the usual case: every thread arrived once
        return []
    except sqlite3.IntegrityError:  # only this statement failed; the transaction goes on
        deleted = _keep_one_copy(conn)
    conn.execute(UNIQUE_ID_INDEX)
    return deleted


SORT_THREADS = max(0, min(4, os.cpu_count() or 1))


SORT_CACHE_KIB = 2_000
"""The page cache while the indexes are built: SQLite's default, an eighth of the cache's usual."""


@contextmanager
def sorting_fast(conn: sqlite3.Connection) -> Iterator[None]:
    """Around the transaction of ``ensure_indexes`` (outside it: SQLite refuses to change
    ``temp_store`` within one). Sorts run on helper threads (the sync's readers are done by now)
    and spill to temporary files rather than to memory: three indexes over a million rows took
    9.9 s with neither, 6.0 s with both.

    The page cache is small meanwhile: a sort keeps in memory what the cache holds before it
    writes a sorted run, and smaller runs are what the helper threads sort side by side (three
    indexes over a million rows: 5.3–6.2 s with the usual 16 MB, 4.0–4.6 s with 1–2 MB). The
    connection's usual settings come back afterwards."""
    usual_cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA threads = {SORT_THREADS}")
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute(f"PRAGMA cache_size = {-SORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {usual_cache}")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA threads = 0")


def _keep_one_copy(conn: sqlite3.Connection) -> list[int]:
    twice = conn.execute(
        "SELECT scope_id, thread_id FROM threads GROUP BY scope_id, thread_id HAVING count(*) > 1"
    ).fetchall()
    losers: list[int] = []
    for scope_id, thread_id in twice:
        copies = conn.execute(
            "SELECT k, updated_ms FROM threads WHERE scope_id = ? AND thread_id = ? ORDER BY k", (scope_id, thread_id)
        ).fetchall()
        kept = _survivor(copies)
        losers.extend(key for key, _ in copies if key != kept)
    if losers:
        list_tables.delete_keys(conn, losers)
    return losers


def _survivor(copies: list[tuple[int, int | None]]) -> int:
    """The key ``write_newer`` would have left, the copies written one after another in key order: a
    later copy replaces the kept one unless both carry ``updated_at`` and the later one's is older."""
    kept_key, kept_updated = copies[0]
    for key, updated in copies[1:]:
        if kept_updated is not None and updated is not None and updated < kept_updated:
            continue
        kept_key, kept_updated = key, updated
    return kept_key
