"""Running the fake ``noxinfluencer`` in real subprocesses against a real loopback sandbox.

``module_sandbox`` gives each test module one sandbox (spawned processes are slow; sharing keeps a
module's run short), so tests that write pick threads no other test of the module touches.
``FakeCli`` runs the fake with its own home (credentials), invocation log and extra environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from noxtui.sandbox import SandboxServer
from noxtui.sandbox.nox_cli import fake_cli_command, fake_cli_env
from tests.sandbox_support import SANDBOX_NOW, SANDBOX_SEED, SANDBOX_THREADS, SANDBOX_TOKEN, auth

# Environment variables the fake reads: none may leak in from the developer's shell.
_FAKE_VARS = (
    "NOXTUI_FAKE_NOX_URL",
    "NOXTUI_FAKE_NOX_HOME",
    "NOXTUI_FAKE_NOX_VERSION",
    "NOXTUI_FAKE_NOX_LOG",
    "NOXTUI_FAKE_NOX_FAULT",
    "NOXTUI_FAKE_NOX_FAULT_ON",
    "NOXTUI_FAKE_NOX_TOKEN",
    "NOXTUI_FAKE_NOX_TIMEOUT",
)


@dataclass
class Ran:
    """One finished invocation."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class FakeCli:
    """The fake pointed at a sandbox, with a private home and log."""

    sandbox: SandboxServer
    home: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _FAKE_VARS}
        env.update({"NOXTUI_FAKE_NOX_URL": self.sandbox.base_url, "NOXTUI_FAKE_NOX_HOME": str(self.home)})
        env["NOXTUI_FAKE_NOX_LOG"] = str(self.log)
        env.update(self.env)
        return env

    def run(self, *argv: str, stdin: str | None = None, timeout: float = 30.0, **extra_env: str) -> Ran:
        env = self.base_env()
        for name, value in extra_env.items():
            if value == "":
                env.pop(name, None)
            else:
                env[name] = value
        done = subprocess.run(
            [*fake_cli_command(), *argv],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def log_lines(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def body_file(self, name: str, payload: Any) -> str:
        path = self.home.parent / name
        path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
        return str(path)


@pytest.fixture(scope="module")
def module_sandbox(sandbox_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    db = tmp_path_factory.mktemp("fake-cli-sandbox") / "sandbox.sqlite3"
    shutil.copyfile(sandbox_template_db, db)
    server = SandboxServer(
        db, host="127.0.0.1", port=0, token=SANDBOX_TOKEN, threads=SANDBOX_THREADS, seed=SANDBOX_SEED, now=SANDBOX_NOW
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fake(module_sandbox: SandboxServer, tmp_path: Path) -> Iterator[FakeCli]:
    """The fake, logged in to the module's sandbox (credentials written by ``fake_cli_env``)."""
    home = tmp_path / "fake-home"
    env = fake_cli_env(module_sandbox.base_url, home, SANDBOX_TOKEN)
    assert env["NOXTUI_FAKE_NOX_HOME"] == str(home)
    module_sandbox.faults.clear()
    try:
        yield FakeCli(module_sandbox, home, tmp_path / "invocations.jsonl")
    finally:
        module_sandbox.faults.clear()


@pytest.fixture
def logged_out(module_sandbox: SandboxServer, tmp_path: Path) -> FakeCli:
    """The fake with an empty home: no credentials."""
    return FakeCli(module_sandbox, tmp_path / "empty-home", tmp_path / "invocations.jsonl")


@pytest.fixture
def rest(module_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """The sandbox's REST routes, to check what the fake did (or did not) change."""
    with httpx.Client(base_url=module_sandbox.base_url, headers=auth(), timeout=10.0) as client:
        yield client
