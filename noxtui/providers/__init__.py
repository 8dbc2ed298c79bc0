"""Message backends behind one protocol.

The concrete providers are imported on first use: importing this package must not pull httpx and
both HTTP stacks into start-up, which is on the path to the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from noxtui.providers.base import Capabilities, Provider

if TYPE_CHECKING:
    from noxtui.providers.inbox import InboxProvider
    from noxtui.providers.nox_rest import NoxProvider

__all__ = ["Capabilities", "InboxProvider", "NoxProvider", "Provider"]


def __getattr__(name: str) -> Any:
    if name == "InboxProvider":
        from noxtui.providers import inbox

        return inbox.InboxProvider
    if name == "NoxProvider":
        from noxtui.providers import nox_rest

        return nox_rest.NoxProvider
    raise AttributeError(name)
