"""What the installed tool's ``message list`` accepts, read from ``schema "message list"``.

The vendor says its list filters are whatever the schema says (some project-tab concepts are
deprecated upstream), so noxtui asks the installed tool once per version and keeps the answer in
its cache folder. A filter the tool lacks is hidden (and ``noxtui doctor`` names it); a schema that
cannot be read falls back to the flags the contract documents, and says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError as PydanticValidationError

from noxtui.providers.nox_cli.wire import CommandSchema

LIST_COMMAND = "message list"
DOCUMENTED_PAGE_SIZE = 100

FILTER_FLAGS: dict[str, str] = {
    "task": "--business_kind",
    "task_id": "--business_id",
    "projects": "--project_ids",
    "members": "--creator_uids",
    "coop_status": "--coop_status",
    "label": "--label_id",
    "view": "--status",
}
"""noxtui's name for a filter → the ``message list`` flag that carries it."""

DOCUMENTED_VIEWS = ("deal", "unread", "draft", "scheduled")


@dataclass(frozen=True)
class ListSchema:
    """The list flags the tool has, the largest page it serves, and how that was learned."""

    flags: frozenset[str]
    max_page_size: int = DOCUMENTED_PAGE_SIZE
    views: tuple[str, ...] = DOCUMENTED_VIEWS
    source: str = "documented"
    """``tool`` (read from the installed tool), ``cache`` (kept from an earlier read of the same
    version) or ``documented`` (the fallback: the contract's flags)."""
    problem: str | None = None
    """Why the tool's own schema is not used, when it is not."""
    missing: tuple[str, ...] = field(default=())

    def has(self, name: str) -> bool:
        return FILTER_FLAGS[name] in self.flags


def documented(problem: str | None = None) -> ListSchema:
    flags = frozenset({*FILTER_FLAGS.values(), "--page", "--page_size"})
    return ListSchema(flags=flags, problem=problem)


def from_wire(wire: CommandSchema, source: str = "tool") -> ListSchema:
    flags = frozenset(name for name, spec in wire.flags.items() if not spec.deprecated)
    size = wire.flags.get("--page_size")
    maximum = size.maximum if size is not None and size.maximum else DOCUMENTED_PAGE_SIZE
    status = wire.flags.get("--status")
    views = tuple(status.enum) if status is not None and status.enum else DOCUMENTED_VIEWS
    missing = tuple(name for name, flag in FILTER_FLAGS.items() if flag not in flags)
    return ListSchema(flags=flags, max_page_size=max(1, maximum), views=views, source=source, missing=missing)


def parse(raw: object, source: str = "tool") -> ListSchema:
    """A schema answer (already JSON-decoded); the documented fallback, with the reason, otherwise."""
    try:
        wire = CommandSchema.model_validate(raw)
    except PydanticValidationError:
        return documented("the tool's schema for `message list` could not be parsed")
    if wire.command != LIST_COMMAND or not wire.flags:
        return documented("the tool's schema for `message list` lists no flags")
    return from_wire(wire, source)


def cache_file(folder: Path, version: str) -> Path:
    safe = "".join(c for c in version if c.isalnum() or c in ".-_") or "unknown"
    return folder / f"nox-cli-schema-{safe}.json"


def load_cached(folder: Path | None, version: str) -> ListSchema | None:
    if folder is None:
        return None
    try:
        raw = json.loads(cache_file(folder, version).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    schema = parse(raw, source="cache")
    return None if schema.problem else schema


def store_cached(folder: Path | None, version: str, raw: object) -> None:
    """Keep the tool's answer for the next start; a folder that cannot be written just means asking again."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        cache_file(folder, version).write_text(json.dumps(raw), encoding="utf-8")
    except OSError:
        pass


__all__ = ["FILTER_FLAGS", "LIST_COMMAND", "ListSchema", "documented", "load_cached", "parse", "store_cached"]
