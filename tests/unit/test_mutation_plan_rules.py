"""The rules every plan obeys (who, blank bodies, label diffs, send times), at their edges.

Written against the survivors of ``python -m tools.mutation noxtui.domain.schedule`` and
``noxtui.domain.plan_rules``: offsets one hour past either bound, the last instant a send time may
name, "now" itself, a label diff that loses its kept part.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from noxtui.domain import plan_rules, schedule
from noxtui.domain.errors import PlanError
from noxtui.domain.models import CoopStatusRef, Creator, Label, LabelsDiff, StatusDiff, ThreadSummary, WritePlan

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)


def refusal(text: str, now: datetime | None = NOW) -> tuple[str, str, dict[str, str]]:
    with pytest.raises(PlanError) as excinfo:
        schedule.parse_plan_send_at(text, now)
    return excinfo.value.what, excinfo.value.todo, excinfo.value.fields


# --- send times: the offset bounds, both ends ---------------------------------------------------


@pytest.mark.parametrize("offset", ["-12:00", "+14:00", "-1200", "+14", "Z", "z", "+00:00"])
def test_offsets_at_and_inside_the_bounds_are_accepted(offset: str) -> None:
    when = schedule.parse_plan_send_at(f"2025-06-03T09:00{offset}", NOW)
    expected = timedelta(hours=int(offset[:3])) if offset[0] in "+-" else timedelta()
    assert when.utcoffset() == expected


@pytest.mark.parametrize("offset", ["-13:00", "+15:00"])
def test_offsets_one_hour_past_either_bound_are_refused(offset: str) -> None:
    assert refusal(f"2025-06-03T09:00{offset}") == (
        f"The offset in '2025-06-03T09:00{offset}' is out of range",
        "Real offsets run from -12:00 to +14:00: check the sign and the hours.",
        {"plan_send_at": "offset out of range"},
    )


def test_a_half_hour_offset_is_refused_as_not_whole() -> None:
    assert refusal("2025-06-03T09:00+05:30") == (
        "The offset in '2025-06-03T09:00+05:30' is not a whole hour",
        "NoxInfluencer schedules with whole-hour offsets only (Z, +08:00, -05:00): convert the time to one.",
        {"plan_send_at": "whole-hour offset only"},
    )


def test_refusals_for_missing_malformed_zoneless_and_impossible_times() -> None:
    example = "2025-06-02T09:00+08:00"
    assert refusal("  ") == ("No send time is given", f"Enter a time like {example}.", {"plan_send_at": "required"})
    assert refusal(None) == refusal("")  # type: ignore[arg-type]
    assert refusal("tomorrow") == (
        "'tomorrow' is not a date and time (ISO 8601)",
        f"Enter a time like {example}.",
        {"plan_send_at": "not ISO 8601"},
    )
    assert refusal("2025-06-03T09:00") == (
        "'2025-06-03T09:00' has no time-zone offset",
        f"Add the offset of the send time, e.g. {example} or Z for UTC.",
        {"plan_send_at": "offset required"},
    )
    assert refusal("2025-02-30T09:00Z") == (
        "'2025-02-30T09:00Z' is not a real calendar date and time",
        f"Check the month, day and hour; e.g. {example}.",
        {"plan_send_at": "not a calendar time"},
    )


def test_the_shown_text_is_cut_to_forty_characters() -> None:
    what = refusal("x" * 60)[0]
    assert what == f"{'x' * 40!r} is not a date and time (ISO 8601)"


def test_the_last_instant_is_refused_and_the_one_before_accepted() -> None:
    assert refusal("9999-12-30T00:00Z") == (
        "'9999-12-30T00:00Z' is too far in the future",
        "Pick a time before 9999-12-30.",
        {"plan_send_at": "too far ahead"},
    )
    assert schedule.parse_plan_send_at("9999-12-29T23:59Z", NOW) == datetime(9999, 12, 29, 23, 59, tzinfo=timezone.utc)


def test_now_itself_is_in_the_past_and_a_minute_later_is_not() -> None:
    assert refusal("2025-06-01T08:00Z") == (
        "2025-06-01T08:00:00+00:00 is in the past",
        "Pick a time in the future.",
        {"plan_send_at": "in the past"},
    )
    assert schedule.parse_plan_send_at("2025-06-01T08:01Z", NOW) == NOW + timedelta(minutes=1)


def test_a_naive_now_is_read_as_utc() -> None:
    naive = datetime(2025, 6, 1, 8, 0)
    assert refusal("2025-06-01T09:00+02:00", naive)[2] == {"plan_send_at": "in the past"}
    assert schedule.parse_plan_send_at("2025-06-01T09:00+00:00", naive).hour == 9


def test_without_now_the_clock_decides() -> None:
    assert refusal("2000-01-01T00:00Z", None)[2] == {"plan_send_at": "in the past"}
    assert schedule.parse_plan_send_at("9999-01-01T00:00Z").year == 9999


def test_the_example_is_tomorrow_at_nine_in_utc_plus_8() -> None:
    assert schedule.send_at_example(datetime(2025, 12, 31, 23, 0, tzinfo=timezone.utc)) == "2026-01-01T09:00+08:00"
    assert schedule.send_at_example().endswith("T09:00+08:00")


@pytest.mark.parametrize(
    ("offset", "zone"),
    [
        (timedelta(), "UTC"),
        (timedelta(hours=8), "UTC+8"),
        (timedelta(hours=-5), "UTC-5"),
        (timedelta(hours=5, minutes=30), "UTC+5:30"),
        (timedelta(hours=-3, minutes=-30), "UTC-3:30"),
    ],
)
def test_format_when_names_the_zone_it_was_typed_in(offset: timedelta, zone: str) -> None:
    assert schedule.format_when(datetime(2025, 6, 2, 9, 5, tzinfo=timezone(offset))) == f"2025-06-02 09:05 {zone}"


# --- who, blanks, warnings ----------------------------------------------------------------------


def summary(**fields: Any) -> ThreadSummary:
    base: dict[str, Any] = {
        "thread_id": "th_1",
        "creator": Creator(creator_id="cr_1", name="Mia Chen", platform="YouTube"),
        "last_message_at": NOW,
        "last_message_direction": "inbound",
        "needs_reply": True,
    }
    return ThreadSummary.model_validate({**base, **fields})


def test_who_names_known_platforms_their_way_and_others_as_given() -> None:
    assert plan_rules.who(summary()) == "Mia Chen (YouTube)"
    twitter = Creator(creator_id="c", name="Ann", platform="twitter")
    assert plan_rules.who(summary(creator=twitter)) == "Ann (X)"
    assert plan_rules.who(summary(creator=Creator(creator_id="c", name="Bo", platform="Kwai"))) == "Bo (Kwai)"
    for platform, shown in (("tiktok", "TikTok"), ("INSTAGRAM", "Instagram"), ("youtube", "YouTube")):
        assert plan_rules.who(summary(creator=Creator(creator_id="c", name="Di", platform=platform))) == f"Di ({shown})"
    assert plan_rules.who(summary(creator=Creator(creator_id="c", name="Cy", platform=""))) == "Cy"


def test_follow_up_and_scheduled_warnings() -> None:
    assert plan_rules.follow_up_warnings(summary()) == ()
    assert plan_rules.follow_up_warnings(summary(last_message_direction="outbound")) == (
        "The last message in this thread is yours: this is a follow-up, not a reply.",
    )
    assert plan_rules.already_scheduled_warnings(summary()) == ()
    when = datetime(2025, 6, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    assert plan_rules.already_scheduled_warnings(summary(scheduled_at=when)) == (
        "A reply is already scheduled for 2025-06-02 09:00 UTC+8: it still goes out then, so the creator gets both.",
    )


def test_blank_means_nothing_visible() -> None:
    assert plan_rules.is_blank("") and plan_rules.is_blank(" \u200b\n")
    assert not plan_rules.is_blank(" a ")


# --- labels ---------------------------------------------------------------------------------------

VIP = Label(label_id="lb_vip", name="VIP")
HOT = Label(label_id="lb_hot", name="")
COLD = Label(label_id="lb_cold", name="Cold")


def test_labels_diff_keeps_order_drops_duplicates_and_sorts_out_added_removed_kept() -> None:
    wanted, diff = plan_rules.labels_diff(summary(labels=[VIP, COLD]), ["lb_hot", "lb_vip", "lb_hot"], [HOT])
    assert wanted == ["lb_hot", "lb_vip"]
    assert diff == LabelsDiff(added=(HOT,), removed=(COLD,), kept=(VIP,))
    assert plan_rules.labels_summary("Tags", "Mia", diff) == "Tags on Mia: +lb_hot −Cold"


def test_labels_diff_refuses_one_or_several_unknown_ids() -> None:
    with pytest.raises(PlanError) as one:
        plan_rules.labels_diff(summary(), ["lb_x"], [VIP])
    assert (one.value.what, one.value.fields) == ("Unknown label id: lb_x", {"label_ids": "lb_x"})
    assert one.value.todo == "Reload the labels (they may have been deleted) and pick again."
    with pytest.raises(PlanError) as two:
        plan_rules.labels_diff(summary(), ["lb_x", "lb_vip", "lb_y"], [VIP])
    assert (two.value.what, two.value.fields) == ("Unknown label ids: lb_x, lb_y", {"label_ids": "lb_x, lb_y"})


def test_labels_diff_refuses_the_same_set_and_accepts_removing_only() -> None:
    with pytest.raises(PlanError) as same:
        plan_rules.labels_diff(summary(labels=[VIP]), ["lb_vip"], [])
    assert (same.value.what, same.value.todo) == (
        "The labels are already set that way: nothing to change",
        "Add or remove a label first.",
    )
    assert plan_rules.labels_diff(summary(labels=[VIP, COLD]), ["lb_vip"], [])[1].removed == (COLD,)


def test_reversing_labels_and_status() -> None:
    diff = LabelsDiff(added=(HOT,), removed=(COLD,), kept=(VIP,))
    assert plan_rules.reversed_labels(diff) == LabelsDiff(added=(COLD,), removed=(HOT,), kept=(VIP,))
    a, b = CoopStatusRef(code="a"), CoopStatusRef(code="b")
    assert plan_rules.reversed_status(StatusDiff(before=a, after=b)) == StatusDiff(before=b, after=a)
    with pytest.raises(PlanError) as excinfo:
        plan_rules.reversed_status(StatusDiff(before=None, after=b))
    assert (excinfo.value.what, excinfo.value.todo) == (
        "The thread had no coop status before, so there is nothing to go back to",
        "Set a status instead.",
    )


def test_cannot_undo_and_plan_name() -> None:
    plan = WritePlan(kind="crm_update", method="PATCH", path="/x", summary="s", idempotency_key="k")
    error = plan_rules.cannot_undo(plan)
    assert (error.what, error.todo) == ("A crm update cannot be undone", "Make the opposite change by hand.")
    assert plan_rules.plan_name(plan) == "thread"
    assert plan_rules.plan_name(plan.model_copy(update={"thread_id": "th_9"})) == "th_9"
    assert plan_rules.plan_name(plan.model_copy(update={"thread_id": "th_9", "creator_name": "Mia"})) == "Mia"


def test_each_key_is_a_fresh_uuid4() -> None:
    keys = {plan_rules.mint_idempotency_key() for _ in range(3)}
    assert len(keys) == 3 and all(len(key) == 36 for key in keys)
