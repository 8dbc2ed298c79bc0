"""Short keywords in a large cache: which rows hold each sequence of one to three bytes.

Why: the trigram index (``search_index.py``) cannot answer fewer than three characters, and a
scan of the ``search`` column reads every text (2 s at a million threads, 15 s under load); a
three-letter keyword is one trigram there, but one matched by a quarter of a million rows costs
~150 ms to hand over key by key. A keyword of one to three ASCII letters, or of one character, is
one short byte sequence of the texts' UTF-8, so the file keeps, for each such *gram*, a bitmap
over row keys:

* every single byte, pair and triple of adjacent bytes (ASCII letters, a two- or three-byte
  character such as "é" or "コ", and everything in between);
* every whole character of four bytes (an emoji).

Such a keyword is then exactly one gram: the answer is one bitmap, read as ~120 small blobs at a
million rows (a few ms). A two-character keyword of more than three bytes ANDs its triples into
candidates and tests only their texts. Exactness: a bit is set if and only if the row's text, as
UTF-8, contains the gram; since UTF-8 is self-synchronising that is the ``instr`` / ``in``
answer every other path gives.

Layout: ``(gram, chunk) -> bits``, ``CHUNK_KEYS`` keys a chunk: the rows' offsets when a gram is
in few rows of the chunk, else one byte per row, zlib-compressed (``_blob_of``). Built after the
trigram index, once per file like it: each chunk gathered in memory a few hundred rows a step,
then filed in one write (``_Stage``); kept in step by every write through ``refresh``, which
compares each written row's old text (kept by the trigram index) with its new one.
"""

from __future__ import annotations

import sqlite3
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable
from itertools import compress, repeat
from typing import Literal

TABLE = "short_grams"
CHUNK_KEYS = 8192
"""Row keys per stored bitmap: 1 KB of bits before compression, ~123 blobs a gram at a million."""

_PROGRESS = "short_grams"
"""``cache_meta`` key: ``"<_LAYOUT>:<first row key not built>"``, ``-1`` once every row is. A file
built with another layout (chunk size, blob format) is built again from scratch."""

ROWS_PER_TRIGRAM_ROW = 4
"""A gram step gathers a quarter of the rows a trigram step indexes (a row costs about four
times as much here: ~370 grams), so a step holds the cache's lock about as briefly."""

_WIDE = "\U00010000"
"""The first character UTF-8 writes in four bytes: from here on a character is its own gram."""

LONGEST = 3
"""The longest byte sequence kept as a gram (besides four-byte characters)."""


def exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None


def _next_key(conn: sqlite3.Connection) -> int | None:
    """``None``: not started (or built with another chunk size); ``-1``: complete; else the first
    row key not built yet."""
    if not exists(conn):
        return None
    found = conn.execute("SELECT value FROM cache_meta WHERE key = ?", (_PROGRESS,)).fetchone()
    layout, _, key = (found[0] if found else "").partition(":")
    return int(key) if layout == _layout() else None


def _set_next_key(conn: sqlite3.Connection, key: int) -> None:
    conn.execute("INSERT OR REPLACE INTO cache_meta(key, value) VALUES (?, ?)", (_PROGRESS, f"{_layout()}:{key}"))


def _layout() -> str:
    """What a built table depends on: the chunk size and the blob format's version."""
    return f"{CHUNK_KEYS}/2"


def complete(conn: sqlite3.Connection) -> bool:
    return _next_key(conn) == -1


def grams_of(text: str) -> set[bytes]:
    """Every gram of one search text (see the module's docstring)."""
    data = text.encode("utf-8")
    found = {bytes((value,)) for value in set(data)}
    found.update(data[i : i + 2] for i in range(len(data) - 1))
    found.update(data[i : i + 3] for i in range(len(data) - 2))
    found.update(char.encode("utf-8") for char in set(text) if char >= _WIDE)
    return found


