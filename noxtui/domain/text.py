"""Text helpers shared by screens, plans and the sandbox: safe display of untrusted text, whether a
text shows anything at all, and relative times."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from html.parser import HTMLParser

# C0 controls except tab/newline, DEL and C1 controls: a creator's message must never be able to
# move the cursor, set the clipboard (OSC 52) or retitle the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _caret(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 32:
        return "^" + chr(code + 64)
    if code == 127:
        return "^?"
    return "\ufffd"


# Bidi embeddings, overrides, isolates and marks reorder what follows them (a name can make
# "gpj.exe" read as "exe.jpg"); zero-width spaces, word joiners and BOMs make two names that look
# alike differ. Shown as ``<U+202E>`` so the rep sees they are there. (ZWJ/ZWNJ stay: emoji and
# several scripts need them.)
_HIDDEN = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def _visible(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def sanitize(text: str) -> str:
    """Make untrusted text inert: control characters are shown in caret notation (ESC as ``^[``),
    bidi controls and zero-width spaces as ``<U+XXXX>``."""
    if text.isprintable():  # the common case, checked in C: no regex pass per painted line
        return text
    return _HIDDEN.sub(_visible, _CONTROL.sub(_caret, text))


def one_line(text: str) -> str:
    """Collapse whitespace so a snippet fits a single list line."""
    return " ".join(sanitize(text).split())


def relative_time(ts: float, now: datetime) -> str:
    """``5m``, ``3h``, ``2d``, then a short date: what a mail client shows in a narrow column."""
    seconds = now.timestamp() - ts
    if seconds <= -60:  # a send time still ahead: "in 3h", never "now"
        return _ahead(-seconds, datetime.fromtimestamp(ts, tz=now.tzinfo or timezone.utc), now)
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 86400 * 7:
        return f"{int(seconds // 86400)}d"
    when = datetime.fromtimestamp(ts, tz=now.tzinfo or timezone.utc)
    if when.year == now.year:
        return when.strftime("%b %d").replace(" 0", " ")
    return when.strftime("%Y-%m")


def _ahead(seconds: float, when: datetime, now: datetime) -> str:
    if seconds < 3600:
        return f"in {int(seconds // 60)}m"
    if seconds < 86400:
        return f"in {int(seconds // 3600)}h"
    if seconds < 86400 * 7:
        return f"in {int(seconds // 86400)}d"
    return "on " + (when.strftime("%b %d").replace(" 0", " ") if when.year == now.year else when.strftime("%Y-%m-%d"))


def format_timestamp(when: datetime, now: datetime) -> str:
    """Absolute time in the clock's zone plus the relative hint, for message headers."""
    local = when.astimezone(now.tzinfo or timezone.utc)
    return f"{local:%Y-%m-%d %H:%M} ({relative_time(when.timestamp(), now)})"


def wait_in_words(seconds: float) -> str:
    """A wait as a rep reads it: ``45 seconds``, ``3 minutes``, ``about 32 years`` — never ``1e+09 s``."""
    if seconds != seconds or seconds <= 0:  # NaN, or nothing to wait
        return "a moment"
    if seconds < 1:
        return f"{seconds:.2g} s"
    units = ((365 * 86400, "year", True), (86400, "day", True), (3600, "hour", False), (60, "minute", False))
    for size, unit, about in units:
        if seconds >= size:
            if seconds >= 1000 * size:
                return f"more than 1,000 {unit}s"
            count = round(seconds / size)
            return f"{'about ' if about else ''}{count:,} {unit}{'s' if count != 1 else ''}"
    count = int(-(-seconds // 1))
    return f"{count} second{'s' if count != 1 else ''}"


# --- does a text show anything? ----------------------------------------------------------------

# Categories that never draw a glyph of their own: controls, format characters (zero-width spaces
# and joiners, bidi marks, the BOM, soft hyphen, tag characters), separators, and marks that only
# decorate a base (combining accents, variation selectors U+FE00–FE0F and U+E0100–E01EF) — on their
# own they show nothing.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
# Letters and symbols that are drawn as blank space: the Hangul fillers and the braille blank.
BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_invisible(ch: str) -> bool:
    """True for a character that draws nothing on its own."""
    return ch.isspace() or ch in BLANK_GLYPHS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def has_visible_text(text: str) -> bool:
    """True when ``text`` shows at least one glyph: the one rule for "is this reply empty?".

    ``str.strip`` keeps zero-width spaces, the Hangul filler and the braille blank, so a reply of
    those looks empty to the creator yet would clear the thread's pending state. The app's plans and
    the sandbox's handlers both ask this function, so they refuse the same replies.
    """
    if text.isascii():  # the common case, decided in C
        return any(" " < ch < "\x7f" for ch in text)
    return not all(is_invisible(ch) for ch in text)


class _HtmlText(HTMLParser):
    """The text a rich-text body shows: tags dropped, entities decoded, line breaks kept."""

    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    _HIDDEN = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """What a rich-text body reads as in plain text (``<p>Hi<br>there</p>`` → ``Hi\nthere``)."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
