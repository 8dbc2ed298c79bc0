"""The keyword index of a large cache: SQLite FTS5 with the trigram tokenizer, in the cache file.

Why: above ``TEXTS_IN_MEMORY`` threads the search texts cannot stay in memory (~190 bytes a
thread: 190 MB at a million, most of the 300 MB budget), and a scan of the ``search`` column in
SQLite reads every row (seconds at a million). A trigram index answers a keyword of three or more
characters from the rows holding its rarest trigrams; shorter keywords cannot use it, and are
answered by the grams (``short_grams.py``), as are keywords of up to three bytes. A longer one
is the rows holding its byte triples less those the index names as holding them apart
(``_by_triples``), or, when few rows can match, the phrase query's keys or their texts
(``rows_with``); a scan (``instr``) answers only until the indexes are built.

Exactness: ``case_sensitive 1`` and a phrase query make a match exactly "the lower-cased text
holds the lower-cased keyword", the rule of the in-memory search and of the server.

The index is built on request, in steps (``build_step``: ~10 minutes in all at a million on the
loaded reference machine, so the caller decides when), used once complete, and kept in step by
every write of ``list_tables.py`` from its first step on (rowid = row key). Its steps then build
the grams (~10 more minutes at a million); ``complete`` means both are.
"""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from collections.abc import Callable
from itertools import repeat

from noxtui.storage.cache import short_grams

TABLE = "thread_search"
MIN_CHARS = 3
"""The shortest keyword a trigram index can answer."""


SCAN_WITHIN_MOST = 5_000
"""Most rows a keyword typed on tests by reading their texts rather than asking the trigram index
(~4 µs a text at a million rows on the loaded reference machine; a phrase query costs 30-150 ms)."""

PHRASE_KEYS_MOST = 50_000
"""Most matches for which handing over a phrase query's keys is cheaper than the way by triples
(at a million threads: 30-50 ms for 15,000 keys, ~200 ms for 250,000, where the way by triples
costs 50-140 ms whatever the count)."""

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
    conn: sqlite3.Connection,
    scope_id: int,
    keyword: str,
    keys_below: int,
    at_most: int | None = None,
    within: Callable[[], list[int] | None] = lambda: None,
) -> list[int] | bytes:
    """The scope's rows whose search text holds ``keyword``: their keys (any order, maybe other
    scopes' too), or one byte per row key ``0 .. keys_below - 1``, 1 where the row matches.

    ``at_most`` rows can match, the keys ``within()`` names (a previous keyword's matches, or
    ``None``: any row): read only where it pays, since listing them costs ~0.3 µs a row. Keywords
    of 1-2 characters and of up to three bytes come from the grams (``short_grams.py``), longer
    ones from the trigram index and the grams (``_by_triples``), or, up to ``PHRASE_KEYS_MOST``
    matches, the phrase query's keys; up to ``SCAN_WITHIN_MOST``, the texts of the previous
    matches are read instead. A scan of the texts answers while the indexes are being built, and
    tests the few candidates of a two-character keyword of four bytes and more.
    """
    grams_ready = short_grams.complete(conn)
    short = len(keyword) < MIN_CHARS or len(keyword.encode("utf-8")) <= short_grams.LONGEST
    candidates: list[int] | None = None
    if short and grams_ready:
        grams, exact = short_grams.needle_grams(keyword)
        by_key = short_grams.rows_holding(conn, grams, keys_below)
        if exact:
            return by_key
        candidates = _ones(by_key)
    phrase_ready = len(keyword) >= MIN_CHARS and trigrams_complete(conn)
    if phrase_ready and (at_most is None or at_most > SCAN_WITHIN_MOST):
        phrase = _quoted(keyword)
        by_triples = grams_ready and (at_most is None or at_most > PHRASE_KEYS_MOST)
        counted = _by_triples(conn, keyword, phrase) if by_triples else None
        if counted is not None:
            return counted
        found = conn.execute(f"SELECT json_group_array(rowid) FROM {TABLE} WHERE {TABLE} MATCH ?", (phrase,))
    else:
        previous = within()
        if candidates is not None and (previous is None or len(candidates) < len(previous)):
            previous = candidates
        if previous is not None:
            found = conn.execute(
                "SELECT json_group_array(k) FROM threads WHERE k IN (SELECT value FROM json_each(?)) "
                "AND instr(search, ?)",
                (json.dumps(previous), keyword),
            )
        else:
            found = conn.execute(
                "SELECT json_group_array(k) FROM threads WHERE scope_id = ? AND instr(search, ?)", (scope_id, keyword)
            )
    text = found.fetchone()[0]
    return json.loads(text) if text else []


def _by_triples(conn: sqlite3.Connection, keyword: str, phrase: str) -> bytes | None:
    """The rows holding ``keyword`` as one byte per row key, from the grams: the rows holding all
    its byte triples, less those that hold them apart. ``None`` when that cannot be told cheaply.

    Why: handing over a quarter of a million keys of a phrase query costs ~200 ms at a million
    threads; the triples' bitmaps cost ~20-50 ms, and the rows holding the triples apart are few
    (5 of 245,211 for "collab"). For an ASCII keyword the index's trigrams are its byte triples,
    so the index names those rows exactly (all trigrams, NOT the phrase). For a wider one, the
    candidates are the answer when they are as many as the phrase counts (the answer is among
    them); otherwise ``None``.
    """
    top = conn.execute("SELECT max(k) FROM threads").fetchone()[0] or 0
    grams, _ = short_grams.needle_grams(keyword)
    candidates = short_grams.rows_holding(conn, grams, top + 1)
    if keyword.isascii():
        apart = " AND ".join(_quoted(gram.decode("ascii")) for gram in grams) + " NOT " + phrase
        found = conn.execute(f"SELECT json_group_array(rowid) FROM {TABLE} WHERE {TABLE} MATCH ?", (apart,))
        text = found.fetchone()[0]
        wrong = [key for key in (json.loads(text) if text else []) if key <= top]
        if not wrong:
            return candidates
        kept = bytearray(candidates)
        deque(map(kept.__setitem__, wrong, repeat(0)), maxlen=0)
        return bytes(kept)
    counted = conn.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH ?", (phrase,)).fetchone()[0]
    return candidates if candidates.count(1) == counted else None


def _quoted(text: str) -> str:
    """``text`` as one FTS5 string (a phrase): nothing in it is query syntax."""
    return '"' + text.replace('"', '""') + '"'


def _ones(by_key: bytes) -> list[int]:
    """The keys whose byte is 1."""
    found: list[int] = []
    place = by_key.find(1)
    while place != -1:
        found.append(place)
        place = by_key.find(1, place + 1)
    return found
