"""The same screens on the Inbox (X DM) provider: filters, tags, send, and honest absences."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from noxtui.domain.models import ThreadQuery
from noxtui.providers.inbox.provider import InboxProvider
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.check_list import CheckList
from tests.tui.support import (
    answer,
    confirm,
    confirm_modal,
    inbox,
    inbox_threads,
    list_loaded,
    make_inbox_app,
    plain,
    record_notifications,
    thread_opened,
    wait_for,
)


@pytest.mark.parametrize("use_cache", [True, False], ids=["cache-backed", "cursor-paged"])
async def test_filters_show_exactly_the_providers_matches(sandbox, sandbox_token, use_cache: bool) -> None:
    app = make_inbox_app(sandbox, sandbox_token, use_cache=use_cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        everything = await inbox_threads(sandbox, sandbox_token, ThreadQuery())
        assert {r.thread_id for r in inbox(pilot).thread_list.rows} == {t.thread_id for t in everything}
        await pilot.press("n", "d")
        await list_loaded(pilot)
        waiting = ThreadQuery(needs_reply=True, last_message_direction="inbound")
        wanted = await inbox_threads(sandbox, sandbox_token, waiting)
        assert wanted
        assert {r.thread_id for r in inbox(pilot).thread_list.rows} == {t.thread_id for t in wanted}


async def test_tags_panel_and_send_through_the_confirm_modal(sandbox, sandbox_token) -> None:
    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n", "d")
        await list_loaded(pilot)
        screen = inbox(pilot)
        target = screen.thread_list.current
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        before = screen.thread

        await pilot.press("l")
        assert "Tags" in plain(screen.query_one("#labels-panel .panel-title"))
        first_tag = screen.query_one("#labels-list", CheckList).get_option_at_index(0).id
        await pilot.press("space", "enter")
        await confirm(pilot)

        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"Thanks! Sending details in a moment.", "escape", "s")
        shown = await confirm(pilot)
        assert "Thanks! Sending details in a moment." in shown

    provider = InboxProvider(f"{sandbox.root_url}/inbox/api/v1", sandbox_token)
    try:
        after = await provider.get_thread(target.thread_id)
    finally:
        await provider.aclose()
    assert {lb.label_id for lb in after.labels} == {lb.label_id for lb in before.labels} ^ {first_tag}
    assert after.messages[-1].body_text == "Thanks! Sending details in a moment."
    assert after.last_message_direction == "outbound" and after.needs_reply is False
    assert len(after.messages) == len(before.messages) + 1


async def test_actions_the_provider_cannot_do_are_absent(sandbox, sandbox_token) -> None:
    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        absent = (
            "schedule",
            "cancel_schedule",
            "save_draft",
            "templates_panel",
            "email_task_panel",
        )
        for action in absent:
            assert screen.check_action(action, ()) is False, action
        assert screen.check_action("crm_panel", ()) is True  # the prospect's notes, valuation, assignee
        footer_keys = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert "schedule" not in footer_keys
        await pilot.press("enter")
        await thread_opened(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen), "no schedule prompt: Inbox cannot schedule"
        palette = {c.title for c in app.get_system_commands(screen)}
        assert "Schedule" not in palette
        assert not screen.composer.query_one("#sender").display


async def test_demo_switches_between_both_workspaces(sandbox, sandbox_token) -> None:
    from noxtui.domain.target import Target
    from noxtui.tui.app import NoxTUI
    from tests.sandbox_support import SANDBOX_NOW

    app = NoxTUI(
        target=Target("nox", sandbox.base_url, sandbox_token, True, "demo"),
        alternates=[Target("inbox", f"{sandbox.root_url}/inbox/api/v1", sandbox_token, True, "demo")],
        clock=lambda: SANDBOX_NOW,
        persist_settings=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        assert app.sub_title.startswith("NoxInfluencer")
        nox_ids = {r.thread_id for r in inbox(pilot).thread_list.rows}
        await pilot.press("A")
        await wait_for(pilot, lambda: app.sub_title.startswith("Inbox"))
        await list_loaded(pilot)
        inbox_ids = {r.thread_id for r in inbox(pilot).thread_list.rows}
        assert inbox_ids and not inbox_ids & nox_ids
        await pilot.press("A")
        await wait_for(pilot, lambda: app.sub_title.startswith("NoxInfluencer"))


async def test_reply_to_shows_their_message_in_the_confirm_modal(sandbox, sandbox_token) -> None:
    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n", "d")
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("enter")
        await thread_opened(pilot)
        thread = screen.thread
        last_inbound = [m for m in thread.messages if m.direction == "inbound"][-1]
        await pilot.press("e", *"Yes, that works.", "escape", "R")
        modal = await confirm_modal(pilot)
        shown = plain(app.screen.query_one("#confirm-plan"))
        assert f"In reply to message {last_inbound.message_id}" in shown
        assert last_inbound.body_text.split()[0] in shown
        assert app.screen.plan.reply_to == last_inbound.message_id
        await answer(pilot, modal)
    provider = InboxProvider(f"{sandbox.root_url}/inbox/api/v1", sandbox_token)
    try:
        after = await provider.get_thread(thread.thread_id)
    finally:
        await provider.aclose()
    assert after.messages[-1].body_text.endswith("Yes, that works.")


async def test_an_unconfirmed_dm_reads_outcome_unknown_and_is_never_resent_by_itself(sandbox, sandbox_token) -> None:
    from noxtui.sandbox.inbox.store import InboxStore

    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n", "d")
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot)
        before = InboxStore(sandbox.store).stats()["messages"]
        sandbox.faults.set_rules([{"method": "POST", "path": "/messages$", "status": 502, "times": 1}])
        await pilot.press("e", *"Budget works for us.", "escape", "s")
        modal = await confirm_modal(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: modal.error is not None)
        status = plain(modal.query_one("#confirm-status"))
        assert status.startswith("Outcome unknown — check before resending")
        assert InboxStore(sandbox.store).stats()["messages"] == before, "nothing was sent again by itself"
        assert [rule["hits"] for rule in sandbox.faults.describe()] == [1]
        await answer(pilot, modal)  # the rep checked: confirming again re-reads the thread, then sends once
    assert InboxStore(sandbox.store).stats()["messages"] == before + 1


async def test_f_cycles_inboxs_own_views_answered_by_the_server(sandbox, sandbox_token) -> None:
    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.filters.view == "no-reply")
        await list_loaded(pilot)
        waiting = await inbox_threads(sandbox, sandbox_token, ThreadQuery(view="no-reply"))
        assert waiting and [r.thread_id for r in screen.thread_list.rows] == [t.thread_id for t in waiting]
        assert "awaiting their reply" in screen.filters.describe()
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.filters.view == "no-reply-oldest")
        await list_loaded(pilot)
        await wait_for(
            pilot, lambda: [r.thread_id for r in screen.thread_list.rows] == [t.thread_id for t in reversed(waiting)]
        )


async def test_the_status_panel_lists_and_sets_pipeline_statuses(sandbox, sandbox_token) -> None:
    from textual.widgets import OptionList

    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        with sandbox.store.read() as conn:
            seq = conn.execute(
                "SELECT t.seq FROM inbox_threads t JOIN inbox_prospects p ON p.seq = t.prospect_seq "
                "WHERE t.done = 0 AND p.imported = 1 AND p.status_seq IS NULL ORDER BY t.seq LIMIT 1"
            ).fetchone()[0]
        target = next(r for r in screen.thread_list.rows if r.thread_id == f"xt{seq:06d}")
        assert target.coop_code == "open"
        assert screen.thread_list.move_to(target.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("c")
        options = screen.query_one("#coop-list", OptionList)
        codes = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert codes == ["open", "done", "xs001", "xs002", "xs003", "xs004"]
        options.highlighted = codes.index("xs002")
        await pilot.press("enter")
        shown = await confirm(pilot)
        assert "Open → Negotiating" in shown
    provider = InboxProvider(f"{sandbox.root_url}/inbox/api/v1", sandbox_token)
    try:
        after = await provider.get_thread(target.thread_id)
    finally:
        await provider.aclose()
    assert after.coop_status is not None and after.coop_status.code == "xs002"


async def test_notes_and_valuation_through_the_crm_panel(sandbox, sandbox_token) -> None:
    from noxtui.tui.widgets.context_panels import CrmPanel

    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        with sandbox.store.read() as conn:
            seq = conn.execute(
                "SELECT t.seq FROM inbox_threads t JOIN inbox_prospects p ON p.seq = t.prospect_seq "
                "WHERE t.done = 0 AND p.imported = 1 ORDER BY t.seq LIMIT 1"
            ).fetchone()[0]
        assert screen.thread_list.move_to(f"xt{seq:06d}")
        await pilot.press("enter")
        await thread_opened(pilot, f"xt{seq:06d}")
        await pilot.press("p")
        panel = screen.query_one(CrmPanel)
        await wait_for(pilot, lambda: panel.channel is not None)
        assert "valuation" in plain(panel.query_one("#crm-facts"))
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*"2,750", "enter")
        shown = await confirm(pilot)
        assert "valuation" in shown and "2,750" in shown
        await wait_for(pilot, lambda: panel.channel is not None and panel.channel.model_extra["valuation"] == 2750)
    with sandbox.store.read() as conn:
        prospect = conn.execute("SELECT prospect_seq FROM inbox_threads WHERE seq = ?", (seq,)).fetchone()[0]
        assert conn.execute("SELECT valuation FROM inbox_prospects WHERE seq = ?", (prospect,)).fetchone()[0] == 2750


async def test_slash_looks_a_thread_up_by_username(sandbox, sandbox_token) -> None:
    app = make_inbox_app(sandbox, sandbox_token)
    with sandbox.store.read() as conn:
        prospect, username = conn.execute(
            "SELECT p.seq, p.username FROM inbox_prospects p JOIN inbox_threads t ON t.prospect_seq = p.seq "
            "GROUP BY p.seq HAVING COUNT(*) = 2 LIMIT 1"
        ).fetchone()
        expected = {
            f"xt{r[0]:06d}" for r in conn.execute("SELECT seq FROM inbox_threads WHERE prospect_seq = ?", (prospect,))
        }
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("slash", *f"@{username}", "enter")
        await wait_for(pilot, lambda: {r.thread_id for r in screen.thread_list.rows} == expected)
        assert screen.filters.keyword == f"@{username}"


async def test_assign_from_the_palette_with_a_member_picker(sandbox, sandbox_token) -> None:
    from noxtui.tui.screens.picker import PickerScreen

    app = make_inbox_app(sandbox, sandbox_token)
    with sandbox.store.read() as conn:
        seq = conn.execute("SELECT seq FROM inbox_threads WHERE done = 0 AND assignee_seq IS NULL LIMIT 1").fetchone()[
            0
        ]
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        assert screen.thread_list.move_to(f"xt{seq:06d}")
        await pilot.press("enter")
        await thread_opened(pilot, f"xt{seq:06d}")
        command = next(c for c in app.get_system_commands(screen) if c.title == "Assign thread…")
        command.callback()
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("down", "down", "enter")  # nobody → Maya Ortiz → Theo Park
        shown = await confirm(pilot)
        assert "to Theo Park" in shown
    with sandbox.store.read() as conn:
        assert conn.execute("SELECT assignee_seq FROM inbox_threads WHERE seq = ?", (seq,)).fetchone()[0] == 2


async def test_a_key_inbox_cannot_serve_says_so_in_one_line(sandbox, sandbox_token) -> None:
    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        log = record_notifications(app)
        for key, action in (
            ("w", "Schedule"),
            ("C", "Cancel schedule"),
            ("T", "Templates"),
            ("ctrl+s", "Save draft"),
            ("i", "Email task"),
        ):
            log.clear()
            await pilot.press(key)
            await wait_for(pilot, lambda: len(list(log)) == 1)
            (seen,) = list(log)
            assert seen.message == f"{action}: not available on Inbox (X DMs)", key
        await pilot.press("enter")
        await thread_opened(pilot)
        log.clear()
        await pilot.press("e", *"we can do that", "escape")
        assert screen_text(inbox(pilot)).endswith("we can do that")
        assert list(log) == [], "typing in the composer is not a key press to refuse"


def screen_text(screen) -> str:
    return screen.composer.query_one("#draft", TextArea).text


async def test_p_filters_by_the_teams_x_account_and_the_thread_says_it_is_offline(sandbox, sandbox_token) -> None:
    from noxtui.tui.screens.picker import PickerScreen

    app = make_inbox_app(sandbox, sandbox_token)
    with sandbox.store.read() as conn:
        expected = {f"xt{r[0]:06d}" for r in conn.execute("SELECT seq FROM inbox_threads WHERE account_link_seq = 2")}
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("down", "down", "enter")  # any → @glowbrook → @glowbrook_collabs
        await wait_for(pilot, lambda: {r.thread_id for r in screen.thread_list.rows} == expected)
        assert "@glowbrook_collabs" in screen.filters.describe()
        await pilot.press("enter")
        await thread_opened(pilot)
        assert "offline in Inbox" in plain(screen.query_one("#detail-header"))
