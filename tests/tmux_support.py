"""Driving a real app inside tmux: keys in, the screen as tmux holds it out.

The output layer's promise is about what a terminal ends up showing, so its end-to-end tests run
the real app in a real terminal emulator (tmux) and read tmux's own grid back with
``capture-pane -e`` (characters and SGR), parsed by ``tests/screen_model``. Each session has its
own server socket, so nothing of the user's tmux is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Sequence

import pytest

from tests.screen_model import Screen


def require_tmux() -> str:
    """tmux's path; without it the test is skipped locally and fails under CI (``.ci/run`` installs it)."""
    found = shutil.which("tmux")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is not installed (CI installs it in .ci/run)")
        pytest.skip("tmux is not installed (apt-get install tmux): the terminal output tests need it")
    return found


class TmuxApp:
    """One command in a detached tmux session of ``width`` × ``height``."""

    def __init__(self, command: Sequence[str], width: int, height: int, env: dict[str, str] | None = None) -> None:
        self.tmux = require_tmux()
        self.socket = f"noxtui-test-{uuid.uuid4().hex[:10]}"
        self.width, self.height = width, height
        exports = [f"{key}={value}" for key, value in (env or {}).items()]
        shell = " ".join(_quote(part) for part in ["env", *exports, *command])
        self._run("-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height), shell)
        self._run("set-option", "-t", "app", "remain-on-exit", "on")

    def _run(self, *args: str) -> str:
        done = subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True, check=True)
        return done.stdout

    def send(self, *keys: str) -> None:
        self._run("send-keys", "-t", "app", *keys)

    def resize(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._run("resize-window", "-t", "app", "-x", str(width), "-y", str(height))

    def capture(self) -> str:
        return self._run("capture-pane", "-p", "-e", "-N", "-t", "app")

    def screen(self, capture: str | None = None) -> Screen:
        """tmux's grid as a model screen (``capture-pane -e`` output, one line per row; its styles run
        on from one line to the next)."""
        screen = Screen(self.width, self.height)
        for y, line in enumerate((capture if capture is not None else self.capture()).split("\n")[: self.height]):
            screen.feed(f"\x1b[{y + 1};1H{line}")
        return screen

    def settled(self, timeout: float = 30.0, quiet: float = 0.8) -> str:
        """The capture once it has not changed for ``quiet`` seconds (the app finished painting)."""
        deadline = time.monotonic() + timeout
        last = self.capture()
        since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.capture()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return now
        raise TimeoutError(f"the screen kept changing for {timeout} s")

    def wait_changed(self, before: str, timeout: float = 30.0) -> None:
        """Return once the capture differs from ``before`` (a key was acted on)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.capture() != before:
                return
            time.sleep(0.05)
        raise TimeoutError(f"the screen did not change within {timeout} s")

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self._run("capture-pane", "-p", "-t", "app"):
                return
            time.sleep(0.05)
        shown = self._run("capture-pane", "-p", "-t", "app")
        raise TimeoutError(f"{text!r} did not appear within {timeout} s:\n{shown}")

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True, check=False)


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)
