"""The fake's local account: ``credentials.json`` (mode 0600) in its home, and the commands that
read or write it: ``auth status``, ``auth logout``, ``auth --key-stdin``, ``login`` (device flow on
the terminal), ``login start --json`` / ``login wait <login_id>``.

``auth status`` reads local credentials without a network call (nox-cli.md) when they already hold
the user; credentials written by ``fake_cli_env`` hold only the token, so the first ``auth status``
asks the sandbox (``GET /auth/status``) once and keeps the user. A token the sandbox refuses there
reads as ``{"authenticated": false}``; an unreachable sandbox as authenticated with ``"user": null``
(the credentials are there; only API commands can tell more). Logins check the token against the
sandbox before storing it, so a refused key is never kept.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from noxtui.sandbox.nox_cli.credentials import CREDENTIALS, read_credentials, write_credentials, write_private
from noxtui.sandbox.nox_cli.harness import Env
from noxtui.sandbox.nox_cli.output import AUTH, ERROR, INVALID_REQUEST, CliError, exit_for_status, print_json
from noxtui.sandbox.nox_cli.transport import Api

PENDING = "pending-logins.json"
_VERIFY_URL = {"en": "https://www.noxinfluencer.com/device", "zh": "https://cn.noxinfluencer.com/device"}


def _api(env: Env, *, trace: bool, lang: str) -> Api:
    if env.url is None:
        raise CliError(ERROR, "the fake tool is not pointed at a sandbox: set NOXTUI_FAKE_NOX_URL", error_code="CONFIG")
    return Api(env.url, None, trace=trace, lang=lang, timeout=env.timeout)


def _fetch_user(api: Api, token: str) -> dict[str, Any]:
    """The user the token belongs to (``GET /auth/status``), or the sandbox's error as ``CliError``."""
    answer = api.request("GET", "/auth/status", token=token)
    if answer.status != 200:
        payload = answer.payload
        raise CliError(
            exit_for_status(answer.status),
            str(payload.get("summary") or f"HTTP {answer.status}"),
            error_code=str(payload.get("error_code") or "UNAUTHENTICATED"),
        )
    data = answer.payload.get("data") or {}
    user = data.get("user") if isinstance(data, dict) else None
    return user if isinstance(user, dict) else {}


def _store_login(env: Env, api: Api, token: str) -> None:
    user = _fetch_user(api, token)
    write_credentials(env.ensure_home(), token, user)
    print_json({"authenticated": True, "user": user})


def auth_status(env: Env, *, trace: bool, lang: str) -> int:
    creds = read_credentials(env)
    if creds is None:
        print_json({"authenticated": False})
        return 0
    user = creds.get("user")
    if isinstance(user, dict):
        print_json({"authenticated": True, "user": user})
        return 0
    try:
        user = _fetch_user(_api(env, trace=trace, lang=lang), creds["token"])
    except CliError as error:
        if error.exit_code == AUTH:
            print_json({"authenticated": False, "reason": error.summary})
            return 0
        print_json({"authenticated": True, "user": None})
        return 0
    write_credentials(env.home, creds["token"], user)
    print_json({"authenticated": True, "user": user})
    return 0


def auth_logout(env: Env) -> int:
    (env.home / CREDENTIALS).unlink(missing_ok=True)
    print_json({"authenticated": False, "logged_out": True})
    return 0


def auth_key_stdin(env: Env, *, trace: bool, lang: str) -> int:
    key = sys.stdin.read().strip()
    if not key:
        raise CliError(INVALID_REQUEST, "no API key on stdin: pipe it in, e.g. `noxinfluencer auth --key-stdin < key`")
    _store_login(env, _api(env, trace=trace, lang=lang), key)
    return 0


def _device_code(lang: str) -> dict[str, str]:
    code = os.urandom(2).hex().upper() + "-" + os.urandom(2).hex().upper()
    return {"verification_url": f"{_VERIFY_URL.get(lang, _VERIFY_URL['en'])}?code={code}", "user_code": code}


def login(env: Env, *, trace: bool, lang: str) -> int:
    """The device flow on the terminal; the sandbox approves at once."""
    api = _api(env, trace=trace, lang=lang)
    device = _device_code(lang)
    sys.stderr.write(f"Open {device['verification_url']} and enter the code {device['user_code']}\n")
    sys.stderr.write("Waiting for approval… approved.\n")
    _store_login(env, api, env.login_token)
    return 0


def _pending(env: Env) -> dict[str, Any]:
    try:
        data = json.loads((env.home / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def login_start(env: Env, *, lang: str) -> int:
    login_id = "lg_" + os.urandom(8).hex()
    device = _device_code(lang)
    pending = _pending(env)
    pending[login_id] = device["user_code"]
    write_private(env.ensure_home() / PENDING, pending)
    print_json({"login_id": login_id, **device, "expires_in": 600})
    return 0


def login_wait(env: Env, login_id: str, *, trace: bool, lang: str) -> int:
    pending = _pending(env)
    if login_id not in pending:
        raise CliError(
            AUTH,
            f"No pending login {login_id!r} (expired or never started); run noxinfluencer login start --json",
            error_code="LOGIN_EXPIRED",
            action={"type": "login", "hint": "Run noxinfluencer login"},
        )
    _store_login(env, _api(env, trace=trace, lang=lang), env.login_token)
    del pending[login_id]
    write_private(env.home / PENDING, pending)
    return 0
