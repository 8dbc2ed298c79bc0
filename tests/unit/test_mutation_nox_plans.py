"""NoxInfluencer plan builders, whole plans compared: what the confirm modal would show, exactly.

Written against the survivors of ``python -m tools.mutation noxtui.providers.nox_rest.plans`` (and
``composer_plans``): a warning dropped, a refusal deleted, a summary that loses a part, a body that
gains or loses a field. Each test compares the whole plan (minus its random key) or the whole
refusal (what, what to do, which field), so any such change fails here.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from noxtui.domain.errors import PlanError
from noxtui.domain.models import (
    Composer,
    CoopStatus,
    CoopStatusRef,
    Creator,
    CrmChannel,
    Label,
    Project,
    ScheduledReply,
    Sender,
    Template,
    Thread,
    ThreadSummary,
    WritePlan,
)
from noxtui.providers.nox_rest import composer_plans, plans

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
UTC8 = timezone(timedelta(hours=8))
VIP = Label(label_id="lb_vip", name="VIP", color="red")
HOT = Label(label_id="lb_hot", name="Hot lead", color="orange")
SENDERS = [
    Sender(sender_auth_id="sa_1", address="outreach@brand.com", name="Outreach"),
    Sender(sender_auth_id="sa_2", address="deals@brand.com", name="Deals"),
]


def thread(**overrides: Any) -> Thread:
    fields: dict[str, Any] = {
        "thread_id": "th_1",
        "creator": Creator(creator_id="cr_1", name="Mia Chen", platform="youtube"),
        "subject": "Spring launch",
        "last_message_at": NOW - timedelta(hours=2),
        "last_message_direction": "inbound",
        "needs_reply": False,
        "labels": [VIP],
        "coop_status": CoopStatusRef(code="contacted", name="Contacted"),
        "composer": Composer(draft_body="old draft", sender_auth_id="sa_1"),
    }
    fields.update(overrides)
    return Thread.model_validate(fields)


def summary_row(**overrides: Any) -> ThreadSummary:
    """A bare list row: it does not know the draft's files."""
    return ThreadSummary.model_validate(thread(**overrides).model_dump(include=set(ThreadSummary.model_fields)))


def shown(plan: WritePlan) -> dict[str, Any]:
    """The plan as the modal and the request use it; the key is checked apart (it is random)."""
    assert uuid.UUID(plan.idempotency_key).version == 4
    return plan.model_dump(exclude={"idempotency_key"}, exclude_defaults=False)


def refused(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str, dict[str, str]]:
    with pytest.raises(PlanError) as excinfo:
        call(*args, **kwargs)
    return excinfo.value.what, excinfo.value.todo, excinfo.value.fields


# --- archive ------------------------------------------------------------------------------------


def test_archive_warns_first_that_the_thread_still_needs_a_reply_then_each_sibling() -> None:
    siblings = [
        Project(project_id="p1", name="Summer drop", thread_id="th_2", needs_reply=True),
        Project(project_id="p2", name="", thread_id="th_3", needs_reply=True),
        Project(project_id="p3", name="Old", thread_id="th_4", needs_reply=False),
        Project(project_id="p4", name="Same thread", thread_id="th_1", needs_reply=True),
        Project(project_id="p5", name="No thread", thread_id=None, needs_reply=True),
    ]
    plan = plans.archive(thread(needs_reply=True), siblings)
    assert plan.warnings == (
        "This thread still needs a reply.",
        "Summer drop still needs a reply.",
        "th_3 still needs a reply.",
        "This archives message threads only; it is separate from archiving the creator in CRM.",
    )
    assert plan.summary == (
        "Archive the conversation with Mia Chen (YouTube): 4 threads — "
        "th_1 (Spring launch); th_2 (Summer drop); th_3 (th_3); th_4 (Old)"
    )
    assert (plan.kind, plan.method, plan.path, plan.body) == ("archive", "POST", "/messages/threads/th_1/archive", None)
    assert (plan.thread_id, plan.creator_name) == ("th_1", "Mia Chen (YouTube)")


