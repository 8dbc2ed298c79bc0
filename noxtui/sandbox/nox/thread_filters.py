"""``message list`` filters, validated: what the route hands the store and the planner reads.

``flat_where`` turns the filters on ``threads``' own columns into SQL; the filters on other tables
(label, projects, keyword) are the planner's business (``listing.py``), because how to apply them
depends on their sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from noxtui.sandbox.database import placeholders

# The vendor CLI's ``message list --status`` views, as SQL on ``threads`` (alias ``t``):
# ``deal`` the creator wrote last; ``unread`` that, and newer than what ``message get`` last showed;
# ``draft`` a draft is saved; ``scheduled`` a reply waits to be sent.
VIEWS: dict[str, str] = {
    "deal": "t.last_message_direction = 'inbound'",
    "unread": "t.last_message_direction = 'inbound' AND NOT EXISTS (SELECT 1 FROM thread_reads r "
    "WHERE r.thread_seq = t.seq AND r.seen_last_message_at >= t.last_message_at)",
    "draft": "t.draft_body != ''",
    "scheduled": "t.schedule_at IS NOT NULL",
}


@dataclass(frozen=True)
class ThreadFilters:
    """``message list`` filters, already validated; ``None`` / empty means "any"."""

    needs_reply: bool | None = None
    direction: str | None = None
    business_kind: str | None = None
    business_id: str | None = None
    coop_status: str | None = None
    project_ids: tuple[str, ...] = ()
    owner_uids: tuple[str, ...] = ()
    label_id: str | None = None
    keyword: str | None = None
    updated_since_ms: int | None = None
    view: str | None = None  # one of VIEWS: the CLI's ``--status`` views

    def flat_where(self) -> tuple[list[str], list[Any]]:
        """Conditions on ``threads`` columns only (alias ``t``)."""
        clauses = ["t.archived = 0"]
        params: list[Any] = []
        for column, value in (
            ("t.last_message_direction", self.direction),
            ("t.business_kind", self.business_kind),
            ("t.business_id", self.business_id),
            ("t.coop_status", self.coop_status),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.needs_reply is not None:
            clauses.append("t.needs_reply = ?")
            params.append(1 if self.needs_reply else 0)
        if self.owner_uids:
            clauses.append(f"t.owner_uid IN ({placeholders(len(self.owner_uids))})")
            params.extend(self.owner_uids)
        if self.updated_since_ms is not None:
            clauses.append("t.updated_at > ?")
            params.append(self.updated_since_ms)
        if self.view is not None:
            clauses.append(f"({VIEWS[self.view]})")  # fixed text from VIEWS, never from a request
        return clauses, params
