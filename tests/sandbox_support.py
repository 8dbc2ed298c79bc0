"""Shared constants and helpers for tests that run against the sandbox.

Import from here (``from tests.sandbox_support import SANDBOX_NOW``) rather than hard-coding:
the fixtures in ``tests/conftest.py`` are built from these values.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import httpx

from noxtui.sandbox import DEFAULT_TOKEN, ESCAPE_THREAD_ID

# The seeded workspace's "now": every seeded instant is before it; the sandbox clock starts here
# and then runs at real speed (move it with POST /_sandbox/clock).
SANDBOX_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
SANDBOX_THREADS = 60
SANDBOX_SEED = 7
SANDBOX_TOKEN = DEFAULT_TOKEN

__all__ = [
    "ESCAPE_THREAD_ID",
    "SANDBOX_NOW",
    "SANDBOX_SEED",
    "SANDBOX_THREADS",
    "SANDBOX_TOKEN",
    "auth",
    "idem",
    "write_headers",
]


def auth(token: str = SANDBOX_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def idem(key: str | None = None) -> dict[str, str]:
    """An ``Idempotency-Key`` header (a fresh UUID4 unless ``key`` is given)."""
    return {"Idempotency-Key": key or str(uuid.uuid4())}


def write_headers(key: str | None = None, token: str = SANDBOX_TOKEN) -> dict[str, str]:
    return {**auth(token), **idem(key)}


def all_threads(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """Every live thread matching ``params``, across pages."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get("/messages/threads", params={**params, "page": page, "page_size": 100})
        response.raise_for_status()
        body = response.json()
        out.extend(body["data"])
        if page * 100 >= body["meta"]["total"]:
            return out
        page += 1
