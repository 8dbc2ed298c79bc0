"""A large sync shares its pages with reader processes (``page_readers``): the cache ends up holding
exactly what a sync alone would have written, a reader that fails costs nothing but time, and no
reader outlives the sync. Real processes, over loopback HTTP against the sandbox."""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from noxtui.api.recipe import SecretText
from noxtui.domain.models import ThreadPage, ThreadQuery, ThreadSummary
from noxtui.domain.rows import PlainSummaries, row_from_summary
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.list_reader import NoxListReader
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import SandboxServer
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from noxtui.storage.cache.columns import FlatThread
from tests.cache.test_first_fill import listed_the_plain_way
from tests.cache.test_sync import simulate_reply

PAGE_SIZE = 7  # 60 threads: 9 pages, 8 of them for the readers


class CountingProvider(NoxProvider):
    """The REST provider, noting which pages this process read itself; ``reader`` replaces the
    description handed to the reader processes when set."""

    def __init__(self, client: NoxClient, reader: NoxListReader | None = None) -> None:
        super().__init__(client)
        self.pages_read: list[int] = []
        self.reader = reader

    async def list_plain_threads(
        self, query: ThreadQuery, *, page: int = 1, page_size: int = 50
    ) -> PlainSummaries | ThreadPage:
        self.pages_read.append(page)
        return await super().list_plain_threads(query, page=page, page_size=page_size)

    def list_reader(self) -> NoxListReader | None:
        return self.reader if self.reader is not None else super().list_reader()


def reader_processes() -> list[int]:
    """This process's children running a page reader (Linux ``/proc``)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"noxtui.storage.cache.page_reader" in command:
            found.append(int(entry.name))
    return found


def engine_for(provider: NoxProvider, cache: ThreadCache, scope: CacheScope) -> SyncEngine:
    return SyncEngine(provider, cache, scope, page_size=PAGE_SIZE, concurrency=3, readers=2, reader_min_pages=1)


class CountingCache(ThreadCache):
    """The cache, noting how many rows this process's connection wrote for a sync."""

    rows_written_here = 0

    def upsert_flats(self, scope: CacheScope, flats: Iterable[FlatThread]) -> int:
        batch = list(flats)
        self.rows_written_here += len(batch)
        return super().upsert_flats(scope, batch)


async def test_readers_fill_an_empty_cache_themselves_with_what_the_server_listed(
    sandbox: SandboxServer, sandbox_token: str, cache_path: Path, scope: CacheScope
) -> None:
    expected = listed_the_plain_way(sandbox, sandbox_token)
    provider = CountingProvider(NoxClient(sandbox.base_url, sandbox_token))
    cache = CountingCache(cache_path)
    try:
        report = await engine_for(provider, cache, scope).first_sync()
        assert provider.pages_read == [1], "pages 2 to 9 came from the readers"
        assert cache.rows_written_here == PAGE_SIZE, "the readers appended pages 2 to 9 to the file themselves"
        assert_mirrors(cache, scope, expected)
        assert report.total == len(expected) == len(report.changed_ids)
        assert report.new_replies == 0
    finally:
        cache.close()
        await provider.aclose()
    assert reader_processes() == []


async def test_over_a_filled_cache_readers_hand_their_rows_to_the_sync(
    sandbox: SandboxServer, sandbox_token: str, cache_path: Path, scope: CacheScope
) -> None:
    """A full sync of a cache that holds threads compares and writes in this process (as without
    readers): the new reply is written and reported."""
    provider = CountingProvider(NoxClient(sandbox.base_url, sandbox_token))
    cache = CountingCache(cache_path)
    try:
        engine = engine_for(provider, cache, scope)
        await engine.first_sync()
        replied = listed_the_plain_way(sandbox, sandbox_token)[-1].thread_id  # on the last page
        simulate_reply(sandbox, replied)
        cache.rows_written_here = 0
        provider.pages_read.clear()
        report = await engine.first_sync()
        assert provider.pages_read == [1]
        assert report.changed_ids == (replied,) and report.new_inbound_ids == (replied,)
        assert cache.rows_written_here == 1
        assert_mirrors(cache, scope, listed_the_plain_way(sandbox, sandbox_token))
    finally:
        cache.close()
        await provider.aclose()


def assert_mirrors(cache: ThreadCache, scope: CacheScope, expected: list[ThreadSummary]) -> None:
    rows = list(cache.rows(scope))
    assert {row.thread_id: row for row in rows} == {s.thread_id: row_from_summary(s) for s in expected}
    assert [row.last_ts for row in rows] == sorted((row.last_ts for row in rows), reverse=True)
    for summary in expected:
        assert cache.summary(scope, summary.thread_id) == summary


