"""Where a provider talks to and with which credentials.

Plain data, built by the launcher from a profile and handed to the bootstrap. The token is kept out
of the dataclass repr: a traceback that prints locals, or a log line that formats a ``Target``, must
never carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
