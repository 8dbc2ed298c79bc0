"""Handlers for ``/messages/threads…``: list, get, and every thread write.

Each write returns the updated thread in ``message get`` shape, so a client can repaint the row
and the detail from the answer without a second request.
"""

from __future__ import annotations

import mimetypes
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from noxtui.domain.text import has_visible_text, html_text
from noxtui.sandbox.clock import to_ms
from noxtui.sandbox.endpoint import Ctx, Result
from noxtui.sandbox.envelopes import ApiError, RawJson, not_found, validation
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.draft_files import check_upload, draft_files
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.nox.thread_filters import VIEWS, ThreadFilters
from noxtui.sandbox.nox.validation import parse_plan_send_at
from noxtui.sandbox.validation import (
    MAX_TEXT,
    body_object,
    parse_bool,
    parse_choice,
    parse_csv,
    parse_int,
    parse_timestamp,
    required_text,
    string_list,
)

DIRECTIONS = ("inbound", "outbound")
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
_UNSAFE_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\]")


# --- lookups -------------------------------------------------------------------------------------


def load_thread(ctx: Ctx[Store], thread_id: str) -> tuple[int, sqlite3.Row]:
    """The thread's row number and row, or 404 (archived threads are still found)."""
    seq = ids.parse_id("th", thread_id)
    row = ctx.store.thread_row(seq) if seq is not None else None
    if seq is None or row is None:
        raise not_found(f"No thread {thread_id!r}: it does not exist or was removed")
    return seq, row


def writable_thread(ctx: Ctx[Store]) -> tuple[int, sqlite3.Row]:
    seq, row = load_thread(ctx, ctx.path["thread_id"])
    if row["archived"]:
        raise ApiError("CONFLICT", f"Thread {ctx.path['thread_id']} is archived; it can no longer be changed")
    return seq, row


def detail(ctx: Ctx[Store], seq: int) -> dict[str, Any]:
    found = ctx.store.thread_detail(seq)
    assert found is not None
    return found


def creator_name(thread: dict[str, Any]) -> str:
    return str(thread["creator"]["name"])


def known_sender(ctx: Ctx[Store], body: Mapping[str, Any], *, required: bool) -> dict[str, Any] | None:
    value = body.get("sender_auth_id")
    if value is None or value == "":
        if required:
            raise validation("sender_auth_id", "required: pick one of GET /messages/senders")
        return None
    if not isinstance(value, str):
        raise validation("sender_auth_id", "must be a string")
    sender = ctx.store.sender(value)
    if sender is None:
        choices = ", ".join(s["sender_auth_id"] for s in ctx.store.senders())
        raise validation("sender_auth_id", f"unknown sender {value!r}; use one of: {choices}")
    return sender


def reply_text(body: Mapping[str, Any]) -> str:
    """The text a send or schedule delivers: ``content``, or the text an ``html_body`` shows.

    Refused when it shows nothing (the contract: an empty reply never clears pending state), by the
    app's own rule (``has_visible_text``): whitespace, zero-width and format characters, lone marks,
    Hangul fillers, the braille blank — and rich text such as ``<p><br></p>``.
    """
    if body.get("html_body") is not None:
        if body.get("content") is not None:
            raise validation("html_body", "send content or html_body, not both")
        html = body["html_body"]
        if not isinstance(html, str) or len(html) > MAX_TEXT:
            raise validation("html_body", f"must be a string of at most {MAX_TEXT} characters")
        text = html_text(html)
        if not has_visible_text(text):
            raise validation(
                "html_body",
                "the rich-text body shows no text (e.g. <p><br></p>); write the message",
                summary="Refused: the reply is empty",
            )
        return text
    value = body.get("content")
    if not isinstance(value, str) or not has_visible_text(value):
        raise validation(
            "content",
            "the reply is empty; write the message (a blank reply cannot clear a pending thread)",
            summary="Refused: the reply is empty",
        )
    if len(value) > MAX_TEXT:
        raise validation("content", f"too long: {len(value)} characters (limit {MAX_TEXT})")
    return value


# --- reads ---------------------------------------------------------------------------------------


