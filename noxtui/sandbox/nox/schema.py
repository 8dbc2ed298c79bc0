"""The Nox workspace's SQLite schema, and the whole file's: ``SCHEMA`` is what ``Store`` opens.

One database file serves both faked vendors, and the Nox ``Store`` is what opens it, so ``SCHEMA``
adds the Inbox tables (``inbox/schema.py``) to the Nox ones: that is why this module imports the
Inbox package (never the other way round). The tables no vendor owns (``sandbox_meta``,
``idempotency``) come from ``database.py``.

Design notes (why it looks like this):

* Every ``message list`` filter is a flat column of ``threads`` so a filter is an index walk, never
  a JSON probe. Only labels and projects (many per thread) live in join tables.
* Public ids (``th_000001``, ``cr_000001``, ``msg_0000001``…) are derived from the integer primary
  key, so no extra unique text index has to be built when seeding 100,000 threads.
* Instants are integer epoch milliseconds (see ``clock.py``).
* ``ix_threads_live_wide`` is ``(archived, last_message_at DESC)`` followed by *every* flat filter
  column, so for any combination of filters both the page ("newest first, stop after 50 matches")
  and the total (``COUNT(*)``) are index-only scans of one narrow index — the worst case is a
  linear pass over ~100,000 small entries, never a sort of the table or random row lookups.
  Label, project and keyword filters are ``seq IN (subquery)`` probes against the rowid that index
  carries. ``listing.py`` picks between this scan and driving the query from a small set.
  Measured at 100,000 threads on a 2-core machine: median ~2 ms over 600 random filter mixes,
  typical worst cases 30–45 ms before keywords; a keyword costs one counting pass on top (below).
* ``thread_text`` holds the lower-cased creator name, handle, subject and snippet per thread,
  joined by a unit separator so a keyword can never match across two fields; ``thread_search``
  (FTS5, trigram tokenizer) indexes it. A keyword is searched as one quoted phrase, i.e. a literal
  substring: ``%``, ``_`` and quotes mean nothing special. Trigrams cannot index keywords of one or
  two characters; those fall back to an escaped ``LIKE`` over the narrow ``thread_text`` table
  (``LIKE`` is about twice as fast as ``instr`` there).
* ``ix_threads_by_seq`` is the wide index again but in row order (``seq`` first). The keyword plans
  lean on it: walked in ``seq`` order, it checks every flat filter on a narrow entry, and only the
  rows that pass read their ``thread_text`` row, looked up in the same order (a short keyword, or a
  common one with a narrowing filter); a keyword's trigram matches (listed in ``seq`` order) and a
  set's candidates (a label's threads) look their entries up here instead of in the table — a
  narrow covering entry instead of a whole thread row. Reading ~57,000 texts this way (``ma`` with
  one weak filter) is the slowest list there is, ~30 ms at 100,000 threads; the figures are in
  ``bench/README.md`` (figure 6, all 1,728 filter combinations).
* From 50,000 threads on, even one pass over the rows a broad filter matches costs too much, so
  lists come from an in-memory list index (``list_index.py``: every filter value a set of list
  positions). What the file adds for it: ``list_generation``, a counter triggers move on every
  change to a table a list reads, so an index built in one snapshot is known to fit another; and
  ``ix_threads_drafted`` (the ``draft`` view's threads). Both are created on open in older files.
"""

from __future__ import annotations

from noxtui.sandbox.database import DatabaseSchema
from noxtui.sandbox.inbox.schema import INBOX_TABLES

SCHEMA_VERSION = 1

