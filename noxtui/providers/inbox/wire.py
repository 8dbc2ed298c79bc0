"""Inbox API v1 wire shapes, written field by field from the vendor's OpenAPI 3.1 document.

The authority is the document (``InboxHQ/n8n-nodes-inboxapp``, ``nodes/InboxApp/openapi.json``);
the components it names are ``Prospect``, ``Thread``, ``Message``, ``AccountLink``, ``Team``,
``Member``, ``Status`` and ``Tag``, and the operations add a few envelopes (thread and message
pages, the prospect's ``context``, the event feed). They stay in this module and never leak past
the provider: ``mapping`` turns them into the shared models the screens know, so a v2 provider can
sit beside this one with its own ``wire.py``.

How strictly: a field the document marks required *and* noxtui needs to show or address something
is required here (a thread's ``id``, a message's ``createdAt``…), so a payload without it is a
``ProtocolError`` rather than a wrong screen. A required field noxtui does not use has a default,
so a server that trims it breaks nothing. Nullable fields are ``X | None``. Unknown fields are
kept (``extra="allow"``): a newer server must never break an older client.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from noxtui.domain.models import ServerModel


class InboxModel(ServerModel):
    """camelCase on the wire, snake_case in Python; unknown fields kept."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)


class InboxCursor(InboxModel):
    """``nextCursor {timestamp, id}``: passed back as ``cursorId`` + ``cursorTimestamp``."""

    id: str
    timestamp: str


class InboxTag(InboxModel):
    """``Tag``: a label for prospects."""

    id: str
    name: str = ""
    color: str = ""


class InboxStatus(InboxModel):
    """``Status``: a pipeline stage of a prospect (``color`` nullable)."""

    id: str
    name: str = ""
    color: str | None = None
    created_at: datetime | None = None


class InboxProspectThread(InboxModel):
    """One of ``context.threads``: the prospect's threads across the team's accounts."""

    id: str
    account_link_id: str
    last_message_timestamp: datetime | None = None
    created_at: datetime | None = None


class InboxProspectContext(InboxModel):
    """``prospect.context``: what the team keeps about the prospect (tag *ids*, status, notes, value)."""

    tags: list[str] = Field(default_factory=list)
    status_id: str | None = None
    valuation: float | None = None
    notes: str | None = None
    threads: list[InboxProspectThread] | None = None


class InboxProspect(InboxModel):
    """``Prospect`` (+ ``context``): the X profile on the other side of a DM.

    There is no ``id``: the Inbox id is ``externalId``, null until the prospect is imported, and
    ``platformId`` is X's own user id.
    """

    platform: str = "twitter"
    platform_id: str = ""
    external_id: str | None = None
    document_id: float | None = None
    display_name: str = ""
    username: str = ""
    handle: str = ""
    image: str | None = None
    image_normalized: str | None = None
    bio: str | None = None
    location: str | None = None
    profile_url: str = ""
    website_url: str | None = None
    website_domain: str | None = None
    verified: str = "none"
    profile_type: str = "personal"
    is_protected: bool = False
    follower_count: float = 0
    following_count: float = 0
    post_count: float = 0
    engagement_count: float | None = None
    listed_count: float | None = None
    platform_created_at: datetime | None = None
    first_seen_at: datetime | None = None
    last_updated_at: datetime | None = None
    last_enriched_at: datetime | None = None
    last_active_at: datetime | None = None
    source: str | None = None
    is_fresh: bool | None = None
    is_stale: bool | None = None
    confidence: float | None = None
    platform_data: dict[str, Any] | None = None
    context: InboxProspectContext = Field(default_factory=InboxProspectContext)


class InboxLastMessage(InboxModel):
    """``Thread.lastMessage``: the preview; no ``origin`` here, but ``userId`` and ``campaignId``."""

    id: str
    content: str = ""
    author_id: str
    created_at: datetime
    user_id: str | None = None
    campaign_id: str | None = None


class InboxThread(InboxModel):
    """``Thread``: one DM conversation between one of the team's X accounts and one prospect."""

    id: str
    platform: str = "twitter"
    platform_id: str = ""
    done: bool
    assignee_id: str | None = None
    last_message_timestamp: datetime | None = None
    computed_sort_timestamp: datetime | None = None
    created_at: datetime
    status: Literal["active", "idle"] | str = "active"
    variant: str = "unencrypted"
    account_link_id: str
    is_syncing: bool = False
    is_request: bool = False
    typing_indicators_enabled: bool | None = None
    last_message: InboxLastMessage | None = None
    prospect: InboxProspect


class InboxMessage(InboxModel):
    """``Message``: a DM as ``GET``/``POST /threads/{id}/messages`` return it."""

    platform: str = "twitter"
    team_id: str = ""
    thread_id: str = ""
    id: str
    user_id: str | None = None
    created_at: datetime
    updated_at: datetime | None = None
    platform_id: str | None = None
    content: str = ""
    campaign_id: str | None = None
    author_id: str
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
    """``GET /threads``: ``{threads, nextCursor}`` (both required; the cursor nullable)."""

    threads: list[InboxThread]
    next_cursor: InboxCursor | None


class InboxMessageList(InboxModel):
    """``GET /threads/{id}/messages``: ``{teamId, threadId, messages, nextCursor, isSyncing}``."""

    team_id: str = ""
    thread_id: str = ""
    messages: list[InboxMessage]
    next_cursor: InboxCursor | None
    is_syncing: bool = False


class InboxMember(InboxModel):
    """``Member``: who can be assigned (``id``); ``userId`` is what messages carry as ``userId``."""

    id: str
    user_id: str = ""
    name: str | None = None
    email: str = ""
    image: str | None = None
    role: str = "user"


class InboxAccountLink(InboxModel):
    """``AccountLink``: one of the team's own X accounts; its ``id`` is ``authorId`` on our messages."""

    id: str
    platform: str = "twitter"
    platform_id: str = ""
    name: str = ""
    username: str = ""
    image: str = ""
    created_at: datetime | None = None
    status: str = "active"
    synced_at: datetime | None = None


class InboxTeam(InboxModel):
    """``Team`` (``GET /team``): the token's team; noxtui uses it only to check the token."""

    id: str
    name: str = ""
    slug: str = ""
    currency: str = "USD"


class InboxEvent(InboxModel):
    """One change of ``GET /events`` (kept 7 days); ``data`` is left open by the document."""

    id: str
    seq: int
    team_id: str = ""
    type: str
    timestamp: datetime | None = None
    version: str = "1.0"
    data: Any = None


class InboxEventList(InboxModel):
    """``GET /events``: ``{events, hasMore, lastSeq}``; ``lastSeq`` is the next ``afterSeq``."""

    events: list[InboxEvent]
    has_more: bool
    last_seq: int | None


__all__ = [
    "InboxAccountLink",
    "InboxCursor",
    "InboxEvent",
    "InboxEventList",
    "InboxLastMessage",
    "InboxMember",
    "InboxMessage",
    "InboxMessageList",
    "InboxModel",
    "InboxProspect",
    "InboxProspectContext",
    "InboxProspectThread",
    "InboxStatus",
    "InboxTag",
    "InboxTeam",
    "InboxThread",
    "InboxThreadList",
]
