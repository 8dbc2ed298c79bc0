"""Inbox's query parameters, read as strictly as a server built from the v1 document would.

The document encodes objects and arrays in bracket notation: ``filters[tags][selectedIds][]=a``
(or ``…[selectedIds][0]=a``), ``accountLinkIds[]=a`` (or repeated, or indexed),
``cursor[id]=…&cursor[timestamp]=…``. Every key of a request is parsed against the operation's own
parameters; an unknown parameter, an unknown filter, a scalar where the document has an array (the
old ``filters[tags][]=…``) or a top-level ``sort`` is a 400 ``invalidRequest`` naming the key.

Errors of the Inbox routes use the body the vendor's v2 SDK documents, ``{code, message, details,
requestId}`` with camelCase codes (v1 documents none), so the client is tested against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from noxtui.sandbox.clock import to_ms
from noxtui.sandbox.envelopes import ApiError
from noxtui.sandbox.inbox import ids as xid
from noxtui.sandbox.validation import MAX_LIST_VALUES, parse_int, parse_timestamp

_KEY_RE = re.compile(r"^([A-Za-z]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT_RE = re.compile(r"\[([^\[\]]*)\]")
FILTER_GROUPS = {"tags": "noTags", "statuses": "noStatus", "assignees": "noAssignee", "campaigns": "noCampaign"}
_CODE_OF: dict[str, str] = {
    "VALIDATION_ERROR": "invalidRequest",
    "UNAUTHENTICATED": "unauthorized",
    "RATE_LIMITED": "rateLimited",
    "NOT_FOUND": "threadNotFound",
    "INTERNAL": "internal",
    "UPSTREAM_ERROR": "platformError",
    "FORBIDDEN": "workspaceLocked",
    "CONFLICT": "invalidRequest",
}


class InboxError(ApiError):
    """A refusal answered as ``{code, message, details, requestId}`` (the v2 SDK's error body)."""

    def __init__(
        self, code: str, message: str, *, status: int, details: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(code, message, status=status, headers=headers)
        self.details = details

    def body(self) -> dict[str, Any]:
        return {"code": self.error_code, "message": self.summary, "details": self.details, "requestId": None}

    @classmethod
    def of(cls, error: ApiError) -> InboxError:
        """A shared-layer refusal (a field check, say) in the Inbox error body."""
        if isinstance(error, InboxError):
            return error
        details: dict[str, Any] | None = {"fields": error.fields} if error.fields else None
        code = _CODE_OF.get(error.error_code, "invalidRequest")
        status = 400 if error.error_code == "VALIDATION_ERROR" else error.status
        return cls(code, error.summary, status=status, details=details, headers=error.headers)


def invalid(key: str, problem: str) -> InboxError:
    return InboxError("invalidRequest", f"{key}: {problem}", status=400, details={"fields": {key: problem}})


def not_found(code: str, what: str) -> InboxError:
    return InboxError(code, f"No {what}", status=404)


def _split(key: str) -> tuple[str, list[str]]:
    match = _KEY_RE.fullmatch(key)
    if match is None:
        raise invalid(key[:80], "not a parameter in bracket notation")
    return match.group(1), _SEGMENT_RE.findall(match.group(2))


def _index(segment: str) -> bool:
    """``[]`` or ``[N]``: one element of an array."""
    return segment == "" or segment.isascii() and segment.isdigit()


def _bool(key: str, raw: str) -> bool:
    if raw not in ("true", "false"):
        raise invalid(key, f"must be true or false (got {raw[:20]!r})")
    return raw == "true"


def _single(items: list[tuple[str, str]], key: str) -> str:
    values = [v for k, v in items if k == key]
    if len(values) > 1:
        raise invalid(key, "given more than once")
    return values[0]


@dataclass
class Filters:
    """``filters`` and ``accountLinkIds`` of ``GET /threads`` (ids as sent, unknown ones match nothing)."""

    selected: dict[str, list[str]] = field(default_factory=lambda: {group: [] for group in FILTER_GROUPS})
    none_of: dict[str, bool] = field(default_factory=lambda: {group: False for group in FILTER_GROUPS})
    sort_order: str = "desc"
    account_link_ids: list[str] = field(default_factory=list)


@dataclass
class Page:
    limit: int
    after: tuple[int, str] | None = None  # (epoch ms, id) of the last item seen


def _check_known(items: Iterable[tuple[str, str]], allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    checked = list(items)
    for key, _ in checked:
        name, _parts = _split(key)
        if name not in allowed:
            raise invalid(key[:80], f"unknown parameter; this operation takes {', '.join(allowed) or 'none'}")
    return checked


def no_params(items: Iterable[tuple[str, str]]) -> None:
    _check_known(items, ())


def _array(name: str, items: list[tuple[str, str]]) -> list[str]:
    values: list[str] = []
    for key, value in items:
        key_name, parts = _split(key)
        if key_name != name:
            continue
        if len(parts) > 1 or (parts and not _index(parts[0])):
            raise invalid(key, f"{name} is an array: {name}[]=…")
        values.append(value)
    if len(values) > MAX_LIST_VALUES:
        raise invalid(name, f"at most {MAX_LIST_VALUES} values")
    return values


def _filters(items: list[tuple[str, str]]) -> Filters:
    found = Filters(account_link_ids=_array("accountLinkIds", items))
    for key, value in items:
        name, parts = _split(key)
        if name != "filters":
            continue
        if parts == ["sortOrder"]:
            if value not in ("asc", "desc"):
                raise invalid(key, "must be asc or desc")
            found.sort_order = value
            continue
        group = parts[0] if parts else ""
        if group not in FILTER_GROUPS:
            raise invalid(key, f"unknown filter; filters are {', '.join(FILTER_GROUPS)} and sortOrder")
        if len(parts) == 3 and parts[1] == "selectedIds" and _index(parts[2]):
            found.selected[group].append(value)
        elif parts[1:] == [FILTER_GROUPS[group]]:
            found.none_of[group] = _bool(key, value)
        else:
            raise invalid(key, f"filters[{group}] takes [selectedIds][]=… or [{FILTER_GROUPS[group]}]=true|false")
    return found


def _present(items: list[tuple[str, str]], key: str) -> str | None:
    return _single(items, key) if any(k == key for k, _ in items) else None


def _page(items: list[tuple[str, str]], bounds: tuple[int, int], prefix: str) -> Page:
    limit = parse_int("limit", _present(items, "limit"), default=bounds[0], low=1, high=bounds[1])
    flat = {k: v for k in ("cursorId", "cursorTimestamp") if (v := _present(items, k)) is not None}
    nested: dict[str, str] = {}
    for key, value in items:
        name, parts = _split(key)
        if name == "cursor":
            if parts not in (["id"], ["timestamp"]):
                raise invalid(key, "cursor takes [id] and [timestamp]")
            nested[parts[0]] = value
        elif name in ("cursorId", "cursorTimestamp", "limit") and parts:
            raise invalid(key, f"{name} is a plain value")
    if flat and nested:
        raise invalid("cursor", "cursor cannot be combined with cursorId and cursorTimestamp")
    if flat:
        cursor_id, stamp = flat.get("cursorId"), flat.get("cursorTimestamp")
    else:
        cursor_id, stamp = nested.get("id"), nested.get("timestamp")
    if not cursor_id and not stamp:
        return Page(limit)
    if not cursor_id or not stamp:
        raise invalid("cursorId", "cursorId and cursorTimestamp are sent together, from nextCursor")
    if not xid.well_formed(cursor_id) or xid.parse(prefix, cursor_id) is None:
        raise InboxError("invalidCursor", "Not a cursor of this list: pass back nextCursor as given", status=400)
    moment = parse_timestamp("cursorTimestamp", stamp)
    if moment is None:  # only blanks: parse_timestamp's "not given"
        raise invalid("cursorTimestamp", "cursorId and cursorTimestamp are sent together, from nextCursor")
    return Page(limit, (to_ms(moment), cursor_id))


@dataclass
class ThreadArgs:
    view: str
    filters: Filters
    page: Page


VIEWS = ("default", "no-reply", "requests", "archived")


def thread_list(query: Iterable[tuple[str, str]]) -> ThreadArgs:
    items = _check_known(
        query, ("accountLinkIds", "cursorId", "cursorTimestamp", "cursor", "inbox", "filters", "limit")
    )
    view = "default"
    if any(k == "inbox" for k, _ in items):
        view = _single(items, "inbox")
        if view not in VIEWS:
            raise invalid("inbox", f"must be one of {', '.join(VIEWS)}")
    return ThreadArgs(view, _filters(items), _page(items, (20, 100), "xt"))


def message_list(query: Iterable[tuple[str, str]]) -> Page:
    items = _check_known(query, ("cursorId", "cursorTimestamp", "cursor", "limit"))
    return _page(items, (50, 100), "xm")


def events(query: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """``(afterSeq, limit)`` of ``GET /events``."""
    items = _check_known(query, ("afterSeq", "limit"))
    after = parse_int("afterSeq", _present(items, "afterSeq"), default=0, low=0, high=9_007_199_254_740_991)
    limit = parse_int("limit", _present(items, "limit"), default=100, low=1, high=1000)
    return after, limit


def lookup(query: Iterable[tuple[str, str]]) -> tuple[str, list[str]]:
    """``(username, accountLinkIds)`` of ``GET /threads/lookup-by-username``."""
    items = _check_known(query, ("username", "accountLinkIds"))
    username = _present(items, "username")
    if username is None:
        raise invalid("username", "required")
    if not username:
        raise invalid("username", "must not be empty")
    return username, _array("accountLinkIds", items)


__all__ = [
    "FILTER_GROUPS",
    "VIEWS",
    "Filters",
    "InboxError",
    "Page",
    "ThreadArgs",
    "events",
    "invalid",
    "lookup",
    "message_list",
    "no_params",
    "not_found",
    "thread_list",
]
