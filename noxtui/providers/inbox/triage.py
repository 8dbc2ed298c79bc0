"""The codes Inbox's triage views travel under through the shared filter fields.

The screens filter by a status code, a tag id and member ids (``ThreadQuery``). Inbox offers more
views than open/done, and "none of them" filters, so those ride on the same fields under codes no
Inbox id can take (ids are ``^[0-9a-z]+$``; these carry a ``-`` or a ``:``):

* status ``no-reply`` — threads awaiting the prospect's answer (``inbox=no-reply``);
  ``requests`` — message requests; ``no-status`` — prospects without a pipeline status;
  any of them (or ``open``/``done``) with ``-oldest`` appended sorts oldest first;
* tag ``no-tags`` — untagged prospects; member ``no-assignee`` — unassigned threads;
* member ``account:<accountLinkId>`` — only the threads of one of the team's X accounts.
"""

from __future__ import annotations

NO_TAGS = "no-tags"
NO_STATUS = "no-status"
NO_ASSIGNEE = "no-assignee"
ACCOUNT_PREFIX = "account:"
OLDEST_SUFFIX = "-oldest"
VIEW_CODES: dict[str, str] = {"no-reply": "no-reply", "requests": "requests"}


def split_order(code: str) -> tuple[str, bool]:
    """``("no-reply", True)`` for ``no-reply-oldest``: the code and whether it sorts oldest first."""
    if code.endswith(OLDEST_SUFFIX):
        return code[: -len(OLDEST_SUFFIX)], True
    return code, False


def is_pseudo(code: str) -> bool:
    """True for a view code (not a status one can set on a thread)."""
    base, oldest = split_order(code)
    return oldest or base in VIEW_CODES or base == NO_STATUS


__all__ = [
    "ACCOUNT_PREFIX",
    "NO_ASSIGNEE",
    "NO_STATUS",
    "NO_TAGS",
    "OLDEST_SUFFIX",
    "VIEW_CODES",
    "is_pseudo",
    "split_order",
]
