"""Figure 5 — sync over loopback HTTP: a first sync of the whole workspace, then increments.

The sandbox runs in its own process (``bench._sandbox_proc``) on a private copy of the seeded
database; the client is the real ``NoxClient`` → ``NoxProvider`` → ``SyncEngine`` → ``ThreadCache``
(page size 100, 4 requests in flight; from 200 pages, the pages after the first are read by the
sync's page reader processes, ``storage.cache.page_readers``). Each increment follows ``changed`` simulated creator
replies (``POST /_sandbox/threads/{id}/inbound``, not timed) and must report exactly those.

Targets: a first sync of 10,000 threads in 3 s, of 1,000,000 in 120 s (``first_target_ms``: 3 s or
120 µs a thread, whichever is more), judged on the median of ``--sync-runs`` first syncs like every
figure. From 500,000 threads up each first sync takes minutes: its progress goes to stderr as the
app's progress line would say it, each run's time is printed as it ends, and a run's cache file is
deleted once the next one starts.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench._data import fresh_copy, sandbox_db
from bench._table import Figure
from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest import routes
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import DEFAULT_TOKEN
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from noxtui.storage.cache.page_readers import default_readers
from noxtui.storage.cache.pager import READER_MIN_PAGES
from noxtui.storage.cache.sync import SyncProgress
from noxtui.tui.widgets.sync_progress import progress_text

FIRST_TARGET_MS = 3000.0
PER_THREAD_TARGET_MS = 0.12
"""A million threads in 120 s."""
INCREMENT_TARGET_MS = 200.0
CONCURRENCY = 4
"""Requests in flight: the app's own setting (``InboxService``), polite to the vendor."""
LARGE = 500_000
"""From this size a first sync's progress and time go to stderr as it runs."""


def first_target_ms(threads: int) -> float:
    return max(FIRST_TARGET_MS, threads * PER_THREAD_TARGET_MS)


class _StderrProgress:
    """The first sync's progress, a line per tenth (what the app's progress line shows)."""

    def __init__(self) -> None:
        self.tenth = -1

    def __call__(self, progress: SyncProgress) -> None:
        tenth = int(progress.fraction * 10)
        if tenth != self.tenth:
            self.tenth = tenth
            print(f"[bench]    {progress_text(progress)}", file=sys.stderr, flush=True)


class SandboxProcess:
    """A sandbox in a child process; ``close()`` ends it by closing its stdin (then by its pid)."""

    def __init__(self, db: Path, repo: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench._sandbox_proc", str(db)],
            cwd=repo,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http"):
            self.close()
            raise RuntimeError("the sandbox process did not start")
        self.root_url = self.base_url.removesuffix("/v1")

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=10)


def _bring_up_to_date(server: SandboxProcess) -> None:
    """One list request before the clock starts, as a running server would have had.

    The sandbox delivers scheduled sends that have come due before it answers any request. A kept
    workspace sat on disk for hours, so its first request delivered thousands of them (~25 s of
    writes at a million threads: two of the sync's first pages timed out and were retried), then
    built its list index afresh; a vendor's server does neither in a rep's sync."""
    with httpx.Client(headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}, timeout=300) as client:
        client.get(server.base_url + routes.THREADS, params={"page": 1, "page_size": 100}).raise_for_status()


async def _measure(
    server: SandboxProcess, workdir: Path, runs: int, changed: int, *, report_progress: bool = False
) -> dict[str, list[float] | str]:
    scope = CacheScope.of("nox", server.base_url, "bench")
    first: list[float] = []
    increments: list[float] = []
    problems: list[str] = []
    provider = NoxProvider(NoxClient(server.base_url, DEFAULT_TOKEN))
    _bring_up_to_date(server)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-sync-", dir=workdir) as tmp:
            cache: ThreadCache | None = None
            for run in range(runs):
                if cache is not None:
                    cache.close()
                    for old in Path(tmp).glob("cache-*"):  # a million threads' file is ~1.5 GB
                        old.unlink()
                cache = ThreadCache(Path(tmp) / f"cache-{run}.sqlite3")
                engine = SyncEngine(provider, cache, scope, page_size=100, concurrency=CONCURRENCY)
                started = time.perf_counter()
                report = await engine.first_sync(_StderrProgress() if report_progress else None)
                first.append((time.perf_counter() - started) * 1000)
                if report_progress:
                    seconds = first[-1] / 1000
                    print(f"[bench]    first sync {run + 1} of {runs}: {seconds:.1f} s", file=sys.stderr, flush=True)
                if report.total != cache.count(scope):
                    problems.append(f"first sync mirrored {cache.count(scope)} of {report.total}")
            assert cache is not None
            ids = cache.thread_ids(scope, ThreadQuery(last_message_direction="outbound"))
            with httpx.Client(headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}, timeout=30) as admin:
                for run in range(runs):
                    batch = ids[run * changed : (run + 1) * changed]
                    for thread_id in batch:
                        admin.post(
                            f"{server.root_url}/_sandbox/threads/{thread_id}/inbound",
                            json={"body_text": "Hi! Sounds good — what are the next steps?"},
                        ).raise_for_status()
                    started = time.perf_counter()
                    report = await engine.incremental_sync()
                    increments.append((time.perf_counter() - started) * 1000)
                    if set(report.changed_ids) != set(batch) or set(report.new_inbound_ids) != set(batch):
                        problems.append(
                            f"increment {run + 1}: {len(report.changed_ids)} changed / "
                            f"{len(report.new_inbound_ids)} new replies reported, {len(batch)} expected"
                        )
            cache.close()
    finally:
        await provider.aclose()
    return {"first": first, "increments": increments, "problems": "; ".join(problems)}


def run(workdir: Path, threads: int, changed: int, runs: int, repo: Path) -> list[Figure]:
    db = fresh_copy(sandbox_db(workdir, threads), workdir / f"sync-run-{threads}.sqlite3")
    large = threads >= LARGE
    server = SandboxProcess(db, repo)
    try:
        found = asyncio.run(_measure(server, workdir, runs, changed, report_progress=large))
    finally:
        server.close()
    problems = str(found["problems"])
    first: list[float] = list(found["first"])  # type: ignore[arg-type]
    readers = default_readers()
    check = f"reported exactly the {changed} replied threads" if not problems else f"MISMATCH: {problems}"
    return [
        Figure(
            "5. first sync over loopback HTTP",
            f"{threads:,} threads",
            first,
            target=first_target_ms(threads),
            note=(
                f"sandbox in its own process; page_size 100, {CONCURRENCY} in flight; "
                + (f"{readers} page readers; " if readers and threads > READER_MIN_PAGES * 100 else "")
                + "fresh cache each run"
                + (f"; runs {', '.join(f'{ms / 1000:.1f}' for ms in first)} s" if large else "")
            ),
        ),
        Figure(
            "5. incremental sync",
            f"{changed} changed / {threads:,}",
            list(found["increments"]),  # type: ignore[arg-type]
            target=INCREMENT_TARGET_MS,
            note=check,
        ),
    ]
