"""The sync engine over an in-memory server: what each sync reports, writes, prunes and remembers.

Written against the survivors of ``python -m tools.mutation noxtui.storage.cache.sync``. The server
here is a plain list of summaries served newest first in pages, honouring ``updated_since``
exclusively, as the contract says; it records every query so the overlap can be checked. The
real provider over the sandbox is ``tests/cache/test_sync.py``; this one is fast enough to run
once per mutant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from noxtui.domain.models import Creator, ThreadPage, ThreadQuery, ThreadSummary
from noxtui.providers.base import Capabilities
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from noxtui.storage.cache.sync import SyncReport

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
SCOPE = CacheScope("nox", "work@https://api.example/v1")


def summary(thread_id: str, minutes: int, direction: str = "inbound", **fields: Any) -> ThreadSummary:
    base: dict[str, Any] = {
        "thread_id": thread_id,
        "creator": Creator(creator_id=f"cr_{thread_id}", name=f"Creator {thread_id}", platform="youtube"),
        "last_message_at": T0 + timedelta(minutes=minutes),
        "last_message_direction": direction,
        "needs_reply": direction == "inbound",
        "updated_at": T0 + timedelta(minutes=minutes),
    }
    return ThreadSummary.model_validate({**base, **fields})


@dataclass
class Server:
    """The server's list: newest message first, ``updated_since`` exclusive, pages of ``page_size``."""

    threads: dict[str, ThreadSummary]
    capabilities: Capabilities = field(default_factory=Capabilities)
    queries: list[tuple[ThreadQuery, int]] = field(default_factory=list)
    shifting_passes: int = 0
    """How many full passes see the total change between page 1 and the rest (the list moving)."""
    gone_at_pass: dict[int, str] = field(default_factory=dict)
    """A thread archived on the server just as the n-th pass starts."""
    page_sizes: list[int] = field(default_factory=list)

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        self.queries.append((query, page))
        self.page_sizes.append(page_size)
        if page == 1:
            self.threads.pop(self.gone_at_pass.get(sum(1 for _, number in self.queries if number == 1), ""), None)
        rows = sorted(self.threads.values(), key=lambda s: (s.last_message_at, s.thread_id), reverse=True)
        if query.updated_since is not None:
            rows = [s for s in rows if s.updated_at is not None and s.updated_at > query.updated_since]
        total = len(rows)
        passes = sum(1 for seen, number in self.queries if number == 1)
        if page > 1 and passes <= self.shifting_passes:
            total += 1
        chunk = rows[(page - 1) * page_size : page * page_size]
        return ThreadPage(threads=chunk, page=page, page_size=page_size, total=total)

    def put(self, *summaries: ThreadSummary) -> None:
        self.threads.update({s.thread_id: s for s in summaries})


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[ThreadCache]:
    store = ThreadCache(tmp_path / "threads.sqlite3")
    try:
        yield store
    finally:
        store.close()


def engine(server: Server, cache: ThreadCache, **kwargs: Any) -> SyncEngine:
    return SyncEngine(server, cache, SCOPE, page_size=2, concurrency=2, **kwargs)  # type: ignore[arg-type]


def run(coroutine: Any) -> SyncReport:
    return asyncio.run(coroutine)


def five() -> Server:
    return Server({s.thread_id: s for s in (summary(f"t{i}", i) for i in range(1, 6))})


def test_the_first_sync_mirrors_everything_and_reports_no_new_replies(cache: ThreadCache) -> None:
    server = five()
    report = run(engine(server, cache).sync())
    assert sorted(report.changed_ids) == ["t1", "t2", "t3", "t4", "t5"]
    assert report.new_inbound_ids == () and report.new_replies == 0
    assert (report.total, report.full, report.removed_ids) == (5, True, ())
    newest = T0 + timedelta(minutes=5)
    assert report.watermark is not None and newest - timedelta(seconds=5) < report.watermark <= newest
    assert report.watermark == cache.watermark(SCOPE)
    assert cache.thread_ids(SCOPE) == ["t5", "t4", "t3", "t2", "t1"]
    assert 0 <= report.duration < 60
    assert all(query == ThreadQuery() for query, _ in server.queries)


def test_an_increment_asks_from_the_watermark_less_the_overlap_and_reports_only_what_moved(
    cache: ThreadCache,
) -> None:
    server = five()
    sync = engine(server, cache)
    run(sync.sync())
    watermark = cache.watermark(SCOPE)
    assert watermark is not None
    server.queries.clear()
    server.put(
        summary("t2", 7, labels=[]),  # a new inbound reply on an old thread
        summary("t3", 3, updated_at=T0 + timedelta(minutes=8)),  # changed (a label), no new message
        summary("t6", 9, direction="outbound"),  # a new thread the rep wrote
    )
    report = run(sync.sync())
    overlap = timedelta(seconds=30)
    assert [query.updated_since for query, _ in server.queries] == [watermark - overlap] * len(server.queries)
    assert sorted(report.changed_ids) == ["t2", "t3", "t6"]
    assert report.new_inbound_ids == ("t2",) and report.new_replies == 1
    assert (report.full, report.total) == (False, 6)
    assert report.watermark is not None and report.watermark > watermark
    assert cache.thread_ids(SCOPE)[:2] == ["t6", "t2"]


