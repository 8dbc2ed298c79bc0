"""A thread's messages, every page, and whether Inbox is still syncing them from X.

``GET /threads/{id}/messages`` pages oldest first by cursor and says ``isSyncing`` while Inbox is
still loading older messages from X ("poll the endpoint to retrieve newly synced messages", says
the document). ``settled`` reads the conversation and, while any page says it is syncing, reads it
again after ``poll`` seconds, at most ``max_polls`` times; if it has not settled by then the thread
says so (``SYNCING_NOTE``) instead of pretending the conversation is complete.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from noxtui.domain.errors import ProtocolError
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.catalogue import parse
from noxtui.providers.inbox.http import InboxHttp
from noxtui.providers.inbox.wire import InboxCursor, InboxMessage, InboxMessageList

MESSAGE_PAGE = 100
MAX_MESSAGE_PAGES = 1_000
SYNCING_NOTE = "Inbox is still loading this conversation from X — press r in a moment for older messages"


@dataclass(frozen=True)
class MessageWalk:
    """Every message read, each with its raw JSON (a read-back answers with that), and the sync flag."""

    found: list[tuple[InboxMessage, Any]]
    syncing: bool

    @property
    def messages(self) -> list[InboxMessage]:
        return [message for message, _ in self.found]


class Conversation:
    """Reads one thread's messages over ``http``."""

    def __init__(self, http: InboxHttp, *, poll: float = 1.0, max_polls: int = 3) -> None:
        self.http = http
        self.poll = max(0.0, poll)
        self.max_polls = max(0, max_polls)

    async def walk(self, thread_id: str) -> MessageWalk:
        path = routes.thread_messages(thread_id)
        found: list[tuple[InboxMessage, Any]] = []
        syncing = False
        cursor: InboxCursor | None = None
        seen: set[tuple[str, str]] = set()
        for _ in range(MAX_MESSAGE_PAGES):
            params = routes.message_list_params(limit=MESSAGE_PAGE, cursor=cursor)
            data = await self.http.get_object(path, params, what="message list")
            page = parse(InboxMessageList, data, "message list")
            found.extend(zip(page.messages, data["messages"], strict=True))
            syncing = syncing or page.is_syncing
            if page.next_cursor is None:
                return MessageWalk(found, syncing)
            mark = (page.next_cursor.id, page.next_cursor.timestamp)
            if mark in seen:
                raise ProtocolError("Inbox returned the same message cursor twice; the conversation cannot be read")
            seen.add(mark)
            cursor = page.next_cursor
        raise ProtocolError("Inbox's message list did not end after many pages")

    async def settled(self, thread_id: str) -> MessageWalk:
        """The conversation once Inbox has stopped syncing it (or after ``max_polls`` more reads)."""
        walk = await self.walk(thread_id)
        for _ in range(self.max_polls):
            if not walk.syncing:
                break
            await asyncio.sleep(self.poll)
            walk = await self.walk(thread_id)
        return walk


__all__ = ["SYNCING_NOTE", "Conversation", "MessageWalk"]
