"""The app's window onto a provider: paged thread loading, catalogues, and unsent text.

Screens call this from workers; it never touches widgets. Catalogues (labels, statuses, senders…)
change rarely, so they are fetched once and refreshed on ``r``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from noxtui.domain.errors import NotFoundError, OfflineError, TransportError
from noxtui.domain.models import (
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
    ThreadQuery,
    WritePlan,
    WriteResult,
)
from noxtui.domain.rows import ThreadRow, row_from_summary
from noxtui.providers.base import Provider
from noxtui.storage.cache import CacheScope, SyncEngine, SyncReport, ThreadCache
from noxtui.storage.drafts import LocalDraft, LocalDrafts


@dataclass
class Catalogues:
    """Everything the pickers and panels list; empty until ``load_catalogues``."""

    labels: list[Label] = field(default_factory=list)
    statuses: list[CoopStatus] = field(default_factory=list)
    senders: list[Sender] = field(default_factory=list)
    members: list[TeamMember] = field(default_factory=list)
    projects: list[ProjectOption] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)


@dataclass
class RowBatch:
    """A page of rows as it arrives, with the server's count of every match."""

    rows: list[ThreadRow]
    total: int
    first: bool


class InboxService:
    """State and I/O for the inbox screen, owned by the app."""

    def __init__(
        self,
        provider: Provider,
        *,
        drafts: LocalDrafts | None = None,
        cache: ThreadCache | None = None,
        scope: CacheScope | None = None,
        page_size: int = 100,
        concurrency: int = 4,
    ) -> None:
        self.provider = provider
        self.drafts = drafts
        self.cache = cache if scope is not None else None
        self.scope = scope
        self.sync_engine = SyncEngine(provider, cache, scope, page_size=page_size, concurrency=concurrency) if self.cache is not None and scope is not None else None
        self.online: bool | None = None
        """``None`` until the server answered or failed once; ``False`` means writes are refused."""
        self.last_sync: datetime | None = None
        self._failed_plans: dict[str, WritePlan] = {}
        self.page_size = page_size
        self.concurrency = concurrency
        self.catalogues = Catalogues()
        self._unsent_in_memory: dict[str, LocalDraft] = {}
        self.undo_stack: list[list[WritePlan]] = []

    @property
    def capabilities(self):  # noqa: ANN201 - re-exported for screens
        return self.provider.capabilities

    async def load_catalogues(self) -> Catalogues:
        """Fetch what the panels need, concurrently; a capability the provider lacks stays empty."""
        caps = self.provider.capabilities

        async def empty() -> list:
            return []

        labels, statuses, senders, members, projects, templates = await asyncio.gather(
            self.provider.labels(),
            self.provider.coop_statuses(),
            self.provider.senders() if caps.senders else empty(),
            self.provider.team_members() if caps.team_filter else empty(),
            self.provider.project_options() if caps.project_filter else empty(),
            self.provider.templates(),
        )
        self.catalogues = Catalogues(
            labels=list(labels),
            statuses=sorted(statuses, key=lambda s: s.order),
            senders=list(senders),
            members=list(members),
            projects=list(projects),
            templates=list(templates),
        )
        return self.catalogues

    async def reload_templates(self) -> list[Template]:
        self.catalogues.templates = list(await self.provider.templates())
        return self.catalogues.templates

    async def stream_rows(self, query: ThreadQuery) -> AsyncIterator[RowBatch]:
        """Yield the first page at once, then the rest in order, fetched a few at a time."""
        first = await self.provider.list_threads(query, page=1, page_size=self.page_size)
        yield RowBatch([row_from_summary(t) for t in first.threads], first.total, True)
        if not self.provider.capabilities.exact_totals:
            # A cursor API knows the total only at the end: walk page by page while there is more.
            page, current = 1, first
            while current.has_more:
                page += 1
                current = await self.provider.list_threads(query, page=page, page_size=self.page_size)
                yield RowBatch([row_from_summary(t) for t in current.threads], current.total, False)
            return
        pages = -(-first.total // self.page_size)
        if pages <= 1:
            return
        gate = asyncio.Semaphore(self.concurrency)

        async def fetch(page: int) -> list[ThreadRow]:
            async with gate:
                result = await self.provider.list_threads(query, page=page, page_size=self.page_size)
            return [row_from_summary(t) for t in result.threads]

        tasks = [asyncio.ensure_future(fetch(page)) for page in range(2, pages + 1)]
        try:
            for task in tasks:
                yield RowBatch(await task, first.total, False)
        finally:
            for task in tasks:
                task.cancel()

    # --- cache and sync ---------------------------------------------------------------------------

    @property
    def cached(self) -> bool:
        return self.cache is not None

    def cached_rows(self, query: ThreadQuery) -> list[ThreadRow]:
        """Rows from the local cache for ``query``: what the list paints before any network answer."""
        if self.cache is None or self.scope is None:
            return []
        return self.cache.rows(self.scope, query)

    def has_synced(self) -> bool:
        return self.cache is not None and self.scope is not None and self.cache.watermark(self.scope) is not None

    async def sync(self) -> SyncReport:
        """One sync pass (full the first time, then ``updated_since``); tracks whether we are online."""
        assert self.sync_engine is not None
        try:
            report = await self.sync_engine.sync()
        except TransportError:
            self.online = False
            raise
        self.online = True
        self.last_sync = datetime.now().astimezone()
        return report

    async def server_total(self, query: ThreadQuery) -> int:
        """How many threads the server matches for ``query`` (one small request)."""
        page = await self.provider.list_threads(query, page=1, page_size=1)
        self.online = True
        return page.total

    async def open_thread(self, thread_id: str) -> tuple[Thread, datetime | None]:
        """The thread from the server (kept in the cache), or the cached copy and its age when offline."""
        try:
            thread = await self.provider.get_thread(thread_id)
        except TransportError:
            self.online = False
            if self.cache is not None and self.scope is not None:
                cached = self.cache.load_thread(self.scope, thread_id)
                if cached is not None:
                    return cached
            raise
        self.online = True
        if self.cache is not None and self.scope is not None:
            self.cache.save_thread(self.scope, thread)
        return thread, None

    def refuse_if_offline(self) -> None:
        """Writes are never queued: while offline they are refused, with what to do instead."""
        if self.online is False:
            raise OfflineError("You are offline, so nothing was sent or queued")

    async def siblings(self, thread_id: str) -> list[Project]:
        if not self.provider.capabilities.sibling_projects:
            return []
        return await self.provider.sibling_projects(thread_id)

    async def email_context(self, task_id: str) -> tuple[EmailTask, EmailReport]:
        task, report = await asyncio.gather(self.provider.email_task(task_id), self.provider.email_report(task_id))
        return task, report

    async def crm(self, creator_id: str) -> CrmChannel | None:
        """The creator's CRM channel, or ``None`` when the creator has none (a real state, not an error)."""
        try:
            return await self.provider.crm_channel(creator_id)
        except NotFoundError:
            return None

    async def execute(self, plan: WritePlan) -> WriteResult:
        return await self.provider.execute(plan)

    @staticmethod
    def _fingerprint(plan: WritePlan) -> str:
        """The write's identity for retry purposes: the same text to the same place. The sender is left
        out on purpose: a reload may preselect another sender, and that must not make it a new send."""
        import json

        body = {k: v for k, v in (plan.body or {}).items() if k != "sender_auth_id"}
        return json.dumps([plan.kind, plan.method, plan.path, body], sort_keys=True, default=str)

    def remember_failed(self, plan: WritePlan) -> None:
        """A write failed (its answer may be lost): the same write again must be that same request."""
        self._failed_plans[self._fingerprint(plan)] = plan

    def with_retry_key(self, plan: WritePlan) -> WritePlan:
        """For the very write that failed before, return that earlier plan (same body, same
        Idempotency-Key): the server replays the first result if it did commit, never writes twice."""
        return self._failed_plans.get(self._fingerprint(plan), plan)

    def forget_failed(self, plan: WritePlan) -> None:
        self._failed_plans.pop(self._fingerprint(plan), None)

    def record_done(self, plans: Sequence[WritePlan]) -> None:
        """Remember an applied label/status change (single or batch) so ``u`` can undo it."""
        undoable = [plan for plan in plans if plan.undoable]
        if undoable:
            self.undo_stack.append(undoable)
            del self.undo_stack[:-20]

    def sender_address(self, sender_auth_id: str | None) -> str:
        """The address behind a sender id, for the confirm modal; the id itself when unknown."""
        for sender in self.catalogues.senders:
            if sender.sender_auth_id == sender_auth_id:
                return f"{sender.name} <{sender.address}>" if sender.name else sender.address
        return sender_auth_id or "(no sender)"

    def remember_unsent(self, thread_id: str, text: str, server_draft: str) -> None:
        """Keep text the rep typed but has not saved: on disk when there is a drafts store."""
        if self.drafts is not None:
            self.drafts.save(thread_id, text, server_draft)
        elif text != server_draft:
            from datetime import datetime, timezone

            self._unsent_in_memory[thread_id] = LocalDraft(text, server_draft, datetime.now(timezone.utc))
        else:
            self._unsent_in_memory.pop(thread_id, None)

    def unsent(self, thread_id: str) -> LocalDraft | None:
        if self.drafts is not None:
            return self.drafts.load(thread_id)
        return self._unsent_in_memory.get(thread_id)

    def forget_unsent(self, thread_id: str) -> None:
        """The server holds the text now (saved, sent, scheduled, or replaced by a template)."""
        if self.drafts is not None:
            self.drafts.discard(thread_id)
        self._unsent_in_memory.pop(thread_id, None)

    def labels_named(self, ids: Sequence[str]) -> list[Label]:
        wanted = set(ids)
        return [label for label in self.catalogues.labels if label.label_id in wanted]
