"""Every command of the fake ``noxinfluencer``: the one table ``schema`` prints and the parser enforces.

Routes and body fields follow ``shared/contract/nox.md`` (one REST route per CLI command); flags
follow ``nox-cli.md``. Reads map flags to query parameters through ``Flag.query``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from noxtui.sandbox.nox_cli.spec import BodyField, Command, Flag, write_flags

T = "/messages/threads/{thread_id}"

PAGE = Flag("integer", "page number, 1-based", minimum=1, query="page")
PAGE_SIZE = Flag("integer", "rows per page", minimum=1, maximum=100, query="page_size")
CREATOR_UIDS = Flag("string", "team-member uids from `message creator-filters`", csv=True, query="creator_uids")

LIST_FLAGS: dict[str, Flag] = {
    "--page": PAGE,
    "--page_size": PAGE_SIZE,
    "--business_kind": Flag("string", "with --business_id: the threads of one business, e.g. email_task",
                            query="business_kind"),
    "--business_id": Flag("string", "with --business_kind: the business's id, e.g. an email task id",
                          query="business_id"),
    "--project_ids": Flag("string", "<kind>:<id>[,…] e.g. email_task:1829; never with --business_kind/--business_id",
                          csv=True, query="project_ids"),
    "--creator_uids": CREATOR_UIDS,
    "--coop_status": Flag("string", "coop status code from `message coop-statuses`", query="status"),
    "--label_id": Flag("string", "a label id from `message labels`", query="label_id"),
    "--status": Flag("string", "view: deal (the creator wrote last), unread, draft, scheduled; "
                     "draft and scheduled need --business_kind and --business_id",
                     choices=("deal", "unread", "draft", "scheduled"), query="view"),
}

S = BodyField("string")
S_REQ = BodyField("string", required=True)
A = BodyField("array")


def _count(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    return len(value) if isinstance(value, list) else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


COMMANDS: tuple[Command, ...] = (
    # --- reads ---------------------------------------------------------------------------------
    Command("message list", "read", flags=LIST_FLAGS, path="/messages/threads",
            description="thread summaries, newest first; data is the page, meta the paging"),
    Command("message get", "read", ("thread_id",), path=T,
            description="the whole thread: messages, composer state, metadata (marks it read)"),
    Command("message projects", "read", ("thread_id",), path=T + "/projects",
            description="sibling projects and related threads of the thread's creator"),
    Command("message creator-filters", "read", path="/messages/creator-filters",
            description="team members usable as --creator_uids"),
    Command("message project-filters", "read", flags={"--creator_uids": CREATOR_UIDS},
            path="/messages/project-filters", description="projects usable as --project_ids"),
    Command("message labels", "read", path="/messages/labels",
            flags={"--page": PAGE, "--page_size": PAGE_SIZE,
                   "--keyword": Flag("string", "only labels whose name contains it", query="keyword")},
            description="the team's labels"),
    Command("message coop-statuses", "read", path="/messages/coop-statuses",
            description="coop status codes in pipeline order"),
    Command("message templates list", "read", path="/messages/templates",
            flags={"--language": Flag("string", "only templates in this language, e.g. en", query="language")},
            description="reply templates"),
    Command("message attachments list", "read", ("thread_id",), path=T + "/attachments",
            description="files uploaded to the thread"),
    Command("message attachments download", "read", ("thread_id", "attachment_id"),
            path=T + "/attachments/{attachment_id}",
            description="one file of the thread with its bytes as content_base64 (chosen)"),
    Command("email sender list", "read", path="/messages/senders",
            description="sender mailboxes (sender_auth_id) the team may send from"),
    Command("email get", "read", ("task_id",), path="/email/tasks/{task_id}", description="one email task"),
    Command("email report", "read", ("task_id",), path="/email/tasks/{task_id}/report",
            description="an email task's delivery and reply counts"),
    Command("crm get", "read", ("creator_id",), path="/crm/channels/{creator_id}",
            description="a creator's CRM channel"),
    # --- writes --------------------------------------------------------------------------------
    Command("message labels set", "write", ("thread_id",), write_flags(), {"label_ids": BodyField("array", True)},
            method="PUT", path=T + "/labels", description="replace the thread's labels",
            describe=lambda a, b: f"set {_plural(_count(b, 'label_ids'), 'label')} on thread {a['thread_id']}"),
    Command("message coop set", "write", ("thread_id",), write_flags(), {"coop_status": S_REQ},
            method="PUT", path=T + "/coop-status", description="set the thread's coop status",
            describe=lambda a, b: f"set coop status {b.get('coop_status')} on thread {a['thread_id']}"),
    Command("message draft save", "write", ("thread_id",), write_flags(),
            {"body": S_REQ, "sender_auth_id": S, "attachment_ids": A},
            method="PUT", path=T + "/draft", description="save the thread's draft",
            describe=lambda a, b: f"save a draft of {len(str(b.get('body') or ''))} characters "
            f"on thread {a['thread_id']}"),
    Command("message send", "write", ("thread_id",), write_flags(),
            {"content": S, "html_body": S, "sender_auth_id": S_REQ, "reply_to_message_id": S, "attachment_ids": A},
            exactly_one_of=("content", "html_body"), method="POST", path=T + "/send",
            description="send a reply now",
            describe=lambda a, b: f"send a reply of {len(str(b.get('content') or ''))} characters "
            f"on thread {a['thread_id']} from {b.get('sender_auth_id')}"),
    Command("message schedule", "write", ("thread_id",), write_flags(),
            {"content": S, "html_body": S, "sender_auth_id": S_REQ, "plan_send_at": S_REQ, "attachment_ids": A},
            exactly_one_of=("content", "html_body"), method="POST", path=T + "/schedule",
            description="schedule a reply (plan_send_at: ISO 8601 with a whole-hour offset)",
            describe=lambda a, b: f"schedule a reply on thread {a['thread_id']} for {b.get('plan_send_at')}"),
    Command("message cancel", "write", ("thread_id",), write_flags(body=False), method="DELETE",
            path=T + "/schedule", description="cancel the thread's scheduled reply",
            describe=lambda a, b: f"cancel the scheduled reply on thread {a['thread_id']}"),
    Command("message archive", "write", ("thread_id",), write_flags(body=False), method="POST",
            path=T + "/archive", description="archive the whole conversation, sibling task threads included",
            describe=lambda a, b: f"archive thread {a['thread_id']} and its sibling threads"),
    Command("message templates save", "write", (), write_flags(),
            {"name": S_REQ, "language": S_REQ, "subject": S, "body": S_REQ},
            method="POST", path="/messages/templates", description="save a new reply template",
            describe=lambda a, b: f"save template {b.get('name')!r} ({b.get('language')})"),
    Command("message templates use", "write", ("template_id",), write_flags(),
            {"thread_id": S_REQ, "variables": BodyField("object")},
            method="POST", path="/messages/templates/{template_id}/use",
            description="render a template into a thread's draft",
            describe=lambda a, b: f"render template {a['template_id']} into the draft of thread {b.get('thread_id')}"),
    Command("message attachments upload", "write", ("thread_id",), write_flags(body=False, upload=True),
            method="POST", path=T + "/attachments", description="upload a file to the thread's draft",
            describe=lambda a, b: f"upload {b.get('filename')} ({b.get('size')} bytes) to thread {a['thread_id']}"),
    Command("message attachments delete", "write", ("thread_id", "attachment_id"), write_flags(body=False),
            method="DELETE", path=T + "/attachments/{attachment_id}",
            description="remove a file from the thread's draft",
            describe=lambda a, b: f"remove {a['attachment_id']} from the draft of thread {a['thread_id']}"),
    Command("crm update", "write", ("creator_id",), write_flags(),
            {"notes": S, "owner_uid": S, "coop_status": S, "label_ids": A, "email": S, "url": S},
            method="PATCH", path="/crm/channels/{creator_id}",
            description="update a CRM channel's notes, owner, coop status, labels, email or URL",
            describe=lambda a, b: f"update {' and '.join(sorted(k for k in b if b[k] is not None)) or 'nothing'} "
            f"of CRM channel {a['creator_id']}"),
    # --- local ---------------------------------------------------------------------------------
    Command("auth", "local", flags={"--key-stdin": Flag("boolean", "read an API key from stdin", required=True)},
            description="store an API key piped on stdin (never pass it in argv)"),
    Command("auth status", "local", description="whether local credentials exist (plain JSON, no envelope)"),
    Command("auth logout", "local", description="remove the local credentials"),
    Command("login", "local", description="OAuth device flow on this terminal"),
    Command("login start", "local", flags={"--json": Flag("boolean", "print the device code as JSON")},
            description="start a device login; prints login_id, verification_url, user_code"),
    Command("login wait", "local", ("login_id",), description="finish a device login started with `login start`"),
    Command("doctor", "local", description="check credentials and connectivity (plain JSON)"),
    Command("schema", "local", flags={"--all": Flag("boolean", "list every installed command")},
            description='a command\'s schema: schema "message list" (plain JSON)'),
    Command("agent exit-codes", "local", description="the exit-code catalogue (plain JSON)"),
)

BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}


def flag_arity() -> dict[str, bool]:
    """Every flag any command (or the tool) knows -> whether it takes a value.

    The parser needs it before it knows the command (a value may sit between two command words'
    flags); the check below keeps one flag name to one arity across the table.
    """
    from noxtui.sandbox.nox_cli.spec import GLOBAL_FLAGS

    arity: dict[str, bool] = {}
    for flags in [GLOBAL_FLAGS, *(c.flags for c in COMMANDS)]:
        for name, flag in flags.items():
            takes_value = flag.type != "boolean"
            if arity.setdefault(name, takes_value) != takes_value:
                raise AssertionError(f"flag {name} has two arities in the command table")
    return arity
