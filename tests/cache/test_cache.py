"""``ThreadCache`` against the real sandbox: a synced cache answers every filter as the server does.

The ground truth is always the server itself (``message list`` over loopback HTTP with the same
``ThreadQuery``), never a re-implementation of its rules in the test.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.domain.rows import row_from_summary
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.storage.cache import CacheError, CacheScope, SyncEngine, ThreadCache
from noxtui.storage.cache.schema import SCHEMA_VERSION
from tests.cache.conftest import server_ids


async def all_summaries(provider: NoxProvider) -> list[ThreadSummary]:
    found: list[ThreadSummary] = []
    page = 1
    while True:
        result = await provider.list_threads(ThreadQuery(), page=page, page_size=100)
        found.extend(result.threads)
        if not result.has_more:
            return found
        page += 1


def filter_cases(summaries: list[ThreadSummary]) -> list[ThreadQuery]:
    """One query per filter kind and value present in the workspace, plus keywords and mixes."""
    labels = sorted({label.label_id for s in summaries for label in s.labels})
    statuses = sorted({s.coop_status.code for s in summaries if s.coop_status})
    owners = sorted({s.owner_uid for s in summaries if s.owner_uid})
    projects = sorted({p for s in summaries for p in s.project_ids})
    kinds = sorted({s.business_kind for s in summaries})
    sample = summaries[3]
    non_ascii = next(
        (ch for s in summaries for ch in s.creator.name + s.snippet if not ch.isascii() and not ch.isspace()), "é"
    )
    keywords = [
        sample.creator.name.split()[0][:4],
        sample.creator.name.upper(),
        sample.subject.split()[-1],
        " ".join(sample.snippet.split()[:2]),
        (sample.creator.handle or "x")[1:5],
        "a",
        "re",
        non_ascii,
        "%",
        "_",
        "'",
        "zzq-nothing-matches",
        "  " + sample.creator.name.split()[0].lower() + "  ",
    ]
    cases = [
        ThreadQuery(),
        ThreadQuery(needs_reply=True),
        ThreadQuery(needs_reply=False),
        ThreadQuery(last_message_direction="inbound"),
        ThreadQuery(last_message_direction="outbound"),
        *[ThreadQuery(label_id=label) for label in labels],
        *[ThreadQuery(coop_status=code) for code in statuses],
        *[ThreadQuery(creator_uids=(owner,)) for owner in owners],
        ThreadQuery(creator_uids=tuple(owners[:2])),
        *[ThreadQuery(project_ids=(project,)) for project in projects[:6]],
        ThreadQuery(project_ids=tuple(projects[:3])),
        *[ThreadQuery(business_kind=kind) for kind in kinds],
        ThreadQuery(business_kind="email_task", business_id=sample.business_id),
        *[ThreadQuery(keyword=keyword) for keyword in keywords],
        ThreadQuery(needs_reply=True, last_message_direction="inbound"),
        ThreadQuery(needs_reply=False, last_message_direction="outbound", keyword="e"),
        ThreadQuery(label_id=labels[0], needs_reply=True),
        ThreadQuery(coop_status=statuses[0], creator_uids=tuple(owners[:2]), keyword="a"),
        ThreadQuery(project_ids=tuple(projects[:3]), last_message_direction="inbound"),
    ]
    return cases


async def test_first_sync_mirrors_the_server_ids_and_order(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    expected = await server_ids(provider, ThreadQuery())
    assert len(expected) > 7 * 3, "the workspace must span several pages for this test to mean anything"
    assert cache.thread_ids(scope) == expected
    assert cache.count(scope) == len(expected)


async def test_rows_are_the_rows_the_app_builds_from_the_network(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    expected = [row_from_summary(s) for s in await all_summaries(provider)]
    assert cache.rows(scope) == expected
    # Read back from the columns too (a fresh process has nothing in memory), with real booleans.
    reopened = ThreadCache(cache.path)
    try:
        rows = reopened.rows(scope)
        assert rows == expected
        assert all(type(row.needs_reply) is bool and type(row.inbound) is bool for row in rows)
    finally:
        reopened.close()


async def test_every_local_filter_equals_the_servers(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    cases = filter_cases(await all_summaries(provider))
    checked = 0
    for query in cases:
        expected = await server_ids(provider, query)
        assert cache.thread_ids(scope, query) == expected, query
        assert cache.count(scope, query) == len(expected), query
        checked += bool(expected)
    assert checked >= len(cases) // 2, "most cases should match something"


async def test_filters_read_from_disk_equal_the_servers(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    """The same answers from a cache opened cold (rows and texts loaded from the columns)."""
    await engine.first_sync()
    cases = filter_cases(await all_summaries(provider))
    reopened = ThreadCache(cache.path)
    try:
        for query in cases[::-1]:
            assert reopened.thread_ids(scope, query) == await server_ids(provider, query), query
    finally:
        reopened.close()


async def test_typing_a_keyword_narrows_like_the_server(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    """Each keystroke reuses the previous answer; backspacing must not keep the narrower one."""
    await engine.first_sync()
    word = (await all_summaries(provider))[0].creator.name.lower()
    for typed in [word[:n] for n in range(1, len(word) + 1)] + [word[:2], ""]:
        query = ThreadQuery(keyword=typed or None, needs_reply=True)
        assert cache.thread_ids(scope, query) == await server_ids(provider, query), typed


async def test_load_thread_round_trips(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    thread_id = (await server_ids(provider, ThreadQuery()))[0]
    thread = await provider.get_thread(thread_id)
    fetched = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    cache.save_thread(scope, thread, fetched_at=fetched)

    assert cache.load_thread(scope, "th_999999") is None
    reopened = ThreadCache(cache.path)
    try:
        loaded = reopened.load_thread(scope, thread_id)
    finally:
        reopened.close()
    assert loaded is not None
    again, when = loaded
    assert again == thread
    assert again.messages and again.messages == thread.messages
    assert when == fetched
    # The list row is refreshed from the opened thread, and never carries the conversation.
    assert cache.rows(scope)[0] == row_from_summary(thread)
    summary = cache.summary(scope, thread_id)
    assert summary is not None and type(summary) is ThreadSummary
    assert "messages" not in (summary.model_extra or {})


async def test_opened_threads_are_capped(provider: NoxProvider, cache_path: Path, scope: CacheScope) -> None:
    small = ThreadCache(cache_path, max_full_threads=2)
    try:
        ids = (await server_ids(provider, ThreadQuery()))[:3]
        start = datetime(2026, 11, 20, tzinfo=timezone.utc)
        for n, thread_id in enumerate(ids):
            small.save_thread(scope, await provider.get_thread(thread_id), fetched_at=start + timedelta(minutes=n))
        assert small.load_thread(scope, ids[0]) is None
        assert small.load_thread(scope, ids[1]) is not None
        assert small.load_thread(scope, ids[2]) is not None
    finally:
        small.close()


async def test_files_are_private(engine: SyncEngine, cache: ThreadCache, cache_path: Path) -> None:
    await engine.first_sync()
    assert stat.S_IMODE(cache_path.parent.stat().st_mode) == 0o700
    sidecars = [Path(f"{cache_path}{suffix}") for suffix in ("", "-wal", "-shm")]
    present = [path for path in sidecars if path.exists()]
    assert cache_path in present and len(present) >= 2, "WAL mode keeps -wal/-shm beside the file"
    for path in present:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert cache.health()[0]


def test_an_existing_loose_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "loose.sqlite3"
    path.touch()
    os.chmod(path, 0o644)
    os.chmod(tmp_path, 0o755)
    ThreadCache(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # A directory the cache did not create keeps its mode (it may be the user's own folder).
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


async def test_an_older_copy_never_overwrites_a_newer_one(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    current = (await all_summaries(provider))[0]
    older = current.model_copy(
        update={"needs_reply": not current.needs_reply, "updated_at": current.updated_at - timedelta(seconds=5)}
    )
    assert cache.upsert_summaries(scope, [older]) == 0
    assert cache.rows(scope)[0] == row_from_summary(current)
    newer = older.model_copy(update={"updated_at": current.updated_at + timedelta(seconds=5)})
    assert cache.upsert_summaries(scope, [newer]) == 1
    assert cache.rows(scope)[0].needs_reply is newer.needs_reply
    assert cache.thread_ids(scope, ThreadQuery(needs_reply=newer.needs_reply))[0] == current.thread_id


async def test_scopes_never_mix(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    other = CacheScope("nox", "someone-else@https://example.invalid/v1")
    assert cache.rows(other) == []
    first = (await all_summaries(provider))[0]
    cache.upsert_summaries(other, [first.model_copy(update={"snippet": "only in the other account"})])
    assert cache.thread_ids(other) == [first.thread_id]
    assert cache.thread_ids(scope, ThreadQuery(keyword="only in the other account")) == []
    assert set(cache.scopes()) == {scope, other}
    cache.clear(other)
    assert cache.rows(other) == [] and cache.count(scope) == len(await server_ids(provider, ThreadQuery()))


async def test_remove_and_prune(
    engine: SyncEngine, provider: NoxProvider, cache: ThreadCache, scope: CacheScope
) -> None:
    await engine.first_sync()
    ids = cache.thread_ids(scope)
    assert cache.remove(scope, ids[:2] + ["th_999999"]) == 2
    assert cache.thread_ids(scope) == ids[2:]
    assert cache.thread_ids(scope, ThreadQuery(keyword=ids[0])) == []
    gone = cache.prune(scope, ids[2:5])
    assert sorted(gone) == sorted(ids[5:])
    assert cache.thread_ids(scope) == ids[2:5]
    assert cache.health()[0]


def test_watermark_only_moves_forward(cache: ThreadCache) -> None:
    scope = CacheScope("nox", "wm")
    assert cache.watermark(scope) is None
    later = datetime(2026, 11, 20, 9, 0, 1, 500000, tzinfo=timezone.utc)
    cache.set_watermark(scope, later)
    cache.set_watermark(scope, later - timedelta(hours=1))
    assert cache.watermark(scope) == later
    cache.reset_watermark(scope)
    assert cache.watermark(scope) is None


def test_health_reports_damage_and_open_or_rebuild_recovers(tmp_path: Path) -> None:
    path = tmp_path / "c" / "threads.sqlite3"
    ThreadCache(path).close()
    path.write_bytes(b"this is not a database" * 400)
    with pytest.raises(CacheError):
        ThreadCache(path)
    rebuilt = ThreadCache.open_or_rebuild(path)
    try:
        ok, message = rebuilt.health()
        assert ok, message
        assert rebuilt.rows(CacheScope("nox", "x")) == []
    finally:
        rebuilt.close()
    # A file that opens but fails the integrity check is rebuilt only when asked to check.
    checked = ThreadCache.open_or_rebuild(path, check=True)
    try:
        assert checked.health()[0]
    finally:
        checked.close()


def test_a_schema_change_rebuilds_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "threads.sqlite3"
    first = ThreadCache(path)
    first.set_watermark(CacheScope("nox", "x"), datetime(2026, 1, 1, tzinfo=timezone.utc))
    first.close()
    # The file as an older noxtui left it: the same tables under another schema version.
    with closing(sqlite3.connect(path)) as older:
        older.execute("UPDATE cache_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION - 1),))
        older.commit()
    again = ThreadCache(path)
    try:
        assert again.watermark(CacheScope("nox", "x")) is None
    finally:
        again.close()
