"""A path prompt with completion: the keyboard file picker (attach a file, choose a folder).

Typing shows the completion greyed after the cursor; ``tab`` (or → at the end) takes it, the way a
shell completes. Only the folder being typed is listed, so it stays fast in a huge home folder.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

from noxtui.services.files import complete_path
from noxtui.tui.screens.prompt import Check, PromptScreen


class PathSuggester(Suggester):
    """Suggests the completion of the path typed so far (not cached: the folder may change)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        completed = complete_path(value)
        return completed if completed and completed != value else None


class PathPromptScreen(PromptScreen):
    """``PromptScreen`` for a path: tab completes it."""

    BINDINGS = [Binding("tab", "complete", "Complete the path", show=True, priority=True, id="path.complete")]

    def __init__(self, title: str, *, value: str = "", hint: str = "", check: Check | None = None) -> None:
        super().__init__(title, value=value, placeholder="~/Documents/rates.pdf", hint=hint, check=check)

    def on_mount(self) -> None:
        self.query_one(Input).suggester = PathSuggester()

    def action_complete(self) -> None:
        field = self.query_one(Input)
        completed = complete_path(field.value)
        if completed is not None and completed != field.value:
            field.value = completed
            field.cursor_position = len(completed)
