"""The vendor tool's output, field by field from ``shared/contract/nox-cli.md``: one module of shapes.

Envelopes (``message …``, ``email …``, ``crm …``) are the same JSON envelope the REST contract uses;
``auth status``, ``doctor``, ``schema`` and ``agent exit-codes`` print plain JSON without one. Every
model keeps unknown fields: a newer tool adds fields, and an older noxtui must still read it. The
legacy ``credits`` field some answers carry is read and ignored.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True)


class Action(_Wire):
    type: str | None = None
    url: str | None = None
    hint: str | None = None


class Meta(_Wire):
    page: int | None = None
    page_size: int | None = None
    total: int | None = None
    request_id: str | None = None


class Success(_Wire):
    """``{"success": true, "data", "summary", "meta"}``."""

    success: bool
    data: Any = None
    summary: str = ""
    meta: Meta = Field(default_factory=Meta)


class Failure(_Wire):
    """``{"success": false, "error_code", "summary", "action"?}``."""

    success: bool = False
    error_code: str = ""
    summary: str = ""
    action: Action | None = None
    data: Any = None


class DryRunRequest(_Wire):
    """What a write without ``--force`` says it would send (the fake's shape; the real tool's is
    shown as printed when it differs)."""

    dry_run: bool = True
    method: str | None = None
    path: str | None = None
    body: Any = None


class AuthUserWire(_Wire):
    uid: str | None = None
    name: str | None = None
    team: str | None = None


class AuthStatusWire(_Wire):
    """``auth status``: local credentials only, no network call."""

    authenticated: bool
    user: AuthUserWire | None = None


class DoctorCheck(_Wire):
    name: str
    ok: bool
    detail: str = ""


class DoctorWire(_Wire):
    """``doctor``: ``{"checks": [...], "ok": bool}``."""

    checks: list[DoctorCheck] = Field(default_factory=list)
    ok: bool


class ExitCodeEntry(_Wire):
    code: int
    name: str
    retryable: bool = False


class ExitCodeCatalogue(_Wire):
    """``agent exit-codes``: the stable catalogue telling retryable failures from the rest."""

    codes: list[ExitCodeEntry]


class FlagSpec(_Wire):
    type: str = "string"
    minimum: int | None = None
    maximum: int | None = None
    enum: list[str] | None = None
    deprecated: bool = False


class CommandSchema(_Wire):
    """``schema "<command>"``: the flags the installed tool accepts for one command."""

    command: str
    args: list[str] = Field(default_factory=list)
    flags: dict[str, FlagSpec] = Field(default_factory=dict)
    body: Any = None
    write: bool = False


class CommandEntry(_Wire):
    command: str
    write: bool = False


class SchemaIndex(_Wire):
    """``schema --all``: the installed command tree."""

    commands: list[CommandEntry]


__all__ = [
    "Action",
    "AuthStatusWire",
    "AuthUserWire",
    "CommandEntry",
    "CommandSchema",
    "DoctorCheck",
    "DoctorWire",
    "DryRunRequest",
    "ExitCodeCatalogue",
    "ExitCodeEntry",
    "Failure",
    "FlagSpec",
    "Meta",
    "SchemaIndex",
    "Success",
]
