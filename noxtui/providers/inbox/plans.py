"""Pure ``WritePlan`` builders for Inbox: tags, open/done, archive (= done) and send.

No I/O here, and every id is checked before a path exists (``routes``), so a bad write is refused
while the rep is still looking at it. Tags use the shared labels diff and its checks (unknown ids,
nothing to change; ``noxtui.domain.plan_rules``) with Inbox's own route: the prospect's context takes
``addTags``/``removeTags``, not a full set. Drafts, scheduling and server templates do not exist in
Inbox's material, so there are no builders for them: the provider simply lacks those capabilities.
"""

from __future__ import annotations

from collections.abc import Sequence

from noxtui.domain.errors import PlanError
from noxtui.domain.models import (
    CoopStatus,
    CoopStatusRef,
    Label,
    LabelsDiff,
    PlanDiff,
    StatusDiff,
    Thread,
    ThreadSummary,
    WritePlan,
)
from noxtui.domain.plan_rules import (
    FOLLOW_UP_WARNING,
    cannot_undo,
    is_blank,
    labels_diff,
    labels_summary,
    mint_idempotency_key,
    plan_name,
    reversed_labels,
    who,
)
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.errors import OUTBOUND_FIRST_WARNING
from noxtui.providers.inbox.mapping import STATUSES

PROVIDER = "inbox"
MAX_DM_CHARS = 10_000  # X's limit for one direct message


def _tags_body(diff: LabelsDiff) -> dict[str, list[str]]:
    return {
        "addTags": routes.inbox_ids([tag.label_id for tag in diff.added], "tag id"),
        "removeTags": routes.inbox_ids([tag.label_id for tag in diff.removed], "tag id"),
    }


def prospect_path(thread: ThreadSummary, what: str) -> str:
    """``/prospects/{externalId}/context``, or why it cannot exist yet (a prospect Inbox has not imported)."""
    if not thread.creator.creator_id:
        raise PlanError(
            f"{who(thread)} is not imported into Inbox yet (the prospect has no externalId), "
            f"so Inbox's API cannot change their {what}",
            "Open the prospect in Inbox once (that imports them), then press r and try again.",
            fields={"externalId": "null"},
        )
    return routes.prospect_context(thread.creator.creator_id)


