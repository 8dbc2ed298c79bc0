"""noxtui.sandbox: a local service that fakes both vendors (NoxInfluencer, Inbox X DMs) over one seeded SQLite file.

``SandboxServer`` runs it on a loopback port (tests, ``--demo``); ``create_app`` gives the Starlette
app itself; ``DEFAULT_TOKEN`` is the bearer token it accepts unless told otherwise.

Layout: one subpackage per faked vendor (``nox/``: store, list planner, seed, routes; ``inbox/``:
store, wire shapes, seed, routes) over shared modules that know no vendor (``database``,
``endpoint``, ``envelopes``, ``validation``, ``multipart``, ``faults``, ``clock``). ``app`` and
``server`` compose the two. Dependencies point one way: shared ← ``inbox`` ← ``nox`` ← ``app``,
because the Nox ``Store`` opens the file both vendors share (its schema and seed include the Inbox
ones).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noxtui.sandbox.app import DEFAULT_TOKEN, create_app
    from noxtui.sandbox.faults import FaultInjector, FaultRule
    from noxtui.sandbox.nox.seed import ESCAPE_THREAD_ID, seed_workspace
    from noxtui.sandbox.nox.store import Store
    from noxtui.sandbox.server import SandboxServer, serve_forever

# Loaded on first use (PEP 562), so ``noxtui.sandbox.nox_cli`` (the fake vendor CLI, one process
# per command) starts without importing Starlette, uvicorn and pydantic.
_HOMES = {
    "DEFAULT_TOKEN": "noxtui.sandbox.app",
    "create_app": "noxtui.sandbox.app",
    "FaultInjector": "noxtui.sandbox.faults",
    "FaultRule": "noxtui.sandbox.faults",
    "ESCAPE_THREAD_ID": "noxtui.sandbox.nox.seed",
    "seed_workspace": "noxtui.sandbox.nox.seed",
    "Store": "noxtui.sandbox.nox.store",
    "SandboxServer": "noxtui.sandbox.server",
    "serve_forever": "noxtui.sandbox.server",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
