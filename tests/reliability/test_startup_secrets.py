"""A start that fails never shows the token: not on screen, not on stderr, not in the log.

Each case runs the real command (``python -m noxtui``) in a pseudo-terminal, so what the test reads
is what the rep's terminal received (stdout and stderr), and then reads the log file. Before the fix
a token pasted with a zero-width space, or a host httpx refuses, reached Textual's crash screen,
which prints every frame's local variables: the token (ten times), the ``Target`` and the headers.

The crash screen itself is tested in-process: a ``prepare`` that fails with the token in its
locals and in its message, and a crash after start-up from a key handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from noxtui.domain.target import Target
from noxtui.logging_setup import configure_logging, forget_secrets, redact, register_secret, reset_logging
from noxtui.paths import Paths
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import SandboxServer
from noxtui.startup import Prepared, Startup
from noxtui.storage.settings import Settings
from noxtui.tui.app import NoxTUI
from tests.reliability.support import SECRET_TOKEN, fast_client
from tests.reliability.terminal import run_in_terminal
from tests.sandbox_support import SANDBOX_NOW

pytestmark = pytest.mark.reliability

ZERO_WIDTH_SPACE = "\u200b"
# Rich folds long strings across lines inside its boxes, so a scan for the whole token could miss a
# leak split in two: any of these pieces on screen, on stderr or in the log is a leak.
PIECES = ("SECRET", "1234567890", SECRET_TOKEN[:8])


def leaks(text: str) -> list[str]:
    return [piece for piece in PIECES if piece in text]


def write_config(home: Path, text: str | bytes) -> Path:
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(text.encode() if isinstance(text, str) else text)
    return config


def profile(base_url: str) -> str:
    return f'[profiles.default]\nbase_url = "{base_url}"\n'


# (token, config file contents or None, what stderr must say)
FAILED_STARTS = {
    "token ends in a zero-width space": (SECRET_TOKEN + ZERO_WIDTH_SPACE, None, "U+200B ZERO WIDTH SPACE"),
    "token with a no-break space inside": (SECRET_TOKEN[:8] + "\u00a0" + SECRET_TOKEN[8:], None, "NO-BREAK SPACE"),
    "token with a letter from another script": (SECRET_TOKEN.replace("o", "\u043e"), None, "CYRILLIC SMALL LETTER O"),
    "token with a space inside": (SECRET_TOKEN[:6] + " " + SECRET_TOKEN[6:], None, "U+0020 SPACE"),
    "base_url without a scheme": (SECRET_TOKEN, profile("api.noxinfluencer.com/v1"), "has no scheme"),
    "base_url with a ftp scheme": (SECRET_TOKEN, profile("ftp://api.example.com/v1"), "scheme is 'ftp'"),
    "base_url with a port out of range": (SECRET_TOKEN, profile("https://api.example.com:99999/v1"), "Port"),
    "base_url whose host httpx refuses": (SECRET_TOKEN, profile("https://xn--/v1"), "base URL cannot be used"),
    "base_url with the token in it": (SECRET_TOKEN, profile(f"https://rep:{SECRET_TOKEN}@x.example/v1"), "password"),
    "config file not UTF-8": (SECRET_TOKEN, b'theme = "\xff\xfe"\n', "is not UTF-8 text"),
    "config file not TOML": (SECRET_TOKEN, "[profiles.default\n", "is not valid TOML"),
    "unknown key in the config": (SECRET_TOKEN, "token = 'x'\n", "not a valid noxtui config"),
    "no token at all": ("", None, "NOXTUI_TOKEN"),
}


@pytest.mark.parametrize("case", list(FAILED_STARTS))
def test_a_failed_start_says_why_and_shows_no_token(case: str, tmp_path: Path) -> None:
    token, config, reason = FAILED_STARTS[case]
    home = tmp_path / "home"
    if config is not None:
        write_config(home, config)
    screen, code = run_in_terminal(home, token)
    log = (home / "state" / "noxtui.log").read_text("utf-8", "replace") if (home / "state").exists() else ""

    assert code == 2, f"{case}: exit code {code}\n{screen[-2000:]}"
    assert reason in screen, f"{case}: the terminal does not say why:\n{screen[-2000:]}"
    assert "Traceback" not in screen and "locals" not in screen
    for where, text in (("the terminal (stdout and stderr)", screen), ("the log", log)):
        assert not leaks(text), f"{case}: the token reached {where}: {leaks(text)}"


def test_an_unknown_profile_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_config(home, profile("https://api.example.com/v1"))
    screen, code = run_in_terminal(home, SECRET_TOKEN + ZERO_WIDTH_SPACE, "--profile", "nope")
    assert code == 2 and "No profile named 'nope'" in screen, screen[-2000:]
    assert not leaks(screen)


def test_a_directory_at_the_config_path_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config" / "config.toml").mkdir(parents=True)
    screen, code = run_in_terminal(home, SECRET_TOKEN)
    assert code == 2 and "config.toml is a folder" in screen, screen[-2000:]
    assert not leaks(screen)


# --- the crash screen, in-process ----------------------------------------------------------------


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Paths]:
    paths = Paths(tmp_path / "config", tmp_path / "data", tmp_path / "cache", tmp_path / "state")
    configure_logging(paths)
    register_secret(SECRET_TOKEN)
    yield paths
    reset_logging()
    forget_secrets()


def exploding_prepare() -> Prepared:
    """A bug deep in a start: the token, a ``Target`` and the headers are all in its locals."""
    target = Target("nox", "https://api.example.com/v1", SECRET_TOKEN + ZERO_WIDTH_SPACE, True, "default")
    headers = {"Authorization": f"Bearer {target.token}"}
    raise RuntimeError(f"provider exploded with {headers}")


def test_a_crash_during_start_prints_two_lines_and_the_log_path(
    logged: Paths, capfd: pytest.CaptureFixture[str]
) -> None:
    app = NoxTUI(startup=Startup(logged, "default", exploding_prepare))
    app.run(headless=True, size=(120, 40))
    _, stderr = capfd.readouterr()
    log = logged.log_file.read_text(encoding="utf-8")

    assert app.return_code == 1
    assert "noxtui stopped after an unexpected error (RuntimeError" in stderr
    assert str(logged.log_file) in stderr.replace("\n", "")
    assert "Traceback" not in stderr and "locals" not in stderr
    assert "RuntimeError" in log and "exploding_prepare" in log, "the log keeps the traceback"
    assert not leaks(stderr) and not leaks(log), (leaks(stderr), leaks(log))


async def test_a_crash_after_start_keeps_the_token_out_of_the_report(logged: Paths, sandbox: SandboxServer) -> None:
    """A failure in a key handler, with the token cut short in its message: report and log mask it."""

    class Exploding(NoxTUI):
        def action_help(self) -> None:
            cut = SECRET_TOKEN[:12]  # (the traceback in the log quotes the raising line: not this one)
            raise ValueError(f"header was Bearer {cut}… (cut)")

    app = Exploding(
        provider=NoxProvider(fast_client(sandbox), clock=lambda: SANDBOX_NOW),
        settings=Settings(),
        paths=logged,
        clock=lambda: SANDBOX_NOW,
        persist_settings=False,
    )
    with pytest.raises(ValueError):
        async with app.run_test() as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
    summary = app.crash_summary or ""
    assert summary.startswith("noxtui stopped after an unexpected error (ValueError: header was Bearer ***"), summary
    assert str(logged.log_file) in summary
    assert not leaks(summary) and not leaks(logged.log_file.read_text(encoding="utf-8"))


def test_masking_finds_a_prefix_an_escaped_tail_and_any_bearer_value() -> None:
    register_secret(SECRET_TOKEN + ZERO_WIDTH_SPACE)
    try:
        for text in (
            repr(f"Bearer {SECRET_TOKEN}{ZERO_WIDTH_SPACE}"),  # repr escapes the invisible tail
            f"token {SECRET_TOKEN[:10]}… was refused",  # cut short in a message
            f"id={SECRET_TOKEN}{ZERO_WIDTH_SPACE}&x=1",
            repr((b"authorization", f"Bearer other-{SECRET_TOKEN[::-1]}".encode())),
            "UnicodeEncodeError('ascii', 'Bearer sk_live_9f8e7d\\u200b', 28, 29, 'ordinal not in range(128)')",
        ):
            masked = redact(text)
            assert not leaks(masked) and "sk_live_9f8e7d" not in masked, masked
            assert SECRET_TOKEN[::-1] not in masked
    finally:
        forget_secrets()


def test_objects_that_hold_the_token_do_not_print_it() -> None:
    """What a traceback with locals, a log line or a debugger would show of each holder."""
    from rich.pretty import pretty_repr

    from noxtui.providers.inbox.provider import InboxProvider
    from noxtui.providers.nox_rest.client import NoxClient

    client = NoxClient("https://api.example.com/v1", SECRET_TOKEN)
    holders = [
        Target("nox", "https://api.example.com/v1", SECRET_TOKEN, True, "default"),
        client,
        NoxProvider(client),
        InboxProvider("https://api.example.com/inbox/api/v1", SECRET_TOKEN),
    ]
    for holder in holders:
        for text in (repr(holder), str(holder), pretty_repr(holder, max_depth=8)):
            assert not leaks(text), f"{type(holder).__name__} shows the token: {text}"


def test_login_with_a_token_carrying_a_zero_width_space_says_why_and_stores_nothing(capsys, monkeypatch) -> None:
    import io

    from noxtui.cli import main

    token = "nx_live_8f3a9c2e41d7b6" + "\u200b"
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    assert main(["login", "--token-stdin", "--base-url", "http://127.0.0.1:9/v1"]) == 1
    captured = capsys.readouterr()
    assert "U+200B ZERO WIDTH SPACE" in captured.err and "nothing was stored" in captured.err
    assert "nx_live_8f3a" not in captured.out + captured.err and "Traceback" not in captured.err
