"""The cache file's one SQLite connection: opening it privately, its lock, its transactions, its scopes.

Why one connection behind one re-entrant lock: the app reads the cache from its event loop and a
sync worker writes it from a thread, and SQLite connections are not safe to share without one. A
single connection also means one page cache (see the pragmas) instead of one per thread.

Every other module of the cache receives the ``sqlite3.Connection`` this hands out inside
``tx()`` or ``read()``, so the rules live here once: writes are one immediate transaction that
rolls back whole, reads see one state of the file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from noxtui.storage.cache import bulk_fill, files
from noxtui.storage.cache.schema import migrate
from noxtui.storage.cache.scope import CacheScope


class CacheError(Exception):
    """The cache file cannot be opened or used (corrupt, not a database, unwritable, closed)."""


def _tune(conn: sqlite3.Connection) -> None:
    """Pragmas for a single-writer cache that may be rebuilt at any time (durability is not precious)."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA temp_store=MEMORY")
    # 16 MB of page cache: the filter indexes of 100,000 threads fit (~12 MB); more only adds RSS.
    conn.execute("PRAGMA cache_size=-16384")
    conn.execute("PRAGMA foreign_keys=OFF")


class CacheConnection:
    """An open cache file (0600, schema current); ``CacheError`` if it cannot be used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._scopes: dict[CacheScope, int] = {}
        self._conn: sqlite3.Connection | None = None
        conn: sqlite3.Connection | None = None
        try:
            files.ensure_private_file(path)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
            _tune(conn)
            migrate(conn)
            if bulk_fill.indexes_missing(conn):  # a fill that never ended: build what it dropped
                with bulk_fill.sorting_fast(conn):
                    conn.execute("BEGIN IMMEDIATE")
                    bulk_fill.ensure_indexes(conn)
                    conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            raise CacheError(f"The thread cache at {path} cannot be used: {exc}") from exc
        self._conn = conn
        files.tighten(path)

    @property
    def conn(self) -> sqlite3.Connection:
        """The live connection (callers hold ``lock``); ``CacheError`` once closed."""
        conn = self._conn
        if conn is None:
            raise CacheError(f"The thread cache at {self.path} is closed")
        return conn

    def close(self) -> None:
        """Fold the WAL into the main file and close (idempotent)."""
        with self.lock:
            conn = self._conn
            if conn is None:
                return
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            conn.close()
            self._conn = None

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One immediate write transaction; rolls back whole on any error."""
        with self.lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                self._scopes.clear()  # a scope row created in this transaction is gone again
                raise
            conn.execute("COMMIT")

    @contextmanager
    def unflushed(self) -> Iterator[None]:
        """Commits that skip the disk flush (``synchronous=OFF``) until the block ends.

        For filling an empty cache: at a million threads the flushes of the WAL's checkpoints cost
        about a fifth of the fill. A crash of the app loses nothing committed (the WAL is written
        before a commit returns); a power cut mid-fill may damage the file, which ``open_or_rebuild``
        with ``check`` or ``doctor`` finds, and which a sync refills — it held no more than a mirror.
        """
        with self.lock:
            self.conn.execute("PRAGMA synchronous=OFF")
        try:
            yield
        finally:
            with self.lock:
                if self._conn is not None:
                    self._conn.execute("PRAGMA synchronous=NORMAL")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot, so keys and the rows they name come from one state of the file."""
        with self.lock:
            conn = self.conn
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    # --- scopes: every row is keyed by a small integer instead of (provider, account) -------------

    def scope_id(self, scope: CacheScope) -> int | None:
        """The scope's id, or ``None`` when the cache never held anything for it (callers hold ``lock``)."""
        known = self._scopes.get(scope)
        if known is not None:
            return known
        found = self.conn.execute(
            "SELECT scope_id FROM scopes WHERE provider = ? AND account = ?", (scope.provider, scope.account)
        ).fetchone()
        if found is None:
            return None
        self._scopes[scope] = int(found[0])
        return self._scopes[scope]

    def ensure_scope(self, scope: CacheScope) -> int:
        """The scope's id, created if new; call inside ``tx()`` so a rollback takes it back."""
        known = self.scope_id(scope)
        if known is not None:
            return known
        cursor = self.conn.execute(
            "INSERT INTO scopes(provider, account) VALUES (?, ?)", (scope.provider, scope.account)
        )
        self._scopes[scope] = int(cursor.lastrowid or 0)
        return self._scopes[scope]

    def scopes(self) -> list[CacheScope]:
        """Every account the file holds threads for, oldest first."""
        with self.lock:
            rows = self.conn.execute("SELECT provider, account FROM scopes ORDER BY scope_id").fetchall()
        return [CacheScope(provider, account) for provider, account in rows]
