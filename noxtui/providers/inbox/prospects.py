"""The prospect as Inbox's CRM: notes, valuation and the assignee, and its threads across accounts.

``GET /prospects/{externalId}`` answers the prospect with its ``context`` — tag ids, pipeline
status, notes, valuation — and ``context.threads``, the prospect's threads with every one of the
team's X accounts. Those become the CRM panel (``channel_of``) and the sibling list
(``siblings_of``: each sibling read once so the rep sees which one still waits on them). Writes go
through ``PATCH /prospects/{externalId}/context`` with only the changed keys (``crm_update``); the
CRM panel's "owner" is the prospect's assignee there (``assigneeId``, a member id).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from noxtui.domain.errors import PlanError
from noxtui.domain.models import CrmChannel, Project, ThreadSummary, WritePlan
from noxtui.domain.plan_rules import mint_idempotency_key
from noxtui.domain.plans import PlanDiff, TextDiff
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.mapping import Directory, coop_status_of, creator_of, labels_of, summary_of
from noxtui.providers.inbox.wire import InboxProspect, InboxThread

PROVIDER = "inbox"
MAX_NOTES = 10_000
MAX_VALUATION = 1e12


def channel_of(prospect: InboxProspect, directory: Directory, owner_uid: str | None) -> CrmChannel:
    """The CRM panel's facts: status and tags from ``context``, notes, valuation (an extra field)."""
    creator = creator_of(prospect)
    status_id = prospect.context.status_id
    status = directory.statuses.get(status_id) if status_id else None
    return CrmChannel.model_validate(
        {
            "creator_id": prospect.external_id or "",
            "coop_status": {"code": status.code, "name": status.name} if status else None,
            "labels": [label.model_dump() for label in labels_of(prospect, directory)],
            "owner_uid": owner_uid,
            "url": creator.channel_url,
            "notes": prospect.context.notes or "",
            "valuation": prospect.context.valuation,
            "name": creator.name,
        }
    )


def sibling_of(thread: InboxThread, directory: Directory) -> Project:
    """One of the prospect's threads, named by the account it is with."""
    link = directory.names.get(thread.account_link_id, thread.account_link_id)
    summary = summary_of(thread, directory)
    status = coop_status_of(thread, directory)
    return Project(
        project_id=thread.id,
        name=f"DM with {link} ({status.name})",
        business_kind="inbox_thread",
        business_id=thread.id,
        thread_id=thread.id,
        needs_reply=summary.needs_reply,
        last_message_direction=summary.last_message_direction,
        pending_reason=summary.pending_reason,
    )


def _name(before: CrmChannel) -> str:
    return str((before.model_extra or {}).get("name") or before.creator_id)


def crm_update(
    before: CrmChannel,
    *,
    notes: str | None = None,
    owner_uid: str | None = None,
    valuation: float | None = None,
    clear_valuation: bool = False,
) -> WritePlan:
    """Change the prospect's notes, assignee and/or valuation; only changed keys are sent."""
    if not before.creator_id:
        raise PlanError(
            f"{_name(before)} is not imported into Inbox yet (no externalId), so notes and valuation cannot be set",
            "Open the prospect in Inbox once (that imports them), then press r and try again.",
        )
    path = routes.prospect_context(before.creator_id)
    body: dict[str, object] = {}
    changes: list[str] = []
    if notes is not None and notes != before.notes:
        if len(notes) > MAX_NOTES:
            raise PlanError(f"The notes are {len(notes):,} characters", f"Keep them under {MAX_NOTES:,}.")
        body["notes"] = notes or None
        changes.append("notes")
    if owner_uid is not None and owner_uid != before.owner_uid:
        body["assigneeId"] = routes.inbox_id(owner_uid, "member id")
        changes.append(f"assignee {before.owner_uid or 'none'} → {owner_uid}")
    old_value = (before.model_extra or {}).get("valuation")
    if valuation is not None or clear_valuation:
        if valuation is not None and (not math.isfinite(valuation) or abs(valuation) > MAX_VALUATION):
            raise PlanError(f"{valuation!r} is not a valuation Inbox can keep", "Type an amount, e.g. 1500.")
        if valuation != old_value:
            body["valuation"] = valuation
            changes.append(f"valuation {_money(old_value)} → {_money(valuation)}")
    if not body:
        raise PlanError("Nothing changed on the prospect", "Edit the notes, the valuation or the assignee first.")
    diff = PlanDiff(text=TextDiff(before=before.notes, after=notes or "")) if "notes" in body else PlanDiff()
    name = _name(before)
    return WritePlan(
        kind="crm_update",
        method="PATCH",
        path=path,
        body=body,
        summary=f"Update {name} in Inbox: {', '.join(changes)}",
        creator_name=name,
        diff=diff,
        idempotency_key=mint_idempotency_key(),
        provider=PROVIDER,
    )


def _money(value: object) -> str:
    if value is None:
        return "none"
    number = float(value) if isinstance(value, (int, float)) else 0.0
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def owners(rows: Sequence[ThreadSummary]) -> dict[str, str | None]:
    """The assignee last seen per prospect (``creator_id``): the CRM panel's owner."""
    return {row.creator.creator_id: row.owner_uid for row in rows if row.creator.creator_id}


__all__ = ["channel_of", "crm_update", "owners", "sibling_of"]
