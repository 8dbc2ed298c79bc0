"""``Store``: the sandbox database as the Nox routes, the seed and the tests use it.

The class is assembled in layers, one module each, every layer free to call the ones below:

* ``database.py`` (shared): per-thread connections, transactions, ``query``, ``dump``, ``clear``,
  the ``sandbox_meta`` and ``idempotency`` tables;
* ``store_catalog.py``: reference lists, templates, email tasks, CRM channels;
* ``store_threads.py``: the list page and thread reads;
* ``store_writes.py``: every thread write;
* this module: opening the file with its whole schema (``schema.py``: the Nox tables and, since
  one file serves both vendors, the Inbox ones), and the counts tests assert on.

Readers return plain dicts shaped like the contract so the HTTP layer only wraps them in envelopes.
The Inbox queries borrow the same file and locks (``inbox/store.py``).
"""

from __future__ import annotations

from pathlib import Path

from noxtui.sandbox.database import JsonDict
from noxtui.sandbox.nox.schema import SCHEMA
from noxtui.sandbox.nox.store_writes import NoxThreadWrites

__all__ = ["Store"]


class Store(NoxThreadWrites):
    """One sandbox database. Open it, seed it (``seed.py``), then serve it (``sandbox/app.py``)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, SCHEMA)

    def is_empty(self) -> bool:
        """No Nox workspace yet (the seed refuses to write over one)."""
        row = self._conn().execute("SELECT COUNT(*) FROM threads").fetchone()
        return int(row[0]) == 0

    def rebuild_search(self) -> None:
        """Re-index all of ``thread_text`` at once (after a bulk seed)."""
        with self.write() as conn:
            conn.execute("INSERT INTO thread_search(thread_search) VALUES ('rebuild')")

    def stats(self) -> JsonDict:
        """Counts for "exactly once" assertions in tests."""
        conn = self._conn()

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "threads": one("SELECT COUNT(*) FROM threads"),
            "live_threads": one("SELECT COUNT(*) FROM threads WHERE archived = 0"),
            "archived_threads": one("SELECT COUNT(*) FROM threads WHERE archived = 1"),
            "needs_reply": one("SELECT COUNT(*) FROM threads WHERE archived = 0 AND needs_reply = 1"),
            "messages": one("SELECT COUNT(*) FROM messages"),
            "inbound_messages": one("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'"),
            "outbound_messages": one("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"),
            "sends": one("SELECT COUNT(*) FROM messages WHERE origin = 'send'"),
            "scheduled_deliveries": one("SELECT COUNT(*) FROM messages WHERE origin = 'schedule'"),
            "simulated_inbound": one("SELECT COUNT(*) FROM messages WHERE origin = 'inbound'"),
            "scheduled_pending": one("SELECT COUNT(*) FROM threads WHERE schedule_at IS NOT NULL"),
            "drafts": one("SELECT COUNT(*) FROM threads WHERE draft_body != ''"),
            "templates": one("SELECT COUNT(*) FROM templates"),
            "attachments": one("SELECT COUNT(*) FROM attachments"),
            "uploads": one("SELECT COUNT(*) FROM attachments WHERE data IS NOT NULL"),
            "idempotency_keys": one("SELECT COUNT(*) FROM idempotency"),
            "creators": one("SELECT COUNT(*) FROM creators"),
            "crm_channels": one("SELECT COUNT(*) FROM crm_channels"),
            "email_tasks": one("SELECT COUNT(*) FROM email_tasks"),
        }
