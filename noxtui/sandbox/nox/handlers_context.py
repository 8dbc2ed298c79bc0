"""Handlers for the detail pane's context: email tasks (and their reports) and CRM channels."""

from __future__ import annotations

from noxtui.sandbox.endpoint import Ctx, Result
from noxtui.sandbox.envelopes import ApiError, not_found, validation
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.validation import MAX_TEXT, body_object, reject_unknown

MAX_NOTES = 10_000


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


def update_crm_channel(ctx: Ctx[Store]) -> Result:
    seq = _channel_seq(ctx)
    body = body_object(ctx.body)
    reject_unknown(body, ("notes", "owner_uid"))
    notes = body.get("notes")
    owner_uid = body.get("owner_uid")
    if notes is None and owner_uid is None:
        raise ApiError(
            "VALIDATION_ERROR",
            "Nothing to update: send notes and/or owner_uid",
            fields={"notes": "send notes and/or owner_uid", "owner_uid": "send notes and/or owner_uid"},
        )
    if notes is not None and (not isinstance(notes, str) or len(notes) > min(MAX_NOTES, MAX_TEXT)):
        raise validation("notes", f"must be a string of at most {MAX_NOTES} characters")
    if owner_uid is not None:
        if not isinstance(owner_uid, str) or ctx.store.team_member(owner_uid) is None:
            uids = ", ".join(m["user_uid"] for m in ctx.store.team_members())
            raise validation("owner_uid", f"unknown team member {owner_uid!r}; use one of: {uids}")
    ctx.store.update_crm_channel(seq, notes=notes, owner_uid=owner_uid, now_ms=ctx.now_ms)
    channel = ctx.store.crm_channel(seq)
    assert channel is not None
    changed = " and ".join(name for name, value in (("notes", notes), ("owner", owner_uid)) if value is not None)
    return Result(channel, f"Updated {changed} of CRM channel {channel['creator_id']} ({channel['name']})")
