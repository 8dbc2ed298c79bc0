"""Figure 2 — filter latency over a cache-backed list: cache query + ``set_rows`` + the frame.

Three cases, each measured from the query to the painted frame:

* **toggle** — every needs-reply × direction combination in turn; 9 combinations is more than the
  cache's 8 remembered results, so every toggle runs its SQL (the cold path);
* **toggle again** — cycling ``n`` (any → needs → answered) a second time: the everyday case, the
  results are remembered until the next write, so only ``set_rows`` and the frame remain;
* **keystroke** — keywords typed one character at a time over the whole list.

Rows are loaded into the cache's memory first (the cold start's job), as in the running app.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench._constants import SCOPE
from bench._data import filled_cache
from bench._headless import SIZE, ListApp, settle, until_painted
from bench._table import Figure
from noxtui.domain.models import Direction, ThreadQuery
from noxtui.storage.cache import ThreadCache

TARGET_MS = 50.0
WORDS = ("maya", "rate card", "collab", "tiktok", "sun")
NEEDS: tuple[bool | None, ...] = (None, True, False)
DIRECTIONS: tuple[Direction | None, ...] = (None, "inbound", "outbound")


@dataclass
class Case:
    """Samples of one case: the whole latency, and its two parts that are not the frame."""

    total: list[float] = field(default_factory=list)
    query: list[float] = field(default_factory=list)
    set_rows: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    """What each sample typed or toggled (the keyword), to name the slowest."""

    def breakdown(self) -> str:
        if not self.query:
            return ""
        slowest = max(range(len(self.total)), key=self.total.__getitem__)
        return (
            f"cache query median {statistics.median(self.query):.1f} ms, "
            f"set_rows {statistics.median(self.set_rows):.1f} ms, the rest is the frame; "
            f"slowest {self.labels[slowest]} {self.total[slowest]:.0f} ms (query {self.query[slowest]:.0f} ms)"
        )


async def measure(cache: ThreadCache, rounds: int, words: tuple[str, ...], timeout: float = 5.0) -> dict[str, Case]:
    app = ListApp(cache.rows(SCOPE))
    cases = {"toggle": Case(), "again": Case(), "keystroke": Case()}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await settle(app)
        listing = app.thread_list

        async def apply(query: ThreadQuery, case: Case | None) -> None:
            parts: list[float] = []

            def act() -> None:
                started = time.perf_counter()
                rows = cache.rows(SCOPE, query)
                queried = time.perf_counter()
                listing.set_rows(rows)
                parts.extend([(queried - started) * 1000, (time.perf_counter() - queried) * 1000])

            took = await until_painted(app, act, timeout)
            await settle(app)
            if case is not None:
                case.total.append(took)
                case.query.append(parts[0])
                case.set_rows.append(parts[1])
                case.labels.append(repr(query.keyword) if query.keyword else "a toggle")

        for _ in range(rounds):
            for direction in DIRECTIONS:
                for needs in NEEDS:
                    await apply(ThreadQuery(needs_reply=needs, last_message_direction=direction), cases["toggle"])
        for needs in NEEDS:  # the first cycle of n runs its SQL; the following ones are measured
            await apply(ThreadQuery(needs_reply=needs), None)
        for _ in range(rounds):
            for needs in NEEDS:
                await apply(ThreadQuery(needs_reply=needs), cases["again"])
        for word in words:
            await apply(ThreadQuery(), None)
            for n in range(1, len(word) + 1):
                await apply(ThreadQuery(keyword=word[:n]), cases["keystroke"])
    return cases


def run(workdir: Path, threads: int, rounds: int = 3) -> list[Figure]:
    words = WORDS if rounds >= 3 else WORDS[:2]  # a smoke run types two words
    cache = ThreadCache(filled_cache(workdir, threads))
    try:
        cases = asyncio.run(measure(cache, rounds, words))
    finally:
        cache.close()
    size = f"{threads:,} rows"
    return [
        Figure(
            "2. filter toggle, SQL each time",
            size,
            cases["toggle"].total,
            target=TARGET_MS,
            note="needs × direction, 9 combinations > 8 remembered; " + cases["toggle"].breakdown(),
        ),
        Figure(
            "2. filter toggle, remembered",
            size,
            cases["again"].total,
            target=TARGET_MS,
            note="cycling n again (no SQL until the next write); " + cases["again"].breakdown(),
        ),
        Figure(
            "2. keyword, per keystroke",
            size,
            cases["keystroke"].total,
            target=TARGET_MS,
            note="typing "
            + ", ".join(repr(w) for w in words)
            + " one character at a time; "
            + cases["keystroke"].breakdown(),
        ),
    ]
