"""Tokens kept in a private file, for machines without an OS keyring (headless SSH boxes).

Used only when the rep agreed to it at ``noxtui login``: the file is 0600 (owner only) in a 0700
config folder, holds one token per profile and nothing else, and its place is said to the rep. The
keyring is still tried first, and ``NOXTUI_TOKEN`` still wins over both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from noxtui.paths import make_private_dir

CREDENTIALS_NAME = "credentials.json"
FILE_MODE = 0o600


def credentials_path(config_dir: Path) -> Path:
    return config_dir / CREDENTIALS_NAME


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _write(path: Path, tokens: dict[str, str]) -> None:
    """Write the whole file anew, created 0600 before a byte is written, then moved into place."""
    make_private_dir(path.parent)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, json.dumps(tokens, indent=1).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)


def load_file_token(config_dir: Path, profile: str) -> str | None:
    return _read(credentials_path(config_dir)).get(profile) or None


def save_file_token(config_dir: Path, profile: str, token: str) -> Path:
    """Keep ``token`` for ``profile``; returns where (to tell the rep)."""
    path = credentials_path(config_dir)
    _write(path, {**_read(path), profile: token})
    return path


def delete_file_token(config_dir: Path, profile: str) -> bool:
    path = credentials_path(config_dir)
    tokens = _read(path)
    if profile not in tokens:
        return False
    del tokens[profile]
    _write(path, tokens)
    return True
