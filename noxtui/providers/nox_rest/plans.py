"""Pure builders of ``WritePlan``: the dry-run the confirm modal shows before anything is sent.

No I/O here. Each builder checks its input and refuses with a ``PlanError`` whose message says what
to fix, so a bad write is caught while the rep is still looking at it, not after a round trip. Each
plan gets a fresh idempotency key: confirming the *same* plan twice can never write twice.

Labels and coop plans carry their diff (added/removed/kept, before→after), which is all ``inverse``
needs to build the undo plan later without asking the server what the state used to be.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from noxtui.domain.errors import PlanError
from noxtui.domain.models import (
    CoopStatus,
    CoopStatusRef,
    CrmChannel,
    Label,
    LabelsDiff,
    PlanDiff,
    Project,
    Sender,
    StatusDiff,
    Template,
    TextDiff,
    Thread,
    ThreadSummary,
    WritePlan,
)
from noxtui.domain.schedule import format_when, parse_plan_send_at
from noxtui.providers.nox_rest import routes

PLATFORM_NAMES = {"youtube": "YouTube", "tiktok": "TikTok", "instagram": "Instagram", "twitter": "X"}


def _key() -> str:
    return str(uuid.uuid4())


def who(thread: ThreadSummary) -> str:
    """How a rep names a thread: the creator and the platform, e.g. ``Mia Chen (YouTube)``."""
    creator = thread.creator
    platform = PLATFORM_NAMES.get(creator.platform.lower(), creator.platform)
    return f"{creator.name} ({platform})" if platform else creator.name


def is_blank(text: str) -> bool:
    """True when ``text`` would reach the creator as an empty message.

    ``str.strip`` misses zero-width and other format characters (U+200B, U+2060, U+FEFF, soft hyphen)
    and control characters: a reply made only of those looks empty to the creator, yet would clear
    the thread's pending state, which the contract forbids for an empty reply.
    """
    return all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


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


def _thread_id(thread: ThreadSummary) -> str:
    routes.segment(thread.thread_id, "thread id")
    return thread.thread_id


# --- labels and coop status (undoable) ----------------------------------------------------------


def _labels_summary(name: str, diff: LabelsDiff) -> str:
    parts = [f"+{label.name or label.label_id}" for label in diff.added]
    parts += [f"−{label.name or label.label_id}" for label in diff.removed]
    return f"Labels on {name}: {' '.join(parts)}"


def labels_set(thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
    """Set the thread's full label set to ``label_ids`` (the contract's PUT semantics)."""
    thread_id = _thread_id(thread)
    wanted = list(dict.fromkeys(label_ids))
    known = {label.label_id: label for label in thread.labels}
    known.update({label.label_id: label for label in catalogue})
    unknown = [label_id for label_id in wanted if label_id not in known]
    if unknown:
        raise PlanError(
            f"Unknown label id{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            "Reload the labels (they may have been deleted) and pick again.",
            fields={"label_ids": ", ".join(unknown)},
        )
    before = [label.label_id for label in thread.labels]
    diff = LabelsDiff(
        added=tuple(known[i] for i in wanted if i not in before),
        removed=tuple(label for label in thread.labels if label.label_id not in wanted),
        kept=tuple(known[i] for i in wanted if i in before),
    )
    if not diff.added and not diff.removed:
        raise PlanError("The labels are already set that way: nothing to change", "Add or remove a label first.")
    name = who(thread)
    return WritePlan(
        kind="labels_set",
        method="PUT",
        path=routes.thread_labels(thread_id),
        body={"label_ids": wanted},
        summary=_labels_summary(name, diff),
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(labels=diff),
        undoable=True,
        idempotency_key=_key(),
    )


def coop_set(thread: ThreadSummary, status: CoopStatus | CoopStatusRef) -> WritePlan:
    """Move the thread's cooperation status; the diff keeps the old one for undo."""
    thread_id = _thread_id(thread)
    if not status.code or not status.code.strip():
        raise PlanError("No coop status is chosen", "Choose a status.", fields={"coop_status": "required"})
    before = thread.coop_status
    after = CoopStatusRef(code=status.code, name=status.name)
    if before is not None and before.code == after.code:
        raise PlanError(
            f"The coop status is already {after.name or after.code}: nothing to change", "Choose another status."
        )
    name = who(thread)
    shown_before = (before.name or before.code) if before else "none"
    return WritePlan(
        kind="coop_set",
        method="PUT",
        path=routes.thread_coop_status(thread_id),
        body={"coop_status": after.code},
        summary=f"Coop status of {name}: {shown_before} → {after.name or after.code}",
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(status=StatusDiff(before=before, after=after)),
        undoable=True,
        idempotency_key=_key(),
    )


