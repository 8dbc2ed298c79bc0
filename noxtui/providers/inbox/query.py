"""What a ``ThreadQuery`` means against Inbox: which server views to walk, which filters to send,
and what the client must filter itself.

Inbox lists threads per *view* (corrections: ``inbox`` = default, no-reply, requests, archived), so
"every thread" is three views walked in turn — the open inbox, message requests, then done
(archived) threads — and the status filter picks views instead of sending a parameter. Tags and
assignees are server filters (``filters[tags][]``, ``filters[assignees][]``). Needs-reply and
direction have no server filter; they are applied to each mapped row (``keep``), so they stay exact.
Text search and project filters do not exist in Inbox's API: asking for them is a
``CapabilityError``, never a silently ignored filter. ``updated_since`` (a cache-sync hint) has no
Inbox equivalent and is ignored: the answer is a superset, which a sync handles correctly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from noxtui.domain.errors import CapabilityError, PlanError
from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.providers.inbox import routes

ALL_VIEWS = (routes.VIEW_DEFAULT, routes.VIEW_REQUESTS, routes.VIEW_ARCHIVED)
OPEN_VIEWS = (routes.VIEW_DEFAULT, routes.VIEW_REQUESTS)
DONE_VIEWS = (routes.VIEW_ARCHIVED,)

Keep = Callable[[ThreadSummary], bool]


@dataclass(frozen=True)
class ListSpec:
    """The server side (views, filters) and the client side (``keep``) of one thread query."""

    views: tuple[str, ...]
    tag_ids: tuple[str, ...] = ()
    assignee_ids: tuple[str, ...] = ()
    keep: Keep | None = None


def _views(query: ThreadQuery) -> tuple[str, ...]:
    views: tuple[str, ...]
    if query.coop_status is None:
        views = ALL_VIEWS
    elif query.coop_status == "open":
        views = OPEN_VIEWS
    elif query.coop_status == "done":
        views = DONE_VIEWS
    else:
        raise PlanError(
            f"{query.coop_status!r} is not an Inbox thread status",
            "Filter by Open or Done.",
            fields={"status": "open or done"},
        )
    if query.needs_reply:
        # A done thread never needs a reply: skip walking the archive at all.
        views = tuple(view for view in views if view != routes.VIEW_ARCHIVED)
    return views


def _keep(query: ThreadQuery) -> Keep | None:
    needs_reply, direction = query.needs_reply, query.last_message_direction
    if needs_reply is None and direction is None:
        return None

    def keep(row: ThreadSummary) -> bool:
        if needs_reply is not None and row.needs_reply != needs_reply:
            return False
        return direction is None or row.last_message_direction == direction

    return keep


def list_spec(query: ThreadQuery) -> ListSpec:
    """Translate ``query``; refuses what Inbox cannot filter (no network involved)."""
    if query.keyword and query.keyword.strip():
        raise CapabilityError(
            "Inbox's API has no text search", "Filter by tag, status, assignee or needs-reply instead."
        )
    if query.project_ids or query.business_id or query.business_kind:
        raise CapabilityError("Inbox threads have no projects to filter by", "Clear the project filter.")
    tag_ids = (routes.inbox_id(query.label_id, "tag id"),) if query.label_id else ()
    assignees = tuple(routes.inbox_ids(list(query.creator_uids), "assignee id"))
    return ListSpec(views=_views(query), tag_ids=tag_ids, assignee_ids=assignees, keep=_keep(query))
