"""When the terminal goes away under the app (an SSH link drops and no hang-up signal reaches it),
the app ends as ``q`` would, instead of spinning on empty reads for as long as it runs."""

from __future__ import annotations

import os
import pty
import sys
import threading
import time
import tty
from pathlib import Path

import pytest

from bench._pty import PtySession
from noxtui.tui.terminal.hangup import HangupWatch

REPO = Path(__file__).resolve().parents[2]


def test_the_watch_calls_once_when_the_far_end_closes_and_never_for_typed_keys() -> None:
    master, slave = pty.openpty()
    tty.setraw(slave)  # keys arrive as typed, as in the app's raw mode
    called = threading.Event()
    calls: list[int] = []

    def hung_up() -> None:
        calls.append(1)
        called.set()

    watch = HangupWatch(slave, hung_up)
    watch.start()
    try:
        os.write(master, b"jjk")  # pending input is not a hang-up, and the watch reads none of it
        assert not called.wait(0.8)
        assert os.read(slave, 16) == b"jjk"
        os.close(master)
        assert called.wait(5), "the hang-up was noticed"
        time.sleep(0.6)  # the watch has ended: no second call
        assert calls == [1]
    finally:
        watch.stop()
        os.close(slave)


@pytest.fixture(scope="module")
def cache_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench._data import filled_cache

    return filled_cache(tmp_path_factory.mktemp("bench"), 300)


def test_the_app_ends_when_its_terminal_goes_away(cache_path: Path) -> None:
    session = PtySession(
        [sys.executable, "-m", "bench._app_from_cache", str(cache_path)], cols=120, rows=40, cwd=str(REPO)
    )
    try:
        session.wait_for(b"Edit reply", timeout=120)  # the inbox is up
        session.hang_up()
        session.process.wait(timeout=15)  # before the fix: still running, a core busy, after minutes
    finally:
        session.close()
