"""Pure ``WritePlan`` builders for what the NoxInfluencer composer writes: drafts, sends, schedules,
cancels and templates.

No I/O. Each builder checks its input and refuses with a ``PlanError`` whose message says what to
fix, so a bad write is caught while the rep is still looking at it; each plan gets a fresh
idempotency key, so confirming the *same* plan twice can never write twice. Thread state (labels,
status, archive, CRM) is in ``plans``, which re-exports these builders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from noxtui.domain.errors import PlanError
from noxtui.domain.models import PlanDiff, Sender, Template, TextDiff, Thread, ThreadSummary, WritePlan
from noxtui.domain.plan_rules import (
    already_scheduled_warnings,
    follow_up_warnings,
    is_blank,
    mint_idempotency_key,
    who,
)
from noxtui.domain.schedule import format_when, parse_plan_send_at
from noxtui.domain.templates import render, thread_values
from noxtui.providers.nox_rest import routes


def thread_id_of(thread: ThreadSummary) -> str:
    """The thread's id, checked against the contract's id alphabet before any path is built."""
    routes.segment(thread.thread_id, "thread id")
    return thread.thread_id


def _require_body(body: str, what: str = "reply") -> str:
    if not body or is_blank(body):
        raise PlanError(
            f"The {what} is empty",
            f"Write the {what} first; an empty {what} cannot be sent and does not clear a pending thread.",
            fields={"content": "empty"},
        )
    return body


def _sender_label(sender_auth_id: str | None, senders: Sequence[Sender], *, required: bool) -> str | None:
    """The address a rep recognises for a sender id; refuses a missing or unknown sender."""
    if not sender_auth_id or not sender_auth_id.strip():
        if required:
            raise PlanError("No sender is chosen", "Choose a sender.", fields={"sender_auth_id": "required"})
        return None
    if not senders:
        return sender_auth_id
    for sender in senders:
        if sender.sender_auth_id == sender_auth_id:
            return sender.address
    raise PlanError(
        f"The sender {sender_auth_id!r} is not one this team may send from",
        "Choose a sender from the list.",
        fields={"sender_auth_id": "unknown"},
    )


def draft_files(thread: ThreadSummary) -> list[str] | None:
    """The files the thread's draft holds, which every draft save, send and schedule carries.

    NoxInfluencer sends the draft's files with the reply, so a write names them explicitly: a file
    leaves the draft only when the rep removes it (``attachments delete``), never because a body
    left the list out. ``None`` for a bare list row, which does not know the draft: the field is
    then omitted, which the server reads as "unchanged".
    """
    return list(thread.composer.attachment_ids) if isinstance(thread, Thread) else None


def _files_note(files: Sequence[str] | None) -> str:
    if not files:
        return ""
    return f" with {len(files)} attached file{'s' if len(files) != 1 else ''}"


def draft_save(
    thread: Thread, body: str, sender_auth_id: str | None = None, *, senders: Sequence[Sender] = ()
) -> WritePlan:
    """Store the composer text on the server; an empty body clears an existing draft."""
    thread_id = thread_id_of(thread)
    sender = _sender_label(sender_auth_id, senders, required=False)
    before = thread.composer.draft_body
    if body == before and (not sender_auth_id or sender_auth_id == thread.composer.sender_auth_id):
        raise PlanError("The draft is unchanged: nothing to change", "Edit the reply first.")
    name = who(thread)
    payload: dict[str, Any] = {"body": body}
    if sender_auth_id:
        payload["sender_auth_id"] = sender_auth_id
    files = draft_files(thread)
    if files is not None:
        payload["attachment_ids"] = files
    summary = f"Clear the draft text for {name}" if not body.strip() else f"Save draft for {name}"
    summary += _files_note(files)
    return WritePlan(
        kind="draft_save",
        method="PUT",
        path=routes.thread_draft(thread_id),
        body=payload,
        summary=summary + (f" (from {sender})" if sender else ""),
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(text=TextDiff(before=before, after=body)),
        sender=sender,
        idempotency_key=mint_idempotency_key(),
    )


def send(
    thread: ThreadSummary,
    body: str,
    sender_auth_id: str | None,
    reply_to_message_id: str | None = None,
    *,
    senders: Sequence[Sender] = (),
) -> WritePlan:
    """Send a reply now. Requires a non-blank body and a sender (contract facts)."""
    thread_id = thread_id_of(thread)
    _require_body(body)
    sender = _sender_label(sender_auth_id, senders, required=True)
    assert sender_auth_id is not None  # narrowed by _sender_label(required=True)
    payload: dict[str, Any] = {"content": body, "sender_auth_id": sender_auth_id}
    if reply_to_message_id:
        payload["reply_to_message_id"] = reply_to_message_id
    files = draft_files(thread)
    if files is not None:
        payload["attachment_ids"] = files
    name = who(thread)
    return WritePlan(
        kind="send",
        method="POST",
        path=routes.thread_send(thread_id),
        body=payload,
        summary=f"Send reply to {name} from {sender}{_files_note(files)}",
        thread_id=thread_id,
        creator_name=name,
        sender=sender,
        reply_to=reply_to_message_id,
        warnings=follow_up_warnings(thread) + already_scheduled_warnings(thread),
        idempotency_key=mint_idempotency_key(),
    )


def schedule(
    thread: ThreadSummary,
    body: str,
    sender_auth_id: str | None,
    plan_send_at: str,
    now: datetime | None = None,
    *,
    senders: Sequence[Sender] = (),
) -> WritePlan:
    """Schedule a reply; the time is sent normalised to ISO 8601 with its offset."""
    thread_id = thread_id_of(thread)
    _require_body(body)
    sender = _sender_label(sender_auth_id, senders, required=True)
    when = parse_plan_send_at(plan_send_at, now)
    name = who(thread)
    warnings = follow_up_warnings(thread)
    if thread.scheduled_at is not None:
        warnings += (f"This replaces the reply already scheduled for {format_when(thread.scheduled_at)}.",)
    payload: dict[str, Any] = {"content": body, "sender_auth_id": sender_auth_id, "plan_send_at": when.isoformat()}
    files = draft_files(thread)
    if files is not None:
        payload["attachment_ids"] = files
    return WritePlan(
        kind="schedule",
        method="POST",
        path=routes.thread_schedule(thread_id),
        body=payload,
        summary=f"Schedule reply to {name} from {sender} for {format_when(when)}{_files_note(files)}",
        thread_id=thread_id,
        creator_name=name,
        sender=sender,
        send_at=when,
        warnings=warnings,
        idempotency_key=mint_idempotency_key(),
    )


def cancel(thread: Thread) -> WritePlan:
    """Cancel the scheduled reply; refused when nothing is scheduled.

    The text diff keeps the scheduled text on both sides: a cancel does not throw the text away (it
    goes back to the draft, or the app keeps it in the composer beside one), and the confirm modal
    shows it as the text this write is about."""
    thread_id = thread_id_of(thread)
    scheduled = thread.composer.scheduled
    if scheduled is None:
        raise PlanError("Nothing is scheduled on this thread", "Press r to reload if you expected a scheduled reply.")
    name = who(thread)
    return WritePlan(
        kind="cancel",
        method="DELETE",
        path=routes.thread_schedule(thread_id),
        body=None,
        summary=f"Cancel the reply to {name} scheduled for {format_when(scheduled.plan_send_at)}",
        thread_id=thread_id,
        creator_name=name,
        send_at=scheduled.plan_send_at,
        diff=PlanDiff(text=TextDiff(before=scheduled.content, after=scheduled.content)),
        idempotency_key=mint_idempotency_key(),
    )


# --- templates ----------------------------------------------------------------------------------


def template_use(thread: Thread, template: Template, variables: Mapping[str, str] | None = None) -> WritePlan:
    """Render ``template`` into the thread's draft on the server; the diff shows it rendered with the
    thread's values and the rep's ``variables``, what is left unfilled still written ``{{name}}``."""
    thread_id = thread_id_of(thread)
    routes.segment(template.template_id, "template id")
    clean: dict[str, str] = {}
    for key, value in (variables or {}).items():
        if not str(key).strip():
            raise PlanError(
                "A template variable has no name",
                "Name every variable or remove it.",
                fields={"variables": "empty name"},
            )
        clean[str(key)] = str(value)
    payload: dict[str, Any] = {"thread_id": thread_id}
    if clean:
        payload["variables"] = clean
    name = who(thread)
    before = thread.composer.draft_body
    warnings = ("This replaces the current draft.",) if before.strip() else ()
    return WritePlan(
        kind="template_use",
        method="POST",
        path=routes.template_use(template.template_id),
        body=payload,
        summary=f"Use template “{template.name}” ({template.language}) as the draft for {name}",
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(text=TextDiff(before=before, after=render(template.body, {**thread_values(thread), **clean})[0])),
        warnings=warnings,
        idempotency_key=mint_idempotency_key(),
    )


def template_save(name: str, language: str, body: str, subject: str | None = None) -> WritePlan:
    """Save a new template to the team's library."""
    problems = {
        field: "required"
        for field, value in (("name", name), ("language", language), ("body", body))
        if not value or not value.strip()
    }
    if problems:
        raise PlanError(
            f"The template needs a {', '.join(problems)}",
            "Fill in the missing fields.",
            fields=problems,
        )
    payload: dict[str, Any] = {"name": name.strip(), "language": language.strip()}
    if subject is not None and subject.strip():
        payload["subject"] = subject
    payload["body"] = body
    return WritePlan(
        kind="template_save",
        method="POST",
        path=routes.TEMPLATES,
        body=payload,
        summary=f"Save template “{name.strip()}” ({language.strip()})",
        diff=PlanDiff(text=TextDiff(before="", after=body)),
        idempotency_key=mint_idempotency_key(),
    )


__all__ = ["cancel", "draft_files", "draft_save", "schedule", "send", "template_save", "template_use", "thread_id_of"]
