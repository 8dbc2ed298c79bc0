"""Figure 4 — memory: peak RSS of a whole app process with every thread loaded.

Runs in a fresh child process (``python -m bench.memory CACHE``) so nothing the bench itself built
(seeding, pydantic models for the cache fill) is counted: the child is the real ``NoxTUI`` (every
widget, CSS and theme) over the cache, with all rows in the list and in the cache's row map,
painted once headless. Peak is ``VmHWM`` (= ``ru_maxrss``), the most the process ever held.
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
from pathlib import Path

from noxtui.cache import ThreadCache

from bench._constants import SCOPE
from bench._data import filled_cache
from bench._app_from_cache import paint_mode
from bench._table import Figure

TARGET_MB = 300.0


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _child(cache_path: Path, expected: int) -> dict[str, float]:
    from noxtui.tui.widgets.thread_list import ThreadList

    from bench._app_from_cache import build_app

    bench = build_app(cache_path)
    try:
        async with bench.app.run_test(size=(120, 40)) as pilot:
            for _ in range(3000):
                listing = bench.app.screen.query(ThreadList)
                if listing and listing.first().row_count >= expected:
                    break
                await pilot.pause(0.01)
            await pilot.pause(0.2)
            rows = bench.app.screen.query_one(ThreadList).row_count
    finally:
        bench.close()
    return {
        "rows": rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "hwm_mb": _status_mb("VmHWM"),
        "rss_mb": _status_mb("VmRSS"),
    }


def run(workdir: Path, threads: int, repo: Path) -> list[Figure]:
    cache_path = filled_cache(workdir, threads)
    cache = ThreadCache(cache_path)
    try:
        expected = cache.count(SCOPE)
    finally:
        cache.close()
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", str(cache_path), str(expected)],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory child failed: {done.stderr[-2000:]}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Figure(
            "4. peak RSS, whole app process",
            f"{int(found['rows']):,} rows",
            [found["peak_mb"]],
            unit="MB",
            target=TARGET_MB,
            note=f"real NoxTUI, rows in list + cache ({paint_mode()} mode); RSS after paint {found['rss_mb']:.0f} MB",
        )
    ]


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_child(Path(sys.argv[1]), int(sys.argv[2])))))