def test_rows_fetched_again_in_the_overlap_are_not_reported(cache: ThreadCache) -> None:
    server = five()
    sync = engine(server, cache, overlap=timedelta(minutes=10))
    run(sync.sync())
    report = run(sync.incremental_sync())
    assert report.changed_ids == () and report.new_inbound_ids == ()
    assert report.total == 5


def test_a_thread_without_an_update_time_counts_as_changed(cache: ThreadCache) -> None:
    server = Server({"t1": summary("t1", 1, updated_at=None), "t2": summary("t2", 2)})
    sync = engine(server, cache)
    run(sync.first_sync())
    server.put(summary("t2", 2, updated_at=None))
    report = run(sync.first_sync())
    assert sorted(report.changed_ids) == ["t1", "t2"]
    assert report.new_inbound_ids == ()


def test_a_full_sync_over_a_filled_cache_prunes_and_reports_new_replies(cache: ThreadCache) -> None:
    server = five()
    sync = engine(server, cache)
    run(sync.sync())
    del server.threads["t1"]
    server.put(summary("t4", 11), summary("t5", 12, direction="outbound"))
    cache.reset_watermark(SCOPE)
    report = run(sync.sync())
    assert report.full is True
    assert report.removed_ids == ("t1",)
    assert report.new_inbound_ids == ("t4",)
    assert sorted(report.changed_ids) == ["t4", "t5"]
    assert cache.thread_ids(SCOPE) == ["t5", "t4", "t3", "t2"] and report.total == 4


def test_an_archived_summary_is_dropped_at_once(cache: ThreadCache) -> None:
    server = five()
    sync = engine(server, cache)
    run(sync.sync())
    server.threads["t3"] = ThreadSummary.model_validate({**summary("t3", 13).model_dump(), "archived": True})
    report = run(sync.incremental_sync())
    assert report.removed_ids == ("t3",)
    assert "t3" not in cache.thread_ids(SCOPE) and "t3" not in report.changed_ids


def test_a_list_that_moves_for_two_passes_is_pruned_on_the_third(cache: ThreadCache) -> None:
    server = five()
    sync = engine(server, cache)
    run(sync.sync())
    del server.threads["t1"]
    server.shifting_passes = 2
    server.queries.clear()
    report = run(sync.first_sync())
    assert sum(1 for _, page in server.queries if page == 1) == 3
    assert report.removed_ids == ("t1",)


def test_a_thread_archived_between_passes_is_pruned_by_the_pass_that_holds_still(cache: ThreadCache) -> None:
    server = five()
    sync = engine(server, cache)
    run(sync.sync())
    server.shifting_passes = 1
    server.queries.clear()
    server.gone_at_pass = {2: "t1"}
    report = run(sync.first_sync())
    assert sum(1 for _, page in server.queries if page == 1) == 2
    assert report.removed_ids == ("t1",)


def test_a_list_that_holds_still_is_read_once(cache: ThreadCache) -> None:
    server = five()
    run(engine(server, cache).sync())
    assert sum(1 for _, page in server.queries if page == 1) == 1
    assert sorted(page for _, page in server.queries) == [1, 2, 3]


def test_the_defaults_pages_of_100_four_at_a_time_thirty_seconds_of_overlap(cache: ThreadCache) -> None:
    server = five()
    sync = SyncEngine(server, cache, SCOPE)  # type: ignore[arg-type]
    assert (sync.page_size, sync.concurrency, sync.overlap) == (100, 4, timedelta(seconds=30))
    run(sync.sync())
    assert server.page_sizes == [100]
    assert SyncReport(changed_ids=(), new_inbound_ids=(), total=0, duration=0.0).full is False


def test_a_full_sync_over_a_single_cached_thread_reports_its_new_reply(cache: ThreadCache) -> None:
    server = Server({"t1": summary("t1", 1)})
    sync = engine(server, cache)
    run(sync.sync())
    server.put(summary("t1", 5))
    cache.reset_watermark(SCOPE)
    assert run(sync.sync()).new_inbound_ids == ("t1",)


def test_a_thread_cached_undated_then_dated_counts_as_changed(cache: ThreadCache) -> None:
    server = Server({"t1": summary("t1", 1, updated_at=None)})
    sync = engine(server, cache)
    run(sync.first_sync())
    server.put(summary("t1", 1))
    assert run(sync.first_sync()).changed_ids == ("t1",)


def test_a_list_that_never_holds_still_prunes_nothing(cache: ThreadCache) -> None:
    server = five()
    sync = engine(server, cache)
    run(sync.sync())
    del server.threads["t1"]
    server.shifting_passes = 99
    server.queries.clear()
    report = run(sync.first_sync())
    assert sum(1 for _, page in server.queries if page == 1) == 3
    assert report.removed_ids == () and "t1" in cache.thread_ids(SCOPE)


