"""Turn an HTTP response into a success envelope or a typed error.

Kept apart from the client so the mapping (the part a rep actually reads) can be tested without a
network. What any HTTP answer means before its body is read (redirects, web pages, ``Retry-After``)
is ``noxtui.api.responses``, shared with the other HTTP provider; the envelope is NoxInfluencer's.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import ValidationError as PydanticValidationError

from noxtui.api.responses import (
    MAYBE_APPLIED,
    RETRYABLE_STATUSES,
    json_document,
    looks_like_html,
    parse_retry_after,
    refuse_redirect,
    unreadable,
)
from noxtui.domain.errors import (
    NoxError,
    ProtocolError,
    typed_error,
)
from noxtui.domain.models import Envelope, ErrorEnvelope, PageMeta, ThreadSummary
from noxtui.providers.nox_rest.parse import many


def read_json(response: httpx.Response, *, write: bool) -> dict[str, Any]:
    """The body as a JSON object, or a ``ProtocolError`` a rep understands."""
    if not response.content:
        raise unreadable(response, write=write, reason="The server sent an empty answer")
    if looks_like_html(response):
        raise unreadable(
            response,
            write=write,
            reason="The server answered with a web page instead of data (a proxy, login portal or wrong base URL?)",
        )
    payload = json_document(response, write=write)
    if not isinstance(payload, dict):
        raise unreadable(response, write=write, reason="The server's answer is not in the expected format")
    return payload


def _fields(data: Any) -> dict[str, str]:
    if not isinstance(data, dict):
        return {}
    raw = data.get("fields")
    if not isinstance(raw, dict):
        return {}
    return {str(name): str(message) for name, message in raw.items()}


def error_from_payload(
    status: int, payload: dict[str, Any], *, retry_after: float | None = None
) -> NoxError:
    """Map an error envelope to its typed error: ``what`` from summary, ``todo`` from the hint."""
    try:
        envelope = ErrorEnvelope.model_validate(payload)
    except PydanticValidationError:
        envelope = ErrorEnvelope(
            error_code=str(payload.get("error_code") or ""), summary=str(payload.get("summary") or "")
        )
    what = envelope.summary.strip() or f"The server refused the request (HTTP {status})"
    hint = envelope.action.hint if envelope.action and envelope.action.hint else None
    return typed_error(
        status,
        envelope.error_code or None,
        what,
        hint,
        retry_after=retry_after,
        fields=_fields(envelope.data),
        hint_url=envelope.action.url if envelope.action else None,
        data=envelope.data,
    )


def error_from_status(status: int, *, retry_after: float | None = None) -> NoxError:
    """A typed error when the body is no envelope (a gateway's HTML page on a 502, say)."""
    what = {
        429: "The server is rate-limiting requests",
        502: "The server's gateway could not reach NoxInfluencer (HTTP 502)",
        503: "NoxInfluencer is temporarily unavailable (HTTP 503)",
    }.get(status, f"The server answered HTTP {status}")
    return typed_error(status, None, what, retry_after=retry_after)


def decode(response: httpx.Response, *, write: bool) -> Envelope[Any]:
    """The success envelope of ``response``; any other answer is raised as a typed error."""
    refuse_redirect(response)
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    try:
        payload = read_json(response, write=write)
    except ProtocolError:
        if response.status_code in RETRYABLE_STATUSES:
            # The status already says what happened; the body is some gateway's page.
            raise error_from_status(response.status_code, retry_after=retry_after) from None
        raise
    if response.is_success and payload.get("success") is True:
        if "data" not in payload:
            raise unreadable(response, write=write, reason="The server's answer has no data")
        try:
            return Envelope[Any].model_validate(payload)
        except PydanticValidationError:
            reason = "The server's answer is not in the expected format"
            raise unreadable(response, write=write, reason=reason) from None
    if payload.get("success") is False or "error_code" in payload:
        raise error_from_payload(response.status_code, payload, retry_after=retry_after)
    if response.status_code in RETRYABLE_STATUSES:
        raise error_from_status(response.status_code, retry_after=retry_after)
    raise unreadable(response, write=write, reason="The server's answer is not in the expected format")


_ThreadListEnvelope = Envelope[list[ThreadSummary]]


def decode_thread_list(response: httpx.Response, write: bool) -> tuple[list[ThreadSummary], PageMeta]:
    """``message list``'s threads and paging, read straight from the body's bytes in one call.

    Why: a first sync reads a million summaries, and ``json.loads`` followed by a validation per
    item cost twice what pydantic's own parser does for the whole page at once. Only a plain
    success (2xx, JSON, ``"success": true`` present, every item valid) takes this path; anything
    else goes through ``decode`` and ``many``, so every refusal reads exactly as before.
    """
    if response.is_success and not looks_like_html(response):
        try:
            envelope = _ThreadListEnvelope.model_validate_json(response.content)
        except PydanticValidationError:
            envelope = None
        if envelope is not None and "success" in envelope.model_fields_set:
            return envelope.data, envelope.meta
    general = decode(response, write=write)
    return many(ThreadSummary, general.data, "thread list"), general.meta


__all__ = [
    "MAYBE_APPLIED",
    "RETRYABLE_STATUSES",
    "decode",
    "decode_thread_list",
    "error_from_payload",
    "error_from_status",
    "parse_retry_after",
    "read_json",
]
