"""Saved views: apply one, save the current filter under a name, rename or delete one.

Views live in the settings (``[views.NAME]`` in the config file); the app stores the whole table
after every change (``ViewStore.store_views``), so a rename or a delete survives a restart. A rename
refuses an empty name or one another view has, in the prompt itself, so nothing typed is lost; a
delete asks first. The picker (``v``) and the palette reach the same flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from noxtui.domain.filters import Choice
from noxtui.storage.views import from_saved_view, to_saved_view
from noxtui.tui.screens.choice import Answer, ChoiceScreen
from noxtui.tui.screens.inbox.filtering import FiltersMixin
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.screens.views_picker import ViewAction, ViewEdit, ViewsPickerScreen

if TYPE_CHECKING:
    from noxtui.storage.settings import SavedView

SAVE_VIEW = "\x00save"
"""The saved-views picker's first entry: save the current filter instead of applying a view."""


class SavedViewsMixin(FiltersMixin):
    """The saved views' flows, each awaited in a worker so it reads top to bottom."""

    def saved_views(self) -> dict[str, SavedView]:
        settings = self.view_store.settings
        return dict(settings.views) if settings is not None else {}

    def _view_choices(self) -> list[Choice]:
        views = sorted(self.saved_views().items())
        return [Choice(name, f"{name}: {from_saved_view(view).describe()}") for name, view in views]

    def _store(self, views: dict[str, SavedView], done: str) -> None:
        kept = self.view_store.store_views(views)
        self.notify(done if kept else f"{done} (for this session only: the config file was not written)")

    # --- the picker -----------------------------------------------------------------------------

    def action_views(self) -> None:
        """Pick a saved view to apply, save the current filter under a name, or rename/delete a view."""
        self._choose_view()

    @work(group="pickers")
    async def _choose_view(self) -> None:
        choices = [Choice(SAVE_VIEW, f"+ Save the current filter ({self.filters.describe()}) as a view…")]
        choices += self._view_choices()
        picker = ViewsPickerScreen("Saved views", choices, self.saved_views())
        result = await self.app.push_screen_wait(picker)
        if result is None or result.choice is None:
            return
        if isinstance(result, ViewAction):
            await self._edit_view(result.choice.value, result.edit)
        elif result.choice.value == SAVE_VIEW:
            await self._save_current()
        else:
            self.apply_view(result.choice.value)

    async def _save_current(self) -> None:
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
            self._store({**self.saved_views(), name.strip(): to_saved_view(state)}, f"Saved view {name.strip()!r}.")

    def apply_view(self, name: str) -> None:
        """Show the list for the saved view ``name`` (the palette's "View: …" entries call this)."""
        view = self.saved_views().get(name)
        if view is None:
            self.notify(f"No saved view named {name!r}.", severity="warning")
            return
        self.apply_filters(from_saved_view(view))
        self.notify(f"View {name}: {self.filters.describe()}")

    # --- rename and delete (the picker's r and d, and the palette) ------------------------------

    def action_rename_view(self) -> None:
        """Pick a saved view, then give it a new name (the palette's "Rename a saved view…")."""
        self._pick_then_edit("rename")

    def action_delete_view(self) -> None:
        """Pick a saved view, then delete it after a yes (the palette's "Delete a saved view…")."""
        self._pick_then_edit("delete")

    @work(group="pickers")
    async def _pick_then_edit(self, edit: ViewEdit) -> None:
        choices = self._view_choices()
        if not choices:
            self.notify("There are no saved views yet (v saves the current filter as one).", severity="warning")
            return
        verb = "rename" if edit == "rename" else "delete"
        picker = ViewsPickerScreen(f"Which saved view to {verb}? · enter: {verb}", choices, self.saved_views())
        result = await self.app.push_screen_wait(picker)
        if result is not None and result.choice is not None:
            await self._edit_view(result.choice.value, result.edit if isinstance(result, ViewAction) else edit)

    async def _edit_view(self, name: str, edit: ViewEdit) -> None:
        if edit == "rename":
            await self._rename_view(name)
        else:
            await self._delete_view(name)

    def _new_name_problem(self, typed: str, old: str) -> str | None:
        new = typed.strip()
        if not new:
            return "Give the view a name (the old one stays until you do)."
        if new != old and new in self.saved_views():
            return f"There is already a view named {new!r}: choose another name."
        return None

    async def _rename_view(self, old: str) -> None:
        new = await self.app.push_screen_wait(
            PromptScreen(
                f"Rename the view {old!r}",
                value=old,
                hint="enter: rename · esc: back, nothing changes",
                check=lambda typed: self._new_name_problem(typed, old),
            )
        )
        views = self.saved_views()
        if new is None or new.strip() == old or old not in views:
            self.notify(f"View {old!r} not renamed.")
            return
        renamed = {(new.strip() if name == old else name): view for name, view in views.items()}
        self._store(renamed, f"Renamed view {old!r} to {new.strip()!r}.")

    async def _delete_view(self, name: str) -> None:
        view = self.saved_views().get(name)
        if view is None:
            return
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "Delete a saved view",
                f"Delete the saved view {name!r} ({from_saved_view(view).describe()})? "
                "Only the view goes; no thread changes.",
                [Answer("y", "delete it", "delete"), Answer("n", "keep it", "keep")],
            )
        )
        views = self.saved_views()
        if answer != "delete" or name not in views:
            self.notify(f"View {name!r} kept.")
            return
        del views[name]
        self._store(views, f"Deleted view {name!r}.")
