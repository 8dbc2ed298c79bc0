"""Fixtures for the cache suite: the real provider on the real sandbox, and a fresh cache file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import SandboxServer
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache


@pytest.fixture
async def provider(sandbox: SandboxServer, sandbox_token: str) -> AsyncIterator[NoxProvider]:
    nox = NoxProvider(NoxClient(sandbox.base_url, sandbox_token, backoff=0.01, max_retries=1))
    try:
        yield nox
    finally:
        await nox.aclose()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "noxtui-cache" / "threads.sqlite3"


@pytest.fixture
def cache(cache_path: Path) -> Iterator[ThreadCache]:
    store = ThreadCache(cache_path)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def scope(sandbox: SandboxServer) -> CacheScope:
    return CacheScope.of("nox", sandbox.base_url, "test")


@pytest.fixture
def engine(provider: NoxProvider, cache: ThreadCache, scope: CacheScope) -> SyncEngine:
    # Small pages so a 60-thread workspace spans several pages fetched concurrently.
    return SyncEngine(provider, cache, scope, page_size=7, concurrency=3)


async def server_ids(provider: NoxProvider, query: ThreadQuery) -> list[str]:
    """The server's answer to ``query``: every page, in its order (the ground truth)."""
    ids: list[str] = []
    page = 1
    while True:
        result = await provider.list_threads(query, page=page, page_size=100)
        ids.extend(thread.thread_id for thread in result.threads)
        if not result.has_more:
            return ids
        page += 1
