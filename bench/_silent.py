"""A provider that never answers: the app must paint from what it already has (the cache).

Every read waits forever, the way a dead network looks to the app before its timeout; plans are
never built because nothing in a benchmark confirms a write. ``aclose`` returns at once so the
app can quit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, NoReturn

from noxtui.providers.base import Capabilities


async def _forever() -> NoReturn:
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Client:
    """Only what the app reads off a provider's client: where it points (it keys the cache scope)."""

    base_url: str


class SilentProvider:
    """Implements ``noxtui.providers.base.Provider``; no read ever completes."""

    name = "nox"
    display_name = "NoxInfluencer (no network)"
    capabilities = Capabilities()

    def __init__(self, base_url: str = "http://127.0.0.1/v1") -> None:
        self.client = _Client(base_url)

    async def list_threads(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def get_thread(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def sibling_projects(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def labels(self) -> NoReturn:
        await _forever()

    async def coop_statuses(self) -> NoReturn:
        await _forever()

    async def templates(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def senders(self) -> NoReturn:
        await _forever()

    async def team_members(self) -> NoReturn:
        await _forever()

    async def project_options(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def auth_status(self) -> NoReturn:
        await _forever()

    async def email_task(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def email_report(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def crm_channel(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    async def execute(self, *args: Any, **kwargs: Any) -> NoReturn:
        await _forever()

    def __getattr__(self, name: str) -> Any:
        """Every ``plan_*`` exists (the app asks ``isinstance`` for each capability, and this
        provider claims them all, as NoxInfluencer does) but refuses when called."""
        if name.startswith("plan_"):

            def refuse(*args: Any, **kwargs: Any) -> NoReturn:
                raise NotImplementedError(f"{name}: the benchmark provider builds no plans")

            return refuse
        raise AttributeError(name)

    async def aclose(self) -> None:
        return None
