"""One account's unfiltered list in memory, compact enough for a million threads.

What it holds, in list order (newest message first): the row keys (``array('q')``, 8 MB per
million), each row's ``last_ts`` (to tell whether a write moved it), and the flat filter columns
one byte per row as small codes (needs reply, direction, status, owner, business kind and id).
A filter on those columns is then a ``bytes.translate`` per column and an ``&`` of the results
(``selection.py``): a few milliseconds at a million rows, where walking the SQL index took
0.2-0.6 s. Not a ``ThreadRow`` per thread: the list reads the rows it shows by key
(``window.py``), so a million threads cost ~26 MB here instead of ~1.7 GB of tuples.

Keyword texts: up to ``TEXTS_IN_MEMORY`` threads they are kept as one string a row in the
``one_byte`` form of ``query.py`` (one byte a character, same substring answers) and tested with
``operator.contains`` mapped in C (~240 bytes a thread with the object: 24 MB at 100,000). One
``bytes`` of all texts searched with ``find`` took half the memory but 5-10x the time, because
every match needs Python to find its row. Above the limit the texts would cost more than the
whole memory budget, so the keyword is answered by SQLite (``filtering.py``).

A column with more than 255 distinct values is not coded (its filter goes to SQL too).
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat
from operator import contains, neg
from typing import Any

from noxtui.storage.cache.query import ORDER_BY, one_byte, order_hint
from noxtui.storage.cache.selection import Selection

TEXTS_IN_MEMORY = 250_000
"""Largest list whose keyword texts are kept in memory (~240 bytes each, so ~60 MB)."""

CODED = ("needs_reply", "direction", "coop_code", "owner_uid", "business_kind", "business_id")
"""The flat filter columns kept one byte per row, as the SQL names them."""

_CHUNK = 20_000

IdsOf = Callable[[list[int]], dict[int, str]]
"""Row key -> thread id for some keys (read from the file: the order does not keep the ids)."""


class _Codes(dict[Any, int]):
    """value -> small code, handing out the next code to a value seen for the first time."""

    def __missing__(self, value: Any) -> int:
        code = self[value] = len(self)
        return code


class CodedColumn:
    """One filter column, one byte per row; ``None`` bytes once it has too many distinct values."""

    __slots__ = ("codes", "data")

    def __init__(self) -> None:
        self.codes = _Codes()
        self.data: bytearray | None = bytearray()

    def extend(self, values: Iterable[Any]) -> None:
        if self.data is None:
            return
        try:
            self.data.extend(map(self.codes.__getitem__, values))
        except ValueError:  # a 256th distinct value: a byte cannot hold its code
            self.data = None

    def matching(self, wanted: Iterable[Any]) -> bytes:
        """1 for every row whose value is one of ``wanted`` (C speed: one ``translate``)."""
        assert self.data is not None
        table = bytearray(256)
        for value in wanted:
            code = self.codes.get(value)
            if code is not None and code < 256:
                table[code] = 1
        return bytes(self.data.translate(table))

    def set(self, position: int, value: Any) -> bool:
        """Change one row's value in place; ``False`` when it needs a code a byte cannot hold."""
        if self.data is None:
            return True
        code = self.codes[value]
        if code > 255:
            return False
        self.data[position] = code
        return True


