"""A sync's page reader: a helper process that fetches and flattens pages of ``message list``.

Why a process: at a million threads, one Python process reading pages (HTTP, the JSON, the checks,
the flattening into the cache's columns) spends ~100 µs a thread on one core, and writing them
~40 µs more: over the 120 s a first sync may take. Readers in processes of their own do the reading
on the machine's other cores, and the app's process only writes (``page_readers`` is its side).

The protocol, over pipes (run as ``python -m noxtui.storage.cache.page_reader``):

* **In** (standard input): one frame holding the ``Assignment`` (pickled: the list reader, which
  carries the token, so it travels only through this pipe, never in arguments or environment).
* **Out** (the original standard output; anything printed goes to standard error instead): one
  frame per page, ``encode_page``'s ``marshal`` of the flattened rows, in the order pages land.
* A frame is a 4-byte big-endian length and that many bytes. The reader stops at the first error:
  its pages are then missing, and the sync reads them itself, meeting (and raising) the error as
  it would have without helpers.
"""

from __future__ import annotations

import asyncio
import marshal
import os
import pickle
import queue
import sys
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, Protocol

from noxtui.storage.cache.columns import FlatPage, FlatThread, flatten_page

if TYPE_CHECKING:
    from noxtui.domain.models import ThreadPage, ThreadQuery
    from noxtui.domain.rows import PlainSummaries

HEADER_BYTES = 4
CONCURRENCY = 2
"""Requests a reader keeps in flight: one is served while the last one is decoded."""
QUEUED_FRAMES = 64
"""Pages a reader keeps ready while the app's process is busy writing (then it waits)."""


class PlainListSource(Protocol):
    """What a reader lists pages through (a provider's client, rebuilt in the helper)."""

    async def list_plain_threads(
        self, query: ThreadQuery, *, page: int = 1, page_size: int = 50
    ) -> ThreadPage | PlainSummaries: ...

    async def aclose(self) -> None: ...


class ListReader(Protocol):
    """A picklable description of a ``PlainListSource`` (e.g. ``nox_rest.list_reader.NoxListReader``)."""

    def open(self) -> PlainListSource: ...


class Assignment(NamedTuple):
    """What one reader is asked to do."""

    reader: ListReader
    query: ThreadQuery
    pages: list[int]
    page_size: int


class ReadPage(NamedTuple):
    """A page a reader fetched and flattened: what the sync's collector takes instead of a raw page."""

    flat: FlatPage
    total: int
    page: int


_new_flat = tuple.__new__


def encode_page(page: int, total: int, flat: FlatPage) -> bytes:
    """The page as plain tuples (``marshal`` is several times faster than ``pickle`` both ways)."""
    newest = flat.newest.isoformat() if flat.newest is not None else None
    return marshal.dumps((page, total, [tuple(row) for row in flat.live], flat.archived, newest))


def decode_page(frame: bytes) -> ReadPage:
    page, total, rows, archived, newest = marshal.loads(frame)
    live: list[FlatThread] = [_new_flat(FlatThread, row) for row in rows]
    stamp = datetime.fromisoformat(newest) if newest is not None else None
    return ReadPage(FlatPage(live, archived, stamp), total, page)


def frame(payload: bytes) -> bytes:
    return len(payload).to_bytes(HEADER_BYTES, "big") + payload


def _read_frame(stream: BinaryIO) -> bytes:
    size = int.from_bytes(_read_exactly(stream, HEADER_BYTES), "big")
    return _read_exactly(stream, size)


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError("the sync closed the pipe")
        data += chunk
    return data


async def _read(assignment: Assignment, out: queue.Queue[bytes | None]) -> None:
    """Fetch the assigned pages, ``CONCURRENCY`` at a time, and queue each one flattened."""
    source = assignment.reader.open()
    pages = iter(assignment.pages)

    async def worker() -> None:
        for page in pages:
            found = await source.list_plain_threads(assignment.query, page=page, page_size=assignment.page_size)
            # The queue is bounded: a blocking put would stall the loop, so wait beside it.
            payload = frame(encode_page(page, found.total, flatten_page(found)))
            while True:
                try:
                    out.put_nowait(payload)
                    break
                except queue.Full:
                    await asyncio.sleep(0.005)

    try:
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    finally:
        await source.aclose()


def _write_all(frames: queue.Queue[bytes | None], sink: BinaryIO) -> None:
    """Hand queued frames to the pipe on a thread of its own, so fetching goes on while the app's
    process is busy writing and the pipe is full."""
    while (payload := frames.get()) is not None:
        try:
            sink.write(payload)
            sink.flush()
        except OSError:  # the sync is gone (its process ended): fetching more would only load the server
            os._exit(1)


def main() -> int:
    sink = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the frames
    assignment: Any = pickle.loads(_read_frame(sys.stdin.buffer))
    frames: queue.Queue[bytes | None] = queue.Queue(QUEUED_FRAMES)
    writer = threading.Thread(target=_write_all, args=(frames, sink), daemon=True)
    writer.start()
    try:
        asyncio.run(_read(assignment, frames))
        return 0
    except BaseException as error:
        # Only the error's kind: its text could quote a request, and standard error is the sync's log.
        print(type(error).__name__, file=sys.stderr)
        return 1
    finally:
        frames.put(None)
        writer.join()
        sink.close()


if __name__ == "__main__":
    sys.exit(main())
