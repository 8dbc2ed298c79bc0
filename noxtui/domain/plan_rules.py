"""Rules every provider's plan builders share: pure, no I/O.

A plan is a write as it *would* be sent. What a backend decides is its path and body; what reads the
same to a rep on every backend lives here: how a thread is named, when a reply counts as empty, how
a label set differs from the current one and how that difference is undone, and the key that makes
a confirmed plan safe to repeat.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from noxtui.domain.errors import PlanError
from noxtui.domain.models import Label, LabelsDiff, StatusDiff, ThreadSummary, WritePlan
from noxtui.domain.schedule import format_when
from noxtui.domain.text import has_visible_text

PLATFORM_NAMES = {"youtube": "YouTube", "tiktok": "TikTok", "instagram": "Instagram", "twitter": "X"}
FOLLOW_UP_WARNING = "The last message in this thread is yours: this is a follow-up, not a reply."


def mint_idempotency_key() -> str:
    """A fresh key for one write plan: every retry of that plan reuses it, a new plan never does."""
    return str(uuid.uuid4())


def who(thread: ThreadSummary) -> str:
    """How a rep names a thread: the creator and the platform, e.g. ``Mia Chen (YouTube)``."""
    creator = thread.creator
    platform = PLATFORM_NAMES.get(creator.platform.lower(), creator.platform)
    return f"{creator.name} ({platform})" if platform else creator.name


def is_blank(text: str) -> bool:
    """True when ``text`` would reach the creator as an empty message.

    ``str.strip`` misses zero-width and format characters, lone combining marks, variation
    selectors, the Hangul fillers and the braille blank: a reply made only of those looks empty to
    the creator, yet would clear the thread's pending state, which the contract forbids for an empty
    reply. The rule is ``text.has_visible_text``, which the sandbox applies too.
    """
    return not has_visible_text(text)


def follow_up_warnings(thread: ThreadSummary) -> tuple[str, ...]:
    """Said on the confirm modal when the rep wrote last: the send is a follow-up, not a reply."""
    return (FOLLOW_UP_WARNING,) if thread.last_message_direction == "outbound" else ()


def already_scheduled_warnings(thread: ThreadSummary) -> tuple[str, ...]:
    """Said on a send's confirm modal when a reply is already scheduled on the thread: the scheduled
    one still goes out at its time, so the creator would get both (cancel it with C first, or let
    the app replace it)."""
    if thread.scheduled_at is None:
        return ()
    when = format_when(thread.scheduled_at)
    return (f"A reply is already scheduled for {when}: it still goes out then, so the creator gets both.",)


# --- labels (tags): the set after the write, against the set before ---------------------------------


def labels_diff(
    thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]
) -> tuple[list[str], LabelsDiff]:
    """The wanted ids (order kept, duplicates dropped) and what changes, or a ``PlanError``.

    Refuses ids neither the thread nor the catalogue knows (deleted since the list was loaded), and
    a set equal to the current one: a write that changes nothing is not worth a confirm.
    """
    wanted = list(dict.fromkeys(label_ids))
    known = {label.label_id: label for label in thread.labels}
    known.update({label.label_id: label for label in catalogue})
    unknown = [label_id for label_id in wanted if label_id not in known]
    if unknown:
        raise PlanError(
            f"Unknown label id{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            "Reload the labels (they may have been deleted) and pick again.",
            fields={"label_ids": ", ".join(unknown)},
        )
    before = [label.label_id for label in thread.labels]
    diff = LabelsDiff(
        added=tuple(known[i] for i in wanted if i not in before),
        removed=tuple(label for label in thread.labels if label.label_id not in wanted),
        kept=tuple(known[i] for i in wanted if i in before),
    )
    if not diff.added and not diff.removed:
        raise PlanError("The labels are already set that way: nothing to change", "Add or remove a label first.")
    return wanted, diff


def labels_summary(noun: str, name: str, diff: LabelsDiff) -> str:
    """``Labels on Mia Chen (YouTube): +VIP −Cold`` (``noun`` is the backend's word: Labels, Tags)."""
    parts = [f"+{label.name or label.label_id}" for label in diff.added]
    parts += [f"−{label.name or label.label_id}" for label in diff.removed]
    return f"{noun} on {name}: {' '.join(parts)}"


def reversed_labels(diff: LabelsDiff) -> LabelsDiff:
    """The change that undoes ``diff``: what was added goes, what was removed comes back."""
    return LabelsDiff(added=diff.removed, removed=diff.added, kept=diff.kept)


def reversed_status(diff: StatusDiff) -> StatusDiff:
    """The change that undoes a status move; refused when there was no status to go back to."""
    if diff.before is None:
        raise PlanError(
            "The thread had no coop status before, so there is nothing to go back to", "Set a status instead."
        )
    return StatusDiff(before=diff.after, after=diff.before)


def cannot_undo(plan: WritePlan) -> PlanError:
    """The refusal for undoing a plan that carries no diff to invert (a send, an archive)."""
    return PlanError(f"A {plan.kind.replace('_', ' ')} cannot be undone", "Make the opposite change by hand.")


def plan_name(plan: WritePlan) -> str:
    """How an undo plan names its thread: the creator when the plan knew it."""
    return plan.creator_name or plan.thread_id or "thread"


__all__ = [
    "FOLLOW_UP_WARNING",
    "PLATFORM_NAMES",
    "already_scheduled_warnings",
    "cannot_undo",
    "follow_up_warnings",
    "is_blank",
    "labels_diff",
    "labels_summary",
    "mint_idempotency_key",
    "plan_name",
    "reversed_labels",
    "reversed_status",
    "who",
]