def test_an_empty_server_leaves_no_watermark(cache: ThreadCache) -> None:
    report = run(engine(Server({}), cache).sync())
    assert report == SyncReport(changed_ids=(), new_inbound_ids=(), total=0, duration=report.duration, full=True)
    assert cache.watermark(SCOPE) is None
    report = run(engine(Server({}), cache).incremental_sync())
    assert report.full is True


# --- a backend that cannot list "changed since" (the vendor CLI) ----------------------------------


def cli_like(*summaries: ThreadSummary) -> Server:
    return Server({s.thread_id: s for s in summaries}, capabilities=Capabilities(updated_since=False))


def test_without_updated_since_an_increment_stops_at_the_first_page_holding_an_unchanged_row(
    cache: ThreadCache,
) -> None:
    server = cli_like(*(summary(f"t{i}", i) for i in range(1, 8)))
    sync = engine(server, cache)
    run(sync.sync())
    server.queries.clear()
    server.put(summary("t6", 20), summary("t5", 21))
    report = run(sync.sync())
    assert [page for _, page in server.queries] == [1, 2]
    assert all(query.updated_since is None for query, _ in server.queries)
    assert sorted(report.changed_ids) == ["t5", "t6"]
    assert report.new_inbound_ids == ("t5", "t6")
    assert report.full is False


def test_without_updated_since_every_page_is_read_when_all_changed(cache: ThreadCache) -> None:
    server = cli_like(*(summary(f"t{i}", i) for i in range(1, 6)))
    sync = engine(server, cache)
    run(sync.sync())
    server.queries.clear()
    server.put(*(summary(f"t{i}", 30 + i) for i in range(1, 6)))
    report = run(sync.incremental_sync())
    assert [page for _, page in server.queries] == [1, 2, 3]
    assert len(report.changed_ids) == 5


def test_without_updated_since_an_undated_row_does_not_stop_the_walk(cache: ThreadCache) -> None:
    server = cli_like(summary("t1", 1, updated_at=None), summary("t2", 2, updated_at=None), summary("t3", 0))
    sync = engine(server, cache)
    run(sync.sync())
    server.queries.clear()
    run(sync.incremental_sync())
    assert [page for _, page in server.queries] == [1, 2]
    server.queries.clear()
    server.put(summary("t1", 1), summary("t2", 2))  # now dated: changed against an undated copy
    report = run(sync.incremental_sync())
    assert [page for _, page in server.queries] == [1, 2]
    assert sorted(report.changed_ids) == ["t1", "t2"]


def test_without_updated_since_a_last_full_page_ends_the_walk(cache: ThreadCache) -> None:
    server = cli_like(*(summary(f"t{i}", i) for i in range(1, 5)))
    sync = engine(server, cache)
    run(sync.sync())
    server.queries.clear()
    server.put(*(summary(f"t{i}", 30 + i) for i in range(1, 5)))
    run(sync.incremental_sync())
    assert [page for _, page in server.queries] == [1, 2]


@dataclass
class SlowServer(Server):
    """Pages after the first take ``delay`` seconds to come, as a large sync's do; ``during`` is
    written to the list while page 2 is being served (a thread changed after page 1 went out)."""

    delay: float = 0.0
    during: list[ThreadSummary] = field(default_factory=list)

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        if page == 2 and self.during:
            self.put(*self.during)
            self.during = []
        if page > 1 and self.delay:
            await asyncio.sleep(self.delay)  # the server's latency, not a wait for a result
        return await super().list_threads(query, page=page, page_size=page_size)


def test_a_long_sync_keeps_page_ones_newest_stamp_as_its_watermark(cache: ThreadCache) -> None:
    """Page 1's newest ``updated_at`` existed when page 1 was served, so nothing the sync missed is
    older: the watermark is not pulled back by the sync's duration (which re-read minutes of
    threads after a million-thread fill)."""
    server = SlowServer(five().threads, delay=0.3)
    report = run(engine(server, cache).sync())
    assert report.duration > 0.3
    assert report.watermark == T0 + timedelta(minutes=5)


def test_a_thread_changed_after_its_page_went_out_is_read_by_the_next_increment(cache: ThreadCache) -> None:
    """The safety the watermark keeps, with no overlap to hide behind: the server's clock reads
    08:05 when the sync starts; while page 2 is served, t5 (already on page 1) changes at 08:05:00.1
    and t8 (an old message, on the last page) at 08:05:00.2; the list's length does not change, so
one pass is all the sync makes. The sync sees t8's newer stamp; the
    next increment must still ask from before t5's change."""
    tick = timedelta(milliseconds=100)
    now = T0 + timedelta(minutes=5)
    server = SlowServer(
        five().threads | {"t8": summary("t8", 0)},
        delay=0.3,
        during=[
            summary("t5", 5, updated_at=now + tick, subject="changed mid-sync"),
            summary("t8", 0, updated_at=now + 2 * tick),
        ],
    )
    sync = engine(server, cache, overlap=timedelta(0))
    first = run(sync.sync())
    assert cache.summary(SCOPE, "t5") != server.threads["t5"], "page 1 went out before the change"
    assert first.watermark is not None and first.watermark <= now
    report = run(sync.sync())
    assert "t5" in report.changed_ids
    assert cache.summary(SCOPE, "t5") == server.threads["t5"]
