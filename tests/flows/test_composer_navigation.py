"""Navigation and senders, key by key, through both NoxInfluencer providers: P lists the chosen team
member's projects only; # opens an email task's threads from its id (J goes back); the From line
starts on the mailbox the conversation last went out from, F changes it, and a re-read of the
thread never changes it back."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Input, OptionList

from noxtui.domain.models import ThreadQuery
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.picker import PickerScreen
from noxtui.tui.screens.prompt import PromptScreen
from tests.cli_support import FakeCli, make_cli_app
from tests.sandbox_support import auth
from tests.tui.support import (
    confirm,
    inbox,
    list_loaded,
    make_app,
    server_threads,
    thread_opened,
    wait_for,
    workers_done,
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _app(kind: str, sandbox, token: str, request: pytest.FixtureRequest) -> tuple[NoxTUI, FakeCli | None]:
    if kind == "rest":
        return make_app(sandbox, token), None
    fake: FakeCli = request.getfixturevalue("fake_cli")
    return make_cli_app(fake), fake


def _get(sandbox, token: str, path: str, **params: str) -> list[dict]:
    with httpx.Client(base_url=sandbox.base_url, headers=auth(token)) as client:
        response = client.get(path, params=params)
        response.raise_for_status()
        return list(response.json()["data"])


async def _picker(pilot) -> PickerScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PickerScreen))
    picker = pilot.app.screen
    assert isinstance(picker, PickerScreen)
    return picker


def _pick(picker: PickerScreen, value: str) -> None:
    listing = picker.query_one(OptionList)
    listing.highlighted = next(i for i, o in enumerate(listing.options) if o.id == value)


@pytest.mark.parametrize("kind", ["rest", "cli"])
async def test_member_projects_task_id_and_the_from_line(
    kind: str, sandbox, sandbox_token, request: pytest.FixtureRequest
) -> None:
    members = _get(sandbox, sandbox_token, "/messages/creator-filters")
    every_project = {p["project_id"] for p in _get(sandbox, sandbox_token, "/messages/project-filters")}
    member, theirs = next(
        (m, ids)
        for m in members
        if (ids := {p["project_id"] for p in _get(sandbox, sandbox_token, "/messages/project-filters",
                                                   creator_uids=m["user_uid"])})
        and ids != every_project
    )
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    task_id = next(t.business_id for t in threads if t.business_kind == "email_task" and t.business_id)
    task_threads = {t.thread_id for t in threads if t.business_kind == "email_task" and t.business_id == task_id}
    senders = _get(sandbox, sandbox_token, "/messages/senders")

    app, _ = _app(kind, sandbox, sandbox_token, request)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)

        # P lists the chosen member's projects, not the team's
        await pilot.press("M")
        picker = await _picker(pilot)
        _pick(picker, member["user_uid"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.filters.member is not None)
        await pilot.press("P")
        picker = await _picker(pilot)
        offered = {o.id for o in picker.query_one(OptionList).options} - {"\x00any"}
        assert offered == theirs
        await pilot.press("escape")

        # # takes a task id and shows that task's threads; J goes back
        before = screen.filters
        await pilot.press("number_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one(Input).value = task_id
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.filters.business_id == task_id)
        await list_loaded(pilot)
        assert {row.thread_id for row in screen.thread_list.rows} == task_threads
        await pilot.press("J")
        await wait_for(pilot, lambda: screen.filters == before)

        # the From line: the conversation's last mailbox; F changes it; a re-read keeps the choice
        await pilot.press("x")
        await list_loaded(pilot)
        by_address = {s["address"].lower(): s["sender_auth_id"] for s in senders}
        target = None
        for summary in threads:
            async with httpx.AsyncClient(base_url=sandbox.base_url, headers=auth(sandbox_token)) as client:
                detail = (await client.get(f"/messages/threads/{summary.thread_id}")).json()["data"]
            sent = [m for m in detail["messages"] if m["direction"] == "outbound"]
            last = by_address.get(sent[-1]["sender"]["address"].lower()) if sent else None
            if last and last != senders[0]["sender_auth_id"] and not detail["composer"]["sender_auth_id"]:
                target = (summary.thread_id, last)
                break
        assert target is not None, "the seed has a thread last answered from a second mailbox"
        thread_id, last_sender = target
        screen.thread_list.move_to(thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, thread_id)
        await wait_for(pilot, lambda: screen.composer.sender_auth_id == last_sender)

        other = next(s for s in senders if s["sender_auth_id"] != last_sender)
        await pilot.press("F")
        picker = await _picker(pilot)
        _pick(picker, other["sender_auth_id"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.composer.sender_auth_id == other["sender_auth_id"])
        await pilot.press("r")
        await workers_done(pilot, "catalogues", "list", "detail")
        assert screen.thread is not None and screen.thread.thread_id == thread_id
        assert screen.composer.sender_auth_id == other["sender_auth_id"]

        await pilot.press("e")
        await pilot.press(*"Thanks", "escape", "s")
        shown = await confirm(pilot, "escape")
        assert f"From: {other['address']}" in shown
