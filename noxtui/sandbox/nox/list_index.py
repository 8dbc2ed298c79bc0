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
The build reads only the list order from ``ix_threads_live_wide`` (``updated_at`` too, the first
time a list asks for ``updated_since``); every set —
a column's value, a label, a task, a keyword… — is made on first use from its own index and kept
(a few dozen, least recently used dropped), so a list after a write pays the build and only the
sets it asks for. Measured at 1,000,000 threads on this loaded 2-core machine: ~0.7 s CPU to build
(it was 1.8–3.5 s while each thread came out of SQLite as a row object),
0.3–0.5 s for a column value's set, ~0.6 s for the first label (the seq → rank map), ~0.4 s for a
common trigram keyword's, ~1.3 s for a two-letter one's (every text read); then any mix of filters
in under 10 ms. Memory: ~12 MB for the order, 125 KB per kept set. (At 100,000: a tenth of each.)
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from noxtui.sandbox.nox import bitmaps

# ``threads`` columns whose values' sets are read from ``ix_threads_live_wide`` on first use.
FLAT_COLUMNS = ("needs_reply", "last_message_direction", "coop_status", "owner_uid", "business_kind")
_SETS_KEPT = 48
# ``updated_since``: the span of ``updated_at`` cut into this many equal buckets, one byte per rank;
# a cut-off is the buckets after its own (one translate) plus its own bucket's threads checked.
_UPDATED_BUCKETS = 256
_BUCKETS_KEPT = 8
_INDEXES_KEPT = 4


class ListIndex:
    """One state of the data's live threads, in list order (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, generation: int) -> None:
        self.generation = generation
        self.seqs = _in_list_order(conn, "seq", "I")  # rank -> seq
        self._updated_at: array[int] | None = None  # rank -> updated_at, read on first need
        self.size = len(self.seqs)
        self.everything = (1 << self.size) - 1
        self._rank_of: array[int] | None = None  # seq -> rank + 1 (0: not live), made on first need
        self._sets: OrderedDict[Hashable, int] = OrderedDict()
        self._lock = threading.Lock()
        self._updated_buckets: tuple[int, int, bytes] | None = None
        self._bucket_members: OrderedDict[int, list[int]] = OrderedDict()

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
        rank_of = self._ranks_by_seq()
        top = len(rank_of)
        return bitmaps.from_positions([rank_of[seq] - 1 for seq in seqs if 0 <= seq < top and rank_of[seq]])

    def _ranks_by_seq(self) -> array[int]:
        """Rank + 1 by seq: only lists that name threads by seq need it (not a flat filter)."""
        with self._lock:
            if self._rank_of is None:
                rank_of = array("I", bytes(4 * (max(self.seqs, default=0) + 1)))
                for rank, seq in enumerate(self.seqs):
                    rank_of[seq] = rank + 1
                self._rank_of = rank_of
            return self._rank_of

    def of_query(self, conn: sqlite3.Connection, sql: str, params: Iterable[object] = ()) -> int:
        """The set of the live threads whose seq ``sql`` selects (first column)."""
        return self.of_seqs(row[0] for row in conn.execute(sql, list(params)))

    def equals(self, conn: sqlite3.Connection, column: str, value: object) -> int:
        """Threads whose ``column`` (one of ``FLAT_COLUMNS``) is ``value``.

        Made in one walk of ``ix_threads_live_wide`` in list order, SQLite writing one digit per
        thread (~0.3 s at 1,000,000 threads, in C: no row reaches Python).
        """
        if column not in FLAT_COLUMNS:
            raise ValueError(f"not a flat column: {column!r}")

        def make() -> int:
            digits = conn.execute(
                f"SELECT group_concat({column} IS ?, '') FROM (SELECT {column} FROM threads "
                "INDEXED BY ix_threads_live_wide WHERE archived = 0 ORDER BY last_message_at DESC, seq DESC)",
                [value],
            ).fetchone()[0]
            if digits is None:
                return 0
            if len(digits) != self.size:
                raise RuntimeError("the list index and its snapshot disagree")
            return int(digits[::-1], 2)

        return self.kept(("column", column, value), make)

    def updated_after(self, conn: sqlite3.Connection, since_ms: int) -> int:
        """Threads updated after ``since_ms`` (``updated_at > since_ms``); ``conn`` reads this
        index's state of the data (as every caller's does: an index serves its generation only)."""
        with self._lock:
            if self._updated_at is None:
                self._updated_at = _in_list_order(conn, "updated_at", "q")
                if len(self._updated_at) != self.size:
                    raise RuntimeError("the list index and its snapshot disagree")
            updated_at = self._updated_at
            if self._updated_buckets is None:
                low = min(updated_at, default=0)
                width = (max(updated_at, default=0) - low) // _UPDATED_BUCKETS + 1
                self._updated_buckets = low, width, bytes((at - low) // width for at in updated_at)
        low, width, buckets = self._updated_buckets
        if since_ms < low:
            return self.everything
        bucket = (since_ms - low) // width
        if bucket >= _UPDATED_BUCKETS:
            return 0
        later = self.kept(
            ("updated after bucket", bucket),
            lambda: bitmaps.from_codes(buckets, range(bucket + 1, _UPDATED_BUCKETS)),
        )
        own = self._in_bucket(buckets, bucket)
        return later | bitmaps.from_positions([rank for rank in own if updated_at[rank] > since_ms])

    def _in_bucket(self, buckets: bytes, bucket: int) -> list[int]:
        """The ranks in one ``updated_at`` bucket (a few kept: a cut-off is often asked again)."""
        with self._lock:
            found = self._bucket_members.get(bucket)
        if found is None:
            found = bitmaps.positions(bitmaps.from_codes(buckets, (bucket,)))
            with self._lock:
                self._bucket_members[bucket] = found
                while len(self._bucket_members) > _BUCKETS_KEPT:
                    self._bucket_members.popitem(last=False)
        return found

    def seqs_at(self, ranks: Iterable[int]) -> list[int]:
        return [self.seqs[rank] for rank in ranks]


def _in_list_order(conn: sqlite3.Connection, column: str, typecode: str) -> array[int]:
    """An integer column of every live thread, in list order (``column`` is a name from this module).

    SQLite joins the numbers into one text and Python splits it: no row object per thread (the
    rows fetched one by one were ~1.8 s of a million-thread build, this is ~0.5 s).
    """
    joined = conn.execute(
        f"SELECT group_concat({column}, ',') FROM (SELECT {column} FROM threads INDEXED BY ix_threads_live_wide "
        "WHERE archived = 0 ORDER BY last_message_at DESC, seq DESC)"
    ).fetchone()[0]
    return array(typecode, map(int, joined.split(","))) if joined else array(typecode)


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
