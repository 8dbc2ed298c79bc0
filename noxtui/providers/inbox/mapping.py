"""Inbox wire shapes → the shared models the screens render (the provider boundary).

Who wrote a message is decided by ``authorId``, which the document says is "either the
accountLinkId or the externalId" (of the prospect):

* the thread's ``accountLinkId`` or any account link of the team (``Directory.account_links``) is us;
* the prospect's ``externalId`` (or, for a prospect not imported yet, its ``platformId``) is them;
* otherwise a message sent from Inbox — ``origin`` internal/api, or an Inbox ``userId``, or a
  ``campaignId`` — is ours, and anything else is taken as the contact's, so a DM that may need an
  answer is never hidden as "answered".

``needs_reply`` is "not done and the contact wrote last". Tags are the prospect's
``context.tags`` (ids), named from ``GET /tags`` (``Directory.tags``); an id the catalogue does not
know is shown as itself rather than dropped. The status panel is the thread's ``done`` and the
prospect's pipeline ``statusId`` together (``coop_status_of``).
The thread's account (``accountLinkId``) is its one "project" (the account filter) and its
subject line says when that account is offline or paused. The creator's id is the prospect's
``externalId`` — empty when Inbox has not imported the prospect,
which the plan builders refuse with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
from noxtui.providers.inbox.wire import InboxAccountLink, InboxMessage, InboxProspect, InboxTag, InboxThread

PLATFORM = "twitter"
SNIPPET_CHARS = 140
STATUS_OPEN = CoopStatus(code="open", name="Open", order=0)
STATUS_DONE = CoopStatus(code="done", name="Done", order=1)
STATUSES: tuple[CoopStatus, ...] = (STATUS_OPEN, STATUS_DONE)
DELETED_TEXT = "(message deleted)"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_OURS = frozenset({"internal", "api"})


@dataclass(frozen=True)
class Directory:
    """What the team's catalogues say about the ids inside a thread (all optional: unknown ids still map)."""

    tags: Mapping[str, Label] = field(default_factory=dict)
    account_links: frozenset[str] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)
    """Member ``userId`` and account link ``id`` → the name a message from them is shown under."""
    statuses: Mapping[str, CoopStatus] = field(default_factory=dict)
    """Pipeline status id → the status (``GET /statuses``)."""
    accounts: Mapping[str, InboxAccountLink] = field(default_factory=dict)
    """The team's X accounts (``GET /account-links``), with their ``active``/``offline``/``paused`` status."""


EMPTY = Directory()


def snippet(text: str) -> str:
    """The list-row preview: whitespace runs collapsed, cut at ``SNIPPET_CHARS``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"


def from_contact(
    author_id: str,
    thread: InboxThread,
    *,
    user_id: str | None = None,
    campaign_id: str | None = None,
    origin: str | None = None,
    directory: Directory = EMPTY,
) -> bool:
    """Did the prospect (not one of our linked accounts) write this message?"""
    if author_id == thread.account_link_id or author_id in directory.account_links:
        return False
    prospect = thread.prospect
    if author_id and author_id in (prospect.external_id, prospect.platform_id):
        return True
    return not (origin in _OURS or user_id or campaign_id)


def label_of(tag: InboxTag) -> Label:
    return Label(label_id=tag.id, name=tag.name or tag.id, color=tag.color)


def labels_of(prospect: InboxProspect, directory: Directory) -> list[Label]:
    """The prospect's tag ids, named from the catalogue (an unknown id is shown as itself)."""
    return [directory.tags.get(tag_id) or Label(label_id=tag_id, name=tag_id) for tag_id in prospect.context.tags]


def status_ref(done: bool) -> CoopStatusRef:
    status = STATUS_DONE if done else STATUS_OPEN
    return CoopStatusRef(code=status.code, name=status.name)


def coop_status_of(thread: InboxThread, directory: Directory) -> CoopStatusRef:
    """Done; else the prospect's pipeline status; else Open — one status per thread, a partition
    the status filter and the offline cache agree on (``query``: Open is "not done, no status")."""
    status_id = thread.prospect.context.status_id
    if thread.done or not status_id:
        return status_ref(thread.done)
    known = directory.statuses.get(status_id)
    return CoopStatusRef(code=status_id, name=known.name if known else status_id)


def pipeline_status(order: int, status_id: str, name: str) -> CoopStatus:
    """A pipeline status as the status panel lists it (after Open and Done)."""
    return CoopStatus(code=status_id, name=name or status_id, order=len(STATUSES) + order)


