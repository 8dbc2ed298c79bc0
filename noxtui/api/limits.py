"""The bounds on one HTTP exchange that a server cannot talk its way past, and what to say when hit.

httpx's timeout is per read: a server that sends one byte every half second never trips it, and a
body is read whole however large it is. So the transport puts an overall deadline on every request
(retries and their waits included) and reads bodies through ``read_capped``, which stops at a size
cap. Both are configurable: by the caller (``HttpTransport(deadline=…, max_response_bytes=…)``) or,
for a rep on a slow link or a huge workspace, by ``NOXTUI_REQUEST_DEADLINE`` (seconds) and
``NOXTUI_MAX_RESPONSE_MB``.

Headers are bounded at 16 KiB. h11 enforces that itself only when a head arrives in pieces (it says
"Receive buffer too long", which httpx raises like a dropped connection); a head that arrives in one
read gets through it, so ``read_capped`` measures every head too. Either way the rep reads what
really happened (``oversized_head_error``), not "the connection dropped".
"""

from __future__ import annotations

import os

import httpx

from noxtui.api.responses import MAYBE_APPLIED
from noxtui.domain.errors import ProtocolError, TransportError

DEADLINE_ENV = "NOXTUI_REQUEST_DEADLINE"
MAX_RESPONSE_ENV = "NOXTUI_MAX_RESPONSE_MB"
DEFAULT_DEADLINE = 120.0  # long enough for a 10 MB attachment on a slow link, short of "forever"
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MAX_HEAD_KB = 16  # h11's limit on a response's status line and headers
# Headers that describe the body as it travelled; the body handed on is already decoded.
_TRANSFER_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def _positive(name: str, raw: str | None, default: float) -> float:
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 and value == value and value != float("inf") else default


def configured_deadline(deadline: float | None) -> float:
    """``deadline`` if given, else ``NOXTUI_REQUEST_DEADLINE``, else 120 s."""
    return deadline if deadline is not None else _positive(DEADLINE_ENV, os.environ.get(DEADLINE_ENV), DEFAULT_DEADLINE)


def configured_max_response(limit: int | None) -> int:
    """``limit`` if given, else ``NOXTUI_MAX_RESPONSE_MB`` (in MiB), else 64 MiB."""
    if limit is not None:
        return limit
    megabytes = _positive(MAX_RESPONSE_ENV, os.environ.get(MAX_RESPONSE_ENV), DEFAULT_MAX_RESPONSE_BYTES / 2**20)
    return int(megabytes * 2**20)


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n / 1024:g} KB" if n >= 1024 else f"{n} bytes"


class HeadTooLarge(Exception):
    """The status line and headers passed ``MAX_HEAD_KB``."""


class ResponseTooLarge(Exception):
    """The body passed the cap (or said it would, in ``Content-Length``)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def read_capped(response: httpx.Response, limit: int) -> httpx.Response:
    """The streamed ``response`` read whole, as a plain response — or ``ResponseTooLarge`` past ``limit``.

    The cap applies to the decoded bytes, so a small gzip body that inflates to gigabytes is
    stopped too. The stream is closed either way, returning the connection to the pool.
    """
    try:
        if sum(len(k) + len(v) + 4 for k, v in response.headers.raw) > MAX_HEAD_KB * 1024:
            raise HeadTooLarge
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(response.status_code)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise ResponseTooLarge(response.status_code)
            chunks.append(chunk)
    finally:
        await response.aclose()
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _TRANSFER_HEADERS]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=b"".join(chunks),
        request=response.request,
        extensions=response.extensions,
    )


def too_large_error(host: str, limit: int, status: int, *, write: bool) -> ProtocolError:
    todo = (
        MAYBE_APPLIED
        if write
        else f"If {host} really sends answers this large, raise {MAX_RESPONSE_ENV}; "
        "otherwise check the base URL with `noxtui doctor`."
    )
    return ProtocolError(
        f"{host}'s answer is larger than {_size(limit)}, the most noxtui reads (HTTP {status}); it was not read",
        todo,
        status=status,
    )


def is_oversized_head(exc: BaseException) -> bool:
    """True when h11 refused the answer because its status line and headers passed 16 KiB."""
    return isinstance(exc, httpx.RemoteProtocolError) and "receive buffer too long" in str(exc).lower()


def oversized_head_error(host: str, *, write: bool) -> ProtocolError:
    todo = (
        MAYBE_APPLIED if write else "A proxy in between may be adding headers: check the base URL with `noxtui doctor`."
    )
    return ProtocolError(
        f"{host} answered with headers larger than {MAX_HEAD_KB} KB, more than noxtui accepts; the answer was not read",
        todo,
    )


def deadline_error(host: str, deadline: float, *, write: bool, attempts: int) -> TransportError:
    tries = f" ({attempts} attempt{'s' if attempts != 1 else ''})"
    todo = (
        "The change may have reached the server: press r to reload the thread before trying again."
        if write
        else f"The server or the network is very slow: try again, or raise {DEADLINE_ENV} (seconds)."
    )
    return TransportError(
        f"{host} did not finish answering within {deadline:g} s{tries}; the request was abandoned", todo
    )


__all__ = [
    "DEADLINE_ENV",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "HeadTooLarge",
    "MAX_RESPONSE_ENV",
    "ResponseTooLarge",
    "configured_deadline",
    "configured_max_response",
    "deadline_error",
    "is_oversized_head",
    "oversized_head_error",
    "read_capped",
    "too_large_error",
]
