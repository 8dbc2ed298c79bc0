"""The reading pane: who the creator is, the conversation, and its project context.

A compact header (creator, subject, status, labels, context, what waits on the rep, the ``O`` hint)
is pinned above the scrolling messages, which open at the newest: both are on screen when a thread
opens, where the header used to scroll away above the fold.

Every piece of server text is wrapped in ``rich.text.Text`` after ``sanitize`` so message bodies
are shown as written: no Rich markup is interpreted and no terminal escape reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from noxtui.domain.models import Project, Thread
from noxtui.domain.text import format_timestamp, sanitize
from noxtui.tui.widgets.pane_search import PaneSearch, PaneSearchBar


def _t(text: object, style: str = "") -> Text:
    return Text(sanitize(str(text)), style=style)


def thread_context(thread: Thread) -> str:
    """``email task et_12 · Spring launch``: what the thread belongs to, its *own* projects only.

    The thread's metadata lists the projects of every thread of the creator; the siblings' used to
    be shown as this thread's own, and a direct thread with none read "Context: direct ·"."""
    kind = thread.business_kind.replace("_", " ") if thread.business_kind else ""
    own = [p.name for p in thread.metadata.projects if p.thread_id in (None, thread.thread_id)]
    head = " ".join(part for part in (kind, thread.business_id) if part)
    return " · ".join(part for part in (head, ", ".join(own)) if part)


