"""The cache answers a filter as a window over its list (#18: a million threads), not as a copy.

A seeded workspace of 1,500 threads (several counted blocks of the selection, every filter kind)
is copied into a cache straight from the sandbox's store; the store's own ``list_threads`` is the
ground truth for every filter, so these tests hold whatever the cache keeps in memory: coded
columns, texts in memory or searched by SQL, a column with too many values to code.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.domain.rows import row_from_summary
from noxtui.sandbox import Store, seed_workspace
from noxtui.sandbox.nox.thread_filters import ThreadFilters
from noxtui.storage.cache import CacheScope, ThreadCache, list_order
from noxtui.storage.cache.list_order import CodedColumn
from noxtui.tui.widgets.thread_rows import ThreadRows

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
SCOPE = CacheScope("nox", "window@http://127.0.0.1/v1")
THREADS = 1_500


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    seeded = Store(tmp_path_factory.mktemp("window") / "sandbox.sqlite3")
    seed_workspace(seeded, threads=THREADS, seed=7, now=NOW)
    try:
        yield seeded
    finally:
        seeded.close()


def listed(store: Store, filters: ThreadFilters) -> list[dict[str, object]]:
    found, total = store.list_threads(filters, page=1, page_size=THREADS + 1)
    assert len(found) == total
    return found


@pytest.fixture
def cache(store: Store, tmp_path: Path) -> Iterator[ThreadCache]:
    filled = ThreadCache(tmp_path / "threads.sqlite3")
    summaries = [ThreadSummary.model_validate(item) for item in listed(store, ThreadFilters())]
    for start in range(0, len(summaries), 500):
        filled.upsert_summaries(SCOPE, summaries[start : start + 500])
    try:
        yield filled
    finally:
        filled.close()


def cases(store: Store) -> list[tuple[ThreadQuery, ThreadFilters]]:
    everything = [ThreadSummary.model_validate(item) for item in listed(store, ThreadFilters())]
    label = everything[0].labels[0].label_id if everything[0].labels else "lb_vip"
    owner = next(s.owner_uid for s in everything if s.owner_uid)
    status = next(s.coop_status.code for s in everything if s.coop_status)
    project = next(p for s in everything for p in s.project_ids)
    name = everything[700].creator.name.split()[0].lower()
    pairs: list[tuple[ThreadQuery, ThreadFilters]] = [
        (ThreadQuery(), ThreadFilters()),
        (ThreadQuery(needs_reply=True), ThreadFilters(needs_reply=True)),
        (
            ThreadQuery(needs_reply=False, last_message_direction="inbound"),
            ThreadFilters(needs_reply=False, direction="inbound"),
        ),
        (ThreadQuery(last_message_direction="outbound"), ThreadFilters(direction="outbound")),
        (ThreadQuery(label_id=label, needs_reply=True), ThreadFilters(label_id=label, needs_reply=True)),
        (ThreadQuery(coop_status=status), ThreadFilters(coop_status=status)),
        (ThreadQuery(creator_uids=(owner,)), ThreadFilters(owner_uids=(owner,))),
        (ThreadQuery(project_ids=(project,)), ThreadFilters(project_ids=(project,))),
        (ThreadQuery(business_kind="email_task"), ThreadFilters(business_kind="email_task")),
        (ThreadQuery(coop_status="no-such-status"), ThreadFilters(coop_status="no-such-status")),
    ]
    for keyword in ("a", "ma", "collab", name, name[:2], "é", "zzq-nothing", "’"):
        pairs.append((ThreadQuery(keyword=keyword), ThreadFilters(keyword=keyword)))
        pairs.append((ThreadQuery(keyword=keyword, needs_reply=True), ThreadFilters(keyword=keyword, needs_reply=True)))
    return pairs


def check_every_filter(cache: ThreadCache, store: Store) -> None:
    for query, filters in cases(store):
        expected = [str(item["thread_id"]) for item in listed(store, filters)]
        window = cache.rows(SCOPE, query)
        assert [row.thread_id for row in window] == expected, query
        assert len(window) == cache.count(SCOPE, query) == len(expected), query
        for place in (0, len(expected) // 3, len(expected) - 1) if expected else ():
            assert window[place].thread_id == expected[place], (query, place)
            assert window.index_of(expected[place]) == place, (query, place)  # type: ignore[attr-defined]


def test_every_filter_equals_the_store_over_many_blocks(cache: ThreadCache, store: Store) -> None:
    check_every_filter(cache, store)


def test_keyword_searched_by_sqlite_when_texts_are_not_kept(
    cache: ThreadCache, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``TEXTS_IN_MEMORY`` threads the texts stay on disk: same answers, from SQL."""
    monkeypatch.setattr(list_order, "TEXTS_IN_MEMORY", 10)
    check_every_filter(cache, store)


