"""The Textual application: owns the provider, the services, the themes and the global keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from noxtui.config import ConfigError, Paths, SavedView, Settings, save_settings
from noxtui.providers.base import Provider
from noxtui.services.inbox import InboxService
from noxtui.tui.screens.help import HelpScreen
from noxtui.tui.screens.inbox import InboxScreen
from noxtui.tui.themes import load_themes
from noxtui.tui.widgets.thread_list import ThreadList

if TYPE_CHECKING:
    from noxtui.launch import Target

_TUI = Path(__file__).parent
CSS_FILES = [
    _TUI / "widgets" / "thread_list.tcss",
    _TUI / "widgets" / "filter_bar.tcss",
    _TUI / "widgets" / "thread_detail.tcss",
    _TUI / "widgets" / "composer.tcss",
    _TUI / "widgets" / "panels.tcss",
    _TUI / "screens" / "inbox.tcss",
    _TUI / "screens" / "confirm.tcss",
    _TUI / "screens" / "help.tcss",
    _TUI / "screens" / "modals.tcss",
]


def build_provider(target: Target) -> Provider:
    """The provider for a resolved target; the client never learns whether it is the sandbox."""
    if target.provider == "inbox":
        from noxtui.providers.inbox import InboxProvider

        return InboxProvider(target.base_url, target.token, verify=target.verify_tls)
    from noxtui.api.client import NoxClient
    from noxtui.providers.nox import NoxProvider

    client = NoxClient(target.base_url, target.token, verify=target.verify_tls)
    return NoxProvider(client)


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
        super().__init__()
        if provider is None:
            if target is None:
                raise ValueError("NoxTUI needs a provider or a target")
            provider = build_provider(target)
        self.settings = settings or Settings()
        self.paths = paths or Paths.default()
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.persist_settings = persist_settings
        self.label = label or (target.label if target else "")
        self.use_cache = use_cache
        base_url = target.base_url if target else getattr(getattr(provider, "client", None), "base_url", "")
        self.services: list[InboxService] = [self._service_for(provider, base_url)]
        for alternate in alternates:
            self.services.append(self._service_for(build_provider(alternate), alternate.base_url))
        self.active = 0
        self.default_sender = target.default_sender if target else None
        self._theme_names: list[str] = []
        for theme in load_themes():
            self.register_theme(theme)
            self._theme_names.append(theme.name)
        wanted = self.settings.theme
        self.theme = wanted if wanted in self._theme_names else (self._theme_names[0] if self._theme_names else "textual-dark")

    def _service_for(self, provider: Provider, base_url: str) -> InboxService:
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
        from noxtui.services.drafts import LocalDrafts

        try:
            return LocalDrafts(self.paths.data_dir / "drafts.sqlite3", scope=f"{provider_name}:{base_url}")
        except OSError:
            return None

    def _open_cache(self, provider_name: str, base_url: str, profile: str | None):  # noqa: ANN202
        """The offline cache for this account; a broken file is rebuilt, an unwritable one means no cache."""
        from noxtui.cache import CacheError, CacheScope, ThreadCache

        try:
            cache = ThreadCache.open_or_rebuild(self.paths.cache_db)
        except (CacheError, OSError):
            return None, None
        return cache, CacheScope.of(provider_name, base_url, profile)

    def on_mount(self) -> None:
        for index, service in enumerate(self.services):
            screen = InboxScreen(
                service,
                clock=self.clock,
                default_sender=self.default_sender if index == 0 else None,
                poll_interval=self.settings.poll_interval,
            )
            self.install_screen(screen, name=f"inbox-{index}")
        self._show_active()
        self.push_screen("inbox-0")

    def _show_active(self) -> None:
        self.sub_title = f"{self.provider.display_name} · {self.label}".rstrip(" ·")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_provider":
            return len(self.services) > 1
        return True

    def action_switch_provider(self) -> None:
        """Show the next account's inbox; each keeps its own list, filters and cursor."""
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
        if theme not in self._theme_names or self.settings.theme == theme:
            return
        self.settings = self.settings.model_copy(update={"theme": theme})
        self._persist("Theme")

    def save_view(self, name: str, view: SavedView) -> str:
        """Store a named filter in the config file; returns what to tell the rep."""
        views = {**self.settings.views, name: view}
        self.settings = self.settings.model_copy(update={"views": views})
        return f"Saved view {name!r}." if self._persist("View") else f"View {name!r} kept for this session only."

    def _persist(self, what: str) -> bool:
        if not self.persist_settings:
            return False
        try:
            save_settings(self.settings, self.paths)
        except (OSError, ConfigError) as exc:
            self.notify(f"{what} not saved to the config file: {exc}", severity="warning")
            return False
        return True

    # --- help and palette -----------------------------------------------------------------------

    def binding_groups(self, screen: Screen | None = None) -> list[tuple[str, list[Binding]]]:
        """Every key the rep can press, grouped by where it applies, for the help screen."""
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
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.binding_groups(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, InboxScreen):
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
