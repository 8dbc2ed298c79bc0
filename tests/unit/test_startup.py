"""What the first frame reads from the config file, before the settings model is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from noxtui.paths import Paths
from noxtui.startup import ConfigPeek, peek_config
from noxtui.storage.settings import (
    DEFAULT_PRODUCTION_URL,
    Profile,
    Settings,
    save_settings,
)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "config", tmp_path / "data", tmp_path / "cache", tmp_path / "state")


def test_no_config_file_is_the_default_profile_on_production(paths: Paths) -> None:
    assert peek_config(paths, None) == ConfigPeek(
        theme=None, profile="default", provider="nox", base_url=DEFAULT_PRODUCTION_URL
    )


def test_the_peek_agrees_with_the_settings_model(paths: Paths) -> None:
    settings = Settings(
        theme="noxtui-light",
        scroll="page",
        default_profile="work",
        profiles={"work": Profile(provider="inbox", base_url="https://inbox.example/api/v1"), "default": Profile()},
    )
    save_settings(settings, paths)
    peek = peek_config(paths, None)
    assert peek == ConfigPeek(
        theme="noxtui-light", profile="work", provider="inbox", base_url="https://inbox.example/api/v1", scroll="page"
    )
    # The profile picked on the command line wins, with the model's defaults for what it omits.
    assert peek_config(paths, "default") == ConfigPeek(
        "noxtui-light", "default", "nox", DEFAULT_PRODUCTION_URL, scroll="page"
    )


def test_an_unknown_profile_has_no_url_so_nothing_is_painted_for_it(paths: Paths) -> None:
    save_settings(Settings(), paths)
    assert peek_config(paths, "nope").base_url is None


@pytest.mark.parametrize(
    "text",
    [
        "theme = ",
        "theme = 3\n[profiles]\ndefault = 'x'\n",
        "\xff\xfe",
        "[profiles.default]\nprovider = 7\nbase_url = []\n",
    ],
)
def test_a_broken_file_is_not_an_error_here(paths: Paths, text: str) -> None:
    """The validated read in ``prepare`` reports it; the peek only learns less."""
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_bytes(text.encode("latin-1"))
    peek = peek_config(paths, None)
    assert peek.theme is None
    assert peek.provider == "nox"


def test_the_collector_is_held_only_between_pause_and_resume() -> None:
    import gc

    from noxtui.startup import pause_gc, resume_gc

    assert gc.isenabled()
    pause_gc()
    try:
        assert not gc.isenabled()
        pause_gc()  # a second pause changes nothing
    finally:
        resume_gc()
    assert gc.isenabled()
    resume_gc()  # resuming what was not paused leaves it alone
    assert gc.isenabled()
