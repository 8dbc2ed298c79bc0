"""The rep's current filter: what the list asks the server for, and how it reads as one line.

Pickers store both the id the server wants and the name the rep recognises, so the filter line can
say "label VIP" without another request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, get_args

from noxtui.domain.models import ThreadQuery

NeedsReply = Literal["any", "needs", "answered"]
DirectionFilter = Literal["any", "inbound", "outbound"]
ChoiceField = Literal["label", "coop_status", "project", "member"]
VendorView = Literal[
    "any", "deal", "unread", "no-reply", "no-reply-oldest", "requests", "untagged", "unassigned", "no-status"
]
"""The NoxInfluencer tool's ``--status`` views: ``deal`` (the creator wrote last; not the same as
unread) and ``unread``; Inbox's lists (``no-reply``: awaiting their answer…). Answered by the
server, not the cache (the cache has no read state)."""
VIEW_NAMES: dict[str, str] = {
    "deal": "deal (creator wrote last)",
    "unread": "unread",
    "no-reply": "awaiting their reply",
    "no-reply-oldest": "awaiting their reply, oldest first",
    "requests": "message requests",
    "untagged": "untagged",
    "unassigned": "unassigned",
    "no-status": "no pipeline status",
}

_NEEDS_CYCLE: tuple[NeedsReply, ...] = ("any", "needs", "answered")
_DIRECTION_CYCLE: tuple[DirectionFilter, ...] = ("any", "inbound", "outbound")


@dataclass(frozen=True)
class Choice:
    """A picked value: the id sent to the server and the name shown to the rep."""

    value: str
    name: str


@dataclass(frozen=True)
class FilterState:
    needs_reply: NeedsReply = "any"
    direction: DirectionFilter = "any"
    label: Choice | None = None
    coop_status: Choice | None = None
    project: Choice | None = None
    member: Choice | None = None
    keyword: str = ""
    business_kind: str | None = None
    business_id: str | None = None
    view: VendorView = "any"

    def cycle_needs_reply(self) -> FilterState:
        position = _NEEDS_CYCLE.index(self.needs_reply)
        return replace(self, needs_reply=_NEEDS_CYCLE[(position + 1) % len(_NEEDS_CYCLE)])

    def cycle_direction(self) -> FilterState:
        position = _DIRECTION_CYCLE.index(self.direction)
        return replace(self, direction=_DIRECTION_CYCLE[(position + 1) % len(_DIRECTION_CYCLE)])

    def cycle_view(self, offered: tuple[str, ...] = ("deal", "unread")) -> FilterState:
        """All threads → each view the backend offers → all threads."""
        cycle: list[VendorView] = ["any", *(v for v in get_args(VendorView) if v in offered)]
        position = cycle.index(self.view) if self.view in cycle else 0
        return replace(self, view=cycle[(position + 1) % len(cycle)])

    def with_keyword(self, keyword: str) -> FilterState:
        return replace(self, keyword=keyword.strip())

    def with_choice(self, field: ChoiceField, choice: Choice | None) -> FilterState:
        if field == "label":
            return replace(self, label=choice)
        if field == "coop_status":
            return replace(self, coop_status=choice)
        if field == "project":
            return replace(self, project=choice)
        return replace(self, member=choice)

    @property
    def server_only(self) -> bool:
        """A server view, or an ``@handle`` lookup: lists the offline cache cannot answer."""
        return self.view != "any" or self.keyword.startswith("@")

    @property
    def is_empty(self) -> bool:
        return self == FilterState()

    def to_query(self) -> ThreadQuery:
        """The contract's query parameters for this filter."""
        return ThreadQuery(
            needs_reply={"any": None, "needs": True, "answered": False}[self.needs_reply],
            last_message_direction=None if self.direction == "any" else self.direction,
            label_id=self.label.value if self.label else None,
            coop_status=self.coop_status.value if self.coop_status else None,
            project_ids=(self.project.value,) if self.project else (),
            creator_uids=(self.member.value,) if self.member else (),
            keyword=self.keyword or None,
            business_kind=self.business_kind,
            business_id=self.business_id,
            view=None if self.view == "any" else self.view,
        )

    def describe(self) -> str:
        """One line, e.g. ``needs reply · inbound · label VIP``; ``all threads`` when unfiltered."""
        parts: list[str] = []
        if self.needs_reply == "needs":
            parts.append("needs reply")
        elif self.needs_reply == "answered":
            parts.append("answered")
        if self.direction != "any":
            parts.append(self.direction)
        if self.label:
            parts.append(f"label {self.label.name}")
        if self.coop_status:
            parts.append(f"status {self.coop_status.name}")
        if self.project:
            parts.append(f"project {self.project.name}")
        if self.member:
            parts.append(f"member {self.member.name}")
        if self.business_kind and self.business_id and not self.project:
            parts.append(f"{self.business_kind.replace('_', ' ')} {self.business_id}")
        if self.view != "any":
            parts.append(VIEW_NAMES[self.view])
        if self.keyword:
            parts.append(f"“{self.keyword}”")
        return " · ".join(parts) if parts else "all threads"
