"""Handlers for the detail pane's context: email tasks (and their reports) and CRM channels."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from noxtui.sandbox.endpoint import Ctx, Result
from noxtui.sandbox.envelopes import ApiError, not_found, validation
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.validation import MAX_TEXT, body_object, reject_unknown, string_list

MAX_NOTES = 10_000
MAX_URL = 2048
CRM_FIELDS = ("notes", "owner_uid", "coop_status", "label_ids", "email", "url")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://\S+$")


def _task_seq(ctx: Ctx[Store]) -> int:
    task_id = ctx.path["task_id"]
    seq = ids.parse_id("et", task_id)
    if seq is None or ctx.store.email_task(seq) is None:
        raise not_found(f"No email task {task_id!r}")
    return seq


def email_task(ctx: Ctx[Store]) -> Result:
    task = ctx.store.email_task(_task_seq(ctx))
    assert task is not None
    summary = f"Email task {task['task_id']} “{task['name']}”: {task['status']}, {task['recipient_count']} recipients"
    return Result(task, summary)


def email_report(ctx: Ctx[Store]) -> Result:
    report = ctx.store.email_report(_task_seq(ctx))
    return Result(
        report,
        f"{report['task_id']}: {report['reply_count']} tracked replies, {report['replied_creator_count']} creators "
        f"replied, {report['inbound_message_count']} inbound messages",
    )


def _channel_seq(ctx: Ctx[Store]) -> int:
    creator_id = ctx.path["creator_id"]
    seq = ids.parse_id("cr", creator_id)
    if seq is None or not ctx.store.creator_exists(seq):
        raise not_found(f"No creator {creator_id!r}")
    if ctx.store.crm_channel(seq) is None:
        raise ApiError(
            "NOT_FOUND",
            f"Creator {creator_id} has no CRM channel: they were never added to the CRM",
            hint="Add the creator to the CRM in NoxInfluencer to keep notes and an owner",
        )
    return seq


def crm_channel(ctx: Ctx[Store]) -> Result:
    channel = ctx.store.crm_channel(_channel_seq(ctx))
    assert channel is not None
    status = channel["coop_status"]["name"] if channel["coop_status"] else "no status"
    summary = f"CRM channel of {channel['name']} ({channel['creator_id']}): {status}, owner {channel['owner_uid']}"
    return Result(channel, summary)


def _crm_fields(ctx: Ctx[Store], body: Mapping[str, Any]) -> dict[str, Any]:
    """The channel fields beyond notes and owner, each checked: a known coop status, known labels,
    an email address (``""`` clears it) and an http(s) URL."""
    fields: dict[str, Any] = {}
    code = body.get("coop_status")
    if code is not None:
        if not isinstance(code, str) or ctx.store.coop_status(code) is None:
            codes = ", ".join(s["code"] for s in ctx.store.coop_statuses())
            raise validation("coop_status", f"unknown coop status {code!r}; use one of: {codes}")
        fields["coop_status"] = code
    if body.get("label_ids") is not None:
        label_ids = string_list(body, "label_ids")
        unknown = [i for i in label_ids if i not in ctx.store.existing_label_ids(label_ids)]
        if unknown:
            raise validation("label_ids", f"unknown label id(s): {', '.join(unknown)}; see GET /messages/labels")
        fields["label_ids"] = label_ids
    email = body.get("email")
    if email is not None:
        if not isinstance(email, str) or (email and not _EMAIL.fullmatch(email)) or len(email) > 320:
            raise validation("email", "must be an email address such as name@example.com (or \"\" to clear it)")
        fields["email"] = email
    url = body.get("url")
    if url is not None:
        if not isinstance(url, str) or not _URL.fullmatch(url) or len(url) > MAX_URL:
            raise validation("url", f"must be an http(s) URL of at most {MAX_URL} characters, without spaces")
        fields["url"] = url
    return fields


def update_crm_channel(ctx: Ctx[Store]) -> Result:
    seq = _channel_seq(ctx)
    body = body_object(ctx.body)
    reject_unknown(body, CRM_FIELDS)
    notes = body.get("notes")
    owner_uid = body.get("owner_uid")
    if all(body.get(name) is None for name in CRM_FIELDS):
        raise ApiError(
            "VALIDATION_ERROR",
            "Nothing to update: send notes, owner_uid, coop_status, label_ids, email or url",
            fields={name: "send at least one field" for name in CRM_FIELDS},
        )
    fields = _crm_fields(ctx, body)
    if notes is not None and (not isinstance(notes, str) or len(notes) > min(MAX_NOTES, MAX_TEXT)):
        raise validation("notes", f"must be a string of at most {MAX_NOTES} characters")
    if owner_uid is not None:
        if not isinstance(owner_uid, str) or ctx.store.team_member(owner_uid) is None:
            uids = ", ".join(m["user_uid"] for m in ctx.store.team_members())
            raise validation("owner_uid", f"unknown team member {owner_uid!r}; use one of: {uids}")
    if notes is not None or owner_uid is not None:
        ctx.store.update_crm_channel(seq, notes=notes, owner_uid=owner_uid, now_ms=ctx.now_ms)
    if fields:
        ctx.store.update_crm_fields(seq, fields, ctx.now_ms)
    channel = ctx.store.crm_channel(seq)
    assert channel is not None
    named = (("notes", notes), ("owner", owner_uid), *((name.replace("_", " "), True) for name in fields))
    changed = " and ".join(name for name, value in named if value is not None)
    return Result(channel, f"Updated {changed} of CRM channel {channel['creator_id']} ({channel['name']})")
