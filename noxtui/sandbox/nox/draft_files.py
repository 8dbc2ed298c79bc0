"""The files a thread's draft carries through draft save, send, schedule and upload.

NoxInfluencer sends the draft's files with the reply (nox-cli.md), so a write that does not name
``attachment_ids`` keeps the draft's files ("unchanged"), and only an explicit list (``[]``
included) replaces them. Uploads land on the draft, under the vendor's rules: at most 2 files,
10 MB each, no executable or script (``noxtui.domain.attachments``, the rule the client plans with).
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from noxtui.domain.attachments import MAX_DRAFT_FILES, refusal
from noxtui.sandbox.endpoint import Ctx, Result
from noxtui.sandbox.envelopes import not_found, validation
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.validation import string_list


def current_draft_files(row: sqlite3.Row) -> list[int]:
    """The row numbers of the files on the thread's draft now."""
    found = (ids.parse_id("att", a) for a in json.loads(row["draft_attachment_ids"] or "[]"))
    return [seq for seq in found if seq is not None]


def draft_files(ctx: Ctx[Store], seq: int, row: sqlite3.Row, body: Mapping[str, Any]) -> list[int]:
    """The files this write carries: the body's ``attachment_ids``, or the draft's when absent.

    Each named file must have been uploaded to this very thread and not yet gone out with a reply;
    a draft holds at most ``MAX_DRAFT_FILES``.
    """
    if body.get("attachment_ids") is None:
        return current_draft_files(row)
    attachment_ids = string_list(body, "attachment_ids")
    if len(attachment_ids) > MAX_DRAFT_FILES:
        raise validation("attachment_ids", f"a draft holds at most {MAX_DRAFT_FILES} files")
    seqs = [ids.parse_id("att", a) for a in attachment_ids]
    unsent = ctx.store.unsent_attachment_seqs(seq, [s for s in seqs if s is not None])
    bad = [a for a, s in zip(attachment_ids, seqs, strict=True) if s is None or s not in unsent]
    if bad:
        raise validation("attachment_ids", f"not unsent attachments of this thread: {', '.join(bad)}")
    return [s for s in seqs if s is not None]


def check_upload(row: sqlite3.Row, filename: str, size: int) -> None:
    """Refuse an upload the draft cannot take (422 on ``file``, with the reason)."""
    reason = refusal(filename, size, len(current_draft_files(row)))
    if reason is not None:
        raise validation("file", reason, summary=f"Refused: {reason}")


def get_attachment(ctx: Ctx[Store]) -> Result:
    """One file with its bytes (base64): what a rep downloads from a message (or the draft)."""
    thread_id, attachment_id = ctx.path["thread_id"], ctx.path["attachment_id"]
    seq = ids.parse_id("th", thread_id)
    att_seq = ids.parse_id("att", attachment_id)
    found = None
    if seq is not None and att_seq is not None and ctx.store.thread_row(seq) is not None:
        found = ctx.store.attachment_content(seq, att_seq)
    if found is None:
        raise not_found(f"No attachment {attachment_id!r} on {thread_id}")
    item, data = found
    item["content_base64"] = base64.b64encode(data).decode("ascii")
    return Result(item, f"{item['filename']} ({len(data)} bytes) from {thread_id}")


__all__ = ["check_upload", "current_draft_files", "draft_files", "get_attachment"]
