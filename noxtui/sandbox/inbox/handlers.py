"""The sandbox's Inbox routes (mounted at ``/inbox/api/v1``): X DM threads over the shared store.

They reuse ``endpoint.py`` whole — Idempotency-Key on every write with replay of the stored answer,
the body cap, JSON parsing, one transaction per write — and change only how a success is written:
Inbox answers raw JSON (``{"threads": …, "nextCursor": …}``, a message…) instead of noxtui's
``{"success", "data"}`` envelope. Errors keep the sandbox's error envelope (Inbox's own error body
is unconfirmed, so clients must read it defensively anyway), as do the auth and fault layers.

Rules: ids match ``^[0-9a-z]+$`` or the answer is 422; a well-formed id that names nothing is 404;
a send to a thread nobody has written in yet is the outbound-first message, refused with 402 because
the sandbox team has no Outbound Messages add-on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from noxtui.sandbox.clock import to_ms
from noxtui.sandbox.database import Database
from noxtui.sandbox.endpoint import Ctx, EndpointFactory, Result, json_response
from noxtui.sandbox.envelopes import ApiError, dumps, not_found, validation
from noxtui.sandbox.inbox import ids as xid
from noxtui.sandbox.inbox.store import VIEWS, InboxStore, Keyset, ThreadListing
from noxtui.sandbox.validation import (
    MAX_LIST_VALUES,
    body_object,
    optional_text,
    parse_choice,
    parse_int,
    parse_timestamp,
    reject_unknown,
    required_text,
)

MAX_DM_CHARS = 10_000
THREAD_PAGE = (20, 100)  # corrections: default 20, max 100
MESSAGE_PAGE = (50, 100)  # corrections: default 50, max 100
OUTBOUND_ADDON_HINT = (
    "Enable the Outbound Messages add-on in Inbox's billing settings, or wait until the contact writes first"
)
OUTBOUND_ADDON_SUMMARY = (
    "The first outbound message of a thread needs Inbox's paid Outbound Messages add-on; "
    "replies in existing conversations work on every plan"
)


class InboxEndpointFactory(EndpointFactory[Database]):
    """``EndpointFactory`` whose successes are Inbox's raw JSON (the replayed bytes are these too)."""

    @staticmethod
    def _respond(result: Result, request_id: str) -> Response:
        return json_response(dumps(result.data), result.status, request_id)


# --- input ---------------------------------------------------------------------------------------


def _seq(value: Any, prefix: str, what: str) -> int | None:
    """422 unless ``value`` is an Inbox id; then its row number, or ``None`` if it names nothing."""
    if not xid.well_formed(value):
        shown = str(value)[:40]
        message = "must be an Inbox id (lower-case letters and digits only)"
        raise validation(what, message, summary=f"{what} {shown!r} is not a valid id")
    return xid.parse(prefix, value)


def _thread(ctx: Ctx[Database]) -> tuple[InboxStore, int, sqlite3.Row]:
    store = InboxStore(ctx.store)
    thread_id = ctx.path["thread_id"]
    seq = _seq(thread_id, "xt", "threadId")
    row = store.thread_row(seq) if seq is not None else None
    if seq is None or row is None:
        raise not_found(f"No thread {thread_id!r}")
    return store, seq, row


def _limit(ctx: Ctx[Database], bounds: tuple[int, int]) -> int:
    return parse_int("limit", ctx.query.get("limit"), default=bounds[0], low=1, high=bounds[1])


def _keyset(ctx: Ctx[Database], prefix: str) -> Keyset | None:
    """``cursorId`` + ``cursorTimestamp`` (both or neither), from a previous ``nextCursor``."""
    cursor_id, stamp = ctx.query.get("cursorId"), ctx.query.get("cursorTimestamp")
    if not cursor_id and not stamp:
        return None
    if not cursor_id or not stamp:
        raise validation("cursorId", "cursorId and cursorTimestamp are sent together, from nextCursor")
    seq = _seq(cursor_id, prefix, "cursorId")
    if seq is None:
        raise validation("cursorId", "not a cursor of this list; pass back nextCursor.id as given")
    if stamp.isdigit():
        return Keyset(int(stamp), seq)
    moment = parse_timestamp("cursorTimestamp", stamp)
    assert moment is not None
    return Keyset(to_ms(moment), seq)


