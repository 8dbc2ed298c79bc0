"""Text from a server, made safe to paint: never markup, never terminal control.

Textual reads a ``str`` handed to an ``Option``, a ``Selection``, a ``Static`` or a toast as markup,
so a label named ``Rates [/old]`` raised ``MarkupError`` and ``[VIP] Hot lead`` lost ``[VIP]``. A
``rich.text.Text`` is painted as it is; ``sanitize`` first turns control, bidi and zero-width
characters into visible marks. Every name or message another person chose goes through here (or
through a module's own ``Text(sanitize(...))``) before it reaches a widget.
"""

from __future__ import annotations

from rich.text import Text

from noxtui.domain.text import sanitize


def plain_text(text: str, style: str = "") -> Text:
    """``text`` as an inert ``Text``: shown character for character, never read as markup."""
    return Text(sanitize(text), style=style)
