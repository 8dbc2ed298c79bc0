"""Turns plain handler functions into Starlette endpoints with the contract's rules applied.

A handler is ``def handler(ctx: Ctx[S]) -> Result``: synchronous, no HTTP in sight. Around it this
module does, in order: require ``Idempotency-Key`` on writes, read the body under a size cap,
parse it (JSON or multipart), then — on a worker thread, because SQLite is blocking (reads one
at a time: ``EndpointFactory._threads_for``) — run the work that has come due (``deliver_due``:
the Nox fake's scheduled replies), and run the handler. A write runs inside one store transaction
together with the idempotency record, so "the write happened" and "its response is remembered"
commit together: a retry after a dropped connection replays the stored bytes instead of writing
again. Errors roll the transaction back and are never remembered (a corrected retry may reuse the
key).

Vendor-neutral on purpose: ``S`` is whichever view of the database a vendor's handlers use (the Nox
``Store``, or the bare ``Database`` the Inbox queries borrow), so this module imports no vendor.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from anyio import CapacityLimiter, to_thread
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from noxtui.sandbox import multipart
from noxtui.sandbox.clock import Clock, to_ms
from noxtui.sandbox.database import Database
from noxtui.sandbox.envelopes import (
    JSON_TYPE,
    ApiError,
    dumps,
    new_request_id,
    success_bytes,
)
from noxtui.sandbox.validation import check_document, check_query

BodyKind = Literal["json", "none", "multipart"]

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # contract: attachments of at most 10 MB
_MULTIPART_SLACK = 1024 * 1024
_DRAIN_CAP = 64 * 1024 * 1024  # read (and drop) this much of an oversized body so the client sees our answer


# A vendor's view of the database. Covariant in ``Ctx`` (read-only there), so a handler that needs
# only a ``Database`` (the shared admin routes) serves under any vendor's factory.
S = TypeVar("S", bound=Database)
S_co = TypeVar("S_co", bound=Database, covariant=True)

# Runs what has come due by an instant (epoch ms) and returns what it did (one item per delivery).
DeliverDue = Callable[[int], Sequence[object]]


@dataclass(frozen=True)
class Ctx(Generic[S_co]):
    """Everything a handler may look at."""

    store: S_co
    now: datetime
    now_ms: int
    request_id: str
    path: Mapping[str, str]
    query: QueryParams  # repeated keys too (``getlist``): Inbox filters are ``name[]=a&name[]=b``
    body: Any = None
    upload: multipart.Part | None = None


@dataclass
class Result:
    data: Any
    summary: str
    status: int = 200
    page: int | None = None
    page_size: int | None = None
    total: int | None = None


Handler = Callable[[Ctx[S]], Result]


def _nothing_due(now_ms: int) -> Sequence[object]:
    return ()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _load_json(raw: bytes) -> Any:
    """The body's JSON, or a 422 that says why: bad UTF-8 or syntax, NaN, 5,000 digits, or too deep.

    ``json`` raises ``ValueError`` for a number too long to convert and ``RecursionError`` for a
    body nested thousands deep; both are the client's input, so both are 422s, not 500s.
    """
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except RecursionError:
        reason = "nested too deeply"
    except UnicodeDecodeError:
        reason = "not UTF-8"
    except ValueError as exc:
        reason = str(exc)[:200]
    raise ApiError("VALIDATION_ERROR", "Request body is not valid JSON", fields={"body": f"not valid JSON: {reason}"})


def json_response(payload: bytes, status: int, request_id: str, headers: Mapping[str, str] | None = None) -> Response:
    all_headers = {"X-Request-Id": request_id, **(headers or {})}
    return Response(payload, status_code=status, media_type=JSON_TYPE, headers=all_headers)


def error_response(error: ApiError, request_id: str) -> Response:
    return json_response(dumps(error.body()), error.status, request_id, error.headers)


class EndpointFactory(Generic[S]):
    """Builds Starlette routes from handlers, sharing the store, the clock and the body cap.

    ``deliver_due`` runs before every handler, with the request's instant (default: nothing).
    """

    def __init__(
        self, store: S, clock: Clock, max_body_bytes: int, *, deliver_due: DeliverDue = _nothing_due
    ) -> None:
        self.store = store
        self.clock = clock
        self.max_body_bytes = max_body_bytes
        self.deliver_due = deliver_due
        self._reads: tuple[asyncio.AbstractEventLoop, CapacityLimiter] | None = None  # made on first use

    def _threads_for(self, method: str) -> CapacityLimiter | None:
        """Reads (``GET``) run one at a time; anything else on the shared pool (``None``).

        Why: a read is CPU-bound Python and SQLite over a file the OS already holds, so under the
        GIL two reads at once are not faster than one after the other — they only hand the GIL
        back and forth, and each worker thread's own connection maps the file (and takes its page
        faults) again. A first sync of a million threads sends 10,000 pages 4 at a time: 69–81 ->
        ~59 µs of sandbox CPU a thread with reads one at a time, same wall time (measured with
        ``bench/sandbox_pages.py``; at 100,000 threads the two are within the machine's noise).
        Writes keep the pool: they already take turns on the write lock, and a read never waits
        behind one.
        """
        if method != "GET":
            return None
        loop = asyncio.get_running_loop()
        if self._reads is None or self._reads[0] is not loop:  # one per event loop that serves the app
            self._reads = (loop, CapacityLimiter(1))
        return self._reads[1]

    def route(
        self,
        path: str,
        method: str,
        handler: Handler[S],
        *,
        body: BodyKind = "json",
        idempotent: bool | None = None,
    ) -> Route:
        """``idempotent`` (default: every non-GET) requires and honours ``Idempotency-Key``."""
        needs_key = method != "GET" if idempotent is None else idempotent
        kind: BodyKind = "none" if method == "GET" else body

        async def endpoint(request: Request) -> Response:
            request_id = new_request_id()
            try:
                key: str | None = None
                if needs_key:
                    key = request.headers.get("idempotency-key", "").strip()
                    if not key:
                        raise ApiError(
                            "VALIDATION_ERROR",
                            "Idempotency-Key header is required on every write",
                            fields={"Idempotency-Key": "required: send a fresh UUID4 per planned write"},
                        )
                    if len(key) > 200:
                        raise ApiError(
                            "VALIDATION_ERROR",
                            "Idempotency-Key is too long",
                            fields={"Idempotency-Key": "at most 200 characters"},
                        )
                check_query(request.query_params.multi_items())
                check_query(request.path_params.items())
                raw = await self._read_body(request, kind)
                parsed, upload, canonical = self._parse(request, kind, raw)
                work = functools.partial(self._run, handler, request, request_id, key, parsed, upload, canonical)
                return await to_thread.run_sync(work, limiter=self._threads_for(request.method))
            except ApiError as error:
                return self.refuse(error, request_id)

        endpoint.__name__ = getattr(handler, "__name__", "endpoint")
        return Route(path, endpoint, methods=[method])

    def refuse(self, error: ApiError, request_id: str) -> Response:
        """The answer to a refused request: the error envelope (a vendor's factory may write its own
        error body, so refusals raised before its handler runs — bad JSON, NUL — read like its others)."""
        return error_response(error, request_id)

    # --- body ---------------------------------------------------------------------------------

    async def _read_body(self, request: Request, kind: BodyKind) -> bytes:
        if kind == "none" and request.method == "GET":
            return b""
        limit = MAX_UPLOAD_BYTES + _MULTIPART_SLACK if kind == "multipart" else self.max_body_bytes
        declared = request.headers.get("content-length", "")
        size = int(declared) if declared.isdigit() else 0
        chunks: list[bytes] = []
        if size <= _DRAIN_CAP:
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size <= limit:
                    chunks.append(chunk)
                elif size > _DRAIN_CAP:
                    break
        if size > limit:
            if kind == "multipart":
                raise ApiError(
                    "VALIDATION_ERROR",
                    f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
                    fields={"file": f"too large: attachments are limited to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"},
                )
            raise ApiError(
                "VALIDATION_ERROR",
                f"Request body is {size} bytes; the limit is {self.max_body_bytes} bytes",
                status=413,
                fields={"body": f"too large: at most {self.max_body_bytes} bytes"},
            )
        return b"".join(chunks)

    def _parse(
        self, request: Request, kind: BodyKind, raw: bytes
    ) -> tuple[Any, multipart.Part | None, bytes]:
        """(parsed JSON, uploaded file, canonical bytes for the idempotency fingerprint)."""
        if kind == "none" or not raw.strip() and kind == "json":
            return None, None, b""
        if kind == "json":
            parsed = _load_json(raw)
            check_document(parsed)
            canonical = json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
            return parsed, None, canonical
        try:
            parts = multipart.parse(raw, request.headers.get("content-type", ""))
        except multipart.MultipartError as exc:
            raise ApiError("VALIDATION_ERROR", f"Upload refused: {exc}", fields={"file": str(exc)}) from None
        upload = next((p for p in parts if p.name == "file"), None)
        if upload is None:
            raise ApiError("VALIDATION_ERROR", "Upload has no `file` field", fields={"file": "required"})
        if len(upload.data) > MAX_UPLOAD_BYTES:
            raise ApiError(
                "VALIDATION_ERROR",
                f"The file is {len(upload.data)} bytes; the limit is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
                fields={"file": f"too large: attachments are limited to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"},
            )
        digest = hashlib.sha256(upload.data).hexdigest()
        canonical = f"file\n{upload.filename}\n{upload.content_type}\n{digest}".encode()
        return None, upload, canonical

    # --- run ----------------------------------------------------------------------------------

    def _run(
        self,
        handler: Handler[S],
        request: Request,
        request_id: str,
        key: str | None,
        body: Any,
        upload: multipart.Part | None,
        canonical: bytes,
    ) -> Response:
        now = self.clock()
        now_ms = to_ms(now)
        self.deliver_due(now_ms)
        ctx = Ctx(
            store=self.store,
            now=now,
            now_ms=now_ms,
            request_id=request_id,
            path=request.path_params,
            query=request.query_params,
            body=body,
            upload=upload,
        )
        try:
            if key is None:
                return self._respond(handler(ctx), request_id)
            method, path = request.method, request.url.path
            fingerprint = hashlib.sha256(f"{method}\n{path}\n".encode() + canonical).hexdigest()
            with self.store.write():
                prior = self.store.idempotent_response(key)
                if prior is not None:
                    if prior["fingerprint"] != fingerprint:
                        raise ApiError(
                            "IDEMPOTENCY_KEY_REUSED",
                            f"Idempotency-Key was already used for a different request ({prior['method']} "
                            f"{prior['path']}); mint a new key for a new write",
                        )
                    return json_response(
                        bytes(prior["body"]), int(prior["status"]), request_id, {"Idempotent-Replayed": "true"}
                    )
                result = handler(ctx)
                response = self._respond(result, request_id)
                if 200 <= result.status < 300:
                    self.store.remember_response(
                        key,
                        fingerprint=fingerprint,
                        method=method,
                        path=path,
                        status=result.status,
                        body=bytes(response.body),
                        now_ms=now_ms,
                    )
                return response
        except ApiError as error:
            return self.refuse(error, request_id)
        except OverflowError:
            # Last line of defence, should a check above miss a case: a number too large for
            # SQLite or for a date is the client's input, never the server's failure. The write's
            # transaction has rolled back, so nothing of the request was kept.
            out_of_range = ApiError("VALIDATION_ERROR", "A number or time in the request is out of range")
            return self.refuse(out_of_range, request_id)

    @staticmethod
    def _respond(result: Result, request_id: str) -> Response:
        payload = success_bytes(
            result.data,
            result.summary,
            request_id,
            page=result.page,
            page_size=result.page_size,
            total=result.total,
        )
        return json_response(payload, result.status, request_id)
