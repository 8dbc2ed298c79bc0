"""Batch triage: turn one change into a plan per marked thread, run them, and report each outcome.

Each thread gets its own plan (and Idempotency-Key) built from the server's current copy, so a
batch is exactly N independent, individually retry-safe writes. A failure on one thread never
rolls back the others: the rep gets the list of what failed and why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from noxtui.domain.errors import NoxError, PlanError
from noxtui.domain.models import CoopStatus, Label, ThreadSummary, WritePlan, WriteResult
from noxtui.providers.base import Provider, QuietSummaries


@dataclass
class BatchOutcome:
    applied: list[WriteResult] = field(default_factory=list)
    failed: list[tuple[WritePlan, NoxError]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = f"{len(self.applied)} applied"
        if self.failed:
            text += f", {len(self.failed)} failed"
        return text


@dataclass(frozen=True)
class LabelChange:
    """Labels to add to and remove from every marked thread; labels not named are left alone."""

    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.add and not self.remove

    def apply(self, current: Iterable[str]) -> list[str]:
        kept = [label_id for label_id in current if label_id not in self.remove]
        return kept + sorted(self.add - set(kept))


async def fetch_threads(
    provider: Provider, thread_ids: Sequence[str], *, concurrency: int = 8
) -> list[ThreadSummary]:
    """Current server copies of the marked threads, fetched a few at a time, in the given order.

    A backend whose ``get`` marks a thread read (the vendor CLI) is asked for list rows instead:
    marking fifty threads for a label must not make them read upstream.
    """
    if isinstance(provider, QuietSummaries):
        return await provider.summaries(thread_ids)
    gate = asyncio.Semaphore(concurrency)

    async def one(thread_id: str) -> ThreadSummary:
        async with gate:
            return await provider.get_thread(thread_id)

    return list(await asyncio.gather(*(one(thread_id) for thread_id in thread_ids)))


def plan_label_batch(
    provider: Provider, threads: Sequence[ThreadSummary], change: LabelChange, catalogue: Sequence[Label]
) -> list[WritePlan]:
    """One labels-set plan per thread that actually changes; threads already as asked are skipped."""
    plans: list[WritePlan] = []
    for thread in threads:
        wanted = change.apply(label.label_id for label in thread.labels)
        if set(wanted) == {label.label_id for label in thread.labels}:
            continue
        plans.append(provider.plan_labels(thread, wanted, catalogue))
    return plans


def plan_status_batch(provider: Provider, threads: Sequence[ThreadSummary], status: CoopStatus) -> list[WritePlan]:
    """One status plan per thread not already at ``status``."""
    plans: list[WritePlan] = []
    for thread in threads:
        if thread.coop_status is not None and thread.coop_status.code == status.code:
            continue
        plans.append(provider.plan_coop(thread, status))
    return plans


def plan_undo(provider: Provider, executed: Sequence[WritePlan]) -> list[WritePlan]:
    """Inverse plans for the last change, newest first; refuses the whole undo if any part cannot."""
    undo: list[WritePlan] = []
    for plan in reversed(executed):
        if not plan.undoable:
            what = plan.kind.replace("_", " ")
            raise PlanError(f"A {what} cannot be undone", "Only label and status changes can be undone.")
        undo.append(provider.plan_undo(plan))
    return undo


async def run_plans(
    provider: Provider,
    plans: Sequence[WritePlan],
    *,
    on_progress: Callable[[int, int], None] | None = None,
    concurrency: int = 4,
) -> BatchOutcome:
    """Execute every plan; failures are collected per plan, successes stay applied."""
    outcome = BatchOutcome()
    gate = asyncio.Semaphore(concurrency)
    done = 0

    async def one(plan: WritePlan) -> None:
        nonlocal done
        async with gate:
            try:
                outcome.applied.append(await provider.execute(plan))
            except NoxError as exc:
                outcome.failed.append((plan, exc))
        done += 1
        if on_progress is not None:
            on_progress(done, len(plans))

    await asyncio.gather(*(one(plan) for plan in plans))
    order = {plan.idempotency_key: i for i, plan in enumerate(plans)}
    outcome.applied.sort(key=lambda result: order[result.plan.idempotency_key])
    outcome.failed.sort(key=lambda pair: order[pair[0].idempotency_key])
    return outcome
