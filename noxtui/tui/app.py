"""The Textual application: owns the provider, the services, the themes and the global keys.

This module is imported before the first frame, so it imports only Textual, the list widget and
the start-up screen; the inbox screen, the services, pydantic and httpx load after (see
``noxtui.startup``) or where a method first needs them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from noxtui.paths import DEFAULT_THEME, Paths
from noxtui.startup import LaunchError, Prepared, Startup, resume_gc
from noxtui.tui.screens.boot import NAVIGATION_KEYS, BootScreen, ListPosition
from noxtui.tui.themes import load_themes
from noxtui.tui.widgets.thread_list import ThreadList

if TYPE_CHECKING:
    from noxtui.domain.target import Target
    from noxtui.providers.base import Provider
    from noxtui.services.inbox import InboxService
    from noxtui.storage.settings import SavedView, Settings

_TUI = Path(__file__).parent
CSS_FILES = [
    _TUI / "widgets" / "thread_list.tcss",
    _TUI / "widgets" / "filter_bar.tcss",
    _TUI / "widgets" / "thread_detail.tcss",
    _TUI / "widgets" / "composer.tcss",
    _TUI / "widgets" / "panels.tcss",
    _TUI / "screens" / "inbox.tcss",
    _TUI / "screens" / "boot.tcss",
    _TUI / "screens" / "confirm.tcss",
    _TUI / "screens" / "help.tcss",
    _TUI / "screens" / "modals.tcss",
]

FIRST_PAGE_ROWS = 200
"""Rows read for the start-up screen: more than any terminal shows, a sliver of a big inbox."""

QUIT_KEYS = frozenset({"ctrl+q", "ctrl+c"})
"""Not held while ``prepare`` runs: a rep who wants out must get out even if the start hangs (a
keyring prompt, a dead sandbox). Held only for the moment the inbox replaces the start-up screen,
when quitting would take apart widgets that are still being put together."""


def build_provider(target: Target) -> Provider:
    """The provider for a resolved target; the client never learns whether it is the sandbox."""
    if target.provider == "inbox":
        from noxtui.providers.inbox.provider import InboxProvider

        return InboxProvider(target.base_url, target.token, verify=target.verify_tls)
    from noxtui.providers.nox_rest.client import NoxClient
    from noxtui.providers.nox_rest.provider import NoxProvider

    client = NoxClient(target.base_url, target.token, verify=target.verify_tls)
    return NoxProvider(client)


def _load_inbox_modules() -> None:
    """Import what the inbox needs (pydantic, the services, its screen) ahead of its use.

    Run in the start-up thread, so the event loop keeps drawing and taking keys meanwhile.
    """
    import noxtui.services.inbox  # noqa: F401
    import noxtui.tui.screens.inbox  # noqa: F401


class NoxTUI(App[None]):
    CSS_PATH = CSS_FILES
    TITLE = "noxtui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("t", "cycle_theme", "Theme"),
        Binding("A", "switch_provider", "Switch provider"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        *,
        startup: Startup | None = None,
        target: Target | None = None,
        provider: Provider | None = None,
        settings: Settings | None = None,
        paths: Paths | None = None,
        clock: Callable[[], datetime] | None = None,
        label: str | None = None,
        persist_settings: bool = True,
        use_cache: bool = True,
        alternates: Sequence[Target] = (),
    ) -> None:
        """Either a ``startup`` (the command line: the inbox loads after the first frame) or the
        parts themselves (tests, tools: everything is built here, before the app runs)."""
        super().__init__()
        self.paths = (startup.paths if startup else None) or paths or Paths.default()
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.persist_settings = persist_settings
        self.use_cache = use_cache
        self.settings: Settings | None = None
        self.services: list[InboxService] = []
        self.active = 0
        self.default_sender: str | None = None
        self.label = label or ""
        self.startup_error: LaunchError | None = None
        self._startup = startup
        self._held_keys: list[events.Key] | None = None
        self._switching = False
        if startup is not None:
            self.label = label or startup.label
        else:
            self._adopt(self._prepare_now(target, provider, settings, alternates, label))
        self._theme_names: list[str] = []
        for theme in load_themes():
            self.register_theme(theme)
            self._theme_names.append(theme.name)
        wanted = self.settings.theme if self.settings is not None else ((startup and startup.theme) or DEFAULT_THEME)
        self.theme = wanted if wanted in self._theme_names else (self._theme_names[0] if self._theme_names else "textual-dark")

    @staticmethod
    def _prepare_now(
        target: Target | None,
        provider: Provider | None,
        settings: Settings | None,
        alternates: Sequence[Target],
        label: str | None,
    ) -> Prepared:
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

    def _adopt(self, prepared: Prepared, services: list[InboxService] | None = None) -> None:
        """Take what ``prepare`` made: settings, and one service (cache, drafts) per account."""
        self.settings = prepared.settings
        self.label = self.label or prepared.label
        self.default_sender = prepared.default_sender
        self.services = services if services is not None else self._services_for(prepared)

    def _services_for(self, prepared: Prepared) -> list[InboxService]:
        accounts = [(prepared.provider, prepared.base_url), *prepared.alternates]
        return [self._service_for(provider, base_url) for provider, base_url in accounts]

    def _prepare_in_thread(self, prepare: Callable[[], Prepared]) -> tuple[Prepared, list[InboxService]]:
        """The slow half of a start, off the event loop: imports, ``prepare``, the caches opened
        and the first account's unfiltered rows loaded (what the inbox paints first)."""
        _load_inbox_modules()
        prepared = prepare()
        self.label = self.label or prepared.label
        services = self._services_for(prepared)
        from noxtui.domain.filters import FilterState

        services[0].cached_rows(FilterState().to_query())
        return prepared, services

    def _service_for(self, provider: Provider, base_url: str) -> InboxService:
        from noxtui.services.inbox import InboxService

        cache, scope = self._open_cache(provider.name, base_url, self.label) if self.use_cache else (None, None)
        return InboxService(provider, drafts=self._open_drafts(provider.name, base_url), cache=cache, scope=scope)

    @property
    def service(self) -> InboxService:
        """The active provider's service (the one the visible inbox shows)."""
        return self.services[self.active]

    @property
    def provider(self) -> Provider:
        return self.service.provider

    def _open_drafts(self, provider_name: str, base_url: str):  # noqa: ANN202 - LocalDrafts | None
        """The on-disk store of unsent text; without a writable data dir the app still runs (in memory)."""
        from noxtui.storage.drafts import LocalDrafts

        try:
            return LocalDrafts(self.paths.data_dir / "drafts.sqlite3", scope=f"{provider_name}:{base_url}")
        except OSError:
            return None

    def _open_cache(self, provider_name: str, base_url: str, profile: str | None):  # noqa: ANN202
        """The offline cache for this account; a broken file is rebuilt, an unwritable one means no cache."""
        from noxtui.storage.cache import CacheError, CacheScope, ThreadCache

        try:
            cache = ThreadCache.open_or_rebuild(self.paths.cache_db)
        except (CacheError, OSError):
            return None, None
        return cache, CacheScope.of(provider_name, base_url, profile)

    def get_default_screen(self) -> Screen:
        """With a ``startup``, the base screen is the start-up list itself: its rows are the very
        first frame (a pushed screen would come after a blank one)."""
        if self._startup is None:
            return super().get_default_screen()
        # Two-step start: the cached rows now, the inbox once ``prepare`` is done (see startup.py).
        self._held_keys = []
        self.sub_title = self.label
        return BootScreen(self._first_rows(self._startup), clock=self.clock)

    def on_mount(self) -> None:
        if self._startup is None:
            self._show_inbox()
            return
        # A worker, not a message handler: it awaits screen changes, which need the app's own
        # message loop to be free.
        self.call_after_refresh(lambda: self.run_worker(self._finish_start(), name="start-up", group="start-up"))

    def _first_rows(self, startup: Startup) -> list:  # noqa: ANN401 - list[ThreadRow]
        if not (self.use_cache and startup.provider_name and startup.base_url):
            return []
        from noxtui.storage.cache.first_page import read_first_page
        from noxtui.storage.cache.scope import CacheScope

        scope = CacheScope.of(startup.provider_name, startup.base_url, self.label)
        page = read_first_page(self.paths.cache_db, scope, FIRST_PAGE_ROWS)
        return page.rows if page else []

    async def _finish_start(self) -> None:
        assert self._startup is not None
        try:
            prepared, services = await asyncio.to_thread(self._prepare_in_thread, self._startup.prepare)
        except LaunchError as exc:
            self.startup_error = exc
            self.exit(return_code=2)
            return
        if self._exit or self._closing:  # the rep quit while it loaded: close what it opened
            for service in services:
                await service.provider.aclose()
                if service.cache is not None:
                    service.cache.close()
            return
        self._switching = True
        self._adopt(prepared, services)
        if self.settings is not None and self.settings.theme in self._theme_names:
            self.theme = self.settings.theme
        boot = self.screen
        position = boot.position() if isinstance(boot, BootScreen) else None
        self._install_inbox_screens(position)
        self._show_active()
        # On top of the start-up screen, which stays underneath as the app's base screen (where
        # an app without a start-up has Textual's empty default screen).
        await self.push_screen("inbox-0")
        for warning in prepared.warnings:
            self.notify(warning, severity="warning", timeout=30)
        self._release_keys()
        resume_gc()

    @property
    def ready(self) -> bool:
        """The inbox is up and keys act at once (nothing held for it any more)."""
        return bool(self.services) and self._held_keys is None and not self._switching

    def _release_keys(self) -> None:
        """Replay, in order, what the rep typed while the inbox was loading."""
        held, self._held_keys = self._held_keys or [], None
        self._switching = False
        for key in held:
            self.post_message(events.Key(key.key, key.character))

    async def on_event(self, event: events.Event) -> None:
        if self._held_keys is not None and isinstance(event, events.Key) and not event.is_forwarded:
            if not self._acts_during_start(event.key):
                self._held_keys.append(event)
                return
        await super().on_event(event)

    def _acts_during_start(self, key: str) -> bool:
        """Quit, and moving through the start-up list, act at once; the rest waits for the inbox.

        Once one key is held every later one is too, so keys still act in the order typed (a
        ``j`` after a held ``n`` must move through the filtered list, not the first one). Nothing
        acts while the inbox replaces the start-up screen.
        """
        if self._switching:
            return False
        if key in QUIT_KEYS:
            return True
        return not self._held_keys and key in NAVIGATION_KEYS and isinstance(self.screen, BootScreen)

    def _show_inbox(self) -> None:
        self._install_inbox_screens()
        self._show_active()
        self.push_screen("inbox-0")

    def _install_inbox_screens(self, position: ListPosition | None = None) -> None:
        from noxtui.tui.screens.inbox import InboxScreen

        assert self.settings is not None
        for index, service in enumerate(self.services):
            screen = InboxScreen(
                service,
                clock=self.clock,
                default_sender=self.default_sender if index == 0 else None,
                poll_interval=self.settings.poll_interval,
                start_at=position if index == 0 else None,
            )
            self.install_screen(screen, name=f"inbox-{index}")

    def _show_active(self) -> None:
        self.sub_title = f"{self.provider.display_name} · {self.label}".rstrip(" ·")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_provider":
            return len(self.services) > 1
        return True

    def action_switch_provider(self) -> None:
        """Show the next account's inbox; each keeps its own list, filters and cursor."""
        from noxtui.tui.screens.inbox import InboxScreen

        if len(self.services) < 2 or not isinstance(self.screen, InboxScreen):
            return
        self.active = (self.active + 1) % len(self.services)
        self.switch_screen(f"inbox-{self.active}")
        self._show_active()
        self.notify(f"Now showing {self.provider.display_name}")

    async def on_unmount(self) -> None:
        for service in self.services:
            await service.provider.aclose()
            if service.cache is not None:
                service.cache.close()

    # --- themes ---------------------------------------------------------------------------------

    def action_cycle_theme(self) -> None:
        names = self._theme_names or [self.theme]
        position = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(position + 1) % len(names)]
        self.notify(f"Theme: {self.theme}")

    def watch_theme(self, theme: str) -> None:
        if self.settings is None:  # still starting: the theme came from the config file itself
            return
        if theme not in self._theme_names or self.settings.theme == theme:
            return
        self.settings = self.settings.model_copy(update={"theme": theme})
        self._persist("Theme")

    def save_view(self, name: str, view: SavedView) -> str:
        """Store a named filter in the config file; returns what to tell the rep."""
        assert self.settings is not None  # views are saved from the inbox, which exists once settings do
        views = {**self.settings.views, name: view}
        self.settings = self.settings.model_copy(update={"views": views})
        return f"Saved view {name!r}." if self._persist("View") else f"View {name!r} kept for this session only."

    def _persist(self, what: str) -> bool:
        if not self.persist_settings:
            return False
        from noxtui.storage.settings import ConfigError, save_settings

        assert self.settings is not None
        try:
            save_settings(self.settings, self.paths)
        except (OSError, ConfigError) as exc:
            self.notify(f"{what} not saved to the config file: {exc}", severity="warning")
            return False
        return True

    # --- help and palette -----------------------------------------------------------------------

    def binding_groups(self, screen: Screen | None = None) -> list[tuple[str, list[Binding]]]:
        """Every key the rep can press, grouped by where it applies, for the help screen."""
        from noxtui.tui.screens.inbox import InboxScreen

        inbox = screen if isinstance(screen, InboxScreen) else None
        groups: list[tuple[str, list[Binding]]] = [
            ("Thread list", [b for b in ThreadList.BINDINGS if isinstance(b, Binding)]),
        ]
        if inbox is not None:
            allowed = [b for b in InboxScreen.BINDINGS if isinstance(b, Binding) and inbox.check_action(b.action, ()) is not False]
            groups.append(("Inbox", allowed))
        else:
            groups.append(("Inbox", [b for b in InboxScreen.BINDINGS if isinstance(b, Binding)]))
        from noxtui.tui.screens.confirm import ConfirmScreen
        from noxtui.tui.widgets.batch_labels_panel import BatchLabelsPanel
        from noxtui.tui.widgets.context_panels import CrmPanel, EmailTaskPanel
        from noxtui.tui.widgets.labels_panel import LabelsPanel
        from noxtui.tui.widgets.templates_panel import TemplatesPanel

        panels = [LabelsPanel, BatchLabelsPanel, TemplatesPanel, EmailTaskPanel, CrmPanel]
        seen: set[tuple[str, str]] = set()
        panel_bindings: list[Binding] = []
        for panel in panels:
            for binding in panel.BINDINGS:
                if isinstance(binding, Binding) and (binding.key, binding.description) not in seen:
                    seen.add((binding.key, binding.description))
                    panel_bindings.append(binding)
        groups.append(("Side panels", panel_bindings))
        groups.append(("Confirm modal", [b for b in ConfirmScreen.BINDINGS if isinstance(b, Binding)]))
        groups.append(
            (
                "Everywhere",
                [
                    *[b for b in self.BINDINGS if isinstance(b, Binding)],
                    Binding("tab", "focus_next", "Next pane"),
                    Binding("ctrl+p", "command_palette", "Command palette (every action)"),
                ],
            )
        )
        return groups

    def action_help(self) -> None:
        from noxtui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_groups(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from noxtui.tui.screens.inbox import InboxScreen

        yield from super().get_system_commands(screen)
        if isinstance(screen, InboxScreen) and self.settings is not None:
            for binding in InboxScreen.BINDINGS:
                if not isinstance(binding, Binding) or screen.check_action(binding.action, ()) is False:
                    continue
                action = binding.action
                yield SystemCommand(
                    binding.description,
                    f"{binding.description} (key: {binding.key})",
                    lambda action=action: screen.run_action(action),
                )
            if screen.check_action("archive", ()):
                yield SystemCommand(
                    "Archive conversation…",
                    "Archive the open thread and its sibling task threads (not the CRM archive); confirm first",
                    screen.action_archive,
                )
            for name in sorted(self.settings.views):
                yield SystemCommand(
                    f"View: {name}", "Apply this saved view", lambda name=name: screen.apply_view(name)
                )
        yield SystemCommand("Help", "Show every key binding", self.action_help)
        if len(self.services) > 1:
            yield SystemCommand("Switch provider", "Show the other account's inbox (NoxInfluencer / Inbox X DMs)", self.action_switch_provider)
        yield SystemCommand("Next theme", "Cycle noxtui-dark / light / contrast", self.action_cycle_theme)
