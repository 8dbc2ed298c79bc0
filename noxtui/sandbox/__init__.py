"""noxtui.sandbox: a local service that speaks the NoxInfluencer contract, over a seeded SQLite workspace.

``SandboxServer`` runs it on a loopback port (tests, ``--demo``); ``create_app`` gives the Starlette
app itself; ``DEFAULT_TOKEN`` is the bearer token it accepts unless told otherwise.
"""

from noxtui.sandbox.app import DEFAULT_TOKEN, create_app
from noxtui.sandbox.faults import FaultInjector, FaultRule
from noxtui.sandbox.nox.seed import ESCAPE_THREAD_ID, seed_workspace
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.server import SandboxServer, serve_forever

__all__ = [
    "DEFAULT_TOKEN",
    "ESCAPE_THREAD_ID",
    "FaultInjector",
    "FaultRule",
    "SandboxServer",
    "Store",
    "create_app",
    "seed_workspace",
    "serve_forever",
]
