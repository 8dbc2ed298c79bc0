"""What the fake prints and how it exits: the exit-code catalogue, error envelopes, plain JSON.

The catalogue is the one ``nox-cli.md`` chose for the fake (the real tool's comes from
``agent exit-codes`` at run time). HTTP statuses from the sandbox map onto it in ``exit_for_status``.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NamedTuple

OK = 0
ERROR = 1
INVALID_REQUEST = 2
AUTH = 3
NOT_FOUND = 4
CONFLICT = 5
RATE_LIMITED = 6
UPSTREAM = 7
QUOTA = 8


class ExitCode(NamedTuple):
    code: int
    name: str
    retryable: bool
    description: str


EXIT_CODES: tuple[ExitCode, ...] = (
    ExitCode(OK, "ok", False, "the command succeeded"),
    ExitCode(ERROR, "error", False, "anything not listed below"),
    ExitCode(INVALID_REQUEST, "invalid_request", False, "bad argv, body file or field; fix the request"),
    ExitCode(AUTH, "auth", False, "not logged in, or the credentials were refused; run noxinfluencer login"),
    ExitCode(NOT_FOUND, "not_found", False, "the thread, task, template or channel does not exist"),
    ExitCode(CONFLICT, "conflict", False, "the state forbids it (archived, nothing scheduled, key reused)"),
    ExitCode(RATE_LIMITED, "rate_limited", True, "too many requests; retry after a pause"),
    ExitCode(UPSTREAM, "upstream", True, "temporary upstream or network failure; retry with the same key"),
    ExitCode(QUOTA, "quota", False, "the skill quota is exhausted (INSUFFICIENT_CREDIT)"),
)

# The error_code an exit code's own envelope carries when the fake itself fails that way.
ERROR_CODE_OF_EXIT: dict[int, str] = {
    ERROR: "INTERNAL",
    INVALID_REQUEST: "INVALID_REQUEST",
    AUTH: "UNAUTHENTICATED",
    NOT_FOUND: "NOT_FOUND",
    CONFLICT: "CONFLICT",
    RATE_LIMITED: "RATE_LIMITED",
    UPSTREAM: "UPSTREAM_ERROR",
    QUOTA: "INSUFFICIENT_CREDIT",
}


def exit_for_status(status: int) -> int:
    """The exit code for a sandbox answer's HTTP status (2xx → 0)."""
    if 200 <= status < 300:
        return OK
    if status in (401, 403):
        return AUTH
    if status == 402:
        return QUOTA
    if status == 404:
        return NOT_FOUND
    if status == 409:
        return CONFLICT
    if status in (400, 413, 422):
        return INVALID_REQUEST
    if status == 429:
        return RATE_LIMITED
    if status >= 500:
        return UPSTREAM
    return ERROR


class CliError(Exception):
    """A failure the fake reports as an error envelope on stdout, exiting ``exit_code``."""

    def __init__(
        self, exit_code: int, summary: str, *, error_code: str | None = None, action: dict[str, str] | None = None
    ) -> None:
        super().__init__(summary)
        self.exit_code = exit_code
        self.summary = summary
        self.error_code = error_code or ERROR_CODE_OF_EXIT.get(exit_code, "INTERNAL")
        self.action = action

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {"success": False, "error_code": self.error_code, "summary": self.summary}
        if self.action is not None:
            body["action"] = self.action
        return body


def invalid(summary: str) -> CliError:
    return CliError(INVALID_REQUEST, summary)


def not_logged_in() -> CliError:
    return CliError(
        AUTH,
        "Not logged in: no NoxInfluencer credentials on this machine",
        error_code="UNAUTHENTICATED",
        action={"type": "login", "hint": "Run noxinfluencer login"},
    )


def print_json(payload: Any) -> None:
    """One line of JSON on stdout (what every command prints)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, separators=(", ", ": ")) + "\n")


def print_raw(text: str) -> None:
    sys.stdout.write(text.rstrip("\n") + "\n")


def exit_codes_catalogue() -> dict[str, Any]:
    return {
        "codes": [
            {"code": c.code, "name": c.name, "retryable": c.retryable, "description": c.description}
            for c in EXIT_CODES
        ]
    }
