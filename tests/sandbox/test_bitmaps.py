"""Sets of list positions (``nox/bitmaps.py``): a page's window is exactly the members a sorted list gives.

``window`` skips whole pieces and then sub-pieces by their bit counts instead of listing every
member before the page; these tests hold it to the plain answer (every member, sorted, sliced)
for sets dense, sparse and empty, windows across piece and sub-piece edges, and past the end.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from noxtui.sandbox.nox import bitmaps


def plain_window(members: set[int], skip: int, count: int) -> list[int]:
    return sorted(members)[skip : skip + max(count, 0)]


@given(
    st.sets(st.integers(min_value=0, max_value=70_000), max_size=400),
    st.integers(min_value=0, max_value=450),
    st.integers(min_value=-1, max_value=120),
)
def test_a_window_of_any_set_is_the_slice_of_its_sorted_members(members: set[int], skip: int, count: int) -> None:
    bits = bitmaps.from_positions(members)
    assert bitmaps.window(bits, skip, count) == plain_window(members, skip, count)


def test_windows_walk_a_dense_set_of_a_million_across_every_piece_edge() -> None:
    rng = random.Random(3)
    members = {position for position in range(1_000_000) if rng.random() < 0.9}
    bits = bitmaps.from_positions(members)
    ordered = sorted(members)
    for skip in (0, 99, 100, 14_700, 14_745, 14_746, 230, 231, 232, 500_000, len(ordered) - 50, len(ordered) - 1):
        assert bitmaps.window(bits, skip, 100) == ordered[skip : skip + 100]
    assert bitmaps.window(bits, len(ordered), 100) == []


def test_every_position_of_a_full_set_pages_in_order() -> None:
    size = 20_000
    everything = (1 << size) - 1
    pages = [bitmaps.window(everything, skip, 100) for skip in range(0, size, 100)]
    assert [position for page in pages for position in page] == list(range(size))