def test_keyword_answered_by_the_trigram_index_of_a_large_cache(
    cache: ThreadCache, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keywords of 3+ characters from the FTS5 index, shorter ones by a scan: same answers, and the
    index follows later writes (a removed thread, a changed text)."""
    monkeypatch.setattr(list_order, "TEXTS_IN_MEMORY", 10)
    assert cache.build_search_index(step=400)  # four steps of 400 rows, then the last
    check_every_filter(cache, store)
    gone = cache.rows(SCOPE, ThreadQuery(keyword="collab"))[0].thread_id
    cache.remove(SCOPE, [gone])
    assert gone not in cache.thread_ids(SCOPE, ThreadQuery(keyword="collab"))
    summary = ThreadSummary.model_validate(listed(store, ThreadFilters())[5])
    renamed = summary.model_copy(update={"subject": "Zebra quokka offer", "updated_at": NOW})
    cache.upsert_summaries(SCOPE, [renamed])
    assert cache.thread_ids(SCOPE, ThreadQuery(keyword="quokka")) == [summary.thread_id]


def test_a_large_list_builds_its_keyword_index_behind_the_app(
    cache: ThreadCache, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(list_order, "TEXTS_IN_MEMORY", 10)
    assert not cache.search_index_ready()
    cache.rows(SCOPE)  # the first list of a large account starts the build on a daemon thread
    deadline = time.monotonic() + 120
    while not cache.search_index_ready():
        assert time.monotonic() < deadline, "the keyword index was never completed"
        time.sleep(0.02)
    expected = [str(item["thread_id"]) for item in listed(store, ThreadFilters(keyword="collab"))]
    assert cache.thread_ids(SCOPE, ThreadQuery(keyword="collab")) == expected


def test_a_small_cache_builds_no_index(cache: ThreadCache) -> None:
    assert cache.build_search_index() is False


def test_rows_are_the_rows_built_from_the_network(cache: ThreadCache, store: Store) -> None:
    expected = [row_from_summary(ThreadSummary.model_validate(item)) for item in listed(store, ThreadFilters())]
    assert cache.rows(SCOPE) == expected
    assert cache.rows(SCOPE)[-5:] == expected[-5:]


def test_a_window_shows_a_write_at_its_next_read(cache: ThreadCache, store: Store) -> None:
    """Sync updating the row under the cursor: the window reads it again after the write."""
    window = cache.rows(SCOPE)
    first = window[0]
    summary = ThreadSummary.model_validate(listed(store, ThreadFilters())[0])
    changed = summary.model_copy(update={"needs_reply": not summary.needs_reply, "updated_at": NOW})
    cache.upsert_summaries(SCOPE, [changed])
    assert window[0].thread_id == first.thread_id
    assert window[0].needs_reply is changed.needs_reply
    needs = [row.thread_id for row in cache.rows(SCOPE, ThreadQuery(needs_reply=changed.needs_reply))]
    assert first.thread_id in needs


def test_a_removed_thread_leaves_the_next_result(cache: ThreadCache, store: Store) -> None:
    gone = cache.rows(SCOPE)[10].thread_id
    assert cache.remove(SCOPE, [gone]) == 1
    after = cache.rows(SCOPE)
    assert after.index_of(gone) is None  # type: ignore[attr-defined]
    assert len(after) == THREADS - 1 and gone not in {row.thread_id for row in after}


def test_a_column_with_too_many_values_is_not_coded() -> None:
    column = CodedColumn()
    column.extend(f"value-{n % 10}" for n in range(100))
    assert column.data is not None and column.matching(["value-3"]).count(1) == 10
    column.extend(f"other-{n}" for n in range(300))
    assert column.data is None


def test_the_list_rows_over_a_window_find_replace_and_mark_without_copying(cache: ThreadCache) -> None:
    """``ThreadList``'s rows (``ThreadRows``) over a window: a thread's place, a row replaced in
    place (the open thread's fresh summary), marks in list order, and a page appended after."""
    window = cache.rows(SCOPE, ThreadQuery(needs_reply=True))
    rows = ThreadRows(window)
    assert rows.rows is window and not rows.is_list
    target = window[len(window) - 3]
    assert rows.place_of(target.thread_id) == len(window) - 3
    assert rows.place_of("no-such-thread") is None
    changed = target._replace(snippet="Replaced in place")
    assert rows.replace(changed) == len(window) - 3 and rows.at(len(window) - 3) == changed
    marks = {window[7].thread_id, target.thread_id, window[2].thread_id, "hidden-by-the-filter"}
    assert [row.thread_id for row in rows.marked(marks)] == [window[2].thread_id, window[7].thread_id, target.thread_id]
    assert list(rows.thread_ids()) == [row.thread_id for row in window]
    extra = window[0]._replace(thread_id="streamed-later")
    rows.append([extra, window[0]])
    assert rows.is_list and len(rows) == len(window) + 1 and rows.at(len(window)) == extra
    assert rows.at(len(window) - 3) == changed


def test_writes_move_rows_in_place_as_a_fresh_read_would(cache: ThreadCache, store: Store) -> None:
    """A new reply moves a thread to the top, a stamp shared with another row is placed by id, a
    new thread is added and one is removed: the order kept in memory answers as one read afresh."""
    queries = [
        ThreadQuery(),
        ThreadQuery(needs_reply=True),
        ThreadQuery(keyword="collab"),
        ThreadQuery(needs_reply=False, last_message_direction="inbound"),
    ]
    before = {query: cache.rows(SCOPE, query) for query in queries}
    summaries = [ThreadSummary.model_validate(item) for item in listed(store, ThreadFilters())]
    moved = summaries[900].model_copy(
        update={
            "last_message_at": summaries[0].last_message_at + timedelta(minutes=5),
            "needs_reply": True,
            "snippet": "A fresh reply about the collab",
            "updated_at": NOW,
        }
    )
    tied = summaries[400].model_copy(update={"last_message_at": summaries[10].last_message_at, "updated_at": NOW})
    added = summaries[5].model_copy(
        update={"thread_id": "th_zz_added", "last_message_at": summaries[700].last_message_at, "updated_at": NOW}
    )
    cache.upsert_summaries(SCOPE, [moved, tied, added])
    cache.remove(SCOPE, [summaries[3].thread_id])
    fresh = ThreadCache(cache.path)
    try:
        for query in queries:
            assert cache.thread_ids(SCOPE, query) == fresh.thread_ids(SCOPE, query), query
    finally:
        fresh.close()
    assert cache.rows(SCOPE)[0].thread_id == moved.thread_id
    # A window made before the writes still reads its own result (the app repaints after a sync).
    assert len(before[ThreadQuery()]) == THREADS
    assert before[ThreadQuery()].index_of(summaries[3].thread_id) is None  # type: ignore[attr-defined]