async def test_readers_sending_rows_give_the_cache_what_the_server_listed(
    sandbox: SandboxServer, sandbox_token: str, cache: ThreadCache, scope: CacheScope
) -> None:
    """The same with the cache's fast fill off (a file that already held a thread of another scope)."""
    other = CacheScope.of("nox", "http://elsewhere.invalid", "other")
    cache.upsert_summaries(other, listed_the_plain_way(sandbox, sandbox_token)[:1])
    expected = listed_the_plain_way(sandbox, sandbox_token)
    provider = CountingProvider(NoxClient(sandbox.base_url, sandbox_token))
    try:
        report = await engine_for(provider, cache, scope).first_sync()
    finally:
        await provider.aclose()
    assert provider.pages_read == [1], "pages 2 to 9 came from the readers"
    assert report.total == len(expected) == len(report.changed_ids)
    assert_mirrors(cache, scope, expected)
    assert cache.watermark(scope) is not None
    assert reader_processes() == []


async def test_a_reader_that_fails_leaves_its_pages_to_the_sync(
    sandbox: SandboxServer, sandbox_token: str, cache: ThreadCache, scope: CacheScope, caplog: pytest.LogCaptureFixture
) -> None:
    """The readers are refused (a token the server does not know); the sync reads pages 2–9 itself."""
    good = NoxClient(sandbox.base_url, sandbox_token)
    recipe = good.http.recipe()
    assert recipe is not None
    refused = NoxListReader(
        type(recipe)(**{**recipe.__dict__, "token": SecretText("not-the-token")})  # same server, wrong token
    )
    provider = CountingProvider(good, reader=refused)
    caplog.set_level(logging.WARNING, logger="noxtui.storage.cache")
    try:
        report = await engine_for(provider, cache, scope).first_sync()
    finally:
        await provider.aclose()
    assert sorted(provider.pages_read) == list(range(1, 10))
    assert report.total == len(listed_the_plain_way(sandbox, sandbox_token)) == cache.count(scope)
    assert "a page reader stopped (AuthError)" in caplog.text
    assert "not-the-token" not in caplog.text


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lists processes through /proc")
async def test_a_cancelled_sync_stops_its_readers(
    sandbox: SandboxServer, sandbox_token: str, cache: ThreadCache, scope: CacheScope
) -> None:
    provider = CountingProvider(NoxClient(sandbox.base_url, sandbox_token))
    sync = asyncio.ensure_future(engine_for(provider, cache, scope).first_sync())
    try:
        async with asyncio.timeout(30):
            while not (running := reader_processes()):
                await asyncio.sleep(0.005)  # polling for the readers to appear, not a fixed wait
        for pid in running:  # the token reaches a reader through its stdin only
            for seen in ("cmdline", "environ"):
                assert sandbox_token.encode() not in (Path("/proc") / str(pid) / seen).read_bytes()
        sync.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sync
    finally:
        await provider.aclose()
    assert reader_processes() == []


async def test_readers_that_cannot_start_leave_every_page_to_the_sync(
    sandbox: SandboxServer,
    sandbox_token: str,
    cache: ThreadCache,
    scope: CacheScope,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(sys, "executable", str(Path(sys.executable).with_name("no-such-python")))
    caplog.set_level(logging.WARNING, logger="noxtui.storage.cache")
    provider = CountingProvider(NoxClient(sandbox.base_url, sandbox_token))
    try:
        report = await engine_for(provider, cache, scope).first_sync()
    finally:
        await provider.aclose()
    assert sorted(provider.pages_read) == list(range(1, 10))
    assert report.total == cache.count(scope) == len(listed_the_plain_way(sandbox, sandbox_token))
    assert "page readers not all started: FileNotFoundError" in caplog.text


def test_a_reader_description_never_shows_its_token(sandbox: SandboxServer, sandbox_token: str) -> None:
    reader = NoxProvider(NoxClient(sandbox.base_url, sandbox_token)).list_reader()
    assert reader is not None
    assert sandbox_token not in repr(reader) and sandbox_token not in str(reader)
    assert sandbox.base_url in repr(reader)
    # It does carry the token (a reader needs it), so it must survive the trip to the process.
    assert pickle.loads(pickle.dumps(reader)).transport.token.reveal() == sandbox_token
