"""Where a provider talks to and with which credentials, and what makes either unusable.

Plain data, built by the launcher from a profile and handed to the bootstrap. The token is kept out
of the dataclass repr: a traceback that prints locals, or a log line that formats a ``Target``, must
never carry it.

The checks live here, at the edge where a token and a URL enter the app, because the alternative is
finding out deep inside httpx: a token pasted from a web page with a trailing zero-width space
fails as a ``UnicodeEncodeError`` whose message quotes the whole ``Authorization`` header, and a
``base_url`` without a scheme fails as ``UnsupportedProtocol`` on the first request. Each check
says what is wrong in words and never quotes the token.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

URL_SCHEMES = ("https", "http")


@dataclass
class Target:
    """Where the provider talks to, and with which credentials (the token never leaves here)."""

    provider: str
    base_url: str
    token: str = field(repr=False)
    verify_tls: bool
    label: str
    default_sender: str | None = None
    cli_path: str | None = None
    """For the ``cli`` provider: the vendor tool to run (``None``: ``noxinfluencer`` on PATH)."""
    cli_timeout: float = 30.0
    """For the ``cli`` provider: seconds one tool command may take before it is stopped."""


def describe_character(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: a character named so a rep can see what they cannot see."""
    name = unicodedata.name(char, "") or unicodedata.category(char)
    return f"U+{ord(char):04X} {name}".rstrip()


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be sent as a bearer token, or ``None``. Never quotes the token.

    HTTP header values are visible ASCII; anything else (a space inside, a zero-width space or a
    non-breaking space from a web page, a letter from another script) cannot be the token a server
    issued and would fail in the HTTP library with the header in its message.
    """
    if not token:
        return "it is empty"
    for position, char in enumerate(token, start=1):
        if not "!" <= char <= "~":
            return f"character {position} of {len(token)} is {describe_character(char)}, which no token contains"
    return None


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be an API base URL, or ``None``: it needs http(s), a host, and nothing odd."""
    if not url.strip():
        return "it is empty"
    for char in url:
        if not "!" <= char <= "~":
            return f"it contains {describe_character(char)}"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port that is not a number in range
    except ValueError as exc:
        return f"it cannot be read as a URL ({exc})"
    if parts.scheme.lower() not in URL_SCHEMES:
        if not parts.scheme or not parts.netloc:
            return "it has no scheme: write it as https://host/path"
        return f"its scheme is {parts.scheme!r}; use https:// (or http:// for a local sandbox)"
    if not parts.hostname:
        return "it names no host"
    if parts.username or parts.password:
        return "it carries a user name or password; put the token in the keyring instead"
    if parts.query or parts.fragment:
        return "it has a query or fragment; a base URL ends at its path"
    return None
