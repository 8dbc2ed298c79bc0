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
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from noxtui.domain.models import CrmChannel, EmailReport, EmailTask, TeamMember
from noxtui.domain.text import format_timestamp, sanitize


def _t(text: object, style: str = "") -> Text:
    return Text(sanitize(str(text)), style=style)


def _facts(rows: list[tuple[str, str]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("what", style="bold", no_wrap=True)
    table.add_column("value")
    for key, value in rows:
        table.add_row(_t(key), _t(value))
    return table


class EmailTaskPanel(Vertical):
    BINDINGS = [
        Binding("J", "jump", "All threads of this task / back", show=True),
        Binding("escape", "close", "Close", show=True),
    ]

    class Jump(Message):
        pass

    class Closed(Message):
        pass

    def __init__(self, *, clock: Callable[[], datetime] | None = None, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    def compose(self) -> ComposeResult:
        yield Static("Email task", classes="panel-title", markup=False)
        yield Static("J: all threads of this task (again: back) · esc closes", classes="panel-hint", markup=False)
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

    def action_close(self) -> None:
        self.post_message(self.Closed())


class CrmPanel(Vertical):
    BINDINGS = [
        Binding("e", "edit_notes", "Edit notes", show=True),
        Binding("o", "change_owner", "Change owner", show=True),
        Binding("escape", "close", "Close", show=True),
    ]

    class EditNotes(Message):
        pass

    class ChangeOwner(Message):
        pass

    class Closed(Message):
        pass

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.channel: CrmChannel | None = None
        self.creator_name: str = ""

    def compose(self) -> ComposeResult:
        yield Static("CRM channel", classes="panel-title", markup=False)
        yield Static("e: edit notes · o: change owner · esc closes", classes="panel-hint", markup=False)
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
                    ]
                ),
                Text(""),
                _t("Notes", "bold underline"),
                _t(channel.notes or "(no notes)"),
            )
        )

    def action_edit_notes(self) -> None:
        self.post_message(self.EditNotes())

    def action_change_owner(self) -> None:
        self.post_message(self.ChangeOwner())

    def action_close(self) -> None:
        self.post_message(self.Closed())