def _pair_codes(data: bytes) -> set[int]:
    """Every pair of adjacent bytes of ``data`` as a native 16-bit number, read in C: the pairs at
    even offsets, then at odd ones, each through a ``memoryview`` of 16-bit items."""
    size = len(data)
    if size < 2:
        return set()
    found = set(memoryview(data[: size & ~1]).cast("H"))
    found.update(memoryview(data[1 : 1 + ((size - 1) & ~1)]).cast("H"))
    return found


def _triple_codes(data: bytes) -> set[int]:
    """Every triple of adjacent bytes of ``data`` as a native number, read in C: 32-bit items at
    offsets 0-3 (each a triple and one byte more, masked off), then the last triple."""
    size = len(data)
    if size < 3:
        return set()
    found: set[int] = set()
    for start in range(4):
        whole = (size - start) // 4
        if whole:
            found.update(memoryview(data[start : start + 4 * whole]).cast("I"))
    triples = set(map(_FIRST_THREE, found))
    triples.add(int.from_bytes(data[-3:], _NATIVE))
    return triples


class _Stage:
    """One chunk's grams gathered in memory, a few hundred rows a step, then filed in one write.

    Why in memory: adding each step's rows to bitmaps already in the file re-reads, re-packs and
    rewrites every gram they hold (~8,000 for 500 rows: ~1 s under load, holding the cache's lock
    that long); gathered here, a step costs ~30 µs a row and nothing is written until the chunk
    is whole. ``writes`` is the file's count of writes into an unfiled chunk when gathering
    began: any such write since (from any connection) means a text read here may be stale, and
    the chunk is gathered again.
    """

    def __init__(self, chunk: int, writes: int) -> None:
        self.chunk = chunk
        self.writes = writes
        self.next_key = chunk * CHUNK_KEYS
        self.bytes_in: defaultdict[int, array[int]] = defaultdict(_offsets)
        self.pairs_in: defaultdict[int, array[int]] = defaultdict(_offsets)
        self.triples_in: defaultdict[int, array[int]] = defaultdict(_offsets)
        self.wide_in: defaultdict[str, array[int]] = defaultdict(_offsets)

    def gather(self, conn: sqlite3.Connection, high: int) -> None:
        """Add the grams of the rows with keys ``next_key <= k < high`` (all in this chunk).

        Per row, only C-level set operations and ``map``s (~30 µs a row under load; a Python loop
        over each text's bytes took ten times that).
        """
        low = self.chunk * CHUNK_KEYS
        rows = conn.execute("SELECT k, search FROM threads WHERE k >= ? AND k < ?", (self.next_key, high))
        for key, text in rows:
            data = text.encode("utf-8")
            offset = repeat(key - low)
            deque(map(array.append, map(self.bytes_in.__getitem__, set(data)), offset), maxlen=0)
            deque(map(array.append, map(self.pairs_in.__getitem__, _pair_codes(data)), offset), maxlen=0)
            deque(map(array.append, map(self.triples_in.__getitem__, _triple_codes(data)), offset), maxlen=0)
            if not text.isascii():
                for char in set(text):
                    if char >= _WIDE:
                        self.wide_in[char].append(key - low)
        self.next_key = high

    def file(self, conn: sqlite3.Connection) -> None:
        """Write every gram's bitmap of the chunk (no row of it is in the file yet)."""
        grams: list[tuple[bytes, array[int]]] = [(bytes((value,)), at) for value, at in self.bytes_in.items()]
        grams.extend((code.to_bytes(2, _NATIVE), at) for code, at in self.pairs_in.items())
        grams.extend((code.to_bytes(3, _NATIVE), at) for code, at in self.triples_in.items())
        grams.extend((char.encode("utf-8"), at) for char, at in self.wide_in.items())
        conn.executemany(
            f"INSERT OR REPLACE INTO {TABLE}(gram, chunk, bits) VALUES (?, ?, ?)",
            [(gram, self.chunk, _blob_of(offsets)) for gram, offsets in grams],
        )


_STAGES: dict[int, _Stage] = {}
"""``id(connection)`` -> the chunk being gathered through it (a stage that no longer matches the
file's progress or write count is dropped, so a reused id is harmless)."""

