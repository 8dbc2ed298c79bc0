"""Did a DM land? When Inbox's answer to a send is lost, the thread is asked instead of sending again.

Inbox defines no idempotency, so a send whose answer never came (a dropped connection, a timeout,
a gateway's 502/503) may or may not have reached the contact, and a blind retry could send it
twice. The provider reads the conversation back: if its newest message is ours and says exactly
what was sent, that message is the answer; otherwise the original error stands and nothing is
resent (the rep reloads and decides).

One case cannot be told apart: a follow-up identical to our own previous, still newest, message.
It is taken as delivered; the creator already has that exact text, so nothing is lost by not
sending it a second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from noxtui.domain.errors import NoxError, ServerError, TransportError
from noxtui.providers.inbox.mapping import from_contact
from noxtui.providers.inbox.wire import InboxMessage, InboxThread

GATEWAY_STATUSES = frozenset({502, 503})
"""Answers from in front of Inbox that say nothing about whether the send went through."""


def unconfirmed(error: NoxError) -> bool:
    """True when a send failed in a way that may hide a delivered message (worth a read-back)."""
    if isinstance(error, TransportError):
        return error.may_have_reached
    return isinstance(error, ServerError) and error.status in GATEWAY_STATUSES


def sent_text(body: dict[str, Any] | None) -> str | None:
    """What a send plan delivers (already trimmed by the plan builder)."""
    content = (body or {}).get("content")
    return content if isinstance(content, str) and content else None


def landed(thread: InboxThread, messages: Sequence[tuple[InboxMessage, Any]], content: str) -> Any | None:
    """The raw newest message when it is ours and says exactly ``content``; ``None`` otherwise."""
    if not messages:
        return None
    newest, raw = max(messages, key=lambda pair: (pair[0].created_at, pair[0].id))
    if newest.deleted_at is not None or from_contact(newest.author_id, newest.origin, thread):
        return None
    return raw if newest.content == content else None


__all__ = ["GATEWAY_STATUSES", "landed", "sent_text", "unconfirmed"]
