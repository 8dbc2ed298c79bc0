"""NoxInfluencer behind the ``Provider`` protocol.

A thin adapter: reads go to ``NoxClient``, plans come from ``noxtui.providers.nox_rest.plans``. The only state it
keeps is the last sender list it fetched, so plan summaries can say ``from outreach@brand.com``
instead of an opaque ``sender_auth_id`` without the (pure) plan builders doing any I/O.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from noxtui.domain.attachments import MAX_FILE_BYTES, AttachmentContent, LocalFile
from noxtui.domain.errors import PlanError
from noxtui.domain.models import (
    Attachment,
    AuthStatus,
    CoopStatus,
    CrmChannel,
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
from noxtui.domain.rows import PlainSummaries
from noxtui.providers.base import Capabilities
from noxtui.providers.nox_rest import attachment_plans, crm_plans, plans
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.list_reader import NoxListReader


class NoxProvider:
    """The NoxInfluencer message API: every capability is real on this backend."""

    name = "nox"
    display_name = "NoxInfluencer"
    capabilities = Capabilities(views=("deal", "unread"))

    def __init__(self, client: NoxClient, *, clock: Callable[[], datetime] | None = None) -> None:
        """``clock`` decides "in the future" for schedule plans; pass the app's clock so a demo
        against a sandbox with a pinned time agrees with the server (default: the wall clock)."""
        self.client = client
        self._clock = clock
        self._senders: list[Sender] = []

    def __repr__(self) -> str:
        return f"NoxProvider({self.client!r})"

    # --- reads --------------------------------------------------------------------------------

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        return await self.client.list_threads(query, page=page, page_size=page_size)

    async def list_plain_threads(
        self, query: ThreadQuery, *, page: int = 1, page_size: int = 50
    ) -> PlainSummaries | ThreadPage:
        """What a sync reads (``storage.cache.pager``): plain pages without models, see ``plain_list``."""
        return await self.client.list_plain_threads(query, page=page, page_size=page_size)

    def list_reader(self) -> NoxListReader | None:
        """How a helper process reads this provider's pages during a large sync (``storage.cache.page_readers``);
        ``None`` when the client runs over a test's stand-in transport."""
        recipe = self.client.http.recipe()
        return NoxListReader(recipe) if recipe is not None else None

    async def get_thread(self, thread_id: str) -> Thread:
        return await self.client.get_thread(thread_id)

    async def sibling_projects(self, thread_id: str) -> list[Project]:
        return await self.client.thread_projects(thread_id)

    async def labels(self) -> list[Label]:
        return await self.client.all_labels()

    async def coop_statuses(self) -> list[CoopStatus]:
        return await self.client.coop_statuses()

    async def templates(self, language: str | None = None) -> list[Template]:
        return await self.client.templates(language)

    async def senders(self) -> list[Sender]:
        self._senders = await self.client.senders()
        return list(self._senders)

    async def team_members(self) -> list[TeamMember]:
        return await self.client.creator_filters()

    async def project_options(self, creator_uids: Sequence[str] = ()) -> list[ProjectOption]:
        return await self.client.project_filters(creator_uids)

    async def auth_status(self) -> AuthStatus:
        return await self.client.auth_status()

    async def attachments(self, thread_id: str) -> list[Attachment]:
        return await self.client.attachments(thread_id)

    async def attachment_content(self, thread_id: str, attachment_id: str) -> AttachmentContent:
        return await self.client.attachment_content(thread_id, attachment_id)

    async def email_task(self, task_id: str) -> EmailTask:
        return await self.client.email_task(task_id)

    async def email_report(self, task_id: str) -> EmailReport:
        return await self.client.email_report(task_id)

    async def crm_channel(self, creator_id: str) -> CrmChannel:
        return await self.client.crm_channel(creator_id)

    # --- plans (pure) -------------------------------------------------------------------------

    def plan_labels(self, thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
        return plans.labels_set(thread, label_ids, catalogue)

    def plan_coop(self, thread: ThreadSummary, status: CoopStatus) -> WritePlan:
        return plans.coop_set(thread, status)

    def plan_draft(self, thread: Thread, body: str, sender_auth_id: str | None) -> WritePlan:
        return plans.draft_save(thread, body, sender_auth_id, senders=self._senders)

    def plan_send(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, reply_to_message_id: str | None = None
    ) -> WritePlan:
        return plans.send(thread, body, sender_auth_id, reply_to_message_id, senders=self._senders)

    def plan_schedule(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, plan_send_at: str
    ) -> WritePlan:
        now = self._clock() if self._clock is not None else None
        return plans.schedule(thread, body, sender_auth_id, plan_send_at, now, senders=self._senders)

    def plan_cancel(self, thread: Thread) -> WritePlan:
        return plans.cancel(thread)

    def plan_template_use(
        self, thread: Thread, template: Template, variables: Mapping[str, str] | None = None
    ) -> WritePlan:
        return plans.template_use(thread, template, variables)

    def plan_template_save(self, name: str, language: str, body: str, subject: str | None = None) -> WritePlan:
        return plans.template_save(name, language, body, subject)

    def plan_archive(self, thread: ThreadSummary, siblings: Sequence[Project]) -> WritePlan:
        return plans.archive(thread, siblings)

    def plan_crm_update(self, before: CrmChannel, notes: str | None = None, owner_uid: str | None = None) -> WritePlan:
        return plans.crm_update(before.creator_id, notes, owner_uid, before=before)

    def plan_undo(self, plan: WritePlan) -> WritePlan:
        return plans.inverse(plan)

    def plan_crm_status(self, before: CrmChannel, name: str, status: CoopStatus) -> WritePlan:
        return crm_plans.coop_status(before, name, status)

    def plan_crm_labels(
        self, before: CrmChannel, name: str, label_ids: Sequence[str], catalogue: Sequence[Label]
    ) -> WritePlan:
        return crm_plans.labels(before, name, label_ids, catalogue)

    def plan_crm_email(self, before: CrmChannel, name: str, value: str) -> WritePlan:
        return crm_plans.email(before, name, value)

    def plan_crm_url(self, before: CrmChannel, name: str, value: str) -> WritePlan:
        return crm_plans.url(before, name, value)

    def plan_attachment_upload(self, thread: Thread, file: LocalFile) -> WritePlan:
        return attachment_plans.upload(thread, file)

    def plan_attachment_download(self, thread: Thread, attachment: Attachment, target: str) -> WritePlan:
        return attachment_plans.download(thread, attachment, target)

    def plan_attachment_delete(self, thread: Thread, attachment: Attachment) -> WritePlan:
        return attachment_plans.delete(thread, attachment)

    # --- writes -------------------------------------------------------------------------------

    async def execute(self, plan: WritePlan) -> WriteResult:
        if plan.kind == "attachment_upload":
            return await self._upload(plan)
        return await self.client.execute(plan)

    async def _upload(self, plan: WritePlan) -> WriteResult:
        """A confirmed upload: the file named in the plan is read now and sent as multipart ``file``,
        under the plan's key (a retry resends the same bytes, which the server replays)."""
        source = Path(str((plan.body or {}).get("file", "")))
        if not plan.thread_id or not source.is_absolute():
            raise PlanError("This upload plan names no file", "Attach the file again.")
        try:
            data = await asyncio.to_thread(source.read_bytes)
        except OSError as exc:
            problem = f"Cannot read {source.name}: {exc.strerror or exc}"
            raise PlanError(problem, "Check the file, then attach it again.") from None
        if len(data) > MAX_FILE_BYTES:
            raise PlanError(f"{source.name} grew past 10 MB since it was planned", "Pick a smaller file.")
        content_type = str((plan.body or {}).get("content_type") or "application/octet-stream")
        uploaded = await self.client.upload_attachment(
            plan.thread_id, source.name, data, content_type, idempotency_key=plan.idempotency_key
        )
        return WriteResult(plan=plan, summary=f"Attached {uploaded.filename}", data=uploaded.model_dump())

    async def upload_attachment(
        self, thread_id: str, filename: str, content: bytes, content_type: str = "application/octet-stream"
    ) -> Attachment:
        return await self.client.upload_attachment(thread_id, filename, content, content_type)

    async def aclose(self) -> None:
        await self.client.aclose()
