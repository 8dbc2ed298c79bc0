"""The two texts a thread row carries about its newest message: the list snippet, the search text.

Both the seed and every write that changes the newest message derive them here, so a seeded
thread and a written one are searched and previewed alike.
"""

from __future__ import annotations

SNIPPET_CHARS = 140
SEARCH_SEPARATOR = "\x1f"


def make_snippet(body: str) -> str:
    """The list-row preview: the body's first characters with whitespace runs collapsed."""
    flat = " ".join(body.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"


def make_search_text(name: str, handle: str, subject: str, snippet: str) -> str:
    """What ``keyword`` is matched against (see ``schema.py`` for why it is one column)."""
    return SEARCH_SEPARATOR.join(part.lower() for part in (name, handle, subject, snippet))
