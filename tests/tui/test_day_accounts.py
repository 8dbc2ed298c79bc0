"""A rep's day, accounts (#16 item 9): on a headless box without an OS keyring, login keeps the
profile's base URL, and with the rep's consent the token in a 0600 file under the config folder
(said where); doctor reads it, and says nothing unrelated ("Your draft is kept.")."""

from __future__ import annotations

import io
import stat

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from noxtui import cli
from noxtui.storage.credentials import credentials_path
from noxtui.storage.settings import Paths, Profile, Settings, load_settings, save_settings


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Paths:
    monkeypatch.setenv("NOXTUI_HOME", str(tmp_path))
    monkeypatch.delenv("NOXTUI_TOKEN", raising=False)
    return Paths.default()


def _login(monkeypatch, token: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(token + "\n"))
    return cli.main(["login", "--profile", "box", "--token-stdin", *args])


def test_without_a_keyring_the_token_goes_to_a_private_file_with_consent(
    sandbox, sandbox_token, no_keyring, home, monkeypatch, capsys
) -> None:
    assert _login(monkeypatch, sandbox_token, "--base-url", sandbox.base_url, "--token-file") == 0
    out = capsys.readouterr()
    path = credentials_path(home.config_dir)
    assert str(path) in out.out and sandbox_token not in out.out + out.err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sandbox_token in path.read_text()
    assert load_settings(home).profiles["box"].base_url == sandbox.base_url
    assert sandbox_token not in home.config_file.read_text()
    assert cli.main(["doctor", "--profile", "box"]) == 0, capsys.readouterr().out
    assert cli.main(["logout", "--profile", "box"]) == 0
    assert sandbox_token not in path.read_text()


def test_without_consent_the_profile_is_kept_and_login_says_how(
    sandbox, sandbox_token, no_keyring, home, monkeypatch, capsys
) -> None:
    assert _login(monkeypatch, sandbox_token, "--base-url", sandbox.base_url) == 1
    err = capsys.readouterr().err
    assert "--token-file" in err and str(credentials_path(home.config_dir)) in err
    assert load_settings(home).profiles["box"].base_url == sandbox.base_url
    assert not credentials_path(home.config_dir).exists()


def test_doctor_says_nothing_about_drafts(home, monkeypatch, capsys) -> None:
    save_settings(Settings(profiles={"default": Profile(base_url="http://127.0.0.1:9/v1")}), home)
    monkeypatch.setenv("NOXTUI_TOKEN", "tok")
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "did not answer" in out and "draft" not in out.lower()
