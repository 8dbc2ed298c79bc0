"""One run of the vendor tool: spawned without a shell, bounded in time, killed when it hangs.

Why a process group: the real tool is a Node program that may start children of its own; killing
only the direct child after a timeout would leave them running (and possibly writing). The child
gets a session of its own, and a timeout or a cancelled worker kills the whole group.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from noxtui.domain.errors import NoxError, TransportError

INSTALL_HINT = (
    "Install the vendor's tool (npm install -g @noxinfluencer/cli, version 0.5.8 or newer), "
    "log in with `noxinfluencer login`, then run `noxtui doctor`."
)


class ToolNotFound(NoxError):
    """The ``noxinfluencer`` command is not installed where noxtui looked (or cannot be run)."""

    default_todo = INSTALL_HINT


class ToolTimeout(TransportError):
    """The tool did not answer in time and was stopped; a write may or may not have happened."""

    default_todo = (
        "The tool was stopped. Your text is kept; press y to try the very same request again "
        "(it carries the same idempotency key, so it cannot land twice), or raise cli_timeout in the config."
    )


@dataclass(frozen=True)
class Completed:
    """What one run of the tool gave back."""

    argv: tuple[str, ...]
    exit_code: int
    stdout: bytes
    stderr: bytes
    elapsed: float


def _kill_group(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            process.kill()
        except ProcessLookupError:
            pass


async def run_tool(
    argv: Sequence[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    shown: str = "",
) -> Completed:
    """Run ``argv`` once and collect its output; ``shown`` names the command in error messages.

    Raises ``ToolNotFound`` when the executable is missing or not runnable and ``ToolTimeout``
    after ``timeout`` seconds (the child and its children are killed first).
    """
    started = time.perf_counter()
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise ToolNotFound(f"The NoxInfluencer tool was not found ({argv[0]})") from None
    except PermissionError:
        raise ToolNotFound(f"The NoxInfluencer tool at {argv[0]} cannot be run (permission denied)") from None
    except OSError as exc:
        raise ToolNotFound(f"The NoxInfluencer tool could not be started: {exc.strerror or exc}") from None
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(stdin), timeout)
    except TimeoutError:
        _kill_group(process)
        await process.wait()
        raise ToolTimeout(
            f"`{shown or argv[0]}` did not answer within {timeout:g} s", may_have_reached=True
        ) from None
    except asyncio.CancelledError:
        _kill_group(process)
        raise
    return Completed(
        argv=tuple(argv),
        exit_code=process.returncode if process.returncode is not None else -1,
        stdout=stdout,
        stderr=stderr,
        elapsed=time.perf_counter() - started,
    )


__all__ = ["INSTALL_HINT", "Completed", "ToolNotFound", "ToolTimeout", "run_tool"]
