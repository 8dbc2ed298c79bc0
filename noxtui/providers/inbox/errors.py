"""Inbox error bodies read defensively, and the one Inbox-specific refusal a rep must recognise.

v1 documents no error body. The vendor's v2 SDK documents ``{code, message, details, requestId}``
with camelCase codes (``rateLimited``, ``threadNotFound``, ``sendUnconfirmed``…) and the wait hint
in ``Retry-After`` or else ``details.retryAfterSeconds``; ``error_from_body`` reads that shape
first (``v2_error``), picking the typed error by the code (``V2_CODE_CLASSES``) and falling back to
the HTTP status for a code it does not know. Any other body — noxtui's own envelope,
``{"message", "code"}``, NestJS's ``{"statusCode", "error", "message": [..]}``, a proxy's HTML page —
goes through ``error_envelope`` and the shared rule (``typed_error``: code first, then status).

``OutboundAddonRequiredError`` exists because a 402/403 on the *first* outbound message of a thread
is not a permissions problem: it is Inbox's paid "Outbound Messages" add-on, and the rep must read
exactly that (contract fact), not "ask an admin for access".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from noxtui.domain.errors import (
    ERROR_CODE_CLASSES,
    AuthError,
    ConflictError,
    ForbiddenError,
    InsufficientCreditError,
    NotFoundError,
    NoxError,
    RateLimitedError,
    ServerError,
    ValidationError,
    error_class_for,
    typed_error,
)
from noxtui.domain.models import WritePlan

OUTBOUND_ADDON_CODE = "OUTBOUND_ADDON_REQUIRED"
SEND_UNCONFIRMED = "sendUnconfirmed"
V2_CODE_CLASSES: dict[str, type[NoxError]] = {
    "invalidRequest": ValidationError,
    "invalidCursor": ValidationError,
    "unauthorized": AuthError,
    "rateLimited": RateLimitedError,
    "platformRateLimited": RateLimitedError,
    "internal": ServerError,
    "platformError": ServerError,
    "platformUnavailable": ServerError,
    "sendUnconfirmed": ServerError,
    "memberNotFound": NotFoundError,
    "accountLinkNotFound": NotFoundError,
    "contactNotFound": NotFoundError,
    "tagNotFound": NotFoundError,
    "threadNotFound": NotFoundError,
    "statusNotFound": NotFoundError,
    "messageNotFound": NotFoundError,
    "workspaceLocked": ForbiddenError,
    "platformNotAvailable": ForbiddenError,
    "planRequired": ForbiddenError,
    "accountLinkDisconnected": ConflictError,
    "integrationSetupRequired": ConflictError,
    "sendInProgress": ConflictError,
    "nameTaken": ConflictError,
    "capabilityNotSupported": ValidationError,
    "threadRestricted": ValidationError,
    "contentRejected": ValidationError,
    "recipientUnavailable": ValidationError,
    "mutationWindowClosed": ValidationError,
    "messageNotModifiable": ValidationError,
    "idempotencyKeyReused": ValidationError,
    "platformNotSupported": ValidationError,
    "profileAmbiguous": ValidationError,
    "tagLimitReached": ValidationError,
}
"""The v2 SDK's codes (``src/services/errors.ts``) → noxtui's typed errors; unknown codes fall back to the status."""
_V2_CODE_RE = re.compile(r"^[a-z][A-Za-z0-9]{0,63}$")
OUTBOUND_FIRST_WARNING = (
    "This thread has no conversation yet: the first outbound message of a thread needs Inbox's paid "
    "Outbound Messages add-on."
)
_MAX_SUMMARY = 300
_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_ADDON_WORDS = ("outbound", "add-on", "addon")

_STATUS_TEXT: dict[int, str] = {
    400: "Inbox refused the request as malformed (HTTP 400)",
    401: "Inbox did not accept the token (HTTP 401)",
    402: "Inbox says this needs a paid plan or add-on (HTTP 402)",
    403: "Inbox refused the request (HTTP 403)",
    404: "Inbox has no such item (HTTP 404)",
    409: "Inbox reports a conflict with the current state (HTTP 409)",
    422: "Inbox refused the input (HTTP 422)",
    429: "Inbox is rate-limiting requests",
    500: "Inbox had an internal error (HTTP 500)",
    502: "Inbox's gateway failed (HTTP 502)",
    503: "Inbox is temporarily unavailable (HTTP 503)",
    504: "Inbox's gateway timed out (HTTP 504)",
}
# Statuses whose meaning is clear even when the body names no code.
_STATUS_CODE: dict[int, str] = {400: "VALIDATION_ERROR", 422: "VALIDATION_ERROR"}


class OutboundAddonRequiredError(ForbiddenError):
    """A send that would open a conversation, refused because the team lacks the add-on."""

    default_todo = (
        "Ask your Inbox admin to enable the Outbound Messages add-on, or wait until the contact writes "
        "first: replies in existing conversations work on every plan."
    )


def status_text(status: int) -> str:
    return _STATUS_TEXT.get(status, f"Inbox answered HTTP {status}")


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list):
        parts = [item.strip() for item in value if isinstance(item, str) and item.strip()]
        return "; ".join(parts) or None
    return None


def _first_text(*values: Any) -> str | None:
    for value in values:
        text = _text(value)
        if text:
            return text
    return None


def _code(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            text = str(value).strip()
            if _CODE_RE.fullmatch(text):
                return text.upper().replace("-", "_").replace(".", "_")
    return None


def _fields(payload: Mapping[str, Any]) -> dict[str, str]:
    data = payload.get("data")
    raw: Any = data.get("fields") if isinstance(data, Mapping) else None
    if raw is None:
        raw = payload.get("errors") if payload.get("errors") is not None else payload.get("fields")
    if isinstance(raw, Mapping):
        return {str(name): str(_text(message) or message) for name, message in raw.items()}
    if isinstance(raw, list):
        out: dict[str, str] = {}
        for item in raw:
            if isinstance(item, Mapping):
                name = item.get("field") or item.get("path") or item.get("param") or "input"
                if isinstance(name, list):
                    name = ".".join(str(part) for part in name)
                out[str(name)] = str(_text(item.get("message")) or "invalid")
        return out
    return {}


def error_envelope(status: int, content: bytes) -> dict[str, Any]:
    """Any Inbox error answer as noxtui's error envelope (``success: false``, ``error_code``, ``summary``)."""
    try:
        payload: Any = json.loads(content) if content.strip() else None
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        payload = {}
    if payload.get("success") is False and isinstance(payload.get("error_code"), str):
        return payload
    nested = payload.get("error") if isinstance(payload.get("error"), Mapping) else {}
    code = _code(payload.get("error_code"), payload.get("code"), payload.get("errorCode"), nested.get("code"))
    summary = _first_text(
        payload.get("summary"),
        payload.get("message"),
        nested.get("message"),
        payload.get("detail"),
        payload.get("error_description"),
        payload.get("error"),
        payload.get("title"),
    )
    if code is None or code not in ERROR_CODE_CLASSES:
        # A code noxtui does not know cannot pick the error type; for 400/422 the status can.
        code = _STATUS_CODE.get(status, code)
    envelope: dict[str, Any] = {
        "success": False,
        "error_code": code or "",
        "summary": (summary or status_text(status))[:_MAX_SUMMARY],
    }
    action = payload.get("action")
    hint = _first_text(action.get("hint") if isinstance(action, Mapping) else None, payload.get("hint"))
    if hint:
        envelope["action"] = {"type": "redirect", "url": None, "hint": hint[:_MAX_SUMMARY]}
    fields = _fields(payload)
    if fields:
        envelope["data"] = {"fields": fields}
    return envelope


