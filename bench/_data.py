"""Bench data: seeded sandbox databases and caches filled from them, built once and reused.

Every figure runs on the sandbox's own generator (``seed_workspace``): realistic names in four
languages, real label/status/project mixes, the same shapes the server sends. Building 100,000
threads takes ~30 s (seed) + ~15 s (cache fill), so the results are kept in the work directory,
keyed by size and seed, and copied when a figure needs to write to them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from bench._constants import NOW, SCOPE, SEED
from noxtui.domain.models import ThreadSummary
from noxtui.sandbox import Store, seed_workspace
from noxtui.sandbox.nox.thread_filters import ThreadFilters
from noxtui.storage.cache import ThreadCache

_CHUNK = 20_000


def sandbox_db(workdir: Path, threads: int) -> Path:
    """A seeded sandbox database of ``threads`` threads (built on first use, then reused)."""
    path = workdir / f"sandbox-{threads}-{SEED}.sqlite3"
    if path.exists():
        return path
    workdir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in workdir.glob(partial.name + "*"):
        leftover.unlink()
    store = Store(partial)
    try:
        seed_workspace(store, threads=threads, seed=SEED, now=NOW)
        store.checkpoint()
    finally:
        store.close()
    partial.rename(path)
    return path


def fresh_copy(source: Path, target: Path) -> Path:
    """A private copy to write to (a figure that changes data must not spoil the reused file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        stale = Path(str(target) + suffix)
        if stale.exists():
            stale.unlink()
    shutil.copyfile(source, target)
    return target


def summaries(db: Path) -> Iterator[list[ThreadSummary]]:
    """Every live thread of a sandbox database as ``ThreadSummary`` models, in list order, in chunks.

    Read through the store (no HTTP) — for setting up caches only; the sync figure goes over HTTP.
    """
    store = Store(db)
    try:
        page = 1
        while True:
            found, total = store.list_threads(ThreadFilters(), page=page, page_size=_CHUNK)
            if found:
                yield [ThreadSummary.model_validate(item) for item in found]
            if page * _CHUNK >= total or not found:
                return
            page += 1
    finally:
        store.close()


def filled_cache(workdir: Path, threads: int) -> Path:
    """A ``ThreadCache`` file holding every thread of the seeded sandbox (built once, reused)."""
    path = workdir / f"cache-{threads}-{SEED}.sqlite3"
    if path.exists():
        return path
    source = sandbox_db(workdir, threads)
    partial = workdir / f"cache-{threads}-{SEED}.partial"
    for leftover in workdir.glob(partial.name + "*"):
        leftover.unlink()
    cache = ThreadCache(partial)
    try:
        for chunk in summaries(source):
            for start in range(0, len(chunk), 1_000):
                cache.upsert_summaries(SCOPE, chunk[start : start + 1_000])
    finally:
        cache.close()
    partial.rename(path)
    return path
