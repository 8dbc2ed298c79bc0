"""The strict argv parser: the command table (``table.py``) is the only grammar it knows.

Strict like a newer real tool: an unknown option, an option the command does not take, an option
given twice, a missing or extra positional, a value out of range or off its list, a boolean given
a value (``--force=yes``) — each is an invalid request (exit 2), never silently ignored. Options may
come before, between or after the command words; ``--name value`` and ``--name=value`` both work;
``--`` ends the options.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from noxtui.sandbox.nox_cli.output import invalid
from noxtui.sandbox.nox_cli.spec import GLOBAL_FLAGS, Command, Flag
from noxtui.sandbox.nox_cli.table import BY_NAME, flag_arity

_PROJECT_ID = re.compile(r"^[a-z][a-z0-9_]*:[A-Za-z0-9_.-]+$")
_LONGEST_NAME = max(len(name.split()) for name in BY_NAME)


class Invocation:
    """A parsed command line. ``flags`` holds the command's own options as given (validated)."""

    def __init__(self, command: Command, flags: dict[str, str | bool], *, trace: bool, lang: str) -> None:
        self.command = command
        self.flags = flags
        self.trace = trace
        self.lang = lang
        self.args: dict[str, str] = {}
        self.schema_target: str | None = None  # ``schema "<command>"``'s argument

    @property
    def force(self) -> bool:
        return self.flags.get("--force") is True

    def value(self, name: str) -> str | None:
        found = self.flags.get(name)
        return found if isinstance(found, str) else None


def _split(argv: list[str]) -> tuple[list[str], dict[str, str | bool]]:
    arity = flag_arity()
    words: list[str] = []
    given: dict[str, str | bool] = {}
    options_over = False
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if options_over or token == "-" or not token.startswith("-"):
            words.append(token)
            continue
        if token == "--":
            options_over = True
            continue
        name, has_value, inline = token.partition("=")
        if name not in arity:
            raise invalid(f"unknown option '{name}'")
        if name in given:
            raise invalid(f"option '{name}' was given twice")
        if not arity[name]:
            if has_value:
                raise invalid(f"option '{name}' takes no value")
            given[name] = True
            continue
        if has_value:
            given[name] = inline
            continue
        if i >= len(argv) or argv[i].startswith("--"):
            raise invalid(f"option '{name}' needs a value")
        given[name] = argv[i]
        i += 1
    return words, given


def _resolve(words: list[str]) -> tuple[Command, list[str]]:
    if not words:
        raise invalid("no command given; see `noxinfluencer schema --all`")
    for size in range(min(_LONGEST_NAME, len(words)), 0, -1):
        command = BY_NAME.get(" ".join(words[:size]))
        if command is not None:
            return command, words[size:]
    raise invalid(f"unknown command '{' '.join(words[:2])}'; see `noxinfluencer schema --all`")


def _check_value(name: str, flag: Flag, raw: str | bool) -> None:
    if flag.type == "boolean":
        return
    assert isinstance(raw, str)
    if not raw.strip():
        raise invalid(f"option '{name}' needs a non-empty value")
    if flag.type == "integer":
        if not re.fullmatch(r"-?\d+", raw):
            raise invalid(f"option '{name}' must be an integer (got {raw!r})")
        number = int(raw)
        if flag.minimum is not None and number < flag.minimum:
            raise invalid(f"option '{name}' must be at least {flag.minimum} (got {number})")
        if flag.maximum is not None and number > flag.maximum:
            raise invalid(f"option '{name}' must be at most {flag.maximum} (got {number})")
    if flag.choices and raw not in flag.choices:
        raise invalid(f"option '{name}' must be one of {', '.join(flag.choices)} (got {raw!r})")
    if flag.csv:
        items = raw.split(",")
        if any(not item.strip() for item in items):
            raise invalid(f"option '{name}' is a comma-separated list with no empty items (got {raw!r})")
        if name == "--project_ids":
            bad = [item for item in items if not _PROJECT_ID.match(item)]
            if bad:
                raise invalid(f"--project_ids items are <kind>:<id>, e.g. email_task:1829 (got {', '.join(bad)})")


def _list_rules(flags: Mapping[str, str | bool]) -> None:
    """``message list``'s rules between options (nox-cli.md)."""
    kind, ident = "--business_kind" in flags, "--business_id" in flags
    if kind != ident:
        raise invalid("--business_kind and --business_id go together")
    if "--project_ids" in flags and kind:
        raise invalid("--project_ids cannot be combined with --business_kind/--business_id")
    if flags.get("--status") in ("draft", "scheduled") and not kind:
        raise invalid(f"--status {flags['--status']} needs --business_kind and --business_id")


def parse(argv: list[str]) -> Invocation:
    """The invocation ``argv`` asks for, or ``CliError`` (exit 2) saying what is wrong."""
    words, given = _split(argv)
    command, positionals = _resolve(words)
    own: dict[str, str | bool] = {}
    for name, raw in given.items():
        flag = command.flags.get(name) or GLOBAL_FLAGS.get(name)
        if flag is None:
            raise invalid(f"unknown option '{name}' for `{command.name}`")
        _check_value(name, flag, raw)
        if name not in GLOBAL_FLAGS:
            own[name] = raw
    for name, flag in command.flags.items():
        if flag.required and name not in own:
            raise invalid(f"`{command.name}` needs {name}")
    invocation = Invocation(
        command, flags=own, trace=given.get("--trace-json") is True, lang=str(given.get("--lang", "en"))
    )
    if command.name == "schema":
        if positionals and "--all" in own:
            raise invalid("`schema` takes a command or --all, not both")
        if not positionals and "--all" not in own:
            raise invalid('`schema` needs a command (schema "message list") or --all')
        invocation.schema_target = " ".join(positionals) if positionals else None
        return invocation
    if len(positionals) < len(command.args):
        missing = command.args[len(positionals)]
        raise invalid(f"`{command.name}` needs <{missing}>")
    if len(positionals) > len(command.args):
        raise invalid(f"unexpected argument '{positionals[len(command.args)]}' for `{command.name}`")
    for name, value in zip(command.args, positionals, strict=True):
        if not value.strip():
            raise invalid(f"<{name}> must not be empty")
        invocation.args[name] = value
    if command.name == "message list":
        _list_rules(own)
    return invocation
