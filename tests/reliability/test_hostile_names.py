"""Names other people choose are text, everywhere: never markup, never terminal control, never reordered.

A teammate can name a template ``Rates [/old]``; a creator can call themselves ``[VIP] Hot lead``.
Before the fix the first crashed the labels, coop and templates panels, the four filter pickers and
the notice after a send (``MarkupError``, after the send was committed), and the second showed as
`` Hot lead``. Here every catalogue the server sends (labels, coop statuses, templates, team
members, creators, projects, senders) is renamed in the sandbox's own store to hostile names, and
the real app walks every screen and panel that shows them, asserting it stays up and that the
names are on screen as typed (control characters in caret notation, bidi and zero-width characters
made visible).
"""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._toast import Toast

from noxtui.domain.target import Target
from noxtui.domain.text import sanitize
from noxtui.sandbox import SandboxServer
from noxtui.storage.settings import Settings
from noxtui.tui.app import NoxTUI
from tests.reliability.support import SECRET_TOKEN, SENDER, make_tui, tmp_paths
from tests.sandbox_support import SANDBOX_NOW, SANDBOX_SEED, SANDBOX_THREADS, auth
from tests.tui.support import (
    confirm,
    inbox,
    list_loaded,
    plain,
    record_notifications,
    thread_opened,
    wait_for,
    workers_done,
)

pytestmark = pytest.mark.reliability

LONG_WORD = "W" * 10_000
HOSTILE = [
    "Rates [/old]",
    "[b]x[/b] bold",
    "[VIP] Hot lead",
    "[@click=app.quit]Quit[/]",
    "[link=https://x.io]Pay[/link]",
    "Red\x1b[31m!\x1b]0;pwn\x07",
    "\u202egpj.exe",
    "Ma\u200bya\u2066!",
    LONG_WORD,
]
# What must be readable on screen, whole: everything but the 10,000-character word, which is cut.
VISIBLE = [name for name in HOSTILE if name is not LONG_WORD]

CATALOGUES = {
    # table: (key column, name column)
    "labels": ("label_id", "name"),
    "coop_statuses": ("code", "name"),
    "team_members": ("user_uid", "name"),
    "templates": ("seq", "name"),
    "creators": ("seq", "name"),
    "email_tasks": ("seq", "name"),
    "senders": ("sender_auth_id", "name"),
}


def rename_everything(db: Path) -> dict[str, list[str]]:
    """Give every catalogue entry a hostile name, round-robin, in the sandbox's store; returns the
    names each table got (a catalogue shorter than ``HOSTILE`` gets only the first few)."""
    given: dict[str, list[str]] = {}
    with sqlite3.connect(db) as conn:
        for table, (key, column) in CATALOGUES.items():
            keys = [row[0] for row in conn.execute(f"SELECT {key} FROM {table} ORDER BY {key}")]
            for index, value in enumerate(keys):
                name = HOSTILE[index % len(HOSTILE)]
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (name, value))
            given[table] = [name for name in VISIBLE if name in HOSTILE[: len(keys)]]
        conn.execute("UPDATE threads SET subject = ? WHERE seq % 3 = 0", ("Re: [VIP] Hot lead [/old]",))
    return given


class Hostile:
    """The sandbox with hostile names, and which names each catalogue holds."""

    def __init__(self, server: SandboxServer, names: dict[str, list[str]]) -> None:
        self.server = server
        self.names = names


@pytest.fixture
def hostile(sandbox_template_db: Path, tmp_path: Path) -> Iterator[Hostile]:
    db = tmp_path / "hostile.sqlite3"
    shutil.copyfile(sandbox_template_db, db)
    names = rename_everything(db)
    server = SandboxServer(db, token=SECRET_TOKEN, threads=SANDBOX_THREADS, seed=SANDBOX_SEED, now=SANDBOX_NOW)
    server.start()
    try:
        yield Hostile(server, names)
    finally:
        server.stop()


def project_names(server: SandboxServer) -> list[str]:
    """The hostile names among the projects the server offers as filters (tasks with live threads)."""
    response = httpx.get(f"{server.base_url}/messages/project-filters", headers=auth(SECRET_TOKEN))
    offered = {item["name"] for item in response.json()["data"]}
    return [name for name in VISIBLE if name in offered]


def shown(name: str) -> str:
    """How a hostile name must read on screen: control characters in caret notation and so on."""
    return sanitize(name)