def tags_set(thread: ThreadSummary, tag_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
    """Make the prospect's tags exactly ``tag_ids``, sent as the difference (add/remove)."""
    thread_id = routes.inbox_id(thread.thread_id, "thread id")
    routes.inbox_ids(list(tag_ids), "tag id")
    path = prospect_path(thread, "tags")
    _, diff = labels_diff(thread, tag_ids, catalogue)
    name = who(thread)
    return WritePlan(
        kind="labels_set",
        method="PATCH",
        path=path,
        body=_tags_body(diff),
        summary=labels_summary("Tags", name, diff),
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(labels=diff),
        undoable=True,
        idempotency_key=mint_idempotency_key(),
        provider=PROVIDER,
    )


THREAD_CODES = {known.code: known for known in STATUSES}


def _status_body(path: str, after: CoopStatusRef) -> dict[str, object]:
    """The body that makes the thread show ``after``: ``done`` on the thread, ``statusId`` on the prospect."""
    if path.startswith(routes.THREADS):
        return {"done": after.code == "done"}
    return {"statusId": None if after.code in THREAD_CODES else after.code}


def status_set(thread: ThreadSummary, status: CoopStatus | CoopStatusRef) -> WritePlan:
    """The status panel: Open ⇄ Done is the thread's ``done`` (``PATCH /threads/{id}``); a pipeline
    status (or Open, to clear one) is the prospect's ``statusId`` (``PATCH /prospects/{id}/context``).

    The panel's Open means "not done, no pipeline status", so Done → Open reopens the thread, and
    Negotiating → Open clears the status. A pipeline status is not set on a done thread: it would
    stay hidden behind Done, so the plan says to reopen first.
    """
    thread_id = routes.inbox_id(thread.thread_id, "thread id")
    before = thread.coop_status
    code = routes.inbox_id(status.code, "status id") if status.code not in THREAD_CODES else status.code
    known = THREAD_CODES.get(code)
    after = CoopStatusRef(code=code, name=known.name if known else (status.name or code))
    if before is not None and before.code == after.code:
        raise PlanError(f"The thread is already {after.name}: nothing to change", "Choose another status.")
    done_before = before is not None and before.code == "done"
    if code == "done" or done_before:
        if code not in THREAD_CODES:
            raise PlanError(
                f"The thread is done, so a pipeline status ({after.name}) would not show",
                "Reopen it first (Open), then pick the status.",
            )
        path = routes.thread(thread_id)
    else:
        path = prospect_path(thread, "pipeline status")
    name = who(thread)
    shown_before = (before.name or before.code) if before else "none"
    return WritePlan(
        kind="coop_set",
        method="PATCH",
        path=path,
        body=_status_body(path, after),
        summary=f"Status of {name}: {shown_before} → {after.name}",
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(status=StatusDiff(before=before, after=after)),
        undoable=True,
        idempotency_key=mint_idempotency_key(),
        provider=PROVIDER,
    )


def archive(thread: ThreadSummary) -> WritePlan:
    """Archive = ``done`` (corrections); the same write as the status panel's "Done", named as asked."""
    thread_id = routes.inbox_id(thread.thread_id, "thread id")
    if thread.coop_status is not None and thread.coop_status.code == "done":
        raise PlanError("The thread is already done (archived): nothing to change", "Pick another thread.")
    name = who(thread)
    warnings = ("This thread still needs a reply.",) if thread.needs_reply else ()
    return WritePlan(
        kind="archive",
        method="PATCH",
        path=routes.thread(thread_id),
        body={"done": True},
        summary=f"Archive the DM thread with {name} (mark it done)",
        thread_id=thread_id,
        creator_name=name,
        diff=PlanDiff(status=StatusDiff(before=thread.coop_status, after=CoopStatusRef(code="done", name="Done"))),
        warnings=warnings,
        idempotency_key=mint_idempotency_key(),
        provider=PROVIDER,
    )


def assign(thread: ThreadSummary, member_id: str | None, member_name: str | None) -> WritePlan:
    """``PATCH /threads/{id}`` ``{assigneeId}``: a member id, or null to unassign."""
    thread_id = routes.inbox_id(thread.thread_id, "thread id")
    assignee = routes.inbox_id(member_id, "member id") if member_id is not None else None
    if assignee == thread.owner_uid:
        state = f"assigned to {member_name or assignee}" if assignee else "unassigned"
        raise PlanError(f"The thread is already {state}: nothing to change", "Pick someone else.")
    name = who(thread)
    summary = f"Assign the DM with {name} to {member_name or assignee}" if assignee else f"Unassign the DM with {name}"
    return WritePlan(
        kind="assign",
        method="PATCH",
        path=routes.thread(thread_id),
        body={"assigneeId": assignee},
        summary=summary,
        thread_id=thread_id,
        creator_name=name,
        idempotency_key=mint_idempotency_key(),
        provider=PROVIDER,
    )


def _outbound_first(thread: ThreadSummary) -> bool:
    """True only when we *know* the thread has no message yet (a detail view, or a zero count)."""
    if isinstance(thread, Thread):
        return not thread.messages
    return thread.pending_reason == "no messages yet"


def send(thread: ThreadSummary, body: str, reply_to_message_id: str | None = None) -> WritePlan:
    """A DM now: ``POST /threads/{id}/messages`` with ``content`` (trimmed) and ``replyToMessageId``."""
    thread_id = routes.inbox_id(thread.thread_id, "thread id")
    content = (body or "").strip()
    if is_blank(content):
        raise PlanError(
            "The message is empty",
            "Write the message first; an empty DM cannot be sent.",
            fields={"content": "empty"},
        )
    if len(content) > MAX_DM_CHARS:
        raise PlanError(
            f"The message is {len(content):,} characters; X allows {MAX_DM_CHARS:,} in one DM",
            "Shorten it or split it into two messages.",
            fields={"content": "too long"},
        )
    payload: dict[str, str] = {"content": content}
    if reply_to_message_id is not None:
        payload["replyToMessageId"] = routes.inbox_id(reply_to_message_id, "reply-to message id")
    warnings: tuple[str, ...] = ()
    if _outbound_first(thread):
        warnings += (OUTBOUND_FIRST_WARNING,)
    elif thread.last_message_direction == "outbound":
        warnings += (FOLLOW_UP_WARNING,)
    name = who(thread)
    return WritePlan(
        kind="send",
        method="POST",
        path=routes.thread_messages(thread_id),
        body=payload,
        summary=f"Send DM to {name}" + (f" in reply to {reply_to_message_id}" if reply_to_message_id else ""),
        thread_id=thread_id,
        creator_name=name,
        reply_to=reply_to_message_id,
        warnings=warnings,
        idempotency_key=mint_idempotency_key(),
        provider=PROVIDER,
    )


def inverse(plan: WritePlan) -> WritePlan:
    """Undo a tags or status plan from its diff alone, under a new key."""
    name = plan_name(plan)
    if plan.kind == "labels_set" and plan.diff.labels is not None:
        undo = reversed_labels(plan.diff.labels)
        return plan.model_copy(
            update={
                "body": _tags_body(undo),
                "diff": PlanDiff(labels=undo),
                "summary": "Undo: " + labels_summary("Tags", name, undo),
                "idempotency_key": mint_idempotency_key(),
            }
        )
    if plan.kind == "coop_set" and plan.diff.status is not None and plan.diff.status.before is not None:
        before, after = plan.diff.status.before, plan.diff.status.after
        return plan.model_copy(
            update={
                "body": _status_body(plan.path, before),
                "diff": PlanDiff(status=StatusDiff(before=after, after=before)),
                "summary": f"Undo: status of {name}: {after.name or after.code} → {before.name or before.code}",
                "idempotency_key": mint_idempotency_key(),
            }
        )
    raise cannot_undo(plan)
