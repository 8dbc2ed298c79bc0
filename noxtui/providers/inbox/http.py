"""HTTP for the Inbox provider: the shared transport, reading Inbox's raw JSON and error bodies.

``noxtui.api.transport.HttpTransport`` owns retries, TLS, redirects and the token; this module says
what is Inbox's. Inbox's v1 document defines no idempotency, so no ``Idempotency-Key`` header is
sent: a header the vendor does not define would promise a replay nobody performs. Success bodies
are raw JSON (``{"threads": …}``, a message, a bare array), not NoxInfluencer's ``{"success",
"data"}`` envelope; error bodies are read defensively (``errors.error_from_body``).

The retry policy per write follows what each one does when repeated. Tags, status, notes, the
assignee and done set a state, so a repeat changes nothing and they are retried like reads. A DM
send is not: a send that may have reached Inbox is never resent (``Retry.UNSENT_ONLY``: only a
refused connection or a 429, which were never processed) — the provider reads the thread back.
"""

from __future__ import annotations

from typing import Any

import httpx

from noxtui.api.responses import json_document, parse_retry_after, refuse_redirect, unreadable
from noxtui.api.transport import HttpTransport, Retry
from noxtui.domain.errors import NoxError, PlanError, ProtocolError
from noxtui.domain.models import WritePlan, WriteResult
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.errors import body_retry_after, error_from_body, translate


def decode(response: httpx.Response, write: bool) -> Any:
    """The decoded JSON of a success (``None`` for an empty one); any other answer as a typed error."""
    refuse_redirect(response)
    status = response.status_code
    if status >= 400:
        asked = parse_retry_after(response.headers.get("retry-after"))
        raise error_from_body(status, response.content, retry_after=asked)
    if not response.is_success:
        raise unreadable(response, write=write, reason="The server's answer is not in the expected format")
    content = response.content
    if not content.strip():
        return None
    return json_document(response, write=write)


def retry_after(response: httpx.Response) -> float | None:
    """The wait a refusal asks for: ``Retry-After``, else the v2 body's ``details.retryAfterSeconds``."""
    header = parse_retry_after(response.headers.get("retry-after"))
    if header is not None or response.status_code < 400:
        return header
    return body_retry_after(response.content)


def retry_for(plan: WritePlan) -> Retry:
    """A send may be repeated only if it never left; a state write (tags, done) repeats harmlessly."""
    return Retry.UNSENT_ONLY if plan.kind == "send" else Retry.IDEMPOTENT_WRITE


class InboxHttp:
    """Inbox's reads (``get_json``, ``get_object``) and confirmed plans (``execute``) over ``http``."""

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
        self.http = HttpTransport(
            base_url,
            token,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            transport=transport,
            verify=verify,
        )
        self.base_url = self.http.base_url

    def __repr__(self) -> str:
        return f"InboxHttp(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        await self.http.aclose()

    async def get_json(self, path: str, params: httpx.QueryParams | None = None) -> Any:
        """The decoded body of a GET (retries and typed errors included)."""
        try:
            return await self.http.request("GET", path, decode, params=params, retry_after=retry_after)
        except NoxError as error:
            raise translate(error) from None

    async def get_object(self, path: str, params: httpx.QueryParams | None = None, *, what: str) -> dict[str, Any]:
        data = await self.get_json(path, params)
        if not isinstance(data, dict):
            raise ProtocolError(f"Inbox's {what} is not in the expected format")
        return data

    async def execute(self, plan: WritePlan) -> WriteResult:
        """Send a confirmed plan exactly as shown (its key stays local: Inbox defines no idempotency).

        Errors are raised as decoded (typed, scrubbed), not yet re-worded: the provider decides
        whether to read a send back first, then ``translate``s what it raises.
        """
        path = routes.check_plan_path(plan.path)
        if plan.method == "GET":
            raise PlanError("A write plan cannot be a GET", "Rebuild the action and try again.")
        data = await self.http.request(
            plan.method,
            path,
            decode,
            retry=retry_for(plan),
            json=plan.body,
            send_idempotency_key=False,
            retry_after=retry_after,
        )
        return WriteResult(plan=plan, summary=plan.summary, data=data)


__all__ = ["InboxHttp", "decode", "retry_after", "retry_for"]
