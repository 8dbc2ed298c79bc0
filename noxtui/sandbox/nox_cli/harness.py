"""What the environment tells the fake: where the sandbox is, where its home is, which version to
report, and the test hooks (the invocation log and injected faults).

Faults (``NOXTUI_FAKE_NOX_FAULT``): ``hang`` (sleep until killed, before answering), ``garbage``
(a non-JSON line on stdout, exit 1), ``exit:N`` (an error envelope, exit N); ``once:<fault>`` fires
on the first matching invocation only (tracked by a marker file in the home, created atomically,
so concurrent invocations cannot both fire it). An invocation matches when every word of
``NOXTUI_FAKE_NOX_FAULT_ON`` (e.g. ``send --force``) is one of its argv words; unset, every
command that talks to the API matches (reads and writes, dry-runs included), and the local ones
(``--version``, ``auth``, ``login``, ``doctor``, ``schema``, ``agent``) never do.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from noxtui.sandbox.nox_cli.output import ERROR, ERROR_CODE_OF_EXIT, CliError

DEFAULT_VERSION = "0.5.9"
DEFAULT_TOKEN = "noxtui-sandbox"
GARBAGE_LINE = "TypeError: Cannot read properties of undefined (reading 'data')"


def default_home() -> Path:
    return Path.home() / ".config" / "noxtui-fake-noxinfluencer"


class Env(NamedTuple):
    url: str | None
    home: Path
    version: str
    log: str | None
    fault: str | None
    fault_on: str | None
    timeout: float
    login_token: str

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Env:
        timeout_text = environ.get("NOXTUI_FAKE_NOX_TIMEOUT", "")
        try:
            timeout = float(timeout_text) if timeout_text else 30.0
        except ValueError:
            timeout = 30.0
        return cls(
            url=environ.get("NOXTUI_FAKE_NOX_URL") or None,
            home=Path(environ.get("NOXTUI_FAKE_NOX_HOME") or default_home()),
            version=environ.get("NOXTUI_FAKE_NOX_VERSION") or DEFAULT_VERSION,
            log=environ.get("NOXTUI_FAKE_NOX_LOG") or None,
            fault=environ.get("NOXTUI_FAKE_NOX_FAULT") or None,
            fault_on=environ.get("NOXTUI_FAKE_NOX_FAULT_ON") or None,
            timeout=timeout,
            login_token=environ.get("NOXTUI_FAKE_NOX_TOKEN") or DEFAULT_TOKEN,
        )

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.home


def _matches(env: Env, argv: list[str], talks_to_api: bool) -> bool:
    if env.fault_on is None:
        return talks_to_api
    return all(word in argv for word in env.fault_on.split())


def _first_time(env: Env) -> bool:
    """True for the first invocation to claim this once-fault (an O_EXCL marker file in the home)."""
    import hashlib  # only once-faults pay for it

    digest = hashlib.sha1(f"{env.fault}\n{env.fault_on}".encode()).hexdigest()[:16]
    marker = env.ensure_home() / f".fault-fired-{digest}"
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def fire_fault(env: Env, argv: list[str], talks_to_api: bool) -> int | None:
    """Run the injected fault if it applies: ``None`` to go on, an exit code after ``garbage``;
    ``exit:N`` raises its ``CliError``; ``hang`` never returns."""
    spec = env.fault
    if spec is None or not _matches(env, argv, talks_to_api):
        return None
    once = spec.startswith("once:")
    kind = spec.removeprefix("once:")
    if kind not in ("hang", "garbage") and not (kind.startswith("exit:") and kind[5:].isdigit()):
        raise CliError(ERROR, f"NOXTUI_FAKE_NOX_FAULT={spec!r} is not hang, garbage, exit:N or once:<fault>",
                       error_code="CONFIG")
    if once and not _first_time(env):
        return None
    if kind == "hang":
        while True:
            time.sleep(3600)
    if kind == "garbage":
        sys.stdout.write(GARBAGE_LINE + "\n")
        sys.stderr.write("    at Object.<anonymous> (/usr/lib/node_modules/@noxinfluencer/cli/dist/index.js:1:4242)\n")
        return ERROR
    code = int(kind[5:])
    raise CliError(code, f"Injected fault: exit {code}", error_code=ERROR_CODE_OF_EXIT.get(code, "INTERNAL"))


def log_invocation(env: Env, argv: list[str], *, force: bool, idempotency_key: str | None, exit_code: int) -> None:
    """One JSON line per invocation (``NOXTUI_FAKE_NOX_LOG``), appended in one write."""
    if env.log is None:
        return
    line = json.dumps({"argv": argv, "force": force, "idempotency_key": idempotency_key, "exit": exit_code})
    fd = os.open(env.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
