"""The filter bar's state: its query, its one-line title, its cycles, and saved views both ways.

Written against the survivors of ``python -m tools.mutation noxtui.domain.filters`` and
``noxtui.storage.views``: a saved view read back as no filter, the "answered" or task part of the
title dropped, a cycle that skips a step.
"""

from __future__ import annotations

import pytest

from noxtui.domain.filters import VIEW_NAMES, Choice, FilterState
from noxtui.domain.models import ThreadQuery
from noxtui.storage.settings import SavedChoice, SavedView
from noxtui.storage.views import from_saved_view, to_saved_view

VIP = Choice("lb_vip", "VIP")
DEAL = Choice("deal", "Deal")
LAUNCH = Choice("email_task:et_1", "Spring launch")
ANA = Choice("u_1", "Ana")

EVERYTHING = FilterState(
    needs_reply="answered",
    direction="outbound",
    label=VIP,
    coop_status=DEAL,
    project=LAUNCH,
    member=ANA,
    keyword="collab",
    business_kind="email_task",
    business_id="et_9",
)


# --- saved views ⇄ filter -------------------------------------------------------------------------


def test_a_full_filter_is_saved_field_by_field() -> None:
    assert to_saved_view(EVERYTHING) == SavedView(
        needs_reply="answered",
        direction="outbound",
        label=SavedChoice(value="lb_vip", name="VIP"),
        coop_status=SavedChoice(value="deal", name="Deal"),
        project=SavedChoice(value="email_task:et_1", name="Spring launch"),
        member=SavedChoice(value="u_1", name="Ana"),
        keyword="collab",
        business_kind="email_task",
        business_id="et_9",
    )


def test_a_saved_view_reads_back_as_the_same_filter() -> None:
    assert from_saved_view(to_saved_view(EVERYTHING)) == EVERYTHING
    saved = SavedView(label=SavedChoice(value="lb_hot", name="Hot"), member=SavedChoice(value="u_2", name="Bo"))
    assert from_saved_view(saved) == FilterState(label=Choice("lb_hot", "Hot"), member=Choice("u_2", "Bo"))


def test_an_empty_filter_saves_as_the_default_view_and_back() -> None:
    assert to_saved_view(FilterState()) == SavedView()
    assert from_saved_view(SavedView()) == FilterState()


# --- the title line -----------------------------------------------------------------------------


def test_the_title_names_every_part_in_order() -> None:
    assert EVERYTHING.describe() == (
        "answered · outbound · label VIP · status Deal · project Spring launch · member Ana · “collab”"
    )


def test_the_title_says_needs_reply_inbound_and_the_task_when_no_project_is_picked() -> None:
    state = FilterState(needs_reply="needs", direction="inbound", business_kind="email_task", business_id="et_9")
    assert state.describe() == "needs reply · inbound · email task et_9"


def test_the_task_part_needs_both_kind_and_id() -> None:
    assert FilterState(business_kind="email_task").describe() == "all threads"
    assert FilterState(business_id="et_9").describe() == "all threads"


@pytest.mark.parametrize(
    ("view", "title"),
    [
        ("deal", "deal (creator wrote last)"),
        ("unread", "unread"),
        ("no-reply", "awaiting their reply"),
        ("no-reply-oldest", "awaiting their reply, oldest first"),
        ("requests", "message requests"),
        ("untagged", "untagged"),
        ("unassigned", "unassigned"),
        ("no-status", "no pipeline status"),
    ],
)
def test_the_title_names_a_server_view(view: str, title: str) -> None:
    assert FilterState(view=view).describe() == title  # type: ignore[arg-type]
    assert FilterState(needs_reply="needs", view=view, keyword="k").describe() == f"needs reply · {title} · “k”"  # type: ignore[arg-type]


def test_every_view_a_backend_offers_is_in_the_cycle_in_order() -> None:
    state, seen = FilterState(), []
    for _ in range(len(VIEW_NAMES) + 1):
        state = state.cycle_view(tuple(VIEW_NAMES))
        seen.append(state.view)
    assert seen == [*VIEW_NAMES, "any"]


def test_the_unfiltered_title() -> None:
    assert FilterState().describe() == "all threads"


# --- the query ------------------------------------------------------------------------------------


def test_every_part_reaches_the_query() -> None:
    assert EVERYTHING.to_query() == ThreadQuery(
        needs_reply=False,
        last_message_direction="outbound",
        label_id="lb_vip",
        coop_status="deal",
        project_ids=("email_task:et_1",),
        creator_uids=("u_1",),
        keyword="collab",
        business_kind="email_task",
        business_id="et_9",
    )
    assert FilterState(needs_reply="needs", view="unread").to_query() == ThreadQuery(needs_reply=True, view="unread")
    assert FilterState().to_query() == ThreadQuery()


# --- cycles, pickers, flags -----------------------------------------------------------------------


def test_needs_reply_and_direction_cycle_through_every_step() -> None:
    seen = [FilterState()]
    for _ in range(3):
        seen.append(seen[-1].cycle_needs_reply())
    assert [state.needs_reply for state in seen] == ["any", "needs", "answered", "any"]
    seen = [FilterState()]
    for _ in range(3):
        seen.append(seen[-1].cycle_direction())
    assert [state.direction for state in seen] == ["any", "inbound", "outbound", "any"]


def test_the_view_cycles_through_what_the_backend_offers_in_a_fixed_order() -> None:
    state = FilterState()
    views = []
    for _ in range(4):
        state = state.cycle_view(("untagged", "no-reply", "requests"))
        views.append(state.view)
    assert views == ["no-reply", "requests", "untagged", "any"]
    assert FilterState().cycle_view().view == "deal"
    assert FilterState(view="deal").cycle_view().view == "unread"
    assert FilterState(view="unread").cycle_view().view == "any"
    # A view the backend no longer offers starts the cycle again.
    assert FilterState(view="requests").cycle_view(("deal",)).view == "deal"


def test_pickers_set_their_own_field_only() -> None:
    base = FilterState()
    assert base.with_choice("label", VIP) == FilterState(label=VIP)
    assert base.with_choice("coop_status", DEAL) == FilterState(coop_status=DEAL)
    assert base.with_choice("project", LAUNCH) == FilterState(project=LAUNCH)
    assert base.with_choice("member", ANA) == FilterState(member=ANA)
    assert FilterState(label=VIP).with_choice("label", None) == FilterState()


def test_keyword_is_trimmed_and_flags_read_the_state() -> None:
    assert FilterState().with_keyword("  mia ").keyword == "mia"
    assert FilterState().is_empty and not FilterState(keyword="x").is_empty
    assert FilterState(keyword="@mia").server_only
    assert FilterState(view="deal").server_only
    assert not FilterState(keyword="mia").server_only
