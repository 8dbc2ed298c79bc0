"""The rows behind the thread list: a list, or the cache's window over a filter result.

Why a class of its own: the list must behave the same over a plain list (a page streamed from the
server, a test's rows) and over a window of a million cached threads (``storage/cache/window.py``)
that reads only the rows that are painted. So nothing here walks every row on a key or a paint: a
thread's place is asked of the window (``index_of``), a list gets a ``thread_id → place`` index
built on first use, and a row changed in place in a window (``replace``) is kept beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from noxtui.domain.rows import ThreadRow


class ThreadRows:
    """The list's rows, their places by thread id, and rows edited in place."""

    __slots__ = ("_rows", "_index", "_replaced")

    def __init__(self, rows: Sequence[ThreadRow] | Iterable[ThreadRow] = ()) -> None:
        self._rows: Sequence[ThreadRow] = rows if isinstance(rows, Sequence) else list(rows)
        self._index: dict[str, int] | None = None
        self._replaced: dict[int, ThreadRow] = {}

    @property
    def rows(self) -> Sequence[ThreadRow]:
        return self._rows

    @property
    def is_list(self) -> bool:
        """Whether the rows are a plain list (held in memory, every one of them)."""
        return isinstance(self._rows, list)

    def __len__(self) -> int:
        return len(self._rows)

    def at(self, place: int) -> ThreadRow:
        return self._replaced.get(place) or self._rows[place]

    def place_of(self, thread_id: str) -> int | None:
        """Where ``thread_id`` is listed, or ``None``."""
        ask = getattr(self._rows, "index_of", None)
        if ask is not None:
            found: int | None = ask(thread_id)
            return found
        if self._index is None:
            self._index = {row.thread_id: i for i, row in enumerate(self._rows)}
        return self._index.get(thread_id)

    def append(self, rows: Iterable[ThreadRow]) -> None:
        """Add rows at the end, skipping threads already listed (a window becomes a list first)."""
        if not isinstance(self._rows, list):
            self._rows = [self.at(i) for i in range(len(self._rows))]
            self._replaced = {}
            self._index = None
        listed = self._rows
        for row in rows:
            if self.place_of(row.thread_id) is not None:
                continue
            assert self._index is not None
            self._index[row.thread_id] = len(listed)
            listed.append(row)

    def replace(self, row: ThreadRow) -> int | None:
        """Put ``row`` in its thread's place; returns the place, ``None`` when it is not listed."""
        place = self.place_of(row.thread_id)
        if place is None:
            return None
        if isinstance(self._rows, list):
            self._rows[place] = row
        else:
            self._replaced[place] = row
        return place

    def thread_ids(self) -> Iterator[str]:
        """Every listed thread id in order (a window reads them a page at a time, keeping none)."""
        return (row.thread_id for row in self._rows)

    def marked(self, marks: set[str]) -> list[ThreadRow]:
        """The rows of ``marks`` that are listed, in list order."""
        if not marks:
            return []
        if isinstance(self._rows, list):
            return [row for row in self._rows if row.thread_id in marks]
        places = sorted(place for place in map(self.place_of, marks) if place is not None)
        return [self.at(place) for place in places]
