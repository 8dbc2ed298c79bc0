"""NoxInfluencer through the vendor's own command-line tool ``noxinfluencer``: a rep's real account.

The vendor publishes no HTTP paths for message threads; what a rep installs and logs in to is its
CLI (``shared/contract/nox-cli.md``). This provider runs that tool, one subprocess per command, and
reads its JSON envelopes into the same models the REST provider gives. The data under ``data`` has
the same shapes as our REST contract (chosen in the contract note), so the pure plan builders and
parsers of ``nox_rest`` are reused here; what is this package's own is the process, the argv, the
exit codes, the tool's schema and its dry-run.

Loaded on first use, like the other providers, so start-up does not import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noxtui.providers.nox_cli.provider import NoxCliProvider

__all__ = ["NoxCliProvider"]


def __getattr__(name: str) -> Any:
    if name == "NoxCliProvider":
        from noxtui.providers.nox_cli.provider import NoxCliProvider

        return NoxCliProvider
    raise AttributeError(name)
