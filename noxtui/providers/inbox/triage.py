"""Inbox's triage views: what ``ThreadQuery.view`` selects, answered by the server.

The shared filter fields (status, tag, member) are answered from the offline cache too, so they
carry only real values. What Inbox offers beyond them is a *view* — a server list the cache cannot
answer (the app asks the server whenever a view is on):

* ``no-reply`` — threads awaiting the prospect's answer (``inbox=no-reply``), newest first, and
  ``no-reply-oldest`` — the same, oldest first (the follow-up queue);
* ``requests`` — message requests (``inbox=requests``);
* ``untagged``, ``unassigned`` and ``no-status`` — open threads whose prospect has no tag, nobody
  assigned, or no pipeline status (``filters[tags][noTags]``, ``filters[assignees][noAssignee]``,
  ``filters[statuses][noStatus]``; the last is also what the status filter's Open means).
"""

from __future__ import annotations

from dataclasses import dataclass

from noxtui.providers.inbox import routes


@dataclass(frozen=True)
class View:
    """One view: the ``inbox`` lists it walks and the ``filters`` it adds."""

    name: str
    inboxes: tuple[str, ...]
    oldest_first: bool = False
    no_tags: bool = False
    no_assignee: bool = False
    no_status: bool = False


OPEN_INBOXES = (routes.VIEW_DEFAULT, routes.VIEW_REQUESTS)
VIEWS: dict[str, View] = {
    "no-reply": View("awaiting their reply", (routes.VIEW_NO_REPLY,)),
    "no-reply-oldest": View("awaiting their reply, oldest first", (routes.VIEW_NO_REPLY,), oldest_first=True),
    "requests": View("message requests", (routes.VIEW_REQUESTS,)),
    "untagged": View("untagged", OPEN_INBOXES, no_tags=True),
    "unassigned": View("unassigned", OPEN_INBOXES, no_assignee=True),
    "no-status": View("no pipeline status", OPEN_INBOXES, no_status=True),
}
OFFERED: tuple[str, ...] = tuple(VIEWS)

__all__ = ["OFFERED", "OPEN_INBOXES", "VIEWS", "View"]
