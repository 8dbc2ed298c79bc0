"""The seam between the screens and a message backend.

Screens talk to a ``Provider`` and nothing else, the way Harlequin's adapters hide each database.
``Provider`` is what every backend does; each further ability is a capability protocol below
(``Scheduling``, ``Crm``…) that a provider satisfies only by really having its methods, so the app
asks ``isinstance(provider, Scheduling)`` and a backend without it has nothing to fake (Inbox has no
server drafts and no scheduling, for example). ``Capabilities`` keeps the traits that are not
actions: ``exact_totals``, ``keyword_filter``, ``attachments`` and the panel titles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from noxtui.domain.attachments import AttachmentContent, LocalFile
from noxtui.domain.models import (
    Attachment,
    AuthStatus,
    CoopStatus,
    CrmChannel,
    DryRun,
    EmailReport,
    EmailTask,
    Label,
    Project,
    ProjectOption,
    Sender,
    TeamMember,
    Template,
    Thread,
    ThreadPage,
    ThreadQuery,
    ThreadSummary,
    WritePlan,
    WriteResult,
)


@dataclass(frozen=True)
class Capabilities:
    """A provider's traits that are not actions (actions are the capability protocols below)."""

    keyword_filter: bool = True
    attachments: bool = True
    exact_totals: bool = True
    """False when a page's ``total`` is only what is known so far (cursor APIs): walk ``has_more``."""
    labels_title: str = "Labels"
    status_title: str = "Coop status"
    server_row_filters: bool = True
    """False when the backend cannot filter ``needs_reply``, direction or the keyword (the vendor
    CLI): the app answers those from the synced cache and asks the backend only the rest."""
    updated_since: bool = True
    """False when the backend cannot list "changed since" (the vendor CLI): an incremental sync
    re-reads the newest pages until it meets rows the cache already holds unchanged."""
    max_page_size: int = 100
    """The largest page the backend serves; a sync pages at this size."""
    views: tuple[str, ...] = ()
    """The server-side list views offered beside needs-reply (``deal``, ``unread``)."""
    missing_filters: frozenset[str] = frozenset()
    """List filters this backend (as installed) lacks: ``label``, ``coop_status``, ``projects``,
    ``members``, ``task``, ``view``. Their keys are hidden, as for a missing capability."""


