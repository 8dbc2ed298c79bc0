"""``python -m bench.fuzz --requests 10000``: throw generated hostile requests at every sandbox route.

Starts a freshly seeded sandbox on loopback, sends ``--requests`` requests from
``bench.fuzz_requests`` (seeded, so a run can be repeated exactly), and prints how many answers came
back per status, how many were 5xx, and every problem found (a 5xx, an answer that is not an
envelope, a refused write that changed the database), with the request that caused it. Exits 1 if
there was any problem, so it can gate a CI step.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import httpx

from bench.fuzz_requests import DataVersion, iterate, route_table, send, settle
from noxtui.sandbox import DEFAULT_TOKEN, SandboxServer, create_app

T = TypeVar("T")
NOW = "2026-11-20T09:00:00+00:00"


class RandomPicker:
    """The generator's choices from a seeded ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return self._random.choice(options)

    def integer(self, low: int, high: int) -> int:
        return self._random.randint(low, high)


def run(requests: int, seed: int, threads: int, workdir: Path) -> int:
    """Fuzz a new sandbox under ``workdir``; print the figures; 0 when no problem was found."""
    from datetime import datetime

    db = workdir / "fuzz.sqlite3"
    with SandboxServer(db, token=DEFAULT_TOKEN, threads=threads, seed=seed, now=datetime.fromisoformat(NOW)) as server:
        routes = route_table(create_app(server.store))
        versions = DataVersion(db)
        statuses: Counter[int] = Counter()
        problems: list[str] = []
        started = time.monotonic()
        headers = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
        with httpx.Client(base_url=server.root_url, headers=headers, timeout=30.0) as client:
            settle(client, NOW)
            for request in iterate(RandomPicker(seed), routes, requests):
                verdict = send(client, request, versions, reset_now=NOW)
                statuses[verdict.status] += 1
                problems.extend(f"{p}: {request.describe()}" for p in verdict.problems)
        versions.close()
        elapsed = time.monotonic() - started
    five_hundreds = sum(n for status, n in statuses.items() if status >= 500)
    print(f"routes fuzzed: {len(routes)}")
    print(f"requests: {sum(statuses.values())} in {elapsed:.1f} s (seed {seed})")
    print(f"5xx answers: {five_hundreds}")
    print("answers by status: " + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())))
    print(f"problems: {len(problems)}")
    for problem in problems[:50]:
        print("  " + problem)
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="how many requests to send (10000)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generator and the workspace (7)")
    parser.add_argument("--threads", type=int, default=60, help="threads in the seeded workspace (60)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="noxtui-fuzz-") as tmp:
        return run(args.requests, args.seed, args.threads, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
