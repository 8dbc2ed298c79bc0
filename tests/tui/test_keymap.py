"""The rep's ``[keymap]``: a config file that moves keys, started the way the command line starts.

The app here is the command line's own start (``launch.startup_for``: a peek at the config file for
the first frame, then settings, token and provider in ``prepare``) against the sandbox, so a remap
is proven from the file on disk to the request the moved key makes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

import pytest
from textual.widget import Widget

from noxtui import cli
from noxtui.launch import startup_for
from noxtui.paths import Paths
from noxtui.startup import Prepared, Startup, peek_config
from noxtui.storage.settings import Profile, Settings, load_settings, save_settings
from noxtui.tui.app import NoxTUI
from noxtui.tui.keymap import check_keymap, key_problem, keys_shown
from noxtui.tui.screens.boot import BootScreen
from noxtui.tui.screens.help import HelpScreen
from noxtui.tui.screens.inbox import InboxScreen
from noxtui.tui.widgets.thread_list import ThreadList
from tests.sandbox_support import SANDBOX_NOW
from tests.tui.support import inbox, list_loaded, plain, thread_opened, wait_for


class RecordingApp(NoxTUI):
    """The real app, keeping what it told the rep (the toasts themselves are Textual's business)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.told: list[str] = []

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.told.append(message)
        super().notify(message, **kwargs)


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    with ExitStack() as opened:
        yield opened


def configured_start(sandbox, token: str, keymap: dict[str, str], stack: ExitStack, monkeypatch) -> Startup:
    """The command line's start from a config file holding ``keymap`` (token from the environment)."""
    paths = Paths.default()
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}, keymap=keymap), paths)
    monkeypatch.setenv("NOXTUI_TOKEN", token)
    return startup_for(paths, stack, demo=False, profile=None)


def configured_app(sandbox, token: str, keymap: dict[str, str], stack: ExitStack, monkeypatch) -> RecordingApp:
    startup = configured_start(sandbox, token, keymap, stack, monkeypatch)
    return RecordingApp(startup=startup, clock=lambda: SANDBOX_NOW, persist_settings=False)


def footer_keys(app: NoxTUI) -> dict[str, str]:
    """Description → key as the footer of the current screen shows it."""
    shown: dict[str, str] = {}
    for key in app.screen.query("FooterKey"):
        assert isinstance(key, Widget)
        shown.setdefault(str(getattr(key, "description", "")), str(getattr(key, "key_display", "")))
    return shown


def help_keys(screen: HelpScreen) -> dict[str, str]:
    return {binding.description: keys_shown(screen.app, binding) for _, group in screen.groups for binding in group}


