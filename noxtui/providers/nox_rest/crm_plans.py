"""Pure ``WritePlan`` builders for a CRM channel's other fields: coop status, labels, email and URL.

Notes and owner are ``plans.crm_update``; these are the rest of what the seed CRM carries (``crm
update <creator_id> --body-file``, ``PATCH /crm/channels/{creator_id}``). One field per plan, sent
only when it changes, each refused with a fix when it could not be right (an email without ``@``, a
URL that is not http(s)).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from noxtui.domain.base import CoopStatusRef
from noxtui.domain.errors import PlanError
from noxtui.domain.models import CoopStatus, CrmChannel, Label, PlanDiff, StatusDiff, TextDiff, WritePlan
from noxtui.domain.plan_rules import labels_summary, mint_idempotency_key
from noxtui.domain.plans import LabelsDiff
from noxtui.providers.nox_rest import routes

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_URL = 2048


def _plan(before: CrmChannel, name: str, body: dict[str, Any], summary: str, diff: PlanDiff) -> WritePlan:
    return WritePlan(
        kind="crm_update",
        method="PATCH",
        path=routes.crm_channel(before.creator_id),
        body=body,
        summary=f"CRM channel of {name}: {summary}",
        creator_name=name,
        diff=diff,
        idempotency_key=mint_idempotency_key(),
    )


def coop_status(before: CrmChannel, name: str, status: CoopStatus) -> WritePlan:
    """Move the channel's cooperation status (the CRM's, not a thread's)."""
    if before.coop_status is not None and before.coop_status.code == status.code:
        raise PlanError(f"The channel's status is already {status.name}", "Pick another status.")
    after = CoopStatusRef(code=status.code, name=status.name)
    shown = before.coop_status.name if before.coop_status else "none"
    diff = PlanDiff(status=StatusDiff(before=before.coop_status, after=after))
    return _plan(before, name, {"coop_status": status.code}, f"status {shown} → {status.name}", diff)


def labels(before: CrmChannel, name: str, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
    """Set the channel's CRM labels to ``label_ids`` (the whole set after the write)."""
    wanted = list(dict.fromkeys(label_ids))
    known = {label.label_id: label for label in [*before.labels, *catalogue]}
    unknown = [label_id for label_id in wanted if label_id not in known]
    if unknown:
        raise PlanError(f"Unknown label id(s): {', '.join(unknown)}", "Reload the labels and pick again.")
    current = [label.label_id for label in before.labels]
    diff = LabelsDiff(
        added=tuple(known[i] for i in wanted if i not in current),
        removed=tuple(label for label in before.labels if label.label_id not in wanted),
        kept=tuple(known[i] for i in wanted if i in current),
    )
    if not diff.added and not diff.removed:
        raise PlanError("The CRM labels are already set that way", "Add or remove a label first.")
    summary = labels_summary("labels", name, diff).split(": ", 1)[-1]
    return _plan(before, name, {"label_ids": wanted}, f"labels {summary}", PlanDiff(labels=diff))


def email(before: CrmChannel, name: str, value: str) -> WritePlan:
    """Set the channel's email (empty clears it)."""
    address = value.strip()
    if address and not _EMAIL.fullmatch(address):
        problem = f"{address!r} is not an email address"
        raise PlanError(problem, "Type it as name@example.com.", fields={"email": "invalid"})
    if address == (before.email or ""):
        raise PlanError("The email is unchanged", "Type another address.")
    diff = PlanDiff(text=TextDiff(before=before.email or "", after=address))
    return _plan(before, name, {"email": address}, f"email {before.email or 'none'} → {address or 'none'}", diff)


def url(before: CrmChannel, name: str, value: str) -> WritePlan:
    """Set the channel's URL (http or https, at most ``MAX_URL`` characters)."""
    link = value.strip()
    if not re.match(r"^https?://\S+$", link) or len(link) > MAX_URL:
        raise PlanError(
            "The channel URL must start with http:// or https:// and hold no spaces",
            "Paste the channel's full address.",
            fields={"url": "invalid"},
        )
    if link == before.url:
        raise PlanError("The URL is unchanged", "Type another address.")
    diff = PlanDiff(text=TextDiff(before=before.url, after=link))
    return _plan(before, name, {"url": link}, "channel URL changed (the full address is below)", diff)


__all__ = ["MAX_URL", "coop_status", "email", "labels", "url"]
