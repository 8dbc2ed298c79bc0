"""login / logout / doctor against the live sandbox, with an in-memory keyring backend."""

from __future__ import annotations

import stat

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from noxtui import cli
from noxtui.storage.settings import (
    KEYRING_SERVICE,
    Paths,
    Profile,
    Settings,
    load_settings,
    save_settings,
)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict: real keyring API, no OS store touched."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError("not found")
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Paths:
    monkeypatch.setenv("NOXTUI_HOME", str(tmp_path))
    monkeypatch.delenv("NOXTUI_TOKEN", raising=False)
    return Paths.default()


def _stdin(monkeypatch, text: str) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))


def test_login_stores_the_token_in_the_keyring_never_in_the_config(
    sandbox, sandbox_token, memory_keyring, home, monkeypatch, capsys
) -> None:
    _stdin(monkeypatch, sandbox_token)
    code = cli.main(["login", "--profile", "work", "--base-url", sandbox.base_url, "--token-stdin"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert memory_keyring.store[(KEYRING_SERVICE, "work")] == sandbox_token
    config_text = home.config_file.read_text()
    assert sandbox_token not in config_text
    assert sandbox.base_url in config_text
    assert stat.S_IMODE(home.config_file.stat().st_mode) == 0o600
    assert sandbox_token not in out.out + out.err


def test_login_refuses_a_token_the_server_rejects(sandbox, memory_keyring, home, monkeypatch, capsys) -> None:
    _stdin(monkeypatch, "not-the-token")
    code = cli.main(["login", "--profile", "work", "--base-url", sandbox.base_url, "--token-stdin"])
    assert code == 1
    assert "rejected" in capsys.readouterr().err
    assert memory_keyring.store == {}


def test_logout_removes_the_token(sandbox, sandbox_token, memory_keyring, home, monkeypatch, capsys) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "default", sandbox_token)
    assert cli.main(["logout"]) == 0
    assert memory_keyring.store == {}
    assert cli.main(["logout"]) == 0
    assert "had no token" in capsys.readouterr().out


def test_doctor_passes_with_a_good_token_and_fails_on_a_bad_one(
    sandbox, sandbox_token, memory_keyring, home, capsys
) -> None:
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}), home)
    memory_keyring.set_password(KEYRING_SERVICE, "default", sandbox_token)
    assert cli.main(["doctor"]) == 0
    good = capsys.readouterr().out
    assert "The server accepted your token." in good.splitlines() and "Problem:" not in good

    memory_keyring.set_password(KEYRING_SERVICE, "default", "wrong-token")
    assert cli.main(["doctor"]) == 1
    bad = capsys.readouterr().out
    assert "Problem: The server refused your token. Run `noxtui login` to store a new one." in bad.splitlines()
    assert "wrong-token" not in bad


def test_doctor_fails_when_the_server_is_unreachable(memory_keyring, home, capsys) -> None:
    save_settings(Settings(profiles={"default": Profile(base_url="http://127.0.0.1:9/v1")}), home)
    memory_keyring.set_password(KEYRING_SERVICE, "default", "tok")
    assert cli.main(["doctor"]) == 1
    assert "Problem: The server at http://127.0.0.1:9/v1 did not answer" in capsys.readouterr().out


def test_env_token_overrides_the_keyring(sandbox, sandbox_token, memory_keyring, home, monkeypatch, capsys) -> None:
    save_settings(Settings(profiles={"default": Profile(base_url=sandbox.base_url)}), home)
    memory_keyring.set_password(KEYRING_SERVICE, "default", "stale-token")
    monkeypatch.setenv("NOXTUI_TOKEN", sandbox_token)
    assert cli.main(["doctor"]) == 0


def test_missing_keyring_backend_names_the_env_variable(home, monkeypatch, capsys) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        assert cli.main(["logout"]) == 1
    finally:
        keyring.set_keyring(previous)
    assert "NOXTUI_TOKEN" in capsys.readouterr().err
    assert load_settings(home) == Settings()
