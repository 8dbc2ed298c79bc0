"""Every HTTP path noxtui uses, built in one place.

The vendor does not publish the paths behind its CLI (contract: "chosen"), so when the real ones
are known only this module changes. Both the client and the plan builders build paths here, which
is also where ids are checked: an id that came from a corrupt cache or a hand-edited plan must never
turn into ``../../admin`` on the wire, and it is refused before any request is made.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from noxtui.domain.errors import PlanError

SEGMENT_RE = re.compile(r"^[A-Za-z0-9_:.-]+$")
# A plan's path after quoting: slash-separated, each segment unreserved chars or %XX escapes.
_QUOTED_PATH_RE = re.compile(r"^(?:/[A-Za-z0-9_.~:%-]+)+$")


def segment(value: str, what: str = "id") -> str:
    """Validate one path segment and return it URL-quoted.

    Why so strict: ids are opaque server values, so anything outside the contract's id alphabet
    means the value did not come from the server and sending it could address another route.
    """
    if not isinstance(value, str) or not value:
        raise PlanError(f"The {what} is empty", "Reload the list and pick the item again.", fields={what: "empty"})
    if value in {".", ".."} or not SEGMENT_RE.fullmatch(value):
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise PlanError(
            f"The {what} {shown!r} is not valid (letters, digits, '_', ':', '.', '-' only)",
            "Reload the list and pick the item again.",
            fields={what: "invalid characters"},
        )
    return quote(value, safe="")


def check_plan_path(path: str) -> str:
    """Refuse a relative path that is not one we could have built (absolute URLs, dot segments).

    A ``WritePlan`` may come back from a cache or a queue, so its path is re-checked before the
    token is attached to a request for it.
    """
    refusal = PlanError(f"The plan's path {path[:60]!r} is not a noxtui API path", "Rebuild the action and try again.")
    if not _QUOTED_PATH_RE.fullmatch(path or ""):
        raise refusal
    for part in path.split("/")[1:]:
        decoded = unquote(part)
        if decoded in {".", ".."} or "/" in decoded:
            raise refusal
    return path


# --- threads ------------------------------------------------------------------------------------

THREADS = "/messages/threads"


def thread(thread_id: str) -> str:
    return f"{THREADS}/{segment(thread_id, 'thread id')}"


def thread_projects(thread_id: str) -> str:
    return f"{thread(thread_id)}/projects"


def thread_labels(thread_id: str) -> str:
    return f"{thread(thread_id)}/labels"


def thread_coop_status(thread_id: str) -> str:
    return f"{thread(thread_id)}/coop-status"


def thread_draft(thread_id: str) -> str:
    return f"{thread(thread_id)}/draft"


def thread_send(thread_id: str) -> str:
    return f"{thread(thread_id)}/send"


def thread_schedule(thread_id: str) -> str:
    return f"{thread(thread_id)}/schedule"


def thread_archive(thread_id: str) -> str:
    return f"{thread(thread_id)}/archive"


def thread_attachments(thread_id: str) -> str:
    return f"{thread(thread_id)}/attachments"


# --- catalogues ---------------------------------------------------------------------------------

CREATOR_FILTERS = "/messages/creator-filters"
PROJECT_FILTERS = "/messages/project-filters"
LABELS = "/messages/labels"
COOP_STATUSES = "/messages/coop-statuses"
TEMPLATES = "/messages/templates"
SENDERS = "/messages/senders"
AUTH_STATUS = "/auth/status"


def template_use(template_id: str) -> str:
    return f"{TEMPLATES}/{segment(template_id, 'template id')}/use"


# --- context ------------------------------------------------------------------------------------


def email_task(task_id: str) -> str:
    return f"/email/tasks/{segment(task_id, 'task id')}"


def email_report(task_id: str) -> str:
    return f"{email_task(task_id)}/report"


def crm_channel(creator_id: str) -> str:
    return f"/crm/channels/{segment(creator_id, 'creator id')}"
