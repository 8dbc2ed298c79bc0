"""``ThreadQuery`` as SQL over the cache: the same filters as ``message list``, answered locally.

Each filter becomes a fixed SQL fragment with ``?`` parameters; nothing from the query is ever
spliced into SQL text. The semantics follow the contract (and the sandbox, which implements it):

* ``project_ids`` matches a thread in *any* of the projects; ``creator_uids`` any of the owners;
* ``updated_since`` is exclusive (changed strictly after that instant).

The walk is always in list order over a covering index (see ``schema.py``), so the rows come out
sorted and a result of 100,000 rows needs no sort.

``keyword`` is not compiled here: a substring test cannot use a b-tree, and scanning 100,000
texts in SQLite costs 50–90 ms on the 2-core reference machine — more than the whole budget of a
keystroke. ``ThreadCache`` applies it in memory instead (see ``needle`` and ``filtering.py``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # ORDER_BY is read before first paint (first_page.py); pydantic is not
    from noxtui.domain.models import ThreadQuery

ORDER_INDEX = "ix_threads_order"
ORDER_BY = "t.last_ts DESC, t.thread_id DESC"


def order_hint(conn: sqlite3.Connection) -> str:
    """``INDEXED BY`` the list-order index, or nothing while it is down: an empty cache filling
    drops it until the fill ends (``bulk_fill``), and a list read meanwhile (a filter toggled
    during a first sync, the first paint of a file whose fill never ended) is sorted by SQLite
    instead of failing on a missing index."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (ORDER_INDEX,)).fetchone()
    return f"INDEXED BY {ORDER_INDEX}" if found is not None else ""


def placeholders(count: int) -> str:
    """``?,?,?`` for ``count`` values: the only variable text that enters the SQL."""
    return ",".join("?" * count)


@dataclass(frozen=True)
class CompiledQuery:
    """A WHERE clause over ``threads t``, its parameters, and the index that serves it."""

    where: str
    params: tuple[Any, ...]
    index: str


def one_byte(text: str) -> str:
    """``text``'s UTF-8 bytes viewed as latin-1: one byte per character, same substring answers.

    Why: most search texts hold one non-latin-1 character (an ellipsis, a dash, a Japanese name),
    which makes CPython store the whole string at two or four bytes per character and convert the
    needle on every ``in``. In this form every haystack is one byte per character: the keyword
    scan is ~20% faster and the texts take a third less memory. Substring answers are unchanged
    because UTF-8 is self-synchronising (a needle's encoding can only match at character starts).
    """
    return text.encode("utf-8").decode("latin-1")


def needle(query: ThreadQuery) -> str:
    """The keyword as it is matched: trimmed and lower-cased like the server does, then
    ``one_byte`` like the texts it is tested against (``""``: no keyword)."""
    return one_byte((query.keyword or "").strip().lower())


def compile_query(scope_id: int, query: ThreadQuery) -> CompiledQuery:
    """The SQL for every filter of ``query`` but the keyword, within one scope."""
    clauses = ["t.scope_id = ?"]
    params: list[Any] = [scope_id]
    if query.needs_reply is not None:
        clauses.append("t.needs_reply = ?")
        params.append(1 if query.needs_reply else 0)
    for column, value in (
        ("t.direction", query.last_message_direction),
        ("t.coop_code", query.coop_status),
        ("t.business_kind", query.business_kind),
        ("t.business_id", query.business_id),
    ):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.creator_uids:
        clauses.append(f"t.owner_uid IN ({placeholders(len(query.creator_uids))})")
        params.extend(query.creator_uids)
    if query.label_id:
        clauses.append("t.k IN (SELECT k FROM thread_labels WHERE label_id = ?)")
        params.append(query.label_id)
    if query.project_ids:
        marks = placeholders(len(query.project_ids))
        clauses.append(f"t.k IN (SELECT k FROM thread_projects WHERE project_id IN ({marks}))")
        params.extend(query.project_ids)
    if query.updated_since is not None:
        clauses.append("t.updated_ms > ?")
        params.append(int(round(query.updated_since.timestamp() * 1000)))
    return CompiledQuery(" AND ".join(clauses), tuple(params), ORDER_INDEX)
