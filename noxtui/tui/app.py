"""The Textual application: its screens, the global keys and the rep's keymap, the themes.

Imported before the first frame, so at module level it imports only Textual, the start-up screen
(with the list widget) and light neighbours (``keymap``, ``themes``, ``bootstrap``, whose slow
imports are inside its functions); pydantic, httpx, the services and the inbox screen load after
(``noxtui.startup``). Wiring is ``bootstrap.py``, the palette ``commands.py``, help ``screens/help.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from noxtui.paths import DEFAULT_THEME, Paths
from noxtui.startup import LaunchError, Prepared, Startup, resume_gc
from noxtui.tui.bootstrap import Wiring, close_services, inbox_screens, load_ui_modules, prepare_now
from noxtui.tui.crash import GuardedApp
from noxtui.tui.keymap import check_keymap, loaded_binding_ids
from noxtui.tui.local_time import local_now
from noxtui.tui.screens.boot import BootScreen, ListPosition, StartKeys
from noxtui.tui.themes import next_theme, pick_theme, register_themes

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from noxtui.domain.target import Target
    from noxtui.providers.base import Provider
    from noxtui.services.inbox import InboxService
    from noxtui.storage.settings import SavedView, Settings

_CSS = ("widgets/thread_list", "widgets/filter_bar", "widgets/thread_detail", "widgets/composer", "widgets/panels")
CSS_FILES: list[str | PurePath] = [
    Path(__file__).parent / f"{name}.tcss"
    for name in (*_CSS, "screens/inbox", "screens/boot", "screens/confirm", "screens/help", "screens/modals")
]


class NoxTUI(GuardedApp[None]):
    CSS_PATH = CSS_FILES
    TITLE = "noxtui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("t", "cycle_theme", "Theme", id="app.cycle-theme"),
        Binding("A", "switch_provider", "Switch provider", id="app.switch-provider"),
        Binding("q", "quit", "Quit", id="app.quit"),
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
        self.clock = clock or (lambda: local_now(self.settings.timezone if self.settings else None))
        self.persist_settings = persist_settings
        self.use_cache = use_cache
        self.settings: Settings | None = None
        self.services: list[InboxService] = []
        self.active = 0
        self.default_sender: str | None = None
        self.label = label or ""
        self.startup_error: LaunchError | None = None
        self.keymap: dict[str, str] = {}  # the usable [keymap] entries, in force; the problems of the rest:
        self.keymap_problems: list[str] = []
        self.start_keys: StartKeys | None = None  # keys held for the inbox while the start-up screen is up
        self._startup = startup
        if startup is not None:
            self.label = label or startup.label
            self._apply_keymap(startup.keymap, known_ids=None)  # checked in full once the screens load
        else:
            load_ui_modules()
            self._adopt(prepare_now(target, provider, settings, alternates, label))
        self.theme_names = register_themes(self)
        wanted = self.settings.theme if self.settings is not None else ((startup and startup.theme) or DEFAULT_THEME)
        self.theme = pick_theme(self.theme_names, wanted)

    @property
    def wiring(self) -> Wiring:  # built when used: ``paths`` may be changed before the app runs
        return Wiring(self.paths, self.use_cache)

    def _adopt(self, prepared: Prepared, services: list[InboxService] | None = None) -> None:
        """Take what ``prepare`` made: settings and keymap, and one service (cache, drafts) per account."""
        self.settings = prepared.settings
        self.label = self.label or prepared.label
        self.default_sender = prepared.default_sender
        self.services = services if services is not None else self.wiring.services_for(prepared, self.label)
        wanted = prepared.settings.keymap  # the class walk for ids only when there is a keymap to check
        self._apply_keymap(wanted, known_ids=loaded_binding_ids() if wanted else ())

    def _apply_keymap(self, wanted: Mapping[str, str], known_ids: Iterable[str] | None) -> None:
        check = check_keymap(wanted, known_ids)
        self.keymap, self.keymap_problems = check.keymap, check.problems
        self.set_keymap(check.keymap)

    @property
    def service(self) -> InboxService:
        """The active provider's service (the one the visible inbox shows)."""
        return self.services[self.active]

    @property
    def provider(self) -> Provider:
        return self.service.provider

    def get_default_screen(self) -> Screen:
        """With a ``startup``, the start-up list is the base screen: its rows are the very first frame."""
        if self._startup is None:
            return super().get_default_screen()
        # Two-step start: the cached rows now, the inbox once ``prepare`` is done (see startup.py).
        self.start_keys = StartKeys()
        self.sub_title = self.label
        return BootScreen.for_startup(self._startup, self.label, clock=self.clock, use_cache=self.use_cache)

    def on_mount(self) -> None:
        if self._startup is None:
            self._show_inbox()
            self._tell(self.keymap_problems)
            return
        # A worker, not a message handler: it awaits screen changes, which need the app's message loop free.
        self.call_after_refresh(lambda: self.run_worker(self._finish_start(), name="start-up", group="start-up"))

    async def _finish_start(self) -> None:
        assert self._startup is not None and self.start_keys is not None
        try:
            prepare = self._startup.prepare
            prepared, services = await asyncio.to_thread(self.wiring.prepare_in_thread, prepare, self.label)
        except LaunchError as exc:
            self.startup_error = exc
            self.exit(return_code=2)
            return
        if self.return_code is not None:  # the rep quit while it loaded: close what it opened
            await close_services(services)
            return
        self.start_keys.switching = True
        self._adopt(prepared, services)
        if prepared.settings.theme in self.theme_names:
            self.theme = prepared.settings.theme
        boot = self.screen
        # On top of the start-up screen, which stays underneath as the base screen (Textual's empty one otherwise).
        await self._show_inbox(boot.position() if isinstance(boot, BootScreen) else None)
        self._tell([*prepared.warnings, *self.keymap_problems])
        self.start_keys.replay(self)  # what the rep typed meanwhile, in order; then ``start_keys`` is None
        resume_gc()

    def _tell(self, warnings: Iterable[str]) -> None:
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=30)

    @property
    def ready(self) -> bool:
        """The inbox is up and keys act at once (nothing held for it any more)."""
        return bool(self.services) and self.start_keys is None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.start_keys is not None:
            if self.start_keys.hold(event, self.screen):  # held for the inbox: it acts once that is up
                return
        await super().on_event(event)

    def _show_inbox(self, position: ListPosition | None = None) -> AwaitMount:
        """One inbox screen per account, installed; the first one pushed (await it to see it up)."""
        assert self.settings is not None
        screens = inbox_screens(self.services, self.settings, self.clock, self.default_sender, position)
        for index, screen in enumerate(screens):
            self.install_screen(screen, name=f"inbox-{index}")
        self._show_active()
        return self.push_screen("inbox-0")

    def _show_active(self) -> None:
        self.sub_title = f"{self.provider.display_name} · {self.label}".rstrip(" ·")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return len(self.services) > 1 if action == "switch_provider" else True

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
        await close_services(self.services)

    def action_cycle_theme(self) -> None:
        self.theme = next_theme(self.theme_names, self.theme)
        self.notify(f"Theme: {self.theme}")

    def watch_theme(self, theme: str) -> None:
        # Without settings the app is still starting: the theme came from the config file itself.
        if self.settings is None or theme not in self.theme_names or self.settings.theme == theme:
            return
        self.settings = self.settings.model_copy(update={"theme": theme})
        self._persist("Theme")

    def store_views(self, views: dict[str, SavedView]) -> bool:
        """Keep every saved view (after a save, rename or delete) in the config file; False: this session only."""
        assert self.settings is not None  # views are changed from the inbox, which exists once settings do
        self.settings = self.settings.model_copy(update={"views": views})
        return self._persist("Views")

    def _persist(self, what: str) -> bool:
        if not self.persist_settings or self.settings is None:
            return False
        from noxtui.storage.settings import save_or_explain

        problem = save_or_explain(self.settings, self.paths)
        if problem is not None:
            self.notify(f"{what} not saved to the config file: {problem}", severity="warning")
        return problem is None

    def action_help(self) -> None:
        from noxtui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.of_app(self, self.keymap))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from noxtui.tui.commands import palette_commands

        yield from super().get_system_commands(screen)
        yield from palette_commands(self, screen)
