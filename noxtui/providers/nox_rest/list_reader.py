"""What a sync's page reader needs to read ``message list`` from another process.

``NoxListReader`` is a plain, picklable description (the transport's recipe); ``open`` builds, in
the helper process, a client of its own to the same server under the same token and limits. The
helper only ever lists threads: it calls ``list_plain_threads`` and closes the client.
"""

from __future__ import annotations

from dataclasses import dataclass

from noxtui.api.recipe import TransportRecipe
from noxtui.api.transport import HttpTransport
from noxtui.providers.nox_rest.client import NoxClient


@dataclass(frozen=True)
class NoxListReader:
    """Rebuilds a ``NoxClient`` elsewhere; ``repr`` shows the base URL, never the token."""

    transport: TransportRecipe

    def open(self) -> NoxClient:
        recipe = self.transport
        return NoxClient(recipe.base_url, recipe.token.reveal(), http=HttpTransport.from_recipe(recipe))
