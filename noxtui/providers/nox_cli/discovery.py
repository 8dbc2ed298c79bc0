"""Finding the vendor tool and learning what it is: path, version, login, schema, exit codes.

Run before the app needs the provider (in the start-up thread, and by ``noxtui doctor``), so these
are plain blocking ``subprocess.run`` calls with a short timeout each; the provider's own commands
later go through the async runner. Every failure is a ``ToolProblem`` that says what to do.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from noxtui.providers.nox_cli import schema as list_schema
from noxtui.providers.nox_cli.errors import Catalogue, catalogue_from, first_line
from noxtui.providers.nox_cli.process import INSTALL_HINT
from noxtui.providers.nox_cli.wire import AuthStatusWire, ExitCodeCatalogue, SchemaIndex

TOOL_NAME = "noxinfluencer"
TOOL_ENV = "NOXTUI_NOX_CLI"
MIN_VERSION = (0, 5, 8)
PROBE_TIMEOUT = 15.0
MESSAGE_COMMANDS = ("message list", "message get", "message send", "message labels set", "message coop set")
LOGIN_HINT = "Run `noxtui login --provider cli` (it runs `noxinfluencer login`), then `noxtui doctor`."

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


class ToolProblem(Exception):
    """The tool cannot be used as it is; the message says why and what to do."""


@dataclass(frozen=True)
class ToolInfo:
    """What the start-up probe learned: enough to build the provider without asking again."""

    tool: tuple[str, ...]
    version: str
    user: str | None
    schema: list_schema.ListSchema
    catalogue: Catalogue


def resolve_tool(cli_path: str | None = None, env: Mapping[str, str] | None = None) -> list[str] | None:
    """The argv prefix that runs the tool: ``$NOXTUI_NOX_CLI``, else the profile's ``cli_path``,
    else ``noxinfluencer`` on PATH; ``None`` when none is found."""
    environ = os.environ if env is None else env
    chosen = environ.get(TOOL_ENV) or cli_path
    if chosen:
        if Path(chosen).expanduser().exists():
            return [str(Path(chosen).expanduser())]
        words = shlex.split(chosen)
        found = shutil.which(words[0], path=environ.get("PATH")) if words else None
        return [found, *words[1:]] if found else words
    found = shutil.which(TOOL_NAME, path=environ.get("PATH"))
    return [found] if found else None


def _run(
    tool: Sequence[str], args: Sequence[str], timeout: float = PROBE_TIMEOUT
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [*tool, *args], capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False
        )
    except FileNotFoundError:
        raise ToolProblem(f"The NoxInfluencer tool was not found at {tool[0]}. {INSTALL_HINT}") from None
    except PermissionError:
        raise ToolProblem(f"The NoxInfluencer tool at {tool[0]} cannot be run (permission denied).") from None
    except subprocess.TimeoutExpired:
        raise ToolProblem(f"`noxinfluencer {' '.join(args)}` did not answer within {timeout:g} s.") from None
    except OSError as exc:
        raise ToolProblem(f"The NoxInfluencer tool could not be started: {exc.strerror or exc}.") from None


def _json(tool: Sequence[str], args: Sequence[str]) -> object:
    done = _run(tool, args)
    try:
        return json.loads(done.stdout)
    except (ValueError, RecursionError):
        said = first_line(done.stdout) or first_line(done.stderr) or "nothing"
        raise ToolProblem(f"`noxinfluencer {' '.join(args)}` did not print JSON (it printed: {said}).") from None


def version_of(tool: Sequence[str]) -> str:
    """The tool's version; a ``ToolProblem`` when it is unreadable or older than 0.5.8."""
    done = _run(tool, ["--version"])
    text = done.stdout.decode("utf-8", errors="replace")
    match = _VERSION.search(text)
    if done.returncode != 0 or match is None:
        said = first_line(done.stdout) or first_line(done.stderr) or "nothing"
        raise ToolProblem(f"`noxinfluencer --version` gave no version (it printed: {said}).")
    found = tuple(int(part) for part in match.groups())
    if found < MIN_VERSION:
        raise ToolProblem(
            f"The NoxInfluencer tool is version {match.group(0)}; noxtui needs 0.5.8 or newer. "
            "Update it: npm install -g @noxinfluencer/cli@latest"
        )
    return match.group(0)


def auth_of(tool: Sequence[str]) -> AuthStatusWire:
    """``auth status`` (local credentials, no network)."""
    raw = _json(tool, ["auth", "status"])
    try:
        return AuthStatusWire.model_validate(raw)
    except PydanticValidationError:
        raise ToolProblem("`noxinfluencer auth status` printed JSON without `authenticated`.") from None


def catalogue_of(tool: Sequence[str]) -> Catalogue:
    """``agent exit-codes`` when the tool offers it; the contract's table otherwise."""
    try:
        raw = _json(tool, ["agent", "exit-codes"])
        return catalogue_from(ExitCodeCatalogue.model_validate(raw))
    except (ToolProblem, PydanticValidationError):
        return Catalogue()


def schema_of(tool: Sequence[str], version: str, cache_folder: Path | None) -> list_schema.ListSchema:
    """``schema "message list"``, kept per tool version; the documented flags (with why) otherwise."""
    cached = list_schema.load_cached(cache_folder, version)
    if cached is not None:
        return cached
    try:
        raw = _json(tool, ["schema", list_schema.LIST_COMMAND])
    except ToolProblem as exc:
        return list_schema.documented(f"the tool's schema could not be read ({exc})")
    parsed = list_schema.parse(raw)
    if parsed.problem is None:
        list_schema.store_cached(cache_folder, version, raw)
    return parsed


def commands_of(tool: Sequence[str]) -> list[str]:
    """``schema --all``: every command the installed tool has."""
    raw = _json(tool, ["schema", "--all"])
    try:
        return [entry.command for entry in SchemaIndex.model_validate(raw).commands]
    except PydanticValidationError:
        raise ToolProblem("`noxinfluencer schema --all` printed JSON noxtui cannot read.") from None


def probe(tool: Sequence[str] | None, cache_folder: Path | None = None) -> ToolInfo:
    """Everything the provider needs, or a ``ToolProblem`` that says how to get there."""
    if not tool:
        raise ToolProblem(f"The NoxInfluencer tool `{TOOL_NAME}` is not on PATH. {INSTALL_HINT}")
    version = version_of(tool)
    auth = auth_of(tool)
    if not auth.authenticated:
        raise ToolProblem(f"The NoxInfluencer tool is not logged in. {LOGIN_HINT}")
    user = auth.user.name if auth.user and auth.user.name else None
    return ToolInfo(
        tool=tuple(tool),
        version=version,
        user=user,
        schema=schema_of(tool, version, cache_folder),
        catalogue=catalogue_of(tool),
    )


__all__ = [
    "LOGIN_HINT",
    "MESSAGE_COMMANDS",
    "TOOL_ENV",
    "TOOL_NAME",
    "ToolInfo",
    "ToolProblem",
    "auth_of",
    "commands_of",
    "probe",
    "resolve_tool",
    "schema_of",
    "version_of",
]
