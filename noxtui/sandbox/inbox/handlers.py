"""The sandbox's Inbox routes (mounted at ``/inbox/api/v1``): the v1 document's operations over the shared store.

They reuse ``endpoint.py`` — the body cap, JSON parsing, one transaction per write — and change
what Inbox changes: successes are the document's raw JSON (``{"threads", "nextCursor"}``, a
``Message``, bare arrays for the catalogues), refusals are ``{code, message, details, requestId}``
(``params.InboxError``, the v2 SDK's body; v1 documents none), and no ``Idempotency-Key`` is asked
for or honoured, because the document defines none (a repeated send is a second message, as on the
real service). Query strings are read strictly (``params``): an unknown or mis-encoded parameter is
a 400.

Rules: ids match ``^[0-9a-z]+$`` or the answer is 400; a well-formed id that names nothing is 404
(``threadNotFound``, ``contactNotFound``…); a send to a thread nobody has written in yet is the
outbound-first message, refused with 403 ``planRequired`` because the sandbox team has no Outbound
Messages add-on.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute

from noxtui.sandbox.database import Database
from noxtui.sandbox.endpoint import Ctx, EndpointFactory, Handler, Result, json_response
from noxtui.sandbox.envelopes import ApiError, dumps
from noxtui.sandbox.inbox import ids as xid
from noxtui.sandbox.inbox import params
from noxtui.sandbox.inbox.params import InboxError, invalid, not_found
from noxtui.sandbox.inbox.store import UNSET, InboxStore, Keyset, ProspectChange, ThreadListing
from noxtui.sandbox.validation import MAX_LIST_VALUES, body_object, optional_text, required_text

MAX_DM_CHARS = 10_000
MAX_VALUATION = 1e15
OUTBOUND_ADDON_SUMMARY = (
    "The first outbound message of a thread needs Inbox's paid Outbound Messages add-on; "
    "replies in existing conversations work on every plan"
)


class InboxEndpointFactory(EndpointFactory[Database]):
    """Inbox's raw JSON successes, v2-shaped refusals, and no Idempotency-Key (the document has none)."""

    @staticmethod
    def _respond(result: Result, request_id: str) -> Response:
        return json_response(dumps(result.data), result.status, request_id)

    def inbox_route(self, path: str, method: str, handler: Handler[Database]) -> BaseRoute:
        def answered(ctx: Ctx[Database]) -> Result:
            try:
                return handler(ctx)
            except ApiError as error:
                raise InboxError.of(error) from None

        answered.__name__ = handler.__name__
        return self.route(path, method, answered, idempotent=False)


# --- input ---------------------------------------------------------------------------------------


def _seq(value: Any, prefix: str, what: str) -> int | None:
    """400 unless ``value`` is an Inbox id; then its row number, or ``None`` if it names nothing."""
    if not xid.well_formed(value):
        raise invalid(what, "must be an Inbox id (lower-case letters and digits only)")
    return xid.parse(prefix, value)


def _thread(ctx: Ctx[Database]) -> tuple[InboxStore, int, sqlite3.Row]:
    store = InboxStore(ctx.store)
    thread_id = ctx.path["thread_id"]
    seq = _seq(thread_id, "xt", "threadId")
    row = store.thread_row(seq) if seq is not None else None
    if seq is None or row is None:
        raise not_found("threadNotFound", f"thread {thread_id!r}")
    return store, seq, row


def _prospect(ctx: Ctx[Database]) -> tuple[InboxStore, int]:
    store = InboxStore(ctx.store)
    prospect_id = ctx.path["prospect_id"]
    seq = _seq(prospect_id, "xp", "prospectId")
    if seq is None or not store.prospect_exists(seq):
        raise not_found("contactNotFound", f"prospect {prospect_id!r}")
    return store, seq


def _keyset(page: params.Page, prefix: str) -> Keyset | None:
    if page.after is None:
        return None
    seq = xid.parse(prefix, page.after[1])
    assert seq is not None  # params checked it
    return Keyset(page.after[0], seq)


def _seqs(values: list[str], prefix: str, what: str) -> tuple[int, ...]:
    """Row numbers of the ids given (well-formed ids that name nothing are dropped: they match nothing)."""
    return tuple(dict.fromkeys(s for v in values if (s := _seq(v, prefix, what)) is not None))


