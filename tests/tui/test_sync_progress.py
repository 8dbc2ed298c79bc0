"""The first sync's progress line: it says how far a large first sync has come, then goes away.

Against a live sandbox of 450 threads (five pages of 100) whose list answers are slowed down, so
the sync lasts long enough to be watched: every value the line shows is recorded as it is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from noxtui.sandbox import SandboxServer, Store, seed_workspace
from noxtui.storage.cache.sync import SyncProgress
from noxtui.tui.widgets.sync_progress import SyncProgressBar, progress_bar, progress_text
from tests.sandbox_support import SANDBOX_NOW, SANDBOX_SEED
from tests.tui.support import inbox, list_loaded, make_app, wait_for

THREADS = 450


@pytest.fixture
def five_page_sandbox(tmp_path: Path, sandbox_token: str) -> Iterator[SandboxServer]:
    db = tmp_path / "five-pages.sqlite3"
    store = Store(db)
    try:
        seed_workspace(store, threads=THREADS, seed=SANDBOX_SEED, now=SANDBOX_NOW)
        store.checkpoint()
    finally:
        store.close()
    server = SandboxServer(db, host="127.0.0.1", port=0, token=sandbox_token, now=SANDBOX_NOW)
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_the_first_sync_shows_its_progress_advancing_then_the_line_goes_away(
    five_page_sandbox: SandboxServer, sandbox_token: str
) -> None:
    live = five_page_sandbox.store.stats()["live_threads"]
    # Each list page waits 300 ms: page 1 alone, then the other four together.
    five_page_sandbox.faults.set_rules([{"method": "GET", "path": "/messages/threads$", "latency_ms": 300}])
    app = make_app(five_page_sandbox, sandbox_token)
    seen: list[tuple[SyncProgress | None, str, bool]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1)
        screen = inbox(pilot)
        line = screen.query_one(SyncProgressBar)
        screen.watch(line, "progress", lambda value: seen.append((value, line.text, line.display)), init=False)
        await list_loaded(pilot)

        shown = [(p, text) for p, text, _ in seen if p is not None]
        done = [p.done for p, _ in shown]
        assert len(done) >= 2 and done == sorted(done) and done[0] < done[-1], done
        assert done[-1] == live and all(p.total == live for p, _ in shown)
        assert all(text.startswith("Syncing ") and f"/ {live:,} · " in text for _, text in shown)
        assert shown[-1][1].startswith(f"Syncing {live:,} / {live:,} · 100% · ")
        assert all(display for p, _, display in seen if p is not None)

        assert seen[-1][0] is None, "the line is cleared when the sync ends"
        assert not line.display and line.text == ""
        assert screen.thread_list.row_count == live


def test_the_line_reads_without_colour() -> None:
    assert progress_text(SyncProgress(412_300, 1_000_000, 60.0)) == (
        "Syncing 412,300 / 1,000,000 · 41% · about 86 s left"
    )
    assert progress_text(SyncProgress(100, 1_000_000, 0.5)).endswith("about 83 min left")
    assert progress_text(SyncProgress(0, 0, 0.0)) == "Syncing · counting threads…"
    assert progress_text(SyncProgress(1000, 1000, 3.0)).endswith("100% · almost done")
    assert progress_bar(0.5, 10) == "[█████░░░░░]"
    assert progress_bar(1.0, 4) == "[████]"
