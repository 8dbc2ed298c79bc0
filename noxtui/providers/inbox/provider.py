"""Inbox (X/Twitter DM threads) behind the ``Provider`` protocol.

The adapter keeps the screens unaware of Inbox's differences from NoxInfluencer:

* **Pagination.** Inbox pages by cursor and gives no total; ``inbox_pager`` maps that onto the
  protocol's numbered pages (one cached walk per query), see its docstring for ``total``/``has_more``.
* **Shapes.** Wire models (``wire``, from the vendor's v1 OpenAPI) are mapped to the shared models at
  this boundary (``mapping``, named through the team's catalogues); nothing camelCase reaches a widget.
* **Capabilities.** Inbox has the core ``Provider``, ``TeamFilter`` and ``Assignment``, ``Archive``
  (marking done), ``ProjectFilter`` (its X accounts), ``Crm`` and ``Valuation`` (the prospect's
  notes, assignee and valuation) and
  ``SiblingProjects`` (the prospect's threads with the team's other X accounts), and nothing else:
  no server drafts, scheduling, server templates, senders, attachments, email tasks or text
  search (the keyword is an @username lookup). The methods for those are simply absent,
  so ``isinstance(provider, Scheduling)`` is False and nothing can be faked into a success;
  ``execute`` refuses any other plan kind with a ``CapabilityError``.
* **Errors and retries.** ``http`` composes the shared transport (429 + ``Retry-After``, typed
  errors; no ``Idempotency-Key``: v1 defines none). A DM send is never resent automatically: when
  its answer is lost the thread is read back (``readback``), and if the text is not there the rep
  reads "outcome unknown — check before resending". ``errors.translate`` turns a 402/403 on a
  conversation's first outbound message into the add-on refusal the rep must read.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import httpx

from noxtui.domain.errors import CapabilityError, NoxError, PlanError, TransportError
from noxtui.domain.models import (
    AuthStatus,
    AuthUser,
    CoopStatus,
    CrmChannel,
    Label,
    Project,
    ProjectOption,
    TeamMember,
    Thread,
    ThreadPage,
    ThreadQuery,
    ThreadSummary,
    WritePlan,
    WriteResult,
)
from noxtui.providers.base import Capabilities
from noxtui.providers.inbox import plans as inbox_plans
from noxtui.providers.inbox import prospects, readback, routes, triage
from noxtui.providers.inbox.catalogue import InboxCatalogue, parse
from noxtui.providers.inbox.changes import ChangedThreads
from noxtui.providers.inbox.conversation import SYNCING_NOTE, Conversation, MessageWalk
from noxtui.providers.inbox.errors import translate
from noxtui.providers.inbox.http import InboxHttp
from noxtui.providers.inbox.lookup import looked_up
from noxtui.providers.inbox.mapping import (
    STATUSES,
    Directory,
    account_name,
    label_of,
    pipeline_status,
    summary_of,
    thread_of,
)
from noxtui.providers.inbox.pager import CursorThreadPage, CursorWalk
from noxtui.providers.inbox.query import ListSpec, list_spec
from noxtui.providers.inbox.wire import (
    InboxCursor,
    InboxProspect,
    InboxThread,
    InboxThreadList,
)

logger = logging.getLogger("noxtui.providers.inbox")

INBOX_CAPABILITIES = Capabilities(
    keyword_filter=True,  # no text search: the keyword is an exact @username lookup
    attachments=False,
    exact_totals=False,  # cursor pagination: the total is only known at the last page
    labels_title="Tags",
    status_title="Status",
    views=triage.OFFERED,  # no-reply (oldest first too), requests, untagged, unassigned
)
MAX_CACHED_WALKS = 32
MAX_REMEMBERED_SENDS = 256
_EXECUTABLE = frozenset({"labels_set", "coop_set", "send", "archive", "crm_update", "assign"})


class InboxProvider:
    """The Inbox REST API v1 (``…/api/v1``) as a noxtui provider."""

    name = "inbox"
    display_name = "Inbox (X DMs)"
    capabilities = INBOX_CAPABILITIES

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.25,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool = True,
        clock: Callable[[], datetime] | None = None,
        max_retry_after: float = 30.0,
        sync_poll: float = 1.0,
        max_sync_polls: int = 3,
    ) -> None:
        """``clock`` is accepted for parity with ``NoxProvider``; Inbox plans never compare against
        "now" (there is no scheduling). ``transport`` replaces the network (tests). ``sync_poll`` and
        ``max_sync_polls``: how a conversation Inbox is still syncing from X is read again."""
        self.http = InboxHttp(
            base_url,
            token,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            transport=transport,
            verify=verify,
        )
        self.catalogue = InboxCatalogue(self.http)
        self.conversation = Conversation(self.http, poll=sync_poll, max_polls=max_sync_polls)
        self.changed = ChangedThreads(self.http, self.catalogue)
        self._clock = clock
        self._walks: OrderedDict[tuple[ThreadQuery, int], CursorWalk[ThreadSummary]] = OrderedDict()
        # Sends by plan key: delivered (a second confirm returns the first answer, never a second DM)
        # and unconfirmed (a second confirm reads the thread back before it may send).
        self._delivered: OrderedDict[str, WriteResult] = OrderedDict()
        self._unconfirmed: OrderedDict[str, None] = OrderedDict()
        self._owners: dict[str, str | None] = {}  # prospect externalId → the assignee last seen

    def __repr__(self) -> str:
        return f"InboxProvider(base_url={self.http.base_url!r})"

    # --- threads ------------------------------------------------------------------------------

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        """One numbered page, walked by cursor; ``total`` is the count known so far (see pager)."""
        if page < 1 or page_size < 1:
            raise PlanError(
                f"Page {page} of size {page_size} does not exist",
                "Pages start at 1 and hold at least one thread.",
                fields={"page": "≥ 1", "page_size": "≥ 1"},
            )
        if query.updated_since is not None and query == ThreadQuery(updated_since=query.updated_since):
            changed = await self.changed.page(query, page, page_size)
            if changed is not None:
                self._owners.update(prospects.owners(changed.threads))
                return changed
        spec = list_spec(query)
        if spec.username is not None:
            return await looked_up(self.http, self.catalogue, spec, page, page_size)
        if not spec.views:
            return CursorThreadPage(threads=[], page=page, page_size=page_size, total=0, more=False)
        result = await self._walk(query, page_size, spec).page(page, page_size)
        return CursorThreadPage(
            threads=result.items, page=page, page_size=page_size, total=result.known, more=result.more
        )

    def _walk(self, query: ThreadQuery, page_size: int, spec: ListSpec) -> CursorWalk[ThreadSummary]:
        key = (query, page_size)
        walk = self._walks.get(key)
        if walk is None:

            async def fetch(
                segment: int, cursor: InboxCursor | None, limit: int
            ) -> tuple[list[ThreadSummary], InboxCursor | None]:
                view = spec.views[segment]
                params = routes.thread_list_params(view, limit=limit, cursor=cursor, filters=spec.filters)
                data, directory = await asyncio.gather(
                    self.http.get_object(routes.THREADS, params, what="thread list"), self.catalogue.directory()
                )
                listing = parse(InboxThreadList, data, "thread list")
                rows = [summary_of(thread, directory) for thread in listing.threads]
                self._owners.update(prospects.owners(rows))
                return rows, listing.next_cursor

            walk = CursorWalk(fetch, segments=len(spec.views), keep=spec.keep)
            self._walks[key] = walk
            while len(self._walks) > MAX_CACHED_WALKS:
                self._walks.popitem(last=False)
        else:
            self._walks.move_to_end(key)
        return walk

    async def get_thread(self, thread_id: str) -> Thread:
        """The thread and *every* message (all pages), oldest first, once Inbox's sync has settled."""
        raw, walk, directory = await self._thread_parts(thread_id)
        thread = thread_of(parse(InboxThread, raw, "thread"), walk.messages, directory)
        if walk.syncing:
            thread = thread.model_copy(update={"pending_reason": SYNCING_NOTE})
        self._owners.update(prospects.owners([thread]))
        return thread

    async def _thread_parts(self, thread_id: str) -> tuple[dict[str, Any], MessageWalk, Directory]:
        path = routes.thread(thread_id)
        # Every request runs to completion (no orphaned task on failure); the first error wins.
        outcomes = await asyncio.gather(
            self.http.get_object(path, what="thread"),
            self.conversation.settled(thread_id),
            self.catalogue.directory(),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        raw, walk, directory = outcomes
        assert isinstance(raw, dict) and isinstance(walk, MessageWalk) and isinstance(directory, Directory)
        return raw, walk, directory

    # --- catalogues ---------------------------------------------------------------------------

    async def labels(self) -> list[Label]:
        """``GET /tags`` (a bare array): the team's tags."""
        return [label_of(tag) for tag in await self.catalogue.tags()]

    async def coop_statuses(self) -> list[CoopStatus]:
        """Open, Done, then the team's pipeline statuses (``GET /statuses``), in the document's order."""
        pipeline = await self.catalogue.statuses()
        ordered = [pipeline_status(order, status.id, status.name) for order, status in enumerate(pipeline)]
        return [status.model_copy() for status in STATUSES] + ordered

    async def team_members(self) -> list[TeamMember]:
        """``GET /members``: who a thread can be assigned to (``filters[assignees]`` takes their ``id``)."""
        members = await self.catalogue.members()
        return [TeamMember(user_uid=m.id, name=m.name or m.email or m.id) for m in members]

    async def project_options(self, creator_uids: Sequence[str] = ()) -> list[ProjectOption]:
        """The team's X accounts (``GET /account-links``) as the list's "project" filter, each with its
        trouble (offline, paused) in its name; ``creator_uids`` does not narrow them."""
        return [
            ProjectOption(
                project_id=link.id,
                name=account_name(link, link.id),
                business_kind="x_account",
                business_id=link.id,
            )
            for link in await self.catalogue.account_links()
        ]

    async def auth_status(self) -> AuthStatus:
        """``GET /team`` checks the token; a 401 raises ``AuthError`` like NoxClient."""
        team = await self.catalogue.team()
        name = team.name or team.id
        return AuthStatus(authenticated=True, user=AuthUser(uid=team.id, name=name, team=name))

    # --- the prospect: CRM panel and sibling threads ------------------------------------------

    async def crm_channel(self, creator_id: str) -> CrmChannel:
        """``GET /prospects/{externalId}``: notes, valuation, status and tags (Inbox's CRM)."""
        if not creator_id:
            raise NoxError(
                "This prospect is not imported into Inbox yet, so it has no notes, valuation or assignee",
                "Open the prospect in Inbox once (that imports them), then press r.",
            )
        raw, directory = await asyncio.gather(
            self.http.get_object(routes.prospect(creator_id), what="prospect"), self.catalogue.directory()
        )
        prospect = parse(InboxProspect, raw, "prospect")
        return prospects.channel_of(prospect, directory, self._owners.get(creator_id))

    async def sibling_projects(self, thread_id: str) -> list[Project]:
        """This thread and the prospect's others (``context.threads``: one per X account of the team)."""
        thread = parse(InboxThread, await self.http.get_object(routes.thread(thread_id), what="thread"), "thread")
        directory = await self.catalogue.directory()
        external_id = thread.prospect.external_id
        if not external_id:
            return [prospects.sibling_of(thread, directory)]
        raw = await self.http.get_object(routes.prospect(external_id), what="prospect")
        refs = parse(InboxProspect, raw, "prospect").context.threads or []
        others = await asyncio.gather(
            *(self.http.get_object(routes.thread(ref.id), what="thread") for ref in refs if ref.id != thread_id)
        )
        siblings = [parse(InboxThread, other, "thread") for other in others]
        return [prospects.sibling_of(each, directory) for each in (thread, *siblings)]

    # --- plans (pure) -------------------------------------------------------------------------

    def plan_crm_update(self, before: CrmChannel, notes: str | None = None, owner_uid: str | None = None) -> WritePlan:
        """Notes and the assignee (the CRM panel's owner) through ``PATCH /prospects/{id}/context``."""
        return prospects.crm_update(before, notes=notes, owner_uid=owner_uid)

    def plan_valuation(self, before: CrmChannel, valuation: float | None) -> WritePlan:
        """The prospect's valuation (``None`` clears it)."""
        return prospects.crm_update(before, valuation=valuation, clear_valuation=valuation is None)

    def plan_labels(self, thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
        return inbox_plans.tags_set(thread, label_ids, catalogue)

    def plan_coop(self, thread: ThreadSummary, status: CoopStatus) -> WritePlan:
        return inbox_plans.status_set(thread, status)

    def plan_send(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, reply_to_message_id: str | None = None
    ) -> WritePlan:
        """``sender_auth_id`` is ignored: Inbox sends from the thread's linked X account."""
        return inbox_plans.send(thread, body, reply_to_message_id)

    def plan_assign(self, thread: ThreadSummary, member: TeamMember | None) -> WritePlan:
        """Assign the thread to a member (``filters[assignees]`` finds it again), or unassign it."""
        return inbox_plans.assign(thread, member.user_uid if member else None, member.name if member else None)

    def plan_archive(self, thread: ThreadSummary, siblings: Sequence[Project]) -> WritePlan:
        """Archiving is marking the thread done (``PATCH /threads/{id}`` ``{done: true}``)."""
        return inbox_plans.archive(thread)

    def plan_undo(self, plan: WritePlan) -> WritePlan:
        """The inverse of a tags or status plan (same shape as ``NoxProvider.plan_undo``)."""
        return inbox_plans.inverse(plan)

    # --- writes -------------------------------------------------------------------------------

    async def execute(self, plan: WritePlan) -> WriteResult:
        """Run a confirmed plan once; ``data`` is Inbox's raw answer. A send is never repeated blindly."""
        if plan.provider != self.name:
            raise PlanError(
                f"This plan was built for {plan.provider!r}, not Inbox", "Rebuild the action and try again."
            )
        if plan.kind not in _EXECUTABLE:
            raise CapabilityError(f"Inbox cannot run a {plan.kind.replace('_', ' ')} plan")
        try:
            if plan.kind == "send":
                return await self._send(plan)
            try:
                return await self.http.execute(plan)
            except NoxError as error:
                raise translate(error, plan) from None
        finally:
            # A write can move threads between views (done) or pages: cached cursors are stale.
            self._walks.clear()


    async def _send(self, plan: WritePlan) -> WriteResult:
        key = plan.idempotency_key
        if key in self._delivered:
            return self._delivered[key]  # confirmed twice: the first answer, never a second DM
        if key in self._unconfirmed:
            found = await self._read_back(plan)
            if found is None:
                raise readback.unknown(plan.creator_name, TransportError("the thread could not be checked"))
            if found is not False:
                return self._remember(plan, found)
        try:
            result = await self.http.execute(plan)
        except NoxError as error:
            if not readback.unconfirmed(error):
                raise translate(error, plan) from None
            found = await self._read_back(plan)
            if found is None or found is False:
                self._unconfirmed[key] = None
                while len(self._unconfirmed) > MAX_REMEMBERED_SENDS:
                    self._unconfirmed.popitem(last=False)
                raise readback.unknown(plan.creator_name, error) from None
            return self._remember(plan, found)
        return self._remember(plan, result.data, result)

    def _remember(self, plan: WritePlan, data: Any, result: WriteResult | None = None) -> WriteResult:
        done = result or WriteResult(plan=plan, summary=plan.summary, data=data)
        self._unconfirmed.pop(plan.idempotency_key, None)
        self._delivered[plan.idempotency_key] = done
        while len(self._delivered) > MAX_REMEMBERED_SENDS:
            self._delivered.popitem(last=False)
        return done

    async def _read_back(self, plan: WritePlan) -> Any:
        """The message a send delivered although its answer was lost; ``False`` if the thread surely
        lacks it; ``None`` if the thread could not be read (the outcome stays unknown)."""
        content = readback.sent_text(plan.body)
        if plan.thread_id is None or content is None:
            return None
        try:
            raw = await self.http.get_object(routes.thread(plan.thread_id), what="thread")
            thread = parse(InboxThread, raw, "thread")
            directory = await self.catalogue.directory()
            if readback.last_message_landed(thread, content, directory):
                found: Any = {**raw["lastMessage"], "threadId": thread.id}
            else:
                walk = await self.conversation.walk(plan.thread_id)
                found = readback.landed(thread, walk.found, content, directory)
        except NoxError:
            return None
        logger.info("send to %s: answer lost, read back %s", plan.thread_id, "found" if found else "nothing")
        return found if found is not None else False

    async def aclose(self) -> None:
        await self.http.aclose()


__all__ = ["INBOX_CAPABILITIES", "InboxProvider"]
