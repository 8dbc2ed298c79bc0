"""Regenerate ``screenshots/`` from the running demo: ``python -m noxtui.tools.screenshots``.

Screenshots are never drawn by hand: this starts a fresh sandbox (seeded at a fixed moment so the
pictures are stable), drives the real app through the real client and saves what it shows.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from textual.pilot import Pilot

from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import DEFAULT_TOKEN
from noxtui.sandbox.server import SandboxServer
from noxtui.storage.settings import Settings
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.inbox import InboxScreen

FIXED_NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


async def _settle(pilot: Pilot, done: Callable[[], bool], timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done() and loop.time() < deadline:
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def _inbox(app: NoxTUI) -> InboxScreen | None:
    return next((s for s in app.screen_stack if isinstance(s, InboxScreen)), None)


def _list_ready(app: NoxTUI) -> bool:
    screen = _inbox(app)
    return screen is not None and screen.total is not None and screen.thread_list.row_count >= screen.total


def _thread_ready(app: NoxTUI) -> bool:
    screen = _inbox(app)
    return screen is not None and screen.thread is not None


def _opened(app: NoxTUI) -> bool:
    return _list_ready(app) and _thread_ready(app)


Shot = tuple[str, tuple[int, int], str, list[str]]

SHOTS: list[Shot] = [
    ("inbox", (120, 40), "noxtui-dark", ["n", "d"]),
    ("detail", (120, 40), "noxtui-dark", ["enter"]),
    ("labels-panel", (120, 40), "noxtui-dark", ["enter", "l"]),
    ("confirm-send", (120, 40), "noxtui-dark", ["enter", "e", *" Sending the brief today.", "escape", "s"]),
    ("narrow-80x24", (80, 24), "noxtui-dark", []),
    ("light", (120, 40), "noxtui-light", ["enter"]),
    ("contrast", (120, 40), "noxtui-contrast", ["enter"]),
]


async def _capture(base_url: str, out: Path, shot: Shot) -> Path:
    name, size, theme, keys = shot
    app = NoxTUI(
        provider=NoxProvider(NoxClient(base_url, DEFAULT_TOKEN)),
        settings=Settings(theme=theme),
        clock=lambda: FIXED_NOW,
        label="demo",
        persist_settings=False,
    )
    async with app.run_test(size=size) as pilot:
        await _settle(pilot, lambda: _list_ready(app))
        for key in keys:
            await pilot.press(key)
            if key in ("enter", "n", "d"):
                await _settle(pilot, partial(_opened if key == "enter" else _list_ready, app))
        await pilot.pause(0.3)
        return Path(app.save_screenshot(f"{name}.svg", str(out)))


async def _main(out: Path, runner: Callable[[str, Path, Shot], Awaitable[Path]] = _capture) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        # A fresh database per shot: an earlier shot's confirmed write must not leak into the next.
        for shot in SHOTS:
            db = Path(tmp) / f"{shot[0]}.sqlite3"
            with SandboxServer(db, port=0, token=DEFAULT_TOKEN, now=FIXED_NOW) as server:
                saved.append(await runner(server.base_url, out, shot))
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    for path in asyncio.run(_main(args.out)):
        print(path)


if __name__ == "__main__":
    main()
