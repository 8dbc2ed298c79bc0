"""HTTP for the Inbox provider: ``NoxClient``'s request path, fed through an envelope adapter.

Why not a second client: ``NoxClient._request`` already owns everything a write needs to be safe —
bounded retries with backoff and jitter, ``Retry-After`` on 429, one ``Idempotency-Key`` kept across
attempts, no redirects (the token only goes to the configured host), token scrubbing, and the
"may have reached the server" wording of transport faults. Copying that loop would fork it.

The only difference is the body: Inbox answers raw JSON (``{"threads": …}``, a message…) where
NoxInfluencer wraps it in ``{"success", "data", "summary"}``. ``InboxEnvelopeTransport`` sits below
httpx and rewrites each Inbox answer into that envelope — success bodies become ``data``, error
bodies are read defensively (``inbox_errors.error_envelope``) — so ``noxtui.providers.nox_rest.envelope.decode``
maps them to the same typed errors. Headers (``Retry-After``, ``X-RateLimit-*``) and statuses pass
through untouched; non-JSON success bodies and redirects are left alone so ``decode`` still reports
them as protocol errors.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from noxtui.domain.errors import NoxError, ProtocolError
from noxtui.providers.inbox.errors import error_envelope, translate
from noxtui.providers.nox_rest.client import NoxClient

_DROPPED_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding"})


def _envelope_bytes(response: httpx.Response, content: bytes) -> bytes | None:
    """The rewritten body, or ``None`` to pass the answer through unchanged."""
    status = response.status_code
    if 300 <= status < 400:
        return None
    if status >= 400:
        return json.dumps(error_envelope(status, content)).encode()
    if not content.strip():
        return json.dumps({"success": True, "data": None, "summary": ""}).encode()
    try:
        payload = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None  # decode() names it: cut off, or a web page instead of data
    return json.dumps({"success": True, "data": payload, "summary": ""}, ensure_ascii=False).encode()


class InboxEnvelopeTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport; every Inbox answer leaves it shaped like a noxtui envelope."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        rewritten = _envelope_bytes(response, content)
        if rewritten is None:
            rewritten = content
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _DROPPED_HEADERS]
        if rewritten is not content:
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            headers.append(("content-type", "application/json"))
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=rewritten,
            request=request,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


class InboxHttp(NoxClient):
    """``NoxClient``'s transport machinery pointed at Inbox; use ``get_json`` and ``execute`` only.

    The inherited NoxInfluencer operations (``list_threads``…) would call NoxInfluencer paths and
    must not be used on this object.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.25,
        max_retry_after: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool = True,
    ) -> None:
        # httpx ignores ``verify`` once a transport is given, so the real one is built here.
        inner = transport if transport is not None else httpx.AsyncHTTPTransport(verify=verify)
        super().__init__(
            base_url,
            token,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            transport=InboxEnvelopeTransport(inner),
            verify=verify,
        )

    def __repr__(self) -> str:
        return f"InboxHttp(base_url={self.base_url!r})"

    async def get_json(self, path: str, params: httpx.QueryParams | None = None) -> Any:
        """The decoded body of a GET (retries and typed errors included)."""
        try:
            env = await self._get(path, params)
        except NoxError as error:
            raise translate(error) from None
        return env.data

    async def get_object(self, path: str, params: httpx.QueryParams | None = None, *, what: str) -> dict[str, Any]:
        data = await self.get_json(path, params)
        if not isinstance(data, dict):
            raise ProtocolError(f"Inbox's {what} is not in the expected format")
        return data


__all__ = ["InboxEnvelopeTransport", "InboxHttp"]
