"""Turn command-line intent (demo or a profile) into a running app with its provider.

Kept apart from ``cli.py`` so the argument parser stays import-light and so tests can build the
same provider the app would get. The start is in two steps (``noxtui.startup``): ``launch`` reads
only what the first frame needs, and ``_prepare`` (settings, token, sandbox, providers) runs in a
thread of the app once the cached list is on screen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from typing import TYPE_CHECKING, Any

from noxtui.domain.target import Target, base_url_problem, token_problem
from noxtui.logging_setup import configure_logging, redact, register_secret, report_crash
from noxtui.paths import Paths, make_private_dir
from noxtui.startup import LaunchError, Prepared, Startup, peek_config

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from noxtui.providers.base import Provider
    from noxtui.storage.settings import Settings
    from noxtui.tui.app import NoxTUI

__all__ = ["LaunchError", "Target", "launch", "open_app", "resolve_target", "startup_for"]


DEMO_ACCOUNT = "http://127.0.0.1/noxtui-demo"
"""What the demo's cache rows and local drafts are keyed by (in place of the base URL). Its sandbox
listens on a new port at every start; keyed by that URL, each start would forget the last one's
cache (no list in the first frame) and its unsent drafts."""


CLI_ACCOUNT = "cli:noxinfluencer"
"""What a ``cli`` profile's cache rows and local drafts are keyed by: the vendor tool holds the
account, so there is no base URL of ours to key them by."""


def _to_stderr(message: str) -> None:
    print(f"noxtui: {message}", file=sys.stderr)


def resolve_target(
    settings: Settings,
    profile: str | None,
    *,
    insecure: bool,
    warn: Callable[[str], None] = _to_stderr,
    config_dir: Path | None = None,
) -> Target:
    """Pick base URL and token for a real profile; refuse clearly when there is no token.
    ``config_dir``: where ``login`` may have kept the token in a 0600 file (no keyring)."""
    from noxtui.storage.settings import TOKEN_ENV, ConfigError, TokenUnavailable, read_token

    name = profile or settings.default_profile
    try:
        prof = settings.profile(name)
    except ConfigError as exc:
        raise LaunchError(str(exc)) from None
    if prof.provider == "cli":  # the vendor's tool holds the account: noxtui never sees its credentials
        return Target(
            "cli",
            CLI_ACCOUNT,
            "",
            True,
            name,
            prof.default_sender,
            cli_path=prof.cli_path,
            cli_timeout=prof.cli_timeout,
        )
    try:
        token = read_token(name, config_dir).strip()
    except TokenUnavailable as exc:
        raise LaunchError(str(exc)) from None
    # Registered the moment it is read: from here on no log record can carry the token.
    register_secret(token)
    problem = token_problem(token)
    if problem is not None:  # refused here, before httpx fails with the whole header in its message
        raise LaunchError(
            f"The token for profile {name!r} cannot be used: {problem}. It was probably copied with an "
            f"invisible character; store it again with `noxtui login --profile {name}` (or fix {TOKEN_ENV})."
        )
    problem = base_url_problem(prof.base_url)
    if problem is not None:  # the settings model checks it too; a Settings built in code may not have
        raise LaunchError(f"Profile {name!r}: the base URL cannot be used: {problem}.")
    skip_verify = insecure or prof.insecure_skip_tls_verify
    if skip_verify:
        warn(
            "WARNING: TLS certificate verification is OFF for this session; "
            "anyone on the network path can read your token and messages."
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


def launch(*, demo: bool, profile: str | None, insecure: bool = False, demo_provider: str = "nox") -> int:
    """Run the TUI until the rep quits; returns the process exit code."""
    paths = Paths.default()
    _start_logging(paths)

    try:
        with ExitStack() as stack:
            startup = startup_for(
                paths, stack, demo=demo, profile=profile, insecure=insecure, demo_provider=demo_provider
            )
            app = open_app(startup, demo=demo)
            app.run()
    except Exception as exc:  # outside the app's own guard (building it, closing the demo): same rule
        print(report_crash(exc, where="launch"), file=sys.stderr)
        return 1
    if app.startup_error is not None:
        raise app.startup_error
    return app.return_code or 0


def open_app(
    startup: Startup, *, demo: bool = False, now: Callable[[], datetime] | None = None, **options: Any
) -> NoxTUI:
    """The app for ``startup``, with the cached inbox on screen before Textual is even imported.

    The early frame (``noxtui.prepaint``) is painted and takes its keys while Textual and the app
    load here; then the app starts where the rep got to, its driver taking the terminal over
    without clearing it (``noxtui.tui.handover``). ``now`` and ``options`` (the bench's fixed
    clock, ``persist_settings``) go to the early frame and the app.
    """
    from noxtui.prepaint import begin

    early = begin(startup, demo=demo, now=now)
    try:
        from noxtui.tui.app import NoxTUI
        from noxtui.tui.handover import handover_driver

        if early is not None:
            startup.early = early.finish()
        app = NoxTUI(startup=startup, clock=now, **options)
    except BaseException:
        if early is not None:  # the terminal back as it was: the error is printed on the shell's screen
            early.abandon()
        raise
    if startup.early is not None:
        app.driver_class = handover_driver(startup.early)
    return app


def startup_for(
    paths: Paths,
    stack: ExitStack,
    *,
    demo: bool,
    profile: str | None,
    insecure: bool = False,
    demo_provider: str = "nox",
) -> Startup:
    """The command line's start: the first frame's facts from a peek at the config file, the rest
    (settings, token, sandbox, providers) in ``prepare``; what ``prepare`` opens closes with ``stack``.
    ``demo_provider``: ``cli`` runs the demo workspace through the project's fake vendor tool."""
    peek = peek_config(paths, profile)
    prepare = partial(
        _prepare, paths, stack, demo=demo, profile=profile, insecure=insecure, demo_provider=demo_provider
    )
    if demo:
        return Startup(
            paths,
            "demo",
            prepare,
            theme=peek.theme,
            provider_name=demo_provider,
            base_url=DEMO_ACCOUNT,
            keymap=peek.keymap,
            scroll=peek.scroll,
        )
    return Startup(
        paths,
        peek.profile,
        prepare,
        theme=peek.theme,
        provider_name=peek.provider,
        base_url=CLI_ACCOUNT if peek.provider == "cli" else peek.base_url,
        keymap=peek.keymap,
        scroll=peek.scroll,
    )


