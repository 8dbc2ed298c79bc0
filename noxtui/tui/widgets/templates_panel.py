"""Templates side panel: templates grouped by language with a live preview of the highlighted one."""

from __future__ import annotations

from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from noxtui.domain.models import Template
from noxtui.domain.text import sanitize
from noxtui.tui.plain import plain_text
from noxtui.tui.widgets.side_panel import SidePanel


class TemplatesPanel(SidePanel):
    """The server's templates; enter plans using one, ``a`` plans saving the draft as a new one."""

    TITLE = "Templates"
    HINT = "enter applies · a saves the draft as a template · esc closes"
    BINDINGS = [
        Binding("a", "save_draft", "Save draft as template", show=True, id="templates.save-draft"),
        Binding("escape", "close", "Close", show=True, id="templates.close"),
    ]

    class Use(Message):
        def __init__(self, template: Template) -> None:
            self.template = template
            super().__init__()

    class SaveDraft(Message):
        """Save the composer's text as a template (the screen asks for a name, then plans it)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._templates: dict[str, Template] = {}

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="templates-list")
        with VerticalScroll(id="template-preview-box"):
            yield Static("", id="template-preview", markup=False)

    def show(self, templates: list[Template]) -> None:
        """List the templates grouped by language, the first highlighted; takes the focus."""
        self._templates = {t.template_id: t for t in templates}
        listing = self.query_one("#templates-list", OptionList)
        listing.clear_options()
        ordered = sorted(templates, key=lambda t: (t.language, t.name.lower()))
        for language, group in groupby(ordered, key=lambda t: t.language):
            listing.add_option(Option(plain_text(f"— {language} —", "bold"), disabled=True))
            listing.add_options(Option(plain_text(t.name), id=t.template_id) for t in group)
        first_enabled = next((i for i, o in enumerate(listing.options) if not o.disabled), None)
        listing.highlighted = first_enabled
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        template = self._templates.get(event.option.id or "")
        preview = self.query_one("#template-preview", Static)
        if template is None:
            preview.update("")
            return
        text = Text()
        if template.subject:
            text.append(sanitize(template.subject) + "\n", style="bold")
        text.append(sanitize(template.body))
        preview.update(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        template = self._templates.get(event.option.id or "")
        if template is not None:
            self.post_message(self.Use(template))

    def action_save_draft(self) -> None:
        self.post_message(self.SaveDraft())
