"""A rep's day, finished (#16, saved views): a saved view can be renamed and deleted, from keys on
the views picker (``r``, ``d``: shown in its footer and in help, remappable by id) and from the
palette (each action listed once). A rename refuses an empty or taken name in the prompt itself,
a delete asks first, and both reach the config file: a new app on the same folder sees them."""

from __future__ import annotations

from collections import Counter

from textual.widgets import Input, Static

from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.storage.settings import Paths, SavedView, Settings, load_settings, save_settings
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.choice import ChoiceScreen
from noxtui.tui.screens.help import HelpScreen
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.screens.views_picker import ViewsPickerScreen
from tests.sandbox_support import SANDBOX_NOW
from tests.tui.support import inbox, list_loaded, plain, wait_for, workers_done

WAITING = SavedView(needs_reply="needs", direction="inbound")
SENT = SavedView(direction="outbound")


def _paths(tmp_path) -> Paths:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "s")
    save_settings(Settings(views={"Waiting on us": WAITING, "Sent by us": SENT}), paths)
    return paths


def _app(sandbox, token: str, paths: Paths, keymap: dict[str, str] | None = None) -> NoxTUI:
    """The real app on the config folder ``paths``, saving what changes there (as after a restart)."""
    settings = load_settings(paths)
    if keymap:
        settings = settings.model_copy(update={"keymap": keymap})
    return NoxTUI(
        provider=NoxProvider(
            NoxClient(sandbox.base_url, token, backoff=0.01, max_retries=1), clock=lambda: SANDBOX_NOW
        ),
        settings=settings,
        paths=paths,
        clock=lambda: SANDBOX_NOW,
        label="test",
        persist_settings=True,
    )


async def _picker(pilot) -> ViewsPickerScreen:
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ViewsPickerScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ViewsPickerScreen)
    return screen


async def _highlight(pilot, name: str) -> None:
    """Move the picker's cursor to the view ``name`` with j, as a rep would."""
    picker = pilot.app.screen
    assert isinstance(picker, ViewsPickerScreen)
    names = [choice.value for choice in picker.choices]
    for _ in range(names.index(name)):
        await pilot.press("j")


async def _prompt(pilot) -> PromptScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
    screen = pilot.app.screen
    assert isinstance(screen, PromptScreen)
    return screen


def _footer_keys(pilot) -> list[tuple[str, str]]:
    return [(key.key, key.description) for key in pilot.app.screen.query("FooterKey")]


async def test_rename_from_the_picker_refuses_empty_and_taken_names_and_survives_a_restart(
    sandbox, sandbox_token, tmp_path
) -> None:
    paths = _paths(tmp_path)
    app = _app(sandbox, sandbox_token, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        await _picker(pilot)
        assert ("r", "Rename view") in _footer_keys(pilot) and ("d", "Delete view") in _footer_keys(pilot)
        await _highlight(pilot, "Waiting on us")
        await pilot.press("r")
        prompt = await _prompt(pilot)
        hint = prompt.query_one("#prompt-hint", Static)
        prompt.query_one(Input).value = ""
        await pilot.press("enter")  # empty: refused, the prompt stays
        await pilot.pause()
        assert pilot.app.screen is prompt and "Give the view a name" in plain(hint)
        await pilot.press(*"Sent by us", "enter")  # another view's name: refused, nothing lost
        await pilot.pause()
        assert pilot.app.screen is prompt and "already a view named 'Sent by us'" in plain(hint)
        assert prompt.query_one(Input).value == "Sent by us"
        prompt.query_one(Input).value = ""
        await pilot.press(*"Hot leads", "enter")
        await workers_done(pilot, "pickers")
        assert set(load_settings(paths).views) == {"Hot leads", "Sent by us"}
        palette = [c.title for c in app.get_system_commands(inbox(pilot))]
        assert "View: Hot leads" in palette and "View: Waiting on us" not in palette

    again = _app(sandbox, sandbox_token, paths)
    async with again.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        picker = await _picker(pilot)
        assert [c.value for c in picker.choices][1:] == ["Hot leads", "Sent by us"]
        await _highlight(pilot, "Hot leads")
        await pilot.press("enter")  # the renamed view applies the filter it had
        await workers_done(pilot, "pickers")
        assert (inbox(pilot).filters.needs_reply, inbox(pilot).filters.direction) == ("needs", "inbound")
    assert load_settings(paths).views["Hot leads"] == WAITING


async def test_delete_from_the_picker_asks_first_and_survives_a_restart(sandbox, sandbox_token, tmp_path) -> None:
    paths = _paths(tmp_path)
    app = _app(sandbox, sandbox_token, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        await _picker(pilot)
        await _highlight(pilot, "Sent by us")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("n")  # kept
        await workers_done(pilot, "pickers")
        assert set(load_settings(paths).views) == {"Waiting on us", "Sent by us"}
        await _picker(pilot)
        await _highlight(pilot, "Sent by us")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "Sent by us" in plain(app.screen.query_one("#choice-question", Static))
        await pilot.press("y")
        await workers_done(pilot, "pickers")
        assert set(load_settings(paths).views) == {"Waiting on us"}
    again = _app(sandbox, sandbox_token, paths)
    async with again.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        palette = [c.title for c in again.get_system_commands(inbox(pilot))]
        assert "View: Sent by us" not in palette and "View: Waiting on us" in palette


async def test_the_palette_renames_and_deletes_each_listed_once(sandbox, sandbox_token, tmp_path) -> None:
    paths = _paths(tmp_path)
    app = _app(sandbox, sandbox_token, paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        commands = {c.title: c for c in app.get_system_commands(inbox(pilot))}
        titles = Counter(c.title for c in app.get_system_commands(inbox(pilot)))
        assert titles["Rename a saved view…"] == 1 and titles["Delete a saved view…"] == 1
        commands["Rename a saved view…"].callback()
        await wait_for(pilot, lambda: isinstance(app.screen, ViewsPickerScreen))
        await _highlight(pilot, "Sent by us")
        await pilot.press("enter")
        prompt = await _prompt(pilot)
        prompt.query_one(Input).value = ""
        await pilot.press(*"Outbound", "enter")
        await workers_done(pilot, "pickers")
        assert set(load_settings(paths).views) == {"Outbound", "Waiting on us"}
        commands["Delete a saved view…"].callback()
        await wait_for(pilot, lambda: isinstance(app.screen, ViewsPickerScreen))
        await _highlight(pilot, "Outbound")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("y")
        await workers_done(pilot, "pickers")
        assert set(load_settings(paths).views) == {"Waiting on us"}


async def test_the_keys_are_remappable_and_listed_in_help(sandbox, sandbox_token, tmp_path) -> None:
    paths = _paths(tmp_path)
    app = _app(sandbox, sandbox_token, paths, keymap={"views.rename": "f2"})
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = plain(app.screen.query_one("#help-table", Static))
        assert "views.rename" in table and "views.delete" in table and "Rename view" in table
        await pilot.press("escape")
        await _picker(pilot)
        assert ("f2", "Rename view") in _footer_keys(pilot)
        await _highlight(pilot, "Sent by us")
        await pilot.press("f2")
        prompt = await _prompt(pilot)
        assert prompt.query_one(Input).value == "Sent by us"
