"""Templates side panel: one language at a time (``g`` switches), and the highlighted template
rendered for the open thread before it is applied, its unfilled ``{{variables}}`` marked."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from noxtui.domain.models import Template
from noxtui.domain.templates import VARIABLE, render
from noxtui.domain.text import sanitize
from noxtui.tui.plain import plain_text
from noxtui.tui.widgets.side_panel import SidePanel

ALL_LANGUAGES = "all"


def _marked(text: str) -> Text:
    """Rendered text with every ``{{variable}}`` still unfilled shown in reverse, so it stands out."""
    shown = Text()
    position = 0
    for match in VARIABLE.finditer(text):
        shown.append(sanitize(text[position : match.start()]))
        shown.append(sanitize(match.group(0)), style="reverse bold")
        position = match.end()
    shown.append(sanitize(text[position:]))
    return shown


class TemplatesPanel(SidePanel):
    """The server's templates; enter applies one (asking its variables), ``a`` saves the draft as one."""

    TITLE = "Templates"
    HINT = "enter applies · g: language · a: save the draft as a template · esc closes"
    BINDINGS = [
        Binding("g", "cycle_language", "Language", show=True, id="templates.language"),
        Binding("a", "save_draft", "Save draft as template", show=True, id="templates.save-draft"),
        Binding("escape", "close", "Close", show=True, id="templates.close"),
    ]

    class Apply(Message):
        """Apply this template to the open thread (the screen asks its variables, then plans it)."""

        def __init__(self, template: Template) -> None:
            self.template = template
            super().__init__()

    class SaveAsTemplate(Message):
        """Save the composer's text as a template (the screen asks name, language and subject)."""

    class Opened(Message):
        """The panel was filled: the screen tells it the thread's values and the default language."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._templates: dict[str, Template] = {}
        self.language: str | None = None
        """The language shown (``None``: every language)."""
        self.values: dict[str, str] = {}
        """What the open thread fills in (creator name, channel…), for the preview."""

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="templates-list")
        with VerticalScroll(id="template-preview-box"):
            yield Static("", id="template-preview", markup=False)

    @property
    def languages(self) -> list[str]:
        return sorted({t.language for t in self._templates.values()})

    def show(self, templates: list[Template]) -> None:
        """List the templates (of the chosen language), the first highlighted; takes the focus."""
        self._templates = {t.template_id: t for t in templates}
        self._fill()
        self.post_message(self.Opened())

    def set_context(self, *, language: str | None, values: Mapping[str, str]) -> None:
        """The thread's values for the preview and the language to show (unknown: every language)."""
        self.language = language if language in self.languages else None
        self.values = dict(values)
        self._fill()

    def _fill(self) -> None:
        listing = self.query_one("#templates-list", OptionList)
        listing.clear_options()
        shown = [t for t in self._templates.values() if self.language in (None, t.language)]
        ordered = sorted(shown, key=lambda t: (t.language, t.name.lower()))
        for language, group in groupby(ordered, key=lambda t: t.language):
            listing.add_option(Option(plain_text(f"— {language} —", "bold"), disabled=True))
            listing.add_options(Option(plain_text(t.name), id=t.template_id) for t in group)
        self.heading = f"{self.TITLE} · {self.language or ALL_LANGUAGES} ({len(shown)})"
        first_enabled = next((i for i, o in enumerate(listing.options) if not o.disabled), None)
        listing.highlighted = first_enabled
        if first_enabled is None:
            self.query_one("#template-preview", Static).update("")
        listing.focus()

    def action_cycle_language(self) -> None:
        """Every language in turn, then all of them."""
        order: list[str | None] = [*self.languages, None]
        self.language = order[(order.index(self.language) + 1) % len(order)] if self.language in order else order[0]
        self._fill()

    def preview(self, template: Template) -> Text:
        """The template as it would read in this thread; what is still to fill in is marked."""
        text = Text()
        missing: list[str] = []
        if template.subject:
            subject, missing = render(template.subject, self.values)
            text.append_text(_marked(subject))
            text.append("\n", style="bold")
        body, body_missing = render(template.body, self.values)
        text.append_text(_marked(body))
        missing += [name for name in body_missing if name not in missing]
        if missing:
            text.append("\n\nto fill in when applied: " + ", ".join(missing), style="italic")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        template = self._templates.get(event.option.id or "")
        self.query_one("#template-preview", Static).update(self.preview(template) if template else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        template = self._templates.get(event.option.id or "")
        if template is not None:
            self.post_message(self.Apply(template))

    def action_save_draft(self) -> None:
        self.post_message(self.SaveAsTemplate())