def inverse(plan: WritePlan) -> WritePlan:
    """The plan that undoes ``plan`` (labels or coop), built from its diff alone, with a new key."""
    if plan.kind == "labels_set" and plan.diff.labels is not None:
        diff = plan.diff.labels
        restored = [label.label_id for label in (*diff.kept, *diff.removed)]
        undo = LabelsDiff(added=diff.removed, removed=diff.added, kept=diff.kept)
        return plan.model_copy(
            update={
                "body": {"label_ids": restored},
                "diff": PlanDiff(labels=undo),
                "summary": "Undo: " + _labels_summary(plan.creator_name or plan.thread_id or "thread", undo),
                "idempotency_key": _key(),
            }
        )
    if plan.kind == "coop_set" and plan.diff.status is not None:
        before = plan.diff.status.before
        if before is None:
            raise PlanError(
                "The thread had no coop status before, so there is nothing to go back to", "Set a status instead."
            )
        after = plan.diff.status.after
        name = plan.creator_name or plan.thread_id or "thread"
        return plan.model_copy(
            update={
                "body": {"coop_status": before.code},
                "diff": PlanDiff(status=StatusDiff(before=after, after=before)),
                "summary": f"Undo: coop status of {name}: {after.name or after.code} → {before.name or before.code}",
                "idempotency_key": _key(),
            }
        )
    raise PlanError(f"A {plan.kind.replace('_', ' ')} cannot be undone", "Make the opposite change by hand.")


# --- composer -----------------------------------------------------------------------------------


def draft_save(
    thread: Thread, body: str, sender_auth_id: str | None = None, *, senders: Sequence[Sender] = ()
) -> WritePlan:
    """Store the composer text on the server; an empty body clears an existing draft."""
    thread_id = _thread_id(thread)
    sender = _sender_label(sender_auth_id, senders, required=False)
    before = thread.composer.draft_body
    if body == before and (not sender_auth_id or sender_auth_id == thread.composer.sender_auth_id):
        raise PlanError("The draft is unchanged: nothing to change", "Edit the reply first.")
    name = who(thread)
    payload: dict[str, Any] = {"body": body}
    if sender_auth_id:
        payload["sender_auth_id"] = sender_auth_id
    summary = f"Clear the draft for {name}" if not body.strip() else f"Save draft for {name}"
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
        idempotency_key=_key(),
    )


def _follow_up_warnings(thread: ThreadSummary) -> tuple[str, ...]:
    if thread.last_message_direction == "outbound":
        return ("The last message in this thread is yours: this is a follow-up, not a reply.",)
    return ()


def send(
    thread: ThreadSummary,
    body: str,
    sender_auth_id: str | None,
    reply_to_message_id: str | None = None,
    *,
    senders: Sequence[Sender] = (),
) -> WritePlan:
    """Send a reply now. Requires a non-blank body and a sender (contract facts)."""
    thread_id = _thread_id(thread)
    _require_body(body)
    sender = _sender_label(sender_auth_id, senders, required=True)
    assert sender_auth_id is not None  # narrowed by _sender_label(required=True)
    payload: dict[str, Any] = {"content": body, "sender_auth_id": sender_auth_id}
    if reply_to_message_id:
        payload["reply_to_message_id"] = reply_to_message_id
    name = who(thread)
    return WritePlan(
        kind="send",
        method="POST",
        path=routes.thread_send(thread_id),
        body=payload,
        summary=f"Send reply to {name} from {sender}",
        thread_id=thread_id,
        creator_name=name,
        sender=sender,
        reply_to=reply_to_message_id,
        warnings=_follow_up_warnings(thread),
        idempotency_key=_key(),
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
    thread_id = _thread_id(thread)
    _require_body(body)
    sender = _sender_label(sender_auth_id, senders, required=True)
    when = parse_plan_send_at(plan_send_at, now)
    name = who(thread)
    warnings = _follow_up_warnings(thread)
    if thread.scheduled_at is not None:
        warnings += (f"This replaces the reply already scheduled for {format_when(thread.scheduled_at)}.",)
    return WritePlan(
        kind="schedule",
        method="POST",
        path=routes.thread_schedule(thread_id),
        body={"content": body, "sender_auth_id": sender_auth_id, "plan_send_at": when.isoformat()},
        summary=f"Schedule reply to {name} from {sender} for {format_when(when)}",
        thread_id=thread_id,
        creator_name=name,
        sender=sender,
        send_at=when,
        warnings=warnings,
        idempotency_key=_key(),
    )


def cancel(thread: Thread) -> WritePlan:
    """Cancel the scheduled reply; refused when nothing is scheduled."""
    thread_id = _thread_id(thread)
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
        diff=PlanDiff(text=TextDiff(before=scheduled.content, after="")),
        idempotency_key=_key(),
    )


