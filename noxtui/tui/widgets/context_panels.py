"""Context beside a thread: its email task (with the three report numbers) and the creator's CRM channel.

The three report counts are labelled with what each one counts, because they are easy to confuse
and each answers a different question (contract fact).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from noxtui.domain.models import CrmChannel, EmailReport, EmailTask, TeamMember
from noxtui.domain.text import format_timestamp, sanitize
from noxtui.tui.widgets.side_panel import SidePanel


def _t(text: object, style: str = "") -> Text:
    return Text(sanitize(str(text)), style=style)


def _money(value: object) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _facts(rows: list[tuple[str, str]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("what", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")  # a long URL wraps; it is never cut with "…"
    for key, value in rows:
        table.add_row(_t(key), _t(value))
    return table


class EmailTaskPanel(SidePanel):
    """The open thread's email task and its report, each count labelled with what it counts."""

    TITLE = "Email task"
    HINT = "J: all threads of this task (again: back) · esc closes"
    BINDINGS = [
        Binding("J", "jump", "All threads of this task / back", show=True, id="email-task.jump"),
        Binding("escape", "close", "Close", show=True, id="email-task.close"),
    ]

    class Jump(Message):
        """Filter the list to every thread of this task (or back to the filter before)."""

    def __init__(self, *, clock: Callable[[], datetime] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="email-task-body", can_focus=True):
            yield Static("", id="email-task-facts", markup=False)

    def show_loading(self) -> None:
        self.query_one("#email-task-facts", Static).update(_t("Loading the task and its report…", "italic"))
        self.query_one("#email-task-body").focus()

    def show_error(self, message: str) -> None:
        self.query_one("#email-task-facts", Static).update(_t(message, "bold"))

    def show(self, task: EmailTask, report: EmailReport) -> None:
        now = self._clock()
        when = [
            ("scheduled", format_timestamp(task.scheduled_at, now) if task.scheduled_at else "—"),
            ("sent", format_timestamp(task.sent_at, now) if task.sent_at else "not sent yet"),
        ]
        details = _facts(
            [
                ("task", f"{task.name} ({task.task_id})"),
                ("subject", task.subject or "—"),
                ("status", task.status or "—"),
                ("sender", task.sender_address or task.sender_auth_id or "—"),
                ("recipients", f"{task.recipient_count:,}"),
                *when,
            ]
        )
        numbers = _facts(
            [
                ("email tracking replies", f"{report.reply_count:,}  (reply_count)"),
                ("creators who replied", f"{report.replied_creator_count:,}  (replied_creator_count)"),
                ("inbound reply messages", f"{report.inbound_message_count:,}  (inbound_message_count)"),
            ]
        )
        body: list[RenderableType] = [details, Text(""), _t("Report", "bold underline"), numbers]
        self.query_one("#email-task-facts", Static).update(Group(*body))

    def action_jump(self) -> None:
        self.post_message(self.Jump())


