"""Inbox X DMs over the vendor's v1 REST API: ``InboxProvider``.

It loads on first use: importing this package must not pull httpx and pydantic into start-up,
which is on the path to the first paint (see ``noxtui.providers``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noxtui.providers.inbox.provider import InboxProvider

__all__ = ["InboxProvider"]


def __getattr__(name: str) -> Any:
    if name == "InboxProvider":
        from noxtui.providers.inbox.provider import InboxProvider

        return InboxProvider
    raise AttributeError(name)
