"""The CLI provider against the sandbox, through the project's fake ``noxinfluencer`` tool.

``fake_cli`` (a fixture: import it into a test module) points the fake at the test's sandbox, with
credentials in a private folder and a log of every run; ``cli_provider`` and ``make_cli_app`` build
the provider and the app the way a rep's start does (the probe reads version, login and schema).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from noxtui.providers.nox_cli import discovery
from noxtui.providers.nox_cli.provider import NoxCliProvider
from noxtui.providers.nox_cli.runner import CliRunner
from noxtui.providers.nox_cli.schema import ListSchema
from noxtui.sandbox.nox_cli import fake_cli_command, fake_cli_env
from noxtui.storage.settings import Settings
from noxtui.tui.app import NoxTUI
from tests.sandbox_support import SANDBOX_NOW, SANDBOX_TOKEN


@dataclass
class FakeCli:
    """Where the fake tool runs from and what it logged."""

    tool: list[str]
    home: Path
    log: Path

    def runs(self) -> list[dict[str, Any]]:
        """Every invocation the fake logged, oldest first."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()]

    def forced(self) -> list[dict[str, Any]]:
        """The runs that wrote (``--force``)."""
        return [run for run in self.runs() if run.get("force")]


@pytest.fixture
def fake_cli(sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCli]:
    home = tmp_path / "fake-noxinfluencer"
    home.mkdir(mode=0o700)
    log = tmp_path / "fake-cli-log.jsonl"
    for name, value in fake_cli_env(sandbox.base_url, home, SANDBOX_TOKEN).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NOXTUI_FAKE_NOX_LOG", str(log))
    yield FakeCli(fake_cli_command(), home, log)


def cli_provider(
    fake: FakeCli, *, timeout: float = 30.0, backoff: float = 0.01, schema: ListSchema | None = None
) -> NoxCliProvider:
    """The provider as a start builds it (probe first), on the sandbox's clock; ``schema`` stands in
    for what the installed tool's ``schema "message list"`` said."""
    info = discovery.probe(fake.tool, None)
    runner = CliRunner(info.tool, timeout=timeout, catalogue=info.catalogue, backoff=backoff)
    return NoxCliProvider(runner, schema=schema or info.schema, clock=lambda: SANDBOX_NOW)


def make_cli_app(fake: FakeCli, *, use_cache: bool = True, schema: ListSchema | None = None) -> NoxTUI:
    """The real app on the CLI provider (the same screens as ``make_app`` gives the REST one)."""
    return NoxTUI(
        provider=cli_provider(fake, schema=schema),
        settings=Settings(),
        clock=lambda: SANDBOX_NOW,
        label="test",
        persist_settings=False,
        use_cache=use_cache,
    )
