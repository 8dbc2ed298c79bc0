"""Answering a ``ThreadQuery`` from the cache, at any size up to a million threads.

The filters a rep toggles (needs reply, direction, status, owner, business) are answered in
memory from the compact list order (``list_order.py``): one ``bytes.translate`` per column and an
``&``, a few milliseconds at a million rows. Labels, projects and ``updated_since`` are answered
by SQL from their own indexes (only their keys are read) and turned into the same selector. The
keyword is a substring test over the in-memory texts, or, above ``TEXTS_IN_MEMORY`` threads, the
keyword indexes in the file (``search_index.py``: trigrams for 3+ characters, ``short_grams.py``
for fewer); a keyword that extends a remembered one only re-tests that one's matches. The
result is a ``Selection`` the list reads by position (``window.py``).

The last ``REMEMBERED_RESULTS`` results are kept until the next write (toggling back is a
dictionary hit). A write that leaves a row in place (a thread opened, a flag changed) updates the
order in place; one that moves rows (a new reply) makes it be read again on the next query.

The caller holds the connection's lock around every call: the order and the remembered results
are shared with the sync worker's writes.
"""

from __future__ import annotations

import json
from collections import OrderedDict, deque
from itertools import repeat
from typing import Any

from noxtui.domain.models import ThreadQuery
from noxtui.storage.cache import list_order, search_index
from noxtui.storage.cache.connection import CacheConnection
from noxtui.storage.cache.key_runs import KeyRuns
from noxtui.storage.cache.list_order import CODED, ListOrder
from noxtui.storage.cache.list_tables import Written
from noxtui.storage.cache.query import compile_query, needle, one_byte
from noxtui.storage.cache.selection import Selection, both

REMEMBERED_RESULTS = 8
"""Filter results kept until the next write: typing a keyword re-runs no SQL, and toggling back
to the previous filter is a dictionary hit."""

IN_PLACE_MAX = 32
"""Most rows a write may change for the order to be updated in place (each is found by a scan of
the key array); a larger write (a sync page) makes the order be read again on the next query."""

_ResultKey = tuple[int, ThreadQuery, str]
"""(scope id, the query without its keyword, the keyword as matched) -> the selection."""

_IN_MEMORY: dict[str, str] = {
    "needs_reply": "needs_reply",
    "last_message_direction": "direction",
    "coop_status": "coop_code",
    "business_kind": "business_kind",
    "business_id": "business_id",
    "creator_uids": "owner_uid",
}
"""``ThreadQuery`` field -> the coded column that answers it."""


def _wanted(field: str, value: Any) -> list[Any]:
    """The column values a query field's value selects (``needs_reply`` is stored as 0/1)."""
    if field == "needs_reply":
        return [1 if value else 0]
    if field == "creator_uids":
        return list(value)
    return [value]