# --- templates ----------------------------------------------------------------------------------


def template_use(thread: Thread, template: Template, variables: Mapping[str, str] | None = None) -> WritePlan:
    """Render ``template`` into the thread's draft on the server."""
    thread_id = _thread_id(thread)
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
        diff=PlanDiff(text=TextDiff(before=before, after=template.body)),
        warnings=warnings,
        idempotency_key=_key(),
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
        idempotency_key=_key(),
    )


# --- archive and CRM ----------------------------------------------------------------------------


def archive(thread: ThreadSummary, siblings: Sequence[Project]) -> WritePlan:
    """Archive the whole conversation; the summary names every thread that goes (contract fact)."""
    thread_id = _thread_id(thread)
    names: dict[str, str] = {thread_id: thread.subject or thread_id}
    warnings: list[str] = []
    for project in siblings:
        if project.thread_id and project.thread_id not in names:
            names[project.thread_id] = project.name or project.thread_id
            if project.needs_reply:
                warnings.append(f"{project.name or project.thread_id} still needs a reply.")
    if thread.needs_reply:
        warnings.insert(0, "This thread still needs a reply.")
    warnings.append("This archives message threads only; it is separate from archiving the creator in CRM.")
    name = who(thread)
    listed = "; ".join(f"{tid} ({label})" for tid, label in names.items())
    count = len(names)
    return WritePlan(
        kind="archive",
        method="POST",
        path=routes.thread_archive(thread_id),
        body=None,
        summary=f"Archive the conversation with {name}: {count} thread{'s' if count != 1 else ''} — {listed}",
        thread_id=thread_id,
        creator_name=name,
        warnings=tuple(warnings),
        idempotency_key=_key(),
    )


def crm_update(
    creator_id: str, notes: str | None = None, owner_uid: str | None = None, *, before: CrmChannel
) -> WritePlan:
    """Change the CRM channel's notes and/or owner; only changed fields are sent."""
    routes.segment(creator_id, "creator id")
    payload: dict[str, Any] = {}
    changes: list[str] = []
    if notes is not None and notes != before.notes:
        payload["notes"] = notes
        changes.append("notes")
    if owner_uid is not None and owner_uid != before.owner_uid:
        if not owner_uid.strip():
            raise PlanError("The new owner is empty", "Choose a team member.", fields={"owner_uid": "required"})
        payload["owner_uid"] = owner_uid
        changes.append(f"owner {before.owner_uid or 'none'} → {owner_uid}")
    if not payload:
        raise PlanError("The CRM channel is unchanged: nothing to change", "Edit the notes or the owner first.")
    diff = PlanDiff(text=TextDiff(before=before.notes, after=payload["notes"])) if "notes" in payload else PlanDiff()
    # The server sends the creator's name as an extra field; fall back to the opaque id.
    name = str((before.model_extra or {}).get("name") or creator_id)
    return WritePlan(
        kind="crm_update",
        method="PATCH",
        path=routes.crm_channel(creator_id),
        body=payload,
        summary=f"Update the CRM channel of {name}: {', '.join(changes)}",
        creator_name=name,
        diff=diff,
        idempotency_key=_key(),
    )


__all__ = [
    "archive",
    "cancel",
    "coop_set",
    "crm_update",
    "draft_save",
    "format_when",
    "inverse",
    "is_blank",
    "labels_set",
    "parse_plan_send_at",
    "schedule",
    "send",
    "template_save",
    "template_use",
    "who",
]
