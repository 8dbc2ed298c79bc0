"""The cache's rows in memory: ``ThreadRow`` tuples and keyword texts, indexed by row key.

Why lists and not a dict: the keys are SQLite rowids, small and dense (1…N), so a list indexed by
key needs no hashing and no comparison of int objects per lookup; mapping 100,000 keys to rows
was 2–5x faster this way on the reference machine, and the rows themselves are the objects the
list widget holds, so keeping them here costs only the two pointer arrays.
"""

from __future__ import annotations

from collections.abc import Iterable

from noxtui.domain.rows import ThreadRow


class RowMap:
    """key -> (row, one-byte search text); absent keys are ``None``."""

    def __init__(self) -> None:
        self._rows: list[ThreadRow | None] = []
        self._texts: list[str | None] = []

    def __len__(self) -> int:
        return len(self._rows) - self._rows.count(None)

    def _grow(self, key: int) -> None:
        if key >= len(self._rows):
            extra = key + 1 - len(self._rows)
            self._rows.extend([None] * extra)
            self._texts.extend([None] * extra)

    def put(self, key: int, row: ThreadRow, text: str) -> None:
        self._grow(key)
        self._rows[key] = row
        self._texts[key] = text

    def drop(self, keys: Iterable[int]) -> None:
        size = len(self._rows)
        for key in keys:
            if key < size:
                self._rows[key] = None
                self._texts[key] = None

    def clear(self) -> None:
        self._rows.clear()
        self._texts.clear()

    def missing(self, keys: list[int]) -> list[int]:
        """The keys whose rows are not loaded yet."""
        rows, size = self._rows, len(self._rows)
        return [key for key in keys if key >= size or rows[key] is None]

    def rows(self, keys: list[int]) -> list[ThreadRow]:
        """The rows of ``keys`` (all loaded), in the order given."""
        rows = self._rows
        return [rows[key] for key in keys]  # type: ignore[misc]

    def matching(self, keys: list[int], needle: str) -> list[int]:
        """The keys whose search text contains ``needle`` (both in ``one_byte`` form), order kept."""
        texts = self._texts
        return [key for key in keys if needle in texts[key]]  # type: ignore[operator]
