"""Deep pages started from where an earlier page ended answer exactly like pages walked from the top.

A first sync walks every page of the list, a few requests at a time and out of order; the store
notes where each page ended (``paging_memory.py``) so the next page need not re-walk the rows
before it. These tests walk whole lists that way — in order, out of order, with every plan the
walk can take — and compare each page and total with the plain reference query; and they check
that any write, through this connection or another, forgets the marks.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from noxtui.sandbox import Store, seed_workspace
from noxtui.sandbox.nox import ids, listing
from noxtui.sandbox.nox.listing import page_of_threads
from noxtui.sandbox.nox.paging_memory import PagingMemory
from noxtui.sandbox.nox.thread_filters import ThreadFilters
from tests.sandbox.test_listing import PAGE_SIZE, reference
from tests.sandbox_support import SANDBOX_NOW


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(Path(tmp_path_factory.mktemp("paging")) / "w.sqlite3")
    seed_workspace(store, threads=1200, seed=7, now=SANDBOX_NOW)
    with store.write() as c:
        c.execute("UPDATE threads SET archived = 1 WHERE seq % 13 = 0")
        # Ties on the sort key: the marks must break them on ``seq`` exactly like the list does.
        c.execute("UPDATE threads SET last_message_at = 1700000000000 WHERE seq % 7 = 0")
    yield store
    store.close()


def walk_filters(conn: sqlite3.Connection) -> list[ThreadFilters]:
    label = conn.execute("SELECT label_id FROM thread_labels GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    return [ThreadFilters(), ThreadFilters(needs_reply=True), ThreadFilters(label_id=label, direction="inbound")]


@pytest.mark.parametrize("plan", ["as shipped", "covering scan"])
def test_a_whole_walk_in_any_order_matches_the_reference(
    store: Store, plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if plan == "covering scan":
        monkeypatch.setattr(listing, "SET_DRIVE_LIMIT", -1)
        monkeypatch.setattr(listing, "SET_DRIVE_SHARE", 0.0)
    with store.read() as conn:
        for f in walk_filters(conn):
            total = reference(conn, f, 1)[1]
            pages = list(range(1, -(-total // PAGE_SIZE) + 2))  # one page past the end as well
            shuffled = pages[:1] + random.Random(5).sample(pages[1:], len(pages) - 1)
            for order in (pages, shuffled, list(reversed(pages))):
                memory = PagingMemory()
                for page in order:
                    got = page_of_threads(conn, f, page=page, page_size=PAGE_SIZE, memory=memory)
                    assert (list(got[0]), got[1]) == reference(conn, f, page), (f, page)


def test_a_write_forgets_the_marks(store: Store) -> None:
    """Page 3 after a write that moves a row from page 4 to the top: the marks noted before the
    write would skip it; the memory must see the write and answer from the new data."""
    everything = ThreadFilters()
    store.list_threads(everything, page=1, page_size=PAGE_SIZE)
    store.list_threads(everything, page=2, page_size=PAGE_SIZE)
    moved = store.list_threads(everything, page=4, page_size=PAGE_SIZE)[0][0]["thread_id"]
    newest = store.query("SELECT MAX(last_message_at) FROM threads")[0][0]
    with store.write() as c:
        c.execute("UPDATE threads SET last_message_at = ? WHERE seq = ?", (newest + 1, seq_of(moved)))
    # Not inside a read of the test's own: a nested read is served without the memory.
    got = {page: store.list_threads(everything, page=page, page_size=PAGE_SIZE) for page in (3, 2, 4, 1)}
    with store.read() as conn:
        for page, (seqs, total) in got.items():
            expected_seqs, expected_total = reference(conn, everything, page)
            assert total == expected_total
            assert [s["thread_id"] for s in seqs] == [ids.thread_id(seq) for seq in expected_seqs], page
    assert got[1][0][0]["thread_id"] == moved


def test_another_connection_s_write_forgets_the_marks(store: Store) -> None:
    """A commit from another connection (another process, say) moves ``data_version``."""
    everything = ThreadFilters(needs_reply=False)
    store.list_threads(everything, page=1, page_size=PAGE_SIZE)
    before, total_before = store.list_threads(everything, page=2, page_size=PAGE_SIZE)
    other = sqlite3.connect(store.path)
    try:
        other.execute("UPDATE threads SET needs_reply = 1 WHERE seq = ?", (seq_of(before[0]["thread_id"]),))
        other.commit()
    finally:
        other.close()
    after, total_after = store.list_threads(everything, page=2, page_size=PAGE_SIZE)
    assert total_after == total_before - 1
    assert after[0]["thread_id"] != before[0]["thread_id"]


def seq_of(thread_id: str) -> int:
    seq = ids.parse_id("th", thread_id)
    assert seq is not None
    return seq


def test_a_workspace_with_an_older_list_index_gets_the_current_one_on_open(tmp_path: Path) -> None:
    """The list's order index gained ``seq`` (ties on ``last_message_at`` were sorted per page);
    a file seeded before that is given the new index when opened, its data untouched."""
    path = tmp_path / "older.sqlite3"
    store = Store(path)
    seed_workspace(store, threads=120, seed=7, now=SANDBOX_NOW)
    current = store.query("SELECT sql FROM sqlite_master WHERE name = 'ix_threads_live_wide'")[0][0]
    before = store.list_threads(ThreadFilters(), page=2, page_size=PAGE_SIZE)
    with store.write() as c:
        c.execute("DROP INDEX ix_threads_live_wide")
        c.execute("CREATE INDEX ix_threads_live_wide ON threads(archived, last_message_at DESC, needs_reply)")
    store.close()
    reopened = Store(path)
    try:
        assert reopened.query("SELECT sql FROM sqlite_master WHERE name = 'ix_threads_live_wide'")[0][0] == current
        assert reopened.list_threads(ThreadFilters(), page=2, page_size=PAGE_SIZE) == before
    finally:
        reopened.close()
