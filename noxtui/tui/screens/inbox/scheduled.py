"""A reply already scheduled on the thread: sending beside it, and cancelling it without losing it.

Both used to go wrong quietly. A send while a reply was scheduled went out with no word that the
creator would get both; a cancel showed "(empty)" as its text and, when the thread had a draft,
the scheduled text was gone while the notice said it was back in the draft. Here a send first asks
(replace the scheduled reply, or send both), and a cancel says where the text goes and puts it
there: the draft when the server takes it, else the composer below the rep's own text.
"""

from __future__ import annotations

from textual import work

from noxtui.domain.models import Thread, WritePlan
from noxtui.domain.plan_rules import is_blank, who
from noxtui.domain.schedule import format_when
from noxtui.tui.screens.choice import Answer, ChoiceScreen
from noxtui.tui.screens.inbox.writes import WritesMixin

REPLACE = "replace"
BOTH = "both"


def noted(plan: WritePlan, note: str) -> WritePlan:
    """The plan with one more line for the confirm modal (what happens to the text)."""
    return plan.model_copy(update={"warnings": (*plan.warnings, note)})


def without_schedule(thread: Thread) -> Thread:
    """The thread as it is once its scheduled reply is cancelled (the send plan then warns of nothing)."""
    composer = thread.composer.model_copy(update={"scheduled": None})
    return thread.model_copy(update={"scheduled_at": None, "composer": composer})


class ScheduledMixin(WritesMixin):
    """Sends beside a scheduled reply, and cancels that keep the scheduled text."""

    async def ask_replace_scheduled(self, thread: Thread) -> Thread | None:
        """Before a send on a thread with a scheduled reply: replace it (cancel, confirmed, then
        send) or send both. The thread to plan the send from, or ``None`` when nothing is sent."""
        scheduled = thread.composer.scheduled
        if scheduled is None:
            return thread
        question = (
            f"{who(thread)} already has a reply scheduled for {format_when(scheduled.plan_send_at)}. "
            "Sending this one as well means the creator gets both. The scheduled text:"
        )
        answers = [
            Answer("r", "replace it: cancel the scheduled reply, then send this one (each confirmed)", REPLACE),
            Answer("b", "send both: this one now, the scheduled one at its time", BOTH),
        ]
        choice: str | None = await self.app.push_screen_wait(
            ChoiceScreen("A reply is already scheduled", question, answers, quoted=scheduled.content)
        )
        if choice is None:
            self.notify("Nothing was sent; the scheduled reply is unchanged.")
            return None
        if choice == BOTH:
            return thread
        note = "The scheduled text is dropped: the reply you typed is sent in its place next."
        cancelled = await self.run_write(lambda: noted(self.writes.plan_cancel(thread), note))
        return without_schedule(thread) if cancelled is not None else None

    def action_cancel_schedule(self) -> None:
        thread = self.need_thread()
        if thread is not None:
            self._cancel_schedule(thread)

    @work(group="write")
    async def _cancel_schedule(self, thread: Thread) -> None:
        scheduled = thread.composer.scheduled
        mine = self.composer.text if self.composer.thread_id == thread.thread_id else ""
        # The server's rule: the text goes back to the draft only when the draft is empty.
        to_draft = not thread.composer.draft_body and not thread.composer.attachment_ids and is_blank(mine)
        if to_draft:
            where = "Its text goes back to the draft, in the composer."
        else:
            where = (
                "Its text will be put in the composer below your text, kept on this machine "
                "(ctrl+s saves it as the draft)."
            )
        result = await self.run_write(lambda: noted(self.writes.plan_cancel(thread), where))
        if result is None or scheduled is None:
            return
        if to_draft:
            self.fill_composer(scheduled.content, saved=True)
            self.notify("The cancelled reply's text is back in the draft and in the composer.", title="Kept")
        else:
            text = scheduled.content if is_blank(mine) else f"{mine.rstrip()}\n\n{scheduled.content}"
            self.composer.set_text(text)
            self.stash_unsent()
            self.notify(
                "The cancelled reply's text is in the composer below yours, kept on this machine; "
                "ctrl+s saves it as the draft.",
                title="Kept",
            )
        self.after_write(result)
