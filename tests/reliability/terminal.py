"""The real ``noxtui`` command on a pseudo-terminal: what the rep's terminal would receive."""

from __future__ import annotations

import fcntl
import os
import pty
import resource
import select
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Sequence
from pathlib import Path

from noxtui.storage.settings import TOKEN_ENV

RUN_SECONDS = 60.0


def run_in_terminal(
    home: Path,
    token: str,
    *args: str,
    file_size_limit: int | None = None,
    keys_after: tuple[str, str] | None = None,
) -> tuple[str, int]:
    """``python -m noxtui`` on a 200x50 pseudo-terminal: (everything the terminal got, exit code).

    stdout and stderr both go to the terminal, as for the rep: Textual draws on stderr, and the
    command line prints its messages there too. ``file_size_limit`` is ``prlimit --fsize`` (every
    write past it fails, as on a full disk); ``keys_after`` types its keys once its text is on screen.
    """
    env = {**os.environ, "NOXTUI_HOME": str(home), TOKEN_ENV: token, "TERM": "xterm-256color"}
    env.pop("TEXTUAL_DRIVER", None)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "noxtui", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        preexec_fn=None if file_size_limit is None else _limit_file_size(file_size_limit),
    )
    os.close(slave)
    screen = bytearray()
    waiting = keys_after
    try:
        while True:
            ready, _, _ = select.select([master], [], [], RUN_SECONDS)
            if not ready:
                process.kill()
                raise AssertionError(f"noxtui {' '.join(args)} did not stop within {RUN_SECONDS} s")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side closed, the app is gone
                break
            if not chunk:
                break
            screen += chunk
            if waiting is not None and waiting[0].encode() in screen:
                os.write(master, waiting[1].encode())
                waiting = None
    finally:
        os.close(master)
        code = process.wait(RUN_SECONDS)
    return screen.decode("utf-8", "replace"), code


def screen_columns(output: str, width: int = 200, height: int = 50) -> list[str]:
    """The terminal's rows as the rep last saw them before the app left its alternate screen.

    One character per column (the right half of a wide character is a NUL), so a box's column is
    the same index on every row. Searching the raw bytes for a sentence breaks as soon as a toast
    wraps it differently (a longer temporary path under pytest-xdist did): a model terminal does not.
    """
    from tests.screen_model import Screen

    leaving = [at for at in (output.find("\x1b[<u"), output.find("\x1b[?1049l")) if at >= 0]
    screen = Screen(width, height).feed(output[: min(leaving, default=len(output))])
    return ["".join(char[:1] or "\0" for char, _ in line) for line in screen.cells]


def toast_text(rows: list[str], first_words: str) -> str:
    """The words of the toast (``▌``-bordered box at the right edge) whose text starts with ``first_words``."""
    for top, row in enumerate(rows):
        column = row.find("▌ " + first_words)
        if column < 0:
            continue
        words: list[str] = []
        for below in rows[top:]:
            if below[column] != "▌":
                break
            words.extend(below[column + 1 :].split())
        return " ".join(words)
    return ""


def _limit_file_size(limit: int) -> object:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as a full disk's does
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


__all__: Sequence[str] = ["run_in_terminal"]
