"""Turn command-line intent (demo or a profile) into a running app with its provider.

Kept apart from ``cli.py`` so the argument parser stays import-light and so tests can build the
same provider the app would get.
"""

from __future__ import annotations

import logging
import sys
from contextlib import ExitStack
from dataclasses import dataclass

from noxtui.config import ConfigError, Paths, Settings, TokenUnavailable, load_settings, read_token
from noxtui.logging_setup import configure_logging, register_secret


class LaunchError(Exception):
    """The app cannot start as asked; the message says what to do instead."""


@dataclass
class Target:
    """Where the provider talks to, and with which credentials (the token never leaves here)."""

    provider: str
    base_url: str
    token: str
    verify_tls: bool
    label: str
    default_sender: str | None = None


def resolve_target(settings: Settings, profile: str | None, *, insecure: bool) -> Target:
    """Pick base URL and token for a real profile; refuse clearly when there is no token."""
    name = profile or settings.default_profile
    try:
        prof = settings.profile(name)
    except ConfigError as exc:
        raise LaunchError(str(exc)) from None
    try:
        token = read_token(name)
    except TokenUnavailable as exc:
        raise LaunchError(str(exc)) from None
    # Registered the moment it is read: from here on no log record can carry the token.
    register_secret(token)
    skip_verify = insecure or prof.insecure_skip_tls_verify
    if skip_verify:
        print(
            "noxtui: WARNING: TLS certificate verification is OFF for this session; "
            "anyone on the network path can read your token and messages.",
            file=sys.stderr,
        )
    return Target(
        provider=prof.provider,
        base_url=prof.base_url,
        token=token,
        verify_tls=not skip_verify,
        label=name,
        default_sender=prof.default_sender,
    )


def _start_logging(paths: Paths) -> None:
    """File logging (0600, secrets redacted); a read-only state dir costs the log, not the session."""
    try:
        configure_logging(paths)
    except OSError as exc:
        print(f"noxtui: not logging to {paths.log_file}: {exc}", file=sys.stderr)
        # Without any handler, Python prints warnings to stderr, which is the TUI's screen.
        logging.getLogger("noxtui").addHandler(logging.NullHandler())


def launch(*, demo: bool, profile: str | None, insecure: bool = False) -> int:
    """Run the TUI until the rep quits; returns the process exit code."""
    paths = Paths.default()
    try:
        settings = load_settings(paths)
    except ConfigError as exc:
        raise LaunchError(str(exc)) from None
    _start_logging(paths)

    with ExitStack() as stack:
        if demo:
            from noxtui.sandbox import DEFAULT_TOKEN
            from noxtui.sandbox.server import SandboxServer

            paths.data_dir.mkdir(parents=True, exist_ok=True)
            server = stack.enter_context(SandboxServer(paths.demo_db, port=0, token=DEFAULT_TOKEN))
            target = Target("nox", server.base_url, DEFAULT_TOKEN, True, "demo")
            # The demo shows both workspaces; A (or the palette) switches between them.
            alternates = [Target("inbox", f"{server.root_url}/inbox/api/v1", DEFAULT_TOKEN, True, "demo")]
            register_secret(DEFAULT_TOKEN)
        else:
            target = resolve_target(settings, profile, insecure=insecure)
            alternates = []

        from noxtui.tui.app import NoxTUI

        app = NoxTUI(target=target, settings=settings, paths=paths, alternates=alternates)
        app.run()
        return app.return_code or 0
