"""Tables of the sandbox's Inbox (X DM) workspace, in the same SQLite file as the Nox workspace.

Every table is prefixed ``inbox_`` and every index ``inbox_ix_`` (not ``ix_``), so the Nox seed's
bulk load — which drops and rebuilds ``ix_*`` indexes — never touches them; the Inbox workspace is
small (~60 threads), so its indexes are simply kept up to date row by row.

The thread row carries ``last_message_at``, ``last_message_seq`` and ``last_from_contact`` so a
list page is one index walk in keyset order (``done, is_request, last_message_at DESC, seq DESC``)
with no per-row lookup of the newest message. Instants are epoch milliseconds as in ``nox/schema.py``.

``syncing_reads`` is how many more message-list reads answer ``isSyncing: true`` (a thread still
loading its history from X); ``inbox_events`` is the 7-day change feed of ``GET /events``.
``SCHEMA_MARK`` names a column only this version has: ``seed.ensure_inbox`` rebuilds an older
Inbox workspace (sample data) instead of serving it in a shape the routes no longer write.

One file serves both faked vendors: the Nox ``Store`` opens it, so ``nox/schema.py`` adds these
tables to its own. This package never imports ``nox`` (the dependency points one way).
"""

from __future__ import annotations

SCHEMA_MARK = ("inbox_threads", "syncing_reads")
INBOX_TABLE_NAMES = (
    "inbox_team", "inbox_users", "inbox_account_links", "inbox_tags", "inbox_statuses", "inbox_prospects",
    "inbox_prospect_tags", "inbox_threads", "inbox_messages", "inbox_events",
)

INBOX_TABLES = """
CREATE TABLE IF NOT EXISTS inbox_team (
    seq  INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS inbox_users (
    seq        INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT 'user',
    created_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS inbox_account_links (
    seq          INTEGER PRIMARY KEY,
    platform_id  TEXT NOT NULL,
    username     TEXT NOT NULL,
    display_name TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'active',
    created_at   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS inbox_tags (
    seq   INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    color TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS inbox_statuses (
    seq   INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    color TEXT
);

CREATE TABLE IF NOT EXISTS inbox_prospects (
    seq          INTEGER PRIMARY KEY,
    platform_id  TEXT NOT NULL,
    username     TEXT NOT NULL,
    display_name TEXT NOT NULL,
    status_seq   INTEGER,
    notes        TEXT,
    valuation    REAL,
    imported     INTEGER NOT NULL DEFAULT 1,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS inbox_prospect_tags (
    prospect_seq INTEGER NOT NULL,
    tag_seq      INTEGER NOT NULL,
    PRIMARY KEY (prospect_seq, tag_seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS inbox_threads (
    seq               INTEGER PRIMARY KEY,
    account_link_seq  INTEGER NOT NULL,
    prospect_seq      INTEGER NOT NULL,
    done              INTEGER NOT NULL DEFAULT 0,
    is_request        INTEGER NOT NULL DEFAULT 0,
    assignee_seq      INTEGER,
    last_message_at   INTEGER NOT NULL,
    last_message_seq  INTEGER,
    last_from_contact INTEGER NOT NULL DEFAULT 0,
    syncing_reads     INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS inbox_messages (
    seq          INTEGER PRIMARY KEY,
    thread_seq   INTEGER NOT NULL,
    from_contact INTEGER NOT NULL,
    user_seq     INTEGER,
    content      TEXT NOT NULL,
    origin       TEXT NOT NULL,
    reply_to_seq INTEGER,
    created_at   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS inbox_events (
    seq        INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data       TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS inbox_ix_threads_list
    ON inbox_threads(done, is_request, last_message_at DESC, seq DESC);
CREATE INDEX IF NOT EXISTS inbox_ix_threads_prospect ON inbox_threads(prospect_seq);
CREATE INDEX IF NOT EXISTS inbox_ix_messages_thread ON inbox_messages(thread_seq, created_at, seq);
CREATE INDEX IF NOT EXISTS inbox_ix_prospect_tags_tag ON inbox_prospect_tags(tag_seq, prospect_seq);
"""
