"""NoxInfluencer behind the ``Provider`` protocol.

A thin adapter: reads go to ``NoxClient``, plans come from ``noxtui.providers.nox_rest.plans``. The only state it
keeps is the last sender list it fetched, so plan summaries can say ``from outreach@brand.com``
instead of an opaque ``sender_auth_id`` without the (pure) plan builders doing any I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

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
from noxtui.providers.base import Capabilities
from noxtui.providers.nox_rest import plans
from noxtui.providers.nox_rest.client import NoxClient


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

    def plan_crm_update(
        self, before: CrmChannel, notes: str | None = None, owner_uid: str | None = None
    ) -> WritePlan:
        return plans.crm_update(before.creator_id, notes, owner_uid, before=before)

    def plan_undo(self, plan: WritePlan) -> WritePlan:
        return plans.inverse(plan)

    # --- writes -------------------------------------------------------------------------------

    async def execute(self, plan: WritePlan) -> WriteResult:
        return await self.client.execute(plan)

    async def upload_attachment(
        self, thread_id: str, filename: str, content: bytes, content_type: str = "application/octet-stream"
    ) -> Attachment:
        return await self.client.upload_attachment(thread_id, filename, content, content_type)

    async def aclose(self) -> None:
        await self.client.aclose()