@runtime_checkable
class Provider(Protocol):
    """What every message backend does: list and read threads, labels and a status, send, execute.

    Reads are async; plan builders are pure and send nothing. Anything more a backend can do is a
    capability protocol below: a provider implements the methods it really has, and the app asks
    ``isinstance(provider, Scheduling)`` (say) before offering the action, so nothing is faked by a
    stub that raises.
    """

    name: str
    display_name: str
    capabilities: Capabilities

    # reads
    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage: ...
    async def get_thread(self, thread_id: str) -> Thread: ...
    async def labels(self) -> list[Label]: ...
    async def coop_statuses(self) -> list[CoopStatus]: ...
    async def auth_status(self) -> AuthStatus: ...

    # plans (dry-runs): raise PlanError on bad input, never touch the network
    def plan_labels(self, thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan: ...
    def plan_coop(self, thread: ThreadSummary, status: CoopStatus) -> WritePlan: ...
    def plan_send(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, reply_to_message_id: str | None = None
    ) -> WritePlan: ...

    def plan_undo(self, plan: WritePlan) -> WritePlan:
        """The inverse of an undoable plan (labels, status), built from its diff; PlanError otherwise."""
        ...

    # the --force
    async def execute(self, plan: WritePlan) -> WriteResult: ...

    async def aclose(self) -> None: ...


# --- capabilities: each one a protocol a provider implements only when its backend has it ---------


@runtime_checkable
class ServerDrafts(Protocol):
    """Drafts kept on the server (the composer keeps a local copy either way)."""

    def plan_draft(self, thread: Thread, body: str, sender_auth_id: str | None) -> WritePlan: ...


@runtime_checkable
class Scheduling(Protocol):
    """Replies sent later by the server, and cancelling them."""

    def plan_schedule(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, plan_send_at: str
    ) -> WritePlan: ...
    def plan_cancel(self, thread: Thread) -> WritePlan: ...


@runtime_checkable
class ServerTemplates(Protocol):
    """Reply templates stored on the server."""

    async def templates(self, language: str | None = None) -> list[Template]: ...
    def plan_template_use(
        self, thread: Thread, template: Template, variables: Mapping[str, str] | None = None
    ) -> WritePlan: ...
    def plan_template_save(self, name: str, language: str, body: str, subject: str | None = None) -> WritePlan: ...


@runtime_checkable
class SiblingProjects(Protocol):
    """The other projects (threads) the same creator is in."""

    async def sibling_projects(self, thread_id: str) -> list[Project]: ...


@runtime_checkable
class ProjectFilter(Protocol):
    """Filtering the list by project or email task."""

    async def project_options(self, creator_uids: Sequence[str] = ()) -> list[ProjectOption]: ...


@runtime_checkable
class TeamFilter(Protocol):
    """Filtering the list by team member (owner or assignee)."""

    async def team_members(self) -> list[TeamMember]: ...


@runtime_checkable
class Senders(Protocol):
    """A choice of sending account per reply."""

    async def senders(self) -> list[Sender]: ...


@runtime_checkable
class EmailTasks(Protocol):
    """Email tasks and their reports, around a thread that belongs to one."""

    async def email_task(self, task_id: str) -> EmailTask: ...
    async def email_report(self, task_id: str) -> EmailReport: ...


@runtime_checkable
class Crm(Protocol):
    """The creator's CRM channel: notes and owner."""

    async def crm_channel(self, creator_id: str) -> CrmChannel: ...
    def plan_crm_update(
        self, before: CrmChannel, notes: str | None = None, owner_uid: str | None = None
    ) -> WritePlan: ...


@runtime_checkable
class CrmFields(Protocol):
    """A CRM channel's coop status, labels, email and URL (beyond notes and owner), each a plan."""

    def plan_crm_status(self, before: CrmChannel, name: str, status: CoopStatus) -> WritePlan: ...
    def plan_crm_labels(
        self, before: CrmChannel, name: str, label_ids: Sequence[str], catalogue: Sequence[Label]
    ) -> WritePlan: ...
    def plan_crm_email(self, before: CrmChannel, name: str, value: str) -> WritePlan: ...
    def plan_crm_url(self, before: CrmChannel, name: str, value: str) -> WritePlan: ...


@runtime_checkable
class DraftAttachments(Protocol):
    """Files on a thread's draft: listed, attached and removed, each write a plan."""

    async def attachments(self, thread_id: str) -> list[Attachment]: ...
    def plan_attachment_upload(self, thread: Thread, file: LocalFile) -> WritePlan: ...
    def plan_attachment_delete(self, thread: Thread, attachment: Attachment) -> WritePlan: ...


@runtime_checkable
class AttachmentDownloads(Protocol):
    """A message's (or the draft's) file with its bytes, to save on the rep's disk."""

    async def attachment_content(self, thread_id: str, attachment_id: str) -> AttachmentContent: ...
    def plan_attachment_download(self, thread: Thread, attachment: Attachment, target: str) -> WritePlan: ...


@runtime_checkable
class Archive(Protocol):
    """Archiving a thread as its own action (separate from a status)."""

    def plan_archive(self, thread: ThreadSummary, siblings: Sequence[Project]) -> WritePlan: ...


@runtime_checkable
class Assignment(Protocol):
    """Assigning a thread to a team member (``None``: unassign it)."""

    def plan_assign(self, thread: ThreadSummary, member: TeamMember | None) -> WritePlan: ...


@runtime_checkable
class Valuation(Protocol):
    """A money value on the creator's CRM record (Inbox's prospect valuation), set like its notes."""

    def plan_valuation(self, before: CrmChannel, valuation: float | None) -> WritePlan: ...


@runtime_checkable
class DryRunning(Protocol):
    """A backend whose own tool can dry-run a plan (the vendor CLI without ``--force``).

    The confirm modal shows the answer beside the plan and refuses ``y`` when the dry-run failed.
    """

    async def dry_run(self, plan: WritePlan) -> DryRun: ...


@runtime_checkable
class QuietSummaries(Protocol):
    """Fresh list rows for given threads without reading them: where ``get_thread`` can mark a
    thread read upstream (the vendor CLI), a batch plans from these instead."""

    async def summaries(self, thread_ids: Sequence[str]) -> list[ThreadSummary]: ...