def creator_of(prospect: InboxProspect) -> Creator:
    """The prospect as a ``Creator``; ``creator_id`` is its Inbox ``externalId`` ("" if not imported)."""
    username = prospect.username.lstrip("@")
    handle = prospect.handle or (f"@{username}" if username else "")
    name = prospect.display_name or handle or prospect.platform_id or "(unknown prospect)"
    url = prospect.profile_url or (f"https://x.com/{username}" if username else "")
    return Creator(
        creator_id=prospect.external_id or "",
        name=name,
        platform=PLATFORM,
        channel_url=url,
        handle=handle or None,
    )


ACCOUNT_TROUBLE = {
    "offline": "offline in Inbox: X signed this account out, so replies fail until it is reconnected",
    "paused": "paused in Inbox: nothing is sent from it until the team's admin resumes it",
}


def account_name(link: InboxAccountLink | None, link_id: str) -> str:
    """How the rep knows one of the team's X accounts: ``@handle``, with its trouble if it has one."""
    if link is None:
        return link_id
    name = f"@{link.username}" if link.username else (link.name or link_id)
    trouble = ACCOUNT_TROUBLE.get(link.status)
    return f"{name} — {trouble}" if trouble else name


def _direction(inbound: bool) -> Direction:
    return "inbound" if inbound else "outbound"


def _pending_reason(thread: InboxThread, needs_reply: bool, *, has_message: bool) -> str | None:
    if not has_message:
        return "no messages yet"
    if not needs_reply:
        return None
    return "message request" if thread.is_request else "contact wrote last"


def summary_of(thread: InboxThread, directory: Directory = EMPTY) -> ThreadSummary:
    """One list row. A thread with no message yet reads as outbound, not needing a reply."""
    last = thread.last_message
    inbound = last is not None and from_contact(
        last.author_id, thread, user_id=last.user_id, campaign_id=last.campaign_id, directory=directory
    )
    needs_reply = inbound and not thread.done
    last_at = (
        (last.created_at if last else None)
        or thread.last_message_timestamp
        or thread.computed_sort_timestamp
        or thread.created_at
        or _EPOCH
    )
    link = directory.accounts.get(thread.account_link_id)
    return ThreadSummary(
        thread_id=thread.id,
        project_ids=[thread.account_link_id],
        subject=f"DM via {account_name(link, thread.account_link_id)}",
        creator=creator_of(thread.prospect),
        snippet=snippet(last.content) if last else "",
        last_message_at=last_at,
        last_message_direction=_direction(inbound),
        needs_reply=needs_reply,
        pending_reason=_pending_reason(thread, needs_reply, has_message=last is not None),
        labels=labels_of(thread.prospect, directory),
        coop_status=coop_status_of(thread, directory),
        owner_uid=thread.assignee_id,
        # The document has no "updated" time on a thread: its sort time (last message, else creation)
        # is the lower bound the sync's watermark needs; the change feed reports the rest (changes.py).
        updated_at=thread.computed_sort_timestamp or thread.created_at,
    )


def _inbound(message: InboxMessage, thread: InboxThread, directory: Directory) -> bool:
    return from_contact(
        message.author_id,
        thread,
        user_id=message.user_id,
        campaign_id=message.campaign_id,
        origin=message.origin,
        directory=directory,
    )


def message_of(message: InboxMessage, thread: InboxThread, directory: Directory = EMPTY) -> Message:
    """One DM, its sender named from the directory when it is one of ours."""
    inbound = _inbound(message, thread, directory)
    creator = creator_of(thread.prospect)
    if inbound:
        sender = MessageSender(name=creator.name, address=creator.handle or "")
    else:
        known = directory.names
        name = known.get(message.user_id or "") or known.get(message.author_id) or "You"
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


def thread_of(thread: InboxThread, messages: Iterable[InboxMessage], directory: Directory = EMPTY) -> Thread:
    """The detail view: the summary plus every message, oldest first.

    ``last_message_*`` and ``needs_reply`` are recomputed from the messages themselves when there
    are any, so the detail never disagrees with the conversation it shows.
    """
    conversation = ordered(messages)
    summary = summary_of(thread, directory)
    fields = summary.model_dump()
    if conversation:
        last = conversation[-1]
        inbound = _inbound(last, thread, directory)
        needs_reply = inbound and not thread.done
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
        messages=[message_of(m, thread, directory) for m in conversation],
        metadata=ThreadMetadata(labels=summary.labels, coop_status=summary.coop_status),
    )