NOX_TABLES = """
CREATE TABLE IF NOT EXISTS coop_statuses (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ord  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS labels (
    label_id TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    color    TEXT NOT NULL,
    ord      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS team_members (
    user_uid TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    email    TEXT NOT NULL,
    ord      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS senders (
    sender_auth_id TEXT PRIMARY KEY,
    address        TEXT NOT NULL,
    name           TEXT NOT NULL,
    provider       TEXT NOT NULL,
    ord            INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS creators (
    seq         INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    handle      TEXT NOT NULL,
    platform    TEXT NOT NULL,
    channel_url TEXT NOT NULL,
    email       TEXT,
    language    TEXT NOT NULL,
    owner_uid   TEXT
);

CREATE TABLE IF NOT EXISTS email_tasks (
    seq             INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    status          TEXT NOT NULL,
    sender_auth_id  TEXT,
    recipient_count INTEGER NOT NULL,
    scheduled_at    INTEGER,
    sent_at         INTEGER
);

CREATE TABLE IF NOT EXISTS threads (
    seq                     INTEGER PRIMARY KEY,
    creator_seq             INTEGER NOT NULL,
    business_kind           TEXT NOT NULL,
    business_id             TEXT NOT NULL,
    subject                 TEXT NOT NULL,
    snippet                 TEXT NOT NULL,
    last_message_at         INTEGER NOT NULL,
    last_message_direction  TEXT NOT NULL,
    needs_reply             INTEGER NOT NULL,
    pending_reason          TEXT,
    coop_status             TEXT NOT NULL,
    owner_uid               TEXT,
    message_count           INTEGER NOT NULL,
    archived                INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    draft_body              TEXT NOT NULL DEFAULT '',
    draft_sender_auth_id    TEXT,
    draft_attachment_ids    TEXT NOT NULL DEFAULT '[]',
    draft_updated_at        INTEGER,
    schedule_at             INTEGER,
    schedule_content        TEXT,
    schedule_sender_auth_id TEXT,
    schedule_attachment_ids TEXT NOT NULL DEFAULT '[]'
);

-- Keyword search: lower-cased "name<US>handle<US>subject<US>snippet" per thread (rowid = thread
-- seq). The trigram tokenizer turns a quoted phrase into a literal substring match served by an
-- index, so a keyword over 100,000 threads costs a few milliseconds instead of a table scan.
-- ``thread_text`` holds the text; ``thread_search`` is an external-content FTS index over it.
CREATE TABLE IF NOT EXISTS thread_text (
    seq         INTEGER PRIMARY KEY,
    search_text TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS thread_search USING fts5(
    search_text, content = 'thread_text', content_rowid = 'seq', tokenize = 'trigram', columnsize = 0
);

CREATE TABLE IF NOT EXISTS thread_projects (
    thread_seq INTEGER NOT NULL,
    project_id TEXT NOT NULL,
    PRIMARY KEY (thread_seq, project_id)
) WITHOUT ROWID;

-- Read state for ``message list --status unread`` (the CLI's view): the newest message a rep had
-- seen when ``message get`` last fetched the thread. Unread = the newest message is inbound and
-- newer than that. Its own table, so older sandbox files gain it on open (no column migration).
CREATE TABLE IF NOT EXISTS thread_reads (
    thread_seq           INTEGER PRIMARY KEY,
    seen_last_message_at INTEGER NOT NULL
);

-- Moves on every change to what a thread list can show (``list_index.py``): a list index built in a
-- snapshot at generation n serves every later snapshot at n, across connections. Triggers keep it
-- (``LIST_GENERATION_TRIGGERS``); its one row survives ``clear`` (the delete is ignored), so a
-- number is never reused for other data.
CREATE TABLE IF NOT EXISTS list_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT OR IGNORE INTO list_generation(id, n) VALUES (1, 0);
CREATE TRIGGER IF NOT EXISTS list_generation_kept BEFORE DELETE ON list_generation
BEGIN SELECT RAISE(IGNORE); END;

CREATE TABLE IF NOT EXISTS thread_labels (
    thread_seq INTEGER NOT NULL,
    label_id   TEXT NOT NULL,
    PRIMARY KEY (thread_seq, label_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS messages (
    seq            INTEGER PRIMARY KEY,
    thread_seq     INTEGER NOT NULL,
    direction      TEXT NOT NULL,
    sender_name    TEXT NOT NULL,
    sender_address TEXT NOT NULL,
    sent_at        INTEGER NOT NULL,
    subject        TEXT,
    body_text      TEXT NOT NULL,
    tracked        INTEGER NOT NULL DEFAULT 0,
    origin         TEXT NOT NULL DEFAULT 'seed'
);

CREATE TABLE IF NOT EXISTS attachments (
    seq          INTEGER PRIMARY KEY,
    thread_seq   INTEGER NOT NULL,
    message_seq  INTEGER,
    filename     TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB,
    created_at   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS templates (
    seq        INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    language   TEXT NOT NULL,
    subject    TEXT,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS crm_channels (
    creator_seq INTEGER PRIMARY KEY,
    coop_status TEXT,
    label_ids   TEXT NOT NULL DEFAULT '[]',
    owner_uid   TEXT,
    email       TEXT,
    url         TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL
);
"""