_WRITES = "short_grams_writes"
"""``cache_meta`` key: how many writes touched rows of the chunk being built."""


def _writes(conn: sqlite3.Connection) -> int:
    found = conn.execute("SELECT value FROM cache_meta WHERE key = ?", (_WRITES,)).fetchone()
    return int(found[0]) if found else 0


def _offsets() -> array[int]:
    return array("H")


_NATIVE: Literal["little", "big"] = "little" if memoryview(b"\x01\x00").cast("H")[0] == 1 else "big"
"""The byte order ``memoryview.cast`` reads numbers in (``sys.byteorder``, spelled as it is used)."""

_FIRST_THREE = (0xFFFFFF).__and__ if _NATIVE == "little" else (8).__rrshift__
"""A native 32-bit item -> the native number of its first three bytes (as ``int.from_bytes``)."""

SPARSE_MOST = 256
"""Most rows of a chunk a gram's blob lists by offset (two bytes each, 512 at most); more are
stored as one byte per row of the chunk, zlib-compressed."""

_SPARSE = b"\x00"
"""First byte of a blob that lists offsets (a zlib stream never starts with a zero byte)."""


def _blob_of(offsets: array[int]) -> bytes:
    """A chunk's blob for the rows at ``offsets`` (ascending): most grams are in a few rows of a
    chunk, and listing them costs neither a bitmap nor zlib; a common gram's one byte per row
    compresses well and is read back as it is needed (``rows_holding``)."""
    if len(offsets) <= SPARSE_MOST:
        listed = array("H", offsets)
        if _NATIVE == "big":
            listed.byteswap()
        return _SPARSE + listed.tobytes()
    marks = bytearray(CHUNK_KEYS)
    deque(map(marks.__setitem__, offsets, repeat(1)), maxlen=0)
    return zlib.compress(marks, 1)


def _marks_of(blob: bytes | None) -> bytearray:
    """One byte per row of the chunk, 1 where the row holds the gram."""
    if not blob:
        return bytearray(CHUNK_KEYS)
    if blob[:1] != _SPARSE:
        return bytearray(zlib.decompress(blob))
    marks = bytearray(CHUNK_KEYS)
    deque(map(marks.__setitem__, _listed(blob), repeat(1)), maxlen=0)
    return marks


def _listed(blob: bytes) -> array[int]:
    listed = array("H", blob[1:])
    if _NATIVE == "big":
        listed.byteswap()
    return listed


