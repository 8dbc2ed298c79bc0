"""Did a DM land? When Inbox's answer to a send is lost, the thread is asked instead of sending again.

Inbox v1 defines no idempotency, and the vendor's v2 SDK says an unconfirmed send (its
``sendUnconfirmed``, a 502) must never be retried: the platform may have delivered it. So a send
whose answer never came — a dropped connection, a timeout, a 5xx from Inbox or its gateway — is
read back: the thread's ``lastMessage`` first (one request), then its newest messages. If one of
ours says exactly what was sent, that message is the answer. Otherwise the rep is told the outcome
is unknown (``SendOutcomeUnknownError``) and nothing is resent; confirming the same plan again
checks the thread once more before it sends.

One case cannot be told apart: a follow-up identical to one of our own newest messages. It is
taken as delivered; the prospect already has that exact text, so nothing is lost by not sending
it a second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from noxtui.domain.errors import NoxError, ServerError, TransportError
from noxtui.providers.inbox.mapping import Directory, from_contact
from noxtui.providers.inbox.wire import InboxMessage, InboxThread

UNCONFIRMED_STATUSES = frozenset({500, 502, 503, 504})
"""Answers that say nothing about whether the send went through."""
RECENT = 5
"""How many of the newest messages are searched for the text (the prospect may have answered already)."""


class SendOutcomeUnknownError(TransportError):
    """Inbox did not confirm a DM and the thread does not show it (yet): check before resending."""

    default_todo = (
        "Check the conversation on X or in Inbox before resending. Confirming the same text again "
        "first looks at the thread once more and sends only if it is still missing."
    )


def unconfirmed(error: NoxError) -> bool:
    """True when a send failed in a way that may hide a delivered message (worth a read-back)."""
    if isinstance(error, TransportError):
        return error.may_have_reached
    return isinstance(error, ServerError) and (error.status in UNCONFIRMED_STATUSES or error.status is None)


def sent_text(body: dict[str, Any] | None) -> str | None:
    """What a send plan delivers (already trimmed by the plan builder)."""
    content = (body or {}).get("content")
    return content if isinstance(content, str) and content else None


def last_message_landed(thread: InboxThread, content: str, directory: Directory) -> bool:
    """The cheap check: the thread's ``lastMessage`` is ours and says exactly ``content``."""
    last = thread.last_message
    if last is None or last.content != content:
        return False
    return not from_contact(
        last.author_id, thread, user_id=last.user_id, campaign_id=last.campaign_id, directory=directory
    )


def landed(
    thread: InboxThread, messages: Sequence[tuple[InboxMessage, Any]], content: str, directory: Directory
) -> Any | None:
    """The raw message among the newest ``RECENT`` that is ours and says exactly ``content``, or None."""
    newest = sorted(messages, key=lambda pair: (pair[0].created_at, pair[0].id))[-RECENT:]
    for message, raw in reversed(newest):
        if message.deleted_at is not None or message.content != content:
            continue
        ours = not from_contact(
            message.author_id,
            thread,
            user_id=message.user_id,
            campaign_id=message.campaign_id,
            origin=message.origin,
            directory=directory,
        )
        if ours:
            return raw
    return None


def unknown(plan_creator: str | None, cause: NoxError) -> SendOutcomeUnknownError:
    """The error the rep reads: the outcome is unknown, nothing was resent."""
    who = plan_creator or "this contact"
    return SendOutcomeUnknownError(
        f"Outcome unknown — check before resending: Inbox did not confirm the DM to {who} "
        f"({cause.what.rstrip('.')}) and the thread does not show it yet; nothing was resent",
        status=cause.status,
        error_code=cause.error_code,
        data=cause.data,
    )


__all__ = [
    "RECENT",
    "UNCONFIRMED_STATUSES",
    "SendOutcomeUnknownError",
    "landed",
    "last_message_landed",
    "sent_text",
    "unconfirmed",
    "unknown",
]
