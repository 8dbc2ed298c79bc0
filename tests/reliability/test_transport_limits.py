"""What a slow, greedy or broken server cannot do to the client: hold a request open, make it wait
years, flood it, or crash it with a body — each met with a clear, typed error.

Every case runs the real client (the providers' decoders over ``api.transport``) against a real
loopback server: a tiny raw asyncio socket server, because the interesting answers (a drip of one
byte at a time, a 100 KB header, a body that never ends) are ones a well-behaved framework will not
send.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import pytest

from noxtui.api.transport import HttpTransport, Retry
from noxtui.domain.errors import NoxError, ProtocolError, RateLimitedError, TransportError
from noxtui.domain.text import wait_in_words
from noxtui.providers.inbox.http import InboxHttp
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.envelope import decode as nox_decode
from tests.reliability.support import SECRET_TOKEN, assert_actionable

pytestmark = pytest.mark.reliability

Writer = Callable[[asyncio.StreamWriter], Awaitable[None]]
OK_BODY = json.dumps({"success": True, "data": [], "summary": "ok", "meta": {"request_id": "r"}}).encode()


@dataclass
class RawServer:
    """Answers every request with ``answer``; counts the requests and says when one arrived."""

    answer: Writer
    requests: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                await reader.readexactly(length)
                self.requests += 1
                self.arrived.set()
                await self.answer(writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


@asynccontextmanager
async def raw_server(answer: Writer) -> AsyncIterator[RawServer]:
    server = RawServer(answer)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.port = listener.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listener.close()


def head(status: str, headers: dict[str, str], length: int | None) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def answer_with(body: bytes, status: str = "200 OK", headers: dict[str, str] | None = None) -> Writer:
    async def write(writer: asyncio.StreamWriter) -> None:
        writer.write(head(status, headers or {}, len(body)) + body)
        await writer.drain()

    return write


def nox_transport(server: RawServer, **kw: float | int) -> HttpTransport:
    options: dict[str, float | int] = {"timeout": 0.5, "max_retries": 0, "backoff": 0.01, **kw}
    return HttpTransport(server.url, SECRET_TOKEN, **options)  # type: ignore[arg-type]


async def nox_get(transport: HttpTransport) -> object:
    try:
        return await transport.request("GET", "/messages/labels", lambda r, w: nox_decode(r, write=w))
    finally:
        await transport.aclose()


async def raised(call: Awaitable[object]) -> NoxError:
    try:
        await call
    except NoxError as error:
        return assert_actionable(error)
    raise AssertionError("the request succeeded; it must be refused")


# --- an overall deadline ---------------------------------------------------------------------------


async def drip(writer: asyncio.StreamWriter) -> None:
    """A server that is never quite silent: one byte of a 60-byte body every 0.1 s (6 s in all)."""
    writer.write(head("200 OK", {}, 60))
    await writer.drain()
    for _ in range(60):
        writer.write(b" ")
        await writer.drain()
        await asyncio.sleep(0.1)


async def test_a_server_that_drips_bytes_cannot_hold_a_request_past_its_deadline() -> None:
    async with raw_server(drip) as server:
        started = time.monotonic()
        error = await raised(nox_get(nox_transport(server, timeout=0.5, deadline=0.6)))
        elapsed = time.monotonic() - started
    assert isinstance(error, TransportError)
    assert "did not finish answering within 0.6 s" in error.what
    assert elapsed < 3.0, f"held for {elapsed:.1f} s"


async def test_the_deadline_is_configurable_for_the_real_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOXTUI_REQUEST_DEADLINE", "0.5")
    async with raw_server(drip) as server:
        client = NoxClient(server.url, SECRET_TOKEN, timeout=0.4, max_retries=2, backoff=0.01)
        error = await raised(client.labels())
        await client.aclose()
    assert isinstance(error, TransportError) and "within 0.5 s" in error.what
    assert "NOXTUI_REQUEST_DEADLINE" in error.todo


async def test_a_write_past_its_deadline_says_it_may_have_reached_the_server() -> None:
    async with raw_server(drip) as server:
        transport = nox_transport(server, deadline=0.4)
        call = transport.request(
            "POST", "/x", lambda r, w: nox_decode(r, write=w), retry=Retry.IDEMPOTENT_WRITE, json={}
        )
        error = await raised(call)
        await transport.aclose()
    assert isinstance(error, TransportError) and error.may_have_reached
    assert "reload" in error.todo


# --- 429 with a huge Retry-After -----------------------------------------------------------------------

LIMITED = json.dumps({"success": False, "error_code": "RATE_LIMITED", "summary": "Slow down"}).encode()


@pytest.mark.parametrize("retry_after", ["1000000000", "1e9", "Fri, 31 Dec 2100 23:59:59 GMT"])
async def test_a_huge_retry_after_is_answered_at_once_in_words(retry_after: str) -> None:
    answer = answer_with(LIMITED, "429 Too Many Requests", {"Retry-After": retry_after})
    async with raw_server(answer) as server:
        started = time.monotonic()
        client = NoxClient(server.url, SECRET_TOKEN, timeout=1.0, max_retries=3, max_retry_after=1.0)
        error = await raised(client.labels())
        await client.aclose()
        elapsed = time.monotonic() - started
    assert isinstance(error, RateLimitedError)
    assert "years" in error.todo and "e+" not in error.message and " s " not in error.todo
    assert server.requests == 1, "no retry after a wait the server did not ask for"
    assert elapsed < 1.0


def test_waits_are_said_in_words() -> None:
    assert wait_in_words(1e9) == "about 32 years"
    assert wait_in_words(90) == "2 minutes"
    assert wait_in_words(45) == "45 seconds"
    assert wait_in_words(float("inf")) == "more than 1,000 years"
    assert RateLimitedError("Slow down", retry_after=1e9).todo == "Wait about 32 years and try again."


class Waiting(logging.Handler):
    """Sets ``event`` when the transport logs that it is waiting before a retry."""

    def __init__(self, event: asyncio.Event) -> None:
        super().__init__()
        self.event = event

    def emit(self, record: logging.LogRecord) -> None:
        if "waiting" in record.getMessage():
            self.event.set()


async def test_a_retry_wait_ends_as_soon_as_the_rep_cancels() -> None:
    answer = answer_with(LIMITED, "429 Too Many Requests", {"Retry-After": "20"})
    waiting = asyncio.Event()
    handler = Waiting(waiting)
    logger = logging.getLogger("noxtui.api")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        async with raw_server(answer) as server:
            client = NoxClient(server.url, SECRET_TOKEN, timeout=1.0, max_retries=3, max_retry_after=30.0)
            task = asyncio.create_task(client.labels())
            await asyncio.wait_for(waiting.wait(), 5)
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.monotonic() - started < 1.0
            await client.aclose()
            assert server.requests == 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


# --- an oversized header -------------------------------------------------------------------------------


async def head_in_pieces(writer: asyncio.StreamWriter) -> None:
    """A 200 KB head sent 8 KB at a time: h11 sees it grow past its own 16 KB limit."""
    whole = head("200 OK", {"X-Padding": "a" * 200_000}, len(OK_BODY)) + OK_BODY
    for start in range(0, len(whole), 8192):
        writer.write(whole[start : start + 8192])
        await writer.drain()
        await asyncio.sleep(0)


@pytest.mark.parametrize(
    "answer", [answer_with(OK_BODY, headers={"X-Padding": "a" * 100_000}), head_in_pieces], ids=["one-read", "pieces"]
)
async def test_an_oversized_header_is_reported_as_such_not_as_a_dropped_connection(answer: Writer) -> None:
    async with raw_server(answer) as server:
        error = await raised(nox_get(nox_transport(server, max_retries=2)))
    assert isinstance(error, ProtocolError)
    assert "headers larger than 16 KB" in error.what and "dropped" not in error.message
    assert server.requests == 1, "a head too large is not retried: it would be too large again"


# --- a response size cap -------------------------------------------------------------------------------


async def chunked_forever(writer: asyncio.StreamWriter) -> None:
    """A body with no length that does not stop (up to 8 MB): only a cap ends it."""
    writer.write(head("200 OK", {"Transfer-Encoding": "chunked"}, None))
    chunk = b"x" * 65536
    for _ in range(128):
        writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


BOMB = gzip.compress(b'{"success":true,"data":"' + b"0" * 8_000_000 + b'"}')


@pytest.mark.parametrize(
    "answer",
    [
        answer_with(b'{"success":true,"data":"' + b"x" * 3_000_000 + b'"}'),
        chunked_forever,
        answer_with(BOMB, headers={"Content-Encoding": "gzip"}),
    ],
    ids=["content-length", "chunked", "gzip-bomb"],
)
async def test_an_answer_over_the_size_cap_is_refused_clearly(answer: Writer) -> None:
    async with raw_server(answer) as server:
        error = await raised(nox_get(nox_transport(server, max_response_bytes=1_048_576, timeout=2.0)))
    assert isinstance(error, ProtocolError)
    assert "larger than 1 MB" in error.what and "NOXTUI_MAX_RESPONSE_MB" in error.todo


async def test_an_answer_under_the_cap_is_read_whole_even_compressed() -> None:
    body = json.dumps({"success": True, "data": ["x" * 1000] * 100, "summary": "ok", "meta": {}}).encode()
    async with raw_server(answer_with(gzip.compress(body), headers={"Content-Encoding": "gzip"})) as server:
        envelope = await nox_get(nox_transport(server, max_response_bytes=1_048_576))
    assert envelope.data == ["x" * 1000] * 100  # type: ignore[attr-defined]


# --- JSON that would crash a parser --------------------------------------------------------------------

DEEP = b'{"success":true,"data":' + b"[" * 100_000 + b"]" * 100_000 + b',"summary":"x","meta":{}}'
LONG_NUMBER = b'{"success":true,"data":{"n":' + b"9" * 5000 + b'},"summary":"x","meta":{}}'
INBOX_DEEP = b'{"threads":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
INBOX_LONG_NUMBER = b'{"threads":[],"total":' + b"9" * 5000 + b"}"


@pytest.mark.parametrize(
    ("body", "says"), [(DEEP, "nested too deeply"), (LONG_NUMBER, "number too long")], ids=["deep", "digits"]
)
async def test_hostile_json_is_a_protocol_error_for_the_nox_client(body: bytes, says: str) -> None:
    async with raw_server(answer_with(body)) as server:
        client = NoxClient(server.url, SECRET_TOKEN, timeout=2.0, max_retries=0)
        error = await raised(client.labels())
        await client.aclose()
    assert isinstance(error, ProtocolError) and says in error.what


@pytest.mark.parametrize(
    ("body", "says"),
    [(INBOX_DEEP, "nested too deeply"), (INBOX_LONG_NUMBER, "number too long")],
    ids=["deep", "digits"],
)
async def test_hostile_json_is_a_protocol_error_for_the_inbox_client(body: bytes, says: str) -> None:
    async with raw_server(answer_with(body)) as server:
        client = InboxHttp(server.url, SECRET_TOKEN, timeout=2.0, max_retries=0)
        error = await raised(client.get_json("/threads"))
        await client.aclose()
    assert isinstance(error, ProtocolError) and says in error.what


async def test_a_decoder_that_overflows_is_caught_by_the_transport() -> None:
    """Whatever parser meets a deep body first, a RecursionError never escapes the transport."""

    def overflowing(response: httpx.Response, write: bool) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    async with raw_server(answer_with(OK_BODY)) as server:
        transport = nox_transport(server)
        error = await raised(transport.request("GET", "/x", overflowing))
        await transport.aclose()
    assert isinstance(error, ProtocolError) and "nested too deeply" in error.what
