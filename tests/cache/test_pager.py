"""``fetch_all_pages`` hands every page over once, a few in flight, and keeps none of them after.

A first sync of a million threads is 10,000 pages: a task per page kept each page's summaries
alive until the last page landed (gigabytes, and a garbage collector walking all of them on every
full collection). Here a provider serves numbered pages that can be watched with weak references.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from dataclasses import dataclass, field

import pytest

from noxtui.domain.errors import ServerError
from noxtui.domain.models import ThreadPage, ThreadQuery
from noxtui.providers.base import Capabilities
from noxtui.storage.cache.pager import AnyPage, fetch_all_pages


class WatchedPage(ThreadPage):
    """A page a weak reference can follow (a plain ``ThreadPage`` with ``__weakref__``)."""


@dataclass
class Pages:
    """``pages`` empty pages of a list of ``pages * 10`` threads; page ``failing`` raises."""

    pages: int
    failing: int | None = None
    capabilities: Capabilities = field(default_factory=Capabilities)
    in_flight: int = 0
    most_in_flight: int = 0

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0)  # let the other requests start: pages land out of order
            if page == self.failing:
                raise ServerError("The server failed", status=500)
            return WatchedPage(threads=[], page=page, page_size=page_size, total=self.pages * page_size)
        finally:
            self.in_flight -= 1


async def test_every_page_is_handed_over_once_and_none_is_kept_after_its_sink() -> None:
    provider = Pages(pages=60)
    seen: list[int] = []
    handed: list[weakref.ref[WatchedPage]] = []

    def sink(page: AnyPage) -> None:
        assert isinstance(page, WatchedPage)
        seen.append(page.page)
        handed.append(weakref.ref(page))

    total = await fetch_all_pages(provider, ThreadQuery(), sink, page_size=10, concurrency=4)  # type: ignore[arg-type]
    gc.collect()
    assert total == 600
    assert sorted(seen) == list(range(1, 61))
    assert provider.most_in_flight <= 4
    assert [ref for ref in handed if ref() is not None] == [], "no page outlives the fetch"


async def test_pages_are_let_go_while_the_walk_goes_on() -> None:
    provider = Pages(pages=60)
    handed: list[weakref.ref[WatchedPage]] = []
    alive_at: list[int] = []

    def sink(page: AnyPage) -> None:
        assert isinstance(page, WatchedPage)
        gc.collect()
        alive_at.append(sum(ref() is not None for ref in handed))
        handed.append(weakref.ref(page))

    await fetch_all_pages(provider, ThreadQuery(), sink, page_size=10, concurrency=4)  # type: ignore[arg-type]
    assert max(alive_at) <= 4, "at most the pages still in flight are held, not every page so far"


async def test_a_failing_page_stops_the_others_and_raises_the_providers_error() -> None:
    provider = Pages(pages=60, failing=9)
    seen: list[int] = []
    with pytest.raises(ServerError):
        await fetch_all_pages(  # type: ignore[arg-type]
            provider, ThreadQuery(), lambda page: seen.append(page.page), page_size=10, concurrency=4
        )
    await asyncio.sleep(0)
    assert provider.in_flight == 0, "the requests still pending were cancelled"
    assert 9 not in seen and len(seen) < 60
