"""A rep's day, finished (#16 item 9): ``noxtui doctor`` speaks in plain sentences.

Each line is a whole sentence a rep can read aloud: where the token is, how fast the server
answered, what the vendor tool is. A problem line starts with the word "Problem:" (not a colour)
and says what to do; the exit status stays non-zero when any check fails.
"""

from __future__ import annotations

import re

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from noxtui import cli
from noxtui.storage.credentials import credentials_path, save_file_token
from noxtui.storage.settings import KEYRING_SERVICE, Paths, Profile, Settings, save_settings
from tests.accounts.test_accounts import MemoryKeyring


@pytest.fixture
def home(tmp_path, monkeypatch) -> Paths:
    monkeypatch.setenv("NOXTUI_HOME", str(tmp_path))
    monkeypatch.delenv("NOXTUI_TOKEN", raising=False)
    return Paths.default()


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _doctor(capsys, *args: str) -> tuple[int, list[str]]:
    code = cli.main(["doctor", *args])
    return code, capsys.readouterr().out.splitlines()


def _assert_plain(lines: list[str]) -> None:
    """No log-style tags: each line is a capitalised sentence ending in a full stop."""
    assert lines
    for line in lines:
        assert not re.match(r"\[(ok|FAIL)\]", line), line
        sentence = line.removeprefix("Problem: ")
        assert sentence[:1].isupper() and sentence.endswith("."), line


def test_a_healthy_setup_reads_as_sentences(sandbox, sandbox_token, memory_keyring, home, capsys) -> None:
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}), home)
    memory_keyring.set_password(KEYRING_SERVICE, "default", sandbox_token)
    code, lines = _doctor(capsys)
    assert code == 0, lines
    _assert_plain(lines)
    assert "Your token for profile default is in the OS keyring." in lines
    url = re.escape(sandbox.base_url)
    assert any(re.fullmatch(rf"The server at {url} answered in \d+ ms\.", line) for line in lines), lines
    assert "The server accepted your token." in lines
    assert f"Your settings are read from {home.config_file}." in lines
    assert not any(line.startswith("Problem:") for line in lines)
    assert sandbox_token not in "\n".join(lines)


def test_a_problem_says_so_and_what_to_do_and_the_status_is_non_zero(sandbox, memory_keyring, home, capsys) -> None:
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}), home)
    memory_keyring.set_password(KEYRING_SERVICE, "default", "not-the-token")
    code, lines = _doctor(capsys)
    assert code == 1
    _assert_plain(lines)
    assert "Problem: The server refused your token. Run `noxtui login` to store a new one." in lines
    assert [line for line in lines if line.startswith("Problem:")] == [
        "Problem: The server refused your token. Run `noxtui login` to store a new one."
    ]


def test_no_token_is_one_problem_and_the_server_is_not_asked(sandbox, memory_keyring, home, capsys) -> None:
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}), home)
    code, lines = _doctor(capsys)
    assert code == 1
    _assert_plain(lines)
    problems = [line for line in lines if line.startswith("Problem:")]
    assert len(problems) == 1 and "Run `noxtui login --profile default`" in problems[0], lines
    assert f"The server at {sandbox.base_url} was not asked: there is no token yet." in lines


def test_a_token_in_the_private_file_is_said_to_be_there(sandbox, sandbox_token, home, capsys) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        save_settings(Settings(profiles={"box": Profile(base_url=sandbox.base_url)}), home)
        save_file_token(home.config_dir, "box", sandbox_token)
        code, lines = _doctor(capsys, "--profile", "box")
    finally:
        keyring.set_keyring(previous)
    assert code == 0, lines
    _assert_plain(lines)
    where = credentials_path(home.config_dir)
    assert f"Your token for profile box is in {where} (only you can read it)." in lines


def test_an_unknown_profile_is_a_problem_with_the_command_to_create_it(home, capsys) -> None:
    code, lines = _doctor(capsys, "--profile", "nope")
    assert code == 1
    _assert_plain(lines)
    assert (
        "Problem: There is no profile named 'nope'. Run `noxtui login --profile nope --base-url URL` to create it."
        in lines
    )


def test_doctor_says_how_the_list_scrolls_over_ssh_and_how_to_change_it(home, capsys, monkeypatch) -> None:
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"):
        monkeypatch.delenv(name, raising=False)
    _, local = _doctor(capsys, "--profile", "nope")
    assert any(line.startswith("The list scrolls a line at a time") for line in local), local
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 52814 10.0.0.1 22")
    _, remote = _doctor(capsys, "--profile", "nope")
    said = next(line for line in remote if "scrolls a page at a time" in line)
    assert said.startswith("This is an SSH session") and 'scroll = "line"' in said
    _assert_plain(remote)
    save_settings(Settings(scroll="line"), home)
    _, chosen = _doctor(capsys, "--profile", "nope")
    assert any("even in this SSH session" in line for line in chosen), chosen
