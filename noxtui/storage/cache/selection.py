"""Which rows of the unfiltered list a filter keeps: one byte per row, counted by blocks.

A filter result at a million threads cannot be a Python list of row keys (36 MB of int objects
and ~0.1 s to build); it is a ``bytes`` selector in list order, 1 where the row matches. The
filters combine selectors with C-speed operations (``bytes.translate``, an ``&`` of two big
ints), and the list reads a result by position: the *i*-th match is found from per-block counts
(``bisect`` over the running totals, then ``bytes.find`` within one block of ``BLOCK`` rows),
and ``rank`` turns a row's place in the whole list back into its place in the result.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, repeat

BLOCK = 256
"""Rows per counted block: finding the *i*-th match scans at most this many bytes."""


def both(first: bytes | None, second: bytes | None) -> bytes | None:
    """The rows both selectors keep (``None`` keeps every row)."""
    if first is None:
        return second
    if second is None:
        return first
    size = len(first)
    return (int.from_bytes(first, "little") & int.from_bytes(second, "little")).to_bytes(size, "little")


class Selection:
    """The rows of a list of ``size`` rows that a selector keeps, readable by their place in the result."""

    __slots__ = ("selector", "size", "count", "_totals")

    def __init__(self, selector: bytes | None, size: int) -> None:
        self.selector = selector
        self.size = size
        if selector is None:
            self._totals = array("q")
            self.count = size
            return
        starts = range(0, size, BLOCK)
        counts = map(selector.count, repeat(1), starts, range(BLOCK, size + BLOCK, BLOCK))
        self._totals = totals = array("q", accumulate(counts))  # in C: ~3,900 blocks at a million rows
        self.count = totals[-1] if totals else 0

    def has(self, position: int) -> bool:
        """Whether the row at ``position`` of the whole list is kept."""
        if not 0 <= position < self.size:
            return False
        return self.selector is None or self.selector[position] == 1

    def rank(self, position: int) -> int:
        """The place in the result of the kept row at ``position`` of the whole list."""
        if self.selector is None:
            return position
        block = position // BLOCK
        before = self._totals[block - 1] if block else 0
        return before + self.selector.count(1, block * BLOCK, position)

    def position(self, index: int) -> int:
        """The place in the whole list of the ``index``-th kept row (``0 <= index < count``)."""
        if self.selector is None:
            return index
        block = bisect_right(self._totals, index)
        skip = index - (self._totals[block - 1] if block else 0)
        found = block * BLOCK - 1
        for _ in range(skip + 1):
            found = self.selector.find(1, found + 1)
        return found

    def positions(self, start: int, stop: int) -> list[int]:
        """The whole-list places of result rows ``start`` to ``stop`` (exclusive), in order."""
        stop = min(stop, self.count)
        if start >= stop:
            return []
        if self.selector is None:
            return list(range(start, stop))
        first = self.position(start)
        found = [first]
        find = self.selector.find
        for _ in range(stop - start - 1):
            first = find(1, first + 1)
            found.append(first)
        return found

    def iter_positions(self) -> Iterator[int]:
        """Every kept row's place in the whole list, in order."""
        if self.selector is None:
            yield from range(self.size)
            return
        find = self.selector.find
        found = find(1)
        while found != -1:
            yield found
            found = find(1, found + 1)