def _query_ids(ctx: Ctx[Database], name: str, prefix: str) -> tuple[int, ...]:
    """Repeated ``name[]`` (or ``name``) values; an unknown but well-formed id matches nothing."""
    getlist = ctx.query.getlist
    values: list[str] = [*getlist(f"{name}[]"), *getlist(name)]
    if len(values) > MAX_LIST_VALUES:
        raise validation(name, f"at most {MAX_LIST_VALUES} values")
    return tuple(_seq(v, prefix, name) or 0 for v in dict.fromkeys(values))


def _body_ids(body: dict[str, Any], name: str, prefix: str, store: InboxStore, table: str) -> list[int]:
    raw = body.get(name)
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_LIST_VALUES:
        raise validation(name, f"must be a list of at most {MAX_LIST_VALUES} ids")
    seqs = [_seq(value, prefix, name) for value in raw]
    known = store.existing(table, [s for s in seqs if s is not None])
    unknown = [raw[i] for i, s in enumerate(seqs) if s is None or s not in known]
    if unknown:
        raise validation(name, f"unknown id(s): {', '.join(map(str, unknown))}")
    return list(dict.fromkeys(s for s in seqs if s is not None))


def _optional_ref(body: dict[str, Any], name: str, prefix: str, store: InboxStore, table: str) -> int | None | bool:
    """A nullable id field: ``False`` when absent, ``None`` when null, else the known row number."""
    if name not in body:
        return False
    value = body[name]
    if value is None:
        return None
    seq = _seq(value, prefix, name)
    if seq is None or not store.existing(table, [seq]):
        raise validation(name, f"unknown id {value!r}")
    return seq


# --- reads ---------------------------------------------------------------------------------------


def list_threads(ctx: Ctx[Database]) -> Result:
    listing = ThreadListing(
        view=parse_choice("inbox", ctx.query.get("inbox"), tuple(VIEWS)) or "default",
        limit=_limit(ctx, THREAD_PAGE),
        descending=(parse_choice("sort", ctx.query.get("sort"), ("asc", "desc")) or "desc") == "desc",
        after=_keyset(ctx, "xt"),
        tag_seqs=_query_ids(ctx, "filters[tags]", "xg"),
        assignee_seqs=_query_ids(ctx, "filters[assignees]", "xu"),
        status_seqs=_query_ids(ctx, "filters[statuses]", "xs"),
        account_link_seqs=_query_ids(ctx, "accountLinkIds", "xa"),
    )
    threads, following = InboxStore(ctx.store).list_threads(listing)
    return Result({"threads": threads, "nextCursor": following}, f"{len(threads)} thread(s)")


def get_thread(ctx: Ctx[Database]) -> Result:
    store, seq, _ = _thread(ctx)
    return Result(store.thread(seq), "Thread")


def list_messages(ctx: Ctx[Database]) -> Result:
    store, seq, _ = _thread(ctx)
    messages, following = store.messages(seq, limit=_limit(ctx, MESSAGE_PAGE), after=_keyset(ctx, "xm"))
    return Result({"messages": messages, "nextCursor": following, "isSyncing": False}, f"{len(messages)} message(s)")


def list_tags(ctx: Ctx[Database]) -> Result:
    return Result({"tags": InboxStore(ctx.store).tags()}, "Tags")


def team(ctx: Ctx[Database]) -> Result:
    return Result(InboxStore(ctx.store).team(), "Team")


