"""Figure 8 — the vendor-CLI provider: one tool round trip, and a first sync through the tool.

The tool is the project's fake ``noxinfluencer`` (a Python process per command, talking to the
sandbox over loopback HTTP), so the figures measure what noxtui adds around a process per command
(spawn, body file, parse) and set it beside the REST provider's figures on the same sandbox in the
same run. The real tool is a Node program: its own start-up time adds to each round trip.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from bench._data import fresh_copy, sandbox_db
from bench._table import Figure
from bench.sync import SandboxProcess
from noxtui.providers.nox_cli import discovery
from noxtui.providers.nox_cli.provider import NoxCliProvider
from noxtui.providers.nox_cli.runner import CliRunner
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import DEFAULT_TOKEN
from noxtui.sandbox.nox_cli import fake_cli_command, fake_cli_env
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache


async def _round_trips(provider: NoxCliProvider | NoxProvider, runs: int) -> list[float]:
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        await provider.coop_statuses()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _first_sync(provider: NoxCliProvider | NoxProvider, workdir: Path, name: str) -> float:
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-", dir=workdir) as tmp:
        cache = ThreadCache(Path(tmp) / "cache.sqlite3")
        try:
            engine = SyncEngine(
                provider, cache, CacheScope.of(name, "bench", "bench"), page_size=100, concurrency=4
            )
            started = time.perf_counter()
            report = await engine.first_sync()
            elapsed = time.perf_counter() - started
            if report.total != cache.count(CacheScope.of(name, "bench", "bench")):
                raise RuntimeError(f"{name} first sync mirrored fewer threads than it reported")
            return elapsed
        finally:
            cache.close()


async def _measure(server: SandboxProcess, workdir: Path, runs: int) -> dict[str, list[float]]:
    home = Path(tempfile.mkdtemp(prefix="bench-fake-cli-", dir=workdir))
    pointed = fake_cli_env(server.base_url, home, DEFAULT_TOKEN)
    saved = {name: os.environ.get(name) for name in pointed}
    os.environ.update(pointed)  # the tool processes inherit it; restored below
    info = discovery.probe(fake_cli_command(), None)
    cli = NoxCliProvider(CliRunner(info.tool, catalogue=info.catalogue), schema=info.schema)
    rest = NoxProvider(NoxClient(server.base_url, DEFAULT_TOKEN))
    try:
        found = {
            "cli_trip": await _round_trips(cli, runs),
            "rest_trip": await _round_trips(rest, runs),
            "cli_sync": [],
            "rest_sync": [],
        }
        for _ in range(max(1, runs // 5)):
            found["cli_sync"].append(await _first_sync(cli, workdir, "cli"))
            found["rest_sync"].append(await _first_sync(rest, workdir, "rest"))
        return found
    finally:
        await rest.aclose()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(workdir: Path, threads: int, runs: int, repo: Path) -> list[Figure]:
    db = fresh_copy(sandbox_db(workdir, threads), workdir / f"cli-run-{threads}.sqlite3")
    server = SandboxProcess(db, repo)
    try:
        found = asyncio.run(_measure(server, workdir, runs))
    finally:
        server.close()
    ratio = [c / r for c, r in zip(found["cli_sync"], found["rest_sync"], strict=True)]
    return [
        Figure(
            "8. CLI round trip (spawn → parsed answer)",
            "message coop-statuses",
            found["cli_trip"],
            note="the fake tool is Python; the real one is Node: add its start-up",
        ),
        Figure("8. REST round trip, same request", "GET /messages/coop-statuses", found["rest_trip"]),
        Figure(
            "8. first sync through the CLI",
            f"{threads:,} threads",
            found["cli_sync"],
            unit="s",
            note="pages of 100, 4 tool processes at once",
        ),
        Figure("8. first sync over REST, same data", f"{threads:,} threads", found["rest_sync"], unit="s"),
        Figure("8. ratio CLI / REST first sync", f"{threads:,} threads", ratio, unit="×"),
    ]
