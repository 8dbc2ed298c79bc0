"""Inbox (X/Twitter DM) wire shapes, exactly as the Inbox REST API sends them.

They stay in this module and never leak past the provider: ``inbox_mapping`` turns them into the
shared ``ThreadSummary``/``Thread``/``Label`` the screens know. Keeping the vendor's camelCase shapes
apart means a correction to the Inbox contract touches this file and the mapping, nothing else.

Fields follow ``shared/contract/inbox.md``: the vendor's published v1 corrections where they speak
(``done``, the embedded ``prospect`` carrying tags, ``nextCursor {id, timestamp}``), the "(chosen)"
shapes where they are silent. A few fields of the older chosen shape (``contact``, thread ``tags``,
``status`` open/done) are still accepted so either generation of the API reads correctly. Unknown
fields are kept (``extra="allow"``): a newer server must never break an older client.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AliasChoices, ConfigDict, Field
from pydantic.alias_generators import to_camel

from noxtui.domain.models import ServerModel


class InboxModel(ServerModel):
    """camelCase on the wire, snake_case in Python; unknown fields kept."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)


class InboxCursor(InboxModel):
    """``nextCursor``: passed back as ``cursorId`` + ``cursorTimestamp``; opaque to the client."""

    id: str
    timestamp: str | int | float


class InboxTag(InboxModel):
    id: str
    name: str = ""
    color: str = ""


class InboxProspect(InboxModel):
    """The person on the other side of the DM; tags and the pipeline status belong to them."""

    id: str
    platform_id: str | None = None
    username: str = ""
    display_name: str = ""
    tags: list[InboxTag] = Field(default_factory=list)
    status_id: str | None = None
    notes: str | None = None


class InboxLastMessage(InboxModel):
    id: str
    content: str = ""
    created_at: datetime | None = None
    author_id: str | None = None
    origin: str | None = None


class InboxThread(InboxModel):
    """One DM conversation between one of the team's linked X accounts and one prospect."""

    id: str
    team_id: str | None = None
    platform: str = "twitter"
    external_id: str | None = None
    account_link_id: str | None = None
    done: bool | None = None
    # Corrections: ``active``|``idle`` (activity). The older chosen shape used ``open``|``done``.
    status: str | None = None
    assignee_id: str | None = None
    is_request: bool = False
    is_syncing: bool = False
    last_message: InboxLastMessage | None = None
    last_message_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    prospect: InboxProspect | None = None
    contact: InboxProspect | None = None
    tags: list[InboxTag] = Field(default_factory=list)
    message_count: int | None = None

    @property
    def is_done(self) -> bool:
        """``done`` (corrections) wins; the chosen shape's ``status == "done"`` is the fallback."""
        if self.done is not None:
            return self.done
        return self.status == "done"

    @property
    def person(self) -> InboxProspect | None:
        """The embedded prospect (corrections), or the chosen shape's ``contact``."""
        return self.prospect or self.contact

    @property
    def tag_list(self) -> list[InboxTag]:
        """Tags live on the prospect (corrections); the chosen shape had them on the thread."""
        person = self.person
        if person is not None and person.tags:
            return person.tags
        return self.tags


class InboxMessage(InboxModel):
    """A DM as ``GET /threads/{id}/messages`` and ``POST /threads/{id}/messages`` return it."""

    id: str
    thread_id: str | None = None
    team_id: str | None = None
    platform: str = "twitter"
    user_id: str | None = None
    created_at: datetime
    updated_at: datetime | None = None
    platform_id: str | None = None
    content: str = ""
    campaign_id: str | None = None
    author_id: str | None = None
    origin: str | None = None
    reply_data: Any = None
    forward_data: Any = None
    entities: Any = None
    attachment: Any = None
    reactions: list[Any] = Field(default_factory=list)
    is_encrypted: bool | None = None
    is_edited: bool = False
    deleted_at: datetime | None = None
    platform_deleted_at: datetime | None = None


class InboxThreadList(InboxModel):
    threads: list[InboxThread]
    next_cursor: InboxCursor | None = None


class InboxMessageList(InboxModel):
    messages: list[InboxMessage]
    next_cursor: InboxCursor | None = None
    is_syncing: bool = False


class InboxTeamMember(InboxModel):
    id: str
    name: str = ""
    email: str | None = None


class InboxAccountLink(InboxModel):
    """One of the team's own X accounts; messages it wrote carry its id as ``authorId``."""

    id: str
    platform: str = "twitter"
    username: str = ""
    display_name: str = ""


class InboxTeam(InboxModel):
    """``GET /team``: the token's team (the contract only says it "checks a token"; shape chosen)."""

    id: str
    name: str = ""
    members: list[InboxTeamMember] = Field(
        default_factory=list, validation_alias=AliasChoices("members", "users")
    )
    account_links: list[InboxAccountLink] = Field(default_factory=list)


__all__ = [
    "InboxAccountLink",
    "InboxCursor",
    "InboxLastMessage",
    "InboxMessage",
    "InboxMessageList",
    "InboxModel",
    "InboxProspect",
    "InboxTag",
    "InboxTeam",
    "InboxTeamMember",
    "InboxThread",
    "InboxThreadList",
]
