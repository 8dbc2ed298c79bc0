"""How to build an ``HttpTransport`` again in another process: what a sync's page readers receive.

Why: a first sync of a million threads reads pages faster than one Python process can decode
them, so a sync may hand some pages to helper processes (``storage.cache.page_readers``). Each
helper needs a transport of its own to the same server under the same token, with the same limits.
A live ``httpx.AsyncClient`` cannot cross a process boundary; this plain description of one can.

Secrets: the token travels only inside this object, through the pipe to the helper's standard input
(never in its arguments or environment, which other users' tools can list). It is not in ``repr``
and not in ``str``; ``reveal`` is the one way to read it, called where the transport is rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SecretText:
    """A string that never prints: ``repr`` and ``str`` show ``***``."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return "***"

    def __repr__(self) -> str:
        return "SecretText('***')"

    def reveal(self) -> str:
        return self.value


@dataclass(frozen=True)
class TransportRecipe:
    """Every argument an ``HttpTransport`` was built with, except a test's stand-in transport."""

    base_url: str
    token: SecretText
    timeout: float
    max_retries: int
    backoff: float
    max_retry_after: float
    verify: bool
    user_agent: str
    deadline: float
    max_response_bytes: int
