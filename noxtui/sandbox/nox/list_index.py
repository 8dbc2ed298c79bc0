"""The live threads in list order, held as sets of ranks: the plan that keeps a million threads fast.

Why it exists: with 1,000,000 threads any SQL plan that visits the rows a broad filter matches —
to count them for the total the vendor returns, or to intersect them with a keyword — costs
hundreds of milliseconds to seconds (``direction=outbound`` alone walks 421,000 index entries).
Here each thread gets its *rank* (its place in the unfiltered list: newest message first, ties by
newest row), and every filter value becomes the set of ranks it matches (``bitmaps.py``). A mix of
filters is then an intersection of sets, its total a bit count, and its page the members at
``offset`` … ``offset + page_size`` — all in C over the whole set, whatever matches how much.

Built once per state of the data and shared by every connection: the generation
(``list_generation``, moved by triggers on every table a list reads) is read in the caller's
snapshot, so an index built at generation n answers exactly what SQL would in any snapshot at n.
The flat columns are read in one walk of ``ix_threads_live_wide`` (already in list order); the
other sets (a label, a task, a keyword…) are made on first use from their own indexes and kept
(a few dozen, least recently used dropped). Cost at 1,000,000 threads on this 2-core machine:
a few seconds to build, ~10 MB for the ranks and codes, 125 KB per kept set.
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from noxtui.sandbox.nox import bitmaps

# ``threads`` columns held as one byte per rank (a value's set is then one ``bytes.translate``).
CODED_COLUMNS = ("needs_reply", "last_message_direction", "coop_status", "owner_uid", "business_kind")
_FETCH_ROWS = 50_000
_SETS_KEPT = 48
# ``updated_since``: the set of the newest k·STEP updated threads is kept for every k, so a
# cut-off costs one kept set plus fewer than STEP ranks added one by one.
_UPDATED_STEP = 16_384
_INDEXES_KEPT = 4


class _Codes(dict[object, int]):
    """A column's values, each numbered on first sight."""

    def __missing__(self, value: object) -> int:
        code = self[value] = len(self)
        return code