def stats(ctx: Ctx[Database]) -> Result:
    """``GET /_sandbox/inbox/stats`` (admin, enveloped like ``/_sandbox/stats``)."""
    return Result(InboxStore(ctx.store).stats(), "Inbox sandbox counts")


# --- writes --------------------------------------------------------------------------------------


def send_message(ctx: Ctx[Database]) -> Result:
    """``POST /threads/{id}/messages`` ``{content, replyToMessageId?}`` → the message (fact)."""
    store, seq, row = _thread(ctx)
    body = dict(body_object(ctx.body))
    reject_unknown(body, ("content", "replyToMessageId"))
    content = required_text(body, "content", max_len=MAX_DM_CHARS)
    reply_to: int | None = None
    if body.get("replyToMessageId") is not None:
        reply_to = _seq(body["replyToMessageId"], "xm", "replyToMessageId")
        if reply_to is None or store.message_thread(reply_to) != seq:
            raise validation("replyToMessageId", "not a message of this thread")
    if row["last_message_seq"] is None:
        raise ApiError(
            "OUTBOUND_ADDON_REQUIRED",
            OUTBOUND_ADDON_SUMMARY,
            status=402,
            hint=OUTBOUND_ADDON_HINT,
        )
    message = store.append_outbound(seq, content, reply_to, ctx.now_ms)
    return Result(message, "Message sent")


def update_thread(ctx: Ctx[Database]) -> Result:
    """``PATCH /threads/{id}`` ``{done?, assigneeId?}`` → the thread (``done`` archives it)."""
    store, seq, _ = _thread(ctx)
    body = dict(body_object(ctx.body))
    reject_unknown(body, ("done", "assigneeId"))
    if not body:
        raise validation("body", "send done and/or assigneeId")
    done = body.get("done")
    if "done" in body and not isinstance(done, bool):
        raise validation("done", "must be true or false")
    assignee = _optional_ref(body, "assigneeId", "xu", store, "inbox_users")
    store.update_thread(seq, done=done, assignee=assignee, now_ms=ctx.now_ms)
    return Result(store.thread(seq), "Thread updated")


def update_prospect_context(ctx: Ctx[Database]) -> Result:
    """``PATCH /prospects/{id}/context`` ``{addTags?, removeTags?, statusId?, notes?}`` → the prospect."""
    store = InboxStore(ctx.store)
    prospect_id = ctx.path["prospect_id"]
    seq = _seq(prospect_id, "xp", "prospectId")
    if seq is None or not store.prospect_exists(seq):
        raise not_found(f"No prospect {prospect_id!r}")
    body = dict(body_object(ctx.body))
    reject_unknown(body, ("addTags", "removeTags", "statusId", "notes"))
    if not body:
        raise validation("body", "send at least one of addTags, removeTags, statusId, notes")
    add = _body_ids(body, "addTags", "xg", store, "inbox_tags")
    remove = _body_ids(body, "removeTags", "xg", store, "inbox_tags")
    both: Sequence[int] = sorted(set(add) & set(remove))
    if both:
        named = ", ".join(xid.make("xg", s) for s in both)
        raise validation("removeTags", f"a tag cannot be added and removed at once: {named}")
    status = _optional_ref(body, "statusId", "xs", store, "inbox_statuses")
    notes = optional_text(body, "notes")
    store.update_prospect(seq, add_tags=add, remove_tags=remove, status=status, notes=notes, now_ms=ctx.now_ms)
    return Result(store.prospect(seq), "Prospect updated")


def inbox_routes(factory: InboxEndpointFactory) -> list[BaseRoute]:
    r = factory.route
    t = "/threads/{thread_id}"
    return [
        r("/threads", "GET", list_threads),
        r(t, "GET", get_thread),
        r(t, "PATCH", update_thread),
        r(t + "/messages", "GET", list_messages),
        r(t + "/messages", "POST", send_message),
        r("/prospects/{prospect_id}/context", "PATCH", update_prospect_context),
        r("/tags", "GET", list_tags),
        r("/team", "GET", team),
    ]
