"""SQL over ``full_threads``: the threads the rep opened, kept whole for reading offline.

Only opened threads are kept (a conversation is kilobytes; the list needs none of it), and only
the ``MAX_FULL_THREADS`` most recently fetched: a rep who opens threads all day must not grow the
file without bound. Each function runs inside the caller's transaction or snapshot.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timezone

from noxtui.domain.models import Thread

MAX_FULL_THREADS = 2_000
"""Opened threads kept for offline reading; the least recently fetched are dropped beyond this."""


def save(conn: sqlite3.Connection, scope_id: int, thread_id: str, body: str, fetched_at: float, *, keep: int) -> None:
    """Store a thread's JSON ``body`` (serialised by the caller, outside the write transaction) as
    fetched at ``fetched_at`` (epoch seconds), then drop all but the ``keep`` newest fetches."""
    conn.execute(
        "INSERT INTO full_threads(scope_id, thread_id, body, fetched_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(scope_id, thread_id) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
        (scope_id, thread_id, body, fetched_at),
    )
    conn.execute(
        "DELETE FROM full_threads WHERE scope_id = ? AND thread_id NOT IN "
        "(SELECT thread_id FROM full_threads WHERE scope_id = ? ORDER BY fetched_at DESC LIMIT ?)",
        (scope_id, scope_id, keep),
    )


def load(conn: sqlite3.Connection, scope_id: int, thread_id: str) -> tuple[Thread, datetime] | None:
    """The thread as last opened and when it was fetched, or ``None``."""
    found = conn.execute(
        "SELECT body, fetched_at FROM full_threads WHERE scope_id = ? AND thread_id = ?", (scope_id, thread_id)
    ).fetchone()
    if found is None:
        return None
    return Thread.model_validate_json(found[0]), datetime.fromtimestamp(found[1], tz=timezone.utc)


def delete(conn: sqlite3.Connection, scope_id: int, thread_ids: Sequence[str]) -> None:
    """Forget the opened copies of ``thread_ids`` (archived or gone threads)."""
    conn.execute(
        "DELETE FROM full_threads WHERE scope_id = ? AND thread_id IN (SELECT value FROM json_each(?))",
        (scope_id, json.dumps(list(thread_ids))),
    )


def delete_all(conn: sqlite3.Connection, scope_id: int) -> None:
    """Forget every opened thread of the scope."""
    conn.execute("DELETE FROM full_threads WHERE scope_id = ?", (scope_id,))
