"""A thread's ``message list`` summary, written as JSON by SQLite: the one definition of that shape.

Why in SQL: a first sync of a million threads asks for 10,000 pages, and building each summary as
Python objects (a ``sqlite3.Row`` of 30 columns, the nested dicts, three ISO times) and then
encoding them was ~85 µs a thread, most of the sandbox's cost of a sync. SQLite's
``json_object`` builds the same text in C, so a page is one query and a join of its rows' bytes:
~25–35 µs a thread at a million threads, most of it reading four rows in random places (the
thread, its creator, its labels, its projects; the labels' join and order ~9 µs, the projects ~6).
Tried and slower: the text written with one ``printf`` and ``json_quote``, and the arrays spliced
in as text instead of through ``json()``. Everything that wants dicts (``message get``, the
answers of writes, tools) parses this same text, so the wire shape is written down once.

The text is byte for byte what ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``
makes of the same values in the same key order — SQLite and Python escape the same characters
(``"``, ``\\``, and control characters, ``\\n``-style where one exists, else ``\\u00xx``) and
leave everything else as is; ``tests/sandbox/test_summary_json.py`` checks it on awkward values.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence


def iso_sql(column: str) -> str:
    """SQL for ``clock.iso(column)``: ISO 8601 in UTC with ``+00:00``, milliseconds only when not zero.

    ``column`` is a fixed column name from this module (never request text). The seconds are
    floored (``% 1000`` is signed in SQLite), as ``datetime.fromtimestamp`` floors an instant
    before 1970; NULL stays NULL.
    """
    millis = f"(({column} % 1000 + 1000) % 1000)"
    return (
        f"strftime('%Y-%m-%dT%H:%M:%S', ({column} - {millis}) / 1000, 'unixepoch') || "
        f"CASE WHEN {millis} = 0 THEN '' ELSE printf('.%03d', {millis}) END || '+00:00'"
    )


def _bool(condition: str) -> str:
    # ``json()`` marks the text as JSON, so ``json_object`` writes true/false rather than "true".
    return f"json(CASE WHEN {condition} THEN 'true' ELSE 'false' END)"


# Labels in their catalogue order; projects by id. ``json(...)`` again: a subquery's result loses
# the JSON mark, and without it the array would be written as a quoted string.
_LABELS = (
    "json((SELECT json_group_array(json_object('label_id', label_id, 'name', name, 'color', color)) "
    "FROM (SELECT l.label_id, l.name, l.color FROM thread_labels tl JOIN labels l ON l.label_id = tl.label_id "
    "WHERE tl.thread_seq = t.seq ORDER BY l.ord)))"
)
_PROJECTS = (
    "json((SELECT json_group_array(project_id) FROM "
    "(SELECT project_id FROM thread_projects WHERE thread_seq = t.seq ORDER BY project_id)))"
)

# Key order is the contract's (the order ``message list`` has always answered in).
SUMMARY_JSON = f"""json_object(
    'thread_id', printf('th_%06d', t.seq),
    'business_kind', t.business_kind,
    'business_id', t.business_id,
    'project_ids', {_PROJECTS},
    'creator', json_object(
        'creator_id', printf('cr_%06d', c.seq),
        'name', c.name,
        'platform', c.platform,
        'channel_url', c.channel_url,
        'email', c.email,
        'handle', c.handle
    ),
    'subject', t.subject,
    'snippet', t.snippet,
    'last_message_at', {iso_sql("t.last_message_at")},
    'last_message_direction', t.last_message_direction,
    'needs_reply', {_bool("t.needs_reply")},
    'pending_reason', t.pending_reason,
    'labels', {_LABELS},
    'coop_status', json_object('code', t.coop_status, 'name', coalesce(nullif(cs.name, ''), t.coop_status)),
    'owner_uid', t.owner_uid,
    'message_count', t.message_count,
    'has_draft', {_bool("t.draft_body != ''")},
    'scheduled_at', {iso_sql("t.schedule_at")},
    'updated_at', {iso_sql("t.updated_at")},
    'archived', {_bool("t.archived")}
)"""

# The page's rows in the order asked: ``json_each`` walks the list of seqs (its ``key`` is the
# place), each looked up by primary key. A seq with no thread is left out. Each text comes out as
# its UTF-8 bytes (a BLOB), which is what the answer is made of: no text object per thread.
_PAGE_SQL = (
    f"SELECT CAST({SUMMARY_JSON} AS BLOB) FROM json_each(?) j "
    "JOIN threads t ON t.seq = j.value JOIN creators c ON c.seq = t.creator_seq "
    "LEFT JOIN coop_statuses cs ON cs.code = t.coop_status ORDER BY j.key"
)


def summary_texts(conn: sqlite3.Connection, seqs: Sequence[int]) -> list[bytes]:
    """Each thread's summary as UTF-8 JSON, in the order of ``seqs`` (unknown seqs left out)."""
    if not seqs:
        return []
    return [row[0] for row in conn.execute(_PAGE_SQL, (json.dumps(list(seqs)),))]


def summaries_array(conn: sqlite3.Connection, seqs: Sequence[int]) -> tuple[bytes, int]:
    """The JSON array of the threads' summaries (a page's ``data``) and how many it holds."""
    texts = summary_texts(conn, seqs)
    return b"[" + b",".join(texts) + b"]", len(texts)
