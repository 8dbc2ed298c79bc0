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
* **Or into the cache.** While an empty cache file fills without its indexes (``bulk_fill``), the
  assignment names the file (``FillTarget``): the reader appends its rows itself, 2,000 at a
  time over a connection of its own, and a page's frame (its thread ids only) follows its commit.
  The app's process then neither decodes nor writes those rows: at a million threads that was
  ~45 µs of CPU a thread, on a machine whose two cores the sync keeps busy.
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

from noxtui.storage.cache.bulk_fill import FillTarget, append_batch, open_appender
from noxtui.storage.cache.columns import FlatPage, FlatThread, flatten_page

if TYPE_CHECKING:
    from noxtui.domain.models import ThreadPage, ThreadQuery
    from noxtui.domain.rows import PlainSummaries

HEADER_BYTES = 4
CONCURRENCY = 2
"""Requests a reader keeps in flight: one is served while the last one is decoded."""
QUEUED_FRAMES = 64
"""Pages a reader keeps ready while the app's process is busy writing (then it waits)."""
APPEND_ROWS = 2_000
"""Rows a reader appends per transaction when it writes the cache itself (as the sync does)."""


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
    target: FillTarget | None = None
    """The filling cache to append the rows to; ``None``: send them to the sync."""


class ReadPage(NamedTuple):
    """A page a reader fetched and flattened: what the sync's collector takes instead of a raw page."""

    flat: FlatPage
    total: int
    page: int
    written: list[str] | None = None
    """The page's live thread ids when the reader appended them to the cache itself (then
    ``flat.live`` is empty); ``None`` when the rows are in ``flat.live``."""


_new_flat = tuple.__new__


def encode_page(page: int, total: int, flat: FlatPage, *, written: bool = False) -> bytes:
    """The page as plain tuples (``marshal`` is several times faster than ``pickle`` both ways);
    ``written``: the rows are in the cache already, only their ids go."""
    newest = flat.newest.isoformat() if flat.newest is not None else None
    if written:
        return marshal.dumps((page, total, None, [row.thread_id for row in flat.live], flat.archived, newest))
    return marshal.dumps((page, total, [tuple(row) for row in flat.live], None, flat.archived, newest))


def decode_page(frame: bytes) -> ReadPage:
    page, total, rows, ids, archived, newest = marshal.loads(frame)
    live: list[FlatThread] = [_new_flat(FlatThread, row) for row in rows] if rows is not None else []
    stamp = datetime.fromisoformat(newest) if newest is not None else None
    return ReadPage(FlatPage(live, archived, stamp), total, page, ids)


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


class _Appender:
    """Gathers pages until ``APPEND_ROWS`` rows, appends them in one transaction, and only then
    gives out their frames: a page is reported done once its rows are committed."""

    def __init__(self, target: FillTarget) -> None:
        self.scope_id = target.scope_id
        self.conn = open_appender(target)
        self.rows: list[FlatThread] = []
        self.pages: list[tuple[int, int, FlatPage]] = []

    def add(self, page: int, total: int, flat: FlatPage) -> list[bytes]:
        self.rows.extend(flat.live)
        self.pages.append((page, total, flat))
        return self.flush() if len(self.rows) >= APPEND_ROWS else []

    def flush(self) -> list[bytes]:
        if self.rows:
            append_batch(self.conn, self.scope_id, self.rows)
        frames = [frame(encode_page(page, total, flat, written=True)) for page, total, flat in self.pages]
        self.rows, self.pages = [], []
        return frames

    def close(self) -> None:
        self.conn.close()


async def _read(assignment: Assignment, out: queue.Queue[bytes | None]) -> None:
    """Fetch the assigned pages, ``CONCURRENCY`` at a time, and queue each one flattened (or append
    its rows to the cache and queue its ids)."""
    source = assignment.reader.open()
    appender = _Appender(assignment.target) if assignment.target is not None else None
    pages = iter(assignment.pages)

    async def hand_over(payloads: list[bytes]) -> None:
        for payload in payloads:
            # The queue is bounded: a blocking put would stall the loop, so wait beside it.
            while True:
                try:
                    out.put_nowait(payload)
                    break
                except queue.Full:
                    await asyncio.sleep(0.005)

    async def worker() -> None:
        for page in pages:
            found = await source.list_plain_threads(assignment.query, page=page, page_size=assignment.page_size)
            flat = flatten_page(found)
            if appender is None:
                await hand_over([frame(encode_page(page, found.total, flat))])
            else:
                await hand_over(appender.add(page, found.total, flat))

    try:
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        if appender is not None:
            await hand_over(appender.flush())
    finally:
        if appender is not None:
            appender.close()
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
