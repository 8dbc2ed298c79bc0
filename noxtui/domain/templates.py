"""Template ``{{variables}}``: which a template uses, what a thread already knows, and the rendered
preview the rep reads before applying one.

The server renders the template into the draft (``templates use``) and answers with the variables
it could not fill (``missing_variables``); the app asks the rep for every variable in one form,
pre-filled from the thread, and previews the result with the same rule, so what the confirm modal
shows is what the draft will hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from noxtui.domain.models import Template, ThreadSummary

VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


def variables_in(template: Template) -> list[str]:
    """The template's variable names, in order of first use (subject first), each once."""
    texts = (template.subject or "", template.body)
    return list(dict.fromkeys(match.group(1) for text in texts for match in VARIABLE.finditer(text)))


def render(text: str, values: Mapping[str, str]) -> tuple[str, list[str]]:
    """``text`` with every known ``{{name}}`` filled; unknown ones stay as written and are listed."""
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is None or value == "":
            if name not in missing:
                missing.append(name)
            return match.group(0)
        return value

    return VARIABLE.sub(fill, text), missing


def thread_values(thread: ThreadSummary) -> dict[str, str]:
    """What a thread already knows, under the variable names the templates use (creator, channel…)."""
    creator = thread.creator
    first = creator.name.split()[0] if creator.name.split() else creator.name
    values = {
        "creator_name": creator.name,
        "creator_first_name": first,
        "creator_handle": creator.handle or "",
        "platform": creator.platform,
        "channel_url": creator.channel_url,
        "creator_email": creator.email or "",
        "thread_subject": thread.subject,
    }
    return {name: value for name, value in values.items() if value}


__all__ = ["VARIABLE", "render", "thread_values", "variables_in"]
