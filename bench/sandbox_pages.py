"""The sandbox's CPU per thread served for a first sync's pattern, measured from outside it.

Why a script of its own: the sync figure (``bench/sync.py``) runs the real client, which costs
more CPU than the server and shares the machine's two cores with it, so the server's share is hard
to read there. Here the client is as light as a client can be — a few threads of ``http.client``
that send the sync's requests (``GET /v1/messages/threads?page=N&page_size=100``, 4 in flight, the
pages handed out in order as the real sync does) and read each body without parsing it — and the
figure is the sandbox process's own CPU (``utime + stime`` from ``/proc/<pid>/stat``) divided by
the threads it served. The sandbox runs as the sync figure runs it (``bench._sandbox_proc``), on a
private copy of the kept seeded database (the kept file is never opened for writing).

    python -m bench.sandbox_pages --threads 100000
    python -m bench.sandbox_pages --threads 1000000 [--pages 2000] [--py-spy /tmp/sandbox.svg]

``--pages`` walks only the first pages (a sample; the walk's cost per page does not grow with
depth). ``--py-spy FILE`` records the sandbox with py-spy while it serves (flame graph or, with a
``.txt`` name, collapsed stacks), when py-spy is installed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench._data import fresh_copy
from noxtui.sandbox import DEFAULT_TOKEN

_KEPT = Path.home() / ".cache" / "noxtui-bench"
_PAGE_SIZE = 100
_IN_FLIGHT = 4
_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU of a process so far (``/proc/<pid>/stat`` fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / _TICKS, int(fields[12]) / _TICKS


def context_switches(pid: int) -> int:
    """Voluntary and involuntary context switches of every thread of a process so far."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        for line in status.read_text().splitlines():
            if line.endswith("ctxt_switches:") or "ctxt_switches:" in line:
                total += int(line.split()[1])
    return total


class _Pages:
    """Hands out page numbers in order to the client threads, and learns the last one from the total."""

    def __init__(self, limit: int | None) -> None:
        self._next = 1
        self._last = limit
        self._lock = threading.Lock()
        self.bytes = 0
        self.total = 0

    def take(self) -> int | None:
        with self._lock:
            if self._last is not None and self._next > self._last:
                return None
            page, self._next = self._next, self._next + 1
            return page

    def learn_total(self, total: int, limit: int | None) -> None:
        with self._lock:
            self.total = total
            last = max(1, -(-total // _PAGE_SIZE))
            self._last = last if limit is None else min(limit, last)


def _total_of(body: bytes) -> int:
    """The ``meta.total`` of page 1 (the one body this client reads: it says how many pages follow)."""
    import json

    return int(json.loads(body)["meta"]["total"])


def _client(base_url: str, pages: _Pages, limit: int | None, errors: list[str]) -> None:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
    headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}", "Accept": "application/json"}
    try:
        while (page := pages.take()) is not None:
            conn.request("GET", f"{parts.path}/messages/threads?page={page}&page_size={_PAGE_SIZE}", headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                errors.append(f"page {page}: HTTP {response.status} {body[:200]!r}")
                return
            with pages._lock:
                pages.bytes += len(body)
    finally:
        conn.close()


def walk(base_url: str, limit: int | None) -> tuple[int, int, int]:
    """Every page (or the first ``limit``) with 4 in flight: (pages, threads, bytes) served."""
    pages = _Pages(limit=1)
    errors: list[str] = []
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=600)
    conn.request(
        "GET",
        f"{parts.path}/messages/threads?page=1&page_size={_PAGE_SIZE}",
        headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"},
    )
    first = conn.getresponse().read()
    conn.close()
    pages = _Pages(limit)
    pages.take()  # page 1 is served
    pages.learn_total(_total_of(first), limit)
    pages.bytes = len(first)
    workers = [
        threading.Thread(target=_client, args=(base_url, pages, limit, errors), daemon=True) for _ in range(_IN_FLIGHT)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise RuntimeError("; ".join(errors[:3]))
    served = pages._last or 1
    threads = min(pages.total, served * _PAGE_SIZE)
    return served, threads, pages.bytes


def _sandbox(db: Path, module: str) -> tuple[subprocess.Popen[str], str]:
    repo = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", module, str(db)],
        cwd=repo,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    if not base_url.startswith("http"):
        process.kill()
        raise RuntimeError("the sandbox process did not start")
    return process, base_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=100_000, help="which kept sandbox (seed 7)")
    parser.add_argument("--pages", type=int, default=None, help="walk only the first N pages")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/noxtui-sandbox-pages"))
    parser.add_argument("--fresh", action="store_true", help="copy the kept database again")
    parser.add_argument("--py-spy", type=Path, default=None, dest="py_spy")
    parser.add_argument("--server", default="bench._sandbox_proc", help="the module that serves the database")
    args = parser.parse_args()
    kept = _KEPT / f"sandbox-{args.threads}-7.sqlite3"
    if not kept.exists():
        raise SystemExit(f"no kept sandbox {kept}: build it with python -m bench --threads {args.threads}")
    db = args.workdir / kept.name
    if args.fresh or not db.exists():
        print(f"copying {kept} -> {db}", file=sys.stderr)
        fresh_copy(kept, db)
    process, base_url = _sandbox(db, args.server)
    recorder: subprocess.Popen[bytes] | None = None
    try:
        if args.py_spy is not None and shutil.which("py-spy"):
            form = "raw" if args.py_spy.suffix == ".txt" else "flamegraph"
            recorder = subprocess.Popen(
                ["py-spy", "record", "-p", str(process.pid), "-o", str(args.py_spy), "-f", form, "-r", "200", "-t"]
            )
        user_before, system_before = process_cpu_seconds(process.pid)
        switches_before = context_switches(process.pid)
        started = time.perf_counter()
        pages, threads, size = walk(base_url, args.pages)
        wall = time.perf_counter() - started
        user_after, system_after = process_cpu_seconds(process.pid)
        user, system = user_after - user_before, system_after - system_before
        switches = context_switches(process.pid) - switches_before
        cpu = user + system
    finally:
        if recorder is not None:
            recorder.send_signal(2)
            recorder.wait(timeout=60)
        if process.stdin:
            process.stdin.close()
        process.wait(timeout=30)
    load = os.getloadavg()
    print(
        f"{threads:,} threads in {pages:,} pages ({size / threads:.0f} B a thread): wall {wall:.1f} s, "
        f"sandbox CPU {cpu:.2f} s = {cpu / threads * 1e6:.1f} µs a thread "
        f"(user {user / threads * 1e6:.1f}, system {system / threads * 1e6:.1f}; "
        f"{switches / pages:.0f} context switches a page; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )


if __name__ == "__main__":
    main()
