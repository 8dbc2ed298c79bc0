"""The app's window onto a provider: paged thread loading, catalogues, sync, and unsent text.

Screens call this from workers; it never touches widgets. Catalogues (labels, statuses, senders…)
change rarely, so they are fetched once and refreshed on ``r``. Writes go through ``writes``
(``services/writes.py``), the context panels' reads through ``context`` (``services/context.py``);
both are built here, per account, so a screen needs nothing but its service.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from noxtui.domain.errors import TransportError
from noxtui.domain.models import (
    CoopStatus,
    Label,
    ProjectOption,
    Sender,
    TeamMember,
    Template,
    Thread,
    ThreadQuery,
    WritePlan,
)
from noxtui.domain.rows import ThreadRow, row_from_summary
from noxtui.providers.base import Capabilities, ProjectFilter, Provider, Senders, ServerTemplates, TeamFilter
from noxtui.services.context import ContextService
from noxtui.services.writes import WriteService
from noxtui.storage.cache import CacheScope, SyncEngine, SyncReport, ThreadCache
from noxtui.storage.cache.sync import ProgressSink
from noxtui.storage.drafts import LocalDraft, LocalDrafts


async def _nothing() -> list[Any]:
    """What a capability the provider lacks contributes to the catalogues."""
    return []


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
        sync_page = provider.capabilities.max_page_size
        self.sync_engine = (
            SyncEngine(provider, self.cache, scope, page_size=sync_page, concurrency=concurrency)
            if self.cache is not None and scope is not None
            else None
        )
        self.online: bool | None = None
        """``None`` until the server answered or failed once; ``False`` means writes are refused."""
        self.last_sync: datetime | None = None
        self.page_size = page_size
        self.concurrency = concurrency
        self.catalogues = Catalogues()
        self._unsent_in_memory: dict[str, LocalDraft] = {}
        self._supports: dict[type, bool] = {}
        self.writes = WriteService(provider, is_offline=lambda: self.online is False)
        self.context = ContextService(provider)

    @property
    def capabilities(self) -> Capabilities:
        """The provider's traits (exact totals, keyword search, what it calls labels and statuses)."""
        return self.provider.capabilities

    def supports(self, capability: type) -> bool:
        """Whether the provider implements a capability protocol (``Scheduling``, ``Crm``…).

        Asked on every footer refresh, so the answer is kept: a provider's methods do not change.
        """
        known = self._supports.get(capability)
        if known is None:
            known = self._supports[capability] = isinstance(self.provider, capability)
        return known

    @property
    def undo_stack(self) -> list[list[WritePlan]]:
        """Applied label/status changes ``u`` can walk back (kept by the write service)."""
        return self.writes.undo_stack

    async def load_catalogues(self) -> Catalogues:
        """Fetch what the panels need, concurrently; a capability the provider lacks stays empty."""
        provider = self.provider
        senders: Awaitable[list[Sender]] = provider.senders() if isinstance(provider, Senders) else _nothing()
        members: Awaitable[list[TeamMember]] = (
            provider.team_members() if isinstance(provider, TeamFilter) else _nothing()
        )
        projects: Awaitable[list[ProjectOption]] = (
            provider.project_options() if isinstance(provider, ProjectFilter) else _nothing()
        )
        templates: Awaitable[list[Template]] = (
            provider.templates() if isinstance(provider, ServerTemplates) else _nothing()
        )
        labels, statuses, sender_list, member_list, project_list, template_list = await asyncio.gather(
            provider.labels(), provider.coop_statuses(), senders, members, projects, templates
        )
        self.catalogues = Catalogues(
            labels=list(labels),
            statuses=sorted(statuses, key=lambda s: s.order),
            senders=list(sender_list),
            members=list(member_list),
            projects=list(project_list),
            templates=list(template_list),
        )
        return self.catalogues

    async def reload_templates(self) -> list[Template]:
        """Templates again (after one was saved); none when the provider keeps no templates."""
        if isinstance(self.provider, ServerTemplates):
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

    def cached_rows(self, query: ThreadQuery) -> Sequence[ThreadRow]:
        """Rows from the local cache for ``query``: what the list paints before any network answer."""
        if self.cache is None or self.scope is None:
            return []
        return self.cache.rows(self.scope, query)

    def has_synced(self) -> bool:
        return self.cache is not None and self.scope is not None and self.cache.watermark(self.scope) is not None

    async def sync(self, progress: ProgressSink | None = None) -> SyncReport:
        """One sync pass (full the first time, then ``updated_since``); tracks whether we are online.
        ``progress`` hears how far a full sync has come, page by page (the first sync's progress bar)."""
        assert self.sync_engine is not None
        try:
            report = await self.sync_engine.sync(progress)
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

    def server_query(self, query: ThreadQuery) -> ThreadQuery:
        """``query`` as the backend can answer it: without the row filters a backend that cannot
        filter them (the vendor CLI) leaves to the cache."""
        if self.provider.capabilities.server_row_filters:
            return query
        return query.model_copy(update={"needs_reply": None, "last_message_direction": None, "keyword": None})

    async def cache_agrees(self, query: ThreadQuery, shown: int) -> bool:
        """Whether the cache holds as many threads for ``query`` as the server lists (one request).

        ``shown`` is how many the list shows for ``query``; where the backend cannot filter some of
        ``query``'s fields, the comparison is made on the part it can filter.
        """
        server_query = self.server_query(query)
        total = await self.server_total(server_query)
        if server_query == query:
            return total == shown
        assert self.cache is not None and self.scope is not None
        return total == self.cache.count(self.scope, server_query)

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
            self._unsent_in_memory[thread_id] = LocalDraft(text, server_draft, datetime.now(timezone.utc))
        else:
            self._unsent_in_memory.pop(thread_id, None)

    def unsent(self, thread_id: str) -> LocalDraft | None:
        if self.drafts is not None:
            return self.drafts.load(thread_id)
        return self._unsent_in_memory.get(thread_id)

    def unsent_thread_ids(self) -> set[str]:
        """Every thread holding text the rep typed and has not saved (the list marks them)."""
        if self.drafts is not None:
            return set(self.drafts.thread_ids())
        return set(self._unsent_in_memory)

    def forget_unsent(self, thread_id: str) -> None:
        """The server holds the text now (saved, sent, scheduled, or replaced by a template)."""
        if self.drafts is not None:
            self.drafts.discard(thread_id)
        self._unsent_in_memory.pop(thread_id, None)

    def labels_named(self, ids: Sequence[str]) -> list[Label]:
        wanted = set(ids)
        return [label for label in self.catalogues.labels if label.label_id in wanted]