class ListIndex:
    """One state of the data's live threads, in list order (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, generation: int) -> None:
        self.generation = generation
        self.seqs = array("I")  # rank -> seq
        codes: dict[str, bytearray | None] = {name: bytearray() for name in CODED_COLUMNS}
        self._values = {name: _Codes() for name in CODED_COLUMNS}
        cursor = conn.execute(
            f"SELECT seq, {', '.join(CODED_COLUMNS)} FROM threads INDEXED BY ix_threads_live_wide "
            "WHERE archived = 0 ORDER BY last_message_at DESC, seq DESC"
        )
        while chunk := cursor.fetchmany(_FETCH_ROWS):
            columns = list(zip(*chunk, strict=True))
            self.seqs.extend(columns[0])
            for name, column in zip(CODED_COLUMNS, columns[1:], strict=True):
                held = codes[name]
                if held is None:
                    continue
                try:
                    held.extend(map(self._values[name].__getitem__, column))
                except ValueError:  # over 256 distinct values: answered from SQL instead
                    codes[name] = None
        self._codes = codes
        self.size = len(self.seqs)
        self.everything = (1 << self.size) - 1
        self._rank_of = array("I", bytes(4 * (max(self.seqs, default=0) + 1)))  # seq -> rank + 1
        for rank, seq in enumerate(self.seqs):
            self._rank_of[seq] = rank + 1
        self._sets: OrderedDict[Hashable, int] = OrderedDict()
        self._lock = threading.Lock()
        self._updated: tuple[array[int], array[int], list[int]] | None = None

    # --- sets ---------------------------------------------------------------------------------

    def kept(self, key: Hashable, make: Callable[[], int]) -> int:
        """The set named ``key``, made by ``make`` on first use and kept (least recently used go)."""
        with self._lock:
            found = self._sets.get(key)
            if found is not None:
                self._sets.move_to_end(key)
                return found
        made = make()
        with self._lock:
            self._sets[key] = made
            while len(self._sets) > _SETS_KEPT:
                self._sets.popitem(last=False)
        return made

    def is_kept(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._sets

    def of_seqs(self, seqs: Iterable[int]) -> int:
        """The set of the live threads among ``seqs`` (archived or unknown ones are left out)."""
        rank_of, top = self._rank_of, len(self._rank_of)
        return bitmaps.from_positions([rank_of[seq] - 1 for seq in seqs if 0 <= seq < top and rank_of[seq]])

    def of_query(self, conn: sqlite3.Connection, sql: str, params: Iterable[object] = ()) -> int:
        """The set of the live threads whose seq ``sql`` selects (first column)."""
        return self.of_seqs(row[0] for row in conn.execute(sql, list(params)))

    def equals(self, conn: sqlite3.Connection, column: str, value: object) -> int:
        """Threads whose ``column`` (one of ``CODED_COLUMNS``) is ``value``."""

        def make() -> int:
            held = self._codes[column]
            if held is None:
                return self.of_query(
                    conn,
                    f"SELECT seq FROM threads INDEXED BY ix_threads_by_seq WHERE archived = 0 AND {column} = ?",
                    [value],
                )
            values = self._values[column]
            return bitmaps.from_codes(bytes(held), values[value]) if value in values else 0

        return self.kept(("column", column, value), make)

    def updated_after(self, conn: sqlite3.Connection, since_ms: int) -> int:
        """Threads updated after ``since_ms`` (``updated_at > since_ms``)."""
        if self._updated is None:
            self._updated = self._updated_order(conn)
        times, ranks, suffixes = self._updated
        first = bisect.bisect_right(times, since_ms)  # the members are ranks[first:]
        step = -(-first // _UPDATED_STEP)
        kept = suffixes[step] if step < len(suffixes) else 0
        return kept | bitmaps.from_positions(ranks[first : step * _UPDATED_STEP].tolist())

    def _updated_order(self, conn: sqlite3.Connection) -> tuple[array[int], array[int], list[int]]:
        times, ranks = array("q"), array("I")
        rank_of = self._rank_of
        cursor = conn.execute(
            "SELECT updated_at, seq FROM threads INDEXED BY ix_threads_live_updated WHERE archived = 0 "
            "ORDER BY updated_at"
        )
        while chunk := cursor.fetchmany(_FETCH_ROWS):
            columns = list(zip(*chunk, strict=True))
            times.extend(columns[0])
            ranks.extend(rank_of[seq] - 1 for seq in columns[1])
        digits = bytearray(b"0") * self.size
        suffixes: list[int] = []
        for index in range(len(ranks) - 1, -1, -1):
            digits[self.size - 1 - ranks[index]] = 0x31
            if index % _UPDATED_STEP == 0:
                suffixes.append(int(digits, 2))
        suffixes.reverse()  # suffixes[k]: the members from position k·STEP of the order on
        return times, ranks, suffixes

    def seqs_at(self, ranks: Iterable[int]) -> list[int]:
        return [self.seqs[rank] for rank in ranks]


_INDEXES: OrderedDict[str, ListIndex] = OrderedDict()
_INDEXES_LOCK = threading.Lock()


def generation(conn: sqlite3.Connection) -> int:
    """The state of the data ``conn``'s snapshot reads (``-1`` for a file without the counter)."""
    row = conn.execute("SELECT n FROM list_generation WHERE id = 1").fetchone()
    return -1 if row is None else int(row[0])


def kept_list_index(conn: sqlite3.Connection) -> ListIndex | None:
    """The index of the data ``conn`` reads if one is already built (``None`` rather than build)."""
    state = generation(conn)
    path = str(conn.execute("PRAGMA database_list").fetchone()[2])
    with _INDEXES_LOCK:
        found = _INDEXES.get(path)
    return found if found is not None and found.generation == state and state >= 0 else None


def list_index(conn: sqlite3.Connection) -> ListIndex:
    """The index of the data ``conn`` reads, built now unless one of the same state is kept.

    The caller holds a read transaction, so the generation and everything built from it come
    from one snapshot.
    """
    state = generation(conn)
    path = str(conn.execute("PRAGMA database_list").fetchone()[2])
    with _INDEXES_LOCK:
        found = _INDEXES.get(path)
        if found is not None and found.generation == state and state >= 0:
            _INDEXES.move_to_end(path)
            return found
        built = ListIndex(conn, state)
        if path and state >= 0:
            _INDEXES[path] = built
            while len(_INDEXES) > _INDEXES_KEPT:
                _INDEXES.popitem(last=False)
        return built
