"""The inbox's filters: the toggles, the keyword box, the pickers and saved views.

Every path ends in ``apply_filters``: ``filters`` changes (the filter bar follows it, being bound
to it) and the list reloads. Pickers and the view prompt are awaited in workers, so each flow reads
top to bottom.
"""

from __future__ import annotations

from textual import on, work

from noxtui.domain.filters import Choice, ChoiceField, FilterState
from noxtui.storage.views import from_saved_view, to_saved_view
from noxtui.tui.screens.inbox.base import InboxBase
from noxtui.tui.screens.picker import PickerResult, PickerScreen
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.filter_bar import FilterBar

SAVE_VIEW = "\x00save"
"""The saved-views picker's first entry: save the current filter instead of applying a view."""


class FiltersMixin(InboxBase):
    """Changes ``filters``; never reads or writes anything but the saved views."""

    def apply_filters(self, state: FilterState) -> None:
        self.filters = state
        self.load_list(keep=self._wanted_thread)

    def action_cycle_needs_reply(self) -> None:
        self.apply_filters(self.filters.cycle_needs_reply())

    def action_cycle_direction(self) -> None:
        self.apply_filters(self.filters.cycle_direction())

    def action_cycle_view(self) -> None:
        """All threads → deal (the creator wrote last) → unread, as the server lists them."""
        self.apply_filters(self.filters.cycle_view(self.traits.views))

    def action_clear_filters(self) -> None:
        self.apply_filters(FilterState())

    def action_keyword(self) -> None:
        self.filter_bar.open_keyword(self.filters.keyword)

    @on(FilterBar.KeywordChanged)
    def _keyword_changed(self, event: FilterBar.KeywordChanged) -> None:
        if event.keyword.strip() != self.filters.keyword:
            self.apply_filters(self.filters.with_keyword(event.keyword))
        if event.final:
            self.thread_list.focus()

    # --- pickers --------------------------------------------------------------------------------

    def action_pick_label(self) -> None:
        labels = self.catalogues.labels
        self._pick("label", "Filter by label", [Choice(label.label_id, label.name) for label in labels])

    def action_pick_status(self) -> None:
        statuses = self.catalogues.statuses
        self._pick("coop_status", "Filter by coop status", [Choice(s.code, s.name) for s in statuses])

    def action_pick_project(self) -> None:
        projects = self.catalogues.projects
        self._pick("project", "Filter by project", [Choice(p.project_id, p.name) for p in projects])

    def action_pick_member(self) -> None:
        members = self.catalogues.members
        self._pick("member", "Filter by team member", [Choice(m.user_uid, m.name) for m in members])

    @work(group="pickers")
    async def _pick(self, field: ChoiceField, title: str, choices: list[Choice]) -> None:
        current: Choice | None = getattr(self.filters, field)
        result = await self.app.push_screen_wait(PickerScreen(title, choices, current.value if current else None))
        if result is not None:
            self.apply_filters(self.filters.with_choice(field, result.choice))

    # --- saved views ----------------------------------------------------------------------------

    def action_views(self) -> None:
        """Pick a saved view to apply, or save the current filter under a name."""
        self._choose_view()

    @work(group="pickers")
    async def _choose_view(self) -> None:
        settings = self.view_store.settings
        views = settings.views if settings is not None else {}
        choices = [Choice(SAVE_VIEW, f"+ Save the current filter ({self.filters.describe()}) as a view…")]
        choices += [Choice(name, f"{name}: {from_saved_view(view).describe()}") for name, view in sorted(views.items())]
        result: PickerResult | None = await self.app.push_screen_wait(
            PickerScreen("Saved views", choices, any_label=None)
        )
        if result is None or result.choice is None:
            return
        if result.choice.value != SAVE_VIEW:
            self.apply_view(result.choice.value)
            return
        state = self.filters
        name = await self.app.push_screen_wait(
            PromptScreen(
                "Name this view",
                placeholder="e.g. Hot leads waiting on us",
                hint=f"saves: {state.describe()} · enter: save · esc: back",
                check=lambda v: None if v.strip() else "Give the view a name.",
            )
        )
        if name is not None:
            self.notify(self.view_store.save_view(name.strip(), to_saved_view(state)))

    def apply_view(self, name: str) -> None:
        """Show the list for the saved view ``name`` (the palette's "View: …" entries call this)."""
        settings = self.view_store.settings
        view = settings.views.get(name) if settings is not None else None
        if view is None:
            self.notify(f"No saved view named {name!r}.", severity="warning")
            return
        self.apply_filters(from_saved_view(view))
        self.notify(f"View {name}: {self.filters.describe()}")
