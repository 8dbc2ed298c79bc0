"""The ``noxtui`` command.

Imports are lazy on purpose: start-up time is a product feature (see bench/), and ``noxtui sandbox
serve`` should not pay for Textual, nor the TUI for Starlette unless it runs the demo.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

DEMO_HINT = "Try the app without an account: noxtui --demo"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noxtui",
        description="Keyboard-driven terminal inbox for creator-outreach message threads.",
    )
    parser.add_argument("--demo", action="store_true", help="open the embedded sandbox demo workspace")
    parser.add_argument("--profile", default=None, help="config profile to use (default: the configured default)")
    parser.add_argument(
        "--insecure-skip-tls-verify",
        action="store_true",
        help="DANGEROUS: do not verify the server's TLS certificate (prints a warning)",
    )
    sub = parser.add_subparsers(dest="command")

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
    return _run_tui(args)


def _sandbox_serve(args: argparse.Namespace) -> int:
    from noxtui.config import Paths
    from noxtui.sandbox import DEFAULT_TOKEN
    from noxtui.sandbox.server import SandboxRefused, serve_forever

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
    from noxtui.launch import LaunchError, launch

    try:
        return launch(demo=args.demo, profile=args.profile, insecure=args.insecure_skip_tls_verify)
    except LaunchError as exc:
        print(f"noxtui: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
