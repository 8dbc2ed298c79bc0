"""The shapes of the fake CLI's command table: a command, its flags, its body fields, and their
``schema`` JSON.

Why one table for both: ``noxinfluencer schema "<command>"`` is what a client reads to learn what
the installed tool accepts, and the fake's own parser validates argv and body files against the
very same objects, so what ``schema`` says and what the parser enforces cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple

FlagType = Literal["integer", "string", "boolean"]
FieldType = Literal["string", "array", "object"]

# ``(positional args, body)`` -> the dry-run's one-line description of the write.
Describe = Callable[[Mapping[str, str], Mapping[str, Any]], str]


class Flag(NamedTuple):
    """One ``--flag``. ``query`` names the query parameter a read sends it as (``None``: not sent)."""

    type: FlagType
    description: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    required: bool = False
    query: str | None = None
    csv: bool = False  # a comma-separated list; every item must be non-empty

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "description": self.description}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.choices:
            out["enum"] = list(self.choices)
        if self.csv:
            out["format"] = "csv"
        if self.required:
            out["required"] = True
        return out


class BodyField(NamedTuple):
    """One field of a ``--body-file`` object. ``null`` counts as absent unless the field is required."""

    type: FieldType
    required: bool = False

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.type == "array":
            out["items"] = {"type": "string"}
        if self.required:
            out["required"] = True
        return out


class Command(NamedTuple):
    """One command of the tool.

    ``kind``: ``read`` (GET ``path``, the sandbox's envelope printed as is), ``write`` (dry-run
    unless ``--force``), or ``local`` (answered by the fake itself: auth, login, doctor, schema…).
    ``path`` is relative to the sandbox's ``/v1`` with ``{arg}`` placeholders for positional args.
    """

    name: str
    kind: Literal["read", "write", "local"]
    args: tuple[str, ...] = ()
    flags: Mapping[str, Flag] = {}  # never mutated: a shared default is safe
    body: Mapping[str, BodyField] | None = None
    exactly_one_of: tuple[str, ...] = ()
    method: str = "GET"
    path: str = ""
    describe: Describe | None = None
    description: str = ""

    @property
    def write(self) -> bool:
        return self.kind == "write"

    @property
    def upload(self) -> bool:
        return "--file" in self.flags

    def schema(self) -> dict[str, Any]:
        body: dict[str, Any] | None = None
        if self.body is not None:
            body = {"fields": {name: f.schema() for name, f in self.body.items()}}
            if self.exactly_one_of:
                body["exactly_one_of"] = list(self.exactly_one_of)
        return {
            "command": self.name,
            "description": self.description,
            "args": list(self.args),
            "flags": {name: flag.schema() for name, flag in self.flags.items()},
            "body": body,
            "write": self.write,
        }


# Every write takes these; a body-less write has no --body-file.
FORCE = Flag("boolean", "run the write; without it the command is a dry-run that changes nothing")
IDEMPOTENCY_KEY = Flag("string", "Idempotency-Key sent with the write (a fresh UUID4 when --force has none)")
BODY_FILE = Flag("string", "path of a JSON object holding the request body", required=True)
UPLOAD_FILE = Flag("string", "path of the file to upload (at most 10 MB; no executables or scripts)", required=True)

# Accepted before or after the command, on every command.
GLOBAL_FLAGS: Mapping[str, Flag] = {
    "--version": Flag("boolean", "print the version and exit"),
    "--trace-json": Flag("boolean", "write structured request traces to stderr, one JSON object a line"),
    "--lang": Flag("string", "language of summaries and URLs", choices=("en", "zh")),
}


def write_flags(*, body: bool = True, upload: bool = False) -> dict[str, Flag]:
    flags = {"--force": FORCE, "--idempotency-key": IDEMPOTENCY_KEY}
    if body:
        flags["--body-file"] = BODY_FILE
    if upload:
        flags["--file"] = UPLOAD_FILE
    return flags