class LocalFilter:
    """Each scope's list order, and the filter results remembered until the next write."""

    def __init__(self) -> None:
        self._orders: dict[int, ListOrder] = {}
        self._results: OrderedDict[_ResultKey, Selection] = OrderedDict()
        self._runs: dict[int, KeyRuns] = {}
        """Each scope's runs of keys, while its order keeps the key array they were found in."""
        self.generation = 0
        """Bumped by every write: a window drops the rows it read before."""

    def order(self, db: CacheConnection, scope_id: int) -> ListOrder:
        found = self._orders.get(scope_id)
        if found is None:
            with db.read() as conn:
                found = self._orders[scope_id] = list_order.build(conn, scope_id)
            if found.texts is None:  # keywords will be placed by runs: found now, not at the first key
                self._runs[scope_id] = KeyRuns(found.keys)
        return found

    def select(self, db: CacheConnection, scope_id: int, query: ThreadQuery) -> Selection:
        """The rows of the scope's list matching ``query``."""
        flat = query.model_copy(update={"keyword": None}) if query.keyword is not None else query
        text = needle(query)
        found = self._recall((scope_id, flat, text))
        if found is not None:
            return found
        order = self.order(db, scope_id)
        if not text:
            return self._remember_result((scope_id, flat, ""), self._flat(db, scope_id, order, flat))
        base = self._narrowest((scope_id, flat), text) or self.select(db, scope_id, flat)
        kept: bytes | None
        if order.texts is not None:
            kept = order.keyword(text, base)
        else:
            kept = both(base.selector, self._keyword_from_file(db, scope_id, order, base, text))
        return self._remember_result((scope_id, flat, text), Selection(kept, order.size))

    def remember(self, written: Written, scope_id: int, db: CacheConnection) -> None:
        """A write to ``scope_id`` committed: its order follows it in place (rows updated, moved to
        their new place, or added), or, for a large write, is read again on the next query."""
        if not written:
            return
        self.generation += 1
        self._results.clear()
        order = self._orders.get(scope_id)
        if order is None:
            return
        if len(written) > IN_PLACE_MAX:
            del self._orders[scope_id]
            return
        order.detach()
        for key, flat in written:
            values = (flat.needs_reply, flat.direction, flat.coop_code, flat.owner_uid,
                      flat.business_kind, flat.business_id)  # fmt: skip
            text = one_byte(flat.search)
            if order.update_in_place(key, flat.last_ts, values, text):
                continue
            order.remove(key)
            if not order.insert(key, flat.thread_id, flat.last_ts, values, text, lambda keys: _ids(db, keys)):
                del self._orders[scope_id]
                return

    def forget(self, keys: list[int]) -> None:
        """Rows were deleted: each order drops them (a large delete: read again on the next query)."""
        self.generation += 1
        self._results.clear()
        if not keys:
            return
        if len(keys) > IN_PLACE_MAX:
            self._orders.clear()
            return
        for order in self._orders.values():
            order.detach()
            for key in keys:
                order.remove(key)

    def written_elsewhere(self) -> None:
        """Another connection (a sync's page reader) added rows: every order is read again."""
        self.generation += 1
        self._results.clear()
        self._orders.clear()
        self._runs.clear()

    def clear(self) -> None:
        """Let go of everything (the cache is closing)."""
        self._orders.clear()
        self._runs.clear()
        self._results.clear()

    def _flat(self, db: CacheConnection, scope_id: int, order: ListOrder, query: ThreadQuery) -> Selection:
        selector: bytes | None = None
        rest: dict[str, Any] = {}
        for field, column_name in _IN_MEMORY.items():
            value = getattr(query, field)
            if value is None or (field != "needs_reply" and not value):
                continue  # as ``compile_query``: an empty value is no filter
            column = order.columns[column_name]
            if column.data is None:
                continue  # too many distinct values to code: SQL answers it below
            selector = both(selector, column.matching(_wanted(field, value)))
            rest[field] = ThreadQuery.model_fields[field].default
        for field, sql, params in _side_queries(scope_id, query):
            selector = both(selector, order.selector_of_keys(_keys(db, sql, params)))
            rest[field] = ThreadQuery.model_fields[field].default
        remaining = query.model_copy(update=rest)
        if remaining != ThreadQuery(view=query.view):
            selector = both(selector, order.selector_of_keys(_keys_matching(db, scope_id, remaining)))
        return Selection(selector, order.size)

    def _keyword_from_file(
        self, db: CacheConnection, scope_id: int, order: ListOrder, base: Selection, text: str
    ) -> bytes:
        """The rows of the list whose text holds ``text``, from the file's keyword indexes: as a
        selector in list order, placed by runs of keys (``key_runs.py``) when the order has them."""

        def within() -> list[int] | None:
            if base.selector is not None and base.count * 8 < order.size:
                return [order.keys[place] for place in base.iter_positions()]
            return None

        keyword = text.encode("latin-1").decode("utf-8")  # back from ``one_byte``
        with db.read() as conn:
            found = search_index.rows_with(conn, scope_id, keyword, order.top_key + 1, base.count, within)
        runs = self._runs.get(scope_id)
        if runs is None or runs.keys is not order.keys:  # the order changed since
            runs = self._runs[scope_id] = KeyRuns(order.keys)
        if isinstance(found, bytes):
            return runs.gather(found)
        if runs.runs is None or not found:
            return order.selector_of_keys(found)
        by_key = bytearray(max(order.top_key, max(found)) + 1)
        deque(map(by_key.__setitem__, found, repeat(1)), maxlen=0)
        return runs.gather(bytes(by_key))

    def _recall(self, key: _ResultKey) -> Selection | None:
        found = self._results.get(key)
        if found is not None:
            self._results.move_to_end(key)
        return found

    def _remember_result(self, key: _ResultKey, selection: Selection) -> Selection:
        self._results[key] = selection
        while len(self._results) > REMEMBERED_RESULTS:
            self._results.popitem(last=False)
        return selection

    def _narrowest(self, flat: tuple[int, ThreadQuery], text: str) -> Selection | None:
        """The smallest remembered result for the same filters whose keyword ``text`` contains."""
        best: Selection | None = None
        for (scope_id, query, known), selection in self._results.items():
            if known and (scope_id, query) == flat and known in text and (best is None or selection.count < best.count):
                best = selection
        return best


def _ids(db: CacheConnection, keys: list[int]) -> dict[int, str]:
    with db.read() as conn:
        found = conn.execute(
            "SELECT k, thread_id FROM threads WHERE k IN (SELECT value FROM json_each(?))", (json.dumps(keys),)
        )
        return {int(key): thread_id for key, thread_id in found}


def _side_queries(scope_id: int, query: ThreadQuery) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(field, SQL, parameters) for the filters read as key sets from their own index.

    Keys of other accounts may come back (the side tables have no scope): ``selector_of_keys``
    only reads this scope's keys, so they never count.
    """
    found: list[tuple[str, str, tuple[Any, ...]]] = []
    if query.label_id:
        label_keys = "SELECT json_group_array(k) FROM thread_labels WHERE label_id = ?"
        found.append(("label_id", label_keys, (query.label_id,)))
    if query.project_ids:
        found.append((
            "project_ids",
            "SELECT json_group_array(k) FROM thread_projects WHERE project_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(query.project_ids)),),
        ))  # fmt: skip
    if query.updated_since is not None:
        since = int(round(query.updated_since.timestamp() * 1000))
        found.append((
            "updated_since",
            "SELECT json_group_array(k) FROM threads WHERE scope_id = ? AND updated_ms > ?",
            (scope_id, since),
        ))  # fmt: skip
    return found


def _keys(db: CacheConnection, sql: str, params: tuple[Any, ...]) -> list[int]:
    with db.read() as conn:
        text = conn.execute(sql, params).fetchone()[0]
    return json.loads(text) if text else []


def _keys_matching(db: CacheConnection, scope_id: int, query: ThreadQuery) -> list[int]:
    """Keys of the rows matching the filters the order does not code (labels, projects, ...), any order."""
    compiled = compile_query(scope_id, query)
    with db.read() as conn:
        found = conn.execute(f"SELECT json_group_array(t.k) FROM threads t WHERE {compiled.where}", compiled.params)
        text = found.fetchone()[0]
    return json.loads(text) if text else []


__all__ = ["CODED", "REMEMBERED_RESULTS", "LocalFilter"]
