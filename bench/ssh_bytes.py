"""Figure 7 — what one keypress costs over SSH: bytes written to a 120×40 terminal per j/k.

Over SSH every byte the app writes crosses the network, so a cursor move must rewrite the two
lines that changed, not the screen. The app runs in a pty (the bench launcher: real ``NoxTUI``,
cached rows, no network); after the first frame settles, each key's output is captured until the
terminal is quiet again, and the screen rows it addressed are read from its cursor-position
sequences (``ESC [ row ; col H``).
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

from bench._constants import COLS, LINES
from bench._data import filled_cache
from bench._pty import PtySession
from bench._table import Figure
from bench.cold_start import first_name

_CUP = re.compile(rb"\x1b\[(\d+);(\d+)H")
_CSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")
QUIET = 0.15
"""Seconds of silence that end one key's output (Textual paints well within one 60 Hz frame)."""
MAX_ROWS_PER_MOVE = 4
"""A cursor move may touch the old line, the new line and, at most, a status line and a scrollbar."""


def rows_touched(output: bytes) -> set[int]:
    """Screen rows the output wrote characters to (a bare cursor move to park the cursor is not one)."""
    matches = list(_CUP.finditer(output))
    rows: set[int] = set()
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(output)
        if _CSI.sub(b"", output[match.end() : end]).strip(b"\r\n"):
            rows.add(int(match.group(1)))
    return rows


def press(session: PtySession, key: bytes) -> bytes:
    """Send ``key``; return everything written from then until the terminal is quiet again."""
    mark = session.mark()
    session.send(key)
    session.wait_output(mark, timeout=5)
    session.wait_quiet(QUIET, timeout=10)
    return session.bytes_since(mark)


def run(workdir: Path, threads: int, presses: int, repo: Path) -> list[Figure]:
    cache_path = filled_cache(workdir, threads)
    needle = first_name(cache_path)
    session = PtySession(
        [sys.executable, "-m", "bench._app_from_cache", str(cache_path)], cols=COLS, rows=LINES, cwd=str(repo)
    )
    moves: list[tuple[int, int]] = []
    scrolls: list[tuple[int, int]] = []
    try:
        session.wait_for(needle, timeout=120)
        session.wait_quiet(0.6, timeout=30)
        first_frame = len(session.output)
        visible = LINES - 8  # list lines between the header/filter bar and the footer (conservative)
        for key in [b"j"] * min(presses, visible - 2) + [b"k"] * min(presses, visible - 2):  # never scrolls
            out = press(session, key)
            moves.append((len(out), len(rows_touched(out))))
        # Page down: the cursor lands on the list's bottom edge, so every following j scrolls.
        session.send(b"\x1b[6~")
        session.wait_quiet(0.3, timeout=10)
        for _ in range(max(3, min(presses, 10))):
            out = press(session, b"j")
            touched = len(rows_touched(out))
            if touched > MAX_ROWS_PER_MOVE:
                scrolls.append((len(out), touched))
    finally:
        session.close()
    move_bytes = [float(b) for b, _ in moves]
    move_rows = [r for _, r in moves]
    scroll_bytes = [float(b) for b, _ in scrolls]
    full_repaints = sum(r > MAX_ROWS_PER_MOVE for r in move_rows)
    verdict = (
        "no full-screen repaint"
        if not full_repaints
        else f"{full_repaints} presses repainted more than {MAX_ROWS_PER_MOVE} rows"
    )
    return [
        Figure(
            "7. bytes per j/k, cursor move",
            f"{COLS}×{LINES}, {threads:,} rows",
            move_bytes,
            unit="B",
            target=None,
            note=(
                f"{verdict}: rows rewritten per key median {statistics.median(move_rows):.0f}, max {max(move_rows)}; "
                f"first full frame {first_frame:,} B"
            ),
        ),
        Figure(
            "7. rows rewritten per cursor move",
            f"{COLS}×{LINES}",
            [float(r) for r in move_rows],
            unit="rows",
            target=MAX_ROWS_PER_MOVE + 1,
            judge="max",
        ),
        Figure(
            "7. bytes per j, list scrolls a line",
            f"{COLS}×{LINES}, {threads:,} rows",
            scroll_bytes,
            unit="B",
            note=(
                f"{len(scrolls)} scrolling presses, {statistics.median([r for _, r in scrolls] or [0]):.0f} rows each: "
                "a scroll rewrites the list (Textual does not use terminal scroll regions)"
            ),
        ),
    ]
