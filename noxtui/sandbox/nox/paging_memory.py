"""Where the last page of a list ended, so the next page of the same list starts there.

The contract pages by number (``page``, ``page_size`` ≤ 100) and has no cursor, so a client that
walks a whole workspace — a first sync of 1,000,000 threads is 10,000 pages — asks for page 9,999
with an ``OFFSET`` of 999,800. Answered plainly, every page re-walks every row before it and
recounts the total: the walk is quadratic (~40 ms a page at the end of a million rows).

The API stays exactly as strict as the vendor's: same parameters, same pages, same totals. Only
the work inside changes. After serving a page the store notes the sort key of its last row (a
*mark*: ``last_message_at`` and ``seq`` at that offset) and the total. A later page of the same
filters starts from the nearest mark at or before its offset — a keyset range on the list's own
index — and skips only the rows between the mark and the page (a few pages' worth when requests
arrive a few at a time, out of order).

Why this is never stale: marks belong to one connection and to one state of the data, named by
``PRAGMA data_version`` (moves when another connection commits) and the connection's own
``total_changes`` (moves when it writes). Both are read inside the page's read transaction, so the
version names the very snapshot the page is read from; any commit anywhere forgets every mark.
Page 1 never uses a mark (it records them): a fresh walk always starts from a fresh count.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from noxtui.sandbox.nox.thread_filters import ThreadFilters

Mark = tuple[int, int]
"""``(last_message_at, seq)`` of the last row before an offset, in list order."""

_MARKS_PER_WALK = 64
_WALKS_KEPT = 16

# The rows after a mark, in list order (newest message first, ties by newest row): the range
# ``last_message_at <= ?`` is where the index walk starts; the rest breaks ties on ``seq``.
AFTER_MARK_SQL = "t.last_message_at <= ? AND (t.last_message_at < ? OR t.seq < ?)"


def after_mark_params(mark: Mark) -> list[int]:
    last_message_at, seq = mark
    return [last_message_at, last_message_at, seq]


@dataclass
class ListWalk:
    """One filtered list as paged so far: its total and the marks at the offsets served."""

    total: int
    marks: dict[int, Mark] = field(default_factory=dict)

    def nearest(self, offset: int) -> tuple[int, Mark] | None:
        """The mark closest before ``offset`` (the fewest rows to skip), or ``None``."""
        best = max((at for at in self.marks if at <= offset), default=None)
        return None if best is None else (best, self.marks[best])

    def remember(self, offset: int, mark: Mark) -> None:
        self.marks[offset] = mark
        if len(self.marks) > _MARKS_PER_WALK:
            del self.marks[next(iter(self.marks))]  # the oldest noted: walks move forward


class PagingMemory:
    """One connection's walks, valid for one state of the data (see the module docstring)."""

    def __init__(self) -> None:
        self._version: tuple[int, int] | None = None
        self._walks: dict[ThreadFilters, ListWalk] = {}

    def _current(self, conn: sqlite3.Connection) -> dict[ThreadFilters, ListWalk]:
        version = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
        if version != self._version:
            self._version = version
            self._walks = {}
        return self._walks

    def walk(self, conn: sqlite3.Connection, filters: ThreadFilters) -> ListWalk | None:
        """The walk of ``filters`` in the snapshot ``conn`` reads, if one was started in it."""
        return self._current(conn).get(filters)

    def start(self, conn: sqlite3.Connection, filters: ThreadFilters, total: int) -> ListWalk:
        """A new walk of ``filters`` (its total counted in the snapshot ``conn`` reads)."""
        walks = self._current(conn)
        walks.pop(filters, None)
        if len(walks) >= _WALKS_KEPT:
            del walks[next(iter(walks))]
        walks[filters] = ListWalk(total)
        return walks[filters]
