"""A first sync into an empty cache (the million-thread path) stores exactly what the server listed.

The fast path reads each page with one pydantic call on the raw bytes and writes several pages per
transaction; the expectation here is built the plain way — ``json`` and a validation per item, a
row per summary — from the same sandbox over loopback, so any drift between the two shows.
"""

from __future__ import annotations

import gc
from datetime import timedelta

import httpx
import pytest

from noxtui.domain.models import ThreadSummary
from noxtui.domain.rows import row_from_summary
from noxtui.sandbox import SandboxServer
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from noxtui.storage.cache.gc_pause import FILL_YOUNG_THRESHOLD
from tests.sandbox_support import auth


def listed_the_plain_way(sandbox: SandboxServer, sandbox_token: str) -> list[ThreadSummary]:
    """Every page of ``message list`` as JSON, each item validated on its own (the old read path)."""
    found: list[ThreadSummary] = []
    page = 1
    while True:
        response = httpx.get(
            f"{sandbox.base_url}/messages/threads",
            params={"page": str(page), "page_size": "100"},
            headers=auth(sandbox_token),
        )
        body = response.json()
        found.extend(ThreadSummary.model_validate(item) for item in body["data"])
        if page * 100 >= body["meta"]["total"]:
            return found
        page += 1


async def test_first_fill_stores_the_rows_and_summaries_the_server_listed(
    sandbox: SandboxServer, sandbox_token: str, engine: SyncEngine, cache: ThreadCache, scope: CacheScope
) -> None:
    expected = listed_the_plain_way(sandbox, sandbox_token)
    report = await engine.first_sync()
    assert report.total == len(expected) > 7 * 3, "several pages, fetched concurrently"
    rows = list(cache.rows(scope))
    assert {row.thread_id: row for row in rows} == {s.thread_id: row_from_summary(s) for s in expected}
    assert [row.last_ts for row in rows] == sorted((row.last_ts for row in rows), reverse=True)
    for summary in expected:
        assert cache.summary(scope, summary.thread_id) == summary


async def test_an_older_copy_later_in_one_batch_does_not_win(
    sandbox: SandboxServer, sandbox_token: str, cache: ThreadCache, scope: CacheScope
) -> None:
    """Pages written together may hold one thread twice when the list moved between them: the
    newer copy is kept, as it was when every page was its own write."""
    newer = next(s for s in listed_the_plain_way(sandbox, sandbox_token) if s.updated_at is not None)
    assert newer.updated_at is not None
    earlier = newer.updated_at - timedelta(hours=1)
    older = newer.model_copy(update={"subject": "An older subject", "updated_at": earlier})
    cache.upsert_summaries(scope, [newer, older])
    assert cache.summary(scope, newer.thread_id) == newer


async def test_a_first_fill_collects_garbage_rarely_and_puts_the_thresholds_back(engine: SyncEngine) -> None:
    """The fill's objects die by reference count: the cyclic collector's passes are made rare while
    it runs (``gc_pause.py``) and are as they were afterwards, for the increments and the app."""
    before = gc.get_threshold()
    seen: list[int] = []
    await engine.first_sync(lambda progress: seen.append(gc.get_threshold()[0]))
    assert seen and min(seen) >= FILL_YOUNG_THRESHOLD
    assert gc.get_threshold() == before
    seen.clear()
    await engine.sync(lambda progress: seen.append(gc.get_threshold()[0]))
    assert gc.get_threshold() == before


async def test_the_thresholds_are_put_back_when_a_fill_fails(engine: SyncEngine) -> None:
    before = gc.get_threshold()

    def fail(progress: object) -> None:
        raise RuntimeError("the disk went away")

    with pytest.raises(RuntimeError):
        await engine.first_sync(fail)
    assert gc.get_threshold() == before