def test_archive_of_a_lone_answered_thread_names_one_thread_and_warns_only_about_crm() -> None:
    plan = plans.archive(thread(subject=""), [])
    assert plan.warnings == ("This archives message threads only; it is separate from archiving the creator in CRM.",)
    assert plan.summary == "Archive the conversation with Mia Chen (YouTube): 1 thread — th_1 (th_1)"


# --- CRM ----------------------------------------------------------------------------------------


def crm(**fields: Any) -> CrmChannel:
    return CrmChannel.model_validate({"creator_id": "cr_1", "owner_uid": "u_1", "notes": "old notes", **fields})


def test_crm_refuses_an_empty_new_owner_naming_the_field() -> None:
    assert refused(plans.crm_update, "cr_1", owner_uid="   ", before=crm()) == (
        "The new owner is empty",
        "Choose a team member.",
        {"owner_uid": "required"},
    )


def test_crm_refuses_a_bad_creator_id_before_anything_else() -> None:
    assert refused(plans.crm_update, "cr/1", before=crm()) == (
        "The creator id 'cr/1' is not valid (letters, digits, '_', ':', '.', '-' only)",
        "Reload the list and pick the item again.",
        {"creator id": "invalid characters"},
    )


def test_crm_refuses_a_change_that_changes_nothing() -> None:
    expected = ("The CRM channel is unchanged: nothing to change", "Edit the notes or the owner first.", {})
    assert refused(plans.crm_update, "cr_1", notes="old notes", owner_uid="u_1", before=crm()) == expected
    assert refused(plans.crm_update, "cr_1", before=crm()) == expected


def test_crm_owner_only_sends_the_owner_and_has_no_text_diff() -> None:
    plan = plans.crm_update("cr_1", owner_uid="u_2", before=crm(owner_uid=None, name="Mia Chen"))
    assert plan.body == {"owner_uid": "u_2"}
    assert plan.summary == "Update the CRM channel of Mia Chen: owner none → u_2"
    assert plan.diff.text is None
    assert (plan.kind, plan.method, plan.path, plan.creator_name) == (
        "crm_update",
        "PATCH",
        "/crm/channels/cr_1",
        "Mia Chen",
    )


def test_crm_notes_and_owner_both_sent_with_the_notes_diff() -> None:
    plan = plans.crm_update("cr_1", notes="new notes", owner_uid="u_2", before=crm())
    assert plan.body == {"notes": "new notes", "owner_uid": "u_2"}
    assert plan.summary == "Update the CRM channel of cr_1: notes, owner u_1 → u_2"
    assert plan.diff.text is not None
    assert (plan.diff.text.before, plan.diff.text.after) == ("old notes", "new notes")


def test_crm_notes_only_keeps_the_owner_out_of_the_body() -> None:
    plan = plans.crm_update("cr_1", notes="new notes", owner_uid="u_1", before=crm())
    assert plan.body == {"notes": "new notes"}
    assert plan.summary == "Update the CRM channel of cr_1: notes"


# --- coop status and undo -----------------------------------------------------------------------


def test_coop_refuses_no_status_and_a_blank_one() -> None:
    expected = ("No coop status is chosen", "Choose a status.", {"coop_status": "required"})
    assert refused(plans.coop_set, thread(), CoopStatusRef(code="")) == expected
    assert refused(plans.coop_set, thread(), CoopStatusRef(code="  ")) == expected


def test_coop_refuses_the_status_it_already_has() -> None:
    assert refused(plans.coop_set, thread(), CoopStatusRef(code="contacted", name="Contacted")) == (
        "The coop status is already Contacted: nothing to change",
        "Choose another status.",
        {},
    )


def test_coop_from_none_and_its_undo_is_refused() -> None:
    plan = plans.coop_set(thread(coop_status=None), CoopStatus(code="deal", name="Deal"))
    assert plan.summary == "Coop status of Mia Chen (YouTube): none → Deal"
    assert plan.body == {"coop_status": "deal"} and plan.undoable is True
    with pytest.raises(PlanError):
        plans.inverse(plan)


