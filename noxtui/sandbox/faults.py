"""Fault injection: make the sandbox fail the way real networks and servers fail, on purpose.

A ``FaultRule`` says which requests it hits (``method``, ``path`` regex), how often (``times``,
``rate`` with a seeded RNG so runs repeat) and what happens (``mode``):

* ``status``         answer with ``status`` and a contract error envelope (``Retry-After`` if
                     ``retry_after``); the handler does not run. Without ``status`` the rule only
                     adds ``latency_ms`` and lets the request through.
* ``drop_before``    close the connection without an answer; the handler does not run.
* ``drop_after``     run the handler (its write COMMITS), then close the connection without
                     sending the answer — the client sees a transport error although the write
                     happened. This is what idempotent retries exist for.
* ``invalid_json``   answer 200 (or ``status``) with a body that is not JSON; no handler.
* ``truncated_json`` run the handler, then send the first half of its JSON body (with a matching
                     Content-Length, so the HTTP exchange itself completes).
* ``html``           answer 502 (or ``status``) with a proxy's HTML error page; no handler.
* ``hang``           accept the request and never answer (until ``hang_seconds`` pass or the
                     client gives up); no handler.

``latency_ms`` applies before any mode. Admin routes (``/_sandbox/…``) are never faulted.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from noxtui.sandbox.envelopes import code_for_status, dumps, error_body

FaultMode = Literal["status", "drop_before", "drop_after", "invalid_json", "truncated_json", "html", "hang"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]
# Closes the TCP connection a request arrived on; returns False if it could not.
Dropper = Callable[[Scope], bool]

ADMIN_PREFIX = "/_sandbox"

_HTML_PAGE = (
    b"<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
_INVALID_JSON = b'{"success": true, "data": {"thread_id": "th_000001", "messages": [\x00 <not json>'

_SUMMARIES = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Upstream service failed",
    503: "Service temporarily unavailable",
    504: "Upstream timed out",
}


class FaultRule(BaseModel):
    """One injected failure; every field but ``mode`` is optional."""

    model_config = ConfigDict(extra="forbid")

    method: str | None = Field(None, description="HTTP method to match (any if omitted)")
    path: str | None = Field(None, description="regex searched in the request path (any if omitted)")
    mode: FaultMode = "status"
    status: int | None = Field(None, ge=100, le=599)
    error_code: str | None = Field(None, description="overrides the contract code derived from status")
    retry_after: float | None = Field(None, ge=0, description="seconds, sent as Retry-After")
    latency_ms: int | None = Field(None, ge=0, le=600_000)
    times: int | None = Field(None, ge=1, description="expire after this many hits")
    rate: float | None = Field(None, ge=0, le=1, description="probability of hitting (seeded RNG)")
    hang_seconds: float = Field(120.0, ge=0, le=3600, description="how long `hang` holds the request")

    @field_validator("path")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @field_validator("method")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None


class FaultInjector:
    """The active rules (replaced as a whole), shared by the middleware and the admin routes."""

    def __init__(self, rules: Iterable[FaultRule | Mapping[str, Any]] = (), *, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._rng = random.Random(seed)
        self._rules: list[FaultRule] = []
        self._remaining: list[int | None] = []
        self._hits: list[int] = []
        self.dropper: Dropper | None = None
        self.set_rules(rules)

    def set_rules(self, rules: Iterable[FaultRule | Mapping[str, Any]]) -> None:
        """Replace every rule (and reset the RNG, so a rule set always plays out the same way).

        Plain dicts are accepted and validated as ``FaultRule`` (handy in tests).
        """
        fresh = [r if isinstance(r, FaultRule) else FaultRule.model_validate(r) for r in rules]
        with self._lock:
            self._rules = fresh
            self._remaining = [r.times for r in fresh]
            self._hits = [0 for _ in fresh]
            self._rng = random.Random(self._seed)

    def clear(self) -> None:
        self.set_rules(())

    def describe(self) -> list[dict[str, Any]]:
        """Rules with their hit counts and what is left of ``times``."""
        with self._lock:
            return [
                {**rule.model_dump(), "hits": hits, "remaining": remaining}
                for rule, hits, remaining in zip(self._rules, self._hits, self._remaining, strict=True)
            ]

    def pick(self, method: str, path: str) -> FaultRule | None:
        """The first live rule that matches and fires this time (consuming one of its ``times``)."""
        if path.startswith(ADMIN_PREFIX):
            return None
        with self._lock:
            for i, rule in enumerate(self._rules):
                if self._remaining[i] == 0 or not rule.matches(method, path):
                    continue
                if rule.rate is not None and self._rng.random() >= rule.rate:
                    continue
                if self._remaining[i] is not None:
                    self._remaining[i] = int(self._remaining[i] or 0) - 1
                self._hits[i] += 1
                return rule
        return None

    def middleware(self, app: ASGIApp) -> FaultMiddleware:
        return FaultMiddleware(app, self)


class FaultMiddleware:
    """Pure ASGI middleware (outermost), so it can drop the connection itself."""

    def __init__(self, app: ASGIApp, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = self.injector.pick(scope["method"], scope["path"])
        if rule is None:
            await self.app(scope, receive, send)
            return
        if rule.latency_ms:
            await asyncio.sleep(rule.latency_ms / 1000)
        mode = rule.mode
        if mode == "status":
            if rule.status is None:
                await self.app(scope, receive, send)
            else:
                await self._status(rule, send)
        elif mode == "drop_before":
            await self._drop(scope, receive, send)
        elif mode == "drop_after":
            await self.app(scope, receive, _discard)
            await self._drop(scope, receive, send)
        elif mode == "invalid_json":
            await _answer(send, rule.status or 200, "application/json", _INVALID_JSON)
        elif mode == "truncated_json":
            await self._truncated(scope, receive, send)
        elif mode == "html":
            status = rule.status or 502
            await _answer(send, status, "text/html", _HTML_PAGE.replace(b"{status}", str(status).encode()))
        elif mode == "hang":
            await _wait_for_disconnect(receive, rule.hang_seconds)
            await self._drop(scope, receive, send)

    async def _status(self, rule: FaultRule, send: Send) -> None:
        status = int(rule.status or 503)
        code = rule.error_code or code_for_status(status)
        summary = _SUMMARIES.get(status, f"HTTP {status}")
        headers: list[tuple[bytes, bytes]] = []
        if rule.retry_after is not None:
            headers.append((b"retry-after", f"{rule.retry_after:g}".encode()))
            summary += f"; retry after {rule.retry_after:g} s"
        body = dumps(error_body(code, f"{summary} (sandbox fault injection)"))
        await _answer(send, status, "application/json", body, headers)

    async def _truncated(self, scope: Scope, receive: Receive, send: Send) -> None:
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        await self.app(scope, receive, capture)
        start = next((m for m in captured if m["type"] == "http.response.start"), None)
        body = b"".join(m.get("body", b"") for m in captured if m["type"] == "http.response.body")
        cut = body[: max(1, len(body) // 2)]
        status = int(start["status"]) if start else 200
        headers = [(k, v) for k, v in (start or {}).get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(cut)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": cut, "more_body": False})

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Close the client's connection without a (complete) answer."""
        dropper = self.injector.dropper
        if dropper is not None and dropper(scope):
            # Let the server notice the closed connection, so it does not answer in our place.
            await _wait_for_disconnect(receive, 2.0)
            return
        # No hook into the server (e.g. an in-process test client): promise a body, send none.
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1048576")]}
        )
        raise ConnectionAbortedError("sandbox fault injection dropped the connection")


async def _discard(message: Message) -> None:
    """``send`` for ``drop_after``: the answer is produced, then thrown away."""


async def _answer(
    send: Send, status: int, content_type: str, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _wait_for_disconnect(receive: Receive, seconds: float) -> None:
    """Read (and drop) the request until the client goes away, for at most ``seconds``."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
    except TimeoutError:
        return