def _prepare(
    paths: Paths, stack: ExitStack, *, demo: bool, profile: str | None, insecure: bool, demo_provider: str = "nox"
) -> Prepared:
    """The slow half of a start (runs in the app's start-up thread): settings, token, providers."""
    from noxtui.storage.settings import ConfigError, load_settings

    try:
        settings = load_settings(paths)
    except ConfigError as exc:
        raise LaunchError(str(exc)) from None
    warnings: list[str] = []
    alternates: list[Target] = []
    account = None
    if demo:
        from noxtui.sandbox import DEFAULT_TOKEN
        from noxtui.sandbox.server import SandboxServer

        make_private_dir(paths.data_dir)
        server = stack.enter_context(SandboxServer(paths.demo_db, port=0, token=DEFAULT_TOKEN))
        register_secret(DEFAULT_TOKEN)
        target = Target("nox", server.base_url, DEFAULT_TOKEN, True, "demo")
        if demo_provider == "cli":
            target = _demo_cli_target(paths, server.base_url, DEFAULT_TOKEN)
        # The demo shows both workspaces; A (or the palette) switches between them.
        alternates.append(Target("inbox", f"{server.root_url}/inbox/api/v1", DEFAULT_TOKEN, True, "demo"))
        account = DEMO_ACCOUNT
    elif profile is None and not _profiles_configured(paths) and _vendor_tool_found():
        # No profile yet, and the vendor's tool is installed: a rep's real account is one step away.
        target = Target("cli", CLI_ACCOUNT, "", True, "default")
    else:
        target = resolve_target(settings, profile, insecure=insecure, warn=warnings.append, config_dir=paths.config_dir)
    return Prepared(
        settings=settings,
        provider=_cli_provider(target, paths, warnings) if target.provider == "cli" else _provider_for(target),
        base_url=account or target.base_url,
        label=target.label,
        alternates=[(_provider_for(alternate), account or alternate.base_url) for alternate in alternates],
        default_sender=target.default_sender,
        warnings=warnings,
    )


def _profiles_configured(paths: Paths) -> bool:
    """Whether the config file names any profile (``[profiles]``); a missing or odd file names none."""
    import tomllib

    try:
        raw = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return bool(raw.get("profiles"))


def _vendor_tool_found() -> bool:
    from noxtui.providers.nox_cli.discovery import resolve_tool

    return resolve_tool() is not None


def _cli_provider(target: Target, paths: Paths, warnings: list[str]) -> Provider:
    """The vendor-CLI provider; its probe (version, login, schema) says what to do when it fails,
    and a schema it could not read (the documented filters are used instead) is said at start."""
    from noxtui.tui.bootstrap import build_cli_provider

    return build_cli_provider(target, paths.cache_dir, warn=warnings.append)


def _demo_cli_target(paths: Paths, base_url: str, token: str) -> Target:
    """The demo through the project's fake vendor tool, logged in to the demo sandbox.

    The fake reads where the sandbox is from its environment, which the tool processes inherit.
    """
    import os
    import shlex

    from noxtui.sandbox.nox_cli import fake_cli_command, fake_cli_env

    home = paths.data_dir / "fake-noxinfluencer"
    make_private_dir(home)
    os.environ.update(fake_cli_env(base_url, home, token))
    return Target("cli", DEMO_ACCOUNT, "", True, "demo", cli_path=shlex.join(fake_cli_command()))


def _provider_for(target: Target) -> Provider:
    """``build_provider``, with what the HTTP library refuses in the URL said as a start-up problem.

    ``base_url_problem`` catches what a URL parser sees; httpx looks further (an IDNA host such as
    ``xn--`` that does not decode) and would otherwise fail inside the start with the token among
    its frames' locals.
    """
    import httpx

    from noxtui.tui.bootstrap import build_provider

    try:
        return build_provider(target)
    except (ValueError, httpx.InvalidURL) as exc:
        reason = redact(str(exc), extra=[target.token])
        raise LaunchError(f"Profile {target.label!r}: the base URL cannot be used: {reason}.") from None
