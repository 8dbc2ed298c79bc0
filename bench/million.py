"""Figure 9 — a million cached threads: first paint, filters, scrolling and memory at that size.

The same measurements as figures 1-4, on one cache of ``threads`` threads (1,000,000 by default;
built once from the seeded sandbox and kept, like every bench data set):

* **first paint**: the real app in a pty (``cold_start.time_app``), process start → the first
  thread's name on the terminal;
* **filter toggle** and **keyword keystroke**: ``filter_latency.measure`` (cache query +
  ``set_rows`` + the frame, headless, frame rendered to terminal bytes);
* **j/k** and **page-down**: ``scrolling.measure`` over the cache's window;
* **peak RSS**: ``memory``'s fresh child processes (the real ``NoxTUI`` until the inbox lists every
  thread), ``VmHWM``, worst judged.

What makes these hold at a million: the list is a window over the cache (``storage/cache/
window.py``), the filters are byte columns in memory (``list_order.py``), keywords come from
indexes in the file (``search_index.py``, ``short_grams.py``); see ``bench/README.md``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from bench import cold_start, filter_latency, memory, scrolling
from bench._constants import SCOPE
from bench._data import filled_cache
from bench._table import Figure
from noxtui.storage.cache import ThreadCache

FIRST_PAINT_MS = 500.0
FILTER_MS = 100.0
KEY_MS = 16.0
RSS_MB = 300.0
KEYWORD_TIMEOUT = 300.0
"""Seconds a keystroke may take before the figure gives up: only a cache whose keyword indexes
could not be built scans every text for a keyword (seconds at a million)."""


def run(
    workdir: Path, threads: int, repo: Path, *, starts: int = 3, presses: int = 40, memory_runs: int = 1
) -> list[Figure]:
    cache_path = filled_cache(workdir, threads)
    size = f"{threads:,} cached"
    needle = cold_start.first_name(cache_path)
    cold_start.time_app(cache_path, needle, repo, workdir)  # warm: bytecode and page cache
    paints = [cold_start.time_app(cache_path, needle, repo, workdir) for _ in range(starts)]
    cache = ThreadCache(cache_path)
    try:
        expected = cache.count(SCOPE)
        started = time.perf_counter()
        indexed = cache.build_search_index()  # once per cache file; kept by every write after
        index_s = time.perf_counter() - started
        cases = asyncio.run(filter_latency.measure(cache, 1, filter_latency.WORDS, timeout=KEYWORD_TIMEOUT))
        scrolled = asyncio.run(scrolling.measure(cache.rows(SCOPE), presses))
    finally:
        cache.close()
    peaks = [memory.measure_child(cache_path, expected, repo) for _ in range(memory_runs)]
    filtered = statistics.median(p.filtered for p in paints) * 1000
    return [
        Figure(
            "9. first paint (noxtui)",
            size,
            [p.painted * 1000 for p in paints],
            target=FIRST_PAINT_MS,
            note=f"real app in a pty, {starts} starts after one warm-up; n filtered the list at {filtered:.0f} ms",
        ),
        Figure("9. filter toggle, SQL each time", size, cases["toggle"].total, target=FILTER_MS,
               note="needs × direction, 9 combinations; " + cases["toggle"].breakdown()),
        Figure("9. filter toggle, remembered", size, cases["again"].total, target=FILTER_MS),
        Figure("9. keyword, per keystroke", size, cases["keystroke"].total, target=FILTER_MS,
               note="typing " + ", ".join(repr(w) for w in filter_latency.WORDS) + "; "
               + (f"keyword indexes ready (trigrams, 1-3 byte grams: {index_s:.0f} s to build or open); "
                  if indexed else "texts in memory; ")
               + cases["keystroke"].breakdown()),
        Figure("9. j/k, cursor moves on screen", size, scrolled["move"], target=KEY_MS),
        Figure("9. j/k, list scrolls a line", size, scrolled["scroll"], target=KEY_MS),
        Figure("9. page-down", size, scrolled["pagedown"], target=KEY_MS),
        Figure(
            "9. peak RSS, whole app process",
            size,
            [peak["hwm_mb"] for peak in peaks],
            unit="MB",
            target=RSS_MB,
            judge="max",
            note=f"real NoxTUI until the inbox lists all {expected:,}; VmHWM of {memory_runs} fresh process(es)",
        ),
    ]  # fmt: skip
