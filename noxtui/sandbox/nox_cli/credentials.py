"""The fake's credentials file: ``credentials.json`` in its home, readable by its owner only.

It holds ``{"token": "...", "user": {...} | null}``; the token is never printed or traced.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from noxtui.sandbox.nox_cli.harness import Env

CREDENTIALS = "credentials.json"


def write_private(path: Path, payload: Any) -> None:
    """Write JSON readable by the owner only (created 0600, then moved into place)."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle)
    os.chmod(temp, 0o600)
    os.replace(temp, path)


def read_credentials(env: Env) -> dict[str, Any] | None:
    """The stored credentials, or ``None`` when there are none (or they are unreadable)."""
    try:
        data = json.loads((env.home / CREDENTIALS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("token"), str) or not data["token"]:
        return None
    return data


def write_credentials(home: Path, token: str, user: dict[str, Any] | None = None) -> Path:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = home / CREDENTIALS
    write_private(path, {"token": token, "user": user})
    return path
