"""The client's CPU per thread of a first sync, without the sandbox's share: record once, replay.

Figure 5 runs the sandbox and the client side by side, so its wall time mixes both sides' CPU,
the round trips and the machine's load. This measures the client alone: the sandbox's raw page
bodies (``page_size=100``, the vendor's maximum) are recorded once over loopback HTTP into one
file beside the bench's data, then fed back through the real client path — ``NoxClient`` (an
``httpx.MockTransport`` answering with the recorded bytes) → ``NoxProvider`` → ``SyncEngine`` →
``ThreadCache`` in a fresh file — with ``time.process_time()`` around ``first_sync``.

    python -m bench.sync_replay --threads 10000 [--runs 3] [--profile out.prof] [--loopback]

``--loopback`` serves the recording over loopback HTTP from another process instead
(``bench._replay_server``), so the client's own HTTP work is counted as well.

The recording is read through ``mmap``, so a million threads' pages (~1.3 GB) cost no memory up
front. The tests go through real loopback HTTP; this is for measuring only.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import mmap
import os
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import platformdirs

from bench._data import fresh_copy, sandbox_db
from bench.sync import CONCURRENCY, SandboxProcess
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import DEFAULT_TOKEN
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache

PAGE_SIZE = 100
_HEADER = struct.Struct("<II")
"""(page number, body length) before each recorded body."""
_BASE_URL = "http://replay.invalid/v1"


def recording_path(workdir: Path, threads: int) -> Path:
    return workdir / f"replay-pages-{threads}.bin"


def record(workdir: Path, threads: int, repo: Path) -> Path:
    """Every page of the unfiltered list as the sandbox sends it, page after page, in one file."""
    target = recording_path(workdir, threads)
    if target.exists():
        return target
    db = fresh_copy(sandbox_db(workdir, threads), workdir / f"replay-run-{threads}.sqlite3")
    server = SandboxProcess(db, repo)
    partial = target.with_suffix(".partial")
    try:
        with httpx.Client(headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}, timeout=120) as http:
            with partial.open("wb") as out:
                page, pages = 1, 1
                while page <= pages:
                    response = http.get(
                        f"{server.base_url}/messages/threads", params={"page": page, "page_size": PAGE_SIZE}
                    )
                    response.raise_for_status()
                    if page == 1:
                        pages = -(-int(response.json()["meta"]["total"]) // PAGE_SIZE)
                    out.write(_HEADER.pack(page, len(response.content)))
                    out.write(response.content)
                    page += 1
    finally:
        server.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    partial.rename(target)
    return target


class Recording:
    """The recorded bodies by page number, read from a memory map as they are asked for."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        self._where: dict[int, tuple[int, int]] = {}
        offset = 0
        while offset < len(self._map):
            page, length = _HEADER.unpack_from(self._map, offset)
            offset += _HEADER.size
            self._where[page] = (offset, length)
            offset += length

    def body(self, page: int) -> bytes:
        offset, length = self._where[page]
        return self._map[offset : offset + length]

    def close(self) -> None:
        self._map.close()
        self._file.close()


def _transport(recording: Recording) -> httpx.MockTransport:
    async def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, content=recording.body(page), headers={"content-type": "application/json"})

    return httpx.MockTransport(answer)


async def _first_sync(recording: Recording, cache_file: Path, base_url: str | None) -> tuple[float, float, int]:
    """(client CPU s, wall s, threads) of one first sync into a fresh cache: from ``base_url`` (the
    recording served over loopback) or, without it, from a mock transport in this process."""
    scope = CacheScope.of("nox", base_url or _BASE_URL, "bench")
    client = (
        NoxClient(base_url, DEFAULT_TOKEN, timeout=60)
        if base_url
        else NoxClient(_BASE_URL, DEFAULT_TOKEN, transport=_transport(recording))
    )
    provider = NoxProvider(client)
    try:
        with ThreadCache(cache_file) as cache:
            engine = SyncEngine(provider, cache, scope, page_size=PAGE_SIZE, concurrency=CONCURRENCY)
            cpu, wall = time.process_time(), time.perf_counter()
            report = await engine.first_sync()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            return cpu, wall, report.total
    finally:
        await provider.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the last run here")
    parser.add_argument(
        "--loopback", action="store_true", help="serve the pages over loopback HTTP from another process"
    )
    parser.add_argument("--workdir", type=Path, default=Path(platformdirs.user_cache_dir("noxtui-bench")))
    args = parser.parse_args()
    repo = Path(__file__).resolve().parent.parent
    path = record(args.workdir, args.threads, repo)
    recording = Recording(path)
    server = _ReplayServer(path, repo) if args.loopback else None
    try:
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="bench-replay-", dir=args.workdir) as tmp:
                profiler = cProfile.Profile() if args.profile and run == args.runs - 1 else None
                if profiler is not None:
                    profiler.enable()
                base_url = server.base_url if server else None
                cpu, wall, total = asyncio.run(_first_sync(recording, Path(tmp) / "cache.sqlite3", base_url))
                if profiler is not None:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
                load = os.getloadavg()[0]
                print(
                    f"run {run + 1}: {total:,} threads, client CPU {cpu:.2f} s = {cpu / total * 1e6:.0f} µs a thread, "
                    f"wall {wall:.2f} s (load {load:.1f})",
                    flush=True,
                )
    finally:
        if server is not None:
            server.close()
        recording.close()


class _ReplayServer(SandboxProcess):
    """``bench._replay_server`` in a child process (started and ended as the sandbox's is)."""

    def __init__(self, recording: Path, repo: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench._replay_server", str(recording)],
            cwd=repo,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http"):
            self.close()
            raise RuntimeError("the replay server did not start")


if __name__ == "__main__":
    main()
