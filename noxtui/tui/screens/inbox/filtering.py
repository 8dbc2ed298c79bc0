"""The inbox's filters: the toggles, the keyword box and the pickers (saved views: ``saved_views``).

Every path ends in ``apply_filters``: ``filters`` changes (the filter bar follows it, being bound
to it) and the list reloads. Pickers and the view prompt are awaited in workers, so each flow reads
top to bottom.
"""

from __future__ import annotations

from textual import on, work

from noxtui.domain.filters import Choice, ChoiceField, FilterState
from noxtui.tui.screens.inbox.base import InboxBase
from noxtui.tui.screens.picker import PickerScreen
from noxtui.tui.widgets.filter_bar import FilterBar


class FiltersMixin(InboxBase):
    """Changes ``filters``; never reads or writes anything."""

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