def _json(content: bytes) -> Any:
    try:
        return json.loads(content) if content.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None


def _retry_after_seconds(details: Any) -> float | None:
    hinted = details.get("retryAfterSeconds") if isinstance(details, Mapping) else None
    if isinstance(hinted, (int, float)) and not isinstance(hinted, bool) and 0 <= hinted <= 86_400:
        return float(hinted)
    return None


def body_retry_after(content: bytes) -> float | None:
    """``details.retryAfterSeconds`` of a v2 error body, if it has one."""
    payload = _json(content)
    return _retry_after_seconds(payload.get("details")) if isinstance(payload, Mapping) else None


def v2_error(status: int, payload: Any, *, retry_after: float | None = None) -> NoxError | None:
    """The typed error for a v2-shaped body ``{code, message, details, requestId}``; None for another shape."""
    if not isinstance(payload, Mapping):
        return None
    code = payload.get("code")
    if not isinstance(code, str) or not _V2_CODE_RE.fullmatch(code):
        return None
    details = payload.get("details")
    message = _text(payload.get("message")) or status_text(status)
    cls = V2_CODE_CLASSES.get(code) or error_class_for(status, None)
    fields = _fields({"fields": details.get("fields")}) if isinstance(details, Mapping) else {}
    request_id = payload.get("requestId")
    data: dict[str, Any] = {"code": code}
    if isinstance(request_id, str) and request_id:
        data["requestId"] = request_id[:_MAX_SUMMARY]
    if isinstance(details, Mapping):
        data["details"] = dict(details)
    kw: dict[str, Any] = {"status": status, "error_code": code, "fields": fields, "data": data}
    if issubclass(cls, RateLimitedError):
        wait = retry_after if retry_after is not None else _retry_after_seconds(details)
        return cls(message[:_MAX_SUMMARY], None, retry_after=wait, **kw)
    return cls(message[:_MAX_SUMMARY], None, **kw)


