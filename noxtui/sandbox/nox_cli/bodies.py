"""Request bodies of writes: ``--body-file`` read and checked against the command's schema,
``html_body`` turned into the text the sandbox stores, and ``--file`` uploads checked locally.

Everything here fails with exit 2 before any request: an unreadable or non-object file, a field the
schema does not list, a required field missing or of the wrong JSON type, both or neither of
``content``/``html_body``, an ``html_body`` with no visible text (``<p><br></p>``), and an upload
that is missing, empty, over 10 MB, or an executable or script.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from noxtui.sandbox.nox_cli.output import invalid
from noxtui.sandbox.nox_cli.spec import Command

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Executables and scripts a mail client might run: refused as attachments (nox-cli.md).
DANGEROUS_EXTENSIONS = frozenset(
    "exe com bat cmd msi msp scr pif cpl dll sys ps1 psm1 vb vbs vbe js jse mjs wsf wsh hta jar sh bash zsh "
    "csh ksh py pyw pl rb php app apk dmg deb rpm lnk reg scf inf gadget application msc".split()
)
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {"string": str, "array": list, "object": dict}
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_HIDDEN_TAGS = frozenset(("script", "style", "head", "title"))
_BLOCK_TAGS = frozenset("p div br li ul ol tr table h1 h2 h3 h4 h5 h6 blockquote pre section article".split())


def read_body_file(path: str) -> dict[str, Any]:
    """The JSON object in ``path`` (exit 2 if it cannot be read or is not an object)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise invalid(f"cannot read --body-file {path}: {type(exc).__name__}: {exc}") from None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise invalid(f"--body-file {path} is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise invalid(f"--body-file {path} must hold a JSON object, not {type(body).__name__}")
    return body


def check_body(command: Command, body: dict[str, Any]) -> None:
    """``body`` against ``command.body`` (fields, required, JSON types, exactly-one-of)."""
    fields = command.body or {}
    unknown = sorted(k for k in body if k not in fields)
    if unknown:
        raise invalid(
            f"unknown field(s) in --body-file for `{command.name}`: {', '.join(unknown)}; "
            f"allowed: {', '.join(fields)}"
        )
    for name, spec in fields.items():
        value = body.get(name)
        if value is None:
            if spec.required:
                raise invalid(f"--body-file for `{command.name}` needs field {name!r}")
            continue
        expected = _JSON_TYPES[spec.type]
        if not isinstance(value, expected):
            raise invalid(f"field {name!r} must be a JSON {spec.type}, not {type(value).__name__}")
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise invalid(f"field {name!r} must be an array of strings")
    if command.exactly_one_of:
        present = [k for k in command.exactly_one_of if body.get(k) is not None]
        if len(present) != 1:
            names = " or ".join(command.exactly_one_of)
            given = f"got {', '.join(present)}" if present else "got neither"
            raise invalid(f"`{command.name}` needs exactly one of {names} ({given})")


def html_to_text(html_body: str) -> str:
    """The visible text of an HTML reply: block tags become line breaks, entities decoded."""
    from html.parser import HTMLParser  # only html_body pays for it

    class TextOfHtml(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _HIDDEN_TAGS:
                self.skip += 1
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _HIDDEN_TAGS:
                self.skip = max(0, self.skip - 1)
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = TextOfHtml()
    parser.feed(html_body)
    parser.close()
    lines = [line.replace("\xa0", " ").rstrip() for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()


def wire_body(command: Command, body: dict[str, Any]) -> dict[str, Any]:
    """What goes to the sandbox: ``html_body`` becomes ``content`` (refused with no visible text)."""
    if "html_body" not in (command.body or {}) or body.get("html_body") is None:
        return {k: v for k, v in body.items()}
    text = html_to_text(body["html_body"])
    if not _INVISIBLE.sub("", text):
        raise invalid("html_body has no visible text (e.g. <p><br></p>); write the reply first")
    return {("content" if k == "html_body" else k): (text if k == "html_body" else v) for k, v in body.items()}


def read_upload(path_text: str) -> tuple[str, str, bytes]:
    """``(filename, content type, bytes)`` of an upload, or exit 2 saying why it is refused."""
    path = Path(path_text)
    if not path.is_file():
        raise invalid(f"--file {path_text}: no such file")
    suffix = path.suffix.lower().lstrip(".")
    if suffix in DANGEROUS_EXTENSIONS:
        raise invalid(f"--file {path.name}: .{suffix} files (executables and scripts) cannot be attached")
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise invalid(f"--file {path.name} is {size} bytes; attachments are limited to 10 MB")
    if size == 0:
        raise invalid(f"--file {path.name} is empty")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise invalid(f"cannot read --file {path_text}: {exc}") from None
    import mimetypes  # only uploads pay for it

    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.name, content_type, data
