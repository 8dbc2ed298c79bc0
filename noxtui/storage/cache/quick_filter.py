"""The filters a rep reaches for first, answered from the cache with nothing but ``sqlite3``.

Before the app is loaded (the frame painted before Textual, then the start-up screen) the rep can
already press ``n`` (needs reply), ``d`` (direction) and ``/`` (keyword). Those three are columns
or the search text of the ``threads`` table, so one read-only connection answers them without
pydantic, the row map of ``ThreadCache`` or the inbox screen. The rows come out in list order
through ``ix_threads_order`` (the same SQL fragments as ``ThreadCache``), so they are the top of
the list the inbox paints a moment later with the same filter.

The keyword is matched as ``ThreadCache`` matches it: trimmed and lower-cased, a substring of the
lower-cased search text (``columns.search_text``). Anything unexpected (no file, another schema
version, a damaged file) means "no reader": the caller starts the ordinary way.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

from noxtui.domain.rows import ThreadRow
from noxtui.storage.cache.columns import ROW_SELECT, row_from_columns
from noxtui.storage.cache.query import ORDER_BY, order_hint
from noxtui.storage.cache.schema import SCHEMA_VERSION
from noxtui.storage.cache.scope import CacheScope

NEEDS_CYCLE = ("any", "needs", "answered")
DIRECTION_CYCLE = ("any", "inbound", "outbound")
"""The same cycles, in the same order, as ``FilterState.cycle_needs_reply`` / ``cycle_direction``."""


@dataclass(frozen=True)
class QuickFilter:
    """The part of ``FilterState`` the start-up can answer: plain strings, no pydantic behind them."""

    needs_reply: str = "any"
    direction: str = "any"
    keyword: str = ""

    def cycle_needs_reply(self) -> QuickFilter:
        return replace(self, needs_reply=_next(NEEDS_CYCLE, self.needs_reply))

    def cycle_direction(self) -> QuickFilter:
        return replace(self, direction=_next(DIRECTION_CYCLE, self.direction))

    def with_keyword(self, keyword: str) -> QuickFilter:
        return replace(self, keyword=keyword.strip())

    @property
    def is_empty(self) -> bool:
        return self == QuickFilter()

    def describe(self) -> str:
        """The filter bar's line, word for word what ``FilterState.describe`` says for these fields."""
        parts = {"needs": ["needs reply"], "answered": ["answered"]}.get(self.needs_reply, [])
        if self.direction != "any":
            parts.append(self.direction)
        if self.keyword:
            parts.append(f"“{self.keyword}”")
        return " · ".join(parts) if parts else "all threads"


def _next(cycle: tuple[str, ...], value: str) -> str:
    position = cycle.index(value) if value in cycle else 0
    return cycle[(position + 1) % len(cycle)]


@dataclass(frozen=True)
class QuickPage:
    """The first ``rows`` of a filtered list, and how many threads the filter matches in all."""

    rows: list[ThreadRow]
    total: int | None
    """``None`` for the unfiltered list: the start-up shows no count for it ("loading…"), and
    counting a million rows would cost the first frame a tenth of a second."""


class QuickReader:
    """One read-only connection to the cache, kept for the start-up's few reads of one scope."""

    def __init__(self, conn: sqlite3.Connection, scope_id: int) -> None:
        self._conn = conn
        self._scope_id = scope_id

    @classmethod
    def open(cls, path: Path, scope: CacheScope) -> QuickReader | None:
        """A reader of ``scope``'s rows in ``path``, or ``None`` when the file holds nothing usable."""
        if not path.is_file():
            return None
        try:  # any thread may read: the frame before Textual, then the start-up screen
            conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            version = conn.execute("SELECT value FROM cache_meta WHERE key = 'schema_version'").fetchone()
            found = conn.execute(
                "SELECT scope_id FROM scopes WHERE provider = ? AND account = ?", (scope.provider, scope.account)
            ).fetchone()
        except sqlite3.Error:
            found = version = None
        if version is None or version[0] != str(SCHEMA_VERSION) or found is None:
            conn.close()
            return None
        return cls(conn, found[0])

    def page(self, state: QuickFilter, limit: int) -> QuickPage | None:
        """The top ``limit`` rows matching ``state`` and, when filtered, the match count (``None``:
        the file failed)."""
        where, params = self._where(state)
        try:
            hint = order_hint(self._conn)
            total = None
            if not state.is_empty:
                total = self._conn.execute(
                    f"SELECT count(*) FROM threads t {hint} WHERE {where}", params
                ).fetchone()[0]
            cursor = self._conn.execute(
                f"SELECT {ROW_SELECT} FROM threads t {hint} "
                f"WHERE {where} ORDER BY {ORDER_BY} LIMIT ?",
                (*params, limit),
            )
            rows = [row_from_columns(values) for values in cursor]
        except sqlite3.Error:
            return None
        return QuickPage(rows, total)

    def _where(self, state: QuickFilter) -> tuple[str, tuple[object, ...]]:
        clauses = ["t.scope_id = ?"]
        params: list[object] = [self._scope_id]
        if state.needs_reply in ("needs", "answered"):
            clauses.append("t.needs_reply = ?")
            params.append(1 if state.needs_reply == "needs" else 0)
        if state.direction in ("inbound", "outbound"):
            clauses.append("t.direction = ?")
            params.append(state.direction)
        needle = state.keyword.strip().lower()
        if needle:
            clauses.append("instr(t.search, ?) > 0")
            params.append(needle)
        return " AND ".join(clauses), tuple(params)

    def close(self) -> None:
        self._conn.close()
