"""Pure builders of NoxInfluencer ``WritePlan``s: the dry-run the confirm modal shows before anything is sent.

No I/O here. Each builder checks its input and refuses with a ``PlanError`` whose message says what
to fix, so a bad write is caught while the rep is still looking at it, not after a round trip. Each
plan gets a fresh idempotency key: confirming the *same* plan twice can never write twice.

This module holds thread state (labels, coop status, archive, CRM); what the composer writes
(drafts, sends, schedules, templates) is ``composer_plans``, re-exported here so ``plans.send`` is
one name for callers. Rules every provider shares (naming a thread, the labels diff, blank text,
the key) are ``noxtui.domain.plan_rules``.

Labels and coop plans carry their diff (added/removed/kept, before→after), which is all ``inverse``
needs to build the undo plan later without asking the server what the state used to be.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from noxtui.domain.errors import PlanError
from noxtui.domain.models import (
    CoopStatus,
    CoopStatusRef,
    CrmChannel,
    Label,
    PlanDiff,
    Project,
    StatusDiff,
    TextDiff,
    ThreadSummary,
    WritePlan,
)
from noxtui.domain.plan_rules import (
    cannot_undo,
    is_blank,
    labels_diff,
    labels_summary,
    mint_idempotency_key,
    plan_name,
    reversed_labels,
    reversed_status,
    who,
)
from noxtui.domain.schedule import format_when, parse_plan_send_at
from noxtui.providers.nox_rest import routes
from noxtui.providers.nox_rest.composer_plans import (
    cancel,
    draft_save,
    schedule,
    send,
    template_save,
    template_use,
    thread_id_of,
)

# --- labels and coop status (undoable) ----------------------------------------------------------


def labels_set(thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
    """Set the thread's full label set to ``label_ids`` (the contract's PUT semantics)."""
    thread_id = thread_id_of(thread)
    wanted, diff = labels_diff(thread, label_ids, catalogue)
    name = who(thread)
    return WritePlan(
        kind="labels_set",
        method="PUT",
        path=routes.thread_labels(thread_id),
        body={"label_ids": wanted},
        summary=labels_summary("Labels", name, diff),
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(labels=diff),
        undoable=True,
        idempotency_key=mint_idempotency_key(),
    )


def coop_set(thread: ThreadSummary, status: CoopStatus | CoopStatusRef) -> WritePlan:
    """Move the thread's cooperation status; the diff keeps the old one for undo."""
    thread_id = thread_id_of(thread)
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
        idempotency_key=mint_idempotency_key(),
    )


def inverse(plan: WritePlan) -> WritePlan:
    """The plan that undoes ``plan`` (labels or coop), built from its diff alone, with a new key."""
    if plan.kind == "labels_set" and plan.diff.labels is not None:
        undo = reversed_labels(plan.diff.labels)
        restored = [label.label_id for label in (*plan.diff.labels.kept, *plan.diff.labels.removed)]
        return plan.model_copy(
            update={
                "body": {"label_ids": restored},
                "diff": PlanDiff(labels=undo),
                "summary": "Undo: " + labels_summary("Labels", plan_name(plan), undo),
                "idempotency_key": mint_idempotency_key(),
            }
        )
    if plan.kind == "coop_set" and plan.diff.status is not None:
        back = reversed_status(plan.diff.status)
        assert back.before is not None  # the status the plan moved to
        shown_from, shown_to = back.before.name or back.before.code, back.after.name or back.after.code
        return plan.model_copy(
            update={
                "body": {"coop_status": back.after.code},
                "diff": PlanDiff(status=back),
                "summary": f"Undo: coop status of {plan_name(plan)}: {shown_from} → {shown_to}",
                "idempotency_key": mint_idempotency_key(),
            }
        )
    raise cannot_undo(plan)


# --- archive and CRM ----------------------------------------------------------------------------


def archive(thread: ThreadSummary, siblings: Sequence[Project]) -> WritePlan:
    """Archive the whole conversation; the summary names every thread that goes (contract fact)."""
    thread_id = thread_id_of(thread)
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
        idempotency_key=mint_idempotency_key(),
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
        idempotency_key=mint_idempotency_key(),
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
