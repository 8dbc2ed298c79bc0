"""An increment whose page names an archived thread: the thread leaves the cache, nothing crashes.

The sandbox's ``message list`` hides archived threads (as the Nox contract does today), but a
delta feed may well report them with ``archived: true`` (tombstones), and the engine drops such a
summary at once. Before the fix it handed the whole ``ThreadSummary`` objects to
``ThreadCache.remove`` as if they were ids, and the JSON encoding of the id list raised
``TypeError``. To get such a page from the real server over loopback HTTP, the provider below
adds each archived thread's own server copy (``message get`` still answers for archived threads,
with ``archived: true``) to the increment's first page.
"""

from __future__ import annotations

from noxtui.domain.models import ThreadPage, ThreadQuery, ThreadSummary
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from tests.cache.conftest import server_ids


class TombstoneProvider:
    """The real provider, whose increments also list the given archived threads (as the server has them)."""

    def __init__(self, inner: NoxProvider, archived: list[str]) -> None:
        self.inner = inner
        self.capabilities = inner.capabilities
        self.archived = archived

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        found = await self.inner.list_threads(query, page=page, page_size=page_size)
        if query.updated_since is None or page != 1:
            return found
        tombstones: list[ThreadSummary] = []
        for thread_id in self.archived:
            thread = await self.inner.get_thread(thread_id)
            assert (thread.model_extra or {}).get("archived") is True, "the server reports the archive"
            tombstones.append(ThreadSummary.model_validate(thread.model_dump(mode="json", include=_SUMMARY_FIELDS)))
        return found.model_copy(update={"threads": [*found.threads, *tombstones]})


_SUMMARY_FIELDS = {*ThreadSummary.model_fields, "archived"}


async def test_an_increment_listing_an_archived_thread_removes_it(
    provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await SyncEngine(provider, cache, scope, page_size=7, concurrency=3).first_sync()
    archived = await provider.client.archive((await server_ids(provider, ThreadQuery()))[0])
    assert set(archived) <= set(cache.thread_ids(scope))

    engine = SyncEngine(TombstoneProvider(provider, archived), cache, scope, page_size=7)  # type: ignore[arg-type]
    report = await engine.incremental_sync()

    assert not report.full
    assert sorted(report.removed_ids) == sorted(archived)
    assert all(isinstance(thread_id, str) for thread_id in report.removed_ids)
    assert not set(archived) & set(cache.thread_ids(scope))
    assert cache.thread_ids(scope) == await server_ids(provider, ThreadQuery())
    assert set(archived).isdisjoint(report.changed_ids)
