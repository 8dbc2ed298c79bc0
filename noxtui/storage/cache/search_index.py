"""The keyword index of a large cache: SQLite FTS5 with the trigram tokenizer, in the cache file.

Why: above ``TEXTS_IN_MEMORY`` threads the search texts cannot stay in memory (~190 bytes a
thread: 190 MB at a million, most of the 300 MB budget), and a scan of the ``search`` column in
SQLite reads every row (seconds at a million). A trigram index answers a keyword of three or more
characters from the rows holding its rarest trigrams. Shorter keywords cannot use it and are
answered by a scan (``instr``), narrowed to a previous keyword's matches when there is one.

Exactness: ``case_sensitive 1`` and a phrase query make a match exactly "the lower-cased text
holds the lower-cased keyword", the rule of the in-memory search and of the server.

The index is built on request, in steps (``build_step``: ~10 minutes in all at a million on the
loaded reference machine, so the caller decides when), used once complete, and kept in step by
every write of ``list_tables.py`` from its first step on (rowid = row key). Its steps then build
the short keywords' grams (``short_grams.py``), which answer keywords of one or two characters;
``complete`` means both are.
"""

from __future__ import annotations

import json
import sqlite3

from noxtui.storage.cache import short_grams

TABLE = "thread_search"
MIN_CHARS = 3
"""The shortest keyword a trigram index can answer."""


SCAN_WITHIN_MOST = 5_000
"""Most rows a keyword typed on tests by reading their texts rather than asking the trigram index
(~4 µs a text at a million rows on the loaded reference machine; a phrase query costs 30-150 ms)."""

_THROUGH = "search_index_through"
"""``cache_meta`` key: the highest row key indexed so far, or ``-1`` once every row is."""


def exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None


def _through(conn: sqlite3.Connection) -> int | None:
    """``None``: no index; ``-1``: complete; else the highest key indexed so far."""
    if not exists(conn):
        return None
    found = conn.execute("SELECT value FROM cache_meta WHERE key = ?", (_THROUGH,)).fetchone()
    return int(found[0]) if found else 0


def trigrams_complete(conn: sqlite3.Connection) -> bool:
    return _through(conn) == -1


def complete(conn: sqlite3.Connection) -> bool:
    """Both indexes are built: every keyword is answered without a scan."""
    return trigrams_complete(conn) and short_grams.complete(conn)


def build_step(conn: sqlite3.Connection, rows: int) -> bool:
    """Index the next ``rows`` rows by key (inside the caller's transaction); ``True`` once complete.

    In steps so a caller can build it beside a running app: each step is one short transaction,
    and the writes in between keep the part already indexed in step (``refresh``).
    """
    through = _through(conn)
    if through is None:
        conn.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search, tokenize = 'trigram case_sensitive 1')")
        through = 0
    if through == -1:
        return short_grams.build_step(conn, rows)
    last = conn.execute(
        "SELECT max(k) FROM (SELECT k FROM threads WHERE k > ? ORDER BY k LIMIT ?)", (through, rows)
    ).fetchone()[0]
    if last is not None:
        conn.execute(
            f"INSERT INTO {TABLE}(rowid, search) SELECT k, search FROM threads WHERE k > ? AND k <= ?", (through, last)
        )
    conn.execute(
        "INSERT OR REPLACE INTO cache_meta(key, value) VALUES (?, ?)", (_THROUGH, str(-1 if last is None else last))
    )
    return False


def refresh(conn: sqlite3.Connection, keys: list[int]) -> None:
    """Re-read the texts of ``keys`` from ``threads`` (after an upsert or a delete), if indexed.

    While the index is being built, only keys it has reached are re-read: the later steps
    index the rest.
    """
    through = _through(conn) if keys else None
    if through is None:
        return
    key_list = json.dumps(keys)
    if short_grams.exists(conn):  # the old texts, before they leave the index
        old = conn.execute(
            f"SELECT rowid, search FROM {TABLE} WHERE rowid IN (SELECT value FROM json_each(?))", (key_list,)
        )
        short_grams.refresh(conn, dict(old.fetchall()), keys)
    conn.execute(f"DELETE FROM {TABLE} WHERE rowid IN (SELECT value FROM json_each(?))", (key_list,))
    conn.execute(
        f"INSERT INTO {TABLE}(rowid, search) SELECT k, search FROM threads "
        "WHERE k IN (SELECT value FROM json_each(?)) AND (? = -1 OR k <= ?)",
        (key_list, through, through),
    )


def rows_with(
    conn: sqlite3.Connection, scope_id: int, keyword: str, within: list[int] | None, keys_below: int
) -> list[int] | bytes:
    """The scope's rows whose search text holds ``keyword``: their keys (any order, maybe other
    scopes' too), or one byte per row key ``0 .. keys_below - 1``, 1 where the row matches.

    ``within``: only these rows can match (a previous keyword's matches): a scan reads only them.
    Keywords of 1-2 characters and of three ASCII letters come from the grams (``short_grams.py``),
    longer ones from the trigram index; a scan of the texts answers only while those are being
    built, and tests the few candidates of a two-character keyword of four bytes and more.
    """
    short = len(keyword) < MIN_CHARS or len(keyword.encode("utf-8")) <= short_grams.LONGEST
    if short and short_grams.complete(conn):
        grams, exact = short_grams.needle_grams(keyword)
        by_key = short_grams.rows_holding(conn, grams, keys_below)
        if exact:
            return by_key
        candidates = _ones(by_key)
        within = candidates if within is None or len(candidates) < len(within) else within
    if len(keyword) >= MIN_CHARS and trigrams_complete(conn) and (within is None or len(within) > SCAN_WITHIN_MOST):
        phrase = '"' + keyword.replace('"', '""') + '"'
        found = conn.execute(f"SELECT json_group_array(rowid) FROM {TABLE} WHERE {TABLE} MATCH ?", (phrase,))
    elif within is not None:
        found = conn.execute(
            "SELECT json_group_array(k) FROM threads WHERE k IN (SELECT value FROM json_each(?)) AND instr(search, ?)",
            (json.dumps(within), keyword),
        )
    else:
        found = conn.execute(
            "SELECT json_group_array(k) FROM threads WHERE scope_id = ? AND instr(search, ?)", (scope_id, keyword)
        )
    text = found.fetchone()[0]
    return json.loads(text) if text else []


def _ones(by_key: bytes) -> list[int]:
    """The keys whose byte is 1."""
    found: list[int] = []
    place = by_key.find(1)
    while place != -1:
        found.append(place)
        place = by_key.find(1, place + 1)
    return found
