"""Reliability fixtures: every sandbox here accepts only ``SECRET_TOKEN``.

``shared_sandbox`` is one sandbox per module for suites of many small, sequential cells (the fault
matrix): each cell reads its own baseline before it acts, so sharing the database is sound and
saves a server start per cell.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from noxtui.sandbox import SandboxServer
from tests.reliability.support import SECRET_TOKEN
from tests.sandbox_support import SANDBOX_NOW, SANDBOX_SEED, SANDBOX_THREADS


@pytest.fixture
def sandbox_token() -> str:
    return SECRET_TOKEN


@pytest.fixture(scope="module")
def shared_sandbox(sandbox_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    db = tmp_path_factory.mktemp("shared-sandbox") / "sandbox.sqlite3"
    shutil.copyfile(sandbox_template_db, db)
    server = SandboxServer(
        db, token=SECRET_TOKEN, threads=SANDBOX_THREADS, seed=SANDBOX_SEED, now=SANDBOX_NOW
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