class ListOrder:
    """The unfiltered list of one scope: keys, sort values, coded filter columns and maybe texts."""

    def __init__(self, keys: array[int], stamps: array[float], columns: dict[str, CodedColumn]) -> None:
        self.keys = keys
        self.stamps = stamps
        self.columns = columns
        self.texts: list[str] | None = None
        self.top_key = max(keys, default=0)
        self._by_key: array[int] | None = None

    @property
    def size(self) -> int:
        return len(self.keys)

    def position_of(self, key: int) -> int | None:
        """Where row ``key`` is in the list: from the key → place map once it exists, else a scan
        of the key array in C (~2 ms at a million, for a lookup now and then)."""
        if self._by_key is not None:
            found = self._by_key[key] if 0 <= key <= self.top_key else -1
            return found if found >= 0 else None
        try:
            return self.keys.index(key)
        except ValueError:
            return None

    def selector_of_keys(self, keys: list[int]) -> bytes:
        """1 at the place of every one of ``keys`` that is listed (keys in any order, any account).

        Both ways run in C (``map`` of ``__setitem__``, drained by a zero-length ``deque``). Up to
        half the list: each key is put at its place through the key → place map (built once per
        order). More: marked by key, then read in list order by one ``map`` over every row.
        """
        if not keys:
            return bytes(self.size)
        top = self.top_key
        if len(keys) * 2 < self.size:
            places = self._places()
            mine = keys if max(keys) <= top else [key for key in keys if key <= top]
            out = bytearray(self.size + 1)  # a key not listed has place -1: the spare last byte
            deque(map(out.__setitem__, map(places.__getitem__, mine), repeat(1)), maxlen=0)
            return bytes(out[: self.size])
        by_key = bytearray(max(top, max(keys)) + 1)
        deque(map(by_key.__setitem__, keys, repeat(1)), maxlen=0)
        return bytes(map(by_key.__getitem__, self.keys))

    def _places(self) -> array[int]:
        if self._by_key is None:
            places = array("q", [-1]) * (self.top_key + 1)
            for place, key in enumerate(self.keys):
                places[key] = place
            self._by_key = places
        return self._by_key

    # --- the keyword --------------------------------------------------------------------------

    def keyword(self, needle: str, within: Selection) -> bytes:
        """1 for every row of ``within`` whose text holds ``needle`` (texts must be in memory).

        Every step but the last runs in C (``compress``, ``map`` of ``operator.contains``): ~0.1 µs
        a row tested. Only ``within``'s rows are tested, so a keyword typed on after a remembered
        shorter one tests only that one's matches; Python touches only the rows that match.
        """
        texts = self.texts
        assert texts is not None
        if within.selector is None:
            return bytes(map(contains, texts, repeat(needle)))
        places = list(compress(range(self.size), within.selector))
        hits = map(contains, map(texts.__getitem__, places), repeat(needle))
        out = bytearray(self.size)
        for place in compress(places, hits):
            out[place] = 1
        return bytes(out)

    # --- keeping up with writes ---------------------------------------------------------------

    def detach(self) -> None:
        """Give the order its own key array before changing it: the windows made before keep
        reading the old one, which their selections were counted on."""
        self.keys = array("q", self.keys)
        self._by_key = None

    def update_in_place(self, key: int, last_ts: float, values: Sequence[Any], text: str) -> bool:
        """Apply a write to a row that stays where it is; ``False``: it moved, is new, or its
        text changed (the caller then moves it with ``remove`` and ``insert``)."""
        place = self.position_of(key)
        if place is None or self.stamps[place] != last_ts:
            return False
        if self.texts is not None and self.texts[place] != text:
            return False
        return all(self.columns[name].set(place, value) for name, value in zip(CODED, values, strict=True))

    def remove(self, key: int) -> None:
        """Take row ``key`` out of the list, if it is listed."""
        place = self.position_of(key)
        if place is None:
            return
        del self.keys[place]
        del self.stamps[place]
        for column in self.columns.values():
            if column.data is not None:
                del column.data[place]
        if self.texts is not None:
            del self.texts[place]
        self._by_key = None

    def insert(self, key: int, thread_id: str, last_ts: float, values: Sequence[Any], text: str, ids: IdsOf) -> bool:
        """Put row ``key`` at its place in list order; ``False`` when a value needs a 257th code."""
        codes = []
        for name, value in zip(CODED, values, strict=True):
            column = self.columns[name]
            code = column.codes[value] if column.data is not None else 0
            if code > 255:
                return False
            codes.append(code)
        place = self._place_for(last_ts, thread_id, ids)
        self.keys.insert(place, key)
        self.stamps.insert(place, last_ts)
        for name, code in zip(CODED, codes, strict=True):
            data = self.columns[name].data
            if data is not None:
                data.insert(place, code)
        if self.texts is not None:
            self.texts.insert(place, text)
        self.top_key = max(self.top_key, key)
        self._by_key = None
        return True

    def _place_for(self, last_ts: float, thread_id: str, ids: IdsOf) -> int:
        """Newest first, ties by thread id descending (``ORDER_BY``): bisect the stamps, then
        read the ids of the rows that share the stamp (few) to place it among them."""
        first = bisect_left(self.stamps, -last_ts, key=neg)
        after = bisect_right(self.stamps, -last_ts, key=neg)
        if first == after:
            return first
        tied = list(self.keys[first:after])
        by_key = ids(tied)
        for offset, key in enumerate(tied):
            if by_key.get(key, "") < thread_id:
                return first + offset
        return after


def build(conn: sqlite3.Connection, scope_id: int) -> ListOrder:
    """Read the scope's list order and filter columns in one index-only walk (texts: a second walk).

    Read in chunks of ``_CHUNK`` rows, so the peak is the arrays plus one chunk. (One row of
    aggregates, JSON arrays and ``group_concat`` texts, was slower and briefly took ~180 MB more
    at a million threads: every value had to exist as a Python object at once.)
    """
    select = ", ".join(f"t.{name}" for name in CODED)
    cursor = conn.execute(
        f"SELECT t.k, t.last_ts, {select} FROM threads t {order_hint(conn)} "
        f"WHERE t.scope_id = ? ORDER BY {ORDER_BY}",
        (scope_id,),
    )
    keys: array[int] = array("q")
    stamps: array[float] = array("d")
    columns = {name: CodedColumn() for name in CODED}
    coded = [columns[name] for name in CODED]
    while chunk := cursor.fetchmany(_CHUNK):
        parts = list(zip(*chunk, strict=True))
        keys.extend(parts[0])
        stamps.extend(parts[1])
        for column, values in zip(coded, parts[2:], strict=True):
            column.extend(values)
    order = ListOrder(keys, stamps, columns)
    if order.size <= TEXTS_IN_MEMORY:
        _read_texts(conn, scope_id, order)
    return order


def _read_texts(conn: sqlite3.Connection, scope_id: int, order: ListOrder) -> None:
    texts: list[str] = []
    cursor = conn.execute(
        f"SELECT t.search FROM threads t {order_hint(conn)} WHERE t.scope_id = ? ORDER BY {ORDER_BY}",
        (scope_id,),
    )
    while chunk := cursor.fetchmany(_CHUNK):
        texts.extend(one_byte(text) for (text,) in chunk)
    order.texts = texts
