"""Every Inbox path and query parameter noxtui uses, built and checked in one place.

Only the send route is a documented fact; the rest follows the vendor's v1 corrections or is
"(chosen)" (see ``docs/inbox-contract-notes.md``), so when a real path differs only this module
changes. Ids are checked here against the contract's alphabet ``^[0-9a-z]+$`` before a path exists:
an id from a corrupt cache or a hand-edited plan is refused with a ``PlanError`` and nothing is
sent (the same rule as ``noxtui.providers.nox_rest.routes.segment``, with Inbox's stricter alphabet).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
TAGS = "/tags"
TEAM = "/team"


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


def prospect_context(prospect_id: str) -> str:
    """Corrections: tags, status and notes belong to the prospect, written through its context."""
    return f"/prospects/{inbox_id(prospect_id, 'prospect id')}/context"


def _timestamp_param(value: str | int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cursor_params(cursor: InboxCursor | None) -> list[tuple[str, str]]:
    """``nextCursor {id, timestamp}`` passed back as ``cursorId`` + ``cursorTimestamp`` (corrections)."""
    if cursor is None:
        return []
    return [("cursorId", cursor.id), ("cursorTimestamp", _timestamp_param(cursor.timestamp))]


def thread_list_params(
    view: str,
    *,
    limit: int,
    cursor: InboxCursor | None = None,
    tag_ids: Sequence[str] = (),
    assignee_ids: Sequence[str] = (),
) -> httpx.QueryParams:
    """Query of ``GET /threads``: the view, newest first, the ``filters[...][]`` arrays, the cursor."""
    params: list[tuple[str, str]] = [("inbox", view), ("sort", "desc"), ("limit", str(_limit(limit)))]
    params += [("filters[tags][]", tag) for tag in inbox_ids(tag_ids, "tag id")]
    params += [("filters[assignees][]", uid) for uid in inbox_ids(assignee_ids, "assignee id")]
    params += cursor_params(cursor)
    return httpx.QueryParams(tuple(params))


def message_list_params(*, limit: int, cursor: InboxCursor | None = None) -> httpx.QueryParams:
    return httpx.QueryParams([("limit", str(_limit(limit))), *cursor_params(cursor)])


def _limit(limit: int) -> int:
    return max(1, min(MAX_LIMIT, limit))
