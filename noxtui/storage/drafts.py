"""Unsent reply text, kept on disk per thread so a crash, a kill or a dropped SSH session loses nothing.

The composer writes here on every pause in typing. Text is removed only when the server holds it
(draft saved, reply sent or scheduled). On the next start the text comes back, marked when it
differs from the server's saved draft so the rep knows which one they are looking at.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from noxtui.storage.cache.files import ensure_private_file, tighten

_SCHEMA = """
CREATE TABLE IF NOT EXISTS local_drafts (
    scope TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    body TEXT NOT NULL,
    server_body TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (scope, thread_id)
)
"""


@dataclass(frozen=True)
class LocalDraft:
    body: str
    server_body: str
    saved_at: datetime


class LocalDrafts:
    """A tiny SQLite store (WAL, 0600). Writes are synchronous: they are small and must hit disk."""

    def __init__(self, path: Path | str, scope: str) -> None:
        self.path = Path(path)
        self.scope = scope
        ensure_private_file(self.path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(_SCHEMA)
        tighten(self.path)

    def save(self, thread_id: str, body: str, server_body: str) -> None:
        """Remember what the rep typed; identical to the server's draft means nothing to keep."""
        with self._lock:
            if body == server_body:
                self._conn.execute(
                    "DELETE FROM local_drafts WHERE scope = ? AND thread_id = ?", (self.scope, thread_id)
                )
                return
            self._conn.execute(
                "INSERT INTO local_drafts (scope, thread_id, body, server_body, saved_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (scope, thread_id) DO UPDATE SET body = excluded.body, "
                "server_body = excluded.server_body, saved_at = excluded.saved_at",
                (self.scope, thread_id, body, server_body, datetime.now(timezone.utc).isoformat()),
            )

    def load(self, thread_id: str) -> LocalDraft | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT body, server_body, saved_at FROM local_drafts WHERE scope = ? AND thread_id = ?",
                (self.scope, thread_id),
            ).fetchone()
        if row is None:
            return None
        return LocalDraft(row[0], row[1], datetime.fromisoformat(row[2]))

    def discard(self, thread_id: str) -> None:
        """The server now holds this text (saved, sent or scheduled): forget the local copy."""
        with self._lock:
            self._conn.execute("DELETE FROM local_drafts WHERE scope = ? AND thread_id = ?", (self.scope, thread_id))

    def thread_ids(self) -> list[str]:
        with self._lock:
            rows = self._conn.execute("SELECT thread_id FROM local_drafts WHERE scope = ?", (self.scope,)).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
