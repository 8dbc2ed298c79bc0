"""A ``ThreadQuery`` against the tool: the flags ``message list`` has, and what stays client-side.

``needs_reply``, ``last_message_direction`` and the keyword are row fields, not tool flags (the
contract: "there is no documented needs_reply or direction flag"), so the app answers them from the
synced cache; when a query carrying them reaches the tool anyway (no cache), the provider filters
the rows it read with ``keep``. Everything else (label, coop status, projects, team members, an
email task, the tool's ``--status`` views) goes to the tool, when its schema has the flag: a filter
the installed tool lacks is a ``CapabilityError``, never a silently ignored filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from noxtui.domain.errors import CapabilityError, PlanError
from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.providers.nox_cli.commands import arg_id
from noxtui.providers.nox_cli.schema import FILTER_FLAGS, ListSchema

Keep = Callable[[ThreadSummary], bool]

SEPARATOR = "\x1f"


@dataclass(frozen=True)
class ListSpec:
    """The tool's part of a query (``flags``) and the client's (``keep``, ``None``: keep all)."""

    flags: tuple[str, ...]
    keep: Keep | None = None


def server_part(query: ThreadQuery) -> ThreadQuery:
    """``query`` without the fields the tool cannot filter (what a total from the tool counts)."""
    return query.model_copy(update={"needs_reply": None, "last_message_direction": None, "keyword": None})


def _searchable(row: ThreadSummary) -> str:
    creator = row.creator
    return SEPARATOR.join(part.lower() for part in (creator.name, creator.handle or "", row.subject, row.snippet))


def _keep(query: ThreadQuery) -> Keep | None:
    needs_reply, direction = query.needs_reply, query.last_message_direction
    keyword = (query.keyword or "").strip().lower()
    if needs_reply is None and direction is None and not keyword:
        return None

    def keep(row: ThreadSummary) -> bool:
        if needs_reply is not None and row.needs_reply != needs_reply:
            return False
        if direction is not None and row.last_message_direction != direction:
            return False
        return not keyword or keyword in _searchable(row)

    return keep


def _require(schema: ListSchema, name: str, what: str) -> str:
    if not schema.has(name):
        raise CapabilityError(
            f"The installed noxinfluencer tool cannot filter by {what}",
            "Clear that filter, or update the tool (`noxtui doctor` lists what it lacks).",
        )
    return FILTER_FLAGS[name]


def list_spec(query: ThreadQuery, schema: ListSchema) -> ListSpec:
    """Translate ``query`` for ``message list``; refuses what the tool cannot filter (no process run)."""
    flags: list[str] = []
    if query.project_ids and (query.business_kind or query.business_id):
        raise PlanError(
            "A project filter and an email task cannot be combined", "Clear one of them and try again."
        )
    if query.business_kind or query.business_id:
        if not (query.business_kind and query.business_id):
            raise PlanError("An email task filter needs both its kind and its id", "Pick the task again.")
        flags += [_require(schema, "task", "email task"), arg_id(query.business_kind, "task kind")]
        flags += [_require(schema, "task_id", "email task"), arg_id(query.business_id, "task id")]
    if query.project_ids:
        ids = [arg_id(project, "project id") for project in query.project_ids]
        flags += [_require(schema, "projects", "project"), ",".join(ids)]
    if query.creator_uids:
        uids = [arg_id(uid, "team member id") for uid in query.creator_uids]
        flags += [_require(schema, "members", "team member"), ",".join(uids)]
    if query.coop_status:
        flags += [_require(schema, "coop_status", "coop status"), arg_id(query.coop_status, "coop status")]
    if query.label_id:
        flags += [_require(schema, "label", "label"), arg_id(query.label_id, "label id")]
    if query.view:
        if query.view not in schema.views:
            raise CapabilityError(f"The installed noxinfluencer tool has no {query.view!r} view", "Clear the view.")
        flags += [_require(schema, "view", "view"), query.view]
    return ListSpec(flags=tuple(flags), keep=_keep(query))


__all__ = ["ListSpec", "list_spec", "server_part"]
