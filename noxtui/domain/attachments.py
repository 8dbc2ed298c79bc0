"""What a draft may carry: the vendor's attachment rules, shared by the plans and the sandbox.

NoxInfluencer's documentation (``nox-cli.md``): at most 2 files on a thread's draft, 10 MB each,
and no executable or script. The client refuses such a file before anything is uploaded (with the
reason, while the rep still looks at it) and the sandbox refuses it the same way, so a green test
means the two agree.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from noxtui.domain.errors import ProtocolError
from noxtui.domain.models import Attachment

MAX_DRAFT_FILES = 2
MAX_FILE_BYTES = 10 * 1024 * 1024

DANGEROUS_EXTENSIONS = frozenset(
    "exe com bat cmd msi msp scr pif cpl dll sys ps1 psm1 vb vbs vbe js jse mjs wsf wsh hta jar sh bash zsh "
    "csh ksh py pyw pl rb php app apk dmg deb rpm lnk reg scf inf gadget application msc".split()
)
"""Executables and scripts a mail client might run when the creator opens them."""


@dataclass(frozen=True)
class LocalFile:
    """A file on the rep's disk, as an upload plan names it (read by the service, not the plan)."""

    path: str
    filename: str
    size: int
    content_type: str


class AttachmentContent(Attachment):
    """One file with its bytes, as the server hands it for a download (``content_base64``)."""

    content_base64: str = ""

    def data(self) -> bytes:
        """The file's bytes; a ``ProtocolError`` when the server's base64 is broken."""
        try:
            return base64.b64decode(self.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(f"The server sent {self.filename} in a broken encoding") from None


def extension(filename: str) -> str:
    """The lower-case extension without its dot (``Kit.PDF`` → ``pdf``; none → ``""``)."""
    stem, dot, ext = filename.rpartition(".")
    return ext.strip().lower() if dot and stem else ""


def human_size(size: int) -> str:
    """``512 B``, ``12.5 KB``, ``3.2 MB``: how a rep reads a file's size."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def refusal(filename: str, size: int, files_on_draft: int) -> str | None:
    """Why this file cannot go on the draft, or ``None`` when it can.

    ``files_on_draft``: how many files the draft already holds.
    """
    ext = extension(filename)
    if ext in DANGEROUS_EXTENSIONS:
        return f"{filename}: .{ext} files (executables and scripts) cannot be attached"
    if size > MAX_FILE_BYTES:
        return f"{filename} is {human_size(size)}; a file may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB"
    if size <= 0:
        return f"{filename} is empty"
    if files_on_draft >= MAX_DRAFT_FILES:
        return f"The draft already holds {files_on_draft} files (at most {MAX_DRAFT_FILES}); remove one first"
    return None


__all__ = [
    "AttachmentContent",
    "DANGEROUS_EXTENSIONS",
    "MAX_DRAFT_FILES",
    "MAX_FILE_BYTES",
    "LocalFile",
    "extension",
    "human_size",
    "refusal",
]