def _generation_triggers(tables: tuple[str, ...]) -> str:
    """One trigger per table and kind of change, each moving ``list_generation`` on."""
    return "".join(
        f"CREATE TRIGGER IF NOT EXISTS list_generation_{table}_{event.lower()} AFTER {event} ON {table}\n"
        "BEGIN UPDATE list_generation SET n = n + 1; END;\n"
        for table in tables
        for event in ("INSERT", "UPDATE", "DELETE")
    )


# Every table a ``message list`` answer reads from (rows, order, filters, keyword text).
LIST_GENERATION_TRIGGERS = _generation_triggers(
    ("threads", "thread_labels", "thread_projects", "thread_reads", "thread_text")
)

# Built after a bulk seed (cheaper than maintaining them row by row during executemany).
INDEXES = """
CREATE INDEX IF NOT EXISTS ix_threads_live_wide
    ON threads(archived, last_message_at DESC, seq DESC, needs_reply, last_message_direction, coop_status, owner_uid,
               business_kind, business_id, updated_at);
CREATE INDEX IF NOT EXISTS ix_threads_live_business
    ON threads(business_id, last_message_at DESC) WHERE archived = 0;
CREATE INDEX IF NOT EXISTS ix_threads_live_updated
    ON threads(updated_at) WHERE archived = 0;
CREATE INDEX IF NOT EXISTS ix_threads_by_seq
    ON threads(seq, archived, last_message_at, needs_reply, last_message_direction, coop_status, owner_uid,
               business_kind, business_id, updated_at);
CREATE INDEX IF NOT EXISTS ix_threads_business ON threads(business_kind, business_id);
CREATE INDEX IF NOT EXISTS ix_threads_creator ON threads(creator_seq);
CREATE INDEX IF NOT EXISTS ix_threads_schedule ON threads(schedule_at) WHERE schedule_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_threads_drafted ON threads(seq) WHERE draft_body != '';
CREATE INDEX IF NOT EXISTS ix_thread_labels_label ON thread_labels(label_id, thread_seq);
CREATE INDEX IF NOT EXISTS ix_thread_projects_project ON thread_projects(project_id, thread_seq);
CREATE INDEX IF NOT EXISTS ix_messages_thread ON messages(thread_seq, sent_at);
CREATE INDEX IF NOT EXISTS ix_attachments_thread ON attachments(thread_seq);
CREATE INDEX IF NOT EXISTS ix_attachments_message ON attachments(message_seq) WHERE message_seq IS NOT NULL;
"""

# The Inbox (X DM) workspace shares the file; its tables and indexes are created with these.
SCHEMA = DatabaseSchema(
    tables=NOX_TABLES + LIST_GENERATION_TRIGGERS + INBOX_TABLES,
    indexes=INDEXES,
    version=SCHEMA_VERSION,
    search_indexes=("thread_search",),
)