async def test_a_remapped_key_acts_and_the_old_one_no_longer_does(sandbox, sandbox_token, stack, monkeypatch) -> None:
    app = configured_app(sandbox, sandbox_token, {"list.select": "o", "app.help": "f1"}, stack, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
        await list_loaded(pilot)
        screen = inbox(pilot)

        await pilot.press("enter")  # the old key of "open": nothing is fetched, nothing shown
        await pilot.pause()
        assert screen.thread is None
        assert not [worker for worker in screen.workers if worker.group == "detail"]

        await pilot.press("o")  # the new key opens the thread from the sandbox
        await thread_opened(pilot, screen.thread_list.rows[0].thread_id)

        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    assert app.keymap == {"list.select": "o", "app.help": "f1"}
    assert app.keymap_problems == [] and app.told == []


async def test_the_footer_and_help_show_the_keys_where_the_rep_will_press_them(
    sandbox, sandbox_token, stack, monkeypatch
) -> None:
    keymap = {"list.select": "o", "app.help": "f1", "app.cycle-theme": "ctrl+t,T"}
    app = configured_app(sandbox, sandbox_token, keymap, stack, monkeypatch)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
        footer = footer_keys(app)
        assert footer["Help"] == "f1" and footer["Open"] == "o"
        assert footer["Theme"] == "^t"  # the first key of a binding, as Textual's footer shows it

        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = help_keys(help_screen)
        assert listed["Help"] == "f1" and listed["Open"] == "o" and listed["Theme"] == "^t / T"
        assert listed["Save draft"] == "^s"  # display names, not binding names: ctrl+s is ^s
        table = plain(help_screen.query_one("#help-table"))  # type: ignore[arg-type]
        assert "^t / T" in table and "f1" in table


async def test_the_first_frame_already_moves_on_the_remapped_keys(sandbox, sandbox_token, stack, monkeypatch) -> None:
    """The keymap comes with the cheap peek at the config file, so the start-up list moves on the
    rep's own keys, and a key the keymap took away from the list waits for the inbox like any other."""
    keymap = {"list.cursor-down": "ctrl+n"}
    warm = configured_app(sandbox, sandbox_token, keymap, stack, monkeypatch)
    async with warm.run_test(size=(120, 40)) as pilot:  # this start fills the cache the next one paints
        await wait_for(pilot, lambda: isinstance(warm.screen, InboxScreen) and warm.ready)
        await list_loaded(pilot)
        await wait_for(pilot, lambda: inbox(pilot).service.has_synced())

    gate = threading.Event()
    startup = configured_start(sandbox, sandbox_token, keymap, stack, monkeypatch)
    slow_half = startup.prepare

    def gated() -> Prepared:
        assert gate.wait(20), "the test never opened the gate"
        return slow_half()

    app = RecordingApp(startup=replace(startup, prepare=gated), clock=lambda: SANDBOX_NOW, persist_settings=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            listing = app.screen.query_one(ThreadList)
            assert listing.row_count > 2
            await pilot.press("ctrl+n")
            assert listing.cursor == 1  # moved at once, before the inbox exists
            await pilot.press("j", "ctrl+n")  # j is no longer the list's: held, and the ctrl+n after it too
            assert listing.cursor == 1
            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            await wait_for(pilot, lambda: screen.thread_list.cursor == 2)  # the held ctrl+n, replayed
    finally:
        gate.set()


async def test_a_bad_id_or_key_is_reported_and_the_rest_still_applies(
    sandbox, sandbox_token, stack, monkeypatch
) -> None:
    keymap = {"inbox.sned": "x", "app.help": "ctrl+", "app.quit": " , ", "app.cycle-theme": "f2"}
    app = configured_app(sandbox, sandbox_token, keymap, stack, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
        told = "\n".join(app.told)
        assert "'inbox.sned' is not a binding id" in told
        assert "'app.help': 'ctrl+' is not a key" in told
        assert "'app.quit' has no keys" in told
        assert app.keymap == {"app.cycle-theme": "f2"}

        theme = app.theme
        await pilot.press("f2")  # the good entry is in force
        await wait_for(pilot, lambda: app.theme != theme)
        await pilot.press("question_mark")  # the refused one left the default key alone
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))


@pytest.mark.parametrize(
    ("keymap", "line"),
    [
        (
            {"app.hlep": "f1"},
            "Problem: In your keymap, 'app.hlep' is not a binding id (did you mean 'app.help'?); "
            "noxtui ignores that entry.",
        ),
        ({"app.help": "f1", "list.select": "o"}, "Your keymap changes 2 key bindings."),
    ],
)
def test_doctor_lists_the_keymap_entries_the_app_would_skip(
    keymap: dict[str, str], line: str, monkeypatch, capsys
) -> None:
    unreachable = Profile(base_url="http://127.0.0.1:9/v1")  # the server check fails fast, offline
    save_settings(Settings(profiles={"default": unreachable}, keymap=keymap), Paths.default())
    monkeypatch.setenv("NOXTUI_TOKEN", "tok-doctor")
    cli.main(["doctor"])
    assert line in capsys.readouterr().out.splitlines()


def test_the_keymap_round_trips_through_the_config_file_and_the_peek() -> None:
    paths = Paths.default()
    save_settings(Settings(keymap={"inbox.send": "ctrl+enter,s"}), paths)
    assert load_settings(paths).keymap == {"inbox.send": "ctrl+enter,s"}
    assert peek_config(paths, None).keymap == {"inbox.send": "ctrl+enter,s"}


@pytest.mark.parametrize("key", ["ctrl+s", "?", "question_mark", "slash", "f2", "ctrl+shift+up", "enter", "S", "space"])
def test_keys_textual_knows_are_accepted(key: str) -> None:
    assert key_problem(key) is None


@pytest.mark.parametrize("key", ["", "ctrl+", "bogus+x", "f25", "foo", "ctrl++"])
def test_keys_no_terminal_sends_are_refused(key: str) -> None:
    assert key_problem(key) is not None


def test_only_usable_entries_are_kept_and_each_other_one_is_explained() -> None:
    wanted = {"a.ok": "f1, s", "a.empty": "", "a.bad": "f1,,s", "z.unknown": "x"}
    check = check_keymap(wanted, {"a.ok", "a.empty", "a.bad"})
    assert check.keymap == {"a.ok": "f1,s"}
    assert len(check.problems) == 3
