"""Handlers for the workspace's catalogues: labels, coop statuses, templates, senders, team, projects, auth."""

from __future__ import annotations

import json
import re
import sqlite3

from noxtui.sandbox.endpoint import Ctx, Result
from noxtui.sandbox.envelopes import ApiError, not_found, validation
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.corpus import workspace
from noxtui.sandbox.nox.handlers_threads import load_thread
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.validation import (
    MAX_TEXT,
    body_object,
    optional_text,
    parse_csv,
    parse_int,
    reject_unknown,
    required_text,
)

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_SUBJECT = 300


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def list_labels(ctx: Ctx[Store]) -> Result:
    page = parse_int("page", ctx.query.get("page"), default=1, low=1)
    page_size = parse_int("page_size", ctx.query.get("page_size"), default=50, low=1, high=100)
    keyword = (ctx.query.get("keyword") or "").strip() or None
    labels, total = ctx.store.labels(keyword=keyword, page=page, page_size=page_size)
    return Result(labels, f"{_plural(total, 'label')} (page {page})", page=page, page_size=page_size, total=total)


def coop_statuses(ctx: Ctx[Store]) -> Result:
    items = ctx.store.coop_statuses()
    return Result(items, f"{len(items)} coop statuses in pipeline order", total=len(items))


def senders(ctx: Ctx[Store]) -> Result:
    items = ctx.store.senders()
    return Result(items, f"{_plural(len(items), 'sender')} available", total=len(items))


def creator_filters(ctx: Ctx[Store]) -> Result:
    items = ctx.store.team_members()
    return Result(items, f"{_plural(len(items), 'team member')} usable as creator_uids", total=len(items))


def project_filters(ctx: Ctx[Store]) -> Result:
    uids = parse_csv("creator_uids", ctx.query.get("creator_uids"))
    items = ctx.store.project_options(uids)
    scope = f" for {', '.join(uids)}" if uids else ""
    return Result(items, f"{_plural(len(items), 'project')} usable as project_ids{scope}", total=len(items))


def auth_status(ctx: Ctx[Store]) -> Result:
    uid, name = workspace.AUTH_USER
    return Result(
        {"authenticated": True, "user": {"uid": uid, "name": name, "team": workspace.TEAM_NAME}},
        f"Authenticated as {name} ({workspace.TEAM_NAME})",
    )


# --- templates -----------------------------------------------------------------------------------


def list_templates(ctx: Ctx[Store]) -> Result:
    language = (ctx.query.get("language") or "").strip() or None
    items = ctx.store.templates(language)
    scope = f" in {language}" if language else ""
    return Result(items, f"{_plural(len(items), 'template')}{scope}", total=len(items))


def save_template(ctx: Ctx[Store]) -> Result:
    body = body_object(ctx.body)
    reject_unknown(body, ("name", "language", "subject", "body"))
    name = required_text(body, "name", max_len=120)
    language = required_text(body, "language", max_len=20)
    if not _LANGUAGE.match(language):
        raise validation("language", f"must be a language code such as en, es, pt, ja or pt-BR (got {language!r})")
    subject = optional_text(body, "subject", max_len=MAX_SUBJECT)
    text = required_text(body, "body")
    template = ctx.store.create_template(
        name=name.strip(), language=language, subject=subject, body=text, now_ms=ctx.now_ms
    )
    return Result(template, f"Saved template {template['template_id']} “{template['name']}” ({language})", status=201)


class TooLong(Exception):
    """A rendered text would pass its cap; raised as soon as it does, before it is built whole."""


def render(text: str, values: dict[str, str], *, limit: int = MAX_TEXT) -> tuple[str, list[str]]:
    """Fill ``{{name}}`` placeholders; unknown ones stay as written and are reported.

    The result obeys the same cap as a draft typed by hand (``limit`` characters): a 300-byte
    request naming a long variable forty times must not store megabytes. Built piece by piece and
    stopped at the cap, so the refusal costs no more memory than the cap itself.
    """
    missing: list[str] = []
    pieces: list[str] = []
    size = 0
    position = 0
    for match in _VARIABLE.finditer(text):
        key = match.group(1)
        if key in values:
            filled = values[key]
        else:
            filled = match.group(0)
            if key not in missing:
                missing.append(key)
        for piece in (text[position : match.start()], filled):
            size += len(piece)
            if size > limit:
                raise TooLong
            pieces.append(piece)
        position = match.end()
    tail = text[position:]
    if size + len(tail) > limit:
        raise TooLong
    pieces.append(tail)
    return "".join(pieces), missing


def _rendered(field: str, text: str, values: dict[str, str], limit: int) -> tuple[str, list[str]]:
    try:
        return render(text, values, limit=limit)
    except TooLong:
        raise validation(
            field, f"the rendered template would be longer than {limit} characters; shorten the variables"
        ) from None


def use_template(ctx: Ctx[Store]) -> Result:
    seq = ids.parse_id("tp", ctx.path["template_id"])
    template = ctx.store.template(seq) if seq is not None else None
    if template is None:
        raise not_found(f"No template {ctx.path['template_id']!r}; see GET /messages/templates")
    body = body_object(ctx.body)
    thread_id = required_text(body, "thread_id", max_len=64)
    thread_seq, row = load_thread(ctx, thread_id)
    if row["archived"]:
        raise ApiError("CONFLICT", f"Thread {thread_id} is archived; it can no longer be changed")
    variables = body.get("variables") or {}
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise validation("variables", "must be an object of string values, e.g. {\"fee\": \"$1,200\"}")
    values = {**ctx.store.template_context(thread_seq), **variables}
    rendered_body, missing = _rendered("variables", template["body"], values, MAX_TEXT)
    rendered_subject, missing_subject = (
        _rendered("variables", template["subject"], values, MAX_SUBJECT) if template["subject"] else (None, [])
    )
    missing += [m for m in missing_subject if m not in missing]
    ctx.store.save_draft(
        thread_seq,
        rendered_body,
        row["draft_sender_auth_id"],
        [s for s in (ids.parse_id("att", a) for a in _draft_attachment_ids(row)) if s is not None],
        ctx.now_ms,
    )
    note = f"; fill in: {', '.join(missing)}" if missing else ""
    return Result(
        {
            "template_id": template["template_id"],
            "thread_id": thread_id,
            "subject": rendered_subject,
            "body": rendered_body,
            "missing_variables": missing,
        },
        f"Template “{template['name']}” rendered into the draft of {thread_id}{note}",
    )


def _draft_attachment_ids(row: sqlite3.Row) -> list[str]:
    """A template fills the draft's text; attachments already on the draft stay."""
    raw = row["draft_attachment_ids"]
    return [str(v) for v in (json.loads(raw) if raw else [])]
