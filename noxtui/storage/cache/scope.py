"""Whose threads a cache row belongs to.

One cache file serves every profile: the same ``thread_id`` can exist on production and on the
sandbox (or on two accounts), and mixing them would show one account's creators in another's
inbox. Every row is therefore keyed by (provider, account, thread_id), where the account is the
profile name plus the base URL (a profile repointed at another server must not reuse its rows).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CacheScope:
    """A provider name (``nox``, ``inbox``) and the account it talks to."""

    provider: str
    account: str

    @classmethod
    def of(cls, provider: str, base_url: str, profile: str | None = None) -> CacheScope:
        """The scope for a profile: ``CacheScope.of("nox", "https://api.example/v1", "work")``."""
        url = base_url.rstrip("/")
        return cls(provider, f"{profile}@{url}" if profile else url)

    def __str__(self) -> str:
        return f"{self.provider}:{self.account}"
