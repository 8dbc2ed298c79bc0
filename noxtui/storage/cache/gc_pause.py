"""Rare cyclic garbage collections while a first fill runs.

Why: a first fill makes dozens of short-lived objects a thread (the page's dicts and lists, the
flattened rows), all freed by reference counting and none part of a cycle. Python's collector
still ran about once every 200 threads, and the 2,000 rows a batch holds until it is written
survive into the older generations, whose passes walk the whole heap (in the app, every widget's
objects too): 8 s of a million-thread fill, finding nothing. Raising the young generation's
threshold for the fill makes those passes rare; the thresholds are put back when it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FILL_YOUNG_THRESHOLD = 100_000
"""Allocations between two collections of the young generation during a fill (Python's default: 700)."""


@contextmanager
def rare_collections(young: int = FILL_YOUNG_THRESHOLD) -> Iterator[None]:
    """Collect the young generation after ``young`` allocations (not fewer) until the block ends."""
    before = gc.get_threshold()
    gc.set_threshold(max(young, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
