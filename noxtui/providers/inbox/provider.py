"""Inbox (X/Twitter DM threads) behind the ``Provider`` protocol.

The adapter keeps the screens unaware of Inbox's differences from NoxInfluencer:

* **Pagination.** Inbox pages by cursor and gives no total; ``inbox_pager`` maps that onto the
  protocol's numbered pages (one cached walk per query), see its docstring for ``total``/``has_more``.
* **Shapes.** Wire models (``inbox_models``) are mapped to the shared models at this boundary
  (``inbox_mapping``); nothing camelCase reaches a widget.
* **Capabilities.** Inbox has the core ``Provider``, ``TeamFilter`` (assignees) and ``Archive``
  (marking done) and nothing else: no server drafts, scheduling, server templates, senders,
  attachments, projects, email tasks, CRM or text search. The methods for those are simply absent,
  so ``isinstance(provider, Scheduling)`` is False and nothing can be faked into a success;
  ``execute`` refuses any other plan kind with a ``CapabilityError``.
* **Errors and retries.** ``http`` composes the shared transport (429 + ``Retry-After``, one
  ``Idempotency-Key`` per plan, typed errors). A DM send is never resent blindly: when its answer is
  lost the thread is read back (``readback``). ``errors.translate`` turns a 402/403 on a
  conversation's first outbound message into the add-on refusal the rep must read.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from noxtui.domain.errors import CapabilityError, NoxError, PlanError, ProtocolError
from noxtui.domain.models import (
    AuthStatus,
    AuthUser,
    CoopStatus,
    Label,
    Project,
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
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.errors import translate
from noxtui.providers.inbox.http import InboxHttp
from noxtui.providers.inbox.mapping import STATUSES, label_of, summary_of, thread_of
from noxtui.providers.inbox.pager import CursorThreadPage, CursorWalk
from noxtui.providers.inbox.query import ListSpec, list_spec
from noxtui.providers.inbox.readback import landed, sent_text, unconfirmed
from noxtui.providers.inbox.wire import (
    InboxCursor,
    InboxMessage,
    InboxMessageList,
    InboxTag,
    InboxTeam,
    InboxThread,
    InboxThreadList,
)

M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger("noxtui.providers.inbox")

INBOX_CAPABILITIES = Capabilities(
    keyword_filter=False,  # corrections: no text search
    attachments=False,
    exact_totals=False,  # cursor pagination: the total is only known at the last page
    labels_title="Tags",
    status_title="Status",
)
MESSAGE_PAGE = 100
MAX_MESSAGE_PAGES = 1_000
MAX_CACHED_WALKS = 32
_EXECUTABLE = frozenset({"labels_set", "coop_set", "send", "archive"})


def _parse(model: type[M], data: Any, what: str) -> M:
    try:
        return model.model_validate(data)
    except PydanticValidationError:
        raise ProtocolError(f"Inbox's {what} is missing fields noxtui needs") from None


class InboxProvider:
    """The Inbox REST API (``…/api/v1``) as a noxtui provider."""

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
    ) -> None:
        """``clock`` is accepted for parity with ``NoxProvider``; Inbox plans never compare against
        "now" (there is no scheduling). ``transport`` replaces the network (tests)."""
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
        self._clock = clock
        self._walks: OrderedDict[tuple[ThreadQuery, int], CursorWalk[ThreadSummary]] = OrderedDict()
        self._names: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"InboxProvider(base_url={self.http.base_url!r})"

    # --- threads ------------------------------------------------------------------------------

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        """One numbered page, walked by cursor; ``total`` is the count known so far (see inbox_pager)."""
        if page < 1 or page_size < 1:
            raise PlanError(
                f"Page {page} of size {page_size} does not exist",
                "Pages start at 1 and hold at least one thread.",
                fields={"page": "≥ 1", "page_size": "≥ 1"},
            )
        spec = list_spec(query)
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
                params = routes.thread_list_params(
                    spec.views[segment],
                    limit=limit,
                    cursor=cursor,
                    tag_ids=spec.tag_ids,
                    assignee_ids=spec.assignee_ids,
                )
                data = await self.http.get_object(routes.THREADS, params, what="thread list")
                listing = _parse(InboxThreadList, data, "thread list")
                return [summary_of(thread) for thread in listing.threads], listing.next_cursor

            walk = CursorWalk(fetch, segments=len(spec.views), keep=spec.keep)
            self._walks[key] = walk
            while len(self._walks) > MAX_CACHED_WALKS:
                self._walks.popitem(last=False)
        else:
            self._walks.move_to_end(key)
        return walk

    async def get_thread(self, thread_id: str) -> Thread:
        """The thread and *every* message (all pages), oldest first."""
        path = routes.thread(thread_id)
        # Both requests run to completion (no orphaned task on failure); the first error wins.
        raw, messages = await asyncio.gather(
            self.http.get_object(path, what="thread"), self._all_messages(thread_id), return_exceptions=True
        )
        for outcome in (raw, messages):
            if isinstance(outcome, BaseException):
                raise outcome
        assert isinstance(raw, dict) and isinstance(messages, list)
        return thread_of(_parse(InboxThread, raw, "thread"), messages, self._names)

    async def _all_messages(self, thread_id: str) -> list[InboxMessage]:
        return [message for message, _ in await self._message_walk(thread_id)]

    async def _message_walk(self, thread_id: str) -> list[tuple[InboxMessage, Any]]:
        """Every message of the thread, each with its raw JSON (a read-back answers with that)."""
        path = routes.thread_messages(thread_id)
        found: list[tuple[InboxMessage, Any]] = []
        cursor: InboxCursor | None = None
        seen: set[tuple[str, str]] = set()
        for _ in range(MAX_MESSAGE_PAGES):
            params = routes.message_list_params(limit=MESSAGE_PAGE, cursor=cursor)
            data = await self.http.get_object(path, params, what="message list")
            page = _parse(InboxMessageList, data, "message list")
            found.extend(zip(page.messages, data["messages"], strict=True))
            if page.next_cursor is None:
                return found
            mark = (page.next_cursor.id, str(page.next_cursor.timestamp))
            if mark in seen:
                raise ProtocolError("Inbox returned the same message cursor twice; the conversation cannot be read")
            seen.add(mark)
            cursor = page.next_cursor
        raise ProtocolError("Inbox's message list did not end after many pages")

    # --- catalogues ---------------------------------------------------------------------------

    async def labels(self) -> list[Label]:
        """``GET /tags``: the team's tags (answer ``{"tags": [...]}``, a bare list is accepted too)."""
        data = await self.http.get_json(routes.TAGS)
        items = data.get("tags") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ProtocolError("Inbox's tag list is not in the expected format")
        return [label_of(_parse(InboxTag, item, "tag list")) for item in items]

    async def coop_statuses(self) -> list[CoopStatus]:
        """Open and done: the thread's ``done`` flag is the status panel."""
        return [status.model_copy() for status in STATUSES]

    async def team_members(self) -> list[TeamMember]:
        """``GET /team`` members, usable as assignee filters (``creator_uids``)."""
        team = await self._team()
        return [TeamMember(user_uid=m.id, name=m.name or m.email or m.id) for m in team.members]

    async def auth_status(self) -> AuthStatus:
        """``GET /team`` checks the token (corrections); a 401 raises ``AuthError`` like NoxClient."""
        team = await self._team()
        name = team.name or team.id
        return AuthStatus(authenticated=True, user=AuthUser(uid=team.id, name=name, team=name))

    async def _team(self) -> InboxTeam:
        team = _parse(InboxTeam, await self.http.get_object(routes.TEAM, what="team"), "team")
        names = {m.id: m.name for m in team.members if m.name}
        for link in team.account_links:
            if link.display_name or link.username:
                names[link.id] = link.display_name or f"@{link.username}"
        self._names = names
        return team

    # --- plans (pure) -------------------------------------------------------------------------

    def plan_labels(self, thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
        return inbox_plans.tags_set(thread, label_ids, catalogue)

    def plan_coop(self, thread: ThreadSummary, status: CoopStatus) -> WritePlan:
        return inbox_plans.status_set(thread, status)

    def plan_send(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, reply_to_message_id: str | None = None
    ) -> WritePlan:
        """``sender_auth_id`` is ignored: Inbox sends from the thread's linked X account."""
        return inbox_plans.send(thread, body, reply_to_message_id)

    def plan_archive(self, thread: ThreadSummary, siblings: Sequence[Project]) -> WritePlan:
        """Archiving is marking the thread done (there are no sibling threads to include)."""
        return inbox_plans.archive(thread)

    def plan_undo(self, plan: WritePlan) -> WritePlan:
        """The inverse of a tags or status plan (same shape as ``NoxProvider.plan_undo``)."""
        return inbox_plans.inverse(plan)

    # --- writes -------------------------------------------------------------------------------

    async def execute(self, plan: WritePlan) -> WriteResult:
        """Send a confirmed plan under its own Idempotency-Key; ``data`` is Inbox's raw answer."""
        if plan.provider != self.name:
            raise PlanError(
                f"This plan was built for {plan.provider!r}, not Inbox", "Rebuild the action and try again."
            )
        if plan.kind not in _EXECUTABLE:
            raise CapabilityError(f"Inbox cannot run a {plan.kind.replace('_', ' ')} plan")
        try:
            return await self.http.execute(plan)
        except NoxError as error:
            if plan.kind == "send" and unconfirmed(error):
                delivered = await self._read_back(plan)
                if delivered is not None:
                    return WriteResult(plan=plan, summary=plan.summary, data=delivered)
            raise translate(error, plan) from None
        finally:
            # A write can move threads between views (done) or pages: cached cursors are stale.
            self._walks.clear()

    async def _read_back(self, plan: WritePlan) -> Any | None:
        """The message a send delivered although its answer was lost, if Inbox shows it (readback.py)."""
        content = sent_text(plan.body)
        if plan.thread_id is None or content is None:
            return None
        try:
            raw = await self.http.get_object(routes.thread(plan.thread_id), what="thread")
            messages = await self._message_walk(plan.thread_id)
            found = landed(_parse(InboxThread, raw, "thread"), messages, content)
        except NoxError:
            return None  # the read-back failed too: the send's own error says more
        logger.info("send to %s: answer lost, read back %s", plan.thread_id, "found" if found else "nothing")
        return found

    async def aclose(self) -> None:
        await self.http.aclose()


__all__ = ["INBOX_CAPABILITIES", "InboxProvider"]
