"""SQL over ``sync_state``: the watermark, the newest server ``updated_at`` already mirrored.

It is the next sync's ``updated_since`` (see ``sync.py`` for how it stays honest). Stored twice:
as the ISO text it is handed back as (offset kept) and as epoch milliseconds, so "never move
backwards" is one integer comparison inside the upsert, safe against two syncs finishing together.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone


def read(conn: sqlite3.Connection, scope_id: int) -> datetime | None:
    """The scope's watermark, or ``None`` before its first complete sync."""
    found = conn.execute("SELECT watermark FROM sync_state WHERE scope_id = ?", (scope_id,)).fetchone()
    return datetime.fromisoformat(found[0]) if found and found[0] else None


def advance(conn: sqlite3.Connection, scope_id: int, when: datetime) -> None:
    """Move the watermark to ``when`` if that is later (a naive ``when`` is taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    ms = int(round(when.timestamp() * 1000))
    conn.execute(
        "INSERT INTO sync_state(scope_id, watermark, watermark_ms) VALUES (?, ?, ?) "
        "ON CONFLICT(scope_id) DO UPDATE SET watermark = excluded.watermark, watermark_ms = excluded.watermark_ms "
        "WHERE sync_state.watermark_ms IS NULL OR excluded.watermark_ms > sync_state.watermark_ms",
        (scope_id, when.isoformat(), ms),
    )


def delete(conn: sqlite3.Connection, scope_id: int) -> None:
    """Forget the watermark: the scope's next sync is a full one."""
    conn.execute("DELETE FROM sync_state WHERE scope_id = ?", (scope_id,))
