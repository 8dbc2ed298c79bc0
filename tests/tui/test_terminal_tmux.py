"""In a real terminal (tmux), the screen the output layer leaves equals a full repaint's.

The app (the bench's launcher: the real ``NoxTUI`` over a filled cache, a provider that never
answers) runs in tmux at 120×40. After each step — fifty ``j`` (the list scrolls), ``k``, page
down, the needs-reply filter, a resize — tmux's grid is captured, then ``ctrl+l`` makes Textual
repaint every cell with its own output, and the two captures must show the same cells.

tmux keeps the background of cells cleared by ``EL`` (and shows it) but ``capture-pane`` does not
report it, so the strict run writes blanks instead of erasing (``NOXTUI_ERASE_BACKGROUND=0``); the
run with erasing compares every cell but a blank's background (erasing itself is checked cell by
cell against the model terminal in ``test_terminal_diff.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tmux_support import TmuxApp, require_tmux

REPO = Path(__file__).resolve().parents[2]
THREADS = 300


@pytest.fixture(scope="module")
def cache_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tmux()
    from bench._data import filled_cache

    return filled_cache(tmp_path_factory.mktemp("bench"), THREADS)


@pytest.fixture(params=["0", "1"], ids=["blanks written", "blanks erased"])
def app(cache_path: Path, request: pytest.FixtureRequest) -> Iterator[TmuxApp]:
    running = TmuxApp(
        ["sh", "-c", f"cd {REPO} && exec {sys.executable} -m bench._app_from_cache {cache_path}"],
        120,
        40,
        env={"NOXTUI_ERASE_BACKGROUND": request.param},
    )
    running.erasing = request.param == "1"  # type: ignore[attr-defined]
    try:
        running.wait_for("Edit reply")  # the inbox's own footer: the start-up screen has been replaced
        yield running
    finally:
        running.close()


def cells(app: TmuxApp, capture: str) -> list[list[tuple[object, ...]]]:
    rows = app.screen(capture).visible()
    if getattr(app, "erasing", False):  # capture-pane drops the background of erased cells
        rows = [[cell[:1] + cell[2:] if cell[0] == " " else cell for cell in row] for row in rows]
    return rows


def assert_same_as_full_repaint(app: TmuxApp, step: str) -> None:
    shown_capture = app.settled()
    shown = app.screen(shown_capture)
    app.send("C-l")
    repainted_capture = app.settled()
    repainted = app.screen(repainted_capture)
    for y, (got, want) in enumerate(zip(cells(app, shown_capture), cells(app, repainted_capture), strict=True)):
        first = next((x for x, (a, b) in enumerate(zip(got, want, strict=True)) if a != b), None)
        assert first is None, (
            f"after {step}, row {y + 1} column {first} differs from a full repaint: {got[first]} != {want[first]}\n"
            f"{shown.text()[y]!r}\n{repainted.text()[y]!r}"
        )


def step(app: TmuxApp, *keys: str, shows: str | None = None) -> None:
    """Press ``keys`` and wait until the screen changed (and shows ``shows``, when given)."""
    before = app.capture()
    app.send(*keys)
    app.wait_changed(before)
    if shows is not None:
        app.wait_for(shows)


def test_scrolling_filtering_and_resizing_leave_what_a_full_repaint_shows(app: TmuxApp) -> None:
    assert_same_as_full_repaint(app, "start")
    step(app, *["j"] * 50)
    assert_same_as_full_repaint(app, "50 × j")
    step(app, "k")
    assert_same_as_full_repaint(app, "k")
    step(app, "NPage")
    assert_same_as_full_repaint(app, "page down")
    step(app, "n", shows="needs reply")
    assert_same_as_full_repaint(app, "n (needs reply)")
    step(app, *["j"] * 10, "n", shows="answered")
    assert_same_as_full_repaint(app, "j × 10, n again (answered)")
    before = app.capture()
    app.resize(100, 30)
    app.wait_changed(before)
    assert_same_as_full_repaint(app, "resize to 100×30")
    step(app, *["j"] * 30, "PPage")
    assert_same_as_full_repaint(app, "j × 30 and page up at 100×30")
