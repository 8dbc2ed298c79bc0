"""Where noxtui keeps things, what the rep configured, and how the token is found.

Paths come from platformdirs so the app behaves like a good citizen on every OS; ``NOXTUI_HOME``
moves all of them under one folder, which is what tests, CI and throw-away SSH boxes want. The token
is never part of the settings model, so it can never be written into the config file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

APP_NAME = "noxtui"
KEYRING_SERVICE = "noxtui"
TOKEN_ENV = "NOXTUI_TOKEN"
HOME_ENV = "NOXTUI_HOME"
DEFAULT_PRODUCTION_URL = "https://api.noxinfluencer.com/v1"


@dataclass(frozen=True)
class Paths:
    """The four folders noxtui writes to."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    state_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def demo_db(self) -> Path:
        return self.data_dir / "demo-workspace.sqlite3"

    @property
    def cache_db(self) -> Path:
        return self.cache_dir / "threads.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "noxtui.log"

    @classmethod
    def default(cls) -> Paths:
        home = os.environ.get(HOME_ENV)
        if home:
            root = Path(home)
            return cls(root / "config", root / "data", root / "cache", root / "state")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME)),
            Path(platformdirs.user_data_dir(APP_NAME)),
            Path(platformdirs.user_cache_dir(APP_NAME)),
            Path(platformdirs.user_state_dir(APP_NAME)),
        )


class Profile(BaseModel):
    """One account: which backend, where it lives, and who the rep sends as by default."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["nox", "inbox"] = "nox"
    base_url: str = DEFAULT_PRODUCTION_URL
    default_sender: str | None = None
    insecure_skip_tls_verify: bool = False


class SavedChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str
    name: str


class SavedView(BaseModel):
    """A named filter, as the rep saved it: the same fields as the filter bar."""

    model_config = ConfigDict(extra="forbid")

    needs_reply: Literal["any", "needs", "answered"] = "any"
    direction: Literal["any", "inbound", "outbound"] = "any"
    label: SavedChoice | None = None
    coop_status: SavedChoice | None = None
    project: SavedChoice | None = None
    member: SavedChoice | None = None
    keyword: str = ""
    business_kind: str | None = None
    business_id: str | None = None


class Settings(BaseModel):
    """The config file, as a model. Unknown keys are refused so a typo is reported, not ignored."""

    model_config = ConfigDict(extra="forbid")

    theme: str = "noxtui-dark"
    default_profile: str = "default"
    poll_interval: float = Field(default=30.0, ge=5.0)
    profiles: dict[str, Profile] = Field(default_factory=lambda: {"default": Profile()})
    views: dict[str, SavedView] = Field(default_factory=dict)

    def profile(self, name: str | None) -> Profile:
        key = name or self.default_profile
        if key not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise ConfigError(f"No profile named {key!r} (configured: {known}).")
        return self.profiles[key]


class ConfigError(Exception):
    """The config file cannot be used as it is; the message names the file and the problem."""


def load_settings(paths: Paths | None = None) -> Settings:
    """Read the config file; a missing file means defaults, a broken one is a clear error."""
    paths = paths or Paths.default()
    file = paths.config_file
    if not file.exists():
        return Settings()
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
        return Settings.model_validate(raw)
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"{file} is not a valid noxtui config: {exc}") from None


def save_settings(settings: Settings, paths: Paths | None = None) -> Path:
    """Write the config file with mode 0600, atomically, so a crash never leaves half a file."""
    paths = paths or Paths.default()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    target = paths.config_file
    tmp = target.with_suffix(".toml.tmp")
    data = settings.model_dump(mode="json", exclude_none=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        tomli_w.dump(data, fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return target


class TokenUnavailable(Exception):
    """No token for this profile; the message tells the rep how to provide one."""


def read_token(profile: str) -> str:
    """``NOXTUI_TOKEN`` wins (CI, SSH boxes without a keyring); otherwise the OS keyring."""
    env = os.environ.get(TOKEN_ENV)
    if env:
        return env
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:  # pragma: no cover - keyring is a hard dependency
        raise TokenUnavailable(f"No keyring available; set {TOKEN_ENV} or run `noxtui --demo`.") from None
    try:
        token = keyring.get_password(KEYRING_SERVICE, profile)
    except NoKeyringError:
        raise TokenUnavailable(
            f"This machine has no OS keyring backend. Set {TOKEN_ENV}=<token> for profile {profile!r}, "
            "or try the app with `noxtui --demo`."
        ) from None
    except KeyringError as exc:
        raise TokenUnavailable(f"The OS keyring failed ({type(exc).__name__}); set {TOKEN_ENV} instead.") from None
    if not token:
        raise TokenUnavailable(
            f"No token for profile {profile!r}. Run `noxtui login --profile {profile}`, "
            f"set {TOKEN_ENV}, or try the app with `noxtui --demo`."
        )
    return token