def _body_ids(body: dict[str, Any], name: str, prefix: str, store: InboxStore, table: str) -> tuple[int, ...]:
    raw = body.get(name)
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_LIST_VALUES:
        raise invalid(name, f"must be a list of at most {MAX_LIST_VALUES} ids")
    seqs = [_seq(value, prefix, name) for value in raw]
    known = store.existing(table, [s for s in seqs if s is not None])
    unknown = [raw[i] for i, s in enumerate(seqs) if s is None or s not in known]
    if unknown:
        raise InboxError("tagNotFound", f"Unknown tag(s): {', '.join(map(str, unknown))}", status=404)
    return tuple(dict.fromkeys(s for s in seqs if s is not None))


def _optional_ref(body: dict[str, Any], name: str, prefix: str, store: InboxStore, table: str, code: str) -> Any:
    """A nullable id field: ``UNSET`` when absent, ``None`` when null, else the known row number."""
    if name not in body:
        return UNSET
    value = body[name]
    if value is None:
        return None
    seq = _seq(value, prefix, name)
    if seq is None or not store.existing(table, [seq]):
        raise InboxError(code, f"Unknown {name} {value!r}", status=404)
    return seq


def _reject_unknown(body: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(k for k in body if k not in allowed)
    if unknown:
        raise invalid(unknown[0], f"unknown field; the body takes {', '.join(allowed)}")


# --- reads ---------------------------------------------------------------------------------------


def list_threads(ctx: Ctx[Database]) -> Result:
    args = params.thread_list(ctx.query.multi_items())
    selected = args.filters.selected
    listing = ThreadListing(
        view=args.view,
        limit=args.page.limit,
        filters=args.filters,
        after=_keyset(args.page, "xt"),
        tag_seqs=_seqs(selected["tags"], "xg", "filters[tags][selectedIds]"),
        status_seqs=_seqs(selected["statuses"], "xs", "filters[statuses][selectedIds]"),
        assignee_seqs=_seqs(selected["assignees"], "xu", "filters[assignees][selectedIds]"),
        account_link_seqs=_seqs(args.filters.account_link_ids, "xa", "accountLinkIds"),
    )
    threads, following = InboxStore(ctx.store).list_threads(listing)
    return Result({"threads": threads, "nextCursor": following}, f"{len(threads)} thread(s)")


def lookup_by_username(ctx: Ctx[Database]) -> Result:
    username, links = params.lookup(ctx.query.multi_items())
    link_seqs = _seqs(links, "xa", "accountLinkIds") if links else None
    return Result(InboxStore(ctx.store).threads_of_username(username.lstrip("@"), link_seqs), "Threads")


def get_thread(ctx: Ctx[Database]) -> Result:
    params.no_params(ctx.query.multi_items())
    store, seq, _ = _thread(ctx)
    return Result(store.thread(seq), "Thread")


def list_messages(ctx: Ctx[Database]) -> Result:
    page = params.message_list(ctx.query.multi_items())
    store, seq, _ = _thread(ctx)
    messages, following, syncing = store.messages(seq, limit=page.limit, after=_keyset(page, "xm"))
    body = {
        "teamId": xid.TEAM_ID,
        "threadId": xid.make("xt", seq),
        "messages": messages,
        "nextCursor": following,
        "isSyncing": syncing,
    }
    return Result(body, f"{len(messages)} message(s)")


def get_prospect(ctx: Ctx[Database]) -> Result:
    params.no_params(ctx.query.multi_items())
    store, seq = _prospect(ctx)
    return Result(store.prospect(seq), "Prospect")


def _catalogue(read: Callable[[InboxStore], Any], summary: str) -> Handler[Database]:
    def handler(ctx: Ctx[Database]) -> Result:
        params.no_params(ctx.query.multi_items())
        return Result(read(InboxStore(ctx.store)), summary)

    handler.__name__ = summary.lower().replace(" ", "_")
    return handler


def list_events(ctx: Ctx[Database]) -> Result:
    after, limit = params.events(ctx.query.multi_items())
    return Result(InboxStore(ctx.store).events(after, limit, ctx.now_ms), "Events")


def stats(ctx: Ctx[Database]) -> Result:
    """``GET /_sandbox/inbox/stats`` (admin, enveloped like ``/_sandbox/stats``)."""
    return Result(InboxStore(ctx.store).stats(), "Inbox sandbox counts")


# --- writes --------------------------------------------------------------------------------------


def send_message(ctx: Ctx[Database]) -> Result:
    """``POST /threads/{id}/messages`` ``{content, replyToMessageId?}`` → the ``Message``."""
    store, seq, row = _thread(ctx)
    body = dict(body_object(ctx.body))
    _reject_unknown(body, ("content", "replyToMessageId"))
    content = required_text(body, "content", max_len=MAX_DM_CHARS)
    reply_to: int | None = None
    if "replyToMessageId" in body:
        reply_to = _seq(body["replyToMessageId"], "xm", "replyToMessageId")
        if reply_to is None or store.message_thread(reply_to) != seq:
            raise InboxError("messageNotFound", "replyToMessageId is not a message of this thread", status=404)
    if row["last_message_seq"] is None:
        raise InboxError("planRequired", OUTBOUND_ADDON_SUMMARY, status=403, details={"feature": "outboundMessages"})
    return Result(store.append_outbound(seq, content, reply_to, ctx.now_ms), "Message sent")


def update_thread(ctx: Ctx[Database]) -> Result:
    """``PATCH /threads/{id}`` ``{done?, assigneeId?}`` → the thread (``done`` archives it)."""
    store, seq, _ = _thread(ctx)
    body = dict(body_object(ctx.body)) if ctx.body is not None else {}
    _reject_unknown(body, ("done", "assigneeId"))
    done = body.get("done")
    if "done" in body and not isinstance(done, bool):
        raise invalid("done", "must be true or false")
    assignee = _optional_ref(body, "assigneeId", "xu", store, "inbox_users", "memberNotFound")
    store.update_thread(seq, done=done, assignee=False if assignee is UNSET else assignee, now_ms=ctx.now_ms)
    return Result(store.thread(seq), "Thread updated")


def _valuation(body: dict[str, Any]) -> Any:
    if "valuation" not in body:
        return UNSET
    value = body["valuation"]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise invalid("valuation", "must be a number or null")
    if abs(value) > MAX_VALUATION:
        raise invalid("valuation", "out of range")
    return value


def update_prospect_context(ctx: Ctx[Database]) -> Result:
    """``PATCH /prospects/{id}/context`` → the prospect with its context (threads included)."""
    store, seq = _prospect(ctx)
    body = dict(body_object(ctx.body)) if ctx.body is not None else {}
    _reject_unknown(body, ("notes", "valuation", "statusId", "addTags", "removeTags", "assigneeId", "done"))
    add = _body_ids(body, "addTags", "xg", store, "inbox_tags")
    remove = _body_ids(body, "removeTags", "xg", store, "inbox_tags")
    both = sorted(set(add) & set(remove))
    if both:
        named = ", ".join(xid.make("xg", s) for s in both)
        raise invalid("removeTags", f"a tag cannot be added and removed at once: {named}")
    if "done" in body and not isinstance(body["done"], bool):
        raise invalid("done", "must be true or false")
    change = ProspectChange(
        add_tags=add,
        remove_tags=remove,
        status=_optional_ref(body, "statusId", "xs", store, "inbox_statuses", "statusNotFound"),
        notes=optional_text(body, "notes") if "notes" in body else UNSET,
        valuation=_valuation(body),
        assignee=_optional_ref(body, "assigneeId", "xu", store, "inbox_users", "memberNotFound"),
        done=body["done"] if "done" in body else UNSET,
    )
    store.update_prospect(seq, change, ctx.now_ms)
    return Result(store.prospect(seq), "Prospect updated")


def inbox_routes(factory: InboxEndpointFactory) -> list[BaseRoute]:
    r = factory.inbox_route
    t = "/threads/{thread_id}"
    return [
        r("/threads", "GET", list_threads),
        r("/threads/lookup-by-username", "GET", lookup_by_username),
        r(t, "GET", get_thread),
        r(t, "PATCH", update_thread),
        r(t + "/messages", "GET", list_messages),
        r(t + "/messages", "POST", send_message),
        r("/prospects/{prospect_id}", "GET", get_prospect),
        r("/prospects/{prospect_id}/context", "PATCH", update_prospect_context),
        r("/tags", "GET", _catalogue(InboxStore.tags, "Tags")),
        r("/statuses", "GET", _catalogue(InboxStore.statuses, "Statuses")),
        r("/members", "GET", _catalogue(InboxStore.members, "Members")),
        r("/account-links", "GET", _catalogue(InboxStore.account_links, "Account links")),
        r("/team", "GET", _catalogue(InboxStore.team, "Team")),
        r("/events", "GET", list_events),
    ]
