"""Accounts: put a token in the OS keyring after the server accepted it, take it out, and check setup.

A token is stored only once the server has said yes to it, so a typo never becomes a saved secret.
Nothing here prints or returns the token; messages say what to do, naming ``NOXTUI_TOKEN`` where a
keyring is missing (SSH boxes and CI often have none).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from noxtui.domain.errors import AuthError, NoxError
from noxtui.domain.models import AuthStatus
from noxtui.domain.scrolling import scroll_sentence
from noxtui.domain.target import token_problem
from noxtui.storage.credentials import credentials_path, delete_file_token, load_file_token, save_file_token
from noxtui.storage.settings import (
    KEYRING_SERVICE,
    TOKEN_ENV,
    ConfigError,
    Paths,
    Profile,
    Settings,
    TokenUnavailable,
    load_settings,
    read_token,
    save_settings,
)


class AccountError(Exception):
    """Login/logout could not be done; the message says why and what to do."""


def _keyring():
    import keyring

    return keyring


def store_token(profile: str, token: str) -> None:
    keyring = _keyring()
    from keyring.errors import KeyringError, NoKeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, profile, token)
    except NoKeyringError:
        raise AccountError(
            f"This machine has no OS keyring backend, so the token cannot be stored. "
            f"Export {TOKEN_ENV}=<token> in the shell that runs noxtui instead."
        ) from None
    except KeyringError as exc:
        raise AccountError(
            f"The OS keyring refused the token ({type(exc).__name__}); use {TOKEN_ENV} instead."
        ) from None


def delete_token(profile: str) -> bool:
    """Remove the profile's token; ``False`` when there was none."""
    keyring = _keyring()
    from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, profile)
    except PasswordDeleteError:
        return False
    except NoKeyringError:
        raise AccountError(
            f"This machine has no OS keyring backend; nothing is stored there. Unset {TOKEN_ENV} to log out."
        ) from None
    except KeyringError as exc:
        raise AccountError(f"The OS keyring failed ({type(exc).__name__}).") from None
    return True


async def check_token(profile: Profile, token: str) -> AuthStatus:
    """Ask the server who this token is; raises the client's typed errors."""
    if profile.provider == "inbox":
        from noxtui.providers.inbox.provider import InboxProvider

        inbox = InboxProvider(profile.base_url, token, verify=not profile.insecure_skip_tls_verify)
        try:
            return await inbox.auth_status()
        finally:
            await inbox.aclose()
    from noxtui.providers.nox_rest.client import NoxClient

    async with NoxClient(profile.base_url, token, verify=not profile.insecure_skip_tls_verify, max_retries=1) as client:
        return await client.auth_status()


async def login(
    name: str,
    token: str,
    *,
    base_url: str | None = None,
    provider: str | None = None,
    paths: Paths,
    keep_in_file: Callable[[Path], bool] | None = None,
) -> str:
    """Check the token against the profile's server, then save the profile (never the token in it)
    and store the token: in the OS keyring, else, when ``keep_in_file(path)`` agrees, in a 0600 file
    under the config folder. The profile (its base URL) is kept even when the token cannot be."""
    token = token.strip()
    if not token:
        raise AccountError("No token given. Paste the token from the NoxInfluencer dashboard.")
    problem = token_problem(token)
    if problem is not None:  # said here, in words, before any HTTP library sees (and quotes) it
        raise AccountError(f"This token cannot be used: {problem}. Copy it again as plain text; nothing was stored.")
    try:
        settings = load_settings(paths)
    except ConfigError as exc:
        raise AccountError(str(exc)) from None
    current = settings.profiles.get(name, Profile())
    updates: dict[str, str] = {}
    if base_url:
        updates["base_url"] = base_url
    if provider:
        updates["provider"] = provider
    profile = current.model_copy(update=updates)
    try:
        status = await check_token(profile, token)
    except AuthError:
        raise AccountError(
            f"{profile.base_url} rejected this token; nothing was stored. Check it and try again."
        ) from None
    except NoxError as exc:
        raise AccountError(f"Could not check the token: {exc.message}") from None
    if not status.authenticated:
        raise AccountError(f"{profile.base_url} says this token is not signed in; nothing was stored.")
    profiles = {**settings.profiles, name: profile}
    save_settings(settings.model_copy(update={"profiles": profiles}), paths)
    where = "the OS keyring"
    try:
        store_token(name, token)
    except AccountError as exc:
        path = credentials_path(paths.config_dir)
        if keep_in_file is None or not keep_in_file(path):
            raise AccountError(
                f"{exc} The profile {name!r} ({profile.base_url}) is saved; the token is not. "
                f"To keep it in a private file ({path}), run login again with --token-file."
            ) from None
        save_file_token(paths.config_dir, name, token)
        where = f"{path} (a private file only you can read)"
    who = status.user.name if status.user and status.user.name else "you"
    return f"Logged in as {who} on {profile.base_url} (profile {name!r}); the token is in {where}."


