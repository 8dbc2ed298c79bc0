"""Shared pieces of the reliability suite: the secret token, fast clients, and the checks every
failure must pass (typed, actionable, no secret, no raw HTML)."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import httpx

from noxtui.domain.errors import NoxError
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import SandboxServer
from noxtui.storage.settings import Paths, Settings
from noxtui.tui.app import NoxTUI
from tests.sandbox_support import SANDBOX_NOW

# Every reliability test runs the sandbox with this token (see conftest.py), so a leak anywhere
# (message, repr, log, screenshot) is a distinctive string a scan cannot miss.
SECRET_TOKEN = "tok_SECRET_1234567890"
SENDER = "sa_maya"

# Short enough that the whole folder stays fast, long enough that a loaded CI box does not time out
# on a healthy request.
TIMEOUT = 0.3
HANG_SECONDS = 2.0

# Building an SSL context costs ~40 ms and httpx builds one per client even for http:// URLs. The
# suite opens hundreds of clients, so they share one default (verifying) context through an explicit
# transport; nothing about TLS verification changes.
_TLS = ssl.create_default_context()


def transport() -> httpx.AsyncHTTPTransport:
    return httpx.AsyncHTTPTransport(verify=_TLS)


def fast_client(sandbox: SandboxServer, token: str = SECRET_TOKEN, **kw: Any) -> NoxClient:
    """The client under test: tiny backoff, one retry, short timeout."""
    options: dict[str, Any] = {
        "timeout": TIMEOUT,
        "backoff": 0.01,
        "max_retries": 1,
        "max_retry_after": 1.0,
        "transport": transport(),
        **kw,
    }
    return NoxClient(sandbox.base_url, token, **options)


def fresh_client(sandbox: SandboxServer, token: str = SECRET_TOKEN) -> NoxClient:
    """A brand-new client (own connection pool) for reading back what the server really holds."""
    return NoxClient(sandbox.base_url, token, timeout=10.0, backoff=0.01, transport=transport())


def server_stats(sandbox: SandboxServer, token: str = SECRET_TOKEN) -> dict[str, int]:
    response = httpx.get(
        f"{sandbox.root_url}/_sandbox/stats", headers={"Authorization": f"Bearer {token}"}, verify=_TLS
    )
    response.raise_for_status()
    data: dict[str, int] = response.json()["data"]
    return data


def assert_actionable(error: BaseException, *, token: str = SECRET_TOKEN) -> NoxError:
    """A rep-facing failure: typed, says what happened and what to do, carries nothing secret or raw."""
    assert isinstance(error, NoxError), f"untyped failure: {type(error).__name__}: {error}"
    assert error.what.strip(), "the error does not say what happened"
    assert error.todo.strip(), "the error does not say what to do"
    message = error.message
    assert error.what in message and error.todo in message
    for text in (message, str(error), repr(error), error.title):
        assert token not in text, "the token leaked into an error"
    lowered = message.lower()
    for raw in ("<html", "</", "<body", "nginx", "traceback", "\x1b"):
        assert raw not in lowered, f"raw server output in the message: {raw!r}"
    return error


def tmp_paths(root: Path) -> Paths:
    """Every folder the app writes to, under ``root``: a test must never touch the rep's real dirs."""
    return Paths(root / "config", root / "data", root / "cache", root / "state")


def make_tui(
    sandbox: SandboxServer, paths: Paths, *, token: str = SECRET_TOKEN, timeout: float = 2.0, **kw: Any
) -> NoxTUI:
    """The real app as a rep runs it (cache, drafts), on a fast-failing client, frozen at the sandbox clock."""
    client = fast_client(sandbox, token, timeout=timeout)
    options: dict[str, Any] = {
        "settings": Settings(),
        "paths": paths,
        "clock": lambda: SANDBOX_NOW,
        "label": "reliability",
        "persist_settings": False,
        **kw,
    }
    return NoxTUI(provider=NoxProvider(client, clock=lambda: SANDBOX_NOW), **options)
