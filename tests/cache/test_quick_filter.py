"""The start-up's filters read with sqlite3 alone (``quick_filter``) agree with the cache's own.

Needs reply, direction and keyword, in every combination, must list the same threads in the same
order as ``ThreadCache.rows`` (what the inbox paints a moment later), and the filter line must read
word for word as the inbox's, or the hand-over from the start-up screen would change what is shown.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from noxtui.domain.filters import FilterState
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from noxtui.storage.cache.quick_filter import DIRECTION_CYCLE, NEEDS_CYCLE, QuickFilter, QuickReader

KEYWORDS = ("", "collab", "MA", "  rate ", "zzzz-no-match")


def combinations() -> list[QuickFilter]:
    return [
        QuickFilter(needs, direction, keyword.strip())
        for needs, direction, keyword in itertools.product(NEEDS_CYCLE, DIRECTION_CYCLE, KEYWORDS)
    ]


def as_filter_state(state: QuickFilter) -> FilterState:
    return FilterState(needs_reply=state.needs_reply, direction=state.direction, keyword=state.keyword)  # type: ignore[arg-type]


async def test_every_combination_lists_what_the_cache_lists_in_the_same_order(
    engine: SyncEngine, cache: ThreadCache, cache_path: Path, scope: CacheScope
) -> None:
    await engine.first_sync()
    reader = QuickReader.open(cache_path, scope)
    assert reader is not None
    try:
        for state in combinations():
            expected = list(cache.rows(scope, as_filter_state(state).to_query()))
            page = reader.page(state, 25)
            assert page is not None
            total = None if state.is_empty else len(expected)  # no count shown for the unfiltered list
            assert (page.rows, page.total) == (expected[:25], total), state
    finally:
        reader.close()


def test_the_filter_line_reads_as_the_inboxs_and_the_toggles_cycle_alike() -> None:
    for state in combinations():
        full = as_filter_state(state)
        assert state.describe() == full.describe()
        assert as_filter_state(state.cycle_needs_reply()) == full.cycle_needs_reply()
        assert as_filter_state(state.cycle_direction()) == full.cycle_direction()


def test_another_accounts_cache_or_no_file_gives_no_reader(tmp_path: Path, scope: CacheScope) -> None:
    assert QuickReader.open(tmp_path / "missing.sqlite3", scope) is None
    ThreadCache(tmp_path / "empty.sqlite3").close()
    assert QuickReader.open(tmp_path / "empty.sqlite3", scope) is None
