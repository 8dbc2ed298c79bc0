"""Write plans: a write as it *would* be sent, the dry-run the confirm modal shows, and its result.

Every provider builds these (its own paths and bodies) and every screen shows them the same way; the
diffs are what an undo is built from, without asking the server what the state used to be.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from noxtui.domain.base import CoopStatusRef, HttpMethod, Label

PlanKind = Literal[
    "labels_set",
    "coop_set",
    "draft_save",
    "send",
    "schedule",
    "cancel",
    "template_use",
    "template_save",
    "archive",
    "attachment_upload",
    "attachment_delete",
    "attachment_download",
    "crm_update",
    "status_set",
    "assign",
]


class LabelsDiff(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    added: tuple[Label, ...] = ()
    removed: tuple[Label, ...] = ()
    kept: tuple[Label, ...] = ()


class StatusDiff(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    before: CoopStatusRef | None
    after: CoopStatusRef


class TextDiff(BaseModel):
    """A body before and after (draft save, template use)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    before: str
    after: str


class PlanDiff(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    labels: LabelsDiff | None = None
    status: StatusDiff | None = None
    text: TextDiff | None = None


class WritePlan(BaseModel):
    """A write as it *would* be sent: the dry-run the confirm modal shows in place of ``--force``.

    The idempotency key is minted when the plan is built, so confirming the same plan twice (say,
    after a dropped connection) can never write twice: the server answers the replay with the
    first result.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: PlanKind
    method: HttpMethod
    path: str
    body: dict[str, Any] | None = None
    summary: str
    thread_id: str | None = None
    creator_name: str | None = None
    diff: PlanDiff = Field(default_factory=PlanDiff)
    sender: str | None = None
    send_at: datetime | None = None
    reply_to: str | None = None
    undoable: bool = False
    warnings: tuple[str, ...] = ()
    idempotency_key: str
    provider: str = "nox"
    argv: tuple[str, ...] = ()
    """For a provider that drives a vendor tool: the tool's command line (without ``--force`` and the
    key, which ``y`` adds); ``BODY_FILE`` stands where the body file's path goes. Empty for HTTP."""


BODY_FILE = "<body-file>"
"""The placeholder a plan's ``argv`` carries where the tool is given the body file's path."""


class DryRun(BaseModel):
    """The vendor tool's own dry-run of a plan, as the confirm modal shows it beside the plan.

    ``ok`` False means the tool refused the plan as written: ``y`` must then be refused too, since
    the forced run would be refused the same way (or worse, do something the rep did not see).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    ok: bool
    command: str
    """The exact command line, secrets masked, with the body file's real (temporary) path."""
    body_file: str | None = None
    """The body file's contents exactly as the tool read them."""
    answer: str
    """What the tool printed (its summary and the request it would make), or why it refused."""


class WriteResult(BaseModel):
    """What executing a plan gave back: the server's one-line summary and its data, raw."""

    model_config = ConfigDict(defer_build=True)

    plan: WritePlan
    summary: str
    data: Any = None


__all__ = [
    "BODY_FILE",
    "DryRun",
    "LabelsDiff",
    "PlanDiff",
    "PlanKind",
    "StatusDiff",
    "TextDiff",
    "WritePlan",
    "WriteResult",
]
