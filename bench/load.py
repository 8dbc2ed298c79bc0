"""``python -m bench.load``: many reps at once against one sandbox, then proof that nothing was lost.

What it does: starts the sandbox in its own process (``noxtui sandbox serve`` on a free loopback
port, a fresh seeded database), runs ``--clients`` concurrent async clients — each the real
``NoxClient`` with its own connection pool, retries and Idempotency-Keys — doing thread list / get /
labels set / send for ``--seconds``, stops the server, and opens its SQLite file to check:

* every acknowledged send is in the database exactly once, under the message id the server answered
  with (and a send whose answer was lost is there at most once);
* no acknowledged label change was lost: per thread, the last acknowledged label set is the one stored;
* every acknowledged write's Idempotency-Key is remembered by the server.

Why the partition: a thread's label writes all come from one client, one at a time, so "the last
acknowledged set" is well defined (acknowledgement order = commit order). Sends go to any thread.

Why two processes: in one process the server's and the clients' Python would share one GIL and each
would be billed for the other's time. ``--fault-rate`` (default 0) arms the sandbox's seeded fault
injection on top (dropped answers after commit on writes, 503s on reads) to show the same guarantees
under failure. Not CI-timed; prints two tables and exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from noxtui.domain.errors import NoxError
from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.sandbox.nox.ids import parse_id

TOKEN = "bench-load-token"
SENDER = "sa_maya"
OPS = ("list", "get", "label", "send")
DEFAULT_MIX = "list=40,get=30,label=20,send=10"


# --- the sandbox process -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def sandbox_process(db: Path, threads: int, seed: int) -> Iterator[str]:
    """``noxtui sandbox serve`` in a child process; yields the base URL; stops it with Ctrl-C (SIGINT)
    so the server closes the database cleanly before the checks read it."""
    port = _free_port()
    command = [
        sys.executable, "-m", "noxtui", "sandbox", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--db", str(db), "--threads", str(threads), "--seed", str(seed), "--token", TOKEN, "--reset",
    ]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if child.poll() is not None:
                raise RuntimeError(f"the sandbox exited: {child.stderr.read().decode() if child.stderr else ''}")
            try:
                if httpx.get(f"{root}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not come up in 300 s")
            time.sleep(0.2)
        yield f"{root}/v1"
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _admin(base_url: str) -> tuple[str, dict[str, str]]:
    return base_url.removesuffix("/v1") + "/_sandbox/faults", {"Authorization": f"Bearer {TOKEN}"}


def arm_faults(base_url: str, rate: float) -> None:
    rules = [
        {"method": "POST", "path": r"/send$", "mode": "drop_after", "rate": rate},
        {"method": "PUT", "path": r"/labels$", "mode": "drop_after", "rate": rate},
        {"method": "GET", "path": r"/messages/threads", "status": 503, "rate": rate},
    ]
    url, headers = _admin(base_url)
    httpx.post(url, json=rules, headers=headers).raise_for_status()


def fault_hits(base_url: str) -> dict[str, int]:
    """How many requests each armed rule actually broke (the retries the clients had to make)."""
    url, headers = _admin(base_url)
    rules = httpx.get(url, headers=headers).json()["data"]
    return {
        f"{r['method']} {r['path']} {r['mode'] if r['mode'] != 'status' else r['status']}": r["hits"] for r in rules
    }


# --- the clients ---------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the clients were told, to be compared with what the database holds."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    acked_sends: dict[str, str] = field(default_factory=dict)  # content -> message id
    unknown_sends: set[str] = field(default_factory=set)  # content of sends whose answer was lost
    last_labels: dict[str, frozenset[str]] = field(default_factory=dict)  # thread -> last acked set
    unknown_labels: dict[str, frozenset[str]] = field(default_factory=dict)  # thread -> set tried after it
    acked_keys: list[str] = field(default_factory=list)


@dataclass
class World:
    thread_ids: list[str]
    label_ids: list[str]
    keywords: list[str]


def _weights(mix: str) -> list[int]:
    parts = dict(item.split("=") for item in mix.split(","))
    return [int(parts.get(op, 0)) for op in OPS]


async def one_client(
    index: int, clients: int, base_url: str, world: World, deadline: float, weights: Sequence[int], ledger: Ledger
) -> None:
    rng = random.Random(index)
    owned = world.thread_ids[index::clients]
    async with NoxClient(base_url, TOKEN, timeout=10.0, max_retries=3, backoff=0.05) as client:
        while time.monotonic() < deadline:
            op = rng.choices(OPS, weights)[0]
            if op in ("label", "send") and not owned:
                continue
            started = time.perf_counter()
            thread_id = rng.choice(owned) if op in ("label", "send") else rng.choice(world.thread_ids)
            key = str(uuid.uuid4())
            try:
                if op == "list":
                    query = rng.choice(
                        [
                            ThreadQuery(),
                            ThreadQuery(needs_reply=True),
                            ThreadQuery(last_message_direction="inbound"),
                            ThreadQuery(keyword=rng.choice(world.keywords)),
                        ]
                    )
                    await client.list_threads(query, page=rng.choice([1, 1, 2]), page_size=50)
                elif op == "get":
                    await client.get_thread(thread_id)
                elif op == "label":
                    wanted = frozenset(rng.sample(world.label_ids, rng.randint(0, min(3, len(world.label_ids)))))
                    ledger.unknown_labels[thread_id] = wanted
                    await client.set_labels(thread_id, sorted(wanted), idempotency_key=key)
                    del ledger.unknown_labels[thread_id]
                    ledger.last_labels[thread_id] = wanted
                    ledger.acked_keys.append(key)
                else:
                    content = f"load {index}:{key}"
                    ledger.unknown_sends.add(content)
                    thread = await client.send(thread_id, content, SENDER, idempotency_key=key)
                    ledger.unknown_sends.discard(content)
                    ledger.acked_sends[content] = str((thread.model_extra or {}).get("message_id"))
                    ledger.acked_keys.append(key)
            except NoxError as exc:
                ledger.errors[op][type(exc).__name__] += 1
            ledger.latencies[op].append((time.perf_counter() - started) * 1000)


async def run_clients(base_url: str, clients: int, seconds: float, weights: Sequence[int]) -> tuple[Ledger, float]:
    async with NoxClient(base_url, TOKEN, timeout=30.0) as setup:
        ids: list[str] = []
        names: set[str] = set()
        page = 1
        while True:
            chunk = await setup.list_threads(ThreadQuery(), page=page, page_size=100)
            ids += [t.thread_id for t in chunk.threads]
            names |= {t.creator.name.split()[0] for t in chunk.threads if t.creator.name.split()}
            if not chunk.has_more:
                break
            page += 1
        labels = [label.label_id for label in await setup.all_labels()]
    world = World(thread_ids=ids, label_ids=labels, keywords=sorted(names)[:50] or ["a"])
    ledger = Ledger()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(one_client(i, clients, base_url, world, deadline, weights, ledger) for i in range(clients)))
    return ledger, time.monotonic() - started


# --- the checks ----------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    checked: int
    ok: int
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.checked == self.ok


def verify(db: Path, ledger: Ledger) -> list[Check]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        once = 0
        for content, message_id in ledger.acked_sends.items():
            rows = conn.execute("SELECT seq FROM messages WHERE body_text = ?", (content,)).fetchall()
            if len(rows) == 1 and rows[0][0] == parse_id("msg", message_id):
                once += 1
        at_most_once = sum(
            1
            for content in ledger.unknown_sends
            if conn.execute("SELECT COUNT(*) FROM messages WHERE body_text = ?", (content,)).fetchone()[0] <= 1
        )
        label_ok = 0
        for thread_id, wanted in ledger.last_labels.items():
            seq = parse_id("th", thread_id)
            stored = frozenset(
                r[0] for r in conn.execute("SELECT label_id FROM thread_labels WHERE thread_seq = ?", (seq,))
            )
            allowed = {wanted, ledger.unknown_labels.get(thread_id, wanted)}
            label_ok += stored in allowed
        remembered = 0
        for start in range(0, len(ledger.acked_keys), 500):
            chunk = ledger.acked_keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            remembered += conn.execute(f"SELECT COUNT(*) FROM idempotency WHERE key IN ({marks})", chunk).fetchone()[0]
    finally:
        conn.close()
    return [
        Check("database integrity_check", 1, int(integrity == "ok"), integrity),
        Check("acked sends present exactly once", len(ledger.acked_sends), once, "under the answered message id"),
        Check("lost-answer sends present at most once", len(ledger.unknown_sends), at_most_once, "0 or 1 copy"),
        Check("last acked label set per thread stored", len(ledger.last_labels), label_ok, "threads written"),
        Check("acked writes' Idempotency-Keys remembered", len(ledger.acked_keys), remembered),
    ]


# --- the report ----------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def report(ledger: Ledger, elapsed: float, checks: list[Check], args: argparse.Namespace, hits: dict[str, int]) -> str:
    rows = []
    every: list[float] = []
    failures = 0
    for op in OPS:
        lat = ledger.latencies.get(op, [])
        errs = sum(ledger.errors.get(op, Counter()).values())
        failures += errs
        every += lat
        rows.append(
            (op, len(lat), errs, f"{100 * errs / len(lat):.2f}%" if lat else "—", f"{len(lat) / elapsed:.1f}",
             f"{_pct(lat, 0.5):.1f}", f"{_pct(lat, 0.99):.1f}", f"{max(lat) if lat else float('nan'):.1f}")
        )  # fmt: skip
    rows.append(
        ("all", len(every), failures, f"{100 * failures / max(1, len(every)):.2f}%", f"{len(every) / elapsed:.1f}",
         f"{_pct(every, 0.5):.1f}", f"{_pct(every, 0.99):.1f}", f"{max(every) if every else float('nan'):.1f}")
    )  # fmt: skip
    kinds = {op: dict(counter) for op, counter in ledger.errors.items() if counter}
    head = (
        f"{args.clients} clients × {elapsed:.1f} s against a {args.threads}-thread sandbox on loopback "
        f"(separate process), fault rate {args.fault_rate:g}, mix {args.mix}"
    )
    out = [head, "", _table(("op", "requests", "errors", "error rate", "req/s", "p50 ms", "p99 ms", "max ms"), rows)]
    if kinds:
        out += ["", "errors by kind (after the client's retries): " + json.dumps(kinds)]
    if hits:
        out += ["", "faults injected (each one retried by the client): " + json.dumps(hits)]
    rows = [(c.name, c.checked, c.ok, "pass" if c.passed else "FAIL", c.note) for c in checks]
    out += ["", _table(("consistency check", "checked", "ok", "result", "note"), rows)]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=300, help="threads seeded into the sandbox")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"operation weights (default {DEFAULT_MIX})")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="inject faults on this share of requests")
    parser.add_argument("--db", type=Path, default=None, help="sandbox database file (default: a temp file)")
    args = parser.parse_args(argv)
    weights = _weights(args.mix)
    # Retries are expected here (that is the point of --fault-rate); the table counts what survives them.
    logging.getLogger("noxtui").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory(prefix="noxtui-load-") as tmp:
        db = args.db or Path(tmp) / "load.sqlite3"
        print(f"seeding {args.threads} threads and starting the sandbox…", file=sys.stderr)
        with sandbox_process(db, args.threads, args.seed) as base_url:
            if args.fault_rate > 0:
                arm_faults(base_url, args.fault_rate)
            print(f"running {args.clients} clients for {args.seconds:g} s…", file=sys.stderr)
            ledger, elapsed = asyncio.run(run_clients(base_url, args.clients, args.seconds, weights))
            hits = fault_hits(base_url) if args.fault_rate > 0 else {}
        checks = verify(db, ledger)
    print(report(ledger, elapsed, checks, args, hits))
    return 0 if all(c.passed for c in checks) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
