"""Typed errors a rep can act on.

Every error carries ``what`` happened and ``todo`` (what to do about it) so a screen can show both
without knowing anything about HTTP. Messages never include request headers, so a token cannot leak
through ``str(error)`` or a traceback.
"""

from __future__ import annotations

from typing import Any

from noxtui.domain.text import wait_in_words


class NoxError(Exception):
    """Base of every error the client raises."""

    default_todo = "Try again; if it keeps failing, run `noxtui doctor`."
    retryable = False

    def __init__(
        self,
        what: str,
        todo: str | None = None,
        *,
        status: int | None = None,
        error_code: str | None = None,
        fields: dict[str, str] | None = None,
        hint_url: str | None = None,
        data: Any = None,
    ) -> None:
        self.what = what
        self.todo = todo or self.default_todo
        self.status = status
        self.error_code = error_code
        self.fields = fields or {}
        self.hint_url = hint_url
        self.data = data
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line for a toast or the confirm modal: what happened, then what to do."""
        return f"{self.what} — {self.todo}"

    @property
    def title(self) -> str:
        """A short heading for the kind of failure."""
        return type(self).__name__.removesuffix("Error").replace("_", " ") or "Error"


class AuthError(NoxError):
    default_todo = "Log in again with `noxtui login`, or set NOXTUI_TOKEN."


class ForbiddenError(NoxError):
    default_todo = "Ask a team admin for access to this workspace or thread."


class InsufficientCreditError(NoxError):
    default_todo = "Top up credits in the NoxInfluencer dashboard, then retry."


class NotFoundError(NoxError):
    default_todo = "It may have been archived or removed; press r to refresh the list."


class ConflictError(NoxError):
    default_todo = "Press r to reload the thread, check its state, then try again."


class ValidationError(NoxError):
    """The server (422) or a plan builder refused the input; ``fields`` says which field and why."""

    default_todo = "Fix the highlighted input and try again."


class PlanError(ValidationError):
    """Refused while building a plan: nothing was sent."""


class RateLimitedError(NoxError):
    retryable = True
    default_todo = "Wait a moment and try again."

    def __init__(self, what: str, todo: str | None = None, *, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        if todo is None and retry_after is not None:
            todo = f"Wait {wait_in_words(retry_after)} and try again."
        super().__init__(what, todo, **kw)


class ServerError(NoxError):
    retryable = True
    default_todo = "The server had a problem; try again in a minute. Your draft is kept."


class TransportError(NoxError):
    """The request never got a complete answer: connection refused, dropped, or timed out.

    ``may_have_reached`` is False only when the request surely never left this machine (the
    connection was refused): a write that may have reached the server must be read back, not resent
    blindly, where the backend does not replay a repeated Idempotency-Key.
    """

    retryable = True
    default_todo = "Check your connection (or VPN) and try again. Your draft is kept."

    def __init__(self, what: str, todo: str | None = None, *, may_have_reached: bool = True, **kw: Any) -> None:
        self.may_have_reached = may_have_reached
        super().__init__(what, todo, **kw)


class ProtocolError(NoxError):
    """The server answered with something that is not a contract envelope (HTML page, bad JSON)."""

    default_todo = "The server sent an unreadable answer; try again, and check the base URL with `noxtui doctor`."


class OfflineError(NoxError):
    default_todo = "Reconnect, press r to refresh, then try the write again. Nothing was queued."


class CapabilityError(NoxError):
    """The active provider cannot do this at all (e.g. scheduling on Inbox)."""

    default_todo = "Use an action this provider supports."


ERROR_CODE_CLASSES: dict[str, type[NoxError]] = {
    "UNAUTHENTICATED": AuthError,
    "FORBIDDEN": ForbiddenError,
    "INSUFFICIENT_CREDIT": InsufficientCreditError,
    "NOT_FOUND": NotFoundError,
    "CONFLICT": ConflictError,
    "IDEMPOTENCY_KEY_REUSED": ConflictError,
    "NOTHING_SCHEDULED": ConflictError,
    "VALIDATION_ERROR": ValidationError,
    "RATE_LIMITED": RateLimitedError,
    "UPSTREAM_ERROR": ServerError,
    "INTERNAL": ServerError,
}

STATUS_CLASSES: dict[int, type[NoxError]] = {
    401: AuthError,
    402: InsufficientCreditError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitedError,
}


def error_class_for(status: int, error_code: str | None) -> type[NoxError]:
    """Pick the typed error: the envelope's code wins, the HTTP status is the fallback."""
    if error_code and error_code in ERROR_CODE_CLASSES:
        return ERROR_CODE_CLASSES[error_code]
    if status in STATUS_CLASSES:
        return STATUS_CLASSES[status]
    if status >= 500:
        return ServerError
    return NoxError


def typed_error(
    status: int,
    error_code: str | None,
    what: str,
    todo: str | None = None,
    *,
    retry_after: float | None = None,
    **kw: Any,
) -> NoxError:
    """The typed error for a refused request, however the vendor worded it (``error_class_for`` picks)."""
    cls = error_class_for(status, error_code)
    if issubclass(cls, RateLimitedError):
        return cls(what, todo, retry_after=retry_after, status=status, error_code=error_code, **kw)
    return cls(what, todo, status=status, error_code=error_code, **kw)
