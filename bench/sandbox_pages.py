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
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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
            if "ctxt_switches:" in line:
                total += int(line.split()[1])
    return total


def cpu_by_thread(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of each thread of a process so far, by thread id.

    (Python does not name its OS threads, so the busiest ones are told apart by what they spend:
    the event loop's thread and the one worker thread that runs reads.)
    """
    out: dict[int, float] = {}
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        fields = stat.read_text().rsplit(")", 1)[1].split()
        out[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / _TICKS
    return out


class _Pages:
    """Hands out page numbers in order to the client threads and adds up the bytes they read."""

    def __init__(self, first: int, last: int) -> None:
        self._next = first
        self._last = last
        self._lock = threading.Lock()
        self.bytes = 0

    def take(self) -> int | None:
        with self._lock:
            if self._next > self._last:
                return None
            page, self._next = self._next, self._next + 1
            return page

    def read(self, size: int) -> None:
        with self._lock:
            self.bytes += size


def _get_page(conn: http.client.HTTPConnection, path: str, page: int) -> bytes:
    headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}", "Accept": "application/json"}
    conn.request("GET", f"{path}/messages/threads?page={page}&page_size={_PAGE_SIZE}", headers=headers)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"page {page}: HTTP {response.status} {body[:200]!r}")
    return body


def _connection(base_url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=600), parts.path


def first_page(base_url: str) -> tuple[int, int]:
    """Page 1 (the one body this client parses: its total says how many pages follow): (total, bytes)."""
    conn, path = _connection(base_url)
    try:
        body = _get_page(conn, path, 1)
    finally:
        conn.close()
    return int(json.loads(body)["meta"]["total"]), len(body)


def later_pages(base_url: str, last: int) -> int:
    """Pages 2 … ``last``, 4 in flight, each body read and dropped; the bytes read."""
    pages = _Pages(2, last)
    errors: list[BaseException] = []

    def client() -> None:
        conn, path = _connection(base_url)
        try:
            while (page := pages.take()) is not None:
                pages.read(len(_get_page(conn, path, page)))
        except BaseException as exc:  # reported below, in the caller's thread
            errors.append(exc)
        finally:
            conn.close()

    workers = [threading.Thread(target=client, daemon=True) for _ in range(_IN_FLIGHT)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed") from errors[0]
    return pages.bytes


@dataclass
class _Cost:
    """What the sandbox process spent on a stretch of the walk."""

    user: float
    system: float
    switches: int
    wall: float

    @classmethod
    def of(cls, pid: int, run: Callable[[], object]) -> _Cost:
        user, system = process_cpu_seconds(pid)
        switches = context_switches(pid)
        started = time.perf_counter()
        run()
        wall = time.perf_counter() - started
        user_after, system_after = process_cpu_seconds(pid)
        return cls(user_after - user, system_after - system, context_switches(pid) - switches, wall)

    def line(self, what: str, threads: int, pages: int) -> str:
        cpu = self.user + self.system
        return (
            f"{what}: {threads:,} threads in {pages:,} pages, wall {self.wall:.1f} s, sandbox CPU {cpu:.2f} s = "
            f"{cpu / threads * 1e6:.1f} µs a thread (user {self.user / threads * 1e6:.1f}, "
            f"system {self.system / threads * 1e6:.1f}; {self.switches / pages:.0f} context switches a page)"
        )


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
        total, first_bytes = 0, 0

        def page_one() -> None:
            nonlocal total, first_bytes
            total, first_bytes = first_page(base_url)

        first = _Cost.of(process.pid, page_one)
        last = max(1, -(-total // _PAGE_SIZE))
        if args.pages is not None:
            last = min(last, args.pages)
        later_bytes = 0

        def the_rest() -> None:
            nonlocal later_bytes
            later_bytes = later_pages(base_url, last)

        threads_before = cpu_by_thread(process.pid)
        rest = _Cost.of(process.pid, the_rest)
        by_thread = {name: cpu - threads_before.get(name, 0.0) for name, cpu in cpu_by_thread(process.pid).items()}
    finally:
        if recorder is not None:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=60)
        if process.stdin:
            process.stdin.close()
        process.wait(timeout=30)
    threads = min(total, last * _PAGE_SIZE)
    whole = _Cost(
        first.user + rest.user, first.system + rest.system, first.switches + rest.switches, first.wall + rest.wall
    )
    load = os.getloadavg()
    size = (first_bytes + later_bytes) / threads
    print(f"sandbox of {total:,} threads, {size:.0f} B a thread; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(whole.line("the walk", threads, last))
    print(first.line("  page 1 (builds the list index)", min(total, _PAGE_SIZE), 1))
    if last > 1:
        later = threads - min(total, _PAGE_SIZE)
        print(rest.line(f"  pages 2-{last}", later, last - 1))
        busiest = sorted((cpu for cpu in by_thread.values() if cpu > 0), reverse=True)
        print(
            "    by OS thread, busiest first (µs a thread): " + ", ".join(f"{cpu / later * 1e6:.1f}" for cpu in busiest)
        )


if __name__ == "__main__":
    main()
