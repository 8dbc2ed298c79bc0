"""Running one tool command to a parsed answer: body files, concurrency, retries, the envelope.

* **No shell, ever**: argv goes to ``create_subprocess_exec`` as a list, so a thread id or a body
  can never become a shell command.
* **Bodies through a file**: ``--body-file`` points at a 0600 temporary file written for this run
  and removed afterwards (also after a timeout or a crash), so a reply's text is neither in argv
  (visible to every user in ``ps``) nor left on disk.
* **Bounded**: at most ``concurrency`` tool processes at once (a sync of 100 pages does not start
  100 Node processes), each one stopped after ``timeout`` seconds.
* **Retries**: only exit codes the tool's catalogue calls retryable (rate limit, temporary upstream
  failure), with backoff, and always the same argv, hence the same ``--idempotency-key``: the
  server answers a replayed key with the first result, so a retried write lands once.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from noxtui.domain.errors import NoxError, ProtocolError
from noxtui.domain.models import BODY_FILE
from noxtui.providers.nox_cli.errors import Catalogue, first_line, from_exit, from_failure
from noxtui.providers.nox_cli.process import Completed, run_tool
from noxtui.providers.nox_cli.wire import Failure, Success

DEFAULT_TIMEOUT = 30.0
DEFAULT_CONCURRENCY = 4
MAX_BACKOFF = 8.0


@dataclass(frozen=True)
class Answer:
    """A successful envelope and the run that printed it."""

    envelope: Success
    completed: Completed

    @property
    def data(self) -> Any:
        return self.envelope.data


@contextmanager
def body_file(body: Mapping[str, Any] | None) -> Iterator[str | None]:
    """A private temporary JSON file holding ``body`` for the length of one run (``None``: no body)."""
    if body is None:
        yield None
        return
    fd, path = tempfile.mkstemp(prefix="noxtui-body-", suffix=".json")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dict(body), handle, ensure_ascii=False)
        yield path
    finally:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def with_body_path(argv: Sequence[str], path: str | None) -> list[str]:
    """The argv with the body-file placeholder replaced by the real path (or the flag dropped)."""
    out: list[str] = []
    for arg in argv:
        if arg == BODY_FILE:
            if path is None:
                out.pop()  # the "--body-file" flag before it
                continue
            out.append(path)
        else:
            out.append(arg)
    return out


def shown_command(argv: Sequence[str]) -> str:
    """The command as the rep reads it: tool name, not its full path; values after key flags masked."""
    words: list[str] = []
    mask_next = False
    for index, arg in enumerate(argv):
        if index == 0:
            words.append(os.path.basename(arg))
            continue
        if mask_next:
            words.append("****")
            mask_next = False
            continue
        if arg in {"--key", "--token", "--api-key"}:
            mask_next = True
        words.append(arg if arg and all(c.isalnum() or c in "-_:.,/=@+" for c in arg) else json.dumps(arg))
    return " ".join(words)


def decode(completed: Completed, shown: str, catalogue: Catalogue) -> Success:
    """The success envelope of one run; any other outcome raised as a typed error."""
    text = completed.stdout.strip()
    if not text:
        if completed.exit_code == 0:
            raise ProtocolError(f"`{shown}` printed nothing", "Run `noxtui doctor` to check the tool.")
        raise from_exit(completed.exit_code, completed.stdout, completed.stderr, shown, catalogue)
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):
        if completed.exit_code != 0:
            raise from_exit(completed.exit_code, completed.stdout, completed.stderr, shown, catalogue) from None
        raise ProtocolError(
            f"`{shown}` printed something that is not JSON: {first_line(completed.stdout)}",
            "Run `noxtui doctor`; an older or newer tool may print a different format.",
        ) from None
    if not isinstance(payload, dict):
        raise ProtocolError(f"`{shown}` printed JSON that is not an envelope", "Run `noxtui doctor`.")
    if payload.get("success") is True and completed.exit_code == 0:
        try:
            return Success.model_validate(payload)
        except PydanticValidationError:
            raise ProtocolError(f"`{shown}` printed an envelope noxtui cannot read", "Run `noxtui doctor`.") from None
    if payload.get("success") is False or completed.exit_code != 0:
        try:
            failure = Failure.model_validate(payload)
        except PydanticValidationError:
            failure = Failure(error_code="", summary="")
        raise from_failure(failure, completed.exit_code, catalogue)
    raise ProtocolError(f"`{shown}` printed an envelope without a success flag", "Run `noxtui doctor`.")


class CliRunner:
    """Runs tool commands: ``tool`` is the argv prefix that starts it (``["noxinfluencer"]``)."""

    def __init__(
        self,
        tool: Sequence[str],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_retries: int = 3,
        backoff: float = 0.5,
        env: Mapping[str, str] | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.tool = tuple(tool)
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.env = dict(env) if env is not None else None
        self.catalogue = catalogue or Catalogue()
        self._gate = asyncio.Semaphore(max(1, concurrency))
        self.runs = 0
        """How many processes this runner has started (tests and the bench read it)."""

    def __repr__(self) -> str:
        return f"CliRunner(tool={os.path.basename(self.tool[0]) if self.tool else '?'!r})"

    async def raw(self, args: Sequence[str], *, stdin: bytes | None = None, timeout: float | None = None) -> Completed:
        """One run, no parsing, no retry (``--version``, ``auth status``, ``schema``…)."""
        argv = [*self.tool, *args]
        async with self._gate:
            self.runs += 1
            return await run_tool(
                argv, timeout=timeout or self.timeout, env=self.env, stdin=stdin, shown=shown_command(argv)
            )

    async def json(self, args: Sequence[str], *, timeout: float | None = None) -> Any:
        """A command that prints plain JSON (no envelope); a clear error when it does not."""
        completed = await self.raw(args, timeout=timeout)
        shown = shown_command(completed.argv)
        try:
            return json.loads(completed.stdout)
        except (ValueError, RecursionError):
            exit_code = completed.exit_code or 1
            raise from_exit(exit_code, completed.stdout, completed.stderr, shown, self.catalogue) from None

    async def call(self, args: Sequence[str], body: Mapping[str, Any] | None = None) -> Answer:
        """Run a command that prints an envelope, retrying retryable failures with the same argv."""
        attempt = 0
        while True:
            with body_file(body) as path:
                argv = [*self.tool, *with_body_path(args, path)]
                shown = shown_command([*self.tool, *with_body_path(args, BODY_FILE if path else None)])
                async with self._gate:
                    self.runs += 1
                    completed = await run_tool(argv, timeout=self.timeout, env=self.env, shown=shown)
            try:
                return Answer(decode(completed, shown, self.catalogue), completed)
            except NoxError as error:
                if not error.retryable or attempt >= self.max_retries:
                    raise
                attempt += 1
                await asyncio.sleep(min(self.backoff * (2 ** (attempt - 1)), MAX_BACKOFF))


__all__ = ["DEFAULT_CONCURRENCY", "DEFAULT_TIMEOUT", "Answer", "CliRunner", "body_file", "decode", "shown_command"]