def error_from_body(status: int, content: bytes, *, retry_after: float | None = None) -> NoxError:
    """The typed error for an Inbox refusal: the v2 body if it is one, else any shape by code then status."""
    v2 = v2_error(status, _json(content), retry_after=retry_after)
    if v2 is not None:
        return v2
    envelope = error_envelope(status, content)
    action = envelope.get("action")
    action = action if isinstance(action, Mapping) else {}
    data = envelope.get("data")
    raw_fields = data.get("fields") if isinstance(data, Mapping) else None
    fields = {str(k): str(v) for k, v in raw_fields.items()} if isinstance(raw_fields, Mapping) else {}
    summary = str(envelope.get("summary") or "").strip()
    hint = action.get("hint")
    url = action.get("url")
    return typed_error(
        status,
        str(envelope.get("error_code") or "") or None,
        summary or f"The server refused the request (HTTP {status})",
        hint if isinstance(hint, str) and hint else None,
        retry_after=retry_after,
        fields=fields,
        hint_url=url if isinstance(url, str) else None,
        data=data if isinstance(data, dict) else None,
    )


def _mentions_addon(error: NoxError) -> bool:
    if error.error_code and ("OUTBOUND" in error.error_code.upper() or error.error_code == "planRequired"):
        return True
    text = error.what.lower()
    return any(word in text for word in _ADDON_WORDS)


def _rebuilt(error: NoxError, cls: type[NoxError], what: str, todo: str | None) -> NoxError:
    return cls(
        what,
        todo,
        status=error.status,
        error_code=error.error_code,
        fields=error.fields,
        hint_url=error.hint_url,
        data=error.data,
    )


def translate(error: NoxError, plan: WritePlan | None = None) -> NoxError:
    """Re-word a typed error for Inbox: the add-on refusal on a send, and no NoxInfluencer advice."""
    if plan is not None and plan.kind == "send" and error.status in (402, 403):
        known_first = OUTBOUND_FIRST_WARNING in plan.warnings
        if error.status == 402 or known_first or _mentions_addon(error):
            what = (
                "The first outbound message of a thread needs Inbox's paid Outbound Messages add-on; "
                f"nothing was sent to {plan.creator_name or 'this contact'}"
            )
            refused = _rebuilt(error, OutboundAddonRequiredError, what, None)
            refused.error_code = error.error_code or OUTBOUND_ADDON_CODE
            return refused
        todo = (
            "If this is the first message in the thread, it needs Inbox's paid Outbound Messages add-on; "
            "otherwise ask an Inbox admin for access to this account."
        )
        return _rebuilt(error, type(error), error.what, todo)
    if isinstance(error, InsufficientCreditError) and error.todo == InsufficientCreditError.default_todo:
        return _rebuilt(error, type(error), error.what, "Check your Inbox plan and add-ons, then retry.")
    return error
