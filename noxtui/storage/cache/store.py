"""``ThreadCache``: the offline copy of every thread summary, and of the threads the rep opened.

What it is for: the app paints the list from here at start-up (before the network answers), keeps
working offline, and answers every filter locally; the server is only asked what changed since
the last sync (``sync.py``). So three paths must be fast at 100,000 threads: a filter toggle and a
keystroke in the search box (``filtering.py``), and a sync batch (one transaction per page,
``executemany`` for every table: ``list_tables.py``).

This class is the one door: it decides which scope a call is about, opens the transaction, calls
the module that owns the tables involved, and updates the in-memory rows only after the write
committed. The modules each own one part of the file:

* ``connection.py``: the connection, its lock, transactions and scope ids (``schema.py``: tables);
* ``list_tables.py``: the list's tables; ``filtering.py``: answering queries from them;
* ``opened.py``: opened threads; ``sync_state.py``: the watermark; ``integrity.py``: the check.

Rules: parameterised SQL only; one connection guarded by a lock, so a thread worker may call in;
an older copy of a thread never overwrites a newer one (pages of a sync arrive out of order); the
file is private (``files.py``).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from noxtui.domain.models import Thread, ThreadQuery, ThreadSummary
from noxtui.domain.rows import ThreadRow
from noxtui.storage.cache import bulk_fill, files, integrity, list_order, list_tables, opened, search_index, sync_state
from noxtui.storage.cache.bulk_fill import FillTarget
from noxtui.storage.cache.columns import FlatThread, flatten
from noxtui.storage.cache.connection import CacheConnection, CacheError
from noxtui.storage.cache.filtering import LocalFilter
from noxtui.storage.cache.opened import MAX_FULL_THREADS
from noxtui.storage.cache.scope import CacheScope
from noxtui.storage.cache.window import RowWindow

__all__ = ["MAX_FULL_THREADS", "CacheError", "ThreadCache"]

_EVERYTHING = ThreadQuery()
BACKGROUND_STEP = 500
BACKGROUND_PAUSE = 0.05
"""Rows per step of the keyword index built behind the app, and the pause (s) between steps.
A write or a list waits for the step under way: at a million threads a step of 500 holds the lock
~60 ms (median; 2,000 held it ~290 ms), for ~10% more CPU over the whole build."""


class ThreadCache:
    """One cache file (``Paths.cache_dir / "threads.sqlite3"``) shared by every profile."""

    def __init__(self, path: str | Path, *, max_full_threads: int = MAX_FULL_THREADS) -> None:
        self.path = Path(path)
        self.max_full_threads = max_full_threads
        self._db = CacheConnection(self.path)
        self._filter = LocalFilter()
        self._indexer: threading.Thread | None = None
        self._bulk = False
        """An empty file is being filled: rows are appended, indexes wait (``filling``)."""

    @classmethod
    def open_or_rebuild(cls, path: str | Path, *, check: bool = False, **kwargs: int) -> ThreadCache:
        """Open the cache; if the file is unusable, delete it and start empty (the next sync refills it).

        ``check=True`` also runs ``health()`` (SQLite's ``quick_check``) and rebuilds on damage. It is
        off by default because it reads the whole file: ~0.2 s for 100,000 threads when the file is
        in the OS cache, several seconds when it is not, too slow before the first paint. Run it
        from ``doctor`` or from a worker after the list is on screen instead.
        """
        try:
            cache = cls(path, **kwargs)
        except CacheError:
            files.remove_database(Path(path))
            return cls(path, **kwargs)
        if not check:
            return cache
        ok, _ = cache.health()
        if ok:
            return cache
        cache.close()
        files.remove_database(Path(path))
        return cls(path, **kwargs)

    # --- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent). The WAL is folded into the main file first."""
        with self._db.lock:
            self._db.close()
            self._filter.clear()

    def __enter__(self) -> ThreadCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def filling(self, empty: bool = True) -> Iterator[None]:
        """Around a sync's writes. When ``empty`` (a first fill), commits skip the disk flush
        (``CacheConnection.unflushed``: a refillable mirror, a fifth of the fill's time); and when
        the file holds no thread at all, rows are appended without their indexes, which are built
        once when the block ends, even by an error (``bulk_fill.py``: half the fill's writing)."""
        if not empty:
            yield
            return
        with self._db.unflushed():
            with self._db.tx() as conn:
                self._bulk = bulk_fill.begin(conn)
            try:
                yield
            finally:
                if self._bulk:
                    self._bulk = False
                    self._end_bulk_fill()

    def fill_target(self, scope: CacheScope) -> FillTarget | None:
        """Where a sync's page readers may append ``scope``'s rows themselves: only while an empty
        file fills without its indexes (``filling``), when every write is a plain append and the
        fill's end keeps one copy of each thread, whichever connection wrote it."""
        if not self._bulk:
            return None
        with self._db.lock:
            with self._db.tx():
                scope_id = self._db.ensure_scope(scope)
        return FillTarget(str(self._db.path), scope_id)

    def written_elsewhere(self) -> None:
        """Rows were appended by another connection (a page reader): the lists are read again."""
        with self._db.lock:
            self._filter.written_elsewhere()

    def _end_bulk_fill(self) -> None:
        with self._db.lock:
            with bulk_fill.sorting_fast(self._db.conn), self._db.tx() as conn:
                deleted = bulk_fill.ensure_indexes(conn)
            self._filter.forget(deleted)

    def scopes(self) -> list[CacheScope]:
        """Every account the cache holds threads for (``doctor`` and logout list them)."""
        return self._db.scopes()

    # --- summaries ------------------------------------------------------------------------------

    def upsert_summaries(self, scope: CacheScope, summaries: Iterable[ThreadSummary]) -> int:
        """Write a batch of summaries in one transaction; returns how many rows were written.

        A summary older than the cached copy (by ``updated_at``) is skipped: pages of a sync are
        fetched concurrently and may land after a fresher copy from ``message get``.
        """
        return self.upsert_flats(scope, map(flatten, summaries))

    def upsert_flats(self, scope: CacheScope, flats: Iterable[FlatThread]) -> int:
        """``upsert_summaries`` for threads already flattened (``columns.flatten_page``: a sync's pages)."""
        batch = list_tables.newest_copies(flats)
        if not batch:
            return 0
        with self._db.lock:
            with self._db.tx() as conn:
                scope_id = self._db.ensure_scope(scope)
                if self._bulk:
                    written = bulk_fill.append(conn, scope_id, batch)
                else:
                    written = list_tables.write_newer(conn, scope_id, batch)
            self._filter.remember(written, scope_id, self._db)
        return len(written)

    def rows(self, scope: CacheScope, query: ThreadQuery | None = None) -> Sequence[ThreadRow]:
        """Every cached thread matching ``query``, newest message first, as list rows.

        A ``RowWindow``: the rows are read from the file when they are looked at, a page at a time,
        so a million matches cost no more memory than a screenful (it compares equal to a list).
        """
        with self._db.lock:
            scope_id = self._db.scope_id(scope)
            if scope_id is None:
                return []
            selection = self._filter.select(self._db, scope_id, query or _EVERYTHING)
            order = self._filter.order(self._db, scope_id)
        if order.size > list_order.TEXTS_IN_MEMORY and self._indexer is None:
            self._index_in_background()
        return RowWindow(
            order,
            selection,
            self._rows_by_key,
            lambda thread_id: self._key_of(scope_id, thread_id),
            lambda: self._filter.generation,
        )

    def thread_ids(self, scope: CacheScope, query: ThreadQuery | None = None) -> list[str]:
        """The ids ``rows`` would return, in the same order."""
        return [row.thread_id for row in self.rows(scope, query)]

    def count(self, scope: CacheScope, query: ThreadQuery | None = None) -> int:
        """How many cached threads match ``query`` (what the filter bar's "N threads" shows offline).

        Without a query and before the list order is read, SQL counts (the sync engine asks this
        before and after writing, and must not pay for reading the order of a million rows).
        """
        with self._db.lock:
            scope_id = self._db.scope_id(scope)
            if scope_id is None:
                return 0
            if query is None or query == _EVERYTHING:
                with self._db.read() as conn:
                    return int(list_tables.count(conn, scope_id))
            return self._filter.select(self._db, scope_id, query).count

    def build_search_index(self, *, step: int = 50_000) -> bool:
        """Build the keyword index when some account holds more threads than fit in memory.

        ~10 minutes at a million threads on the loaded reference machine, once (the file keeps
        it and every write after keeps it in step): call it from a worker thread. It runs in
        steps of ``step`` rows, each its own transaction, so the app's reads and the sync's
        writes go on between them. Returns whether the cache now has the complete index.
        """
        with self._db.read() as conn:
            biggest = conn.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM threads GROUP BY scope_id)")
            wanted = (biggest.fetchone()[0] or 0) > list_order.TEXTS_IN_MEMORY or search_index.exists(conn)
        done = not wanted
        while not done:
            with self._db.tx() as conn:
                done = search_index.build_step(conn, step)
        with self._db.read() as conn:
            return search_index.complete(conn)

    def search_index_ready(self) -> bool:
        """Whether keywords of 3+ characters are answered by the trigram index."""
        try:
            with self._db.read() as conn:
                return search_index.complete(conn)
        except CacheError:
            return False

    def _index_in_background(self) -> None:
        """The first list of more threads than fit in memory starts the keyword index's build on a
        daemon thread, in small steps with a pause between them, so the list stays responsive
        (each step holds the cache's lock for tens of milliseconds, ``BACKGROUND_STEP``; filing a
        chunk of grams ~1 s); until it is complete, keywords scan."""
        if self.search_index_ready():
            self._indexer = threading.current_thread()  # nothing to build
            return

        def build() -> None:
            try:
                done = False
                while not done:
                    with self._db.tx() as conn:
                        done = search_index.build_step(conn, BACKGROUND_STEP)
                    time.sleep(BACKGROUND_PAUSE)
            except (CacheError, sqlite3.Error):  # closed, or another process holds the file: the next
                return  # open goes on from where this stopped

        self._indexer = threading.Thread(target=build, name="noxtui-search-index", daemon=True)
        self._indexer.start()

    def _rows_by_key(self, keys: list[int]) -> dict[int, ThreadRow]:
        """A window's page; nothing once the cache is closed (a last paint while the app ends)."""
        try:
            with self._db.read() as conn:
                return list_tables.rows_by_key(conn, keys)
        except CacheError:
            return {}

    def _key_of(self, scope_id: int, thread_id: str) -> int | None:
        try:
            with self._db.read() as conn:
                found = list_tables.keys_of(conn, scope_id, [thread_id])
        except CacheError:
            return None
        return found[0] if found else None

    def summary(self, scope: CacheScope, thread_id: str) -> ThreadSummary | None:
        """One cached summary as the server sent it (for plans built while offline)."""
        with self._db.read() as conn:
            scope_id = self._db.scope_id(scope)
            return None if scope_id is None else list_tables.read_summary(conn, scope_id, thread_id)

    def versions(self, scope: CacheScope, thread_ids: Sequence[str]) -> dict[str, tuple[float, int | None]]:
        """``(last_ts, updated_ms)`` of the given threads as cached; ids not cached are absent.

        The sync engine compares a fresh page with this to tell a new reply (``last_ts`` moved) from
        any other change (``updated_ms`` moved) from a thread it already had (neither moved).
        """
        if not thread_ids:
            return {}
        with self._db.read() as conn:
            scope_id = self._db.scope_id(scope)
            return {} if scope_id is None else list_tables.read_versions(conn, scope_id, thread_ids)

    def remove(self, scope: CacheScope, thread_ids: Iterable[str]) -> int:
        """Forget threads (archived, or gone from the server); returns how many were cached."""
        ids = list(thread_ids)
        with self._db.tx() as conn:
            scope_id = self._db.scope_id(scope)
            if scope_id is None:
                return 0
            keys = list_tables.keys_of(conn, scope_id, ids)
            list_tables.delete_keys(conn, keys)
            opened.delete(conn, scope_id, ids)
            self._filter.forget(keys)
        return len(keys)

    def prune(self, scope: CacheScope, keep: Iterable[str]) -> list[str]:
        """Forget every thread of ``scope`` not in ``keep`` (after a full sync); returns their ids."""
        with self._db.read() as conn:
            scope_id = self._db.scope_id(scope)
            if scope_id is None:
                return []
            gone = list_tables.ids_not_in(conn, scope_id, keep)
        if gone:
            self.remove(scope, gone)
        return gone

    def clear(self, scope: CacheScope) -> None:
        """Drop everything cached for one account (logout, or a profile pointed elsewhere)."""
        with self._db.tx() as conn:
            scope_id = self._db.scope_id(scope)
            if scope_id is None:
                return
            keys = list_tables.all_keys(conn, scope_id)
            list_tables.delete_keys(conn, keys)
            opened.delete_all(conn, scope_id)
            sync_state.delete(conn, scope_id)
            self._filter.forget(keys)

    # --- opened threads -------------------------------------------------------------------------

    def save_thread(self, scope: CacheScope, thread: Thread, *, fetched_at: datetime | None = None) -> None:
        """Keep an opened thread for offline reading; its summary refreshes the list row too.

        ``fetched_at`` defaults to now on this machine: it answers "how old is what I'm reading",
        which is about this machine's fetch, not about the server's data.
        """
        when = (fetched_at or datetime.now(timezone.utc)).timestamp()
        body = thread.model_dump_json()
        batch = list_tables.flatten_batch([thread])
        with self._db.lock:
            with self._db.tx() as conn:
                scope_id = self._db.ensure_scope(scope)
                if self._bulk:
                    written = bulk_fill.append(conn, scope_id, batch)
                else:
                    written = list_tables.write_newer(conn, scope_id, batch)
                opened.save(conn, scope_id, thread.thread_id, body, when, keep=self.max_full_threads)
            self._filter.remember(written, scope_id, self._db)

    def load_thread(self, scope: CacheScope, thread_id: str) -> tuple[Thread, datetime] | None:
        """The thread as last opened and when it was fetched, or ``None`` if never opened here."""
        with self._db.read() as conn:
            scope_id = self._db.scope_id(scope)
            return None if scope_id is None else opened.load(conn, scope_id, thread_id)

    # --- sync state -----------------------------------------------------------------------------

    def watermark(self, scope: CacheScope) -> datetime | None:
        """The newest server ``updated_at`` already mirrored: the next ``updated_since``."""
        with self._db.lock:
            scope_id = self._db.scope_id(scope)
            return None if scope_id is None else sync_state.read(self._db.conn, scope_id)

    def set_watermark(self, scope: CacheScope, when: datetime) -> None:
        """Advance the watermark to ``when`` (a server time); it never moves backwards."""
        with self._db.tx() as conn:
            sync_state.advance(conn, self._db.ensure_scope(scope), when)

    def reset_watermark(self, scope: CacheScope) -> None:
        """Forget the watermark, so the next sync of this scope is a full one."""
        with self._db.tx() as conn:
            scope_id = self._db.scope_id(scope)
            if scope_id is not None:
                sync_state.delete(conn, scope_id)

    # --- health ---------------------------------------------------------------------------------

    def health(self) -> tuple[bool, str]:
        """``(ok, message)`` for ``noxtui doctor``: SQLite's quick integrity check and the file mode."""
        return integrity.check(self._db)
