"""Inbox's wire shapes mapped into what a rep sees, whole rows and messages compared.

Written against the survivors of ``python -m tools.mutation noxtui.providers.inbox.mapping``: who
wrote a message (the prospect, one of our accounts, a teammate, a campaign), the pending reason,
the status partition (Done, else the pipeline status, else Open), names and handles, snippets cut
at their limit, deleted messages, the sender's name. Wire data is built as the v1 document shapes
it (camelCase), so a mapping change shows here, not in a screen.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from noxtui.domain.models import CoopStatus, CoopStatusRef, Label
from noxtui.providers.inbox.mapping import (
    DELETED_TEXT,
    SNIPPET_CHARS,
    STATUSES,
    Directory,
    account_name,
    coop_status_of,
    creator_of,
    from_contact,
    label_of,
    message_of,
    ordered,
    pipeline_status,
    snippet,
    summary_of,
    thread_of,
)
from noxtui.providers.inbox.wire import InboxAccountLink, InboxMessage, InboxProspect, InboxTag, InboxThread

AT = "2026-11-19T10:00:00Z"


def prospect(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "platformId": "555",
        "externalId": "xp1",
        "username": "mia",
        "handle": "@mia",
        "displayName": "Mia C",
        "profileUrl": "https://x.com/mia_c",
        "context": {"tags": ["xg1", "xg9"], "statusId": None},
    }
    return {**base, **fields}


def thread(**fields: Any) -> InboxThread:
    base: dict[str, Any] = {
        "id": "xt1",
        "accountLinkId": "xa1",
        "done": False,
        "assigneeId": "xu1",
        "createdAt": "2026-11-01T00:00:00Z",
        "lastMessageTimestamp": "2026-11-18T00:00:00Z",
        "computedSortTimestamp": "2026-11-17T00:00:00Z",
        "prospect": prospect(),
        "lastMessage": {"id": "xm1", "content": " hi \n there ", "createdAt": AT, "authorId": "xp1"},
    }
    return InboxThread.model_validate({**base, **fields})


def message(mid: str, author: str, at: str = AT, **fields: Any) -> InboxMessage:
    return InboxMessage.model_validate({"id": mid, "createdAt": at, "authorId": author, "content": mid, **fields})


DIRECTORY = Directory(
    tags={"xg1": Label(label_id="xg1", name="VIP")},
    account_links=frozenset({"xa2"}),
    names={"xu1": "Ana", "xa1": "Glowbrook"},
    statuses={"xs1": CoopStatus(code="xs1", name="Negotiating", order=2)},
    accounts={
        "xa1": InboxAccountLink.model_validate({"id": "xa1", "username": "glowbrook", "status": "offline"}),
        "xa3": InboxAccountLink.model_validate({"id": "xa3", "name": "Brand", "status": "paused"}),
        "xa4": InboxAccountLink.model_validate({"id": "xa4", "status": "active"}),
    },
)


# --- the list row ----------------------------------------------------------------------------------


def test_a_row_from_the_prospect_needs_a_reply_and_reads_field_by_field() -> None:
    row = summary_of(thread(), DIRECTORY)
    assert row.model_dump(exclude={"creator", "labels"}) == {
        "thread_id": "xt1",
        "business_kind": "",
        "business_id": "",
        "project_ids": ["xa1"],
        "subject": "DM via @glowbrook — offline in Inbox: X signed this account out, so replies fail until it is "
        "reconnected",
        "snippet": "hi there",
        "last_message_at": datetime(2026, 11, 19, 10, 0, tzinfo=timezone.utc),
        "last_message_direction": "inbound",
        "needs_reply": True,
        "pending_reason": "contact wrote last",
        "coop_status": {"code": "open", "name": "Open"},
        "owner_uid": "xu1",
        "message_count": 0,
        "has_draft": False,
        "scheduled_at": None,
        "updated_at": datetime(2026, 11, 17, tzinfo=timezone.utc),
    }
    assert [(label.label_id, label.name) for label in row.labels] == [("xg1", "VIP"), ("xg9", "xg9")]
    assert (row.creator.creator_id, row.creator.name, row.creator.handle, row.creator.platform) == (
        "xp1",
        "Mia C",
        "@mia",
        "twitter",
    )


def test_a_message_request_says_so_and_a_done_thread_needs_nothing() -> None:
    assert summary_of(thread(isRequest=True)).pending_reason == "message request"
    done = summary_of(thread(done=True))
    assert (done.needs_reply, done.pending_reason, done.last_message_direction) == (False, None, "inbound")
    assert done.coop_status == CoopStatusRef(code="done", name="Done")


def test_a_thread_without_messages_falls_back_through_its_times() -> None:
    row = summary_of(thread(lastMessage=None))
    assert (row.needs_reply, row.pending_reason, row.snippet, row.last_message_direction) == (
        False,
        "no messages yet",
        "",
        "outbound",
    )
    assert row.last_message_at == datetime(2026, 11, 18, tzinfo=timezone.utc)
    row = summary_of(thread(lastMessage=None, lastMessageTimestamp=None))
    assert row.last_message_at == datetime(2026, 11, 17, tzinfo=timezone.utc)
    row = summary_of(thread(lastMessage=None, lastMessageTimestamp=None, computedSortTimestamp=None))
    assert row.last_message_at == datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert row.updated_at == datetime(2026, 11, 1, tzinfo=timezone.utc)


def test_the_subject_names_the_account_each_way() -> None:
    assert summary_of(thread(accountLinkId="xa3"), DIRECTORY).subject == (
        "DM via Brand — paused in Inbox: nothing is sent from it until the team's admin resumes it"
    )
    assert summary_of(thread(accountLinkId="xa4"), DIRECTORY).subject == "DM via xa4"
    assert summary_of(thread(accountLinkId="xa9"), DIRECTORY).subject == "DM via xa9"


def test_a_long_snippet_is_cut_at_140_characters() -> None:
    assert SNIPPET_CHARS == 140
    exact = "a" * 140
    assert snippet(exact) == exact
    assert snippet("b" * 141) == "b" * 139 + "…"
    assert snippet("c" * 138 + "  dd") == "c" * 138 + "…"
    assert snippet("  one\n\ttwo  ") == "one two"


# --- who wrote it ----------------------------------------------------------------------------------------


def test_who_wrote_a_message() -> None:
    t = thread()
    assert from_contact("xp1", t) is True  # the prospect's externalId
    assert from_contact("555", t) is True  # X's own id of the prospect
    assert from_contact("xa1", t) is False  # the thread's own account
    assert from_contact("xa2", t, directory=DIRECTORY) is False  # another of the team's accounts
    assert from_contact("xa2", t) is True  # unknown author, nothing says it is ours
    assert from_contact("zz", t, user_id="xu1") is False  # a teammate through Inbox
    assert from_contact("zz", t, campaign_id="c1") is False  # a campaign
    assert from_contact("zz", t, origin="api") is False
    assert from_contact("zz", t, origin="internal") is False
    assert from_contact("zz", t, origin="platform") is True
    assert from_contact("", t) is True
    # The prospect's own ids win over any hint that the message came through Inbox.
    assert from_contact("xp1", t, user_id="xu1", origin="api") is True
    assert from_contact("555", t, campaign_id="c1") is True


def test_the_status_partition_done_then_pipeline_then_open() -> None:
    with_status = prospect(context={"tags": [], "statusId": "xs1"})
    assert coop_status_of(thread(prospect=with_status), DIRECTORY) == CoopStatusRef(code="xs1", name="Negotiating")
    assert coop_status_of(thread(prospect=with_status), Directory()) == CoopStatusRef(code="xs1", name="xs1")
    assert coop_status_of(thread(prospect=with_status, done=True), DIRECTORY) == CoopStatusRef(code="done", name="Done")
    assert coop_status_of(thread(), DIRECTORY) == CoopStatusRef(code="open", name="Open")
    assert STATUSES == (CoopStatus(code="open", name="Open", order=0), CoopStatus(code="done", name="Done", order=1))
    assert pipeline_status(0, "xs1", "") == CoopStatus(code="xs1", name="xs1", order=2)
    assert pipeline_status(3, "xs2", "Won") == CoopStatus(code="xs2", name="Won", order=5)


def test_names_handles_and_links_of_a_prospect() -> None:
    bare = creator_of(InboxProspect.model_validate({"username": "@bo", "platformId": "9"}))
    assert (bare.creator_id, bare.name, bare.handle, bare.channel_url) == ("", "@bo", "@bo", "https://x.com/bo")
    nameless = creator_of(InboxProspect.model_validate({"platformId": "9"}))
    assert (nameless.name, nameless.handle, nameless.channel_url) == ("9", None, "")
    unknown = creator_of(InboxProspect.model_validate({}))
    assert unknown.name == "(unknown prospect)"
    full = creator_of(InboxProspect.model_validate(prospect()))
    assert (full.name, full.channel_url) == ("Mia C", "https://x.com/mia_c")


def test_tags_and_accounts_by_name() -> None:
    assert label_of(InboxTag(id="xg1", name="", color="red")) == Label(label_id="xg1", name="xg1", color="red")
    assert label_of(InboxTag(id="xg1", name="VIP")).name == "VIP"
    assert account_name(None, "xa9") == "xa9"
    named = InboxAccountLink.model_validate({"id": "xa5", "name": "Brand"})
    assert account_name(named, "xa5") == "Brand"


# --- messages and the detail -------------------------------------------------------------------------------


def test_messages_are_named_by_who_wrote_them() -> None:
    t = thread()
    theirs = message_of(message("m1", "xp1"), t, DIRECTORY)
    assert (theirs.direction, theirs.sender.name, theirs.sender.address, theirs.body_text) == (
        "inbound",
        "Mia C",
        "@mia",
        "m1",
    )
    assert message_of(message("m2", "xa1", userId="xu1"), t, DIRECTORY).sender.name == "Ana"
    assert message_of(message("m3", "xa1"), t, DIRECTORY).sender.name == "Glowbrook"
    assert message_of(message("m4", "xa1"), t).sender.name == "You"
    nameless = thread(prospect=prospect(handle="", username="", displayName=""))
    assert message_of(message("m5", "xp1"), nameless).sender.address == ""


def test_a_deleted_message_says_so_unless_it_still_has_text() -> None:
    assert DELETED_TEXT == "(message deleted)"
    t = thread()
    gone = message("m1", "xp1", deletedAt=AT, content="")
    assert message_of(gone, t).body_text == DELETED_TEXT
    assert message_of(message("m2", "xp1", platformDeletedAt=AT, content=""), t).body_text == DELETED_TEXT
    assert message_of(message("m3", "xp1", deletedAt=AT, content="kept"), t).body_text == "kept"
    assert message_of(message("m4", "xp1", content=""), t).body_text == ""


def test_pages_in_any_order_read_oldest_first_once_each() -> None:
    same_time = [message("b", "xp1"), message("a", "xp1"), message("b", "xp1")]
    assert [m.id for m in ordered(same_time)] == ["a", "b"]
    spread = [message("x", "xp1", "2026-11-19T12:00:00Z"), message("y", "xp1", "2026-11-19T09:00:00Z")]
    assert [m.id for m in ordered(spread)] == ["y", "x"]


def test_the_detail_recomputes_the_last_message_from_the_conversation() -> None:
    later = "2026-11-20T08:00:00Z"
    detail = thread_of(thread(isRequest=True), [message("m1", "xp1"), message("m2", "xa1", later)], DIRECTORY)
    assert (detail.last_message_direction, detail.needs_reply, detail.pending_reason) == ("outbound", False, None)
    assert detail.last_message_at == datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
    assert (detail.snippet, detail.message_count) == ("m2", 2)
    assert [m.message_id for m in detail.messages] == ["m1", "m2"]
    assert detail.metadata.labels == summary_of(thread(), DIRECTORY).labels
    assert detail.metadata.coop_status == CoopStatusRef(code="open", name="Open")
    asked = thread_of(thread(isRequest=True), [message("m1", "xp1")], DIRECTORY)
    assert (asked.needs_reply, asked.pending_reason) == (True, "message request")
    done = thread_of(thread(done=True), [message("m1", "xp1")])
    assert (done.needs_reply, done.last_message_direction) == (False, "inbound")
    empty = thread_of(thread(), [], DIRECTORY)
    assert (empty.message_count, empty.snippet, empty.needs_reply) == (0, "hi there", True)
