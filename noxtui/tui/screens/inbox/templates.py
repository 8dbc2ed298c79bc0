"""Templates from the panel: apply one (its ``{{variables}}`` asked in one form, pre-filled from the
thread), and save the draft as one (name, language and subject in one form).

After an apply the rep is where they were: the panel closes and the list keeps the focus, so a key
typed next stays a command (it used to land in the draft with the cursor at 0). What the server
could not fill (``missing_variables``) is said, never dropped.
"""

from __future__ import annotations

from textual import on, work

from noxtui.domain.errors import NoxError
from noxtui.domain.models import Template, Thread, WriteResult
from noxtui.domain.plan_rules import is_blank
from noxtui.domain.templates import thread_values, variables_in
from noxtui.storage.settings import ConfigError
from noxtui.tui.screens.form import FormField, FormScreen
from noxtui.tui.screens.inbox.writes import WritesMixin
from noxtui.tui.widgets.templates_panel import TemplatesPanel


def missing_variables(result: WriteResult) -> list[str]:
    """The variables the server left unfilled in the draft it rendered."""
    data = result.data if isinstance(result.data, dict) else {}
    missing = data.get("missing_variables")
    return [str(name) for name in missing] if isinstance(missing, list) else []


class TemplatesMixin(WritesMixin):
    """The templates panel's apply and save, each through a form and the confirm modal."""

    _templates_language_known = False

    def profile_template_language(self) -> str | None:
        """The profile's ``template_language`` (the panel's first language), if set."""
        settings = self.view_store.settings
        if settings is None:
            return None
        try:
            return settings.profile(None).template_language
        except ConfigError:
            return None

    @on(TemplatesPanel.Opened)
    def _templates_opened(self, event: TemplatesPanel.Opened) -> None:
        event.stop()
        panel = self.query_one(TemplatesPanel)
        language = panel.language
        if not self._templates_language_known:
            language = self.profile_template_language()
            self._templates_language_known = True
        panel.set_context(language=language, values=thread_values(self.thread) if self.thread else {})

    # --- apply ----------------------------------------------------------------------------------

    @on(TemplatesPanel.Apply)
    def _template_chosen(self, event: TemplatesPanel.Apply) -> None:
        event.stop()
        thread = self.need_thread()
        if thread is not None:
            self._apply_template_flow(thread, event.template)

    @work(group="write")
    async def _apply_template_flow(self, thread: Thread, template: Template) -> None:
        variables: dict[str, str] = {}
        names = variables_in(template)
        if names:
            known = thread_values(thread)
            fields = [FormField(name, name.replace("_", " "), known.get(name, "")) for name in names]
            answers = await self.app.push_screen_wait(
                FormScreen(
                    f"Fill in “{template.name}” for {thread.creator.name}",
                    fields,
                    hint="pre-filled from the thread · tab: next · enter: preview the draft · esc: back",
                )
            )
            if answers is None:
                self.notify("Template not applied — nothing was sent.")
                return
            variables = {name: value for name, value in answers.items() if value.strip()}
        result = await self.run_write(lambda: self.writes.plan_template_use(thread, template, variables))
        if result is None:
            return
        body = result.data.get("body") if isinstance(result.data, dict) else None
        self.forget_unsent(thread.thread_id)
        if isinstance(body, str):
            self.fill_composer(body, saved=True)
        missing = missing_variables(result)
        if missing:
            self.notify(
                f"Still to fill in: {', '.join(missing)} — the draft keeps them as {{{{name}}}}; edit it (e) "
                "before sending.",
                title="The server could not fill every variable",
                severity="warning",
                timeout=20,
            )
        self.after_write(result)  # closes the panel; the list keeps the focus

    # --- save the draft as a template -------------------------------------------------------------

    @on(TemplatesPanel.SaveAsTemplate)
    def _template_save_requested(self, event: TemplatesPanel.SaveAsTemplate) -> None:
        event.stop()
        body = self.composer.text
        if is_blank(body):
            self.notify("Write the draft first: its text becomes the template.", severity="warning")
            return
        self._save_template_flow(body)

    @work(group="write")
    async def _save_template_flow(self, body: str) -> None:
        language = self.query_one(TemplatesPanel).language or self.profile_template_language() or "en"
        subject = self.thread.subject if self.thread is not None else ""
        answers = await self.app.push_screen_wait(
            FormScreen(
                "Save the draft as a template",
                [
                    FormField("name", "Name", placeholder="e.g. Rate follow-up", required=True),
                    FormField("language", "Language", language, placeholder="en, es, pt-BR…", required=True),
                    FormField("subject", "Subject (optional)", subject),
                ],
                hint="tab: next field · enter: plan the save · esc: back",
            )
        )
        if answers is None:
            self.notify("Template not saved — nothing was sent.")
            return
        saved = await self.run_write(
            lambda: self.writes.plan_template_save(
                answers["name"].strip(), answers["language"].strip(), body, answers["subject"].strip() or None
            )
        )
        if saved is not None:
            await self._reload_templates_panel()

    async def _reload_templates_panel(self) -> None:
        try:
            templates = await self.service.reload_templates()
        except NoxError as exc:
            self.notify(exc.message, severity="error")
            return
        panel = self.query_one(TemplatesPanel)
        if panel.is_open:
            panel.show(templates)
