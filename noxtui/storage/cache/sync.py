"""Keep a ``ThreadCache`` in step with the server: one full sync, then ``updated_since`` increments.

How the watermark stays honest:

* It is always a **server** time — the newest ``updated_at`` seen — never this machine's clock,
  which may be minutes off.
* A sync takes time, and a thread can change on the server while its page is already fetched; its
  new ``updated_at`` can be *older* than a newer one seen on a later page. Such a change is
  always later than the moment page 1 was served. Two bounds of that moment are known: the newest
  ``updated_at`` minus the sync's own duration (a length of time, not a clock reading), and the
  newest ``updated_at`` on page 1 itself (it existed when the page was served). The stored
  watermark is the later of the two (page 1's bound is the tighter one when the latest activity
  is new messages, which page 1 holds: after a sync of minutes, fewer threads are read again;
  edits that move no message, such as drafts, leave it behind), and every increment asks from
  ``watermark - overlap``. Threads fetched again in that overlap are recognised by their unchanged
  ``updated_at`` and not reported.
* The watermark advances only after every page was written: a failed sync is simply repeated.

What a report says: ``changed_ids`` are threads whose ``updated_at`` moved (or that are new);
``new_inbound_ids`` are those whose last message is inbound and newer than the cached copy — the
"N new replies" notification. The first fill of an empty cache reports no new replies (100,000
"new" replies would be noise).

Deletions: ``message list`` never returns archived threads, so an increment cannot see them go;
a full sync removes every cached thread the server no longer lists (and a summary that does arrive
with ``archived: true`` is dropped at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from noxtui.domain.models import ThreadQuery
from noxtui.storage.cache.bulk_fill import FillTarget
from noxtui.storage.cache.columns import FlatThread, flatten_page
from noxtui.storage.cache.gc_pause import rare_collections
from noxtui.storage.cache.page_reader import ReadPage
from noxtui.storage.cache.page_readers import default_readers
from noxtui.storage.cache.pager import READER_MIN_PAGES, AnyPage, fetch_all_pages
from noxtui.storage.cache.scope import CacheScope
from noxtui.storage.cache.store import ThreadCache

if TYPE_CHECKING:  # typing only: importing the providers package would pull httpx into start-up
    from noxtui.providers.base import Provider

DEFAULT_OVERLAP = timedelta(seconds=30)
FULL_SYNC_PASSES = 3
"""A full sync repeats (up to this many passes) when the list changed under it mid-way."""
FIRST_FILL_BATCH_ROWS = 2_000
"""Rows per write transaction while filling an empty cache. A transaction per page (100 rows) spent
more on committing than on writing; an empty cache compares nothing, so pages can wait. An
increment and a full sync over a filled cache still write every page as it lands."""


@dataclass(frozen=True)
class SyncReport:
    """What one sync did. ``total`` is how many threads the cache mirrors for the scope afterwards."""

    changed_ids: tuple[str, ...]
    new_inbound_ids: tuple[str, ...]
    total: int
    duration: float
    removed_ids: tuple[str, ...] = ()
    full: bool = False
    watermark: datetime | None = None

    @property
    def new_replies(self) -> int:
        return len(self.new_inbound_ids)


@dataclass(frozen=True)
class SyncProgress:
    """How far a full sync has come: what the rep sees during a first sync of a large inbox."""

    done: int
    total: int
    elapsed: float

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 1.0

    @property
    def seconds_left(self) -> float | None:
        """At the rate so far; ``None`` until there is a rate to go by."""
        if self.done <= 0 or self.elapsed <= 0:
            return None
        return max(0, self.total - self.done) * self.elapsed / self.done


ProgressSink = Callable[[SyncProgress], None]


@dataclass
class _Collector:
    """Receives pages as they arrive: compares with the cache, writes, and keeps the tallies."""

    cache: ThreadCache
    scope: CacheScope
    notify_inbound: bool
    changed: dict[str, None] = field(default_factory=dict)
    new_inbound: dict[str, None] = field(default_factory=dict)
    removed: dict[str, None] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    totals: list[int] = field(default_factory=list)
    newest: datetime | None = None
    progress: ProgressSink | None = None
    started: float = field(default_factory=time.perf_counter)
    batch_rows: int = 1
    """Rows written per transaction: 1 is "every page on its own"; a first fill gathers pages."""
    pending: list[FlatThread] = field(default_factory=list)
    opening: datetime | None = None
    """The newest ``updated_at`` on a pass's page 1: never later than the server's clock when that
    page was served, so a safe watermark however long the pass took (the module docstring)."""

    def start_pass(self) -> None:
        self.seen = set()
        self.totals = []

    def flush(self) -> None:
        """Write what was gathered (one transaction for the lot)."""
        if self.pending:
            self.cache.upsert_flats(self.scope, self.pending)
            self.pending = []

    def __call__(self, page: AnyPage) -> None:
        opening = not self.totals  # page 1 of this pass (it is always handed over first)
        self.totals.append(page.total)
        # Outside the cache's lock: the CPU-heavy part (done already by a page reader's process).
        live, gone, newest = page.flat if isinstance(page, ReadPage) else flatten_page(page)
        if opening and newest is not None and (self.opening is None or newest > self.opening):
            self.opening = newest
        if gone:
            self.cache.remove(self.scope, gone)
            self.removed.update(dict.fromkeys(gone))
        if newest is not None and (self.newest is None or newest > self.newest):
            self.newest = newest
        if isinstance(page, ReadPage) and page.written is not None:
            # A page reader appended the rows to the filling cache itself (``page_reader``): only
            # an empty cache fills that way, so every thread is new and no reply is "new".
            self.seen.update(page.written)
            self.changed.update(dict.fromkeys(page.written))
            self.cache.written_elsewhere()
            live = []
        before = self.cache.versions(self.scope, [flat.thread_id for flat in live]) if self.notify_inbound else {}
        for flat in live:
            cached = before.get(flat.thread_id)
            self._tally(flat, cached)
            if not _same_version(flat, cached):
                self.pending.append(flat)
        if len(self.pending) >= self.batch_rows:
            self.flush()
        if self.progress is not None:
            done = len(self.seen) + len(gone)
            self.progress(SyncProgress(done, page.total, time.perf_counter() - self.started))

    def _tally(self, flat: FlatThread, cached: tuple[float, int | None] | None) -> None:
        thread_id = flat.thread_id
        self.seen.add(thread_id)
        updated = flat.updated_ms
        if cached is None or cached[1] is None or updated is None or updated > cached[1]:
            self.changed[thread_id] = None
        if self.notify_inbound and flat.direction == "inbound" and (cached is None or flat.last_ts > cached[0]):
            self.new_inbound[thread_id] = None

    def consistent(self) -> bool:
        """Did the list hold still while it was paged (same total on every page, every row seen)?"""
        return bool(self.totals) and len(set(self.totals)) == 1 and len(self.seen) == self.totals[0]


def _same_version(flat: FlatThread, cached: tuple[float, int | None] | None) -> bool:
    """Whether the cache already holds this very version of the thread (the same ``updated_at``).

    An increment re-reads its overlap, and after a long first sync every thread stamped during
    that sync: at a million threads thousands of rows the cache already has. Writing them again
    changed nothing but cost the write, the keyword index's upkeep and, past a few dozen rows, the
    list order read again on the next query."""
    return cached is not None and cached[1] is not None and flat.updated_ms == cached[1]


class SyncEngine:
    """Mirrors one scope of one provider into the cache. Provider errors propagate unchanged."""

    def __init__(
        self,
        provider: Provider,
        cache: ThreadCache,
        scope: CacheScope,
        *,
        page_size: int = 100,
        concurrency: int = 4,
        overlap: timedelta = DEFAULT_OVERLAP,
        readers: int | None = None,
        reader_min_pages: int = READER_MIN_PAGES,
    ) -> None:
        """``readers``: helper processes a sync of ``reader_min_pages`` pages or more shares its pages
        with (``page_readers``; default one per spare core, at most two)."""
        self.provider = provider
        self.cache = cache
        self.scope = scope
        self.page_size = page_size
        self.concurrency = concurrency
        self.overlap = overlap
        self.readers = default_readers() if readers is None else readers
        self.reader_min_pages = reader_min_pages

    async def sync(self, progress: ProgressSink | None = None) -> SyncReport:
        """A full sync the first time (no watermark yet), an increment after that. ``progress`` hears
        about every page a full sync writes (an increment is a page or two: it is not told)."""
        if self.cache.watermark(self.scope) is None:
            return await self.first_sync(progress)
        return await self.incremental_sync()

    async def first_sync(self, progress: ProgressSink | None = None) -> SyncReport:
        """Mirror every live thread: page 1 for the total, the rest concurrently; prune the rest.

        Into an empty cache nothing is compared (every thread is new, and no reply is "new")."""
        started = time.perf_counter()
        filled = self.cache.count(self.scope) > 0
        collector = _Collector(
            self.cache,
            self.scope,
            notify_inbound=filled,
            progress=progress,
            batch_rows=1 if filled else FIRST_FILL_BATCH_ROWS,
        )
        for attempt in range(FULL_SYNC_PASSES):
            collector.start_pass()
            # The fast way to fill (``ThreadCache.filling``, ``gc_pause``) is for the first pass into an
            # empty cache only: a pass repeated because the list moved finds the rows already there.
            fast = not filled and attempt == 0
            with self.cache.filling(fast), rare_collections() if fast else nullcontext():
                try:
                    target = partial(self.cache.fill_target, self.scope) if fast else None
                    await self._fetch_all(ThreadQuery(), collector, target)
                finally:
                    collector.flush()  # what arrived before a failure is kept, as it was page by page
            if collector.consistent():
                break
        if collector.consistent() and self.cache.count(self.scope) > len(collector.seen):
            # Only a pass that saw the whole, stable list may delete: a row skipped because the
            # list shifted mid-way must not be taken for a deleted thread. Every thread seen is
            # cached now, so when the counts agree there is nothing else to delete (a first fill:
            # looking for it cost 5 s at a million).
            collector.removed.update(dict.fromkeys(self.cache.prune(self.scope, collector.seen)))
        return self._finish(collector, started, full=True)

    async def incremental_sync(self) -> SyncReport:
        """Fetch what changed since the watermark (less the overlap) and write it."""
        started = time.perf_counter()
        watermark = self.cache.watermark(self.scope)
        if watermark is None:
            return await self.first_sync()
        collector = _Collector(self.cache, self.scope, notify_inbound=True)
        if not self.provider.capabilities.updated_since:
            await self._newest_pages(collector)
            return self._finish(collector, started, full=False)
        query = ThreadQuery(updated_since=watermark - self.overlap)
        await self._fetch_all(query, collector)
        return self._finish(collector, started, full=False)

    async def _fetch_all(
        self, query: ThreadQuery, collector: _Collector, target: Callable[[], FillTarget | None] | None = None
    ) -> None:
        """``target`` names an empty cache filling, which page readers may append to themselves."""
        await fetch_all_pages(
            self.provider,
            query,
            collector,
            page_size=self.page_size,
            concurrency=self.concurrency,
            readers=self.readers,
            reader_min_pages=self.reader_min_pages,
            fill_target=target,
        )

    async def _newest_pages(self, collector: _Collector) -> None:
        """An increment for a backend that cannot list "changed since" (the vendor CLI): re-read the
        newest pages, one at a time, until a page holds a row the cache already has unchanged.

        The list is newest message first, so a new reply always lands on the first pages; a change
        that does not move a thread (a label set by a teammate on an old thread) waits for the next
        full sync, which also prunes archived threads.
        """
        page = 1
        while True:
            result = await self.provider.list_threads(ThreadQuery(), page=page, page_size=self.page_size)
            before = self.cache.versions(self.scope, [summary.thread_id for summary in result.threads])
            unchanged = any(
                (cached := before.get(summary.thread_id)) is not None
                and cached[1] is not None
                and summary.updated_at is not None
                and int(round(summary.updated_at.timestamp() * 1000)) <= cached[1]
                for summary in result.threads
            )
            collector(result)
            if unchanged or not result.threads or page * self.page_size >= result.total:
                return
            page += 1

    def _finish(self, collector: _Collector, started: float, *, full: bool) -> SyncReport:
        elapsed = time.perf_counter() - started
        if collector.newest is not None:
            # Not after page 1 was served: a change made while the sync ran may carry an older stamp
            # than the newest one seen. Both bounds are safe; the later one is kept (module docstring).
            watermark = collector.newest - timedelta(seconds=elapsed)
            if collector.opening is not None and collector.opening > watermark:
                watermark = collector.opening
            self.cache.set_watermark(self.scope, watermark)
        return SyncReport(
            changed_ids=tuple(collector.changed),
            new_inbound_ids=tuple(collector.new_inbound),
            total=self.cache.count(self.scope),
            duration=time.perf_counter() - started,
            removed_ids=tuple(collector.removed),
            full=full,
            watermark=self.cache.watermark(self.scope),
        )
