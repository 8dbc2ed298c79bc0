"""The contract's envelopes, and the one exception every handler raises to refuse a request.

Success: ``{"success": true, "data", "summary", "meta": {"page", "page_size", "total", "request_id"}}``.
Error:   ``{"success": false, "error_code", "summary", "action"?}`` (+ ``data.fields`` on 422).
Bodies are serialised here, once, to bytes — the idempotency store replays those exact bytes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

# The contract's status for each error code (and the code a bare status maps back to).
STATUS_OF_CODE: dict[str, int] = {
    "UNAUTHENTICATED": 401,
    "INSUFFICIENT_CREDIT": 402,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "CONFLICT": 409,
    "IDEMPOTENCY_KEY_REUSED": 409,
    "NOTHING_SCHEDULED": 409,
    "VALIDATION_ERROR": 422,
    "RATE_LIMITED": 429,
    "INTERNAL": 500,
    "UPSTREAM_ERROR": 502,
}

CODE_OF_STATUS: dict[int, str] = {
    401: "UNAUTHENTICATED",
    402: "INSUFFICIENT_CREDIT",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "NOT_FOUND",
    409: "CONFLICT",
    413: "VALIDATION_ERROR",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL",
    502: "UPSTREAM_ERROR",
    503: "UPSTREAM_ERROR",
    504: "UPSTREAM_ERROR",
}

JSON_TYPE = "application/json"


def code_for_status(status: int) -> str:
    """The contract error code for an HTTP status (5xx without an entry → ``UPSTREAM_ERROR``)."""
    if status in CODE_OF_STATUS:
        return CODE_OF_STATUS[status]
    return "UPSTREAM_ERROR" if status >= 500 else "CONFLICT" if status == 409 else "VALIDATION_ERROR"


def new_request_id() -> str:
    return "req_" + uuid.uuid4().hex[:20]


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON (non-ASCII kept as is; control characters escaped by ``json``)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ApiError(Exception):
    """A refusal with a contract error code; the HTTP layer turns it into an error envelope."""

    def __init__(
        self,
        error_code: str,
        summary: str,
        *,
        status: int | None = None,
        fields: dict[str, str] | None = None,
        hint: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(summary)
        self.error_code = error_code
        self.summary = summary
        self.status = status if status is not None else STATUS_OF_CODE.get(error_code, 400)
        self.fields = fields
        self.hint = hint
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return error_body(self.error_code, self.summary, fields=self.fields, hint=self.hint)


def validation(field: str, message: str, *, summary: str | None = None) -> ApiError:
    """A 422 for one field: ``summary`` is the one-line version, ``data.fields`` says which and why."""
    return ApiError("VALIDATION_ERROR", summary or f"{field}: {message}", fields={field: message})


def not_found(summary: str) -> ApiError:
    return ApiError("NOT_FOUND", summary)


def success_body(
    data: Any,
    summary: str,
    request_id: str,
    *,
    page: int | None = None,
    page_size: int | None = None,
    total: int | None = None,
) -> dict[str, Any]:
    return {
        "success": True,
        "data": data,
        "summary": summary,
        "meta": {"page": page, "page_size": page_size, "total": total, "request_id": request_id},
    }


@dataclass(frozen=True)
class RawJson:
    """JSON already written, as UTF-8 bytes (SQLite writes a list page's summaries): spliced into
    the answer as it is, never parsed and encoded again. A wrapper, so that a path that does not
    know it fails loudly (``json`` refuses it) rather than sending something else."""

    utf8: bytes


def success_bytes(
    data: Any,
    summary: str,
    request_id: str,
    *,
    page: int | None = None,
    page_size: int | None = None,
    total: int | None = None,
) -> bytes:
    """``dumps(success_body(...))``; a ``RawJson`` ``data`` goes in as its text (same bytes as the
    parsed value would give: the keys in the same order, the same compact separators)."""
    if not isinstance(data, RawJson):
        return dumps(success_body(data, summary, request_id, page=page, page_size=page_size, total=total))
    rest = dumps(success_body(None, summary, request_id, page=page, page_size=page_size, total=total))
    head = b'{"success":true,"data":null,'
    assert rest.startswith(head)
    return b'{"success":true,"data":' + data.utf8 + b"," + rest[len(head) :]


def error_body(
    error_code: str, summary: str, *, fields: dict[str, str] | None = None, hint: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"success": False, "error_code": error_code, "summary": summary}
    if hint:
        body["action"] = {"type": "redirect", "url": None, "hint": hint}
    if fields is not None:
        body["data"] = {"fields": fields}
    return body