def screen_text(app: NoxTUI) -> str:
    """Every character on screen, row by row (the SVG screenshot, its markup removed)."""
    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for match in re.finditer(r'<text[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        rows.setdefault(match.group(1), []).append(html.unescape(match.group(2)).replace("\xa0", " "))
    return "\n".join("".join(parts) for parts in rows.values())


def assert_names_readable(app: NoxTUI, names: list[str], where: str) -> None:
    text = screen_text(app)
    missing = [name for name in names if shown(name) not in text]
    assert not missing, f"{where}: not on screen as typed: {missing!r}"
    assert "\x1b" not in text and "\u202e" not in text and "\u2066" not in text and "\u200b" not in text


async def open_first_thread(pilot: Pilot) -> None:
    await list_loaded(pilot)
    await pilot.press("enter")
    await thread_opened(pilot)


async def visit_panel(pilot: Pilot, key: str, where: str, names: list[str]) -> None:
    await pilot.press(key)
    await pilot.pause()
    assert_names_readable(pilot.app, names, where)  # type: ignore[arg-type]
    await pilot.press("escape")
    await pilot.pause()


HOSTILE_LABELS = VISIBLE[:4]


async def test_every_panel_shows_hostile_names_as_text(hostile: Hostile, tmp_path: Path) -> None:
    app = make_tui(hostile.server, tmp_paths(tmp_path), timeout=5.0)
    async with app.run_test(size=(400, 60)) as pilot:
        await open_first_thread(pilot)
        await workers_done(pilot)
        assert app.is_running
        # Side panels of the open thread: every entry fits a 400-column screen except the long word.
        names = hostile.names
        await visit_panel(pilot, "l", "labels panel", names["labels"])
        await visit_panel(pilot, "c", "coop panel", names["coop_statuses"])
        await visit_panel(pilot, "T", "templates panel", names["templates"])
        await visit_panel(pilot, "p", "CRM panel", [])
        await visit_panel(pilot, "i", "email task panel", [])
        # The four filter pickers (modal screens).
        await visit_panel(pilot, "L", "label picker", names["labels"])
        await visit_panel(pilot, "S", "status picker", names["coop_statuses"])
        await visit_panel(pilot, "M", "member picker", names["team_members"])
        await visit_panel(pilot, "P", "project picker", project_names(hostile.server))
        # Batch panels: mark two threads, then labels and status for all of them.
        await pilot.press("space", "j", "space")
        await visit_panel(pilot, "l", "batch labels panel", names["labels"])
        await visit_panel(pilot, "c", "batch status panel", names["coop_statuses"])
        assert app.is_running


async def test_the_list_and_the_thread_show_creator_names_whole(hostile: Hostile, tmp_path: Path) -> None:
    app = make_tui(hostile.server, tmp_paths(tmp_path), timeout=5.0)
    async with app.run_test(size=(400, 60)) as pilot:
        await list_loaded(pilot)
        text = screen_text(app)
        assert shown("[VIP] Hot lead") in text and shown("Rates [/old]") in text
        for _ in range(len(HOSTILE)):  # the reading pane: the creator's name heads the thread
            await pilot.press("enter")
            await thread_opened(pilot)
            thread = inbox(pilot).thread
            assert thread is not None
            header = app.screen.query_one("#detail-header", Static)
            name = shown(thread.creator.name)[:100]  # (the 10,000-character word wraps)
            await wait_for(pilot, lambda name=name, header=header: name in plain(header))  # type: ignore[misc]
            await pilot.press("escape", "j")
        assert app.is_running


async def test_the_notice_after_a_send_quotes_a_hostile_name_as_text(
    hostile: Hostile, tmp_path: Path
) -> None:
    """The send is committed before the notice: a crash there would leave the rep unsure it left."""
    target = Target("nox", hostile.server.base_url, SECRET_TOKEN, True, "hostile", default_sender=SENDER)
    app = NoxTUI(target=target, settings=Settings(), paths=tmp_paths(tmp_path), clock=lambda: SANDBOX_NOW)
    notes = record_notifications(app)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await open_first_thread(pilot)
        await pilot.press("e")
        await pilot.press(*"thanks")
        await pilot.press("escape", "s")
        await confirm(pilot)
        await wait_for(pilot, lambda: any(n.title == "Done" or n.severity == "error" for n in notes))
        assert app.is_running
        assert not [n for n in notes if n.severity == "error"], [n.message for n in notes]
        done = next(n for n in notes if n.title == "Done")
        await wait_for(pilot, lambda: any(done.message in toast_text(toast) for toast in app.screen.query(Toast)))
        # Any toast quoting a server name is painted as typed.
        quoted = "Label [/old] and [VIP] Hot lead added"
        app.notify(quoted)
        await wait_for(pilot, lambda: any(quoted in toast_text(toast) for toast in app.screen.query(Toast)))
        assert inbox(pilot) is not None


def toast_text(toast: Toast) -> str:
    return toast.render().plain
