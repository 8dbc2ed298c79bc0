"""The list index answers ``message list`` exactly like plain SQL, and never from stale data.

``nox/list_index.py`` serves big workspaces only (``listing.INDEX_FROM_THREADS``), so each case here
moves that line to zero and checks pages and totals against one plain SQL query — for every
filter, each of the CLI's views, and the keyword's three ways (probed, its set made, its set kept).
Then the index's freshness: any write, by this connection or another, and ``reset`` are seen by
the next list.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from noxtui.sandbox import Store, seed_workspace
from noxtui.sandbox.database import placeholders
from noxtui.sandbox.nox import index_page, listing
from noxtui.sandbox.nox.ids import thread_id
from noxtui.sandbox.nox.thread_filters import VIEWS, ThreadFilters
from tests.sandbox_support import SANDBOX_NOW

PAGE_SIZE = 20

KEYWORD_WAYS: dict[str, int] = {"keyword probed": 10**9, "keyword set made": -1}


@pytest.fixture(autouse=True)
def index_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "INDEX_FROM_THREADS", 0)
    monkeypatch.setattr(listing, "INDEX_UNLESS_DRIVER", -1)


def seeded(path: Path, threads: int) -> Store:
    store = Store(path)
    seed_workspace(store, threads=threads, seed=7, now=SANDBOX_NOW)
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """900 threads, every seventh archived, some read, drafted and scheduled (the views' rows)."""
    store = seeded(Path(tmp_path_factory.mktemp("index")) / "w.sqlite3", 900)
    with store.write() as c:
        c.execute("UPDATE threads SET archived = 1 WHERE seq % 7 = 0")
        c.execute("UPDATE threads SET draft_body = 'hi' WHERE seq % 5 = 0")
        c.execute("UPDATE threads SET schedule_at = updated_at WHERE seq % 6 = 0")
        c.execute(
            "INSERT OR REPLACE INTO thread_reads(thread_seq, seen_last_message_at) "
            "SELECT seq, last_message_at - (seq % 2) FROM threads WHERE seq % 3 = 0"
        )
    yield store
    store.close()


def top(conn: sqlite3.Connection, sql: str) -> Any:
    return conn.execute(sql).fetchone()[0]


def cases(conn: sqlite3.Connection) -> list[ThreadFilters]:
    label = top(conn, "SELECT label_id FROM thread_labels GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
    owners = [r[0] for r in conn.execute("SELECT DISTINCT owner_uid FROM threads WHERE owner_uid IS NOT NULL")]
    projects = [r[0] for r in conn.execute("SELECT project_id FROM thread_projects GROUP BY 1 ORDER BY COUNT(*) DESC")]
    coop = top(conn, "SELECT coop_status FROM threads GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
    task = projects[0].split(":", 1)[1]
    since = top(conn, "SELECT updated_at FROM threads WHERE archived = 0 ORDER BY updated_at LIMIT 1 OFFSET 500")
    out = [
        ThreadFilters(needs_reply=needs, direction=direction, coop_status=c, label_id=lab, updated_since_ms=upd)
        for needs, direction, c, lab, upd in itertools.product(
            (None, True, False), (None, "inbound", "outbound"), (None, coop), (None, label), (None, since)
        )
    ]
    out += [ThreadFilters(view=view) for view in VIEWS]
    out += [ThreadFilters(view=view, keyword="ma", owner_uids=tuple(owners[:2])) for view in VIEWS]
    out += [
        ThreadFilters(owner_uids=tuple(owners[:2])),
        ThreadFilters(owner_uids=("u_nobody",)),
        ThreadFilters(project_ids=tuple(projects[:3])),
        ThreadFilters(business_kind="email_task", business_id=task),
        ThreadFilters(business_kind="campaign"),
        ThreadFilters(coop_status="no_such_status"),
        ThreadFilters(label_id="lb_no_such_label"),
        ThreadFilters(updated_since_ms=0),
        ThreadFilters(updated_since_ms=10**15),
    ]
    for keyword in ("ma", "a", "collab", "zq", "zzzz-no-match", "%", "_", '"', "\\", "MA"):
        out += [
            ThreadFilters(keyword=keyword),
            ThreadFilters(keyword=keyword, direction="inbound", needs_reply=True),
            ThreadFilters(keyword=keyword, label_id=label, updated_since_ms=since),
        ]
    return out


def reference(conn: sqlite3.Connection, f: ThreadFilters, page: int) -> tuple[list[int], int]:
    """The plainest SQL for the same question: no index, no plan, ``instr`` for the keyword."""
    clauses, params = f.flat_where()
    if f.label_id is not None:
        clauses.append("EXISTS (SELECT 1 FROM thread_labels l WHERE l.thread_seq = t.seq AND l.label_id = ?)")
        params.append(f.label_id)
    if f.project_ids:
        marks = placeholders(len(f.project_ids))
        clauses.append(
            f"EXISTS (SELECT 1 FROM thread_projects p WHERE p.thread_seq = t.seq AND p.project_id IN ({marks}))"
        )
        params.extend(f.project_ids)
    if f.keyword:
        clauses.append("EXISTS (SELECT 1 FROM thread_text x WHERE x.seq = t.seq AND instr(x.search_text, ?) > 0)")
        params.append(f.keyword.lower())
    where = " AND ".join(clauses)
    total = conn.execute(f"SELECT COUNT(*) FROM threads t NOT INDEXED WHERE {where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT t.seq FROM threads t NOT INDEXED WHERE {where} "
        "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    return [r[0] for r in rows], int(total)


@pytest.mark.parametrize("way", list(KEYWORD_WAYS))
def test_every_filter_answers_like_plain_sql(store: Store, way: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_page, "PROBE_LIMIT", KEYWORD_WAYS[way])
    mismatches = []
    with store.read() as conn:
        for f in cases(conn):
            for page in (1, 2, 9):
                expected = reference(conn, f, page)
                got = listing.page_of_threads(conn, f, page=page, page_size=PAGE_SIZE)
                if (list(got[0]), got[1]) != expected:
                    mismatches.append((f, page, got[1], expected[1]))
    assert not mismatches, mismatches[:5]


def test_the_cases_reach_every_way(store: Store) -> None:
    """Not all empty, not all full: the comparison above means something."""
    with store.read() as conn:
        totals = {reference(conn, f, 1)[1] for f in cases(conn)}
        live = top(conn, "SELECT COUNT(*) FROM threads WHERE archived = 0")
    assert 0 in totals and live in totals and len(totals) > 40


def listed(store: Store, f: ThreadFilters) -> tuple[list[str], int]:
    found, total = store.list_threads(f, page=1, page_size=PAGE_SIZE)
    return [t["thread_id"] for t in found], total


def test_a_write_is_seen_by_the_next_list(tmp_path: Path) -> None:
    store = seeded(tmp_path / "w.sqlite3", 120)
    try:
        f = ThreadFilters(direction="inbound", keyword="ma")
        first = listed(store, f)
        assert first[1] > 1
        with store.write() as c:  # the newest matching thread turns outbound and falls out
            c.execute("UPDATE threads SET last_message_direction = 'outbound' WHERE seq = ?", (int(first[0][0][3:]),))
        after = listed(store, f)
        assert after[1] == first[1] - 1 and after[0][0] == first[0][1]
    finally:
        store.close()


def test_another_connection_s_write_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    store = seeded(path, 120)
    try:
        before = listed(store, ThreadFilters(keyword="ma"))
        other = sqlite3.connect(path)
        other.execute("UPDATE thread_text SET search_text = 'nothing here' WHERE search_text LIKE '%ma%'")
        other.commit()
        other.close()
        assert before[1] > 0 and listed(store, ThreadFilters(keyword="ma")) == ([], 0)
    finally:
        store.close()


def test_reset_and_reseed_never_reuse_a_state(tmp_path: Path) -> None:
    """``clear`` empties every table but not the generation: a kept index can never pass for new data."""
    store = seeded(tmp_path / "w.sqlite3", 60)
    try:
        listed(store, ThreadFilters(direction="inbound"))
        before = store.query("SELECT n FROM list_generation")[0][0]
        store.clear()
        assert listed(store, ThreadFilters(direction="inbound")) == ([], 0)
        seed_workspace(store, threads=30, seed=8, now=SANDBOX_NOW)
        assert store.query("SELECT n FROM list_generation")[0][0] > before
        assert listed(store, ThreadFilters())[1] == 30
    finally:
        store.close()


def test_a_workspace_without_the_generation_gets_it_on_open(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    seeded(path, 40).close()
    raw = sqlite3.connect(path)
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        raw.execute(f'DROP TRIGGER "{name}"')
    raw.execute("DROP TABLE list_generation")
    raw.execute("DROP INDEX ix_threads_drafted")
    raw.commit()
    raw.close()
    store = Store(path)
    try:
        first = listed(store, ThreadFilters(direction="outbound"))
        with store.write() as c:
            c.execute("UPDATE threads SET last_message_direction = 'outbound'")
        assert listed(store, ThreadFilters(direction="outbound"))[1] == 40 > first[1]
        assert store.query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ix_threads_drafted'")[0][0] == 1
    finally:
        store.close()


def test_lists_in_parallel_share_one_index_and_agree(store: Store) -> None:
    """The server lists from a thread pool: several connections build, share and extend one index."""
    with store.read() as conn:
        filters = cases(conn)[::4]
        expected = [reference(conn, f, 1) for f in filters]
    with store.write() as c:  # a new state of the data: the pool's first lists build its index
        c.execute("UPDATE threads SET subject = subject WHERE seq = 1")
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda f: listed(store, f), filters * 3))
    assert got == [([thread_id(seq) for seq in seqs], total) for seqs, total in expected] * 3
