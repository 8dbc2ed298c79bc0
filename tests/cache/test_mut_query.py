"""Every filter of ``message list`` answered from the cache, each at its edge (real SQLite, no sandbox).

Written against the survivors of ``python -m tools.mutation noxtui.storage.cache.query`` and
``filtering``: ``updated_since`` deleted or its milliseconds divided, a filter clause dropped, a
keyword search that reuses a result it should not.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from noxtui.domain.models import CoopStatusRef, Creator, Label, ThreadQuery, ThreadSummary
from noxtui.storage.cache import CacheScope, ThreadCache

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
A = CacheScope("nox", "work@https://api.example/v1")
B = CacheScope("inbox", "work@https://inbox.example/v1")


def summary(thread_id: str, minutes: int, **fields: Any) -> ThreadSummary:
    base: dict[str, Any] = {
        "thread_id": thread_id,
        "creator": Creator(creator_id=f"cr_{thread_id}", name=f"Creator {thread_id}", platform="youtube"),
        "last_message_at": T0 + timedelta(minutes=minutes),
        "last_message_direction": "inbound",
        "needs_reply": False,
        "updated_at": T0 + timedelta(minutes=minutes),
    }
    return ThreadSummary.model_validate({**base, **fields})


ROWS = [
    summary("t1", 1, needs_reply=True, labels=[Label(label_id="lb_vip", name="VIP")], subject="Collab offer"),
    summary("t2", 2, last_message_direction="outbound", coop_status=CoopStatusRef(code="deal", name="Deal")),
    summary("t3", 3, business_kind="email_task", business_id="et_1", project_ids=["p1"], subject="Café Crème"),
    summary("t4", 4, owner_uid="u_1", project_ids=["p2"], snippet="コラボのご提案"),
    summary("t5", 5, owner_uid="u_2", business_kind="campaign", business_id="et_1", subject="COLLABORATION"),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ThreadCache]:
    cache = ThreadCache(tmp_path / "threads.sqlite3")
    cache.upsert_summaries(A, ROWS)
    cache.upsert_summaries(B, [summary("b1", 9, needs_reply=True, subject="collab elsewhere")])
    try:
        yield cache
    finally:
        cache.close()


def ids(cache: ThreadCache, **query: Any) -> list[str]:
    return cache.thread_ids(A, ThreadQuery(**query))


def test_every_thread_of_the_account_newest_first(store: ThreadCache) -> None:
    assert ids(store) == ["t5", "t4", "t3", "t2", "t1"]
    assert store.thread_ids(B) == ["b1"]


def test_needs_reply_both_ways(store: ThreadCache) -> None:
    assert ids(store, needs_reply=True) == ["t1"]
    assert ids(store, needs_reply=False) == ["t5", "t4", "t3", "t2"]


def test_direction_status_and_task(store: ThreadCache) -> None:
    assert ids(store, last_message_direction="outbound") == ["t2"]
    assert ids(store, last_message_direction="inbound") == ["t5", "t4", "t3", "t1"]
    assert ids(store, coop_status="deal") == ["t2"]
    assert ids(store, business_kind="email_task") == ["t3"]
    assert ids(store, business_id="et_1") == ["t5", "t3"]
    assert ids(store, business_kind="email_task", business_id="et_1") == ["t3"]


def test_owners_labels_and_projects(store: ThreadCache) -> None:
    assert ids(store, creator_uids=("u_1", "u_2")) == ["t5", "t4"]
    assert ids(store, creator_uids=("u_2",)) == ["t5"]
    assert ids(store, label_id="lb_vip") == ["t1"]
    assert ids(store, label_id="lb_none") == []
    assert ids(store, project_ids=("p1", "p2")) == ["t4", "t3"]
    assert ids(store, project_ids=("p2",)) == ["t4"]


def test_updated_since_is_exclusive_to_the_millisecond(store: ThreadCache) -> None:
    store.upsert_summaries(A, [summary("t6", 6, updated_at=T0 + timedelta(minutes=6, milliseconds=500))])
    at_six = T0 + timedelta(minutes=6)
    assert ids(store, updated_since=at_six) == ["t6"]
    assert ids(store, updated_since=at_six + timedelta(milliseconds=499)) == ["t6"]
    assert ids(store, updated_since=at_six + timedelta(milliseconds=500)) == []
    assert ids(store, updated_since=T0 + timedelta(minutes=4)) == ["t6", "t5"]
    assert ids(store, updated_since=T0 + timedelta(minutes=4), needs_reply=False) == ["t6", "t5"]
    assert len(ids(store, updated_since=T0 - timedelta(days=1))) == 6


def test_keyword_is_trimmed_case_folded_and_finds_any_script(store: ThreadCache) -> None:
    assert ids(store, keyword="  COLLAB ") == ["t5", "t1"]
    assert ids(store, keyword="café") == ["t3"]
    assert ids(store, keyword="コラボ") == ["t4"]
    assert ids(store, keyword="creator t2") == ["t2"]
    assert ids(store, keyword="") == ids(store)
    assert ids(store, keyword="collab", needs_reply=True) == ["t1"]


def test_typing_on_narrows_and_deleting_back_widens(store: ThreadCache) -> None:
    assert ids(store, keyword="c") == ["t5", "t4", "t3", "t2", "t1"]
    assert ids(store, keyword="co") == ["t5", "t1"]
    assert ids(store, keyword="col") == ["t5", "t1"]
    assert ids(store, keyword="colla") == ["t5", "t1"]
    assert ids(store, keyword="collab o") == ["t1"]
    assert ids(store, keyword="crème") == ["t3"], "a remembered result for another keyword was reused"
    assert ids(store, keyword="co") == ["t5", "t1"]
    assert ids(store, keyword="co", needs_reply=True) == ["t1"]


def test_remembered_results_are_per_account_and_dropped_by_every_write(store: ThreadCache) -> None:
    assert ids(store, needs_reply=True) == ["t1"]
    assert store.thread_ids(B, ThreadQuery(needs_reply=True)) == ["b1"]
    assert ids(store, keyword="collab") == ["t5", "t1"]
    store.upsert_summaries(A, [summary("t7", 7, needs_reply=True, subject="collab again")])
    assert ids(store, needs_reply=True) == ["t7", "t1"]
    assert ids(store, keyword="collab") == ["t7", "t5", "t1"]
    store.remove(A, ["t1"])
    assert ids(store, needs_reply=True) == ["t7"]
    assert ids(store, keyword="collab") == ["t7", "t5"]
    assert [row.thread_id for row in store.rows(A, ThreadQuery(keyword="again"))] == ["t7"]


def test_many_filters_in_turn_each_answer_right(store: ThreadCache) -> None:
    queries: list[dict[str, Any]] = [
        {"needs_reply": True},
        {"needs_reply": False},
        {"last_message_direction": "outbound"},
        {"coop_status": "deal"},
        {"label_id": "lb_vip"},
        {"project_ids": ("p1",)},
        {"creator_uids": ("u_1",)},
        {"business_id": "et_1"},
        {"keyword": "collab"},
        {"keyword": "collab", "needs_reply": True},
    ]
    first = [ids(store, **query) for query in queries]
    again = [ids(store, **query) for query in reversed(queries)]
    assert again == list(reversed(first))
    assert first[0] == ["t1"] and first[-1] == ["t1"]


def test_a_cache_reopened_from_disk_answers_the_same(tmp_path: Path) -> None:
    """Rows written by an earlier run are read back from their columns, search texts included."""
    path = tmp_path / "reopen.sqlite3"
    with ThreadCache(path) as first:
        first.upsert_summaries(A, ROWS)
        expected = {query: first.thread_ids(A, ThreadQuery(keyword=query)) for query in ("collab", "café", "コラボ")}
        rows = list(first.rows(A))  # a window reads from the open cache: copy before closing
    with ThreadCache(path) as again:
        assert again.rows(A) == rows
        assert {query: again.thread_ids(A, ThreadQuery(keyword=query)) for query in expected} == expected
        assert again.thread_ids(A, ThreadQuery(needs_reply=True, keyword="offer")) == ["t1"]
        assert [row.creator_name for row in again.rows(A, ThreadQuery(label_id="lb_vip"))] == ["Creator t1"]
