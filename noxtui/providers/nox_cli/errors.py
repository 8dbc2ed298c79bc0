"""The tool's exit codes and error envelopes → noxtui's typed errors.

The tool's catalogue (``agent exit-codes``) tells retryable failures from the rest; the production
tool is asked for it at start, and ``DEFAULT_CATALOGUE`` (the contract note's table) stands in when
it cannot answer. Each code also maps to the HTTP status our typed errors are keyed by, so a CLI
failure reads exactly like the same failure over REST (a refusal is definite; anything else may
have been applied, and the confirm modal says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from noxtui.domain.errors import NoxError, ProtocolError, typed_error
from noxtui.domain.text import sanitize
from noxtui.providers.nox_cli.wire import ExitCodeCatalogue, Failure

# exit code → (HTTP status it stands for, retryable)
DEFAULT_CODES: dict[int, tuple[int | None, bool]] = {
    0: (None, False),
    1: (None, False),
    2: (422, False),
    3: (401, False),
    4: (404, False),
    5: (409, False),
    6: (429, True),
    7: (503, True),
    8: (402, False),
}

_NAME_STATUS = {
    "invalid": 422,
    "usage": 422,
    "auth": 401,
    "not_found": 404,
    "notfound": 404,
    "conflict": 409,
    "rate": 429,
    "upstream": 503,
    "temporary": 503,
    "quota": 402,
    "credit": 402,
}


@dataclass(frozen=True)
class Catalogue:
    """Which exit codes are retryable and what each stands for."""

    codes: dict[int, tuple[int | None, bool]] = field(default_factory=lambda: dict(DEFAULT_CODES))
    from_tool: bool = False

    def status(self, exit_code: int) -> int | None:
        return self.codes.get(exit_code, (None, False))[0]

    def retryable(self, exit_code: int) -> bool:
        return self.codes.get(exit_code, (None, False))[1]


def catalogue_from(wire: ExitCodeCatalogue) -> Catalogue:
    """The tool's own catalogue: its retryable flags win; statuses come from the code's name."""
    codes = dict(DEFAULT_CODES)
    for entry in wire.codes:
        name = entry.name.lower()
        status = next((s for key, s in _NAME_STATUS.items() if key in name), codes.get(entry.code, (None, False))[0])
        codes[entry.code] = (None if entry.code == 0 else status, entry.retryable)
    return Catalogue(codes=codes, from_tool=True)


def first_line(raw: bytes, limit: int = 120) -> str:
    """The first non-blank line of some output, made safe to show and cut to ``limit``."""
    text = raw.decode("utf-8", errors="replace")
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = sanitize(line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def from_failure(failure: Failure, exit_code: int, catalogue: Catalogue) -> NoxError:
    """An error envelope, typed by its code first and the exit code second."""
    status = catalogue.status(exit_code) or 0
    what = failure.summary.strip() or f"The NoxInfluencer tool refused the request (exit {exit_code})"
    hint = failure.action.hint if failure.action and failure.action.hint else None
    error = typed_error(
        status,
        failure.error_code or None,
        sanitize(what),
        sanitize(hint) if hint else None,
        hint_url=failure.action.url if failure.action else None,
        data=failure.data,
    )
    # The tool's catalogue decides, both ways: an INTERNAL envelope on exit 1 is not retried.
    error.retryable = catalogue.retryable(exit_code)
    return error


def from_exit(exit_code: int, stdout: bytes, stderr: bytes, shown: str, catalogue: Catalogue) -> NoxError:
    """A failure with no envelope: the exit code's meaning, quoting what the tool printed first."""
    said = first_line(stdout) or first_line(stderr)
    status = catalogue.status(exit_code)
    what = f"`{shown}` failed (exit {exit_code})"
    if said:
        what += f": {said}"
    if status is None:
        return ProtocolError(what, "The tool's answer was not JSON; run `noxtui doctor` and try again.")
    error = typed_error(status, None, what)
    error.retryable = catalogue.retryable(exit_code)
    return error


__all__ = ["DEFAULT_CODES", "Catalogue", "catalogue_from", "first_line", "from_exit", "from_failure"]
