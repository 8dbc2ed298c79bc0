"""Every command line noxtui gives the tool, built in one place (``shared/contract/nox-cli.md``).

Ids become argv words, so each is checked first: ids are opaque server values in a small alphabet,
and one that starts with ``-`` would be read as a flag by the tool. Writes carry ``BODY_FILE`` where
the runner puts the temporary body file's path; ``--force`` and ``--idempotency-key`` are added only
when the rep confirms (``forced``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from noxtui.domain.errors import PlanError
from noxtui.domain.models import BODY_FILE

_ID = re.compile(r"^[A-Za-z0-9_:.][A-Za-z0-9_:.-]*$")


def arg_id(value: str, what: str = "id") -> str:
    """``value`` as one argv word, refused when it did not come from the server."""
    if not isinstance(value, str) or not _ID.fullmatch(value) or value in {".", ".."}:
        shown = value if isinstance(value, str) and len(value) <= 40 else str(value)[:37] + "..."
        raise PlanError(
            f"The {what} {shown!r} is not valid (letters, digits, '_', ':', '.', '-' only)",
            "Reload the list and pick the item again.",
            fields={what: "invalid characters"},
        )
    return value


def forced(argv: Sequence[str], idempotency_key: str) -> list[str]:
    """The confirmed form of a write: the same argv, run for real, under the plan's key."""
    return [*argv, "--force", "--idempotency-key", idempotency_key]


# --- reads ---------------------------------------------------------------------------------------


def message_list(flags: Sequence[str], page: int, page_size: int) -> list[str]:
    return ["message", "list", *flags, "--page", str(page), "--page_size", str(page_size)]


def message_get(thread_id: str) -> list[str]:
    return ["message", "get", arg_id(thread_id, "thread id")]


def message_projects(thread_id: str) -> list[str]:
    return ["message", "projects", arg_id(thread_id, "thread id")]


def creator_filters() -> list[str]:
    return ["message", "creator-filters"]


def project_filters(creator_uids: Sequence[str]) -> list[str]:
    uids = [arg_id(uid, "team member id") for uid in creator_uids]
    return ["message", "project-filters", *(["--creator_uids", ",".join(uids)] if uids else [])]


def labels(page: int, page_size: int) -> list[str]:
    return ["message", "labels", "--page", str(page), "--page_size", str(page_size)]


def coop_statuses() -> list[str]:
    return ["message", "coop-statuses"]


def templates(language: str | None) -> list[str]:
    return ["message", "templates", "list", *(["--language", arg_id(language, "language")] if language else [])]


def attachments(thread_id: str) -> list[str]:
    return ["message", "attachments", "list", arg_id(thread_id, "thread id")]


def attachment_download(thread_id: str, attachment_id: str) -> list[str]:
    """``message attachments download`` (chosen: the file with its bytes as ``content_base64``)."""
    file_id = arg_id(attachment_id, "attachment id")
    return ["message", "attachments", "download", arg_id(thread_id, "thread id"), file_id]


def senders() -> list[str]:
    return ["email", "sender", "list"]


def email_task(task_id: str) -> list[str]:
    return ["email", "get", arg_id(task_id, "task id")]


def email_report(task_id: str) -> list[str]:
    return ["email", "report", arg_id(task_id, "task id")]


def crm_get(creator_id: str) -> list[str]:
    return ["crm", "get", arg_id(creator_id, "creator id")]


# --- writes (dry-run unless forced) --------------------------------------------------------------


def labels_set(thread_id: str) -> tuple[str, ...]:
    return ("message", "labels", "set", arg_id(thread_id, "thread id"), "--body-file", BODY_FILE)


def coop_set(thread_id: str) -> tuple[str, ...]:
    return ("message", "coop", "set", arg_id(thread_id, "thread id"), "--body-file", BODY_FILE)


def draft_save(thread_id: str) -> tuple[str, ...]:
    return ("message", "draft", "save", arg_id(thread_id, "thread id"), "--body-file", BODY_FILE)


def send(thread_id: str) -> tuple[str, ...]:
    return ("message", "send", arg_id(thread_id, "thread id"), "--body-file", BODY_FILE)


def schedule(thread_id: str) -> tuple[str, ...]:
    return ("message", "schedule", arg_id(thread_id, "thread id"), "--body-file", BODY_FILE)


def cancel(thread_id: str) -> tuple[str, ...]:
    return ("message", "cancel", arg_id(thread_id, "thread id"))


def archive(thread_id: str) -> tuple[str, ...]:
    return ("message", "archive", arg_id(thread_id, "thread id"))


def template_save() -> tuple[str, ...]:
    return ("message", "templates", "save", "--body-file", BODY_FILE)


def template_use(template_id: str) -> tuple[str, ...]:
    return ("message", "templates", "use", arg_id(template_id, "template id"), "--body-file", BODY_FILE)


def crm_update(creator_id: str) -> tuple[str, ...]:
    return ("crm", "update", arg_id(creator_id, "creator id"), "--body-file", BODY_FILE)


def attachment_upload(thread_id: str, path: str) -> tuple[str, ...]:
    return ("message", "attachments", "upload", arg_id(thread_id, "thread id"), "--file", path)


def attachment_delete(thread_id: str, attachment_id: str) -> tuple[str, ...]:
    return (
        "message",
        "attachments",
        "delete",
        arg_id(thread_id, "thread id"),
        arg_id(attachment_id, "attachment id"),
    )

