"""The reply composer: the draft text, who it is sent from, and what is already scheduled.

It only holds and shows text; saving, sending and scheduling are plans built by the screen and run
through the confirm modal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Select, Static, TextArea

from noxtui.domain.attachments import human_size
from noxtui.domain.models import Attachment, Sender, Thread
from noxtui.domain.text import format_timestamp, sanitize
from noxtui.storage.drafts import LocalDraft
from noxtui.tui.plain import plain_text
from noxtui.tui.widgets.draft_area import DraftArea

MODIFIED_MARK = "● modified"
"""Shown on the composer's top line while the text differs from the last saved/sent/loaded text:
a glyph and a word, so it reads the same without colour and to a screen reader."""


class Composer(Vertical):
    """Draft editor with a sender picker and a line describing the server-side composer state."""

    BINDINGS = [
        # ``s`` types an s in the editor: this key sends from inside it (the same plan and confirm
        # modal as ``s``), so the footer can show a way to send while the rep is typing.
        Binding("ctrl+t", "screen.send", "Send", id="composer.send"),
    ]

    can_choose_sender: reactive[bool] = reactive(True, init=False)
    """Whether the sender picker is shown: not for a provider that sends from the thread's own account."""
    local_problem: reactive[str | None] = reactive(None, init=False)
    """Why unsent text is not reaching the disk (full, read-only), shown above the draft while it lasts."""

    class Edited(Message):
        """The rep changed the draft text (the screen autosaves after a pause)."""

    class FilesWanted(Message):
        """A loaded draft holds files: the screen reads their names and sizes (``show_files``)."""

        def __init__(self, thread: Thread) -> None:
            super().__init__()
            self.thread = thread

    def __init__(self, *, clock: Callable[[], datetime] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self.thread_id: str | None = None
        self._saved_text: str = ""
        self._loading = False
        self._senders: list[Sender] = []
        self._chosen: dict[str, str] = {}
        """The sender the rep picked, by thread: a re-read of the thread never replaces it."""
        self._set_by_app: str | None = None
        self._files: dict[str, Attachment] = {}
        """Draft files already named by the server, so a re-read shows them without a new read."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="composer-top"):
            yield Static("Reply · From", id="composer-title", markup=False)
            yield Select[str]([], prompt="sender", id="sender", allow_blank=True, compact=True)
            yield Static(MODIFIED_MARK, id="composer-mark", markup=False)
        yield Static("", id="composer-state", markup=False)
        yield Static("", id="composer-files", markup=False)
        yield Static("", id="composer-local", markup=False)
        yield DraftArea("", id="draft", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    def watch_can_choose_sender(self, shown: bool) -> None:
        self.query_one("#sender").display = shown

    def watch_local_problem(self, problem: str | None) -> None:
        line = self.query_one("#composer-local", Static)
        line.update(problem or "")
        line.display = problem is not None

    @property
    def text(self) -> str:
        return self.query_one("#draft", TextArea).text

    @property
    def sender_auth_id(self) -> str | None:
        value = self.query_one("#sender", Select).value
        return value if isinstance(value, str) else None

    @property
    def server_draft(self) -> str:
        """The text last saved on the server, sent (empty) or loaded: what "modified" compares with."""
        return self._saved_text

    @server_draft.setter
    def server_draft(self, text: str) -> None:
        self._saved_text = text
        self._show_modified()

    @property
    def dirty(self) -> bool:
        return self.text != self.server_draft

    def _show_modified(self) -> None:
        """The mark follows the text: shown while it differs from the saved text, gone when back."""
        if self.is_mounted:
            self.query_one("#composer-mark", Static).display = self.dirty

    def set_senders(self, senders: list[Sender]) -> None:
        self._senders = list(senders)
        select = self.query_one("#sender", Select)
        current = select.value
        select.set_options(
            (plain_text(f"{s.name} <{s.address}>" if s.name else s.address), s.sender_auth_id) for s in senders
        )
        if isinstance(current, str) and any(s.sender_auth_id == current for s in senders):
            select.value = current

    def choose_sender(self, sender_auth_id: str | None, *, by_rep: bool = False) -> None:
        """Show ``sender_auth_id`` on the From line; ``by_rep``: the rep picked it (F), so it stays."""
        if not sender_auth_id:
            return
        if by_rep and self.thread_id is not None:
            self._chosen[self.thread_id] = sender_auth_id
        else:
            self._set_by_app = sender_auth_id
        select = self.query_one("#sender", Select)
        try:
            select.value = sender_auth_id
        except Exception:
            select.clear()

    @on(Select.Changed, "#sender")
    def _sender_changed(self, event: Select.Changed) -> None:
        """A pick in the From line itself (tab, then enter) counts as the rep's choice too."""
        event.stop()
        if isinstance(event.value, str) and event.value != self._set_by_app and self.thread_id is not None:
            self._chosen[self.thread_id] = event.value

    def sender_for(self, thread: Thread, default_sender: str | None) -> str | None:
        """Who the reply goes from: the rep's pick for this thread, else the draft's sender, else the
        mailbox the conversation last went out from, else ``default_sender`` (the profile's)."""
        picked = self._chosen.get(thread.thread_id) or thread.composer.sender_auth_id
        if picked:
            return picked
        last = next((m for m in reversed(thread.messages) if m.direction == "outbound"), None)
        if last is not None:
            address = last.sender.address.lower()
            used = next((s for s in self._senders if s.address.lower() == address), None)
            if used is not None:
                return used.sender_auth_id
        return default_sender

    @on(TextArea.Changed, "#draft")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._show_modified()
        if not self._loading:
            self.post_message(self.Edited())

    def load(self, thread: Thread, *, unsent: LocalDraft | None = None, default_sender: str | None = None) -> None:
        """Show a thread's composer; text the rep typed earlier but did not save wins over the server draft."""
        self.thread_id = thread.thread_id
        self.server_draft = thread.composer.draft_body
        restored = unsent is not None and unsent.body != thread.composer.draft_body
        self._set_quietly(unsent.body if restored and unsent is not None else thread.composer.draft_body)
        self.choose_sender(self.sender_for(thread, default_sender))
        self.show_state(thread, unsent=unsent if restored else None)

    def _show_draft_files(self, thread: Thread) -> None:
        """The draft's files by what is known of them; the screen is asked for names not yet known."""
        ids = thread.composer.attachment_ids
        self.show_files([self._files.get(i) or Attachment(attachment_id=i, filename=i) for i in ids])
        if any(i not in self._files for i in ids):
            self.post_message(self.FilesWanted(thread))

    def show_files(self, files: list[Attachment]) -> None:
        """The files on the draft (they go out with the reply): name and size, or nothing at all."""
        self._files.update((f.attachment_id, f) for f in files if f.filename != f.attachment_id)
        line = self.query_one("#composer-files", Static)
        shown = [f"📎 {f.filename}" + (f" ({human_size(f.size)})" if f.size else "") for f in files]
        line.update(Text(sanitize("   ".join(shown) + "   (a: attach · X: remove)"), style="bold") if files else "")
        line.display = bool(files)

    def _set_quietly(self, text: str) -> None:
        """Load text without it counting as an edit (no autosave of what was just loaded)."""
        self._loading = True
        try:
            self.query_one("#draft", TextArea).load_text(text)
            self._show_modified()
        finally:
            self.call_after_refresh(self._loaded)

    def _loaded(self) -> None:
        self._loading = False

    def show_state(self, thread: Thread, *, unsent: LocalDraft | None = None) -> None:
        """The line about the server's composer (draft saved, restored text, schedule) and its files."""
        self._show_draft_files(thread)
        now = self._clock()
        composer = thread.composer
        parts: list[str] = []
        if composer.draft_body:
            saved = f"saved {format_timestamp(composer.updated_at, now)}" if composer.updated_at else "saved"
            parts.append(f"draft {saved}")
        else:
            parts.append("no saved draft")
        if unsent is not None:
            when = format_timestamp(unsent.saved_at, now)
            parts.append(f"RESTORED unsent text from {when}; differs from the server's draft (ctrl+s saves it)")
        if composer.scheduled:
            parts.append(f"scheduled {format_timestamp(composer.scheduled.plan_send_at, now)} (C cancels)")
        if thread.pending_reason:
            parts.append(f"pending: {thread.pending_reason}")
        self.query_one("#composer-state", Static).update(Text(sanitize(" · ".join(parts)), style="italic"))

    def set_text(self, text: str) -> None:
        self._set_quietly(text)

    def mark_saved(self, text: str) -> None:
        self.server_draft = text

    def focus_editor(self) -> None:
        """Focus the draft with the cursor after the existing text, where a reply continues."""
        area = self.query_one("#draft", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
