"""Where handlers run: reads one at a time on a worker thread, writes beside them.

``EndpointFactory`` runs reads (``GET``) one at a time (CPU-bound under the GIL, several at once
only trade it and map the file again per connection: see ``_threads_for``), while writes keep the
shared pool so a write never waits behind a long read. These tests hold both halves through the
real Starlette routes: two reads sent together never overlap, and a write completes while a read
is still running.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from noxtui.sandbox.endpoint import Ctx, EndpointFactory, Result
from noxtui.sandbox.nox.store import Store

# How long a read waits for a second read to join it. The second read is already queued when the
# first starts waiting, so with reads in parallel it joins at once; with reads one at a time it
# never can, and this bounds the test.
OVERLAP_WAIT_S = 0.5
WRITE_WAIT_S = 10.0


class Probe:
    """Handlers that note how many reads run at once, and a read that waits for a write."""

    def __init__(self) -> None:
        self._state = threading.Condition()
        self.reads_now = 0
        self.most_reads_at_once = 0
        self.writes = 0
        self.reading = threading.Event()

    def read(self, ctx: Ctx[Store]) -> Result:
        with self._state:
            self.reads_now += 1
            self.most_reads_at_once = max(self.most_reads_at_once, self.reads_now)
            self._state.notify_all()
            self._state.wait_for(lambda: self.reads_now > 1, timeout=OVERLAP_WAIT_S)
            self.reads_now -= 1
        return Result({"read": True}, "read")

    def read_until_written(self, ctx: Ctx[Store]) -> Result:
        self.reading.set()
        with self._state:
            written = self._state.wait_for(lambda: self.writes > 0, timeout=WRITE_WAIT_S)
        return Result({"saw_the_write": written}, "read")

    def write(self, ctx: Ctx[Store]) -> Result:
        with self._state:
            self.writes += 1
            self._state.notify_all()
        return Result({"written": True}, "written")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "threads.sqlite3")
    yield store
    store.close()


def app_for(store: Store, probe: Probe) -> Starlette:
    factory = EndpointFactory(store, lambda: datetime(2026, 11, 20, tzinfo=timezone.utc), 10_000)
    return Starlette(
        routes=[
            factory.route("/read", "GET", probe.read),
            factory.route("/read-until-written", "GET", probe.read_until_written),
            factory.route("/write", "POST", probe.write, idempotent=False),
        ]
    )


async def test_two_reads_sent_together_run_one_after_the_other(store: Store) -> None:
    probe = Probe()
    transport = httpx.ASGITransport(app=app_for(store, probe))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        answers = await asyncio.gather(client.get("/read"), client.get("/read"))
    assert [a.status_code for a in answers] == [200, 200]
    assert probe.most_reads_at_once == 1


async def test_a_write_is_not_held_behind_a_running_read(store: Store) -> None:
    probe = Probe()
    transport = httpx.ASGITransport(app=app_for(store, probe))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        read = asyncio.ensure_future(client.get("/read-until-written"))
        assert await asyncio.to_thread(probe.reading.wait, WRITE_WAIT_S)  # the read is running
        written = await client.post("/write", json={})
        answered = await read
    assert written.status_code == 200
    assert answered.json()["data"] == {"saw_the_write": True}
