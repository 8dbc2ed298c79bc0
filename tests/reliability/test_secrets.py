"""Secrets kept: the token never reaches a log, an error, a screenshot, a config file or a snapshot;
files noxtui writes are private; TLS verification is on unless the rep turns it off out loud.

The session test runs the real client and the real app with a distinctive token against the
sandbox, provokes errors on purpose (401, 500, dropped connection, a 422 that echoes the token), and
then scans every artefact the session left behind.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import ssl
import stat
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from noxtui.cli import build_parser
from noxtui.domain.errors import (
    AuthError,
    NoxError,
    ServerError,
    TransportError,
    ValidationError,
)
from noxtui.domain.models import ThreadQuery
from noxtui.launch import resolve_target
from noxtui.logging_setup import (
    REDACTED,
    configure_logging,
    forget_secrets,
    redact,
    register_secret,
    reset_logging,
)
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import SandboxServer
from noxtui.storage.settings import (
    DEFAULT_PRODUCTION_URL,
    TOKEN_ENV,
    Paths,
    Profile,
    Settings,
    save_settings,
)
from noxtui.tui.app import NoxTUI
from noxtui.tui.bootstrap import build_provider
from tests.reliability.support import SECRET_TOKEN, SENDER, fast_client, tmp_paths
from tests.sandbox_support import SANDBOX_NOW
from tests.tui.support import list_loaded, record_notifications, wait_for

pytestmark = pytest.mark.reliability

TESTS_DIR = Path(__file__).resolve().parents[1]
WRONG_TOKEN = "tok_WRONG_0987654321"


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def error_texts(error: BaseException) -> list[str]:
    """Everything a crash report, a log line or a toast could show of ``error``, causes included."""
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    if isinstance(error, NoxError):
        texts += [error.message, error.title, repr(error.fields), repr(error.data), str(error.hint_url)]
    return texts


@pytest.fixture
def clean_logging() -> Iterator[None]:
    yield
    reset_logging()
    forget_secrets()


@pytest.fixture
def session_env(tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """A profile pointing at the sandbox, the token in the environment, every folder under tmp."""
    monkeypatch.setenv("NOXTUI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(TOKEN_ENV, SECRET_TOKEN)
    return Paths.default()


# --- the session ---------------------------------------------------------------------------------


async def test_a_session_with_errors_leaves_the_token_nowhere(
    sandbox: SandboxServer, session_env: Paths, tmp_path: Path, clean_logging: None
) -> None:
    paths = session_env
    configure_logging(paths)
    settings = Settings(profiles={"default": Profile(base_url=sandbox.base_url, default_sender=SENDER)})
    config_file = save_settings(settings, paths)
    target = resolve_target(settings, None, insecure=False)  # reads NOXTUI_TOKEN, registers it
    assert target.token == SECRET_TOKEN and target.verify_tls

    errors: list[BaseException] = []
    async with fast_client(sandbox, target.token) as client:
        thread_id = (await client.list_threads(ThreadQuery(), page_size=5)).threads[0].thread_id
        for rule, call, expected in [
            (
                {"method": "GET", "path": r"/messages/threads$", "status": 401},
                client.list_threads(ThreadQuery()),
                AuthError,
            ),
            ({"method": "PUT", "path": r"/labels$", "status": 500}, client.set_labels(thread_id, []), ServerError),
            (
                {"method": "GET", "path": r"/threads/[^/]+$", "mode": "drop_before"},
                client.get_thread(thread_id),
                TransportError,
            ),
            # A token pasted into the wrong field: the server's 422 quotes it back.
            ({}, client.send(thread_id, "hi", SECRET_TOKEN), ValidationError),
        ]:
            sandbox.faults.set_rules([rule] if rule else [])
            with pytest.raises(NoxError) as raised:
                await call
            assert isinstance(raised.value, expected)
            errors.append(raised.value)
        sandbox.faults.clear()
    async with NoxClient(sandbox.base_url, WRONG_TOKEN, backoff=0.01) as wrong:
        register_secret(WRONG_TOKEN)  # a wrong token is still the rep's secret
        with pytest.raises(AuthError) as raised:
            await wrong.auth_status()
        errors.append(raised.value)

    # Deliberately hostile log records: every path a token could take into the file.
    log = logging.getLogger("noxtui.test")
    log.warning("request headers: %s", {"Authorization": f"Bearer {SECRET_TOKEN}", "Accept": "application/json"})
    log.warning("curl -H 'Authorization: Bearer %s' %s", SECRET_TOKEN, sandbox.base_url)
    logging.getLogger("third.party").warning("retrying with token=%s", SECRET_TOKEN)
    try:
        raise RuntimeError(f"upstream refused Bearer {SECRET_TOKEN} for {WRONG_TOKEN}")
    except RuntimeError:
        log.exception("while talking to the server")

    # The app: an error notification on screen, a screenshot saved, the theme saved to the config.
    app = NoxTUI(
        provider=NoxProvider(fast_client(sandbox, target.token, timeout=5.0), clock=lambda: SANDBOX_NOW),
        settings=settings,
        paths=paths,
        clock=lambda: SANDBOX_NOW,
        label="secrets",
        persist_settings=True,
    )
    shot_dir = tmp_path / "shots"
    shot_dir.mkdir()
    sandbox.faults.set_rules([{"method": "GET", "path": r"/messages/threads$", "status": 401, "times": 1}])
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:  # toasts drawn, as for the rep
        await wait_for(pilot, lambda: any(n.severity == "error" for n in notes))
        await wait_for(pilot, lambda: bool(app.screen.query("Toast")))
        toast = next(n for n in notes if n.severity == "error")
        assert "log in" in toast.message.lower()
        shot = Path(app.save_screenshot(path=str(shot_dir)))
        sandbox.faults.clear()
        await pilot.press("r")
        await list_loaded(pilot)
        app.action_cycle_theme()  # persists the theme through save_settings
        await pilot.pause()
    reset_logging()  # flush and close the file

    for error in errors:
        for text in error_texts(error):
            assert SECRET_TOKEN not in text and WRONG_TOKEN not in text, text
    log_text = paths.log_file.read_text(encoding="utf-8")
    assert "-> 401" in log_text, "the client's request lines reach the log"
    assert any(fault in log_text for fault in ("RemoteProtocolError", "ReadError")), "and so do its retries"
    assert REDACTED in log_text
    assert "Authorization': '***'" in log_text and "Bearer ***" in log_text
    shot_text = shot.read_text(encoding="utf-8")
    assert toast.title.replace(" ", "&#160;") in shot_text, "the screenshot shows the error notification"
    assert config_file.read_text(encoding="utf-8")
    scanned = [paths.log_file, shot, config_file]
    scanned += [p for p in (tmp_path / "home").rglob("*") if p.is_file()]
    scanned += [p for p in TESTS_DIR.rglob("*") if p.is_file() and "__snapshots__" in p.parts]
    for path in scanned:
        data = path.read_bytes()
        assert SECRET_TOKEN.encode() not in data, f"the token leaked into {path}"
        assert WRONG_TOKEN.encode() not in data, f"the wrong token leaked into {path}"
    # (c) everything noxtui wrote for this session (config, log, cache, local drafts) is owner-only.
    written = [p for p in (tmp_path / "home").rglob("*") if p.is_file()]
    assert config_file in written and paths.log_file in written
    loose = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in written if not private(p)}
    assert not loose, f"files readable by other users: {loose}"


# --- logging, unit-sized -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: Bearer {SECRET_TOKEN}",
        f"{{'authorization': 'Bearer {SECRET_TOKEN}', 'accept': 'json'}}",
        f'{{"Authorization": "Bearer {SECRET_TOKEN}"}}',
        f"authorization={SECRET_TOKEN}",
        f"bearer {SECRET_TOKEN}",
        f"token is {SECRET_TOKEN}.",
    ],
)
def test_redact_masks_every_form(text: str, clean_logging: None) -> None:
    register_secret(SECRET_TOKEN)
    assert SECRET_TOKEN not in redact(text)
    assert REDACTED in redact(text)


def test_an_unregistered_bearer_token_is_still_masked() -> None:
    assert redact("GET /x Authorization: Bearer abc.def-123") == "GET /x Authorization: ***"
    assert redact("sent Bearer abc.def-123 upstream") == "sent Bearer *** upstream"
    assert redact("Authorization failed: log in again") == "Authorization failed: log in again"


def test_the_log_file_and_its_rotations_are_private_even_under_a_loose_umask(
    tmp_path: Path, clean_logging: None
) -> None:
    paths = tmp_paths(tmp_path)
    old = os.umask(0o000)
    try:
        handler = configure_logging(paths)
        logging.getLogger("noxtui.test").warning("first")
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        handler.doRollover()
        logging.getLogger("noxtui.test").warning("second")
    finally:
        os.umask(old)
    files = sorted(paths.state_dir.glob("noxtui.log*"))
    assert len(files) == 2
    assert all(private(f) for f in files), [oct(f.stat().st_mode) for f in files]
    configure_logging(paths)  # again: replaces, does not duplicate
    assert sum(1 for h in logging.getLogger().handlers if h.get_name() == "noxtui-file") == 1


def test_config_is_written_private(tmp_path: Path) -> None:
    paths = tmp_paths(tmp_path)
    old = os.umask(0o000)
    try:
        written = save_settings(Settings(), paths)
    finally:
        os.umask(old)
    assert private(written)
    assert "token" not in written.read_text(encoding="utf-8").lower()


# --- TLS -----------------------------------------------------------------------------------------


def _ssl_context(provider: NoxProvider) -> ssl.SSLContext:
    context = provider.client.http.ssl_context
    assert context is not None, "a real network transport, not a test stand-in"
    assert provider.client.http.verify_tls is (context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname)
    return context


@pytest.mark.parametrize(
    ("flag", "profile_flag", "verified"),
    [(False, False, True), (True, False, False), (False, True, False), (True, True, False)],
)
async def test_tls_verification_is_off_only_when_asked_and_then_it_warns(
    flag: bool,
    profile_flag: bool,
    verified: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    clean_logging: None,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, SECRET_TOKEN)
    settings = Settings(profiles={"default": Profile(insecure_skip_tls_verify=profile_flag)})
    target = resolve_target(settings, None, insecure=flag)
    warning = capsys.readouterr().err
    assert target.verify_tls is verified
    assert ("TLS certificate verification is OFF" in warning) is (not verified)
    assert SECRET_TOKEN not in warning
    provider = build_provider(target)
    try:
        context = _ssl_context(provider)  # type: ignore[arg-type]
        if verified:
            assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        else:
            assert context.verify_mode == ssl.CERT_NONE
    finally:
        await provider.aclose()


def test_verification_is_the_default_everywhere() -> None:
    assert DEFAULT_PRODUCTION_URL.startswith("https://")
    assert Profile().insecure_skip_tls_verify is False
    assert build_parser().parse_args([]).insecure_skip_tls_verify is False
    assert build_parser().parse_args(["--insecure-skip-tls-verify"]).insecure_skip_tls_verify is True
    client = NoxClient("https://nox.invalid/v1", SECRET_TOKEN)
    assert client.http.ssl_context is not None and client.http.ssl_context.verify_mode == ssl.CERT_REQUIRED
    assert client.http.verify_tls
    assert SECRET_TOKEN not in repr(client)


def test_launch_logs_to_the_state_dir_and_survives_an_unwritable_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_logging: None
) -> None:
    from noxtui.launch import _start_logging

    paths = tmp_paths(tmp_path / "ok")
    _start_logging(paths)
    logging.getLogger("noxtui.api").warning("GET /x -> ReadError")
    reset_logging()
    assert "ReadError" in paths.log_file.read_text(encoding="utf-8") and private(paths.log_file)

    blocked = tmp_paths(tmp_path / "blocked")
    blocked.state_dir.parent.mkdir(parents=True)
    blocked.state_dir.write_text("not a folder")  # the log cannot be created: the session still starts
    quiet = logging.getLogger("noxtui")
    _start_logging(blocked)
    assert "not logging to" in capsys.readouterr().err
    # ... and warnings cannot fall through to stderr (the TUI's screen) instead.
    nulls = [h for h in quiet.handlers if isinstance(h, logging.NullHandler)]
    assert nulls
    for handler in nulls:
        quiet.removeHandler(handler)
