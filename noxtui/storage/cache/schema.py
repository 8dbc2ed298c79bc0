"""The cache's SQLite schema.

Why it looks like this:

* ``threads`` is narrow on purpose: the columns every filter needs (flat, so a filter is an index
  walk) and the columns a ``ThreadRow`` is built from, nothing else. The summary JSON lives in
  ``thread_json`` so that walking or scanning ``threads`` never drags kilobytes of JSON through
  the page cache.
* ``ix_threads_order`` is the list order (newest message first, ties by thread id, as the server
  sorts) followed by every flat filter column, so any mix of flat filters is one index-only walk
  that comes out already sorted — no sort step, at any size.
* ``(scope_id, thread_id)`` is unique by an index of its own (``UNIQUE_ID_INDEX``), not by a
  constraint of the table: filling an empty cache drops every index of the list and builds them
  once at the end (``bulk_fill.py``), and the indexes are created on open, not here, so a fill
  that never ended is repaired the same way.
* ``search`` (creator name, handle, subject, snippet, lower-cased) is the keyword's haystack. It
  has no index: no b-tree can seek a substring, and a scan in SQLite was too slow for a keystroke
  at 100,000 threads, so ``ThreadCache`` keeps these texts in memory beside the rows.
* Labels and projects (many per thread) are join tables indexed by (value, thread), so a label
  filter reads only that label's threads. Their columns are declared in primary-key order:
  SQLite 3.40's ``quick_check`` misreports NOT NULL on WITHOUT ROWID tables declared otherwise.
  ``label_ids``/``project_ids`` are also kept flat on the row for inspection and for rebuilding the
  join tables.
* Instants: ``last_ts`` is epoch seconds as a float (what ``ThreadRow.last_ts`` holds, so the
  row needs no conversion); ``updated_ms`` is epoch milliseconds.

The cache is disposable: a schema change drops everything and the next sync refills it.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

THREADS_TABLE = """
CREATE TABLE IF NOT EXISTS threads (
    k             INTEGER PRIMARY KEY,
    scope_id      INTEGER NOT NULL,
    thread_id     TEXT NOT NULL,
    -- filters
    needs_reply   INTEGER NOT NULL,
    direction     TEXT NOT NULL,
    coop_code     TEXT NOT NULL,
    owner_uid     TEXT,
    business_kind TEXT NOT NULL,
    business_id   TEXT NOT NULL,
    label_ids     TEXT NOT NULL,
    project_ids   TEXT NOT NULL,
    last_ts       REAL NOT NULL,
    updated_ms    INTEGER,
    search        TEXT NOT NULL,
    -- what a list line shows (ThreadRow)
    creator_name  TEXT NOT NULL,
    platform      TEXT NOT NULL,
    snippet       TEXT NOT NULL,
    labels        TEXT NOT NULL,
    coop_name     TEXT NOT NULL,
    has_draft     INTEGER NOT NULL,
    scheduled     INTEGER NOT NULL
);
"""
"""The list's table. ``(scope_id, thread_id)`` is unique by ``UNIQUE_ID_INDEX``, an index of its own
(not a constraint of the table) so that filling an empty cache can drop it (``bulk_fill.py``)."""

UNIQUE_ID_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS ix_threads_id ON threads(scope_id, thread_id)"

TABLES = """
CREATE TABLE IF NOT EXISTS cache_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS scopes (
    scope_id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    account  TEXT NOT NULL,
    UNIQUE (provider, account)
);


CREATE TABLE IF NOT EXISTS thread_json (
    k       INTEGER PRIMARY KEY,
    summary TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS thread_labels (
    label_id TEXT NOT NULL,
    k        INTEGER NOT NULL,
    PRIMARY KEY (label_id, k)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS thread_projects (
    project_id TEXT NOT NULL,
    k          INTEGER NOT NULL,
    PRIMARY KEY (project_id, k)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS full_threads (
    scope_id   INTEGER NOT NULL,
    thread_id  TEXT NOT NULL,
    body       TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    PRIMARY KEY (scope_id, thread_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sync_state (
    scope_id     INTEGER PRIMARY KEY,
    watermark    TEXT,
    watermark_ms INTEGER
);
"""

INDEXES = """
CREATE INDEX IF NOT EXISTS ix_threads_order
    ON threads(scope_id, last_ts DESC, thread_id DESC, needs_reply, direction, coop_code, owner_uid,
               business_kind, business_id);
CREATE INDEX IF NOT EXISTS ix_threads_updated ON threads(scope_id, updated_ms);
CREATE INDEX IF NOT EXISTS ix_thread_labels_k ON thread_labels(k);
CREATE INDEX IF NOT EXISTS ix_thread_projects_k ON thread_projects(k);
"""

DROP_ALL = """
DROP TABLE IF EXISTS scopes;
DROP TABLE IF EXISTS threads;
DROP TABLE IF EXISTS thread_json;
DROP TABLE IF EXISTS thread_labels;
DROP TABLE IF EXISTS thread_projects;
DROP TABLE IF EXISTS full_threads;
DROP TABLE IF EXISTS sync_state;
DROP TABLE IF EXISTS cache_meta;
DROP TABLE IF EXISTS thread_search;
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Bring an open cache file to ``SCHEMA_VERSION``: create what is missing, drop a file of another version.

    There are no step-by-step migrations on purpose: the cache only mirrors the server, so a file
    written by another version is emptied and the next sync refills it. A file without
    ``cache_meta`` is new (or predates versioning) and simply gets the tables.
    """
    version = None
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'cache_meta'").fetchone():
        found = conn.execute("SELECT value FROM cache_meta WHERE key = 'schema_version'").fetchone()
        version = found[0] if found else None
    if version is not None and version != str(SCHEMA_VERSION):
        conn.executescript(DROP_ALL)
    conn.executescript(TABLES)
    conn.execute(THREADS_TABLE)
    conn.execute("INSERT OR IGNORE INTO cache_meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
