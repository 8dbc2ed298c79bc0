"""The ``noxtui`` command.

Imports are lazy on purpose: start-up time is a product feature (see bench/), and ``noxtui sandbox
serve`` should not pay for Textual, nor the TUI for Starlette unless it runs the demo.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from noxtui.paths import Paths
    from noxtui.services.accounts import Check

DEMO_HINT = "Try the app without an account: noxtui --demo"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noxtui",
        description="Keyboard-driven terminal inbox for creator-outreach message threads.",
    )
    parser.add_argument("--demo", action="store_true", help="open the embedded sandbox demo workspace")
    parser.add_argument("--profile", default=None, help="config profile to use (default: the configured default)")
    parser.add_argument(
        "--provider",
        choices=["nox", "cli"],
        default="nox",
        help="with --demo: cli runs the demo through the project's fake NoxInfluencer tool (the real route)",
    )
    parser.add_argument(
        "--insecure-skip-tls-verify",
        action="store_true",
        help="DANGEROUS: do not verify the server's TLS certificate (prints a warning)",
    )
    sub = parser.add_subparsers(dest="command")
    # `noxtui login --profile work` reads better than `noxtui --profile work login`; accept both.
    profile_opt = argparse.ArgumentParser(add_help=False)
    profile_opt.add_argument("--profile", default=argparse.SUPPRESS, help="config profile to use")

    login = sub.add_parser(
        "login", parents=[profile_opt], help="check a token against the server and store it in the OS keyring"
    )
    login.add_argument("--base-url", default=None, help="the profile's API base URL (saved in the config file)")
    login.add_argument(
        "--provider",
        choices=["nox", "inbox", "cli"],
        default=None,
        help="backend of this profile; cli hands the terminal to `noxinfluencer login` (your real account)",
    )
    login.add_argument("--cli-path", default=None, help="with --provider cli: the noxinfluencer tool to run")
    login.add_argument("--token-stdin", action="store_true", help="read the token from stdin instead of a prompt")
    login.add_argument(
        "--token-file",
        action="store_true",
        help="without an OS keyring, keep the token in a 0600 file in the config folder (asked otherwise)",
    )
    sub.add_parser("logout", parents=[profile_opt], help="remove the profile's token from the OS keyring")
    doctor_help = "check config, token, server, cache and keymap; non-zero exit when a check fails"
    sub.add_parser("doctor", parents=[profile_opt], help=doctor_help)
    web_help = "serve the app in a browser on loopback (textual-serve)"
    web = sub.add_parser("serve-web", parents=[profile_opt], help=web_help)
    web.add_argument("--port", type=int, default=8000)
    web.add_argument("--demo", action="store_true", dest="web_demo", help="serve the demo workspace")

    sandbox = sub.add_parser("sandbox", help="the local sandbox service that speaks the NoxInfluencer contract")
    sandbox_sub = sandbox.add_subparsers(dest="sandbox_command", required=True)
    serve = sandbox_sub.add_parser("serve", help="serve the sandbox over HTTP (loopback by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8787)
    serve.add_argument("--db", type=Path, default=None, help="SQLite file (default: the demo workspace)")
    serve.add_argument("--threads", type=int, default=300, help="threads to seed into an empty database")
    serve.add_argument("--seed", type=int, default=7, help="seed of the deterministic demo generator")
    serve.add_argument("--token", default=None, help="bearer token the sandbox accepts (default: noxtui-sandbox)")
    serve.add_argument("--reset", action="store_true", help="wipe and re-seed the database first")
    serve.add_argument("--allow-remote", action="store_true", help="allow binding a non-loopback address")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "sandbox":
        return _sandbox_serve(args)
    if args.command in ("login", "logout", "doctor"):
        return _account_command(args)
    if args.command == "serve-web":
        return _serve_web(args)
    return _run_tui(args)


def _account_command(args: argparse.Namespace) -> int:
    import asyncio

    from noxtui.services.accounts import AccountError, Check, doctor, login, logout
    from noxtui.storage.settings import ConfigError, Paths, load_settings

    paths = Paths.default()
    try:
        name = args.profile or load_settings(paths).default_profile
    except ConfigError as exc:
        if args.command != "doctor":
            print(f"noxtui: {exc}", file=sys.stderr)
            return 2
        name = args.profile or "default"
    try:
        if args.command == "login" and args.provider == "cli":
            from noxtui.services.cli_account import login_cli

            print(login_cli(name, paths, args.cli_path))
            return 0
        if args.command == "login":
            token = sys.stdin.readline() if args.token_stdin else _prompt_token()
            consent = _file_consent(args.token_file, asks=not args.token_stdin)
            print(
                asyncio.run(
                    login(
                        name, token, base_url=args.base_url, provider=args.provider, paths=paths, keep_in_file=consent
                    )
                )
            )
            return 0
        if args.command == "logout":
            print(logout(name, paths.config_dir))
            return 0
    except AccountError as exc:
        print(f"noxtui: {exc}", file=sys.stderr)
        return 1
    from noxtui.services.cli_account import cli_checks, tool_is_the_default

    if args.profile is None and tool_is_the_default(paths):
        no_profile = "No profile is configured, so noxtui opens NoxInfluencer through the `noxinfluencer` tool."
        checks = [Check("provider", True, no_profile)]
        checks += cli_checks(None, paths)
    else:
        checks = [*asyncio.run(doctor(args.profile, paths)), *_cli_tool_checks(args.profile, paths)]
    checks += _keymap_checks(paths)
    for check in checks:
        print(check.sentence if check.ok else f"Problem: {check.sentence}")
    return 0 if all(check.ok for check in checks) else 1


def _cli_tool_checks(profile: str | None, paths: Paths) -> list[Check]:
    """The vendor tool's checks, for a ``cli`` profile (or no profile at all: the tool is then the default)."""
    from noxtui.services.cli_account import cli_checks
    from noxtui.storage.settings import ConfigError, load_settings

    try:
        settings = load_settings(paths)
    except ConfigError:
        return []
    chosen = settings.profiles.get(profile or settings.default_profile)
    if chosen is not None and chosen.provider == "cli":
        return cli_checks(chosen.cli_path, paths)
    return []


