"""What a ``ThreadQuery`` means against Inbox: which server views to walk, which filters to send,
and what the client must filter itself.

Inbox lists threads per *view* (``inbox`` = default, no-reply, requests, archived), so "every
thread" is three views walked in turn — the open inbox, message requests, then done (archived)
threads — and the status filter picks views instead of sending a parameter. Tags, pipeline
statuses and assignees are server filters (the ``filters`` deepObject, ``routes.ListFilters``).
Needs-reply and direction have no server filter; they are applied to each mapped row (``keep``),
so they stay exact. The "project" filter is the thread's X account (``accountLinkIds``); email
tasks do not exist in Inbox's API: asking for them is a ``CapabilityError``, never a silently
ignored filter. Nor does text search: the keyword is looked
up as an exact ``@username`` (``_lookup``). ``updated_since`` (a cache-sync hint)
has no Inbox equivalent and is ignored: the answer is a superset, which a sync handles correctly.

The status filter is the thread's status as the list shows it (``mapping.coop_status_of``): Done is
the archive; Open is "not done, no pipeline status" (``filters[statuses][noStatus]``); a pipeline
status id is "not done, that status" — a partition the offline cache answers the same way. Inbox's
own views (no-reply, requests, untagged, unassigned, oldest first) come as ``query.view``
(``triage.py``).
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
    """The server side (views, filters) and the client side (``keep``) of one thread query.

    ``username`` set: the query is a lookup (``GET /threads/lookup-by-username``), one answer with
    every thread of that prospect; the other filters are then applied to its rows (``keep``).
    """

    views: tuple[str, ...]
    filters: routes.ListFilters = field(default_factory=routes.ListFilters)
    keep: Keep | None = None
    username: str | None = None


def _status(code: str) -> tuple[tuple[str, ...], routes.ListFilters]:
    """The views and filters one status-filter code stands for."""
    if code == "open":
        return OPEN_VIEWS, routes.ListFilters(no_status=True)
    if code == "done":
        return DONE_VIEWS, routes.ListFilters()
    if routes.ID_RE.fullmatch(code) and len(code) <= routes.MAX_ID_CHARS:
        return OPEN_VIEWS, routes.ListFilters(status_ids=(code,))
    raise PlanError(
        f"{code!r} is not an Inbox thread status",
        "Filter by Open, Done or a pipeline status.",
        fields={"status": "open, done or a status id"},
    )


def _views(query: ThreadQuery) -> tuple[tuple[str, ...], routes.ListFilters]:
    views: tuple[str, ...] = ALL_VIEWS
    filters = routes.ListFilters()
    if query.coop_status is not None:
        views, filters = _status(query.coop_status)
    if query.view is None:
        return views, filters
    view = triage.VIEWS.get(query.view)
    if view is None:
        raise CapabilityError(f"Inbox has no {query.view!r} view", "Pick one of Inbox's views with v.")
    family = set(views) | ({routes.VIEW_NO_REPLY} if routes.VIEW_DEFAULT in views else set())
    order = routes.SORT_OLDEST if view.oldest_first else routes.SORT_NEWEST
    filters = replace(
        filters,
        sort_order=order,
        no_tags=filters.no_tags or view.no_tags,
        no_assignee=filters.no_assignee or view.no_assignee,
        no_status=filters.no_status or view.no_status,
    )
    return tuple(inbox for inbox in view.inboxes if inbox in family), filters


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
    if query.business_id or query.business_kind:
        raise CapabilityError("Inbox threads belong to no email task", "Clear the task filter.")
    views, filters = _views(query)
    if query.needs_reply:
        # A done thread never needs a reply: skip walking the archive at all.
        views = tuple(view for view in views if view != routes.VIEW_ARCHIVED)
    if query.label_id:
        filters = replace(filters, tag_ids=(routes.inbox_id(query.label_id, "tag id"),))
    filters = replace(
        filters,
        assignee_ids=tuple(routes.inbox_ids(list(query.creator_uids), "assignee id")),
        account_link_ids=tuple(routes.inbox_ids(list(query.project_ids), "account link id")),
    )
    if query.keyword and query.keyword.strip():
        return _lookup(query, views, filters)
    return ListSpec(views=views, filters=filters, keep=_keep(query))


def _lookup(query: ThreadQuery, views: tuple[str, ...], filters: routes.ListFilters) -> ListSpec:
    """The keyword prompt as Inbox can answer it: the thread(s) of one exact ``@username``.

    Inbox has no text search, so the keyword is taken as a handle (with or without the ``@``); the
    rest of the query is checked on the rows of the answer.
    """
    username = routes.lookup_params(query.keyword or "")["username"]
    rows_keep = _keep(query)
    done_only = views == DONE_VIEWS
    open_only = routes.VIEW_ARCHIVED not in views
    status_ids = set(filters.status_ids)

    def keep(row: ThreadSummary) -> bool:
        code = row.coop_status.code if row.coop_status else "open"
        if (done_only and code != "done") or (open_only and code == "done"):
            return False
        if filters.no_status and code != "open" or status_ids and code not in status_ids:
            return False
        if filters.tag_ids and not {label.label_id for label in row.labels} & set(filters.tag_ids):
            return False
        if filters.assignee_ids and row.owner_uid not in filters.assignee_ids:
            return False
        return rows_keep is None or rows_keep(row)

    return ListSpec(views=(), filters=filters, keep=keep, username=username)
