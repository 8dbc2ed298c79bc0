"""What a ``ThreadQuery`` means against Inbox: which server views to walk, which filters to send,
and what the client must filter itself.

Inbox lists threads per *view* (``inbox`` = default, no-reply, requests, archived), so "every
thread" is three views walked in turn — the open inbox, message requests, then done (archived)
threads — and the status filter picks views instead of sending a parameter. Tags, pipeline
statuses and assignees are server filters (the ``filters`` deepObject, ``routes.ListFilters``).
Needs-reply and direction have no server filter; they are applied to each mapped row (``keep``),
so they stay exact. Text search and project filters do not exist in Inbox's API: asking for them
is a ``CapabilityError``, never a silently ignored filter. ``updated_since`` (a cache-sync hint)
has no Inbox equivalent and is ignored: the answer is a superset, which a sync handles correctly.

The codes the status filter accepts beyond open/done (``triage.py``) are views and filters the API
offers: ``no-reply`` (threads awaiting the prospect's answer), ``requests``, ``no-status`` and a
pipeline status id; ``-oldest`` after a view sorts it oldest first. ``no-tags`` as the tag and
``no-assignee`` as the member are the "untagged" and "unassigned" views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from noxtui.domain.errors import CapabilityError, PlanError
from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.providers.inbox import routes, triage

ALL_VIEWS = (routes.VIEW_DEFAULT, routes.VIEW_REQUESTS, routes.VIEW_ARCHIVED)
OPEN_VIEWS = (routes.VIEW_DEFAULT, routes.VIEW_REQUESTS)
DONE_VIEWS = (routes.VIEW_ARCHIVED,)

Keep = Callable[[ThreadSummary], bool]


@dataclass(frozen=True)
class ListSpec:
    """The server side (views, filters) and the client side (``keep``) of one thread query."""

    views: tuple[str, ...]
    filters: routes.ListFilters = field(default_factory=routes.ListFilters)
    keep: Keep | None = None


def _status(code: str) -> tuple[tuple[str, ...], routes.ListFilters]:
    """The views and filters one status-filter code stands for."""
    base, oldest = triage.split_order(code)
    order = routes.SORT_OLDEST if oldest else routes.SORT_NEWEST
    filters = routes.ListFilters(sort_order=order)
    if base == "open":
        return OPEN_VIEWS, filters
    if base == "done":
        return DONE_VIEWS, filters
    if base in triage.VIEW_CODES:
        return (triage.VIEW_CODES[base],), filters
    if base == triage.NO_STATUS:
        return ALL_VIEWS, replace(filters, no_status=True)
    if routes.ID_RE.fullmatch(base) and len(base) <= routes.MAX_ID_CHARS:
        return ALL_VIEWS, replace(filters, status_ids=(base,))
    raise PlanError(
        f"{code!r} is not an Inbox thread status or view",
        "Filter by Open, Done, a view or a pipeline status.",
        fields={"status": "open, done, a view or a status id"},
    )


def _views(query: ThreadQuery) -> tuple[tuple[str, ...], routes.ListFilters]:
    if query.coop_status is None:
        return ALL_VIEWS, routes.ListFilters()
    return _status(query.coop_status)


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
    views, filters = _views(query)
    if query.needs_reply:
        # A done thread never needs a reply: skip walking the archive at all.
        views = tuple(view for view in views if view != routes.VIEW_ARCHIVED)
    if query.label_id == triage.NO_TAGS:
        filters = replace(filters, no_tags=True)
    elif query.label_id:
        filters = replace(filters, tag_ids=(routes.inbox_id(query.label_id, "tag id"),))
    members = list(query.creator_uids)
    if triage.NO_ASSIGNEE in members:
        members.remove(triage.NO_ASSIGNEE)
        filters = replace(filters, no_assignee=True)
    accounts = [uid[len(triage.ACCOUNT_PREFIX) :] for uid in members if uid.startswith(triage.ACCOUNT_PREFIX)]
    assignees = [uid for uid in members if not uid.startswith(triage.ACCOUNT_PREFIX)]
    filters = replace(
        filters,
        assignee_ids=tuple(routes.inbox_ids(assignees, "assignee id")),
        account_link_ids=tuple(routes.inbox_ids(accounts, "account link id")),
    )
    return ListSpec(views=views, filters=filters, keep=_keep(query))