def build_step(conn: sqlite3.Connection, rows: int) -> bool:
    """Gather the grams of the next ``rows // ROWS_PER_TRIGRAM_ROW`` rows of the chunk being
    built, or, once it is whole, file them (one write of ~20,000 small rows at a million); inside
    the caller's transaction. ``True`` once every row is filed."""
    start = _next_key(conn)
    if start is None:
        conn.execute(f"DROP INDEX IF EXISTS ix_{TABLE}_chunk")  # of the first builds: nothing reads it
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(
            f"CREATE TABLE {TABLE} "
            "(gram BLOB NOT NULL, chunk INTEGER NOT NULL, bits BLOB NOT NULL, PRIMARY KEY (gram, chunk)) WITHOUT ROWID"
        )
        _set_next_key(conn, 0)
        start = 0
    if start == -1:
        return True
    top = conn.execute("SELECT max(k) FROM threads").fetchone()[0] or 0
    chunk = start // CHUNK_KEYS
    end = min((chunk + 1) * CHUNK_KEYS, top + 1)
    stage = _STAGES.get(id(conn))
    writes = _writes(conn)
    if stage is None or stage.chunk != chunk or stage.writes != writes:
        stage = _STAGES[id(conn)] = _Stage(chunk, writes)
    if stage.next_key < end:
        stage.gather(conn, min(end, stage.next_key + max(1, rows // ROWS_PER_TRIGRAM_ROW)))
        return False
    del _STAGES[id(conn)]
    stage.file(conn)
    done = end > top
    _set_next_key(conn, -1 if done else end)
    return done


def refresh(conn: sqlite3.Connection, old_texts: dict[int, str], keys: Iterable[int]) -> None:
    """Follow a write: for each of ``keys`` (upserted or deleted), its bits move from the grams of
    its old text (``old_texts``, absent for a new row) to those of its current one in ``threads``.

    Rows not filed yet are skipped (their build step reads the current texts).
    """
    following = _next_key(conn)
    if following is None:
        return
    keys = list(keys)
    if following != -1 and any(following <= key < following + CHUNK_KEYS for key in keys):
        conn.execute(  # the chunk being gathered read a text this write changed: gather it again
            "INSERT INTO cache_meta(key, value) VALUES (?, '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (_WRITES,),
        )
    wanted = [key for key in keys if following == -1 or key < following]
    if not wanted:
        return
    marks = ",".join("?" * len(wanted))
    new_texts = dict(conn.execute(f"SELECT k, search FROM threads WHERE k IN ({marks})", wanted).fetchall())
    changes: dict[tuple[bytes, int], list[tuple[int, bool]]] = defaultdict(list)
    for key in wanted:
        before = grams_of(old_texts[key]) if key in old_texts else set()
        after = grams_of(new_texts[key]) if key in new_texts else set()
        chunk, offset = divmod(key, CHUNK_KEYS)
        for gram in before - after:
            changes[gram, chunk].append((offset, False))
        for gram in after - before:
            changes[gram, chunk].append((offset, True))
    for (gram, chunk), marks_of_gram in changes.items():
        found = conn.execute(f"SELECT bits FROM {TABLE} WHERE gram = ? AND chunk = ?", (gram, chunk)).fetchone()
        held = _marks_of(found[0] if found else None)
        for offset, on in marks_of_gram:
            held[offset] = 1 if on else 0
        if 1 in held:
            offsets = array("H", compress(range(CHUNK_KEYS), held))
            conn.execute(
                f"INSERT OR REPLACE INTO {TABLE}(gram, chunk, bits) VALUES (?, ?, ?)", (gram, chunk, _blob_of(offsets))
            )
        elif found:
            conn.execute(f"DELETE FROM {TABLE} WHERE gram = ? AND chunk = ?", (gram, chunk))


def needle_grams(keyword: str) -> tuple[list[bytes], bool]:
    """The grams a short keyword's rows all hold, and whether holding them is exactly holding it.

    One character, or up to three bytes, is one gram: exact. A longer keyword (two characters of
    four bytes and more) is its triples: candidates to test.
    """
    data = keyword.encode("utf-8")
    if len(keyword) == 1 or len(data) <= LONGEST:
        return [data], True
    return sorted({data[i : i + LONGEST] for i in range(len(data) - LONGEST + 1)}), False


def rows_holding(conn: sqlite3.Connection, grams: list[bytes], size: int) -> bytes:
    """One byte per row key ``0 .. size - 1``: 1 where the row holds every one of ``grams``.

    A gram's chunks are laid into place as they are stored (a slice of decompressed bytes, or its
    listed offsets set), so nothing is spread bit by bit; several grams are ANDed as numbers.
    """
    chunks = -(-size // CHUNK_KEYS)
    together: int | None = None
    marks = bytearray()
    for gram in grams:
        marks = bytearray(chunks * CHUNK_KEYS)
        for chunk, blob in conn.execute(f"SELECT chunk, bits FROM {TABLE} WHERE gram = ?", (gram,)):
            if chunk >= chunks:
                continue
            low = chunk * CHUNK_KEYS
            if blob[:1] == _SPARSE:
                deque(map(marks.__setitem__, map(low.__add__, _listed(blob)), repeat(1)), maxlen=0)
            else:
                marks[low : low + CHUNK_KEYS] = zlib.decompress(blob)
        if len(grams) > 1:
            number = int.from_bytes(marks, "little")
            together = number if together is None else together & number
    if together is not None:
        marks = bytearray(together.to_bytes(chunks * CHUNK_KEYS, "little"))
    return bytes(marks[:size])
