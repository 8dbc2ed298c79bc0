"""Inbox plan builders, whole plans compared: tags, Open/Done and pipeline status, archive, assign, send.

Written against the survivors of ``python -m tools.mutation noxtui.providers.inbox.plans``: the
archive's "still needs a reply" warning dropped, Done ⇄ Open sent to the wrong resource, a DM one
character over X's limit let through, an undo that restores the wrong status.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest

from noxtui.domain.errors import PlanError
from noxtui.domain.models import CoopStatus, CoopStatusRef, Creator, Label, Message, Thread, ThreadSummary, WritePlan
from noxtui.domain.plan_rules import FOLLOW_UP_WARNING
from noxtui.providers.inbox import plans
from noxtui.providers.inbox.errors import OUTBOUND_FIRST_WARNING

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
VIP = Label(label_id="tagvip", name="VIP")
HOT = Label(label_id="taghot", name="Hot")
OPEN = CoopStatusRef(code="open", name="Open")
DONE = CoopStatusRef(code="done", name="Done")
NEGOTIATING = CoopStatusRef(code="st1", name="Negotiating")


def row(**fields: Any) -> ThreadSummary:
    base: dict[str, Any] = {
        "thread_id": "th1",
        "creator": Creator(creator_id="pr1", name="Mia Chen", platform="twitter"),
        "last_message_at": NOW,
        "last_message_direction": "inbound",
        "needs_reply": False,
        "labels": [VIP],
        "coop_status": OPEN,
    }
    return ThreadSummary.model_validate({**base, **fields})


def detail(messages: int, **fields: Any) -> Thread:
    sent = [Message(message_id=f"m{i}", direction="inbound", sent_at=NOW, body_text="hi") for i in range(messages)]
    return Thread.model_validate({**row(**fields).model_dump(), "messages": sent})


def refused(call: Any, *args: Any) -> tuple[str, str, dict[str, str]]:
    with pytest.raises(PlanError) as excinfo:
        call(*args)
    return excinfo.value.what, excinfo.value.todo, excinfo.value.fields


def plain(plan: WritePlan) -> dict[str, Any]:
    assert uuid.UUID(plan.idempotency_key).version == 4
    return plan.model_dump(
        include={"kind", "method", "path", "body", "summary", "thread_id", "creator_name", "warnings", "undoable"}
    )


# --- tags ----------------------------------------------------------------------------------------------


def test_tags_are_sent_as_the_difference_and_undone_the_other_way() -> None:
    plan = plans.tags_set(row(), ["taghot"], [VIP, HOT])
    assert plain(plan) == {
        "kind": "labels_set",
        "method": "PATCH",
        "path": "/prospects/pr1/context",
        "body": {"addTags": ["taghot"], "removeTags": ["tagvip"]},
        "summary": "Tags on Mia Chen (X): +Hot −VIP",
        "thread_id": "th1",
        "creator_name": "Mia Chen (X)",
        "warnings": (),
        "undoable": True,
    }
    assert plan.provider == "inbox"
    undo = plans.inverse(plan)
    assert undo.body == {"addTags": ["tagvip"], "removeTags": ["taghot"]}
    assert undo.diff.labels is not None
    assert (undo.diff.labels.added, undo.diff.labels.removed) == ((VIP,), (HOT,))
    assert undo.summary == "Undo: Tags on Mia Chen (X): +VIP −Hot"
    assert undo.idempotency_key != plan.idempotency_key and undo.path == plan.path


def test_tags_refuse_bad_ids_and_a_prospect_not_imported() -> None:
    assert refused(plans.tags_set, row(), ["Tag-1"], [VIP])[2] == {"tag id": "invalid characters"}
    assert refused(plans.tags_set, row(thread_id="TH"), ["taghot"], [HOT])[2] == {"thread id": "invalid characters"}
    not_imported = row(creator=Creator(creator_id="", name="Mia Chen", platform="twitter"))
    assert refused(plans.tags_set, not_imported, ["taghot"], [HOT]) == (
        "Mia Chen (X) is not imported into Inbox yet (the prospect has no externalId), "
        "so Inbox's API cannot change their tags",
        "Open the prospect in Inbox once (that imports them), then press r and try again.",
        {"externalId": "null"},
    )


# --- status: Open ⇄ Done on the thread, pipeline statuses on the prospect --------------------------------


def test_done_is_the_threads_flag_and_its_undo_reopens() -> None:
    plan = plans.status_set(row(), CoopStatus(code="done", name="whatever"))
    assert plain(plan) == {
        "kind": "coop_set",
        "method": "PATCH",
        "path": "/threads/th1",
        "body": {"done": True},
        "summary": "Status of Mia Chen (X): Open → Done",
        "thread_id": "th1",
        "creator_name": "Mia Chen (X)",
        "warnings": (),
        "undoable": True,
    }
    undo = plans.inverse(plan)
    assert undo.body == {"done": False}
    assert undo.summary == "Undo: status of Mia Chen (X): Done → Open"
    assert undo.diff.status is not None and undo.diff.status.after == OPEN


def test_done_to_open_reopens_the_thread() -> None:
    plan = plans.status_set(row(coop_status=DONE), OPEN)
    assert (plan.path, plan.body, plan.summary) == (
        "/threads/th1",
        {"done": False},
        "Status of Mia Chen (X): Done → Open",
    )


def test_a_pipeline_status_is_the_prospects_and_open_clears_it() -> None:
    plan = plans.status_set(row(coop_status=None), CoopStatusRef(code="st1", name="Negotiating"))
    assert (plan.path, plan.body, plan.summary) == (
        "/prospects/pr1/context",
        {"statusId": "st1"},
        "Status of Mia Chen (X): none → Negotiating",
    )
    unnamed = plans.status_set(row(), CoopStatusRef(code="st2"))
    assert unnamed.summary == "Status of Mia Chen (X): Open → st2"
    back = plans.status_set(row(coop_status=NEGOTIATING), OPEN)
    assert (back.path, back.body) == ("/prospects/pr1/context", {"statusId": None})
    undo = plans.inverse(back)
    assert undo.body == {"statusId": "st1"}
    assert undo.idempotency_key != back.idempotency_key
    assert undo.summary == "Undo: status of Mia Chen (X): Open → Negotiating"


def test_a_tag_the_thread_carries_with_a_foreign_id_is_refused_when_removed() -> None:
    assert refused(plans.tags_set, row(labels=[Label(label_id="Old-Tag", name="Old")]), [], [])[2] == {
        "tag id": "invalid characters"
    }


def test_every_plan_names_a_bad_thread_id() -> None:
    bad = row(thread_id="TH-1")
    for call, args in (
        (plans.status_set, (bad, DONE)),
        (plans.archive, (bad,)),
        (plans.assign, (bad, "mem1", "Ana")),
        (plans.send, (bad, "Hi")),
    ):
        assert refused(call, *args) == (
            "The thread id 'TH-1' is not an Inbox id (lower-case letters and digits only)",
            "Reload the list and pick the item again.",
            {"thread id": "invalid characters"},
        )


def test_a_pipeline_status_for_a_prospect_not_imported_is_refused_naming_it() -> None:
    not_imported = row(creator=Creator(creator_id="", name="Mia Chen", platform="twitter"))
    assert refused(plans.status_set, not_imported, NEGOTIATING)[0] == (
        "Mia Chen (X) is not imported into Inbox yet (the prospect has no externalId), "
        "so Inbox's API cannot change their pipeline status"
    )


def test_status_refusals() -> None:
    assert refused(plans.status_set, row(), OPEN) == (
        "The thread is already Open: nothing to change",
        "Choose another status.",
        {},
    )
    assert refused(plans.status_set, row(coop_status=DONE), NEGOTIATING) == (
        "The thread is done, so a pipeline status (Negotiating) would not show",
        "Reopen it first (Open), then pick the status.",
        {},
    )
    assert refused(plans.status_set, row(), CoopStatusRef(code="St 1"))[2] == {"status id": "invalid characters"}


def test_a_status_plan_from_no_status_cannot_be_undone_nor_can_an_assign() -> None:
    plan = plans.status_set(row(coop_status=None), NEGOTIATING)
    with pytest.raises(PlanError):
        plans.inverse(plan)
    with pytest.raises(PlanError):
        plans.inverse(plans.assign(row(), "mem1", "Ana"))
    with pytest.raises(PlanError):
        plans.inverse(plans.tags_set(row(), ["taghot"], [HOT]).model_copy(update={"kind": "coop_set"}))


# --- archive -------------------------------------------------------------------------------------------


def test_archive_warns_when_the_thread_still_needs_a_reply() -> None:
    plan = plans.archive(row(needs_reply=True, coop_status=None))
    assert plain(plan) == {
        "kind": "archive",
        "method": "PATCH",
        "path": "/threads/th1",
        "body": {"done": True},
        "summary": "Archive the DM thread with Mia Chen (X) (mark it done)",
        "thread_id": "th1",
        "creator_name": "Mia Chen (X)",
        "warnings": ("This thread still needs a reply.",),
        "undoable": False,
    }
    assert plan.diff.status is not None
    assert (plan.diff.status.before, plan.diff.status.after) == (None, DONE)
    assert plans.archive(row()).warnings == ()


def test_archive_of_a_done_thread_is_refused() -> None:
    assert refused(plans.archive, row(coop_status=DONE)) == (
        "The thread is already done (archived): nothing to change",
        "Pick another thread.",
        {},
    )


# --- assign --------------------------------------------------------------------------------------------


def test_assign_and_unassign() -> None:
    plan = plans.assign(row(), "mem1", "Ana")
    assert (plan.kind, plan.method, plan.path, plan.body, plan.summary) == (
        "assign",
        "PATCH",
        "/threads/th1",
        {"assigneeId": "mem1"},
        "Assign the DM with Mia Chen (X) to Ana",
    )
    assert plans.assign(row(), "mem1", None).summary == "Assign the DM with Mia Chen (X) to mem1"
    off = plans.assign(row(owner_uid="mem1"), None, None)
    assert (off.body, off.summary) == ({"assigneeId": None}, "Unassign the DM with Mia Chen (X)")
    assert refused(plans.assign, row(owner_uid="mem1"), "mem1", "Ana") == (
        "The thread is already assigned to Ana: nothing to change",
        "Pick someone else.",
        {},
    )
    assert refused(plans.assign, row(owner_uid="mem1"), "mem1", None)[0] == (
        "The thread is already assigned to mem1: nothing to change"
    )
    assert refused(plans.assign, row(), None, None)[0] == "The thread is already unassigned: nothing to change"
    assert refused(plans.assign, row(), "Mem 1", None)[2] == {"member id": "invalid characters"}


# --- send ----------------------------------------------------------------------------------------------


def test_send_trims_and_replies_to_a_message() -> None:
    plan = plans.send(detail(1), "  Hi Mia  ", "msg1")
    assert plain(plan) == {
        "kind": "send",
        "method": "POST",
        "path": "/threads/th1/messages",
        "body": {"content": "Hi Mia", "replyToMessageId": "msg1"},
        "summary": "Send DM to Mia Chen (X) in reply to msg1",
        "thread_id": "th1",
        "creator_name": "Mia Chen (X)",
        "warnings": (),
        "undoable": False,
    }
    assert plan.reply_to == "msg1"
    bare = plans.send(row(), "Hi")
    assert (bare.body, bare.summary, bare.reply_to) == ({"content": "Hi"}, "Send DM to Mia Chen (X)", None)


def test_send_warnings_first_message_or_follow_up() -> None:
    assert plans.send(detail(0), "Hi").warnings == (OUTBOUND_FIRST_WARNING,)
    assert plans.send(detail(0, last_message_direction="outbound"), "Hi").warnings == (OUTBOUND_FIRST_WARNING,)
    assert plans.send(row(pending_reason="no messages yet"), "Hi").warnings == (OUTBOUND_FIRST_WARNING,)
    assert plans.send(row(last_message_direction="outbound"), "Hi").warnings == (FOLLOW_UP_WARNING,)
    assert plans.send(detail(2, last_message_direction="outbound"), "Hi").warnings == (FOLLOW_UP_WARNING,)
    assert plans.send(row(pending_reason="other"), "Hi").warnings == ()


def test_send_length_is_checked_at_the_limit_after_trimming() -> None:
    assert plans.send(row(), " " + "x" * 10_000 + " ").body == {"content": "x" * 10_000}
    assert refused(plans.send, row(), "x" * 10_001) == (
        "The message is 10,001 characters; X allows 10,000 in one DM",
        "Shorten it or split it into two messages.",
        {"content": "too long"},
    )


def test_send_refuses_an_empty_message_and_a_bad_reply_id() -> None:
    empty = (
        "The message is empty",
        "Write the message first; an empty DM cannot be sent.",
        {"content": "empty"},
    )
    assert refused(plans.send, row(), "") == empty
    assert refused(plans.send, row(), None) == empty
    assert refused(plans.send, row(), " \u200b ") == empty
    assert refused(plans.send, row(), "Hi", "Msg-1")[2] == {"reply-to message id": "invalid characters"}
