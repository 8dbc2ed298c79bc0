"""The sync's side of its page readers: start them, take their pages, stop them.

A sync of many pages (``pager.fetch_all_pages``) may share its pages out among helper processes
(``page_reader``), which fetch and flatten them on other cores while this process writes what
they hand back. Nothing here is needed for correctness: every page a reader did not deliver
(it could not start, it met an error, it was stopped) is read by the sync itself afterwards, the
usual way, so an error reaches the app exactly as it would have without readers.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from noxtui.storage.cache.bulk_fill import FillTarget
from noxtui.storage.cache.page_reader import HEADER_BYTES, Assignment, ListReader, ReadPage, decode_page, frame

if TYPE_CHECKING:
    from noxtui.domain.models import ThreadQuery

logger = logging.getLogger("noxtui.storage.cache")

PIPE_BUFFER = 16 * 2**20
"""Bytes of a reader's pages held unread while this process writes (a few dozen pages)."""

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])
"""The folder holding the ``noxtui`` package: a reader imports the very code this process runs."""


def default_readers() -> int:
    """Helper processes a large sync starts: two wherever there is a second core.

    Measured on two cores at a million threads (figure 5): the sync alone took 143 s, with one
    reader more (a reader needs ~110 µs of CPU a thread, more than the sync's own writing), with
    two ~130 s. One core gains nothing from a process that only competes with the app."""
    return 2 if (os.cpu_count() or 1) >= 2 else 0


async def read_with_helpers(
    reader: ListReader,
    query: ThreadQuery,
    pages: list[int],
    page_size: int,
    sink: Callable[[ReadPage], None],
    *,
    readers: int,
    target: FillTarget | None = None,
) -> set[int]:
    """Have ``readers`` processes fetch ``pages`` (alternate ones each); hand each page to ``sink`` as
    it lands. Returns the pages handed over; the caller reads the rest itself. With ``target`` (an
    empty cache filling) they append the rows themselves and hand over the pages' ids."""
    delivered: set[int] = set()
    started: list[asyncio.subprocess.Process] = []
    receivers: list[asyncio.Future[None]] = []
    try:  # every process started is stopped and reaped below, whatever happens (a cancel included)
        try:
            for share in (pages[index::readers] for index in range(readers)):
                if share:
                    process = await _spawn()
                    started.append(process)
                    await _assign(process, Assignment(reader, query, share, page_size, target))
        except OSError as error:  # no interpreter to start, no processes left, one that died at once
            logger.warning("page readers not all started: %s", type(error).__name__)
        receivers = [asyncio.ensure_future(_receive(process, sink, delivered)) for process in started]
        if receivers:
            done, _ = await asyncio.wait(receivers, return_when=asyncio.FIRST_EXCEPTION)
            for receiver in done:
                failure = receiver.exception()
                if failure is not None:  # the sink's own error (the cache's): not a reader's to absorb
                    raise failure
    finally:
        for receiver in receivers:
            receiver.cancel()
        await asyncio.gather(*receivers, return_exceptions=True)
        for process in started:
            if process.returncode is None:
                process.kill()
            await process.wait()
    return delivered


async def _spawn() -> asyncio.subprocess.Process:
    environment = dict(os.environ)
    search = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + search if search else "")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "noxtui.storage.cache.page_reader",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environment,
        limit=PIPE_BUFFER,
        # Its own session: a key the rep's terminal turns into a signal (Ctrl+C, Ctrl+Z) reaches
        # the app, which stops its readers itself, not the readers behind its back.
        start_new_session=True,
    )


async def _assign(process: asyncio.subprocess.Process, assignment: Assignment) -> None:
    """Send the reader its pages and the list reader; the token is in it, so it goes only through
    this pipe (never the command line or the environment, which other local users may read)."""
    assert process.stdin is not None
    process.stdin.write(frame(pickle.dumps(assignment)))
    try:
        await process.stdin.drain()
    finally:
        process.stdin.close()


async def _receive(process: asyncio.subprocess.Process, sink: Callable[[ReadPage], None], delivered: set[int]) -> None:
    """Hand over one reader's pages until it ends; a reader that stops early is only logged."""
    stream, errors = process.stdout, process.stderr
    assert stream is not None and errors is not None
    while True:
        try:
            size = int.from_bytes(await stream.readexactly(HEADER_BYTES), "big")
            payload = await stream.readexactly(size)
        except asyncio.IncompleteReadError:
            break
        page = decode_page(payload)
        sink(page)
        delivered.add(page.page)
    said = (await errors.read()).decode("utf-8", "replace").strip().splitlines()
    if await process.wait() != 0:
        reason = said[-1] if said else "no reason given"
        logger.warning("a page reader stopped (%s); the sync reads its pages itself", reason)
