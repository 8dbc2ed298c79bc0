"""Search inside the reading pane, the way a pager searches: ``/`` word ``enter``, then ``n``/``N``.

Only while the reading pane has the focus: on the list ``/`` stays the keyword filter and ``n`` the
needs-reply filter, since these keys are bound here and their actions are refused (so the key falls
through to the inbox's binding) unless a thread is shown (``/``) or a search has matches (``n``,
``N``). The search text is matched literally and case-blind (``[b]`` finds "[b]": nothing typed is
read as markup or as a pattern); matches are highlighted by styling the already inert ``Text`` of
the messages, the current one marked apart, and a status line counts them ("2/5") or says plainly
that nothing matched. ``esc`` clears it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

MATCH = Style(reverse=True)
"""Every match of the search."""
CURRENT = Style(reverse=True, bold=True, underline=True, meta={"pane-search": "current"})
"""The match ``n``/``N`` moved to (its ``meta`` lets the pane find the line it landed on)."""


@dataclass(frozen=True)
class Match:
    """One occurrence: in which searchable text, and where in its plain characters."""

    block: int
    start: int
    end: int


def find_matches(texts: Sequence[Text], query: str) -> list[Match]:
    """Every occurrence of ``query`` in ``texts``, in reading order, literally and ignoring case."""
    if not query:
        return []
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    return [Match(i, m.start(), m.end()) for i, text in enumerate(texts) for m in pattern.finditer(text.plain)]


def highlight(texts: Sequence[Text], matches: Sequence[Match], current: int) -> None:
    for index, match in enumerate(matches):
        texts[match.block].stylize(CURRENT if index == current else MATCH, match.start, match.end)


def line_of_current(console: Console, renderable: RenderableType, width: int) -> int | None:
    """The line, as laid out ``width`` cells wide, that holds the current match."""
    options = console.options.update(width=width, height=None)
    for number, line in enumerate(console.render_lines(renderable, options, pad=False)):
        if any(segment.style is not None and segment.style.meta.get("pane-search") for segment in line):
            return number
    return None


class PaneSearchBar(Horizontal):
    """The search line at the foot of the reading pane: what to look for, then how it went."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search this thread", id="pane-search-input")
        yield Static("", id="pane-search-status", markup=False)

    def say(self, status: str) -> None:
        self.query_one("#pane-search-status", Static).update(Text(status))  # it quotes what the rep typed: inert


class PaneSearch(Vertical):
    """The reading pane's search; the pane supplies its messages afresh (``fresh_messages``)."""

    BINDINGS = [
        Binding("slash", "search", "Search this thread", id="reading.search"),
        Binding("n", "next_match", "Next match", id="reading.next-match"),
        Binding("N", "previous_match", "Previous match", id="reading.previous-match"),
        Binding("escape", "clear_search", "Clear the search", show=False, id="reading.clear-search"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.search_query: str | None = None
        """The text searched for, while a search is shown."""
        self.matches: list[Match] = []
        self.current = 0
        """Index in ``matches`` of the highlighted match ``n``/``N`` move from."""
        self.current_line: int | None = None
        """Where the current match is, in lines from the top of the scrolling messages."""
        self.search_open = False
        """Whether the search line is shown (typing a search, or showing how one went)."""

    # --- what the pane supplies -----------------------------------------------------------------

    @property
    def searchable(self) -> bool:
        """Whether there is anything to search (a thread is shown)."""
        raise NotImplementedError

    def fresh_messages(self) -> tuple[RenderableType, list[Text]]:
        """The messages' renderable, built anew, and the texts in it a search looks through."""
        raise NotImplementedError

    # --- the keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":
            return self.searchable
        if action in ("next_match", "previous_match"):
            return self.search_query is not None
        if action == "clear_search":
            return self.search_open
        return True

    def action_search(self) -> None:
        bar = self._open_bar()
        field = bar.query_one(Input)
        field.value = self.search_query or ""
        bar.say("enter: find · esc: back")
        field.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#pane-search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value.strip()
        self.query_one(VerticalScroll).focus()
        if not query:
            self.action_clear_search()
            return
        self.search_query = query
        self.current = 0
        self.show_search()

    def action_next_match(self) -> None:
        self._move(1)

    def action_previous_match(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        if not self.matches:
            self.notify(f"No match for “{self.search_query}” in this thread.", severity="warning")
            return
        self.current = (self.current + step) % len(self.matches)
        self.show_search()

    def action_clear_search(self) -> None:
        bar = self.query_one(PaneSearchBar)
        if bar.query_one(Input).has_focus:
            self.query_one(VerticalScroll).focus()
        bar.display = self.search_open = False
        self.search_query = None
        self.matches = []
        self.current_line = None
        if self.searchable:
            renderable, _ = self.fresh_messages()
            self.query_one("#detail-messages", Static).update(renderable)
        self.refresh_bindings()

    # --- showing it -----------------------------------------------------------------------------

    def show_search(self) -> None:
        """Highlight the matches of ``search_query``, count them, and scroll the current one into view."""
        query = self.search_query
        if query is None or not self.searchable:
            return
        renderable, texts = self.fresh_messages()
        self.matches = find_matches(texts, query)
        self.current = min(self.current, max(len(self.matches) - 1, 0))
        highlight(texts, self.matches, self.current)
        messages = self.query_one("#detail-messages", Static)
        messages.update(renderable)
        bar = self._open_bar()
        if not self.matches:
            self.current_line = None
            bar.say(f"No match for “{query}” in this thread · esc: clear")
        else:
            total = len(self.matches)
            bar.say(f"{self.current + 1}/{total} “{query}” · n/N: next/previous · esc: clear")
            line = line_of_current(self.app.console, renderable, messages.content_region.width or messages.size.width)
            self.current_line = None if line is None else messages.virtual_region.y + line
            self.call_after_refresh(self._scroll_to_current)
        self.refresh_bindings()

    def _scroll_to_current(self) -> None:
        if self.current_line is None:
            return
        scroll = self.query_one(VerticalScroll)
        scroll.release_anchor()
        scroll.scroll_to(y=max(self.current_line - scroll.size.height // 3, 0), animate=False, immediate=True)

    def restart_search(self, *, same_thread: bool) -> None:
        """After the pane showed a thread: the search follows a re-read of the same thread, and ends
        with another thread."""
        if same_thread and self.search_query is not None:
            self.show_search()
        elif self.search_open:
            self.action_clear_search()

    def _open_bar(self) -> PaneSearchBar:
        bar = self.query_one(PaneSearchBar)
        bar.display = self.search_open = True
        return bar
