"""Filling an empty cache appends rows without their indexes (``bulk_fill.py``): what must still hold.

A thread written twice while the indexes are down keeps exactly the copy a row-by-row write would
have kept; the indexes are back when the fill ends (also when it ends by an error, and when the
app died mid-fill and the file is opened again); a file from before keeps working.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from noxtui.domain.models import Creator, ThreadQuery, ThreadSummary
from noxtui.storage.cache import CacheScope, ThreadCache, bulk_fill

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
A = CacheScope("nox", "work@https://api.example/v1")
LIST_INDEXES = {"ix_threads_id", "ix_threads_order", "ix_threads_updated", "ix_thread_labels_k", "ix_thread_projects_k"}

OLD_THREADS_TABLE = """
CREATE TABLE threads (
    k INTEGER PRIMARY KEY, scope_id INTEGER NOT NULL, thread_id TEXT NOT NULL,
    needs_reply INTEGER NOT NULL, direction TEXT NOT NULL, coop_code TEXT NOT NULL, owner_uid TEXT,
    business_kind TEXT NOT NULL, business_id TEXT NOT NULL, label_ids TEXT NOT NULL,
    project_ids TEXT NOT NULL, last_ts REAL NOT NULL, updated_ms INTEGER, search TEXT NOT NULL,
    creator_name TEXT NOT NULL, platform TEXT NOT NULL, snippet TEXT NOT NULL, labels TEXT NOT NULL,
    coop_name TEXT NOT NULL, has_draft INTEGER NOT NULL, scheduled INTEGER NOT NULL,
    UNIQUE (scope_id, thread_id)
)
"""
"""The table as files made before the fast fill declared it (the pair unique by a constraint)."""


def summary(thread_id: str, minutes: int = 0, updated: int | None = 0, **fields: Any) -> ThreadSummary:
    base: dict[str, Any] = {
        "thread_id": thread_id,
        "creator": Creator(creator_id=f"cr_{thread_id}", name=f"Creator {thread_id}", platform="youtube"),
        "subject": f"Subject {thread_id}",
        "last_message_at": T0 + timedelta(minutes=minutes),
        "last_message_direction": "inbound",
        "needs_reply": True,
        "updated_at": None if updated is None else T0 + timedelta(minutes=updated),
        "labels": [{"label_id": "lb_hot", "name": "Hot"}],
        "project_ids": ["email_task:1"],
    }
    return ThreadSummary.model_validate({**base, **fields})


def indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "threads.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[ThreadCache]:
    cache = ThreadCache(path)
    try:
        yield cache
    finally:
        cache.close()


@pytest.mark.parametrize(
    ("first", "then", "kept"),
    [
        pytest.param(10, 20, "then", id="a newer copy later wins"),
        pytest.param(20, 10, "first", id="an older copy later loses"),
        pytest.param(10, 10, "then", id="the same updated_at: the later copy"),
        pytest.param(None, 10, "then", id="no updated_at first: the later copy"),
        pytest.param(10, None, "then", id="no updated_at later: the later copy"),
    ],
)
def test_a_thread_written_twice_during_a_fill_keeps_the_copy_a_row_by_row_write_keeps(
    store: ThreadCache, path: Path, first: int | None, then: int | None, kept: str
) -> None:
    copies = {
        "first": summary("t1", updated=first, subject="first"),
        "then": summary("t1", updated=then, subject="then"),
    }
    with store.filling():
        assert not indexes(path) & LIST_INDEXES, "the fill appends without the list's indexes"
        store.upsert_summaries(A, [summary("t0", minutes=-5), copies["first"]])
        store.upsert_summaries(A, [copies["then"], summary("t2", minutes=5)])
    assert LIST_INDEXES <= indexes(path)
    assert store.summary(A, "t1") == copies[kept]
    assert store.thread_ids(A) == ["t2", "t1", "t0"]
    assert store.thread_ids(A, ThreadQuery(label_id="lb_hot")) == ["t2", "t1", "t0"]
    assert store.count(A) == 3


def test_the_list_reads_during_a_fill_in_its_order(store: ThreadCache, path: Path) -> None:
    """A filter toggled while a first sync fills the cache (its list-order index is down) reads
    the rows written so far, sorted by SQLite, instead of failing on the missing index."""
    with store.filling():
        store.upsert_summaries(A, [summary("t0", minutes=-5), summary("t2", minutes=5, needs_reply=False)])
        store.upsert_summaries(A, [summary("t1")])
        assert "ix_threads_order" not in indexes(path)
        assert [row.thread_id for row in store.rows(A)] == ["t2", "t1", "t0"]
        assert store.thread_ids(A, ThreadQuery(needs_reply=True)) == ["t1", "t0"]
        assert store.count(A, ThreadQuery(needs_reply=False)) == 1
    assert [row.thread_id for row in store.rows(A)] == ["t2", "t1", "t0"]


def test_the_indexes_are_back_when_a_fill_ends_by_an_error(store: ThreadCache, path: Path) -> None:
    with pytest.raises(RuntimeError), store.filling():
        store.upsert_summaries(A, [summary("t1"), summary("t1", updated=3, subject="newer")])
        raise RuntimeError("the network went away")
    assert LIST_INDEXES <= indexes(path)
    assert store.summary(A, "t1") == summary("t1", updated=3, subject="newer")
    store.upsert_summaries(A, [summary("t1", updated=4, subject="after")])  # written in place, not appended
    assert store.count(A) == 1


def test_a_file_left_mid_fill_gets_its_indexes_and_one_copy_of_each_thread_when_opened(path: Path) -> None:
    with ThreadCache(path) as cache:
        cache.upsert_summaries(A, [summary("t1", updated=1), summary("t2", minutes=1)])
    with sqlite3.connect(path) as conn:  # as a killed fill leaves it: indexes dropped, a second copy appended
        for name in LIST_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        columns = [row[1] for row in conn.execute("PRAGMA table_info(threads)") if row[1] != "k"]
        listed = ", ".join(columns)
        newer = listed.replace("updated_ms", "updated_ms + 60000")
        conn.execute(f"INSERT INTO threads(k, {listed}) SELECT k + 10, {newer} FROM threads WHERE thread_id = 't1'")
        conn.execute("INSERT INTO thread_json(k, summary) SELECT k + 10, summary FROM thread_json WHERE k = 1")
    with ThreadCache(path) as cache:
        assert LIST_INDEXES <= indexes(path)
        assert cache.count(A) == 2
        assert cache.thread_ids(A) == ["t2", "t1"]
        assert cache.versions(A, ["t1"])["t1"][1] == int((T0 + timedelta(minutes=2)).timestamp() * 1000)


def test_a_file_made_before_keeps_its_rows_and_takes_the_new_table_when_filled_empty(path: Path) -> None:
    with ThreadCache(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE threads")
        conn.execute(OLD_THREADS_TABLE)
    with ThreadCache(path) as cache:  # opens, and works row by row under the old constraint
        cache.upsert_summaries(A, [summary("t1"), summary("t1", updated=2, subject="newer")])
        assert cache.count(A) == 1
        assert "sqlite_autoindex_threads_1" in indexes(path)
        cache.clear(A)
        with cache.filling():
            cache.upsert_summaries(A, [summary("t3"), summary("t4", minutes=1)])
        assert cache.thread_ids(A) == ["t4", "t3"]
    assert "sqlite_autoindex_threads_1" not in indexes(path)
    assert LIST_INDEXES <= indexes(path)


def test_a_cache_holding_threads_is_written_row_by_row_during_a_fill(store: ThreadCache, path: Path) -> None:
    store.upsert_summaries(A, [summary("t1")])
    with store.filling():
        assert LIST_INDEXES <= indexes(path), "a file holding threads keeps its indexes"
        store.upsert_summaries(A, [summary("t1", updated=5, subject="newer")])
    assert store.count(A) == 1


def test_the_index_build_settings_last_only_while_the_indexes_are_built(path: Path) -> None:
    """``sorting_fast`` sorts on helper threads through temporary files with a small page cache,
    and gives the connection its own settings back afterwards, also when the build fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA cache_size = -16384")
        conn.execute("PRAGMA temp_store = MEMORY")

        def settings() -> list[int]:
            names = ("cache_size", "temp_store", "threads")
            return [int(conn.execute(f"PRAGMA {name}").fetchone()[0]) for name in names]

        with pytest.raises(RuntimeError), bulk_fill.sorting_fast(conn):
            assert settings() == [-bulk_fill.SORT_CACHE_KIB, 1, bulk_fill.SORT_THREADS]
            raise RuntimeError("the build failed")
        assert settings() == [-16384, 2, 0]
    finally:
        conn.close()
