"""The start-up screen's rows: the top of the cached list, read with sqlite3 alone."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from noxtui.storage.cache.first_page import read_first_page


async def test_the_first_page_is_the_top_of_the_list_the_cache_paints(
    engine: SyncEngine, cache: ThreadCache, cache_path: Path, scope: CacheScope
) -> None:
    await engine.first_sync()
    every = cache.rows(scope)
    page = read_first_page(cache_path, scope, 10)
    assert page is not None
    assert page.rows == every[:10]
    assert page.total == len(every) > 10


async def test_another_accounts_rows_are_never_shown(engine: SyncEngine, cache_path: Path, scope: CacheScope) -> None:
    await engine.first_sync()
    assert read_first_page(cache_path, CacheScope(scope.provider, "someone-else@" + scope.account), 10) is None


def test_no_file_means_no_page_and_no_file_is_created(tmp_path: Path, scope: CacheScope) -> None:
    missing = tmp_path / "cache" / "threads.sqlite3"
    assert read_first_page(missing, scope, 10) is None
    assert not missing.exists()


def test_an_empty_cache_has_no_page(cache: ThreadCache, cache_path: Path, scope: CacheScope) -> None:
    assert read_first_page(cache_path, scope, 10) is None


async def test_a_cache_of_another_schema_version_is_left_to_the_full_cache(
    engine: SyncEngine, cache: ThreadCache, cache_path: Path, scope: CacheScope
) -> None:
    await engine.first_sync()
    with sqlite3.connect(cache_path) as conn:
        conn.execute("UPDATE cache_meta SET value = '999' WHERE key = 'schema_version'")
    assert read_first_page(cache_path, scope, 10) is None


def test_a_damaged_file_means_no_page(tmp_path: Path, scope: CacheScope) -> None:
    damaged = tmp_path / "threads.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    assert read_first_page(damaged, scope, 10) is None


def test_reading_the_first_page_loads_neither_pydantic_nor_httpx() -> None:
    """The point of the module: it runs before the first frame, where those cost ~100 ms."""
    code = (
        "import sys; import noxtui.storage.cache.first_page, noxtui.tui.app, noxtui.startup; "
        "print(sorted(m for m in ('pydantic', 'httpx', 'noxtui.domain.models', 'noxtui.storage.settings', 'keyring') "
        "if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert found == "[]"
