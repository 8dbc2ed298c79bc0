"""Accounts: put a token in the OS keyring after the server accepted it, take it out, and check setup.

A token is stored only once the server has said yes to it, so a typo never becomes a saved secret.
Nothing here prints or returns the token; messages say what to do, naming ``NOXTUI_TOKEN`` where a
keyring is missing (SSH boxes and CI often have none).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from noxtui.domain.errors import AuthError, NoxError
from noxtui.domain.models import AuthStatus
from noxtui.domain.target import token_problem
from noxtui.storage.credentials import credentials_path, delete_file_token, save_file_token
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
    name: str
    ok: bool
    detail: str


async def doctor(name: str | None, paths: Paths) -> list[Check]:
    """Run every check in order; later checks that depend on a failed one say they were skipped."""
    checks: list[Check] = []
    settings = Settings()
    config_file = paths.config_file
    try:
        settings = load_settings(paths)
        found = "found" if config_file.exists() else "not present; defaults in use"
        checks.append(Check("config", True, f"{config_file} {found}"))
    except ConfigError as exc:
        checks.append(Check("config", False, str(exc)))
    profile_name = name or settings.default_profile
    profile = settings.profiles.get(profile_name)
    if profile is None:
        checks.append(
            Check(
                "profile",
                False,
                f"No profile named {profile_name!r}. Run `noxtui login --profile {profile_name} --base-url URL`.",
            )
        )
        return checks
    if profile.provider == "cli":
        # The vendor's tool keeps its own login; its checks are ``cli_account.cli_checks``.
        checks.append(Check("provider", True, "NoxInfluencer through the vendor's tool `noxinfluencer`"))
        checks.append(_cache_check(paths))
        return checks
    token: str | None = None
    try:
        token = read_token(profile_name, paths.config_dir)
        checks.append(Check("token", True, f"present for profile {profile_name!r}"))
    except TokenUnavailable as exc:
        checks.append(Check("token", False, str(exc)))
    if token is None:
        checks.append(Check("server", False, "skipped: no token"))
    else:
        try:
            status = await check_token(profile, token)
            checks.append(Check("server reachable", True, profile.base_url))
            checks.append(
                Check(
                    "token accepted",
                    status.authenticated,
                    "signed in" if status.authenticated else "the server says not signed in",
                )
            )
        except AuthError:
            checks.append(Check("server reachable", True, profile.base_url))
            checks.append(Check("token accepted", False, "rejected by the server; run `noxtui login` again"))
        except NoxError as exc:  # said in the doctor's words: nothing about drafts here
            said = f"{exc.what}. {exc.todo}".replace(" Your draft is kept.", "")
            checks.append(Check("server reachable", False, said))
    checks.append(_cache_check(paths))
    return checks


def _cache_check(paths: Paths) -> Check:
    cache_file = paths.cache_db
    if not cache_file.exists():
        return Check("cache", True, f"{cache_file} not created yet (it fills on first start)")
    try:
        with sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        return Check("cache", False, f"{cache_file} cannot be read ({exc}); delete it, it is rebuilt on start")
    healthy = result is not None and result[0] == "ok"
    detail = f"{cache_file} ok" if healthy else f"{cache_file} is damaged; delete it, it is rebuilt on start"
    return Check("cache", healthy, detail)