def logout(name: str, config_dir: Path | None = None) -> str:
    """Remove the profile's token from the keyring and from the private file, wherever it is."""
    in_file = config_dir is not None and delete_file_token(config_dir, name)
    try:
        in_keyring = delete_token(name)
    except AccountError:
        if in_file:
            return f"Removed the token of profile {name!r} from {credentials_path(config_dir or Path())}."
        raise
    if in_keyring or in_file:
        return f"Removed the token of profile {name!r}."
    return f"Profile {name!r} had no token in the OS keyring."


@dataclass(frozen=True)
class Check:
    """One finding of ``noxtui doctor``: ``sentence`` is what the rep reads, a whole sentence that
    says what was found and, for a problem (``ok`` false), what to do about it."""

    name: str
    ok: bool
    sentence: str


async def doctor(name: str | None, paths: Paths) -> list[Check]:
    """Run every check in order; later checks that depend on a failed one say they were not run."""
    checks: list[Check] = []
    settings = Settings()
    config_file = paths.config_file
    try:
        settings = load_settings(paths)
        if config_file.exists():
            checks.append(Check("config", True, f"Your settings are read from {config_file}."))
        else:
            checks.append(Check("config", True, f"There is no settings file at {config_file}; the defaults are used."))
    except ConfigError as exc:
        checks.append(Check("config", False, _sentence(str(exc))))
    checks.append(Check("scrolling", True, scroll_sentence(settings.scroll, os.environ)))
    profile_name = name or settings.default_profile
    profile = settings.profiles.get(profile_name)
    if profile is None:
        checks.append(
            Check(
                "profile",
                False,
                f"There is no profile named {profile_name!r}. "
                f"Run `noxtui login --profile {profile_name} --base-url URL` to create it.",
            )
        )
        return checks
    if profile.provider == "cli":
        # The vendor's tool keeps its own login; its checks are ``cli_account.cli_checks``.
        checks.append(Check("provider", True, f"Profile {profile_name} reads NoxInfluencer through the vendor's tool."))
        checks.append(_cache_check(paths))
        return checks
    token: str | None = None
    try:
        token = read_token(profile_name, paths.config_dir)
        checks.append(
            Check("token", True, f"Your token for profile {profile_name} {_token_place(paths, profile_name)}.")
        )
    except TokenUnavailable as exc:
        checks.append(Check("token", False, _sentence(str(exc))))
    if token is None:
        checks.append(Check("server", True, f"The server at {profile.base_url} was not asked: there is no token yet."))
    else:
        checks += await _server_checks(profile, token)
    checks.append(_cache_check(paths))
    return checks


async def _server_checks(profile: Profile, token: str) -> list[Check]:
    """Whether the server answers, how fast, and whether it takes the token."""
    url = profile.base_url
    started = time.perf_counter()
    try:
        status = await check_token(profile, token)
    except AuthError:
        answered = Check("server reachable", True, f"The server at {url} answered{_took(started)}.")
        refused = "The server refused your token. Run `noxtui login` to store a new one."
        return [answered, Check("token accepted", False, refused)]
    except NoxError as exc:  # said in the doctor's words: nothing about drafts here
        said = f"{exc.what}. {exc.todo}".replace(" Your draft is kept.", "")
        return [Check("server reachable", False, _sentence(f"The server at {url} did not answer: {said}"))]
    answered = Check("server reachable", True, f"The server at {url} answered{_took(started)}.")
    if status.authenticated:
        return [answered, Check("token accepted", True, "The server accepted your token.")]
    signed_out = "The server says your token is not signed in. Run `noxtui login` to store a new one."
    return [answered, Check("token accepted", False, signed_out)]


def _took(started: float) -> str:
    return f" in {round((time.perf_counter() - started) * 1000)} ms"


def _token_place(paths: Paths, profile_name: str) -> str:
    """Where ``read_token`` found the token, in the same order it looks (never the token itself)."""
    if os.environ.get(TOKEN_ENV):
        return f"comes from the {TOKEN_ENV} environment variable"
    if load_file_token(paths.config_dir, profile_name) is not None:
        from keyring.errors import KeyringError

        try:
            in_keyring = _keyring().get_password(KEYRING_SERVICE, profile_name) is not None
        except KeyringError:  # no keyring, or a failing one: read_token fell back to the file
            in_keyring = False
        if not in_keyring:
            return f"is in {credentials_path(paths.config_dir)} (only you can read it)"
    return "is in the OS keyring"


def _sentence(text: str) -> str:
    """A message from elsewhere as a sentence: capitalised, ending with a full stop."""
    text = text.strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def _cache_check(paths: Paths) -> Check:
    cache_file = paths.cache_db
    if not cache_file.exists():
        return Check("cache", True, f"The cache at {cache_file} is not created yet; it fills on the first start.")
    rebuilt = "Delete it; noxtui builds it again on the next start."
    try:
        with sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        return Check("cache", False, f"The cache at {cache_file} cannot be read ({exc}). {rebuilt}")
    if result is not None and result[0] == "ok":
        return Check("cache", True, f"The cache at {cache_file} is healthy.")
    return Check("cache", False, f"The cache at {cache_file} is damaged. {rebuilt}")
