"""Fixtures every test suite may use.

``sandbox``
    A running :class:`noxtui.sandbox.SandboxServer` on ``127.0.0.1`` and an ephemeral port, over a
    fresh copy of a workspace seeded with ``SANDBOX_THREADS`` threads, seed ``SANDBOX_SEED`` and
    ``now=SANDBOX_NOW`` (see ``tests/sandbox_support.py``). Function-scoped: every test gets its own
    database, so writes never leak between tests. Use ``sandbox.base_url`` (``http://127.0.0.1:<port>/v1``),
    ``sandbox.root_url`` (for ``/_sandbox/...`` admin routes), ``sandbox.store`` and ``sandbox.faults``.
    The workspace is seeded once per session into a template file and copied per test (fast).
``sandbox_token``
    The bearer token the sandbox accepts.
``sandbox_client``
    A sync ``httpx.Client`` with ``base_url=sandbox.base_url`` and the token set (no
    Idempotency-Key: add ``tests.sandbox_support.idem()`` to writes).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from noxtui.sandbox import SandboxServer, Store, seed_workspace
from tests.cli_support import fake_cli  # noqa: F401 (the fixture, for every test that asks for it)
from tests.sandbox_support import (
    SANDBOX_NOW,
    SANDBOX_SEED,
    SANDBOX_THREADS,
    SANDBOX_TOKEN,
    auth,
)


@pytest.fixture(scope="session")
def sandbox_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded database file per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("sandbox-template") / "workspace.sqlite3"
    store = Store(path)
    try:
        seed_workspace(store, threads=SANDBOX_THREADS, seed=SANDBOX_SEED, now=SANDBOX_NOW)
        store.checkpoint()
    finally:
        store.close()
    return path


@pytest.fixture
def sandbox_token() -> str:
    return SANDBOX_TOKEN


@pytest.fixture
def sandbox(sandbox_template_db: Path, tmp_path: Path, sandbox_token: str) -> Iterator[SandboxServer]:
    db = tmp_path / "sandbox.sqlite3"
    shutil.copyfile(sandbox_template_db, db)
    server = SandboxServer(
        db,
        host="127.0.0.1",
        port=0,
        token=sandbox_token,
        threads=SANDBOX_THREADS,
        seed=SANDBOX_SEED,
        now=SANDBOX_NOW,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox_client(sandbox: SandboxServer, sandbox_token: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers=auth(sandbox_token), timeout=10.0) as client:
        yield client


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own NOXTUI_HOME: config, drafts, cache and logs never touch the real home."""
    home = tmp_path_factory.mktemp("noxtui-home")
    monkeypatch.setenv("NOXTUI_HOME", str(home))
    monkeypatch.delenv("NOXTUI_TOKEN", raising=False)
    return home
