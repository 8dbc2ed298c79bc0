"""Turning a per-key answer into a per-place one, in C, by runs of consecutive keys.

Why: the keyword indexes answer by row key (one byte per key: 1 where the row matches), the list
reads a selector by place in its order. Reading the selector one key at a time
(``bytes(map(by_key.__getitem__, keys))``) costs ~150 ms at a million rows on the loaded
reference machine: more than a keystroke's whole budget. But a cache is written a sync page at a
time, newest first, so its keys lie in list order in long runs of consecutive keys (the
bench's million is one run; a thread moved to the top by a new reply starts a run of one). A run
is one slice of the per-key bytes, so a million places are a ``join`` of a few slices.

The runs of a list order are found once (two ``map``s over the keys, ~0.1-0.2 s at a million)
and kept until the order's key array is replaced (every write gives the order a new one).
"""

from __future__ import annotations

from array import array
from itertools import islice
from operator import sub

MOST_RUNS = 8
"""Rows a run must hold on average for slices to pay; fewer (a shuffled order), read key by key."""


class KeyRuns:
    """The runs of consecutive keys of one list order's key array, and the reading they allow."""

    __slots__ = ("keys", "runs", "top")

    def __init__(self, keys: array[int]) -> None:
        self.keys = keys
        self.top = max(keys, default=-1)
        self.runs: list[tuple[int, int]] | None = _runs(keys)

    def gather(self, by_key: bytes) -> bytes:
        """``by_key[key]`` for every key of the order, in its order (keys beyond ``by_key`` read 0)."""
        if len(by_key) <= self.top:
            by_key = by_key + bytes(self.top + 1 - len(by_key))
        if self.runs is None:
            return bytes(map(by_key.__getitem__, self.keys))
        return b"".join([by_key[first : first + length] for first, length in self.runs])


def _runs(keys: array[int]) -> list[tuple[int, int]] | None:
    """(first key, length) of each run in order, or ``None`` when runs are too short to pay."""
    if not keys:
        return []
    if min(keys) < 0:
        return None
    follows = bytes(map((1).__eq__, map(sub, islice(keys, 1, None), keys)))  # 1: next key is this + 1
    runs: list[tuple[int, int]] = []
    most = len(keys) // MOST_RUNS + 1
    start = 0
    while start < len(keys):
        end = follows.find(0, start)  # the run's last place
        if end == -1:
            end = len(keys) - 1
        runs.append((keys[start], end - start + 1))
        if len(runs) > most:
            return None
        start = end + 1
    return runs