def test_coop_undo_goes_back_with_names_or_codes() -> None:
    plan = plans.coop_set(thread(coop_status=CoopStatusRef(code="contacted", name="")), CoopStatusRef(code="deal"))
    assert plan.summary == "Coop status of Mia Chen (YouTube): contacted → deal"
    undo = plans.inverse(plan)
    assert undo.body == {"coop_status": "contacted"}
    assert undo.summary == "Undo: coop status of Mia Chen (YouTube): deal → contacted"
    assert undo.idempotency_key != plan.idempotency_key
    assert undo.diff.status is not None and undo.diff.status.after.code == "contacted"


def test_labels_plan_is_undoable_and_its_undo_names_the_thread() -> None:
    plan = plans.labels_set(thread(), ["lb_vip", "lb_hot"], [VIP, HOT])
    assert plan.undoable is True
    assert (plan.kind, plan.method, plan.path) == ("labels_set", "PUT", "/messages/threads/th_1/labels")
    undo = plans.inverse(plan)
    assert undo.summary == "Undo: Labels on Mia Chen (YouTube): −Hot lead"
    assert undo.body == {"label_ids": ["lb_vip"]}


def test_only_labels_and_coop_plans_have_an_undo() -> None:
    for plan in (
        plans.archive(thread(), []),
        plans.labels_set(thread(), ["lb_hot"], [VIP, HOT]).model_copy(update={"kind": "coop_set"}),
        plans.coop_set(thread(), CoopStatusRef(code="deal")).model_copy(update={"kind": "labels_set"}),
    ):
        with pytest.raises(PlanError):
            plans.inverse(plan)


# --- send and schedule --------------------------------------------------------------------------


def test_send_to_a_thread_with_a_scheduled_reply_and_the_last_word_says_both() -> None:
    when = datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc)
    plan = composer_plans.send(
        thread(last_message_direction="outbound", scheduled_at=when, composer=Composer(attachment_ids=["f1", "f2"])),
        "Hi Mia",
        "sa_2",
        senders=SENDERS,
    )
    assert plan.warnings == (
        "The last message in this thread is yours: this is a follow-up, not a reply.",
        "A reply is already scheduled for 2025-06-02 01:00 UTC: it still goes out then, so the creator gets both.",
    )
    assert plan.body == {"content": "Hi Mia", "sender_auth_id": "sa_2", "attachment_ids": ["f1", "f2"]}
    assert plan.summary == "Send reply to Mia Chen (YouTube) from deals@brand.com with 2 attached files"
    assert (plan.sender, plan.reply_to, plan.kind, plan.method) == ("deals@brand.com", None, "send", "POST")


def test_send_from_a_list_row_omits_the_files_and_without_senders_shows_the_id() -> None:
    plan = composer_plans.send(summary_row(), "Hi", "sa_9", "msg_1")
    assert plan.body == {"content": "Hi", "sender_auth_id": "sa_9", "reply_to_message_id": "msg_1"}
    assert plan.summary == "Send reply to Mia Chen (YouTube) from sa_9"
    assert plan.warnings == () and plan.reply_to == "msg_1"


def test_send_with_one_file_says_file() -> None:
    plan = composer_plans.send(thread(composer=Composer(attachment_ids=["f1"])), "Hi", "sa_1", senders=SENDERS)
    assert plan.summary == "Send reply to Mia Chen (YouTube) from outreach@brand.com with 1 attached file"


def test_a_bad_thread_id_is_refused_before_the_body_is_read() -> None:
    assert refused(composer_plans.send, thread(thread_id="th/1"), "", None) == (
        "The thread id 'th/1' is not valid (letters, digits, '_', ':', '.', '-' only)",
        "Reload the list and pick the item again.",
        {"thread id": "invalid characters"},
    )