class CrmPanel(SidePanel):
    """The creator's CRM channel: its facts, each changed by a plan (notes, owner, and where the
    provider has them, status, labels, email and URL); the URL and email can be copied whole."""

    TITLE = "CRM channel"
    HINT = "e notes · o owner · s status · l labels · m email · u URL · y/Y copy URL/email · esc closes"
    BINDINGS = [
        Binding("e", "edit_notes", "Edit notes", show=True, id="crm.edit-notes"),
        Binding("o", "change_owner", "Change owner", show=True, id="crm.change-owner"),
        Binding("s", "edit_field('status')", "Status", show=True, id="crm.edit-status"),
        Binding("l", "edit_field('labels')", "Labels", show=True, id="crm.edit-labels"),
        Binding("m", "edit_field('email')", "Email", show=True, id="crm.edit-email"),
        Binding("u", "edit_field('url')", "URL", show=True, id="crm.edit-url"),
        Binding("y", "copy('url')", "Copy URL", show=False, id="crm.copy-url"),
        Binding("Y", "copy('email')", "Copy email", show=False, id="crm.copy-email"),
        Binding("v", "edit_valuation", "Edit valuation", show=True, id="crm.edit-valuation"),
        Binding("escape", "close", "Close", show=True, id="crm.close"),
    ]

    class EditNotes(Message):
        """Edit the channel's notes (the screen opens the editor, then plans the change)."""

    class ChangeOwner(Message):
        """Pick another owner (the screen opens the picker, then plans the change)."""

    class EditValuation(Message):
        """Set the creator's valuation, where the channel has one (Inbox's prospects)."""

    class EditField(Message):
        """Change the channel's ``status``, ``labels``, ``email`` or ``url`` (the screen asks, then plans)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    class Shown(Message):
        """The panel shows a channel: the screen says which fields the provider can change."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.channel: CrmChannel | None = None
        self.creator_name: str = ""
        self.fields_editable = False
        """Whether status, labels, email and URL can be changed (the provider's ``CrmFields``)."""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="crm-body", can_focus=True):
            yield Static("", id="crm-facts", markup=False)

    def show_loading(self, creator_name: str) -> None:
        self.creator_name = creator_name
        self.channel = None
        self.query_one("#crm-facts", Static).update(_t(f"Loading the CRM channel of {creator_name}…", "italic"))
        self.query_one("#crm-body").focus()

    def show_error(self, message: str) -> None:
        self.query_one("#crm-facts", Static).update(_t(message, "bold"))

    def show(self, channel: CrmChannel | None, members: list[TeamMember]) -> None:
        self.channel = channel
        facts = self.query_one("#crm-facts", Static)
        if channel is None:
            facts.update(
                Group(
                    _t(f"No CRM channel for {self.creator_name}.", "bold"),
                    _t(
                        "Owner and notes live on a CRM channel, so they can only be set once the creator "
                        "has one. Add the creator to CRM in NoxInfluencer first.",
                        "italic",
                    ),
                )
            )
            return
        owners = {m.user_uid: m.name for m in members}
        owner = owners.get(channel.owner_uid or "", channel.owner_uid or "—")
        extra = channel.model_extra or {}
        valued = [("valuation", _money(extra["valuation"]))] if "valuation" in extra else []
        facts.update(
            Group(
                _facts(
                    [
                        ("creator", self.creator_name),
                        ("coop status", channel.coop_status.name if channel.coop_status else "—"),
                        ("CRM labels", ", ".join(label.name for label in channel.labels) or "none"),
                        ("owner", owner),
                        ("email", channel.email or "—"),
                        ("channel", channel.url or "—"),
                        *valued,
                    ]
                ),
                Text(""),
                _t("Notes", "bold underline"),
                _t(channel.notes or "(no notes)"),
            )
        )
        self.post_message(self.Shown())

    def action_edit_notes(self) -> None:
        self.post_message(self.EditNotes())

    def action_change_owner(self) -> None:
        self.post_message(self.ChangeOwner())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``v`` only where the channel carries a valuation (hidden otherwise, not a dead key)."""
        if action == "edit_valuation":
            return self.channel is not None and "valuation" in (self.channel.model_extra or {})
        if action == "edit_field":
            return self.channel is not None and self.fields_editable
        if action == "copy":
            field = parameters[0] if parameters else ""
            return self.channel is not None and bool(getattr(self.channel, str(field), None))
        return True

    def allow_fields(self, editable: bool) -> None:
        """Offer s, l, m and u (and say so in the hint) only where the provider can change them."""
        self.fields_editable = editable
        hint = self.HINT if editable else "e notes · o owner · y/Y copy URL/email · esc closes"
        self.query_one(".panel-hint", Static).update(hint)
        self.refresh_bindings()

    def action_edit_field(self, field: str) -> None:
        self.post_message(self.EditField(field))

    def action_copy(self, field: str) -> None:
        """Put the whole value on the clipboard (a long URL that wraps is still copied in one piece)."""
        value = getattr(self.channel, field, None) if self.channel is not None else None
        if value:
            self.app.copy_to_clipboard(str(value))
            self.notify(f"Copied the {'URL' if field == 'url' else 'email'} ({len(str(value))} characters).")

    def action_edit_valuation(self) -> None:
        self.post_message(self.EditValuation())
