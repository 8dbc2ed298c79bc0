"""The frame painted before Textual (``noxtui.prepaint``), on a real pty in a fresh interpreter.

Fresh, because the point is what is *not* imported: Textual, pydantic, httpx and Rich must not be
loaded when the frame is on screen. The keys the frame answers (here ``n``, and ``J`` remapped by
the keymap in place of ``j``) act on it from the cache; the first it does not answer, and all after
it, are kept for Textual in the order typed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench._pty import PtySession
from noxtui.paths import Paths
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache

LABEL = "test"
REPO = Path(__file__).resolve().parents[2]


async def fill_cache(home: Path, sandbox, token: str) -> list:
    paths = Paths(home / "config", home / "data", home / "cache", home / "state")
    provider = NoxProvider(NoxClient(sandbox.base_url, token, backoff=0.01, max_retries=1))
    cache = ThreadCache(paths.cache_db)
    scope = CacheScope.of("nox", sandbox.base_url, LABEL)
    try:
        await SyncEngine(provider, cache, scope).first_sync()
        return list(cache.rows(scope))  # read now: the rows are a window over the open file
    finally:
        cache.close()
        await provider.aclose()


async def test_the_early_frame_needs_no_textual_and_answers_its_keys_from_the_cache(
    sandbox, sandbox_token: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    rows = await fill_cache(home, sandbox, sandbox_token)
    report = tmp_path / "report.json"
    session = PtySession(
        [sys.executable, "-m", "tests.prepaint.early_child", str(home), sandbox.base_url, LABEL, str(report)],
        cols=120,
        rows=40,
        cwd=str(REPO),
    )
    try:
        session.wait_for(b"all threads", timeout=60)
        session.wait_for(rows[0].creator_name[:10].encode(), timeout=10)
        mark = session.mark()
        session.send(b"nJJ")
        session.wait_for_after(mark, b"needs reply", timeout=30)
        session.send(b"x\x1b[Bk")  # not an early key: kept, with everything after it
        session.process.wait(timeout=30)
    finally:
        session.close()
    seen = json.loads(report.read_text())
    assert seen["began"] and seen["heavy"] == []
    needing = [row.thread_id for row in rows if row.needs_reply]
    assert seen["needs_reply"] == "needs" and seen["rows"] == needing[:3]
    assert seen["cursor"] == 2  # J twice: the keymap's key, not j
    assert seen["pending"] == "x\x1b[Bk"
    written = session.output
    assert written.count(b"\x1b[?1049h") == 1 and b"\x1b[2J" not in written and b"\x1b[J" not in written
    assert written.endswith(b"\x1b[?1049l\x1b[?25h")  # abandoned: the terminal given back
