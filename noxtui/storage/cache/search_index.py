"""The keyword index of a large cache: SQLite FTS5 with the trigram tokenizer, in the cache file.

Why: above ``TEXTS_IN_MEMORY`` threads the search texts cannot stay in memory (~190 bytes a
thread: 190 MB at a million, most of the 300 MB budget), and a scan of the ``search`` column in
SQLite reads every row (seconds at a million). A trigram index answers a keyword of three or more
characters from the rows holding its rarest trigrams. Shorter keywords cannot use it and are
answered by a scan (``instr``), narrowed to a previous keyword's matches when there is one.

Exactness: ``case_sensitive 1`` and a phrase query make a match exactly "the lower-cased text
holds the lower-cased keyword", the rule of the in-memory search and of the server.

The index is built on request (``build``: tens of seconds at a million, so the caller decides
when) and, once it exists, kept in step by every write of ``list_tables.py`` (rowid = row key).
"""

from __future__ import annotations

import json
import sqlite3

TABLE = "thread_search"
MIN_CHARS = 3
"""The shortest keyword a trigram index can answer."""


def exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None


def build(conn: sqlite3.Connection) -> None:
    """Create the index and fill it from every cached row (inside the caller's transaction)."""
    if exists(conn):
        return
    conn.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search, tokenize = 'trigram case_sensitive 1')")
    conn.execute(f"INSERT INTO {TABLE}(rowid, search) SELECT k, search FROM threads")


def drop(conn: sqlite3.Connection) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {TABLE}")


def refresh(conn: sqlite3.Connection, keys: list[int]) -> None:
    """Re-read the texts of ``keys`` from ``threads`` (after an upsert or a delete), if indexed."""
    if not keys or not exists(conn):
        return
    key_list = json.dumps(keys)
    conn.execute(f"DELETE FROM {TABLE} WHERE rowid IN (SELECT value FROM json_each(?))", (key_list,))
    conn.execute(
        f"INSERT INTO {TABLE}(rowid, search) SELECT k, search FROM threads WHERE k IN (SELECT value FROM json_each(?))",
        (key_list,),
    )


def keys_with(conn: sqlite3.Connection, scope_id: int, keyword: str, within: list[int] | None) -> list[int]:
    """Keys of the scope's rows whose search text holds ``keyword`` (any order).

    ``within``: only these rows can match (a previous keyword's matches): a scan reads only them.
    """
    if len(keyword) >= MIN_CHARS and exists(conn):
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
