"""NoxInfluencer over our REST contract: ``NoxProvider`` over ``NoxClient``.

Both load on first use: importing this package must not pull httpx and pydantic into start-up,
which is on the path to the first paint (see ``noxtui.providers``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noxtui.providers.nox_rest.client import NoxClient
    from noxtui.providers.nox_rest.provider import NoxProvider

__all__ = ["NoxClient", "NoxProvider"]


def __getattr__(name: str) -> Any:
    if name == "NoxProvider":
        from noxtui.providers.nox_rest.provider import NoxProvider

        return NoxProvider
    if name == "NoxClient":
        from noxtui.providers.nox_rest.client import NoxClient

        return NoxClient
    raise AttributeError(name)
