"""From the early frame to the inbox on a real pty: no key lost, none applied twice, no blank.

The bench's launcher (``python -m bench._app_from_cache``) opens the real app the way the command
line does. ``n`` typed at the early frame is answered there; ``?`` (help) is not an early key, so
it goes to Textual, is held by the start-up screen and acts once the inbox is up. The shell's
terminal settings are what they were before the app once it exits.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from bench._data import filled_cache
from bench._pty import PtySession
from bench.cold_start import INBOX_SHOWN, clears_in, first_name

REPO = Path(__file__).resolve().parents[2]
HELP_SHOWN = "noxtui — keys".encode()


def test_keys_typed_at_the_early_frame_act_once_and_the_shell_gets_its_terminal_back(tmp_path: Path) -> None:
    cache = filled_cache(tmp_path, 60)
    app = shlex.join([sys.executable, "-m", "bench._app_from_cache", str(cache)])
    session = PtySession(
        ["sh", "-c", f"stty -g; echo settings-before; {app}; stty -g"], cols=120, rows=40, cwd=str(REPO)
    )
    try:
        session.wait_for(first_name(cache), timeout=60)
        session.send(b"n?")
        shown = session.wait_for(INBOX_SHOWN, timeout=60)
        helped = session.wait_for(HELP_SHOWN, timeout=60)
        session.send(b"\x11")  # ctrl+q
        session.process.wait(timeout=30)
    finally:
        session.close()
    written = session.output
    assert b"needs reply" in written  # n acted at the early frame
    assert b"answered" not in written  # and only once (a second n would cycle to "answered")
    assert shown > 0 and clears_in(written) == 0
    assert helped > shown  # then ?, once the inbox is up
    lines = written.replace(b"\r", b"").split(b"\n")
    before = lines[lines.index(b"settings-before") - 1]
    assert written.rstrip().endswith(before)  # stty -g after the app: the settings from before it
