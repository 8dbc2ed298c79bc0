"""The command line: clear refusals instead of crashes."""

from __future__ import annotations

import pytest

from noxtui import cli


def test_without_a_token_it_explains_login_and_demo(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NOXTUI_HOME", str(tmp_path))
    monkeypatch.delenv("NOXTUI_TOKEN", raising=False)
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        code = cli.main([])
    finally:
        keyring.set_keyring(previous)
    err = capsys.readouterr().err
    assert code == 2
    assert "NOXTUI_TOKEN" in err and "noxtui --demo" in err
    import gc

    assert gc.isenabled()  # the start-up's pause of the collector ended with the failed start


def test_sandbox_refuses_a_public_bind_without_allow_remote(tmp_path, capsys) -> None:
    code = cli.main(["sandbox", "serve", "--host", "0.0.0.0", "--db", str(tmp_path / "s.sqlite3")])
    assert code == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_unknown_profile_is_named(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NOXTUI_HOME", str(tmp_path))
    monkeypatch.setenv("NOXTUI_TOKEN", "x")
    assert cli.main(["--profile", "nope"]) == 2
    assert "No profile named 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["sandbox", "serve", "--help"]])
def test_help_exits_cleanly(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 0