def _keymap_checks(paths: Paths) -> list[Check]:
    """The ``[keymap]`` entries the app would skip, each with its reason; none without a keymap.

    Here, not in the services' ``doctor``: which binding ids exist is the UI's to know.
    """
    from noxtui.services.accounts import Check
    from noxtui.storage.settings import ConfigError, load_settings

    try:
        keymap = load_settings(paths).keymap
    except ConfigError:
        return []  # the config check has already failed, with the reason
    if not keymap:
        return []
    from noxtui.tui.app import NoxTUI  # noqa: F401 - its bindings are among the ids
    from noxtui.tui.bootstrap import load_ui_modules
    from noxtui.tui.keymap import check_keymap, loaded_binding_ids

    load_ui_modules()
    result = check_keymap(keymap, loaded_binding_ids())
    if not result.problems:
        count = len(result.keymap)
        return [Check("keymap", True, f"Your keymap changes {count} key binding{'s' if count != 1 else ''}.")]
    return [Check("keymap", False, _keymap_sentence(problem)) for problem in result.problems]


def _keymap_sentence(problem: str) -> str:
    said = problem.removeprefix("[keymap] ").replace("; entry ignored", "; noxtui ignores that entry")
    return f"In your keymap, {said}"


def _file_consent(agreed: bool, *, asks: bool) -> Callable[[Path], bool]:
    """Whether the token may go to a private file when there is no keyring: ``--token-file``, or a
    yes to the question (only asked at a terminal; a script must pass the flag)."""

    def consent(path: Path) -> bool:
        if agreed:
            return True
        if not asks or not sys.stdin.isatty():
            return False
        answer = input(f"This machine has no OS keyring. Keep the token in {path} (only you can read it)? [y/N] ")
        return answer.strip().lower() in ("y", "yes")

    return consent


def _prompt_token() -> str:
    import getpass

    return getpass.getpass("Token (input hidden): ")


def _serve_web(args: argparse.Namespace) -> int:
    from textual_serve.server import Server

    command = f"{sys.executable} -m noxtui" + (" --demo" if args.web_demo else "")
    if args.profile:
        command += f" --profile {args.profile}"
    print(f"noxtui: serving in the browser at http://127.0.0.1:{args.port} (loopback only); Ctrl-C stops")
    page = Path(__file__).parent / "web"  # noxtui's own page: local fonts, keys without a click
    Server(command, host="127.0.0.1", port=args.port, title="noxtui", templates_path=page).serve()
    return 0


def _sandbox_serve(args: argparse.Namespace) -> int:
    from noxtui.sandbox import DEFAULT_TOKEN
    from noxtui.sandbox.server import SandboxRefused, serve_forever
    from noxtui.storage.settings import Paths

    db = args.db or Paths.default().demo_db
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        serve_forever(
            db,
            host=args.host,
            port=args.port,
            token=args.token or DEFAULT_TOKEN,
            threads=args.threads,
            seed=args.seed,
            reset=args.reset,
            allow_remote=args.allow_remote,
        )
    except SandboxRefused as exc:
        print(f"noxtui sandbox: {exc}", file=sys.stderr)
        return 2
    return 0


def _run_tui(args: argparse.Namespace) -> int:
    from noxtui.startup import pause_gc, resume_gc

    pause_gc()  # until the inbox is up (the app resumes it): see startup.pause_gc
    try:
        from noxtui.launch import LaunchError, launch

        try:
            return launch(
                demo=args.demo,
                profile=args.profile,
                insecure=args.insecure_skip_tls_verify,
                demo_provider=args.provider,
            )
        except LaunchError as exc:
            print(f"noxtui: {exc}", file=sys.stderr)
            return 2
    finally:
        resume_gc()  # a start that never reached the inbox must not leave it off


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
