"""Every shape that crosses a boundary in noxtui: threads, people, catalogues, context, envelopes.

The contract (``shared/contract/nox.md``) is still being completed by the vendor's documentation, so
the server shapes live here, where a correction touches one place. Server models keep unknown
fields (``extra="allow"``): a newer server must never break an older client.

The shared base and references are in ``base``, write plans in ``plans``; both are re-exported here,
so ``from noxtui.domain.models import WritePlan`` keeps working everywhere.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from noxtui.domain.base import CoopStatusRef, Direction, HttpMethod, Label, ServerModel
from noxtui.domain.plans import (
    BODY_FILE,
    DryRun,
    LabelsDiff,
    PlanDiff,
    PlanKind,
    StatusDiff,
    TextDiff,
    WritePlan,
    WriteResult,
)

T = TypeVar("T")


# --- people and tags ---------------------------------------------------------------------------


class Creator(ServerModel):
    creator_id: str
    name: str
    platform: str = Field(description="youtube | tiktok | instagram (| twitter for the Inbox provider)")
    channel_url: str = ""
    email: str | None = None
    handle: str | None = None


class CoopStatus(ServerModel):
    """An entry of ``message coop-statuses``; ``order`` is the pipeline position."""

    code: str
    name: str
    order: int = 0


class TeamMember(ServerModel):
    """``message creator-filters``: a SaaS team member whose ``user_uid`` feeds ``creator_uids``."""

    user_uid: str
    name: str


class ProjectOption(ServerModel):
    """``message project-filters``: a project usable as ``project_ids`` (form ``email_task:<id>``)."""

    project_id: str
    name: str
    business_kind: str = "email_task"
    business_id: str = ""


class Project(ServerModel):
    """A (sibling) project of a thread's creator, from ``message projects`` or thread metadata."""

    project_id: str
    name: str
    business_kind: str = "email_task"
    business_id: str = ""
    thread_id: str | None = None
    needs_reply: bool | None = None
    last_message_direction: Direction | None = None
    pending_reason: str | None = None


class Sender(ServerModel):
    """A mailbox the team may send from; the CLI requires its ``sender_auth_id`` on every send."""

    sender_auth_id: str
    address: str
    name: str = ""
    provider: str = ""


class Attachment(ServerModel):
    attachment_id: str
    filename: str
    size: int = 0
    content_type: str = "application/octet-stream"


class Template(ServerModel):
    template_id: str
    name: str
    language: str
    subject: str | None = None
    body: str
    attachment_ids: list[str] = Field(default_factory=list)


class RenderedTemplate(ServerModel):
    """What ``templates use`` returns: the rendered text, already stored as the thread's draft."""

    subject: str | None = None
    body: str


# --- threads -----------------------------------------------------------------------------------


class MessageSender(ServerModel):
    name: str = ""
    address: str = ""


class Message(ServerModel):
    message_id: str
    direction: Direction
    sender: MessageSender = Field(default_factory=MessageSender)
    sent_at: datetime
    subject: str | None = None
    body_text: str = ""
    attachments: list[Attachment] = Field(default_factory=list)


class ScheduledReply(ServerModel):
    plan_send_at: datetime
    content: str
    sender_auth_id: str


class Composer(ServerModel):
    """The thread's server-side composer state, embedded in ``message get``."""

    draft_body: str = ""
    sender_auth_id: str | None = None
    attachment_ids: list[str] = Field(default_factory=list)
    updated_at: datetime | None = None
    scheduled: ScheduledReply | None = None


class ThreadMetadata(ServerModel):
    labels: list[Label] = Field(default_factory=list)
    coop_status: CoopStatusRef | None = None
    projects: list[Project] = Field(default_factory=list)


class ThreadSummary(ServerModel):
    """One row of ``message list``. ``needs_reply`` and direction, not unread, decide what needs action."""

    thread_id: str
    business_kind: str = ""
    business_id: str = ""
    project_ids: list[str] = Field(default_factory=list)
    creator: Creator
    subject: str = ""
    snippet: str = ""
    last_message_at: datetime
    last_message_direction: Direction
    needs_reply: bool
    pending_reason: str | None = None
    labels: list[Label] = Field(default_factory=list)
    coop_status: CoopStatusRef | None = None
    owner_uid: str | None = None
    message_count: int = 0
    has_draft: bool = False
    scheduled_at: datetime | None = None
    updated_at: datetime | None = None


class Thread(ThreadSummary):
    """``message get``: the summary plus the conversation, the composer and the metadata."""

    messages: list[Message] = Field(default_factory=list)
    composer: Composer = Field(default_factory=Composer)
    metadata: ThreadMetadata = Field(default_factory=ThreadMetadata)


class ThreadPage(BaseModel):
    """One page of threads with the server's count of all matches."""

    model_config = ConfigDict(defer_build=True)

    threads: list[ThreadSummary]
    page: int
    page_size: int
    total: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


