"""Wiring: the provider a target gets, and the service (offline cache, local drafts) of each account.

Kept apart from the app so that ``app.py`` holds screens, keys and themes, and so that the command
line (``launch``) and the tests build providers the way the app does. Everything slow (pydantic,
httpx, the services, the inbox screen) is imported inside the functions: this module is loaded
before the first frame, and the first frame must not wait for any of it (``noxtui.startup``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from noxtui.domain.scrolling import pages
from noxtui.paths import Paths
from noxtui.startup import Prepared, Startup

if TYPE_CHECKING:
    from datetime import datetime

    from noxtui.domain.rows import ThreadRow
    from noxtui.domain.target import Target
    from noxtui.providers.base import Provider
    from noxtui.services.inbox import InboxService
    from noxtui.storage.cache import CacheScope, ThreadCache
    from noxtui.storage.drafts import LocalDrafts
    from noxtui.storage.settings import Settings
    from noxtui.tui.screens.boot import ListPosition
    from noxtui.tui.screens.inbox import InboxScreen

FIRST_PAGE_ROWS = 200
"""Rows read for the start-up screen: more than any terminal shows, a sliver of a big inbox."""

_UI_PACKAGES = ("noxtui.tui.screens", "noxtui.tui.widgets")


def build_provider(target: Target, cache_folder: Path | None = None) -> Provider:
    """The provider for a resolved target; the client never learns whether it is the sandbox.

    For the vendor CLI this runs the tool (version, login, schema): call it off the event loop,
    as ``Startup.prepare`` does. ``cache_folder`` keeps the tool's schema per version.
    """
    if target.provider == "cli":
        return build_cli_provider(target, cache_folder)
    if target.provider == "inbox":
        from noxtui.providers.inbox.provider import InboxProvider

        return InboxProvider(target.base_url, target.token, verify=target.verify_tls)
    from noxtui.providers.nox_rest.client import NoxClient
    from noxtui.providers.nox_rest.provider import NoxProvider

    client = NoxClient(target.base_url, target.token, verify=target.verify_tls)
    return NoxProvider(client)


def build_cli_provider(
    target: Target, cache_folder: Path | None = None, *, warn: Callable[[str], None] | None = None
) -> Provider:
    """The vendor-CLI provider, after checking the tool is there, new enough and logged in.

    Raises ``LaunchError`` with what to do (install, update, log in) when it is not; ``warn`` hears
    about a schema that could not be read (the documented filters stand in) and hidden filters.
    """
    from noxtui.providers.nox_cli import discovery
    from noxtui.providers.nox_cli.provider import NoxCliProvider
    from noxtui.providers.nox_cli.runner import CliRunner
    from noxtui.startup import LaunchError

    try:
        info = discovery.probe(discovery.resolve_tool(target.cli_path), cache_folder)
    except discovery.ToolProblem as exc:
        raise LaunchError(str(exc)) from None
    if warn is not None and info.schema.problem:
        warn(f"noxinfluencer {info.version}: {info.schema.problem}; using the documented list filters.")
    if warn is not None and info.schema.missing:
        hidden = ", ".join(info.schema.missing)
        warn(f"noxinfluencer {info.version} cannot filter by {hidden}: those filters are hidden.")
    runner = CliRunner(info.tool, timeout=target.cli_timeout, catalogue=info.catalogue)
    return NoxCliProvider(runner, schema=info.schema)


def load_ui_modules() -> None:
    """Import what the inbox needs (pydantic, the services, every screen and widget) ahead of use.

    Run in the start-up thread, so the event loop keeps drawing and taking keys meanwhile. Every
    screen and widget module is loaded, not only the inbox's own imports, so that the keymap check
    (``keymap.loaded_binding_ids``) sees the bindings of modals the inbox opens lazily.
    """
    import pkgutil

    import_module("noxtui.services.inbox")
    for package_name in _UI_PACKAGES:
        package = import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            import_module(module.name)


def prepare_now(
    target: Target | None,
    provider: Provider | None,
    settings: Settings | None,
    alternates: Sequence[Target],
    label: str | None,
) -> Prepared:
    """A one-step start (tests, tools): what ``Startup.prepare`` makes, built from the parts given."""
    from noxtui.storage.settings import Settings

    if provider is None:
        if target is None:
            raise ValueError("NoxTUI needs a startup, a provider or a target")
        provider = build_provider(target)
    base_url = target.base_url if target else getattr(getattr(provider, "client", None), "base_url", "")
    return Prepared(
        settings=settings or Settings(),
        provider=provider,
        base_url=base_url,
        label=label or (target.label if target else ""),
        alternates=[(build_provider(alternate), alternate.base_url) for alternate in alternates],
        default_sender=target.default_sender if target else None,
    )


def inbox_screens(
    services: Sequence[InboxService],
    settings: Settings,
    clock: Callable[[], datetime],
    default_sender: str | None,
    position: ListPosition | None = None,
) -> list[InboxScreen]:
    """One inbox screen per account; the first (the profile's own) gets the sender and the place
    the start-up list was left at."""
    from noxtui.tui.screens.inbox import InboxScreen

    return [
        InboxScreen(
            service,
            clock=clock,
            default_sender=default_sender if index == 0 else None,
            poll_interval=settings.poll_interval,
            start_at=position if index == 0 else None,
            paging=pages(settings.scroll, os.environ),
        )
        for index, service in enumerate(services)
    ]


class Wiring:
    """Where an app's stores live, and whether it keeps an offline cache at all.

    A plain class, not a dataclass: this module loads before the first frame (see ``KeymapCheck``).
    """

    __slots__ = ("paths", "use_cache")

    def __init__(self, paths: Paths, use_cache: bool = True) -> None:
        self.paths = paths
        self.use_cache = use_cache

    def first_rows(self, startup: Startup, label: str) -> list[ThreadRow]:
        """The cached newest rows of the profile's own account, for the first frame (none if unknown)."""
        if not (self.use_cache and startup.provider_name and startup.base_url):
            return []
        from noxtui.storage.cache.first_page import read_first_page
        from noxtui.storage.cache.scope import CacheScope

        scope = CacheScope.of(startup.provider_name, startup.base_url, label)
        page = read_first_page(self.paths.cache_db, scope, FIRST_PAGE_ROWS)
        return page.rows if page else []

    def prepare_in_thread(self, prepare: Callable[[], Prepared], label: str) -> tuple[Prepared, list[InboxService]]:
        """The slow half of a start, off the event loop: imports, ``prepare``, the caches opened
        and the first account's unfiltered rows loaded (what the inbox paints first)."""
        load_ui_modules()
        prepared = prepare()
        services = self.services_for(prepared, label or prepared.label)
        from noxtui.domain.filters import FilterState

        services[0].cached_rows(FilterState().to_query())
        return prepared, services

    def services_for(self, prepared: Prepared, label: str) -> list[InboxService]:
        """One service per account: the prepared one first, then the alternates behind ``A``."""
        accounts = [(prepared.provider, prepared.base_url), *prepared.alternates]
        return [self.service_for(provider, base_url, label) for provider, base_url in accounts]

    def service_for(self, provider: Provider, base_url: str, label: str) -> InboxService:
        from noxtui.services.inbox import InboxService

        cache, scope = self.open_cache(provider.name, base_url, label) if self.use_cache else (None, None)
        return InboxService(provider, drafts=self.open_drafts(provider.name, base_url), cache=cache, scope=scope)

    def open_drafts(self, provider_name: str, base_url: str) -> LocalDrafts | None:
        """The on-disk store of unsent text; without a writable data dir the app still runs (in memory)."""
        from noxtui.storage.drafts import LocalDrafts

        try:
            return LocalDrafts(self.paths.data_dir / "drafts.sqlite3", scope=f"{provider_name}:{base_url}")
        except OSError:
            return None

    def open_cache(
        self, provider_name: str, base_url: str, profile: str | None
    ) -> tuple[ThreadCache | None, CacheScope | None]:
        """The offline cache for this account; a broken file is rebuilt, an unwritable one means no cache."""
        from noxtui.storage.cache import CacheError, CacheScope, ThreadCache

        try:
            cache = ThreadCache.open_or_rebuild(self.paths.cache_db)
        except (CacheError, OSError):
            return None, None
        return cache, CacheScope.of(provider_name, base_url, profile)


async def close_services(services: Sequence[InboxService]) -> None:
    """Close each account's connections and cache (the app is ending, or quit before it was up)."""
    for service in services:
        await service.provider.aclose()
        if service.cache is not None:
            service.cache.close()