def test_send_refusals_say_what_is_missing() -> None:
    assert refused(composer_plans.send, thread(), "", "sa_1") == (
        "The reply is empty",
        "Write the reply first; an empty reply cannot be sent and does not clear a pending thread.",
        {"content": "empty"},
    )
    assert refused(composer_plans.send, thread(), "\u200b \u200d", "sa_1")[0] == "The reply is empty"
    no_sender = ("No sender is chosen", "Choose a sender.", {"sender_auth_id": "required"})
    assert refused(composer_plans.send, thread(), "Hi", None) == no_sender
    assert refused(composer_plans.send, thread(), "Hi", "  ") == no_sender
    assert refused(composer_plans.send, thread(), "Hi", "sa_x", senders=SENDERS) == (
        "The sender 'sa_x' is not one this team may send from",
        "Choose a sender from the list.",
        {"sender_auth_id": "unknown"},
    )


def test_schedule_replacing_a_scheduled_reply_warns_after_the_follow_up_warning() -> None:
    old = datetime(2025, 6, 2, 9, 30, tzinfo=UTC8)
    plan = composer_plans.schedule(
        thread(last_message_direction="outbound", scheduled_at=old),
        "Hi",
        "sa_1",
        "2025-06-03T09:00+08:00",
        NOW,
        senders=SENDERS,
    )
    assert plan.warnings == (
        "The last message in this thread is yours: this is a follow-up, not a reply.",
        "This replaces the reply already scheduled for 2025-06-02 09:30 UTC+8.",
    )
    assert plan.body == {
        "content": "Hi",
        "sender_auth_id": "sa_1",
        "plan_send_at": "2025-06-03T09:00:00+08:00",
        "attachment_ids": [],
    }
    assert plan.summary == "Schedule reply to Mia Chen (YouTube) from outreach@brand.com for 2025-06-03 09:00 UTC+8"
    assert plan.send_at == datetime(2025, 6, 3, 1, 0, tzinfo=timezone.utc)
    assert (plan.kind, plan.method, plan.path) == ("schedule", "POST", "/messages/threads/th_1/schedule")


def test_schedule_from_a_row_with_nothing_scheduled_has_no_warning_and_no_files() -> None:
    plan = composer_plans.schedule(summary_row(), "Hi", "sa_1", "2025-06-03T09:00Z", NOW)
    assert plan.warnings == ()
    assert "attachment_ids" not in (plan.body or {})
    with pytest.raises(PlanError):
        composer_plans.schedule(summary_row(), "  ", "sa_1", "2025-06-03T09:00Z", NOW)
    with pytest.raises(PlanError):
        composer_plans.schedule(summary_row(), "Hi", None, "2025-06-03T09:00Z", NOW)


def test_cancel_names_the_time_and_keeps_the_text_on_both_sides() -> None:
    scheduled = ScheduledReply(
        plan_send_at=datetime(2025, 6, 2, 9, 0, tzinfo=UTC8), content="Later", sender_auth_id="a"
    )
    plan = composer_plans.cancel(thread(composer=Composer(scheduled=scheduled)))
    assert plan.summary == "Cancel the reply to Mia Chen (YouTube) scheduled for 2025-06-02 09:00 UTC+8"
    assert (plan.kind, plan.method, plan.path, plan.body) == (
        "cancel",
        "DELETE",
        "/messages/threads/th_1/schedule",
        None,
    )
    assert plan.send_at == scheduled.plan_send_at
    assert plan.diff.text is not None and (plan.diff.text.before, plan.diff.text.after) == ("Later", "Later")
    assert refused(composer_plans.cancel, thread()) == (
        "Nothing is scheduled on this thread",
        "Press r to reload if you expected a scheduled reply.",
        {},
    )


# --- drafts -------------------------------------------------------------------------------------


def test_draft_save_with_a_new_sender_and_files() -> None:
    plan = composer_plans.draft_save(
        thread(composer=Composer(draft_body="old", sender_auth_id="sa_1", attachment_ids=["f1"])),
        "new",
        "sa_2",
        senders=SENDERS,
    )
    assert plan.body == {"body": "new", "sender_auth_id": "sa_2", "attachment_ids": ["f1"]}
    assert plan.summary == "Save draft for Mia Chen (YouTube) with 1 attached file (from deals@brand.com)"
    assert plan.diff.text is not None and (plan.diff.text.before, plan.diff.text.after) == ("old", "new")
    assert (plan.kind, plan.method, plan.path, plan.sender) == (
        "draft_save",
        "PUT",
        "/messages/threads/th_1/draft",
        "deals@brand.com",
    )


