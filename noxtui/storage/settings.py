"""What the rep configured, and how the token is found (``Paths``, re-exported here, lives in
``noxtui.paths``). The token is never part of the settings model, so it can never be written into
the config file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from noxtui.domain.target import base_url_problem

# Re-exported (explicit aliases): ``from noxtui.storage.settings import Paths`` keeps working.
from noxtui.paths import APP_NAME as APP_NAME
from noxtui.paths import DEFAULT_PRODUCTION_URL as DEFAULT_PRODUCTION_URL
from noxtui.paths import DEFAULT_THEME, make_private_dir
from noxtui.paths import HOME_ENV as HOME_ENV
from noxtui.paths import Paths as Paths

KEYRING_SERVICE = "noxtui"
TOKEN_ENV = "NOXTUI_TOKEN"


class Profile(BaseModel):
    """One account: which backend, where it lives, and who the rep sends as by default."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["nox", "inbox", "cli"] = "nox"
    """``cli``: NoxInfluencer through the vendor's own tool ``noxinfluencer`` (a rep's real account);
    ``nox``: our REST contract (the sandbox); ``inbox``: Inbox X DMs."""
    base_url: str = DEFAULT_PRODUCTION_URL
    default_sender: str | None = None
    template_language: str | None = None
    """The language the templates panel shows first (``en``, ``es``…; the rep switches it with g)."""
    insecure_skip_tls_verify: bool = False
    cli_path: str | None = None
    """The vendor tool for ``provider = "cli"`` (default: ``noxinfluencer`` on PATH); the
    environment variable ``NOXTUI_NOX_CLI`` overrides it."""
    cli_timeout: float = Field(default=30.0, gt=0, le=600)
    """Seconds one tool command may run before it is stopped and the rep told."""

    @field_validator("base_url")
    @classmethod
    def _usable_url(cls, url: str) -> str:
        """Refused here, naming the file, rather than as an HTTP library error on the first request."""
        problem = base_url_problem(url)
        if problem is not None:
            raise ValueError(f"the base URL cannot be used: {problem}")
        return url


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

    theme: str = DEFAULT_THEME
    default_profile: str = "default"
    poll_interval: float = Field(default=30.0, ge=5.0)
    scroll: Literal["auto", "line", "page"] = "auto"
    """How the list follows the cursor past the screen's edge: ``page`` sends far fewer bytes over
    SSH; ``auto`` pages in an SSH session and scrolls by line elsewhere (``domain/scrolling.py``)."""
    timezone: str | None = None
    """An IANA zone (``Asia/Shanghai``) for times shown and send times typed; default ``TZ``, else the system's."""
    profiles: dict[str, Profile] = Field(default_factory=lambda: {"default": Profile()})
    views: dict[str, SavedView] = Field(default_factory=dict)
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id → Textual's comma-separated keys (``"inbox.send" = "ctrl+enter,s"``). Only the
    shape is checked here: which ids exist is the UI's to know, and an entry it cannot use is
    reported and skipped there (``noxtui.tui.keymap``), never a refused config."""

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
        raw = tomllib.loads(file.read_bytes().decode("utf-8"))
        return Settings.model_validate(raw)
    except IsADirectoryError:
        raise ConfigError(f"{file} is a folder, not a config file: move it away or remove it.") from None
    except OSError as exc:
        raise ConfigError(f"{file} cannot be read: {exc.strerror or exc}.") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{file} is not UTF-8 text (byte {exc.start + 1} is 0x{exc.object[exc.start]:02x}): "
            "save it as UTF-8 and start again."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file} is not valid TOML: {exc}.") from None
    except ValidationError as exc:
        raise ConfigError(f"{file} is not a valid noxtui config: {_problems(exc)}") from None


def _problems(error: ValidationError) -> str:
    """Pydantic's errors as ``where: what`` pairs, without its input dumps and documentation links."""
    parts = []
    for item in error.errors():
        where = ".".join(str(step) for step in item["loc"]) or "(top level)"
        parts.append(f"{where}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts) + "."


def save_settings(settings: Settings, paths: Paths | None = None) -> Path:
    """Write the config file with mode 0600, atomically, so a crash never leaves half a file."""
    paths = paths or Paths.default()
    make_private_dir(paths.config_dir)
    target = paths.config_file
    tmp = target.with_suffix(".toml.tmp")
    data = settings.model_dump(mode="json", exclude_none=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        tomli_w.dump(data, fh)
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    return target


def save_or_explain(settings: Settings, paths: Paths | None = None) -> str | None:
    """``save_settings`` for the app: what went wrong as text (the app says it and runs on)."""
    try:
        save_settings(settings, paths)
    except (OSError, ConfigError) as exc:
        return str(exc)
    return None


class TokenUnavailable(Exception):
    """No token for this profile; the message tells the rep how to provide one."""


def read_token(profile: str, config_dir: Path | None = None) -> str:
    """``NOXTUI_TOKEN`` wins (CI, SSH boxes without a keyring); otherwise the OS keyring, then the
    0600 credentials file in ``config_dir`` that ``login`` writes, with consent, where there is no keyring."""
    env = os.environ.get(TOKEN_ENV)
    if env:
        return env
    from noxtui.storage.credentials import load_file_token

    filed = load_file_token(config_dir, profile) if config_dir is not None else None
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:  # pragma: no cover - keyring is a hard dependency
        raise TokenUnavailable(f"No keyring available; set {TOKEN_ENV} or run `noxtui --demo`.") from None
    try:
        token = keyring.get_password(KEYRING_SERVICE, profile)
    except NoKeyringError:
        if filed:
            return filed
        raise TokenUnavailable(
            f"This machine has no OS keyring backend. Set {TOKEN_ENV}=<token> for profile {profile!r}, "
            "or try the app with `noxtui --demo`."
        ) from None
    except KeyringError as exc:
        if filed:
            return filed
        raise TokenUnavailable(f"The OS keyring failed ({type(exc).__name__}); set {TOKEN_ENV} instead.") from None
    if not token and filed:
        return filed
    if not token:
        raise TokenUnavailable(
            f"No token for profile {profile!r}. Run `noxtui login --profile {profile}`, "
            f"set {TOKEN_ENV}, or try the app with `noxtui --demo`."
        )
    return token
