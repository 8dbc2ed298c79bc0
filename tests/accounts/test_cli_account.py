"""``noxtui login --provider cli`` and ``noxtui doctor`` for the vendor tool (the project's fake)."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from noxtui.cli import main
from noxtui.paths import Paths
from noxtui.storage.settings import load_settings
from tests.cli_support import FakeCli


@pytest.fixture
def tool_env(fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch) -> FakeCli:
    monkeypatch.setenv("NOXTUI_NOX_CLI", shlex.join(fake_cli.tool))
    return fake_cli


def _write_cli_profile() -> None:
    paths = Paths.default()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('[profiles.default]\nprovider = "cli"\n', encoding="utf-8")


def test_doctor_checks_the_tool_version_login_commands_and_filters(tool_env: FakeCli, capsys) -> None:
    _write_cli_profile()
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    installed = f"noxinfluencer 0.5.9 is installed at {tool_env.tool[0]} and logged in"
    assert any(line.startswith(installed) for line in lines), out
    assert "The tool has every message command noxtui uses." in lines, out
    assert any(line.startswith("The tool offers every list filter") for line in lines), out
    assert "Problem:" not in out


def test_doctor_says_what_to_do_for_an_old_or_logged_out_tool(
    tool_env: FakeCli, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_cli_profile()
    monkeypatch.setenv("NOXTUI_FAKE_NOX_VERSION", "0.5.2")
    assert main(["doctor"]) == 1
    old = capsys.readouterr().out
    assert "npm install -g @noxinfluencer/cli@latest" in old and "Problem: " in old
    monkeypatch.delenv("NOXTUI_FAKE_NOX_VERSION")
    subprocess.run([*tool_env.tool, "auth", "logout"], check=True, capture_output=True)
    assert main(["doctor"]) == 1
    assert "but it is not logged in. Run `noxtui login --provider cli`" in capsys.readouterr().out


def test_doctor_without_the_tool_says_how_to_install_it(capsys, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    _write_cli_profile()
    monkeypatch.setenv("NOXTUI_NOX_CLI", str(tmp_path / "missing" / "noxinfluencer"))
    assert main(["doctor"]) == 1
    assert "npm install -g @noxinfluencer/cli" in capsys.readouterr().out


def test_login_hands_over_to_the_tool_and_stores_no_credentials(tool_env: FakeCli, capsys) -> None:
    subprocess.run([*tool_env.tool, "auth", "logout"], check=True, capture_output=True)
    assert main(["login", "--provider", "cli"]) == 0
    out = capsys.readouterr().out
    assert "through the NoxInfluencer tool" in out and "stored none" in out
    profile = load_settings(Paths.default()).profiles["default"]
    assert profile.provider == "cli"
    status = subprocess.run([*tool_env.tool, "auth", "status"], check=True, capture_output=True, text=True)
    assert '"authenticated": true' in status.stdout
    config_text = Paths.default().config_file.read_text(encoding="utf-8")
    assert "noxtui-sandbox" not in config_text


async def test_the_demo_runs_through_the_fake_tool_with_provider_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    from contextlib import ExitStack

    from noxtui.domain.models import ThreadQuery
    from noxtui.launch import startup_for

    for name in ("NOXTUI_FAKE_NOX_URL", "NOXTUI_FAKE_NOX_HOME"):  # the demo sets them: restored afterwards
        monkeypatch.setenv(name, "")

    with ExitStack() as stack:
        startup = startup_for(Paths.default(), stack, demo=True, profile=None, demo_provider="cli")
        assert startup.provider_name == "cli"
        prepared = startup.prepare()
        assert prepared.provider.name == "cli"
        page = await prepared.provider.list_threads(ThreadQuery(), page=1, page_size=10)
        assert page.threads and page.total > 10


def test_with_no_profile_a_logged_in_tool_is_used(tool_env: FakeCli) -> None:
    from contextlib import ExitStack

    from noxtui.launch import LaunchError, startup_for

    with ExitStack() as stack:
        prepared = startup_for(Paths.default(), stack, demo=False, profile=None).prepare()
        assert prepared.provider.name == "cli"
        subprocess.run([*tool_env.tool, "auth", "logout"], check=True, capture_output=True)
        with pytest.raises(LaunchError, match="not logged in.*noxtui login --provider cli"):
            startup_for(Paths.default(), stack, demo=False, profile=None).prepare()


def test_doctor_with_no_profile_checks_the_tool_noxtui_would_open(tool_env: FakeCli, capsys) -> None:
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "No profile is configured" in out and "and logged in" in out and "token" not in out
