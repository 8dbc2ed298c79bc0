"""Every page of one ``message list`` query, a few requests in flight at a time.

Page 1 is fetched alone because it carries the total; the rest are fetched by ``concurrency``
workers taking the next page number each, so a sync of 100 pages keeps that many connections busy
without flooding the server. Pages are handed over as they arrive (not in order), because the
cache does not care about arrival order and waiting for page 2 while page 9 sits ready would only
add latency; and once handed over, nothing here keeps them.

A failure cancels the requests still pending and is re-raised as it came from the provider (a
typed ``NoxError``), not wrapped in an ``ExceptionGroup``: the app's back-off reads its type.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from noxtui.domain.models import ThreadPage, ThreadQuery
from noxtui.domain.rows import PlainSummaries
from noxtui.storage.cache.bulk_fill import FillTarget
from noxtui.storage.cache.page_reader import ListReader, ReadPage
from noxtui.storage.cache.page_readers import read_with_helpers

if TYPE_CHECKING:  # typing only: importing the providers package would pull httpx into start-up
    from noxtui.providers.base import Provider

AnyPage = ThreadPage | PlainSummaries | ReadPage
PageSink = Callable[[AnyPage], None]
READER_MIN_PAGES = 200
"""Below this many pages a sync reads alone: starting a reader (~0.3 s) would cost more than it saves."""


@runtime_checkable
class PlainThreadLists(Protocol):
    """A provider that can hand a sync its pages without models (``PlainSummaries``) when they are
    plain, and as a ``ThreadPage`` otherwise: the list's summaries are then flattened straight
    into the cache's columns (the NoxInfluencer REST provider)."""

    async def list_plain_threads(
        self, query: ThreadQuery, *, page: int = 1, page_size: int = 50
    ) -> ThreadPage | PlainSummaries: ...


@runtime_checkable
class SpareListReaders(Protocol):
    """A provider whose pages helper processes can read (``page_readers``): it describes, picklably,
    how to list them from elsewhere, or says ``None`` (a test's stand-in transport)."""

    def list_reader(self) -> ListReader | None: ...


async def fetch_all_pages(
    provider: Provider,
    query: ThreadQuery,
    sink: PageSink,
    *,
    page_size: int,
    concurrency: int,
    readers: int = 0,
    reader_min_pages: int = READER_MIN_PAGES,
    fill_target: Callable[[], FillTarget | None] | None = None,
) -> int:
    """Call ``sink`` with every page of ``query``; returns the total page 1 reported.

    With ``readers`` and at least ``reader_min_pages`` pages after the first, helper processes read
    them (``page_readers``) and this process reads only what they did not deliver; with
    ``fill_target`` as well (asked only when readers start: it may create the scope's row), they
    append the rows to the filling cache it names themselves."""
    if not provider.capabilities.exact_totals:
        opening = await provider.list_threads(query, page=1, page_size=page_size)
        return await _walk_cursor_pages(provider, query, opening, sink, page_size=page_size)
    list_page: Callable[..., Awaitable[AnyPage]] = (
        provider.list_plain_threads if isinstance(provider, PlainThreadLists) else provider.list_threads
    )
    first = await list_page(query, page=1, page_size=page_size)
    total = first.total
    sink(first)
    del first
    pages = -(-total // page_size)
    if pages <= 1:
        return total
    todo = list(range(2, pages + 1))
    spare = provider if isinstance(provider, SpareListReaders) else None
    helper = spare.list_reader() if spare is not None and readers > 0 and len(todo) >= reader_min_pages else None
    if helper is not None:
        target = fill_target() if fill_target is not None else None
        delivered = await read_with_helpers(helper, query, todo, page_size, sink, readers=readers, target=target)
        todo = [page for page in todo if page not in delivered]
        if not todo:
            return total
    remaining = iter(todo)

    async def fetch() -> None:
        # Each worker takes the next page number and hands its page over as soon as it lands, so
        # no page outlives its sink call (a task per page kept every page until the last one:
        # gigabytes at a million threads, and a garbage collector walking all of them).
        for page in remaining:
            sink(await list_page(query, page=page, page_size=page_size))

    workers = [asyncio.ensure_future(fetch()) for _ in range(min(max(1, concurrency), len(todo)))]
    try:
        done, _ = await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
        for worker in done:
            failure = worker.exception()
            if failure is not None:
                raise failure
    except BaseException:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    return total


async def _walk_cursor_pages(
    provider: Provider, query: ThreadQuery, first: ThreadPage, sink: PageSink, *, page_size: int
) -> int:
    """A cursor API knows its total only at the last page: walk ``has_more`` one page at a time, then
    hand every page over carrying that final total, so the sync sees one consistent count (and a
    pruning full sync never mistakes "not walked yet" for "deleted")."""
    pages = [first]
    while pages[-1].has_more:
        pages.append(await provider.list_threads(query, page=len(pages) + 1, page_size=page_size))
    total = sum(len(page.threads) for page in pages)
    for page in pages:
        sink(page.model_copy(update={"total": total}))
    return total
