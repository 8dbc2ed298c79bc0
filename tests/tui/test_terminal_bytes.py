"""Over a real pty, the output layer is what writes the frames: a list that scrolls a line goes out
as a scroll region and two rows, not as the list rewritten (Textual's own output: ~9 KB at 120×40).

Without this, a layer that fell back to Textual's output on every frame would pass every
correctness test; the count of bytes is exact output, not a timing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from bench._pty import PtySession
from tests.screen_model import Screen

REPO = Path(__file__).resolve().parents[2]
SCROLL = re.compile(rb"\x1b\[\d+;\d+r\x1b\[\d*S")


@pytest.fixture(scope="module")
def cache_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench._data import filled_cache

    return filled_cache(tmp_path_factory.mktemp("bench"), 300)


def keypress_output(session: PtySession, key: bytes) -> bytes:
    mark = session.mark()
    session.send(key)
    session.wait_output(mark, timeout=10)
    session.wait_quiet(0.3, timeout=20)
    return session.bytes_since(mark)


@pytest.mark.parametrize("diffed", ["1", "0"], ids=["output layer", "Textual's own output"])
def test_a_line_scroll_is_a_scroll_region_and_two_rows(cache_path: Path, diffed: str) -> None:
    session = PtySession(
        [sys.executable, "-m", "bench._app_from_cache", str(cache_path)],
        cols=120,
        rows=40,
        cwd=str(REPO),
        env={"NOXTUI_DIFFED_OUTPUT": diffed},
    )
    try:
        session.wait_for(b"Edit reply", timeout=120)  # the inbox's footer
        session.wait_quiet(0.5, timeout=30)
        keypress_output(session, b"\x1b[6~")  # page down: the cursor on the bottom row, every j scrolls
        scrolls = [keypress_output(session, b"j") for _ in range(3)]
    finally:
        session.close()
    if diffed == "1":
        assert all(SCROLL.search(out) for out in scrolls), scrolls
        assert max(len(out) for out in scrolls) < 2_000
    else:
        assert not any(SCROLL.search(out) for out in scrolls)
        assert min(len(out) for out in scrolls) > 5_000


def test_the_hidden_cursor_moves_only_for_a_text_field(cache_path: Path) -> None:
    """Textual ends every frame with a move of its hidden cursor (6 B a key over SSH). In the list a
    key writes its rows and nothing after them; in the keyword field the cursor is still put after
    the typed text, where an input method composes."""
    session = PtySession(
        [sys.executable, "-m", "bench._app_from_cache", str(cache_path)], cols=120, rows=40, cwd=str(REPO)
    )
    try:
        session.wait_for(b"Edit reply", timeout=120)
        session.wait_quiet(0.5, timeout=30)
        moves = [keypress_output(session, b"j") for _ in range(3)]
        keypress_output(session, b"/")
        keypress_output(session, b"zq")
        everything = session.bytes_since(0)
    finally:
        session.close()
    for out in moves:
        assert not re.search(rb"\x1b\[\d*(;\d*)?[HG]$", out), out  # ends on the text it wrote
    screen = Screen(120, 40).feed(everything.decode("utf-8"))
    row = screen.text()[screen.y]
    assert row[: screen.x].rstrip().endswith("zq"), (screen.x, row)
