"""Every Inbox path and query parameter noxtui uses, built and checked in one place.

Paths and parameters are the vendor's v1 OpenAPI document's, encoded as it says: objects and arrays
in bracket notation (``filters[tags][selectedIds][]=…``, ``accountLinkIds[]=…``), no top-level
``sort`` (the order is ``filters[sortOrder]``). Ids are checked here against the document's
alphabet ``^[0-9a-z]+$`` before a path exists: an id from a corrupt cache or a hand-edited plan is
refused with a ``PlanError`` and nothing is sent (the same rule as
``noxtui.providers.nox_rest.routes.segment``, with Inbox's stricter alphabet).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from noxtui.domain.errors import PlanError
from noxtui.providers.inbox.wire import InboxCursor

ID_RE = re.compile(r"^[0-9a-z]+$")
MAX_ID_CHARS = 128
PLAN_PATH_RE = re.compile(r"^(?:/[0-9a-z]{1,128})+$")
MAX_LIMIT = 100  # corrections: thread pages max 100, message pages max 100

# Thread-list views (corrections: ``inbox`` = default, no-reply, requests, archived).
VIEW_DEFAULT = "default"
VIEW_REQUESTS = "requests"
VIEW_ARCHIVED = "archived"
VIEW_NO_REPLY = "no-reply"

THREADS = "/threads"
THREAD_LOOKUP_BY_USERNAME = "/threads/lookup-by-username"
TAGS = "/tags"
STATUSES = "/statuses"
MEMBERS = "/members"
ACCOUNT_LINKS = "/account-links"
EVENTS = "/events"
TEAM = "/team"
MAX_EVENTS = 1000  # ``GET /events`` ``limit`` 1-1000

# ``filters[sortOrder]``: ``desc`` newest first (the document's default), ``asc`` oldest first.
SORT_NEWEST = "desc"
SORT_OLDEST = "asc"


def inbox_id(value: object, what: str = "id") -> str:
    """``value`` if it is an Inbox id, else a ``PlanError`` naming the field (no network)."""
    if not isinstance(value, str) or not value:
        raise PlanError(f"The {what} is empty", "Reload the list and pick the item again.", fields={what: "empty"})
    if len(value) > MAX_ID_CHARS or not ID_RE.fullmatch(value):
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise PlanError(
            f"The {what} {shown!r} is not an Inbox id (lower-case letters and digits only)",
            "Reload the list and pick the item again.",
            fields={what: "invalid characters"},
        )
    return value


def inbox_ids(values: Sequence[str], what: str) -> list[str]:
    return [inbox_id(value, what) for value in values]


def check_plan_path(path: str) -> str:
    """Refuse a plan path this module could not have built, before the token goes with it.

    A ``WritePlan`` may come back from a queue or a retry, so its path is checked again: every path
    here is slash-separated words and ids of ``[0-9a-z]``, so no dot segment, escape or host fits.
    """
    if not PLAN_PATH_RE.fullmatch(path or ""):
        raise PlanError(f"The plan's path {path[:60]!r} is not an Inbox API path", "Rebuild the action and try again.")
    return path


def thread(thread_id: str) -> str:
    return f"{THREADS}/{inbox_id(thread_id, 'thread id')}"


def thread_messages(thread_id: str) -> str:
    """``GET`` pages the DMs; ``POST`` sends one (the documented fact)."""
    return f"{thread(thread_id)}/messages"


def prospect(prospect_id: str) -> str:
    """``GET /prospects/{prospectId}``: the id is the prospect's ``externalId``."""
    return f"/prospects/{inbox_id(prospect_id, 'prospect id')}"


def prospect_context(prospect_id: str) -> str:
    """``PATCH /prospects/{prospectId}/context``: tags, status, notes and valuation of the prospect."""
    return f"{prospect(prospect_id)}/context"


def cursor_params(cursor: InboxCursor | None) -> list[tuple[str, str]]:
    """``nextCursor {id, timestamp}`` passed back as ``cursorId`` + ``cursorTimestamp``."""
    if cursor is None:
        return []
    return [("cursorId", inbox_id(cursor.id, "cursor id")), ("cursorTimestamp", cursor.timestamp)]


@dataclass(frozen=True)
class ListFilters:
    """The server-side filters of one ``GET /threads`` walk (``filters`` and ``accountLinkIds``)."""

    tag_ids: tuple[str, ...] = ()
    no_tags: bool = False
    status_ids: tuple[str, ...] = ()
    no_status: bool = False
    assignee_ids: tuple[str, ...] = ()
    no_assignee: bool = False
    account_link_ids: tuple[str, ...] = ()
    sort_order: str = SORT_NEWEST


def _deep(name: str, values: Sequence[str], what: str) -> list[tuple[str, str]]:
    return [(f"{name}[]", value) for value in inbox_ids(values, what)]


def filter_params(filters: ListFilters) -> list[tuple[str, str]]:
    """``filters`` as a deepObject in bracket notation, then ``accountLinkIds[]``."""
    params = _deep("filters[tags][selectedIds]", filters.tag_ids, "tag id")
    if filters.no_tags:
        params.append(("filters[tags][noTags]", "true"))
    params += _deep("filters[statuses][selectedIds]", filters.status_ids, "status id")
    if filters.no_status:
        params.append(("filters[statuses][noStatus]", "true"))
    params += _deep("filters[assignees][selectedIds]", filters.assignee_ids, "assignee id")
    if filters.no_assignee:
        params.append(("filters[assignees][noAssignee]", "true"))
    if filters.sort_order not in (SORT_NEWEST, SORT_OLDEST):
        raise PlanError(f"{filters.sort_order!r} is not a sort order", "Sort newest or oldest first.")
    params.append(("filters[sortOrder]", filters.sort_order))
    params += _deep("accountLinkIds", filters.account_link_ids, "account link id")
    return params


def thread_list_params(
    view: str, *, limit: int, cursor: InboxCursor | None = None, filters: ListFilters = ListFilters()
) -> httpx.QueryParams:
    """Query of ``GET /threads``: the ``inbox`` view, the ``filters`` deepObject, ``limit``, the cursor."""
    params: list[tuple[str, str]] = [("inbox", view), *filter_params(filters), ("limit", str(_limit(limit)))]
    params += cursor_params(cursor)
    return httpx.QueryParams(tuple(params))


def message_list_params(*, limit: int, cursor: InboxCursor | None = None) -> httpx.QueryParams:
    return httpx.QueryParams([("limit", str(_limit(limit))), *cursor_params(cursor)])


def event_params(after_seq: int | None, limit: int) -> httpx.QueryParams:
    """``GET /events``: ``afterSeq`` (omitted from the start) and ``limit`` 1-1000."""
    params: list[tuple[str, str | int | float | bool | None]] = [("limit", str(max(1, min(MAX_EVENTS, limit))))]
    if after_seq is not None:
        params.insert(0, ("afterSeq", str(max(0, after_seq))))
    return httpx.QueryParams(params)


def lookup_params(username: str) -> httpx.QueryParams:
    """``GET /threads/lookup-by-username``: the exact username, without the ``@``."""
    name = username.strip().lstrip("@")
    if not name or any(ch.isspace() for ch in name) or len(name) > 50:
        raise PlanError(f"{username[:60]!r} is not an X username", "Type the handle, e.g. @janedoe.")
    return httpx.QueryParams([("username", name)])


def _limit(limit: int) -> int:
    return max(1, min(MAX_LIMIT, limit))