class ThreadQuery(BaseModel):
    """The filters of ``message list``; ``None`` means "any". Immutable so it can key caches."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    needs_reply: bool | None = None
    last_message_direction: Direction | None = None
    business_kind: str | None = None
    business_id: str | None = None
    project_ids: tuple[str, ...] = ()
    creator_uids: tuple[str, ...] = ()
    label_id: str | None = None
    coop_status: str | None = None
    keyword: str | None = None
    updated_since: datetime | None = None
    view: (
        Literal["deal", "unread", "draft", "scheduled"]
        | Literal["no-reply", "no-reply-oldest", "requests", "untagged", "unassigned", "no-status"]
        | None
    ) = None
    """The NoxInfluencer tool's ``--status`` views (``deal``: the creator wrote last; never the same
    as unread). Served by the tool; the REST sandbox takes them as ``view``. Inbox's own views
    (``no-reply``…) are its ``inbox`` lists and ``filters`` (``providers/inbox/triage.py``)."""

    def to_params(self) -> dict[str, str]:
        """Query parameters exactly as the contract names them (``status`` carries the coop code)."""
        params: dict[str, str] = {}
        if self.needs_reply is not None:
            params["needs_reply"] = "true" if self.needs_reply else "false"
        if self.last_message_direction:
            params["last_message_direction"] = self.last_message_direction
        if self.business_kind:
            params["business_kind"] = self.business_kind
        if self.business_id:
            params["business_id"] = self.business_id
        if self.project_ids:
            params["project_ids"] = ",".join(self.project_ids)
        if self.creator_uids:
            params["creator_uids"] = ",".join(self.creator_uids)
        if self.label_id:
            params["label_id"] = self.label_id
        if self.coop_status:
            params["status"] = self.coop_status
        if self.keyword and self.keyword.strip():
            params["keyword"] = self.keyword.strip()
        if self.updated_since is not None:
            params["updated_since"] = self.updated_since.isoformat()
        if self.view:
            params["view"] = self.view
        return params


# --- email task and CRM context -----------------------------------------------------------------


class EmailTask(ServerModel):
    task_id: str
    name: str
    subject: str = ""
    status: str = ""
    sender_auth_id: str | None = None
    sender_address: str | None = None
    recipient_count: int = 0
    scheduled_at: datetime | None = None
    sent_at: datetime | None = None


class EmailReport(ServerModel):
    """Three different numbers that must never be conflated (contract fact)."""

    task_id: str
    reply_count: int = Field(description="email tracking replies")
    replied_creator_count: int = Field(description="creators who replied")
    inbound_message_count: int = Field(description="inbound reply messages")


class CrmChannel(ServerModel):
    creator_id: str
    coop_status: CoopStatusRef | None = None
    labels: list[Label] = Field(default_factory=list)
    owner_uid: str | None = None
    email: str | None = None
    url: str = ""
    notes: str = ""


class AuthUser(ServerModel):
    uid: str
    name: str = ""
    team: str = ""


class AuthStatus(ServerModel):
    authenticated: bool
    user: AuthUser | None = None


# --- envelopes ---------------------------------------------------------------------------------


class PageMeta(ServerModel):
    page: int | None = None
    page_size: int | None = None
    total: int | None = None
    request_id: str | None = None


class Envelope(ServerModel, Generic[T]):
    """The success envelope: ``{"success": true, "data", "summary", "meta"}``."""

    success: Literal[True] = True
    data: T
    summary: str = ""
    meta: PageMeta = Field(default_factory=PageMeta)


class ErrorAction(ServerModel):
    type: str = "redirect"
    url: str | None = None
    hint: str | None = None


class ErrorEnvelope(ServerModel):
    """The error envelope: ``{"success": false, "error_code", "summary", "action"?}``."""

    success: Literal[False] = False
    error_code: str
    summary: str = ""
    action: ErrorAction | None = None
    data: dict[str, Any] | None = None


__all__ = [
    "BODY_FILE",
    "Attachment",
    "AuthStatus",
    "AuthUser",
    "Composer",
    "CoopStatus",
    "CoopStatusRef",
    "Creator",
    "CrmChannel",
    "Direction",
    "DryRun",
    "EmailReport",
    "EmailTask",
    "Envelope",
    "ErrorAction",
    "ErrorEnvelope",
    "HttpMethod",
    "Label",
    "LabelsDiff",
    "Message",
    "MessageSender",
    "PageMeta",
    "PlanDiff",
    "PlanKind",
    "Project",
    "ProjectOption",
    "RenderedTemplate",
    "ScheduledReply",
    "Sender",
    "ServerModel",
    "StatusDiff",
    "TeamMember",
    "Template",
    "TextDiff",
    "Thread",
    "ThreadMetadata",
    "ThreadPage",
    "ThreadQuery",
    "ThreadSummary",
    "WritePlan",
    "WriteResult",
]
