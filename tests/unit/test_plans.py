"""Plan builders: every refusal says what to fix, diffs are right, bodies match the contract. No I/O."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from noxtui.domain.errors import PlanError, ValidationError
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
    TextDiff,
    Thread,
)
from noxtui.providers.nox_rest import plans

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
VIP = Label(label_id="lb_vip", name="VIP", color="red")
HOT = Label(label_id="lb_hot", name="Hot lead", color="orange")
COLD = Label(label_id="lb_cold", name="Cold", color="blue")
CATALOGUE = [VIP, HOT, COLD]
SENDERS = [Sender(sender_auth_id="sa_1", address="outreach@brand.com", name="Outreach")]


def make_thread(**overrides: object) -> Thread:
    fields: dict[str, object] = {
        "thread_id": "th_1",
        "business_kind": "email_task",
        "business_id": "task_1",
        "creator": Creator(creator_id="cr_1", name="Mia Chen", platform="youtube"),
        "subject": "Spring launch",
        "last_message_at": NOW - timedelta(hours=2),
        "last_message_direction": "inbound",
        "needs_reply": True,
        "labels": [VIP, COLD],
        "coop_status": CoopStatusRef(code="contacted", name="Contacted"),
        "composer": Composer(draft_body="old draft", sender_auth_id="sa_1"),
    }
    fields.update(overrides)
    return Thread.model_validate(fields)


def refusal(excinfo: pytest.ExceptionInfo[PlanError]) -> str:
    return excinfo.value.message.lower()


def assert_fresh_key(key: str) -> None:
    assert uuid.UUID(key).version == 4


# --- labels -------------------------------------------------------------------------------------


def test_labels_diff_added_removed_kept_and_body() -> None:
    plan = plans.labels_set(make_thread(), ["lb_vip", "lb_hot"], CATALOGUE)
    assert plan.method == "PUT"
    assert plan.path == "/messages/threads/th_1/labels"
    assert plan.body == {"label_ids": ["lb_vip", "lb_hot"]}
    assert plan.diff.labels is not None
    assert plan.diff.labels.added == (HOT,)
    assert plan.diff.labels.removed == (COLD,)
    assert plan.diff.labels.kept == (VIP,)
    assert plan.undoable is True
    assert plan.summary == "Labels on Mia Chen (YouTube): +Hot lead −Cold"
    assert_fresh_key(plan.idempotency_key)


def test_labels_dedupes_ids() -> None:
    plan = plans.labels_set(make_thread(), ["lb_hot", "lb_vip", "lb_hot", "lb_cold"], CATALOGUE)
    assert plan.body == {"label_ids": ["lb_hot", "lb_vip", "lb_cold"]}
    assert plan.diff.labels is not None and plan.diff.labels.added == (HOT,)


def test_labels_refuse_unknown_ids_naming_them() -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.labels_set(make_thread(), ["lb_vip", "lb_gone", "lb_nope"], CATALOGUE)
    assert "lb_gone" in excinfo.value.message and "lb_nope" in excinfo.value.message
    assert "lb_vip" not in excinfo.value.what


def test_labels_noop_refused() -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.labels_set(make_thread(), ["lb_cold", "lb_vip", "lb_vip"], CATALOGUE)
    assert "nothing to change" in refusal(excinfo)


def test_labels_clear_all_is_a_change() -> None:
    plan = plans.labels_set(make_thread(), [], CATALOGUE)
    assert plan.body == {"label_ids": []}
    assert plan.diff.labels is not None and plan.diff.labels.removed == (VIP, COLD)


def test_label_on_thread_but_gone_from_catalogue_may_be_kept() -> None:
    plan = plans.labels_set(make_thread(), ["lb_cold", "lb_hot"], [HOT])
    assert plan.diff.labels is not None and plan.diff.labels.kept == (COLD,)


def test_labels_inverse_restores_previous_set_with_new_key() -> None:
    plan = plans.labels_set(make_thread(), ["lb_vip", "lb_hot"], CATALOGUE)
    undo = plans.inverse(plan)
    assert sorted(undo.body["label_ids"]) == ["lb_cold", "lb_vip"]  # type: ignore[index]
    assert undo.diff.labels is not None
    assert undo.diff.labels.added == (COLD,) and undo.diff.labels.removed == (HOT,)
    assert undo.path == plan.path and undo.method == "PUT"
    assert undo.idempotency_key != plan.idempotency_key
    assert undo.summary.startswith("Undo: ")


# --- coop status --------------------------------------------------------------------------------


def test_coop_diff_and_body() -> None:
    plan = plans.coop_set(make_thread(), CoopStatus(code="deal", name="Deal", order=4))
    assert plan.body == {"coop_status": "deal"}
    assert plan.path == "/messages/threads/th_1/coop-status"
    assert plan.diff.status is not None
    assert plan.diff.status.before == CoopStatusRef(code="contacted", name="Contacted")
    assert plan.diff.status.after.code == "deal"
    assert plan.summary == "Coop status of Mia Chen (YouTube): Contacted → Deal"
    assert plan.undoable is True


def test_coop_same_status_refused() -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.coop_set(make_thread(), CoopStatus(code="contacted", name="Contacted"))
    assert "nothing to change" in refusal(excinfo)


def test_coop_inverse_and_no_inverse_without_before() -> None:
    plan = plans.coop_set(make_thread(), CoopStatus(code="deal", name="Deal"))
    undo = plans.inverse(plan)
    assert undo.body == {"coop_status": "contacted"}
    assert undo.diff.status is not None and undo.diff.status.after.code == "contacted"
    fresh = plans.coop_set(make_thread(coop_status=None), CoopStatus(code="deal", name="Deal"))
    assert fresh.summary.endswith("none → Deal")
    with pytest.raises(PlanError):
        plans.inverse(fresh)


def test_only_labels_and_coop_are_undoable() -> None:
    plan = plans.send(make_thread(), "Hi Mia", "sa_1")
    assert plan.undoable is False
    with pytest.raises(PlanError):
        plans.inverse(plan)


# --- composer -----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   ", "\n\t \n"])
def test_send_refuses_blank_body(body: str) -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.send(make_thread(), body, "sa_1")
    assert "empty" in refusal(excinfo)
    assert excinfo.value.fields == {"content": "empty"}


@pytest.mark.parametrize("sender", [None, "", "  "])
def test_send_requires_a_sender(sender: str | None) -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.send(make_thread(), "Hi Mia", sender)
    assert "choose a sender" in refusal(excinfo)


def test_send_refuses_sender_not_in_the_list() -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.send(make_thread(), "Hi Mia", "sa_other", senders=SENDERS)
    assert "sa_other" in excinfo.value.message


def test_send_body_and_summary() -> None:
    plan = plans.send(make_thread(), "Hi Mia", "sa_1", "msg_9", senders=SENDERS)
    assert plan.method == "POST" and plan.path == "/messages/threads/th_1/send"
    assert plan.body == {
        "content": "Hi Mia", "sender_auth_id": "sa_1", "reply_to_message_id": "msg_9", "attachment_ids": []
    }
    assert plan.summary == "Send reply to Mia Chen (YouTube) from outreach@brand.com"
    assert plan.sender == "outreach@brand.com" and plan.reply_to == "msg_9"
    assert plan.warnings == ()
    bare = plans.send(make_thread(), "Hi Mia", "sa_1")
    assert bare.body == {"content": "Hi Mia", "sender_auth_id": "sa_1", "attachment_ids": []}


def test_send_warns_on_follow_up() -> None:
    plan = plans.send(make_thread(last_message_direction="outbound", needs_reply=False), "Ping", "sa_1")
    assert any("follow-up" in w for w in plan.warnings)


def test_each_plan_gets_a_new_key() -> None:
    keys = {plans.send(make_thread(), "Hi", "sa_1").idempotency_key for _ in range(5)}
    assert len(keys) == 5


def test_draft_save_diff_body_and_optional_sender() -> None:
    plan = plans.draft_save(make_thread(), "new draft", "sa_1")
    assert plan.method == "PUT" and plan.path == "/messages/threads/th_1/draft"
    assert plan.body == {"body": "new draft", "sender_auth_id": "sa_1", "attachment_ids": []}
    assert plan.diff.text is not None
    assert (plan.diff.text.before, plan.diff.text.after) == ("old draft", "new draft")
    no_sender = plans.draft_save(make_thread(), "new draft", None)
    assert no_sender.body == {"body": "new draft", "attachment_ids": []}


def test_draft_unchanged_refused_but_clearing_allowed() -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.draft_save(make_thread(), "old draft", "sa_1")
    assert "nothing to change" in refusal(excinfo)
    cleared = plans.draft_save(make_thread(), "", None)
    assert cleared.summary.startswith("Clear the draft")


# --- schedule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-02T09:00:00Z", datetime(2025, 6, 2, 9, tzinfo=timezone.utc)),
        ("2025-06-02T09:00+08:00", datetime(2025, 6, 2, 1, tzinfo=timezone.utc)),
        ("2025-06-02T09:00-05:00", datetime(2025, 6, 2, 14, tzinfo=timezone.utc)),
        ("  2025-06-02 09:00+00:00 ", datetime(2025, 6, 2, 9, tzinfo=timezone.utc)),
    ],
)
def test_parse_send_at_accepts_whole_hour_offsets(text: str, expected: datetime) -> None:
    parsed = plans.parse_plan_send_at(text, NOW)
    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2025-06-02T09:00+05:30", "whole hour"),
        ("2025-06-02T09:00-09:45", "whole hour"),
        ("2025-06-02T09:00+15:00", "out of range"),
        ("2025-06-02T09:00-13:00", "out of range"),
        ("2025-06-02T09:00", "no time-zone offset"),
        ("2025-06-02", "no time-zone offset"),
        ("tomorrow at nine", "not a date"),
        ("", "no send time"),
        ("2025-05-31T09:00Z", "in the past"),
        ("2025-06-01T08:00Z", "in the past"),
    ],
)
def test_parse_send_at_refusals_say_why(text: str, says: str) -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.parse_plan_send_at(text, NOW)
    assert says in refusal(excinfo)
    assert "plan_send_at" in excinfo.value.fields


def test_parse_send_at_naive_now_is_utc() -> None:
    assert plans.parse_plan_send_at("2025-06-01T09:00Z", NOW.replace(tzinfo=None))


def test_schedule_body_normalised_and_summary() -> None:
    plan = plans.schedule(make_thread(), "Hi Mia", "sa_1", "2025-06-02T09:00+08:00", NOW, senders=SENDERS)
    assert plan.method == "POST" and plan.path == "/messages/threads/th_1/schedule"
    assert plan.body == {
        "content": "Hi Mia",
        "sender_auth_id": "sa_1",
        "plan_send_at": "2025-06-02T09:00:00+08:00",
        "attachment_ids": [],
    }
    assert plan.send_at == datetime(2025, 6, 2, 1, tzinfo=timezone.utc)
    assert "Mia Chen (YouTube)" in plan.summary and "outreach@brand.com" in plan.summary
    assert plan.summary.endswith("for 2025-06-02 09:00 UTC+8")
    zulu = plans.schedule(make_thread(), "Hi", "sa_1", "2025-06-02T09:00Z", NOW)
    assert zulu.body is not None and zulu.body["plan_send_at"] == "2025-06-02T09:00:00+00:00"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2025-06-02T09:00+08:00", "2025-06-02 09:00 UTC+8"),
        ("2025-06-02T09:00Z", "2025-06-02 09:00 UTC"),
        ("2025-06-02T09:00-05:00", "2025-06-02 09:00 UTC-5"),
        ("2025-06-02T09:00-09:30", "2025-06-02 09:00 UTC-9:30"),
    ],
)
def test_format_when_keeps_the_typed_zone(text: str, shown: str) -> None:
    assert plans.format_when(datetime.fromisoformat(text)) == shown


def test_schedule_validates_body_and_sender_first() -> None:
    with pytest.raises(PlanError, match="empty"):
        plans.schedule(make_thread(), " ", "sa_1", "2025-06-02T09:00Z", NOW)
    with pytest.raises(PlanError, match="Choose a sender"):
        plans.schedule(make_thread(), "Hi", None, "2025-06-02T09:00Z", NOW)


def test_schedule_warns_when_replacing() -> None:
    thread = make_thread(scheduled_at=NOW + timedelta(hours=3))
    plan = plans.schedule(thread, "Hi", "sa_1", "2025-06-02T09:00Z", NOW)
    assert any("replaces" in w for w in plan.warnings)


def test_cancel_refused_when_nothing_scheduled() -> None:
    with pytest.raises(PlanError) as excinfo:
        plans.cancel(make_thread())
    assert "nothing is scheduled" in refusal(excinfo)


def test_cancel_plan() -> None:
    scheduled = ScheduledReply(plan_send_at=NOW + timedelta(days=1), content="Hi", sender_auth_id="sa_1")
    plan = plans.cancel(make_thread(composer=Composer(scheduled=scheduled)))
    assert plan.method == "DELETE" and plan.path == "/messages/threads/th_1/schedule" and plan.body is None
    assert "Mia Chen (YouTube)" in plan.summary


# --- templates ----------------------------------------------------------------------------------


TEMPLATE = Template(template_id="tpl_1", name="Intro", language="en", subject="Hello", body="Hi {{name}}")


def test_template_use_body_and_warning() -> None:
    plan = plans.template_use(make_thread(), TEMPLATE, {"name": "Mia"})
    assert plan.method == "POST" and plan.path == "/messages/templates/tpl_1/use"
    assert plan.body == {"thread_id": "th_1", "variables": {"name": "Mia"}}
    assert plan.diff.text is not None and plan.diff.text.before == "old draft"
    assert any("replaces the current draft" in w for w in plan.warnings)
    bare = plans.template_use(make_thread(composer=Composer()), TEMPLATE)
    assert bare.body == {"thread_id": "th_1"} and bare.warnings == ()


def test_template_use_refuses_nameless_variable() -> None:
    with pytest.raises(PlanError):
        plans.template_use(make_thread(), TEMPLATE, {" ": "x"})


def test_template_save_body_and_refusals() -> None:
    plan = plans.template_save("Intro", "en", "Hi there", "Hello")
    assert plan.method == "POST" and plan.path == "/messages/templates"
    assert plan.body == {"name": "Intro", "language": "en", "subject": "Hello", "body": "Hi there"}
    assert plans.template_save("Intro", "en", "Hi").body == {"name": "Intro", "language": "en", "body": "Hi"}
    with pytest.raises(PlanError) as excinfo:
        plans.template_save(" ", "en", "")
    assert set(excinfo.value.fields) == {"name", "body"}


# --- archive and CRM ----------------------------------------------------------------------------


def test_archive_lists_every_thread() -> None:
    siblings = [
        Project(project_id="email_task:task_1", name="Spring launch", thread_id="th_1"),
        Project(project_id="email_task:task_2", name="Summer drop", thread_id="th_2", needs_reply=True),
        Project(project_id="email_task:task_3", name="Autumn", thread_id="th_3"),
        Project(project_id="email_task:task_4", name="No thread yet"),
    ]
    plan = plans.archive(make_thread(), siblings)
    assert plan.method == "POST" and plan.path == "/messages/threads/th_1/archive"
    for thread_id in ("th_1", "th_2", "th_3"):
        assert thread_id in plan.summary
    assert "3 threads" in plan.summary
    assert any("Summer drop" in w for w in plan.warnings)
    assert plan.undoable is False


def test_crm_update_sends_only_changes() -> None:
    before = CrmChannel(creator_id="cr_1", owner_uid="u_1", notes="old")
    plan = plans.crm_update("cr_1", notes="new", before=before)
    assert plan.method == "PATCH" and plan.path == "/crm/channels/cr_1"
    assert plan.body == {"notes": "new"}
    assert plan.diff.text == TextDiff(before="old", after="new")
    owner = plans.crm_update("cr_1", notes="old", owner_uid="u_2", before=before)
    assert owner.body == {"owner_uid": "u_2"} and owner.diff.text is None
    with pytest.raises(PlanError, match="nothing to change"):
        plans.crm_update("cr_1", notes="old", owner_uid="u_1", before=before)


# --- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["..", ".", "a/b", "th 1", "", "th_1?x=1", "%2e%2e"])
def test_invalid_thread_id_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        plans.send(make_thread(thread_id=bad), "Hi", "sa_1")


def test_colon_ids_are_quoted() -> None:
    plan = plans.send(make_thread(thread_id="email_task:42.x"), "Hi", "sa_1")
    assert plan.path == "/messages/threads/email_task%3A42.x/send"
