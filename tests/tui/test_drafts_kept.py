"""Unsent text survives moving between threads, and a killed app process (SIGKILL mid-edit)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from textual.widgets import Static, TextArea

from noxtui.domain.models import ThreadQuery
from noxtui.storage.drafts import LocalDrafts
from noxtui.storage.settings import Paths, Profile, Settings, save_settings
from tests.screen_model import Screen
from tests.tui.support import (
    inbox,
    list_loaded,
    make_app,
    plain,
    server_threads,
    thread_opened,
    wait_for,
)


async def test_text_typed_in_one_thread_is_there_after_visiting_another(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        first = screen.thread_list.current
        await pilot.press("enter")
        await thread_opened(pilot, first.thread_id)
        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"half a reply", "escape", "j", "enter")
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.thread_id != first.thread_id)
        await pilot.press("k", "enter")
        await thread_opened(pilot, first.thread_id)
        assert screen.query_one("#draft", TextArea).text == "half a reply"
        assert "RESTORED unsent text" in plain(screen.query_one("#composer-state", Static))


def _read_until(fd: int, needle: bytes, timeout: float, written: list[bytes] | None = None) -> bytes:
    """Read the terminal until ``needle`` is on it. With ``written`` (every byte so far, kept
    across calls), what counts is the screen a terminal would show: the app writes only the cells
    that change, so text typed a key at a time arrives a character at a time, never as one run."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if written is None and needle in seen:
                return seen
            if written is not None:
                written.append(chunk)
        elif written is not None and needle.decode() in _shown(b"".join(written)):  # a quiet moment: look
            return seen
    raise AssertionError(f"{needle!r} never appeared on the terminal")


def _shown(output: bytes) -> str:
    """The text a 120×40 terminal shows after ``output`` (a model terminal, ``tests/screen_model``)."""
    try:
        return "\n".join(Screen(120, 40).feed(output.decode("utf-8", "replace")).text())
    except ValueError:  # the output stops inside an escape sequence: the rest is still coming
        return ""


def _wait_for_autosave(paths: Paths, scope: str, thread_id: str, ending: str, timeout: float = 30) -> None:
    """A pause in typing: the app writes the text to its drafts store (read here as the app would)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        drafts = LocalDrafts(paths.data_dir / "drafts.sqlite3", scope=scope)
        try:
            kept = drafts.load(thread_id)
        finally:
            drafts.close()
        if kept is not None and kept.body.endswith(ending):
            return
        time.sleep(0.1)
    raise AssertionError("the typed text never reached the drafts store")


@contextmanager
def _typing_in_a_real_terminal(sandbox, sandbox_token, typed: str) -> Iterator[subprocess.Popen[bytes]]:
    """The app (``python -m noxtui``) in a pty, the first thread open and ``typed`` in its editor,
    on the screen; the process is killed on the way out if it still runs."""
    master, slave = pty.openpty()
    env = {**os.environ, "NOXTUI_TOKEN": sandbox_token, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "noxtui"], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
    )
    os.close(slave)
    written: list[bytes] = []  # every byte the app writes, to read the screen a terminal would show
    try:
        _read_until(master, b"threads", timeout=30, written=written)
        os.write(master, b"\r")  # open the first thread
        _read_until(master, b"saved", timeout=30, written=written)  # the composer's state line: the thread is open
        os.write(master, b"e")
        _read_until(master, b"Leave editor", timeout=30, written=written)  # the editor's footer: it has the focus
        os.write(master, typed.encode())
        _read_until(master, typed.split()[-1].encode(), timeout=30, written=written)  # in the composer
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def _kept(paths: Paths, sandbox, thread_id: str) -> str | None:
    drafts = LocalDrafts(paths.data_dir / "drafts.sqlite3", scope=f"nox:{sandbox.base_url}")
    try:
        kept = drafts.load(thread_id)
    finally:
        drafts.close()
    return kept.body if kept is not None else None


async def test_a_hang_up_keeps_the_text_typed_a_moment_before(sandbox, sandbox_token, private_home) -> None:
    """sshd sends SIGHUP when the link drops: the app ends as ``q`` does and keeps the text, even
    text typed within the editor's 0.4 s autosave delay (the default action died at once)."""
    paths = Paths.default()
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}), paths)
    first = (await server_threads(sandbox, sandbox_token, ThreadQuery()))[0]
    with _typing_in_a_real_terminal(sandbox, sandbox_token, " -- typed as the link dropped") as proc:
        os.kill(proc.pid, signal.SIGHUP)
        assert proc.wait(timeout=30) == 128 + signal.SIGHUP
    body = _kept(paths, sandbox, first.thread_id)
    assert body is not None and body.endswith(" -- typed as the link dropped")


async def test_a_killed_app_brings_the_unsent_text_back(sandbox, sandbox_token, private_home) -> None:
    paths = Paths.default()
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}), paths)
    first = (await server_threads(sandbox, sandbox_token, ThreadQuery()))[0]
    with _typing_in_a_real_terminal(sandbox, sandbox_token, " -- typed before the crash") as proc:
        _wait_for_autosave(paths, f"nox:{sandbox.base_url}", first.thread_id, " -- typed before the crash")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    body = _kept(paths, sandbox, first.thread_id)
    assert body is not None and body.endswith(" -- typed before the crash")

    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, first.thread_id)
        screen = inbox(pilot)
        assert screen.query_one("#draft", TextArea).text == body
        assert "RESTORED unsent text" in plain(screen.query_one("#composer-state", Static))