def test_draft_save_clearing_the_text_without_a_sender() -> None:
    plan = composer_plans.draft_save(thread(), " ")
    assert plan.body == {"body": " ", "attachment_ids": []}
    assert plan.summary == "Clear the draft text for Mia Chen (YouTube)"
    assert plan.sender is None


def test_draft_save_refuses_no_change_but_accepts_a_sender_change_alone() -> None:
    unchanged = ("The draft is unchanged: nothing to change", "Edit the reply first.", {})
    assert refused(composer_plans.draft_save, thread(), "old draft") == unchanged
    assert refused(composer_plans.draft_save, thread(), "old draft", "sa_1") == unchanged
    plan = composer_plans.draft_save(thread(), "old draft", "sa_2", senders=SENDERS)
    assert plan.body == {"body": "old draft", "sender_auth_id": "sa_2", "attachment_ids": []}


# --- templates ----------------------------------------------------------------------------------

TEMPLATE = Template(template_id="tp_1", name="Intro", language="en", body="Hello there")


def test_template_use_over_a_draft_warns_and_sends_the_variables() -> None:
    plan = composer_plans.template_use(thread(), TEMPLATE, {"name": "Mia", "n": 2})  # type: ignore[dict-item]
    assert plan.body == {"thread_id": "th_1", "variables": {"name": "Mia", "n": "2"}}
    assert plan.warnings == ("This replaces the current draft.",)
    assert plan.summary == "Use template “Intro” (en) as the draft for Mia Chen (YouTube)"
    assert (plan.kind, plan.method, plan.path) == ("template_use", "POST", "/messages/templates/tp_1/use")
    assert plan.diff.text is not None and (plan.diff.text.before, plan.diff.text.after) == ("old draft", TEMPLATE.body)


def test_template_use_refuses_a_bad_template_id_before_the_variables() -> None:
    bad = Template(template_id="tp/1", name="Intro", language="en", body="x")
    assert refused(composer_plans.template_use, thread(), bad, {" ": "x"}) == (
        "The template id 'tp/1' is not valid (letters, digits, '_', ':', '.', '-' only)",
        "Reload the list and pick the item again.",
        {"template id": "invalid characters"},
    )


def test_template_use_on_an_empty_draft_has_no_warning_nor_variables() -> None:
    plan = composer_plans.template_use(thread(composer=Composer(draft_body="  ")), TEMPLATE)
    assert plan.body == {"thread_id": "th_1"} and plan.warnings == ()
    assert refused(composer_plans.template_use, thread(), TEMPLATE, {" ": "x"}) == (
        "A template variable has no name",
        "Name every variable or remove it.",
        {"variables": "empty name"},
    )


def test_template_save_trims_names_and_keeps_a_subject_only_when_given() -> None:
    plan = composer_plans.template_save(" Intro ", " en ", "Body", subject="Hi")
    assert plan.body == {"name": "Intro", "language": "en", "subject": "Hi", "body": "Body"}
    assert list(plan.body) == ["name", "language", "subject", "body"]
    assert plan.summary == "Save template “Intro” (en)"
    assert (plan.kind, plan.method, plan.path) == ("template_save", "POST", "/messages/templates")
    assert plan.diff.text is not None and (plan.diff.text.before, plan.diff.text.after) == ("", "Body")
    assert composer_plans.template_save("A", "en", "B", subject=" ").body == {
        "name": "A",
        "language": "en",
        "body": "B",
    }
    assert refused(composer_plans.template_save, "", " ", "x") == (
        "The template needs a name, language",
        "Fill in the missing fields.",
        {"name": "required", "language": "required"},
    )
