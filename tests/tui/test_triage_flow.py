"""The whole triage of one thread, as the issue's "done when" describes it, every write confirmed."""

from __future__ import annotations

from textual.widgets import OptionList, TextArea

from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.screens.form import FormScreen
from noxtui.tui.screens.help import HelpScreen
from tests.tui.support import (
    confirm,
    inbox,
    list_loaded,
    make_app,
    thread_opened,
    wait_for,
)


async def test_filter_read_label_move_status_template_and_send(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n", "d")  # needs reply · inbound
        await list_loaded(pilot)
        screen = inbox(pilot)
        row = screen.thread_list.current
        assert row is not None and row.needs_reply and row.inbound
        await pilot.press("enter")
        await thread_opened(pilot, row.thread_id)
        before = screen.thread
        assert before is not None

        # label it
        await pilot.press("l", "space", "enter")
        label_plan = await confirm(pilot)
        assert "+ " in label_plan or "− " in label_plan
        await thread_opened(pilot, row.thread_id)

        # move the coop status one step along the pipeline
        await pilot.press("c")
        statuses = screen.service.catalogues.statuses
        codes = [s.code for s in statuses]
        current = before.coop_status.code if before.coop_status else codes[0]
        target = codes[(codes.index(current) + 1) % len(codes)]
        coop_list = screen.query_one("#coop-list", OptionList)
        steps = codes.index(target) - (coop_list.highlighted or 0)
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
        coop_plan = await confirm(pilot)
        assert "→" in coop_plan
        await wait_for(
            pilot,
            lambda: screen.thread is not None
            and screen.thread.coop_status is not None
            and screen.thread.coop_status.code == target,
        )

        # reply from a template (the server renders it and stores it as the draft)
        await pilot.press("T", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))  # its {{variables}}, pre-filled
        await pilot.press("enter")
        template_plan = await confirm(pilot)
        assert "template" in template_plan.lower()
        await wait_for(pilot, lambda: bool(screen.query_one("#draft", TextArea).text.strip()))
        rendered = screen.query_one("#draft", TextArea).text
        assert "{{creator_name}}" not in rendered

        # and send it
        await pilot.press("escape", "s")
        send_plan = await confirm(pilot)
        assert rendered.splitlines()[0] in send_plan
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.needs_reply is False)

    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(row.thread_id)
    assert {lb.label_id for lb in after.labels} != {lb.label_id for lb in before.labels}
    assert after.coop_status is not None and after.coop_status.code == target
    assert after.needs_reply is False and after.last_message_direction == "outbound"
    assert after.messages[-1].body_text == rendered
    assert after.message_count == before.message_count + 1


async def test_help_lists_every_inbox_binding(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        listed = [b.description for _, group in app.screen.groups for b in group]
        from noxtui.tui.screens.inbox import InboxScreen

        for binding in InboxScreen.BINDINGS:
            assert binding.description in listed
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_every_screen_action(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        titles = {command.title for command in app.get_system_commands(inbox(pilot))}
        from noxtui.tui.screens.inbox import InboxScreen

        assert {b.description for b in InboxScreen.BINDINGS} <= titles


async def test_narrow_terminal_takes_turns_between_list_and_reading(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        assert screen.has_class("-narrow")
        assert not screen.query_one("#reading").display
        await pilot.press("enter")
        await thread_opened(pilot)
        assert screen.query_one("#reading").display and not screen.query_one("#threads").display
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#threads").display and not screen.query_one("#reading").display


async def test_theme_key_cycles_and_persists(sandbox, sandbox_token, tmp_path) -> None:
    from noxtui.storage.settings import Paths, load_settings

    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "s")
    app = make_app(sandbox, sandbox_token)
    app.paths = paths
    app.persist_settings = True
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        first = app.theme
        await pilot.press("t")
        assert app.theme != first
    assert load_settings(paths).theme == app.theme
