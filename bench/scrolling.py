"""Figure 3 — scrolling: j/k and page-down over a long list, key press → frame done.

A j or k costs very different amounts depending on whether the list has to scroll: a cursor move
inside the screen repaints two lines, a move past the edge scrolls the whole list. Holding j from
the top does both, so both are reported; page-down always repaints the whole list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from bench._constants import SCOPE
from bench._data import filled_cache
from bench._headless import SIZE, ListApp, settle, until_painted
from bench._table import Figure
from noxtui.domain.rows import ThreadRow
from noxtui.storage.cache import ThreadCache

TARGET_MS = 16.0
KEY_GAP = 0.03
"""Seconds between presses: about a held key's auto-repeat rate."""


async def measure(rows: Sequence[ThreadRow], presses: int) -> dict[str, list[float]]:
    app = ListApp(rows)
    found: dict[str, list[float]] = {"move": [], "scroll": [], "pagedown": []}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await settle(app)
        listing = app.thread_list

        async def hold(key: str, times: int) -> None:
            for _ in range(times):
                before = listing.scroll_offset.y
                took = await until_painted(app, lambda: pilot.press(key))
                found["scroll" if listing.scroll_offset.y != before else "move"].append(took)
                await asyncio.sleep(KEY_GAP)

        on_screen = min(presses, SIZE[1] - 4)
        await hold("j", on_screen)  # from the top: the cursor walks down the screen
        await hold("k", on_screen)
        # Page down leaves the cursor on the bottom edge: from there every j scrolls; page up
        # leaves it on the top edge, where every k scrolls.
        await pilot.press("pagedown")
        await settle(app)
        await hold("j", presses)
        await pilot.press("pageup")
        await settle(app)
        await hold("k", presses)
        # Page-down far from either end is the general case.
        listing.cursor = len(rows) // 2
        await settle(app)
        for _ in range(presses // 2):
            found["pagedown"].append(await until_painted(app, lambda: pilot.press("pagedown")))
            await asyncio.sleep(KEY_GAP)
    return found


def run(workdir: Path, threads: int, presses: int = 80) -> list[Figure]:
    cache = ThreadCache(filled_cache(workdir, threads))
    try:  # the rows are a window over the open cache, read as they are painted (as in the app)
        found = asyncio.run(measure(cache.rows(SCOPE), presses))
    finally:
        cache.close()
    held = "j then k walking the screen, and held past its edges (each press classified by whether the list scrolled)"
    return [
        Figure("3. j/k, cursor moves on screen", f"{threads:,} rows", found["move"], target=TARGET_MS, note=held),
        Figure("3. j/k, list scrolls a line", f"{threads:,} rows", found["scroll"], target=TARGET_MS),
        Figure("3. page-down", f"{threads:,} rows", found["pagedown"], target=TARGET_MS),
    ]
