"""``SyncEngine`` against the real sandbox: a full sync, then increments driven by ``updated_since``.

Creator replies are simulated with the sandbox's admin route and writes go through the real API,
so what the engine sees is exactly what a running app would see.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from noxtui.domain.errors import AuthError, NoxError, ServerError
from noxtui.domain.models import ThreadPage, ThreadQuery
from noxtui.domain.rows import PlainSummaries
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import SandboxServer
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from tests.cache.conftest import server_ids
from tests.cache.test_cache import all_summaries
from tests.sandbox_support import SANDBOX_NOW, auth


def simulate_reply(sandbox: SandboxServer, thread_id: str, text: str = "Sounds good, send the brief!") -> None:
    response = httpx.post(
        f"{sandbox.root_url}/_sandbox/threads/{thread_id}/inbound", headers=auth(), json={"body_text": text}
    )
    assert response.status_code == 201, response.text


async def test_first_sync_reports_the_whole_workspace(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    expected = await server_ids(provider, ThreadQuery())
    report = await engine.first_sync()
    assert report.full
    assert report.total == len(expected)
    assert sorted(report.changed_ids) == sorted(expected)
    assert report.new_inbound_ids == (), "filling an empty cache is not 'new replies'"
    assert report.duration > 0
    # The watermark is a server time — the newest updated_at, less the sync's own duration — and
    # not this machine's clock (the seeded workspace lives in November 2026).
    newest = max(s.updated_at for s in await all_summaries(provider) if s.updated_at)
    assert report.watermark is not None
    assert newest - timedelta(seconds=report.duration) <= report.watermark <= newest
    assert abs(report.watermark - SANDBOX_NOW) < timedelta(hours=1)
    assert cache.watermark(scope) == report.watermark


async def test_nothing_changed_reports_nothing(engine: SyncEngine, cache: ThreadCache, scope: CacheScope) -> None:
    await engine.first_sync()
    before = cache.thread_ids(scope)
    report = await engine.incremental_sync()
    assert not report.full
    assert report.changed_ids == () and report.new_inbound_ids == () and report.removed_ids == ()
    assert report.total == len(before)
    assert cache.thread_ids(scope) == before


async def test_a_creator_reply_is_picked_up_as_new_inbound(
    sandbox: SandboxServer, engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    answered = await server_ids(provider, ThreadQuery(needs_reply=False, last_message_direction="outbound"))
    thread_id = answered[-1]  # an old, answered thread: the reply moves it to the top
    simulate_reply(sandbox, thread_id)

    report = await engine.incremental_sync()
    assert report.changed_ids == (thread_id,)
    assert report.new_inbound_ids == (thread_id,)
    assert report.new_replies == 1
    row = cache.rows(scope)[0]
    assert row.thread_id == thread_id and row.needs_reply and row.inbound
    assert cache.thread_ids(scope) == await server_ids(provider, ThreadQuery())
    query = ThreadQuery(needs_reply=True, last_message_direction="inbound")
    assert cache.thread_ids(scope, query) == await server_ids(provider, query)

    again = await engine.incremental_sync()
    assert again.changed_ids == () and again.new_inbound_ids == ()


async def test_a_label_write_shows_up_in_the_next_sync_without_a_reply_notice(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    thread_id = (await server_ids(provider, ThreadQuery()))[5]
    await provider.client.set_labels(thread_id, ["lb_vip", "lb_paid"])

    report = await engine.incremental_sync()
    assert report.changed_ids == (thread_id,)
    assert report.new_inbound_ids == ()
    for label in ("lb_vip", "lb_paid"):
        query = ThreadQuery(label_id=label)
        assert cache.thread_ids(scope, query) == await server_ids(provider, query)
    assert "VIP" in next(row for row in cache.rows(scope) if row.thread_id == thread_id).labels


async def test_sync_picks_first_or_incremental(
    sandbox: SandboxServer, engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    assert (await engine.sync()).full
    thread_id = (await server_ids(provider, ThreadQuery()))[10]
    simulate_reply(sandbox, thread_id)
    report = await engine.sync()
    assert not report.full and report.new_inbound_ids == (thread_id,)


async def test_a_full_sync_drops_threads_the_server_no_longer_lists(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    archived = await provider.client.archive((await server_ids(provider, ThreadQuery()))[0])
    # An increment cannot see an archive (the list hides archived threads)…
    await engine.incremental_sync()
    assert set(archived) <= set(cache.thread_ids(scope))
    # …a full sync can.
    report = await engine.first_sync()
    assert sorted(report.removed_ids) == sorted(archived)
    assert cache.thread_ids(scope) == await server_ids(provider, ThreadQuery())


async def test_new_replies_found_by_a_resync_of_a_filled_cache_are_reported(
    sandbox: SandboxServer, engine: SyncEngine, provider: NoxProvider, scope: CacheScope
) -> None:
    await engine.first_sync()
    thread_id = (await server_ids(provider, ThreadQuery(last_message_direction="outbound")))[0]
    simulate_reply(sandbox, thread_id)
    report = await engine.first_sync()
    assert report.changed_ids == (thread_id,)
    assert report.new_inbound_ids == (thread_id,)


class CountingProvider:
    """A provider wrapper that records how many list requests are in flight at once."""

    def __init__(self, inner: NoxProvider) -> None:
        self.inner = inner
        self.capabilities = inner.capabilities
        self.in_flight = 0
        self.peak = 0
        self.calls = 0

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        self.calls += 1
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0.01)  # keep requests overlapping
            return await self.inner.list_threads(query, page=page, page_size=page_size)
        finally:
            self.in_flight -= 1


async def test_pages_are_fetched_concurrently_but_bounded(
    provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    counting = CountingProvider(provider)
    engine = SyncEngine(counting, cache, scope, page_size=5, concurrency=3)  # type: ignore[arg-type]
    report = await engine.first_sync()
    pages = -(-report.total // 5)
    assert counting.calls == pages
    assert 1 < counting.peak <= 3
    assert cache.thread_ids(scope) == await server_ids(provider, ThreadQuery())


async def test_errors_propagate_typed_and_leave_the_watermark(
    sandbox: SandboxServer, engine: SyncEngine, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    watermark = cache.watermark(scope)
    sandbox.faults.set_rules([{"method": "GET", "path": r"^/v1/messages/threads$", "status": 503}])
    with pytest.raises(ServerError) as caught:
        await engine.incremental_sync()
    assert isinstance(caught.value, NoxError)
    assert cache.watermark(scope) == watermark


async def test_a_page_failing_mid_sync_raises_the_providers_error(
    sandbox: SandboxServer, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    """Page 1 answers, then the token is refused: the typed error (not an ExceptionGroup) comes out."""
    engine = SyncEngine(provider, cache, scope, page_size=5, concurrency=2)
    real = provider.list_plain_threads  # what a sync reads with (plain pages, models otherwise)

    async def refused_after_page_one(
        query: ThreadQuery, *, page: int = 1, page_size: int = 50
    ) -> ThreadPage | PlainSummaries:
        if page > 1:
            sandbox.faults.set_rules([{"method": "GET", "path": r"^/v1/messages/threads$", "status": 401}])
        return await real(query, page=page, page_size=page_size)

    provider.list_plain_threads = refused_after_page_one  # type: ignore[method-assign]
    with pytest.raises(AuthError):
        await engine.first_sync()
    assert cache.count(scope) == 5, "page 1 was written; the rest never arrived"
    assert cache.watermark(scope) is None, "a failed full sync must be repeated, not trusted"


async def test_a_cursor_provider_is_walked_to_the_end_and_never_pruned_early(sandbox, sandbox_token, tmp_path) -> None:
    """Inbox reports only a lower-bound total; with pages of 7 the sync must still mirror every thread."""
    from noxtui.domain.models import ThreadQuery
    from noxtui.providers.inbox.provider import InboxProvider
    from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache

    provider = InboxProvider(f"{sandbox.root_url}/inbox/api/v1", sandbox_token)
    cache = ThreadCache(tmp_path / "c.sqlite3")
    scope = CacheScope.of("inbox", "sandbox")
    try:
        expected: list[str] = []
        page = 1
        while True:
            result = await provider.list_threads(ThreadQuery(), page=page, page_size=100)
            expected += [t.thread_id for t in result.threads]
            if not result.has_more:
                break
            page += 1
        engine = SyncEngine(provider, cache, scope, page_size=7)
        report = await engine.first_sync()
        assert report.total == len(expected) > 7
        assert set(cache.thread_ids(scope)) == set(expected)
        again = await engine.first_sync()  # a second full sync prunes nothing that still exists
        assert again.removed_ids == ()
        assert set(cache.thread_ids(scope)) == set(expected)
    finally:
        cache.close()
        await provider.aclose()


async def test_an_increment_writes_only_the_threads_that_changed(
    sandbox: SandboxServer,
    engine: SyncEngine,
    provider: NoxProvider,
    cache: ThreadCache,
    scope: CacheScope,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An increment re-reads its overlap (and, after a long first sync, everything stamped while it
    ran): the threads the cache already holds in that very version are not written again."""
    await engine.first_sync()
    answered = await server_ids(provider, ThreadQuery(needs_reply=False, last_message_direction="outbound"))
    simulate_reply(sandbox, answered[-1])
    wide = SyncEngine(provider, cache, scope, overlap=timedelta(days=3))  # an overlap reaching unchanged threads
    written: list[str] = []
    real = ThreadCache.upsert_flats  # what a sync writes with (its pages flattened)

    def recording(self: ThreadCache, scope_: CacheScope, flats: list) -> object:  # type: ignore[type-arg]
        written.extend(flat.thread_id for flat in flats)
        return real(self, scope_, flats)

    monkeypatch.setattr(ThreadCache, "upsert_flats", recording)
    watermark = cache.watermark(scope)
    assert watermark is not None
    reread = await server_ids(provider, ThreadQuery(updated_since=watermark - wide.overlap))
    assert len(reread) > 5, "the overlap reaches threads that did not change"
    report = await wide.incremental_sync()
    assert report.changed_ids == (answered[-1],)
    assert written == [answered[-1]]
    assert cache.thread_ids(scope) == await server_ids(provider, ThreadQuery())
