"""A filter result as the list sees it: a ``Sequence`` of rows, read from the cache page by page.

The list never holds a copy of the cache: it holds this window, which knows which rows of the
unfiltered order the filter keeps (``Selection``) and reads the ``ThreadRow`` of a place only when
it is painted, ``PAGE`` rows at a time with one indexed query, keeping the last ``PAGES`` pages.
A screen of 40 lines and a held ``j`` touch one or two pages; a million matches cost what the
screen shows plus ~4,000 rows of margin.

After a write (a sync, a reply) the pages read before it are dropped, so a row under the cursor
shows its new state at the next paint. A thread deleted since the result was made reads as an
empty row until the list is given a fresh result (the app repaints after every sync).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from noxtui.domain.rows import ThreadRow
from noxtui.storage.cache.list_order import ListOrder
from noxtui.storage.cache.selection import Selection

PAGE = 64
PAGES = 64

GONE = ThreadRow("", "", "", "", False, False, "", "", "", 0.0, False, False, "", "")
"""What a place reads as when its thread was deleted after the result was made."""

RowsByKey = Callable[[list[int]], dict[int, ThreadRow]]
KeyOf = Callable[[str], "int | None"]


class RowWindow(Sequence[ThreadRow]):
    """The rows of one filter result, in list order, read on demand (compares equal to a list of them)."""

    def __init__(
        self,
        order: ListOrder,
        selection: Selection,
        read: RowsByKey,
        key_of: KeyOf,
        generation: Callable[[], int],
    ) -> None:
        self._keys = order.keys  # this array: later writes give the order a new one (``detach``)
        self._selection = selection
        self._read = read
        self._key_of = key_of
        self._generation = generation
        self._seen = generation()
        self._pages: OrderedDict[int, list[ThreadRow]] = OrderedDict()

    def __len__(self) -> int:
        return self._selection.count

    @overload
    def __getitem__(self, index: int) -> ThreadRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ThreadRow]: ...

    def __getitem__(self, index: int | slice) -> ThreadRow | list[ThreadRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("row window index out of range")
        return self._page(index // PAGE)[index % PAGE]

    def __iter__(self) -> Iterator[ThreadRow]:
        """Every row, a page at a time, without filling the page cache (``list(window)``, marks)."""
        for start in range(0, len(self), PAGE * 16):
            yield from self._fetch(start, start + PAGE * 16)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowWindow | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RowWindow({len(self)} rows)"

    def index_of(self, thread_id: str) -> int | None:
        """The place of ``thread_id`` in this result, or ``None`` when the filter does not list it."""
        key = self._key_of(thread_id)
        if key is None:
            return None
        try:
            place = self._keys.index(key)
        except ValueError:
            return None
        return self._selection.rank(place) if self._selection.has(place) else None

    def thread_ids(self) -> Iterator[str]:
        """Every listed thread id, in order (read in pages, not kept)."""
        return (row.thread_id for row in self)

    def _page(self, page: int) -> list[ThreadRow]:
        current = self._generation()
        if current != self._seen:
            self._pages.clear()
            self._seen = current
        found = self._pages.get(page)
        if found is not None:
            self._pages.move_to_end(page)
            return found
        found = self._fetch(page * PAGE, (page + 1) * PAGE)
        self._pages[page] = found
        while len(self._pages) > PAGES:
            self._pages.popitem(last=False)
        return found

    def _fetch(self, start: int, stop: int) -> list[ThreadRow]:
        keys = self._keys
        wanted = [keys[place] for place in self._selection.positions(start, stop)]
        by_key = self._read(wanted)
        return [by_key.get(key, GONE) for key in wanted]