class ReadingScroll(VerticalScroll):
    """The messages, paged the way mutt and aerc page a message: j/k a line, space/PgDn a page, g/G ends."""

    BINDINGS = [
        Binding("j", "scroll_down", "Line down", show=False),
        Binding("k", "scroll_up", "Line up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("b", "page_up", "Page up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Newest", show=False),
    ]


class ThreadDetail(PaneSearch):
    """Header, sibling projects and messages of the open thread; the composer sits below it.

    ``/`` searches the messages while the pane has the focus (``PaneSearch``)."""

    def __init__(self, *, clock: Callable[[], datetime] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self.thread: Thread | None = None
        self.labels_title = "Labels"
        """What the provider calls labels ("Tags" on Inbox)."""

    def compose(self) -> ComposeResult:
        yield Static("Select a thread with j/k and press enter to read it.", id="detail-header", markup=False)
        yield Static("", id="detail-pending", markup=False)
        yield Static("", id="detail-unlisted", markup=False)
        with ReadingScroll(id="detail-scroll", can_focus=True):
            yield Static("", id="detail-projects", markup=False)
            yield Static("", id="detail-messages", markup=False)
        yield PaneSearchBar(id="pane-search")

    def show_loading(self, name: str) -> None:
        self.query_one("#detail-header", Static).update(_t(f"Loading {name}…", "italic"))
        self.query_one("#detail-pending", Static).update("")
        self.query_one("#detail-projects", Static).update("")
        self.query_one("#detail-messages", Static).update("")

    def show_error(self, message: str) -> None:
        self.query_one("#detail-header", Static).update(_t(message, "bold"))
        self.query_one("#detail-messages", Static).update("")

    @property
    def searchable(self) -> bool:
        return self.thread is not None

    def fresh_messages(self) -> tuple[RenderableType, list[Text]]:
        assert self.thread is not None  # (searched only while a thread is shown)
        return self._messages(self.thread)

    def show_thread(self, thread: Thread, *, notice: str | None = None) -> None:
        same_thread = self.thread is not None and self.thread.thread_id == thread.thread_id
        self.thread = thread
        self.query_one("#detail-header", Static).update(self._header(thread, notice))
        self.query_one("#detail-pending", Static).update("")
        self.query_one("#detail-projects", Static).update("")
        self.query_one("#detail-messages", Static).update(self._messages(thread)[0])
        # The newest message is what the rep answers: stay anchored to it through re-layouts (a side
        # panel opening reflows the text) until the rep scrolls up to read older messages.
        scroller = self.query_one("#detail-scroll", VerticalScroll)
        scroller.anchor(False)
        scroller.anchor()
        self.restart_search(same_thread=same_thread)

    def show_unlisted(self, filter_text: str | None) -> None:
        """Say so when the list's filter no longer lists the thread shown here (``None``: it does)."""
        note: Text | str = ""
        if filter_text is not None:
            note = _t(
                f"Not in the list any more: the filter ({filter_text}) no longer matches it. x clears it.", "bold"
            )
        self.query_one("#detail-unlisted", Static).update(note)

    def show_projects(self, thread_id: str, projects: list[Project], *, pending: Project | None = None) -> None:
        if self.thread is None or self.thread.thread_id != thread_id:
            return
        others = [p for p in projects if p.thread_id != thread_id]
        hint: Text | str = ""
        if pending is not None:
            waiting = f"Answered here, but {pending.name} still waits on you — press O to open that thread."
            hint = _t(waiting, "bold reverse")
        self.query_one("#detail-pending", Static).update(hint)
        if not others:
            self.query_one("#detail-projects", Static).update("")
            return
        lines: list[Text] = [Text("Sibling projects", style="bold underline")]
        for project in others:
            state = "needs reply" if project.needs_reply else "answered" if project.needs_reply is False else ""
            arrow = {"inbound": "←", "outbound": "→"}.get(project.last_message_direction or "", "")
            line = _t(f"  {project.name}  ")
            line.append_text(_t(f"{arrow} {state}".strip(), "bold" if project.needs_reply else "dim"))
            if project.pending_reason:
                line.append_text(_t(f"  ({project.pending_reason})", "italic"))
            lines.append(line)
        self.query_one("#detail-projects", Static).update(Group(*lines, Text("")))

    def _header(self, thread: Thread, notice: str | None) -> RenderableType:
        creator = thread.creator
        title = _t(creator.name, "bold")
        title.append_text(_t(f"  {creator.platform}"))
        if creator.handle:
            title.append_text(_t(f"  @{creator.handle.lstrip('@')}"))
        if creator.channel_url or creator.email:
            title.append_text(_t("  " + "  ".join(x for x in (creator.channel_url, creator.email or "") if x), "dim"))
        lines: list[RenderableType] = []
        if notice:
            lines.append(_t(notice, "bold reverse"))
        lines.append(title)
        if thread.subject:
            lines.append(_t(f"Subject: {thread.subject}"))
        status = thread.coop_status.name if thread.coop_status else "—"
        labels = ", ".join(label.name for label in thread.labels) or "none"
        state = f"Status: {status}   {self.labels_title}: {labels}"
        context = thread_context(thread)
        lines.append(_t(f"{state}   Context: {context}" if context else state))
        reply = "● needs reply" if thread.needs_reply else "answered"
        direction = "← last from creator" if thread.last_message_direction == "inbound" else "→ last from us"
        marker = _t(f"{reply} · {direction}", "bold" if thread.needs_reply else "")
        if thread.pending_reason:
            marker.append_text(_t(f" · pending: {thread.pending_reason}", "italic"))
        lines.append(marker)
        return Group(*lines)

    def _messages(self, thread: Thread) -> tuple[RenderableType, list[Text]]:
        """The conversation, and every text in it a search looks through (each part of the
        renderable, so styling one highlights it on screen)."""
        now = self._clock()
        blocks: list[RenderableType] = []
        texts: list[Text] = []
        for message in thread.messages:
            arrow = "←" if message.direction == "inbound" else "→"
            who = message.sender.name or message.sender.address or ("creator" if arrow == "←" else "us")
            head = _t(f"{arrow} {who}", "bold")
            if message.sender.address and message.sender.name:
                head.append_text(_t(f" <{message.sender.address}>", "dim"))
            head.append_text(_t(f" · {format_timestamp(message.sent_at, now)}", "dim"))
            subject = [_t(f"  {message.subject}", "italic")] if message.subject else []
            body = _t(message.body_text or "(empty message)")
            files = [_t(f"  📎 {file.filename} ({file.size:,} bytes)", "dim") for file in message.attachments]
            texts += [head, *subject, body, *files]
            blocks += [head, *subject, Padding(body, (0, 0, 0, 2)), *files, Text("")]
        if not blocks:
            blocks.append(_t("No messages yet.", "italic"))
        return Group(*blocks), texts
