"""Numbered pages (the ``Provider`` protocol) on top of Inbox's cursor pagination.

The screens ask for "page N of size S"; Inbox only answers "the next batch after this cursor". A
``CursorWalk`` remembers, per query, where each page it has produced *starts* (which server view,
which cursor, how many items of that batch earlier pages already used), so page N is reached by
walking cursors once and a later request for it costs one fetch. Page 1 always restarts the walk:
it is what "refresh" asks for, and positions recorded against older data would be stale.

A walk may span several *segments* — server views walked one after another (e.g. the open inbox,
then message requests, then archived) — because Inbox has no single view of every thread. It may
also apply a client-side ``keep`` filter for what the API cannot filter (needs-reply, direction);
then pages are filled from larger batches and page boundaries no longer match server batches,
which is why a position carries a ``skip`` count.

Inbox gives no total, so ``CursorThreadPage.total`` is the count known so far (every thread on
pages 1…N) and ``has_more`` says whether the walk can go on (a next cursor, a later segment, or a
kept item still unread in the current batch). With a ``keep`` filter, ``has_more`` can be true and
the next page empty: the rest of the data may not match.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from noxtui.domain.errors import ProtocolError
from noxtui.domain.models import ThreadPage
from noxtui.providers.inbox.wire import InboxCursor

T = TypeVar("T")

# ``fetch(segment, cursor, limit)`` → (items of that batch, the cursor of the next batch or None).
Fetch = Callable[[int, InboxCursor | None, int], Awaitable[tuple[list[T], InboxCursor | None]]]

MAX_BATCH = 100
MAX_FETCHES_PER_PAGE = 10_000  # a server that never ends a walk must not hang the app


class CursorThreadPage(ThreadPage):
    """A ``ThreadPage`` whose ``total`` is a lower bound: ``has_more`` comes from the cursor."""

    more: bool = False

    @property
    def has_more(self) -> bool:
        return self.more


@dataclass(frozen=True)
class Position:
    """Where a page starts: segment, the cursor that fetches its batch, items of it already used."""

    segment: int
    cursor: InboxCursor | None
    skip: int


@dataclass(frozen=True)
class WalkPage(Generic[T]):
    items: list[T]
    known: int  # items on pages 1…N
    more: bool


class CursorWalk(Generic[T]):
    """One query's walk; safe to call concurrently (one lock per walk)."""

    def __init__(
        self,
        fetch: Fetch[T],
        *,
        segments: int = 1,
        keep: Callable[[T], bool] | None = None,
        batch: int | None = None,
    ) -> None:
        if segments < 1:
            raise ValueError("a walk needs at least one segment")
        self._fetch = fetch
        self._segments = segments
        self._keep = keep
        self._batch = batch
        self._starts: dict[int, Position] = {1: Position(0, None, 0)}
        self._final: int | None = None  # every item of the walk, once it has reached the end
        self._lock = asyncio.Lock()

    @property
    def known_pages(self) -> int:
        """How many page starts are cached (for tests and diagnostics)."""
        return len(self._starts)

    async def page(self, number: int, size: int) -> WalkPage[T]:
        async with self._lock:
            if number == 1:
                self._starts = {1: Position(0, None, 0)}
                self._final = None
            first = max(n for n in self._starts if n <= number)
            result = WalkPage[T]([], (number - 1) * size, False)
            for current in range(first, number + 1):
                start = self._starts.get(current)
                if start is None:  # the walk ended before this page
                    final = self._final if self._final is not None else (current - 1) * size
                    return WalkPage([], final, False)
                items, following, more = await self._fill(start, size)
                known = (current - 1) * size + len(items)
                if following is not None:
                    self._starts[current + 1] = following
                else:
                    self._starts = {n: p for n, p in self._starts.items() if n <= current}
                    self._final = known
                result = WalkPage(items, known, more)
            return result

    def _batch_size(self, size: int) -> int:
        if self._batch is not None:
            return max(1, min(MAX_BATCH, self._batch))
        return MAX_BATCH if self._keep is not None else max(1, min(MAX_BATCH, size))

    def _advance(self, segment: int, next_cursor: InboxCursor | None) -> Position | None:
        if next_cursor is not None:
            return Position(segment, next_cursor, 0)
        if segment + 1 < self._segments:
            return Position(segment + 1, None, 0)
        return None

    def _kept(self, item: T) -> bool:
        return self._keep is None or self._keep(item)

    async def _fill(self, start: Position, size: int) -> tuple[list[T], Position | None, bool]:
        """Collect ``size`` kept items from ``start``; return them, the next page's start, and "more"."""
        items: list[T] = []
        position = start
        limit = self._batch_size(size)
        for _ in range(MAX_FETCHES_PER_PAGE):
            batch, next_cursor = await self._fetch(position.segment, position.cursor, limit)
            if next_cursor is not None and next_cursor == position.cursor:
                raise ProtocolError("Inbox returned the same page cursor twice; the thread list cannot go on")
            index = position.skip
            while index < len(batch) and len(items) < size:
                if self._kept(batch[index]):
                    items.append(batch[index])
                index += 1
            after = self._advance(position.segment, next_cursor)
            if len(items) == size:
                if index < len(batch):
                    more = after is not None or any(self._kept(item) for item in batch[index:])
                    return items, Position(position.segment, position.cursor, index), more
                return items, after, after is not None
            if after is None:
                return items, None, False
            position = after
        raise ProtocolError("Inbox's thread list did not end after many pages; narrow the filter and retry")
