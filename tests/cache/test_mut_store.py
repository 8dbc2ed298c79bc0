"""The offline cache's promises, checked straight on a real SQLite file (no sandbox, no network).

Written against the survivors of ``python -m tools.mutation noxtui.storage.cache.store`` (and the
modules it delegates to: ``list_tables``, ``opened``, ``sync_state``, ``integrity``): every delete
and read stays inside its own account; the watermark never moves backwards, not even to the same
instant written another way; an older copy never overwrites a newer one; ``doctor``'s check says
"damaged" and "readable by others" when the file is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from noxtui.domain.models import Creator, Label, Message, Thread, ThreadQuery, ThreadSummary
from noxtui.storage.cache import CacheScope, ThreadCache
from noxtui.storage.cache.connection import CacheError

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
A = CacheScope("nox", "work@https://api.example/v1")
B = CacheScope("nox", "home@https://api.example/v1")


def summary(thread_id: str, minutes: int = 0, **fields: Any) -> ThreadSummary:
    base: dict[str, Any] = {
        "thread_id": thread_id,
        "creator": Creator(creator_id=f"cr_{thread_id}", name=f"Creator {thread_id}", platform="youtube"),
        "subject": f"Subject {thread_id}",
        "last_message_at": T0 + timedelta(minutes=minutes),
        "last_message_direction": "inbound",
        "needs_reply": True,
        "updated_at": T0 + timedelta(minutes=minutes),
    }
    return ThreadSummary.model_validate({**base, **fields})


def opened(thread_id: str, minutes: int = 0, text: str = "hello") -> Thread:
    message = Message.model_validate(
        {"message_id": f"m_{thread_id}", "direction": "inbound", "body_text": text, "sent_at": T0.isoformat()}
    )
    return Thread.model_validate({**summary(thread_id, minutes).model_dump(), "messages": [message]})


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


def fill(cache: ThreadCache, scope: CacheScope, *ids: str) -> None:
    cache.upsert_summaries(scope, [summary(thread_id, minutes) for minutes, thread_id in enumerate(ids)])


def fetched(cache: ThreadCache, scope: CacheScope, thread_id: str) -> datetime | None:
    found = cache.load_thread(scope, thread_id)
    return None if found is None else found[1]


# --- one account's rows and opened threads are never touched by another's -----------------------


def test_removing_a_thread_leaves_the_other_accounts_copy_and_its_own_other_opened_threads(store: ThreadCache) -> None:
    for scope in (A, B):
        fill(store, scope, "t1", "t2", "t3")
        for thread_id in ("t1", "t2"):
            store.save_thread(scope, opened(thread_id), fetched_at=T0)
    assert store.remove(A, ["t1", "t_not_cached"]) == 1
    assert store.thread_ids(A) == ["t3", "t2"]
    assert store.thread_ids(B) == ["t3", "t2", "t1"]
    assert store.load_thread(A, "t1") is None
    assert fetched(store, A, "t2") == T0, "another opened thread of the same account was dropped"
    assert fetched(store, B, "t1") == T0, "the other account's opened copy was dropped"
    assert store.summary(B, "t1") is not None and store.summary(A, "t1") is None


def test_remove_and_prune_for_an_account_never_cached_do_nothing(store: ThreadCache) -> None:
    fill(store, A, "t1")
    assert store.remove(B, ["t1"]) == 0
    assert store.prune(B, []) == []
    assert store.thread_ids(A) == ["t1"]


def test_prune_forgets_only_what_keep_does_not_name_in_that_account(store: ThreadCache) -> None:
    fill(store, A, "t1", "t2", "t3")
    fill(store, B, "t1", "t2", "t3")
    store.save_thread(B, opened("t1"), fetched_at=T0)
    assert sorted(store.prune(A, ["t2"])) == ["t1", "t3"]
    assert store.thread_ids(A) == ["t2"]
    assert store.thread_ids(B) == ["t3", "t2", "t1"]
    assert fetched(store, B, "t1") == T0
    assert store.prune(A, ["t2"]) == []


def test_clear_drops_one_account_whole_and_nothing_of_another(store: ThreadCache) -> None:
    for scope in (A, B):
        fill(store, scope, "t1", "t2")
        store.save_thread(scope, opened("t1"), fetched_at=T0)
        store.set_watermark(scope, T0)
    store.clear(A)
    assert store.thread_ids(A) == [] and store.count(A) == 0
    assert store.load_thread(A, "t1") is None and store.watermark(A) is None
    assert store.thread_ids(B) == ["t2", "t1"]
    assert fetched(store, B, "t1") == T0 and store.watermark(B) == T0
    store.clear(CacheScope("inbox", "never"))  # an account never cached: nothing to do


def test_label_and_project_filters_stay_inside_the_account(store: ThreadCache) -> None:
    vip = Label(label_id="lb_vip", name="VIP")
    store.upsert_summaries(A, [summary("t1", labels=[vip], project_ids=["p1"]), summary("t2", 1)])
    store.upsert_summaries(B, [summary("t1", labels=[vip], project_ids=["p1"])])
    store.remove(B, ["t1"])
    assert store.thread_ids(A, ThreadQuery(label_id="lb_vip")) == ["t1"]
    assert store.thread_ids(A, ThreadQuery(project_ids=("p1",))) == ["t1"]
    store.upsert_summaries(A, [summary("t1", 5)])  # rewritten without its label and project
    assert store.thread_ids(A, ThreadQuery(label_id="lb_vip")) == []
    assert store.thread_ids(A, ThreadQuery(project_ids=("p1",))) == []


def test_reads_for_another_or_unknown_account_find_nothing(store: ThreadCache) -> None:
    fill(store, A, "t1")
    store.save_thread(A, opened("t1"), fetched_at=T0)
    unknown = CacheScope("inbox", "never")
    assert store.summary(unknown, "t1") is None and store.load_thread(unknown, "t1") is None
    assert store.versions(unknown, ["t1"]) == {} and store.rows(unknown) == [] and store.count(unknown) == 0
    assert store.watermark(unknown) is None
    fill(store, B, "t2")
    assert store.versions(B, ["t1", "t2"]) == {"t2": (T0.timestamp(), int(T0.timestamp() * 1000))}
    assert store.load_thread(B, "t1") is None
    assert store.scopes() == [A, B]


# --- what the list shows follows every write ------------------------------------------------------


def test_an_empty_batch_writes_nothing_not_even_the_account(store: ThreadCache) -> None:
    assert store.upsert_summaries(B, []) == 0
    assert store.scopes() == []


def test_a_removed_or_cleared_thread_leaves_the_remembered_results(store: ThreadCache) -> None:
    fill(store, A, "t1", "t2", "t3")
    waiting = ThreadQuery(needs_reply=True)
    assert store.thread_ids(A, waiting) == ["t3", "t2", "t1"] and store.count(A, waiting) == 3
    store.remove(A, ["t2"])
    assert store.thread_ids(A, waiting) == ["t3", "t1"] and store.count(A, waiting) == 2
    store.clear(A)
    assert store.thread_ids(A, waiting) == [] and store.count(A, waiting) == 0


def test_opening_a_thread_refreshes_its_list_row(store: ThreadCache) -> None:
    store.upsert_summaries(A, [summary("t1", 1, snippet="old preview")])
    assert [row.snippet for row in store.rows(A)] == ["old preview"]
    fresh = Thread.model_validate({**summary("t1", 2, snippet="new preview").model_dump(), "messages": []})
    store.save_thread(A, fresh, fetched_at=T0)
    assert [row.snippet for row in store.rows(A)] == ["new preview"]
    assert store.thread_ids(A, ThreadQuery(keyword="new preview")) == ["t1"]


# --- a write to one account never lands on another's copy of the same thread ----------------------


def test_rewriting_a_thread_in_one_account_leaves_the_others_copy_as_it_was(store: ThreadCache) -> None:
    store.upsert_summaries(A, [summary("t1", 1, subject="A's")])
    store.upsert_summaries(B, [summary("t1", 1, subject="B's")])
    vip = Label(label_id="lb_vip", name="VIP")
    store.upsert_summaries(A, [summary("t1", 2, subject="A's again", labels=[vip], project_ids=["p1"])])
    assert store.summary(B, "t1").subject == "B's"  # type: ignore[union-attr]
    assert store.thread_ids(B, ThreadQuery(label_id="lb_vip")) == []
    assert store.thread_ids(B, ThreadQuery(project_ids=("p1",))) == []
    assert store.thread_ids(A, ThreadQuery(label_id="lb_vip")) == ["t1"]
    assert store.summary(A, "t1").subject == "A's again"  # type: ignore[union-attr]


def test_a_newer_copy_in_another_account_does_not_hold_back_this_ones(store: ThreadCache) -> None:
    store.upsert_summaries(B, [summary("t1", 30)])
    assert store.upsert_summaries(A, [summary("t1", 5)]) == 1
    assert store.thread_ids(A) == ["t1"]


def test_every_column_of_a_rewritten_thread_is_updated(store: ThreadCache) -> None:
    store.upsert_summaries(A, [summary("t1", 1)])
    store.upsert_summaries(A, [summary("t1", 2, needs_reply=False, last_message_direction="outbound")])
    assert store.thread_ids(A, ThreadQuery(needs_reply=False)) == ["t1"]
    assert store.thread_ids(A, ThreadQuery(last_message_direction="outbound")) == ["t1"]
    assert store.thread_ids(A, ThreadQuery(needs_reply=True)) == []


# --- newer copies win ----------------------------------------------------------------------------


def test_an_older_copy_never_overwrites_a_newer_one_but_the_same_age_does(store: ThreadCache) -> None:
    assert store.upsert_summaries(A, [summary("t1", 10, subject="new")]) == 1
    assert store.upsert_summaries(A, [summary("t1", 10, subject="new", updated_at=T0)]) == 0
    assert (
        store.upsert_summaries(A, [summary("t1", 10, subject="same age", updated_at=T0 + timedelta(minutes=10))]) == 1
    )
    assert store.summary(A, "t1").subject == "same age"  # type: ignore[union-attr]
    assert store.upsert_summaries(A, [summary("t1", 10, subject="undated", updated_at=None)]) == 1
    assert store.summary(A, "t1").subject == "undated"  # type: ignore[union-attr]
    assert store.upsert_summaries(A, []) == 0


def test_the_last_copy_of_an_id_in_one_batch_wins(store: ThreadCache) -> None:
    assert store.upsert_summaries(A, [summary("t1", 1, subject="first"), summary("t1", 1, subject="last")]) == 1
    assert store.summary(A, "t1").subject == "last"  # type: ignore[union-attr]


def test_versions_report_last_message_and_update_times(store: ThreadCache) -> None:
    store.upsert_summaries(A, [summary("t1", 3, updated_at=T0 + timedelta(seconds=1.5))])
    assert store.versions(A, ["t1", "t9"]) == {
        "t1": ((T0 + timedelta(minutes=3)).timestamp(), int(T0.timestamp()) * 1000 + 1500)
    }
    assert store.versions(A, []) == {}


def test_rows_are_newest_first_and_ties_by_id_descending(store: ThreadCache) -> None:
    store.upsert_summaries(A, [summary("a", 1), summary("b", 1), summary("c", 0), summary("d", 2)])
    assert store.thread_ids(A) == ["d", "b", "a", "c"]
    assert store.count(A, ThreadQuery(needs_reply=True)) == 4
    assert [row.thread_id for row in store.rows(A, ThreadQuery(needs_reply=False))] == []


# --- opened threads ------------------------------------------------------------------------------


def test_opened_threads_keep_the_newest_fetches_of_that_account_only(path: Path) -> None:
    with ThreadCache(path, max_full_threads=2) as cache:
        for minutes, thread_id in enumerate(("b1", "b2")):
            cache.save_thread(B, opened(thread_id), fetched_at=T0 + timedelta(minutes=minutes))
        for minutes, thread_id in enumerate(("t1", "t2", "t3")):
            cache.save_thread(A, opened(thread_id), fetched_at=T0 + timedelta(minutes=minutes))
        assert [fetched(cache, A, thread_id) is not None for thread_id in ("t1", "t2", "t3")] == [False, True, True]
        assert fetched(cache, B, "b1") is not None and fetched(cache, B, "b2") is not None
        assert cache.thread_ids(A) == ["t3", "t2", "t1"], "the list rows stay"


def test_the_two_thousand_newest_opened_threads_are_kept_by_default(store: ThreadCache) -> None:
    assert store.max_full_threads == 2000


def test_an_opened_thread_reads_back_whole_with_its_fetch_time(store: ThreadCache) -> None:
    thread = opened("t1", text="see you")
    store.save_thread(A, thread, fetched_at=T0)
    found = store.load_thread(A, "t1")
    assert found is not None and found == (thread, T0)
    store.save_thread(A, opened("t1", text="again"), fetched_at=T0 + timedelta(hours=1))
    again = store.load_thread(A, "t1")
    assert again is not None and again[0].messages[0].body_text == "again" and again[1] == T0 + timedelta(hours=1)
    before = datetime.now(timezone.utc)
    store.save_thread(A, opened("t2"))
    assert (fetched(store, A, "t2") or T0) >= before - timedelta(seconds=1)


# --- the watermark -------------------------------------------------------------------------------


def test_the_watermark_moves_forward_only_and_keeps_the_offset_it_was_given(store: ThreadCache) -> None:
    assert store.watermark(A) is None
    utc8 = timezone(timedelta(hours=8))
    store.set_watermark(A, T0.astimezone(utc8))
    assert store.watermark(A) == T0 and store.watermark(A).utcoffset() == timedelta(hours=8)  # type: ignore[union-attr]
    store.set_watermark(A, T0)  # the same instant written another way: not a move
    assert store.watermark(A).utcoffset() == timedelta(hours=8)  # type: ignore[union-attr]
    store.set_watermark(A, T0 - timedelta(milliseconds=1))
    assert store.watermark(A) == T0
    store.set_watermark(A, T0 + timedelta(milliseconds=1))
    assert store.watermark(A) == T0 + timedelta(milliseconds=1)


def test_a_naive_watermark_is_utc_and_reset_is_per_account(store: ThreadCache) -> None:
    store.set_watermark(A, datetime(2025, 6, 1, 8, 0))
    store.set_watermark(B, T0)
    assert store.watermark(A) == T0 and store.watermark(A).tzinfo is not None  # type: ignore[union-attr]
    store.reset_watermark(A)
    assert store.watermark(A) is None and store.watermark(B) == T0
    store.set_watermark(A, T0 - timedelta(days=1))
    assert store.watermark(A) == T0 - timedelta(days=1)
    store.reset_watermark(CacheScope("inbox", "never"))


# --- health (doctor) and rebuild ------------------------------------------------------------------


def damage(path: Path) -> None:
    """Scribble over the cell pointers of one index page (the threads table stays readable)."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_thread_labels_k'").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + 40] = b"\xff" * 32
    path.write_bytes(bytes(data))


