"""Inbox wire shapes → the shared models the screens render (the provider boundary).

The rules come from ``shared/contract/inbox.md`` ("Mapping onto noxtui's screens"):

* ``last_message_direction`` is ``inbound`` when the contact wrote the last message;
* ``needs_reply`` is "not done and the contact wrote last" — a DM nobody has answered;
* tags are the labels panel, ``done`` is the status panel (``open``/``done`` as ``CoopStatus``).

Who wrote a message is decided by ``authorId``: the thread's ``externalId`` is the contact, its
``accountLinkId`` is us. When neither matches, a message sent from Inbox (``origin`` internal/api)
is ours, and anything else is taken as the contact's, so a DM that may need an answer is never
hidden as "answered".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from noxtui.domain.models import (
    CoopStatus,
    CoopStatusRef,
    Creator,
    Direction,
    Label,
    Message,
    MessageSender,
    Thread,
    ThreadMetadata,
    ThreadSummary,
)
from noxtui.providers.inbox.wire import InboxMessage, InboxTag, InboxThread

PLATFORM = "twitter"
SNIPPET_CHARS = 140
STATUS_OPEN = CoopStatus(code="open", name="Open", order=0)
STATUS_DONE = CoopStatus(code="done", name="Done", order=1)
STATUSES: tuple[CoopStatus, ...] = (STATUS_OPEN, STATUS_DONE)
DELETED_TEXT = "(message deleted)"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_OURS = frozenset({"internal", "api"})


def snippet(text: str) -> str:
    """The list-row preview: whitespace runs collapsed, cut at ``SNIPPET_CHARS``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"


def from_contact(author_id: str | None, origin: str | None, thread: InboxThread) -> bool:
    """Did the contact (not one of our linked accounts) write this message?"""
    if author_id and thread.external_id and author_id == thread.external_id:
        return True
    if author_id and thread.account_link_id and author_id == thread.account_link_id:
        return False
    if origin in _OURS:
        return False
    person = thread.person
    if person is not None and author_id and author_id in (person.id, person.platform_id):
        return True
    return True


def label_of(tag: InboxTag) -> Label:
    return Label(label_id=tag.id, name=tag.name or tag.id, color=tag.color)


def status_ref(done: bool) -> CoopStatusRef:
    status = STATUS_DONE if done else STATUS_OPEN
    return CoopStatusRef(code=status.code, name=status.name)


def creator_of(thread: InboxThread) -> Creator:
    """The prospect as a ``Creator`` (platform ``twitter``); its id is what tag writes address."""
    person = thread.person
    if person is None:
        fallback = thread.external_id or thread.id
        return Creator(creator_id=fallback, name=fallback, platform=PLATFORM)
    username = person.username.lstrip("@")
    name = person.display_name or (f"@{username}" if username else person.id)
    return Creator(
        creator_id=person.id,
        name=name,
        platform=PLATFORM,
        channel_url=f"https://x.com/{username}" if username else "",
        handle=f"@{username}" if username else None,
    )


def _direction(inbound: bool) -> Direction:
    return "inbound" if inbound else "outbound"


def _pending_reason(thread: InboxThread, needs_reply: bool, *, has_message: bool) -> str | None:
    if not has_message:
        return "no messages yet"
    if not needs_reply:
        return None
    return "message request" if thread.is_request else "contact wrote last"


def summary_of(thread: InboxThread) -> ThreadSummary:
    """One list row. A thread with no message yet reads as outbound, not needing a reply."""
    last = thread.last_message
    inbound = last is not None and from_contact(last.author_id, last.origin, thread)
    needs_reply = inbound and not thread.is_done
    last_at = (last.created_at if last else None) or thread.last_message_at or thread.created_at or _EPOCH
    return ThreadSummary(
        thread_id=thread.id,
        creator=creator_of(thread),
        snippet=snippet(last.content) if last else "",
        last_message_at=last_at,
        last_message_direction=_direction(inbound),
        needs_reply=needs_reply,
        pending_reason=_pending_reason(thread, needs_reply, has_message=last is not None),
        labels=[label_of(tag) for tag in thread.tag_list],
        coop_status=status_ref(thread.is_done),
        owner_uid=thread.assignee_id,
        message_count=thread.message_count or 0,
        updated_at=thread.updated_at,
    )


def message_of(message: InboxMessage, thread: InboxThread, names: Mapping[str, str] | None = None) -> Message:
    """One DM. ``names`` maps our user/account-link ids to display names when they are known."""
    inbound = from_contact(message.author_id, message.origin, thread)
    creator = creator_of(thread)
    if inbound:
        sender = MessageSender(name=creator.name, address=creator.handle or "")
    else:
        known = names or {}
        name = known.get(message.user_id or "") or known.get(message.author_id or "") or "You"
        sender = MessageSender(name=name)
    deleted = message.deleted_at is not None or message.platform_deleted_at is not None
    body = message.content if message.content or not deleted else DELETED_TEXT
    return Message(
        message_id=message.id,
        direction=_direction(inbound),
        sender=sender,
        sent_at=message.created_at,
        body_text=body,
    )


def ordered(messages: Iterable[InboxMessage]) -> list[InboxMessage]:
    """Oldest first, each id once — whatever order (and overlap) the pages came in."""
    unique = {message.id: message for message in messages}
    return sorted(unique.values(), key=lambda m: (m.created_at, m.id))


def thread_of(
    thread: InboxThread, messages: Iterable[InboxMessage], names: Mapping[str, str] | None = None
) -> Thread:
    """The detail view: the summary plus every message, oldest first.

    ``last_message_*`` and ``needs_reply`` are recomputed from the messages themselves when there
    are any, so the detail never disagrees with the conversation it shows.
    """
    conversation = ordered(messages)
    summary = summary_of(thread)
    fields = summary.model_dump()
    if conversation:
        last = conversation[-1]
        inbound = from_contact(last.author_id, last.origin, thread)
        needs_reply = inbound and not thread.is_done
        fields.update(
            last_message_at=last.created_at,
            last_message_direction=_direction(inbound),
            needs_reply=needs_reply,
            snippet=snippet(last.content),
            pending_reason=_pending_reason(thread, needs_reply, has_message=True),
        )
    fields["message_count"] = len(conversation)
    return Thread(
        **fields,
        messages=[message_of(m, thread, names) for m in conversation],
        metadata=ThreadMetadata(labels=summary.labels, coop_status=summary.coop_status),
    )
