"""``CursorWalk``: numbered pages over cursor batches, across segments and with a client-side filter."""

from __future__ import annotations

import pytest

from noxtui.domain.errors import ProtocolError
from noxtui.providers.inbox.pager import CursorThreadPage, CursorWalk
from noxtui.providers.inbox.wire import InboxCursor


class FakeServer:
    """Segments of integers served by cursor (the cursor id is the index to continue from)."""

    def __init__(self, *segments: list[int]) -> None:
        self.segments = segments
        self.calls: list[tuple[int, str | None, int]] = []

    async def fetch(self, segment: int, cursor: InboxCursor | None, limit: int) -> tuple[list[int], InboxCursor | None]:
        self.calls.append((segment, cursor.id if cursor else None, limit))
        data = self.segments[segment]
        start = int(cursor.id) if cursor else 0
        batch = data[start : start + limit]
        end = start + len(batch)
        return batch, InboxCursor(id=str(end), timestamp=str(end)) if end < len(data) else None


async def pages(walk: CursorWalk[int], size: int) -> list[list[int]]:
    out: list[list[int]] = []
    number = 1
    while True:
        page = await walk.page(number, size)
        out.append(page.items)
        assert page.known == sum(len(p) for p in out)
        if not page.more:
            return out
        number += 1


async def test_pages_align_with_batches_and_cross_segments() -> None:
    server = FakeServer(list(range(10)), [], list(range(100, 104)))
    walk = CursorWalk(server.fetch, segments=3)
    got = await pages(walk, 4)
    assert [x for page in got for x in page] == [*range(10), *range(100, 104)]
    assert all(limit == 4 for _, _, limit in server.calls)


async def test_a_filter_fills_pages_from_larger_batches_without_gaps_or_repeats() -> None:
    server = FakeServer(list(range(250)), list(range(1000, 1010)))
    walk = CursorWalk(server.fetch, segments=2, keep=lambda x: x % 3 == 0)
    got = await pages(walk, 7)
    flat = [x for page in got for x in page]
    assert flat == [x for x in [*range(250), *range(1000, 1010)] if x % 3 == 0]
    assert all(len(page) == 7 for page in got[:-1])
    assert {limit for _, _, limit in server.calls} == {100}


async def test_a_page_is_reached_directly_and_then_served_from_the_cache() -> None:
    server = FakeServer(list(range(30)))
    walk = CursorWalk(server.fetch)
    third = await walk.page(3, 5)
    assert third.items == [10, 11, 12, 13, 14] and third.more and third.known == 15
    before = len(server.calls)
    second = await walk.page(2, 5)
    assert second.items == [5, 6, 7, 8, 9] and len(server.calls) == before + 1  # one fetch, from its cursor
    beyond = await walk.page(9, 5)
    assert beyond.items == [] and not beyond.more and beyond.known == 30
    again = await walk.page(12, 5)
    assert again.known == 30 and again.items == []


async def test_page_one_restarts_the_walk() -> None:
    server = FakeServer(list(range(12)))
    walk = CursorWalk(server.fetch)
    await walk.page(2, 5)
    assert walk.known_pages == 3
    await walk.page(1, 5)
    assert walk.known_pages == 2


async def test_a_repeated_cursor_is_a_protocol_error_not_a_hang() -> None:
    async def stuck(segment: int, cursor: InboxCursor | None, limit: int) -> tuple[list[int], InboxCursor | None]:
        return [1], InboxCursor(id="same", timestamp="1")

    walk = CursorWalk(stuck, keep=lambda x: False)
    with pytest.raises(ProtocolError):
        await walk.page(1, 5)


def test_cursor_page_has_more_comes_from_the_cursor_not_the_total() -> None:
    page = CursorThreadPage(threads=[], page=1, page_size=50, total=50, more=True)
    assert page.has_more
    assert not CursorThreadPage(threads=[], page=1, page_size=50, total=10, more=False).has_more
