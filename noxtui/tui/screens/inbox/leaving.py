"""``q`` with a reply typed and not saved on the server asks first: save it as the server's draft,
keep it on this machine (it comes back at the next start), or discard it. Without unsaved text,
``q`` quits at once, as before."""

from __future__ import annotations

from textual import work

from noxtui.domain.models import Thread
from noxtui.domain.plan_rules import is_blank, who
from noxtui.tui.screens.choice import Answer, ChoiceScreen
from noxtui.tui.screens.inbox.writes import WritesMixin

SAVE, KEEP, DISCARD = "save", "keep", "discard"


class LeavingMixin(WritesMixin):
    """The inbox's own ``q``: the app's quit, after asking about unsaved reply text."""

    def unsaved_reply(self) -> Thread | None:
        """The open thread when its composer holds text the server's draft does not."""
        thread = self.thread
        composer = self.composer
        if thread is None or composer.thread_id != thread.thread_id or not composer.dirty:
            return None
        return None if is_blank(composer.text) and is_blank(composer.server_draft) else thread

    def action_quit_asking(self) -> None:
        thread = self.unsaved_reply()
        if thread is None:
            self.app.exit()
            return
        self._ask_before_quitting(thread, self.composer.text, self.composer.sender_auth_id)

    @work(group="write")
    async def _ask_before_quitting(self, thread: Thread, text: str, sender: str | None) -> None:
        answers = [
            Answer("s", "save it as the thread's draft on the server (confirmed), then quit", SAVE),
            Answer("k", "keep it on this machine only (it comes back next time), then quit", KEEP),
            Answer("d", "discard it, then quit", DISCARD),
        ]
        question = f"The reply to {who(thread)} is not saved on the server:"
        choice: str | None = await self.app.push_screen_wait(
            ChoiceScreen("Quit with an unsaved reply?", question, answers, quoted=text)
        )
        if choice is None:
            return
        if choice == SAVE:
            if await self.run_write(lambda: self.writes.plan_draft(thread, text, sender)) is None:
                return  # not saved: stay, the text is still in the composer
            self.forget_unsent(thread.thread_id)
        elif choice == KEEP:
            self.stash_unsent()
        else:
            self.forget_unsent(thread.thread_id)
            self.fill_composer(self.composer.server_draft, saved=True)
        self.app.exit()
