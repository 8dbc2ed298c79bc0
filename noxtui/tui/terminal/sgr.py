"""SGR (colour and attribute) state: the shortest sequence from one cell style to the next.

Rich renders every segment as ``ESC[codes m text ESC[0m``: a full style and a reset per segment,
so a list row of a dozen coloured columns spends more bytes on styles than on text. Over SSH those
bytes are the latency a rep feels. Here a style is parsed once into its parts (attributes,
foreground, background, link) and a change of style writes only what changed (``ESC[38;5;179m``
for a new colour), or a reset and the new style when that is shorter.
"""

from __future__ import annotations

from dataclasses import dataclass

_ATTRIBUTE_OFF = {
    "1": "22",
    "2": "22",
    "3": "23",
    "4": "24",
    "21": "24",
    "5": "25",
    "6": "25",
    "7": "27",
    "8": "28",
    "9": "29",
    "51": "54",
    "52": "54",
    "53": "55",
}
"""The code that turns an attribute off (bold and dim share 22, so turning one off re-adds the other)."""

_VISIBLE_ON_BLANKS = frozenset({"4", "21", "7", "8", "9", "51", "52", "53"})
"""Attributes a space shows (underline, reverse, …): such blanks are written, never erased."""


@dataclass(frozen=True, slots=True)
class Sgr:
    """One style as the terminal sees it."""

    attributes: tuple[str, ...] = ()
    foreground: str | None = None
    background: str | None = None
    link: str | None = None
    link_id: str = ""

    @classmethod
    def parse(cls, codes: str, link: str | None = None, link_id: str = "") -> Sgr:
        """Split Rich's ``;``-joined codes (``1;38;5;179;48;2;1;2;3``) into attributes and colours."""
        attributes: list[str] = []
        foreground: str | None = None
        background: str | None = None
        parts = [part for part in codes.split(";") if part]
        index = 0
        while index < len(parts):
            part = parts[index]
            if part in ("38", "48", "58"):
                length = 3 if index + 1 < len(parts) and parts[index + 1] == "5" else 5
                colour = ";".join(parts[index : index + length])
                index += length
                if part == "38":
                    foreground = colour
                elif part == "48":
                    background = colour
                continue  # an underline colour (58) is not emitted by Rich; dropped rather than guessed
            number = int(part)
            if 30 <= number <= 37 or 90 <= number <= 97 or number == 39:
                foreground = None if number == 39 else part
            elif 40 <= number <= 47 or 100 <= number <= 107 or number == 49:
                background = None if number == 49 else part
            elif number == 0:
                attributes, foreground, background = [], None, None
            elif part not in attributes:
                attributes.append(part)
            index += 1
        return cls(tuple(sorted(attributes)), foreground, background, link, link_id)

    @property
    def erasable(self) -> bool:
        """Whether a run of spaces in this style can be erased (``EL``/``ECH``) instead of written:
        an erase paints the background only (the terminal's ``bce``), so nothing else may show."""
        return not _VISIBLE_ON_BLANKS.intersection(self.attributes) and self.link is None

    @property
    def blank_key(self) -> object:
        """What a space in this style looks like: its background alone when it is erasable (the
        foreground and bold of a blank show nothing), else the whole style."""
        return ("blank", self.background) if self.erasable else self

    def blank_after(self, current: Sgr) -> Sgr:
        """The style to write a blank of this (erasable) style in when ``current`` is in force: this
        background with the current foreground and the current attributes a blank does not show.
        A run of spaces then costs only a background change, and the next text's colour change is
        made once, where the text starts (a row's leading blank marker column saved ~11 B a row)."""
        kept = tuple(code for code in current.attributes if code not in _VISIBLE_ON_BLANKS)
        return Sgr(kept, current.foreground, self.background)

    def full(self) -> str:
        """This style from any state: a reset and every part."""
        codes = ["0", *self.attributes]
        if self.foreground is not None:
            codes.append(self.foreground)
        if self.background is not None:
            codes.append(self.background)
        return "\x1b[" + ";".join(codes) + "m" if len(codes) > 1 else "\x1b[0m"

    def change_from(self, before: Sgr) -> str:
        """The shortest SGR that turns ``before`` into this style (the link is handled apart)."""
        if before == self or (before.attributes, before.foreground, before.background) == (
            self.attributes,
            self.foreground,
            self.background,
        ):
            return ""
        codes: list[str] = []
        wanted = set(self.attributes)
        dropped = [code for code in before.attributes if code not in wanted]
        readd: set[str] = set()
        for code in dropped:
            off = _ATTRIBUTE_OFF.get(code)
            if off is None:
                return self.full()
            if off not in codes:
                codes.append(off)
            if off == "22":  # 22 also ends the other of bold/dim
                readd.update({"1", "2"} & wanted)
        had = set(before.attributes)
        codes.extend(code for code in self.attributes if code not in had or code in readd)
        if self.foreground != before.foreground:
            codes.append(self.foreground or "39")
        if self.background != before.background:
            codes.append(self.background or "49")
        delta = "\x1b[" + ";".join(codes) + "m"
        full = self.full()
        return delta if len(delta) <= len(full) else full


DEFAULT = Sgr()
"""The terminal's default style (after ``ESC[0m``), also the style of an unstyled segment."""