def list_threads(ctx: Ctx[Store]) -> Result:
    q = ctx.query
    status = q.get("status") or None
    if status is not None and ctx.store.coop_status(status) is None:
        raise validation("status", f"unknown coop status {status!r}; see GET /messages/coop-statuses")
    label_id = q.get("label_id") or None
    if label_id is not None and not ctx.store.existing_label_ids([label_id]):
        raise validation("label_id", f"unknown label {label_id!r}; see GET /messages/labels")
    keyword = (q.get("keyword") or "").strip() or None
    if keyword is not None and len(keyword) > 200:
        raise validation("keyword", "at most 200 characters")
    since = parse_timestamp("updated_since", q.get("updated_since"))
    filters = ThreadFilters(
        needs_reply=parse_bool("needs_reply", q.get("needs_reply")),
        direction=parse_choice("last_message_direction", q.get("last_message_direction"), DIRECTIONS),
        business_kind=q.get("business_kind") or None,
        business_id=q.get("business_id") or None,
        coop_status=status,
        project_ids=parse_csv("project_ids", q.get("project_ids")),
        owner_uids=parse_csv("creator_uids", q.get("creator_uids")),
        label_id=label_id,
        keyword=keyword,
        updated_since_ms=to_ms(since) if since is not None else None,
        view=parse_choice("view", q.get("view"), tuple(VIEWS)),
    )
    page = parse_int("page", q.get("page"), default=1, low=1)
    page_size = parse_int("page_size", q.get("page_size"), default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
    threads, count, total = ctx.store.list_threads_json(filters, page=page, page_size=page_size)
    first = (page - 1) * page_size + 1
    shown = f"{first}–{first + count - 1}" if count else "none"
    return Result(
        RawJson(threads),
        f"{total} thread{'s' if total != 1 else ''} match; showing {shown} (page {page})",
        page=page,
        page_size=page_size,
        total=total,
    )


def get_thread(ctx: Ctx[Store]) -> Result:
    """The whole thread; fetching it marks it read (what ``view=unread`` counts on), as upstream does."""
    seq, _ = load_thread(ctx, ctx.path["thread_id"])
    ctx.store.mark_read(seq)
    thread = detail(ctx, seq)
    state = "needs a reply" if thread["needs_reply"] else "no reply needed"
    return Result(
        thread,
        f"{thread['thread_id']} with {creator_name(thread)}: {thread['message_count']} messages, {state}",
    )


def thread_projects(ctx: Ctx[Store]) -> Result:
    seq, _ = load_thread(ctx, ctx.path["thread_id"])
    projects = ctx.store.thread_projects(seq)
    siblings = sum(1 for p in projects if not p["is_current"])
    return Result(
        projects,
        f"{len(projects)} project{'s' if len(projects) != 1 else ''} for this creator ({siblings} sibling)",
        total=len(projects),
    )


def list_attachments(ctx: Ctx[Store]) -> Result:
    seq, _ = load_thread(ctx, ctx.path["thread_id"])
    items = ctx.store.thread_attachments(seq)
    return Result(items, f"{len(items)} attachment{'s' if len(items) != 1 else ''}", total=len(items))


# --- writes --------------------------------------------------------------------------------------


def set_labels(ctx: Ctx[Store]) -> Result:
    seq, _ = writable_thread(ctx)
    body = body_object(ctx.body)
    label_ids = string_list(body, "label_ids", required=True)
    unknown = [lid for lid in label_ids if lid not in ctx.store.existing_label_ids(label_ids)]
    if unknown:
        raise validation("label_ids", f"unknown label id(s): {', '.join(unknown)}; see GET /messages/labels")
    ctx.store.set_labels(seq, label_ids, ctx.now_ms)
    thread = detail(ctx, seq)
    names = ", ".join(label["name"] for label in thread["labels"]) or "none"
    return Result(thread, f"Labels of {thread['thread_id']} are now: {names}")


def set_coop_status(ctx: Ctx[Store]) -> Result:
    seq, row = writable_thread(ctx)
    body = body_object(ctx.body)
    code = required_text(body, "coop_status", max_len=100)
    status = ctx.store.coop_status(code)
    if status is None:
        codes = ", ".join(s["code"] for s in ctx.store.coop_statuses())
        raise validation("coop_status", f"unknown coop status {code!r}; use one of: {codes}")
    before = row["coop_status"]
    ctx.store.set_coop_status(seq, code, ctx.now_ms)
    thread = detail(ctx, seq)
    return Result(thread, f"Coop status of {thread['thread_id']}: {before} → {code}")


def save_draft(ctx: Ctx[Store]) -> Result:
    seq, row = writable_thread(ctx)
    body = body_object(ctx.body)
    text = required_text(body, "body", allow_blank=True)
    sender = known_sender(ctx, body, required=False)
    attachments = draft_files(ctx, seq, row, body)
    ctx.store.save_draft(seq, text, sender["sender_auth_id"] if sender else None, attachments, ctx.now_ms)
    thread = detail(ctx, seq)
    what = "cleared" if not text else f"saved ({len(text)} characters)"
    return Result(thread, f"Draft of {thread['thread_id']} {what}")


def send(ctx: Ctx[Store]) -> Result:
    seq, row = writable_thread(ctx)
    body = body_object(ctx.body)
    value = reply_text(body)
    sender = known_sender(ctx, body, required=True)
    assert sender is not None
    reply_to = body.get("reply_to_message_id")
    if reply_to is not None:
        reply_seq = ids.parse_id("msg", reply_to) if isinstance(reply_to, str) else None
        if reply_seq is None or not ctx.store.message_in_thread(seq, reply_seq):
            raise validation("reply_to_message_id", f"{reply_to!r} is not a message of this thread")
    attachments = draft_files(ctx, seq, row, body)
    message_seq = ctx.store.append_outbound(
        seq, content=value, sender=sender, sent_at_ms=ctx.now_ms, now_ms=ctx.now_ms, attachment_seqs=attachments
    )
    thread = detail(ctx, seq)
    thread["message_id"] = ids.message_id(message_seq)
    return Result(thread, f"Sent reply to {creator_name(thread)} on {thread['thread_id']} from {sender['address']}")


def schedule(ctx: Ctx[Store]) -> Result:
    seq, row = writable_thread(ctx)
    body = body_object(ctx.body)
    content = reply_text(body)
    sender = known_sender(ctx, body, required=True)
    assert sender is not None
    moment = parse_plan_send_at(body.get("plan_send_at"), ctx.now)
    replaced = row["schedule_at"] is not None
    files = draft_files(ctx, seq, row, body)
    ctx.store.schedule_reply(
        seq,
        content=content,
        sender_auth_id=sender["sender_auth_id"],
        at_ms=to_ms(moment),
        now_ms=ctx.now_ms,
        attachment_seqs=files,
    )
    thread = detail(ctx, seq)
    note = " (replaced the previous one)" if replaced else ""
    return Result(
        thread,
        f"Reply to {creator_name(thread)} scheduled for {moment.isoformat()} from {sender['address']}{note}",
    )


def cancel_schedule(ctx: Ctx[Store]) -> Result:
    seq, row = writable_thread(ctx)
    to_draft = not row["draft_body"] and row["draft_attachment_ids"] in ("[]", "", None)
    if not ctx.store.cancel_schedule(seq, ctx.now_ms):
        raise ApiError("NOTHING_SCHEDULED", f"Nothing is scheduled on {ctx.path['thread_id']}")
    thread = detail(ctx, seq)
    where = "its text is back in the draft" if to_draft else "the thread has a draft, so its text was not put there"
    return Result(thread, f"Scheduled reply on {thread['thread_id']} cancelled; {where}")


def archive(ctx: Ctx[Store]) -> Result:
    seq, _ = load_thread(ctx, ctx.path["thread_id"])
    seqs = ctx.store.sibling_thread_seqs(seq)
    ctx.store.archive(seqs, ctx.now_ms)
    archived = [ids.thread_id(s) for s in seqs]
    thread = detail(ctx, seq)
    return Result(
        {"thread_id": thread["thread_id"], "archived_thread_ids": archived},
        f"Archived {len(archived)} thread{'s' if len(archived) != 1 else ''} of {creator_name(thread)}: "
        + ", ".join(archived),
    )


def upload_attachment(ctx: Ctx[Store]) -> Result:
    seq, row = writable_thread(ctx)
    upload = ctx.upload
    assert upload is not None
    if not upload.data:
        raise validation("file", "the file is empty")
    raw_name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    filename = _UNSAFE_FILENAME.sub("_", raw_name).strip()[:255] or "attachment"
    check_upload(row, filename, len(upload.data))
    content_type = upload.content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    item = ctx.store.add_attachment(
        seq, filename=filename, content_type=content_type, data=upload.data, now_ms=ctx.now_ms
    )
    return Result(item, f"Uploaded {filename} ({len(upload.data)} bytes) to {ctx.path['thread_id']}", status=201)


def delete_attachment(ctx: Ctx[Store]) -> Result:
    """Remove an uploaded file from the thread's draft; a file already sent with a reply stays."""
    seq, _ = writable_thread(ctx)
    attachment_id = ctx.path["attachment_id"]
    att_seq = ids.parse_id("att", attachment_id)
    owned = ctx.store.attachment_seqs_of_thread(seq, [att_seq]) if att_seq is not None else set()
    if att_seq is None or att_seq not in owned:
        raise not_found(f"No attachment {attachment_id!r} on {ctx.path['thread_id']}")
    if not ctx.store.delete_draft_attachment(seq, att_seq, ctx.now_ms):
        raise ApiError("CONFLICT", f"{attachment_id} was sent with a reply; it can no longer be removed")
    return Result(
        {"thread_id": ctx.path["thread_id"], "attachment_id": attachment_id, "deleted": True},
        f"Removed {attachment_id} from the draft of {ctx.path['thread_id']}",
    )
