"""``SyncEngine`` through the vendor CLI (the fake tool): the tool has no "changed since", so an
increment re-reads the newest pages until it meets rows the cache already holds unchanged."""

from __future__ import annotations

from pathlib import Path

from noxtui.domain.models import ThreadQuery
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from tests.cache.test_sync import simulate_reply
from tests.cli_support import FakeCli, cli_provider


async def test_cli_first_sync_then_an_increment_reads_only_the_newest_pages(
    fake_cli: FakeCli, sandbox, tmp_path: Path
) -> None:
    provider = cli_provider(fake_cli)
    cache = ThreadCache(tmp_path / "cache" / "threads.sqlite3")
    scope = CacheScope.of("cli", "cli:noxinfluencer", "test")
    try:
        engine = SyncEngine(provider, cache, scope, page_size=10, concurrency=2)
        first = await engine.first_sync()
        truth = await provider.list_threads(ThreadQuery(), page=1, page_size=100)
        assert first.total == truth.total and set(cache.thread_ids(scope)) == {t.thread_id for t in truth.threads}

        oldest = truth.threads[-1].thread_id  # after a reply it moves to the top of the list
        simulate_reply(sandbox, oldest, "Just saw this, yes please!")
        lists_before = len([r for r in fake_cli.runs() if r["argv"][:2] == ["message", "list"]])
        report = await engine.incremental_sync()
        lists = len([r for r in fake_cli.runs() if r["argv"][:2] == ["message", "list"]]) - lists_before
        assert report.new_inbound_ids == (oldest,) and oldest in report.changed_ids
        assert lists == 1, "the first page held unchanged rows: the increment stopped there"
        assert not [r for r in fake_cli.runs() if r["argv"][:2] == ["message", "get"]], "sync never reads a thread"
    finally:
        cache.close()