def test_health_of_a_sound_private_file_counts_its_threads(store: ThreadCache, path: Path) -> None:
    fill(store, A, "t1", "t2")
    fill(store, B, "t1")
    assert store.health() == (True, f"ok: 3 threads cached in {path}")


def test_health_says_readable_by_others(store: ThreadCache, path: Path) -> None:
    path.chmod(0o644)
    assert store.health() == (False, f"cache file {path} is readable by other users (mode 644); expected 600")
    path.chmod(0o601)
    assert store.health() == (False, f"cache file {path} is readable by other users (mode 601); expected 600")
    path.chmod(0o620)
    assert store.health()[0] is False
    path.chmod(0o600)
    assert store.health()[0] is True


def test_health_says_damaged_and_open_or_rebuild_starts_afresh(path: Path) -> None:
    with ThreadCache(path) as cache:
        cache.upsert_summaries(A, [summary(f"t{i}", i, labels=[Label(label_id=f"l{i}", name="x")]) for i in range(40)])
    damage(path)
    with ThreadCache(path) as cache:
        ok, message = cache.health()
        assert ok is False and message.startswith("cache damaged: ")
        assert "***" in message
    with ThreadCache.open_or_rebuild(path) as cache:  # not checked: opened as it is
        assert cache.count(A) == 40
    with ThreadCache.open_or_rebuild(path, check=True) as cache:
        assert cache.count(A) == 0 and cache.health()[0] is True


def test_health_of_a_file_changed_under_the_app_says_unreadable(store: ThreadCache, path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("DROP TABLE threads")
    other.close()
    assert store.health() == (False, "cache unreadable: no such table: threads")


def test_open_or_rebuild_keeps_a_sound_file_and_replaces_a_foreign_one(path: Path) -> None:
    with ThreadCache(path) as cache:
        fill(cache, A, "t1")
    with ThreadCache.open_or_rebuild(path, check=True) as cache:
        assert cache.thread_ids(A) == ["t1"]
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(CacheError):
        ThreadCache(path)
    with ThreadCache.open_or_rebuild(path, max_full_threads=1) as cache:
        assert cache.count(A) == 0 and cache.max_full_threads == 1


def test_close_is_idempotent(path: Path) -> None:
    cache = ThreadCache(path)
    cache.close()
    cache.close()
