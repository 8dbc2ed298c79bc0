"""Entry point of ``noxtui-fake-noxinfluencer``: parse, maybe fail on purpose, run, log, exit.

Order of checks, as a strict tool does them: ``--version`` anywhere answers at once; then argv
(exit 2); then an injected fault (``harness.py``); then, for API commands, the sandbox URL (exit 1)
and the credentials (exit 3); then the body or file (exit 2); then the request.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from noxtui.sandbox.nox_cli.harness import Env, fire_fault, log_invocation
from noxtui.sandbox.nox_cli.output import ERROR, CliError, print_json

if TYPE_CHECKING:
    from noxtui.sandbox.nox_cli.argv import Invocation


def _run_local(env: Env, inv: Invocation) -> int:
    from noxtui.sandbox.nox_cli import accounts, diagnostics  # imported by the commands that use them

    name, trace, lang = inv.command.name, inv.trace, inv.lang
    if name == "auth status":
        return accounts.auth_status(env, trace=trace, lang=lang)
    if name == "auth logout":
        return accounts.auth_logout(env)
    if name == "auth":
        return accounts.auth_key_stdin(env, trace=trace, lang=lang)
    if name == "login":
        return accounts.login(env, trace=trace, lang=lang)
    if name == "login start":
        return accounts.login_start(env, lang=lang)
    if name == "login wait":
        return accounts.login_wait(env, inv.args["login_id"], trace=trace, lang=lang)
    if name == "doctor":
        return diagnostics.doctor(env, trace=trace, lang=lang)
    if name == "schema":
        return diagnostics.schema(env, inv.schema_target)
    if name == "agent exit-codes":
        return diagnostics.exit_codes()
    raise CliError(ERROR, f"`{name}` is not implemented")  # pragma: no cover - the table and this list agree


def run(env: Env, argv: list[str]) -> tuple[int, Invocation | None, str | None]:
    """(exit code, the parsed invocation if argv parsed, the idempotency key used)."""
    from noxtui.sandbox.nox_cli.argv import parse  # after the --version shortcut: it loads the table

    inv: Invocation | None = None
    key: str | None = None
    try:
        inv = parse(argv)
        key = inv.value("--idempotency-key")
        faulted = fire_fault(env, argv, inv.command.kind != "local")
        if faulted is not None:
            return faulted, inv, key
        if inv.command.kind == "local":
            return _run_local(env, inv), inv, key
        from noxtui.sandbox.nox_cli.api_commands import run_read, run_write

        if inv.command.kind == "read":
            return run_read(env, inv), inv, key
        code, key = run_write(env, inv)
        return code, inv, key
    except CliError as error:
        print_json(error.envelope())
        return error.exit_code, inv, key
    except Exception:  # a crash, as a real tool's: the stack on stderr, a bare line on stdout, exit 1
        import traceback

        traceback.print_exc()
        sys.stdout.write("Error: the fake noxinfluencer crashed (stack trace on stderr)\n")
        return ERROR, inv, key


def _wants_version(argv: list[str]) -> bool:
    """``--version`` anywhere before a ``--`` prints the version, whatever else is on the line."""
    for token in argv:
        if token == "--":
            return False
        if token == "--version":
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    env = Env.read(os.environ)
    if _wants_version(args):
        sys.stdout.write(env.version + "\n")
        log_invocation(env, args, force=False, idempotency_key=None, exit_code=0)
        return 0
    code, inv, key = run(env, args)
    log_invocation(env, args, force=bool(inv and inv.force), idempotency_key=key, exit_code=code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away; nothing left to tell it
        pass
    return code


def console() -> None:
    """The console script's target."""
    sys.exit(main())
