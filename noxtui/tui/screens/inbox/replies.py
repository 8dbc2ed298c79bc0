"""The composer's side of the inbox: autosaved unsent text, ``$EDITOR``, and the writes of a reply
(send, reply-to, schedule, cancel, server draft); templates are ``templates.py``.

Each write captures the composer's text and sender when the key is pressed, then runs in a worker:
plan and confirm (``run_write``), then what the write means for the composer, then a re-read.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from datetime import datetime, timedelta, timezone

from textual import on, work

from noxtui.domain.errors import PlanError
from noxtui.domain.models import Thread
from noxtui.domain.plan_rules import is_blank
from noxtui.domain.send_time import iso_send_time, send_time, zone_name
from noxtui.domain.text import relative_time
from noxtui.tui.screens.inbox.scheduled import ScheduledMixin, noted
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.composer import Composer

AUTOSAVE_PAUSE = 0.4
"""Seconds of no typing after which the composer text is written to the local drafts store."""


def default_schedule_text(now: datetime) -> str:
    """The next whole hour, tomorrow morning style: a valid starting point the rep edits."""
    local = now
    offset = local.utcoffset() or timedelta(0)
    if offset.total_seconds() % 3600:
        local = now.astimezone(timezone.utc)
    start = (local + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    text = start.isoformat()
    return text.replace("+00:00", "Z")


class RepliesMixin(ScheduledMixin):
    """Everything that turns the composer's text into a write, and keeps that text safe meanwhile."""

    @on(Composer.Edited)
    def _draft_edited(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_PAUSE, self.stash_unsent)
        composer = self.composer
        if composer.thread_id is not None:
            self._typed_since_stash = (composer.thread_id, composer.text, composer.server_draft)

    def keep_last_typed(self) -> None:
        """Keep the text typed since the last stash when the composer itself is gone: an app ending
        on a hang-up or a signal unmounts the composer before this screen (``on_unmount``)."""
        typed, self._typed_since_stash = self._typed_since_stash, None
        if typed is not None:
            self.service.remember_unsent(*typed)

    def action_external_editor(self) -> None:
        """Edit the draft in $EDITOR with the app suspended, the way mutt and aerc do."""
        if self.need_thread() is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w+", suffix=".txt", delete=False, encoding="utf-8") as handle:
            handle.write(self.composer.text)
            path = handle.name
        try:
            os.chmod(path, 0o600)
            with self.app.suspend():
                completed = subprocess.run([*shlex.split(editor), path], check=False)
            if completed.returncode != 0:
                exited = f"{editor} exited with {completed.returncode}; the draft was not changed."
                self.notify(exited, severity="warning")
                return
            with open(path, encoding="utf-8") as handle:
                self.composer.set_text(handle.read().rstrip("\n"))
        except (OSError, RuntimeError) as exc:
            self.notify(f"Could not run {editor}: {exc}. Set $EDITOR, or edit here with e.", severity="error")
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass

    # --- send, reply-to, draft ------------------------------------------------------------------

    def action_send(self, reply_to: str | None = None) -> None:
        thread = self.need_thread()
        if thread is not None:
            self._send(thread, self.composer.text, self.composer.sender_auth_id, reply_to)

    def action_send_reply_to(self) -> None:
        """Send the composer text as a reply to (quoting) the creator's latest message."""
        thread = self.need_thread()
        if thread is None:
            return
        last_inbound = next((m for m in reversed(thread.messages) if m.direction == "inbound"), None)
        if last_inbound is None:
            self.notify("The creator has not written in this thread yet; use s to send.", severity="warning")
            return
        self.action_send(reply_to=last_inbound.message_id)

    @work(group="write")
    async def _send(self, thread: Thread, text: str, sender: str | None, reply_to: str | None) -> None:
        if thread.composer.scheduled is not None and not is_blank(text):
            replacing = await self.ask_replace_scheduled(thread)
            if replacing is None:
                return
            thread = replacing
        result = await self.run_write(lambda: self.writes.plan_send(thread, text, sender, reply_to))
        if result is None:
            return
        self.forget_unsent(thread.thread_id)
        self.fill_composer("", saved=True)
        self.after_write(result)

    def action_save_draft(self) -> None:
        thread = self.need_thread()
        if thread is not None:
            self._save_draft(thread, self.composer.text, self.composer.sender_auth_id)

    @work(group="write")
    async def _save_draft(self, thread: Thread, text: str, sender: str | None) -> None:
        result = await self.run_write(lambda: self.writes.plan_draft(thread, text, sender))
        if result is None:
            return
        self.composer.mark_saved(text)
        self._composer_filled = (thread.thread_id, text)
        self.forget_unsent(thread.thread_id)
        self.after_write(result)

    # --- schedule -------------------------------------------------------------------------------

    def action_schedule(self) -> None:
        thread = self.need_thread()
        if thread is not None:
            self._schedule(thread, self.composer.text, self.composer.sender_auth_id)

    def _check_send_time(self, value: str) -> str | None:
        try:
            send_time(value, self.clock())
        except PlanError as exc:
            return exc.message
        return None

    def _send_time_meaning(self, value: str) -> str:
        """The exact time that will be sent, and what it is in the rep's zone."""
        now = self.clock()
        when = send_time(value, now)
        local = when.astimezone(now.tzinfo)
        ahead = relative_time(when.timestamp(), now)
        return f"Sends at {iso_send_time(when)} = {local:%a %Y-%m-%d %H:%M} {zone_name(now)} ({ahead}) · enter: plan"

    @work(group="write")
    async def _schedule(self, thread: Thread, text: str, sender: str | None) -> None:
        zone = zone_name(self.clock())
        typed: str | None = await self.app.push_screen_wait(
            PromptScreen(
                f"Schedule this reply — times in your zone, {zone}",
                value=default_schedule_text(self.clock()),
                placeholder="tomorrow 9 · mon 10:00 · +2h · 17:30 · 2026-11-24T09:00+08:00",
                hint="tomorrow 9, mon 10:00, +2h, 17:30, or ISO 8601 with a whole-hour offset · enter: plan",
                check=self._check_send_time,
                preview=self._send_time_meaning,
            )
        )
        if typed is None:
            self.notify("Schedule cancelled — nothing was sent.")
            return
        try:
            when = iso_send_time(send_time(typed, self.clock()))
            meaning = self._send_time_meaning(typed).removesuffix(" · enter: plan")
        except PlanError as exc:  # the clock moved past it while the prompt was open
            self.notify(exc.message, title="Nothing was sent", severity="error")
            return
        result = await self.run_write(
            lambda: noted(self.writes.plan_schedule(thread, text, sender, when), f"{meaning}.")
        )
        if result is None:
            return
        # The server holds the text now (and consumed the draft): like after a send, the composer is
        # empty, so an `s` pressed next cannot send the scheduled text a second time.
        self.forget_unsent(thread.thread_id)
        self.fill_composer("", saved=True)
        self.after_write(result)
