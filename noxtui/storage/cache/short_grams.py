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

Layout: ``(gram, chunk) -> bits``, ``CHUNK_KEYS`` keys a chunk, the bits zlib-compressed (sparse
grams take a few bytes). Built in short steps after the trigram index (~6-10 min at a million
on the loaded reference machine, once per file, like the trigrams); kept
in step by every write through ``refresh``, which compares each written row's old text (kept by
the trigram index) with its new one.
"""

from __future__ import annotations

import sqlite3
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable
from itertools import repeat
from typing import Literal

TABLE = "short_grams"
CHUNK_KEYS = 8192
"""Row keys per stored bitmap: 1 KB of bits before compression, ~123 blobs a gram at a million."""

_PROGRESS = "short_grams"
"""``cache_meta`` key: ``"<CHUNK_KEYS>:<first row key not built>"``, ``-1`` once every row is.
A file built with another chunk size is built again from scratch."""

ROWS_PER_TRIGRAM_ROW = 4
"""A gram step reads a quarter of the rows a trigram step indexes: a row costs about four times
as much here (~370 grams to file), and a step must hold the cache's lock about as briefly."""

_WIDE = "\U00010000"
"""The first character UTF-8 writes in four bytes: from here on a character is its own gram."""

LONGEST = 3
"""The longest byte sequence kept as a gram (besides four-byte characters)."""

_BIT = tuple(bytes((value >> bit) & 1 for value in range(256)) for bit in range(8))
"""``bytes.translate`` tables: a byte of 8 key bits -> its bit ``i`` (bit 0 is the lowest key)."""


def exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None


def _next_key(conn: sqlite3.Connection) -> int | None:
    """``None``: not started (or built with another chunk size); ``-1``: complete; else the first
    row key not built yet."""
    if not exists(conn):
        return None
    found = conn.execute("SELECT value FROM cache_meta WHERE key = ?", (_PROGRESS,)).fetchone()
    size, _, key = (found[0] if found else "").partition(":")
    return int(key) if size == str(CHUNK_KEYS) else None


def _set_next_key(conn: sqlite3.Connection, key: int) -> None:
    conn.execute("INSERT OR REPLACE INTO cache_meta(key, value) VALUES (?, ?)", (_PROGRESS, f"{CHUNK_KEYS}:{key}"))


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


def _build_part(conn: sqlite3.Connection, low: int, high: int) -> None:
    """File the grams of the rows with keys ``low <= k < high`` (all in one chunk), adding their
    bits to those the chunk's earlier parts filed.

    Per row, only C-level set operations and ``map``s (~30 µs a row under load; a Python loop
    over each text's bytes took ten times that).
    """
    chunk, first = divmod(low, CHUNK_KEYS)
    bytes_in: defaultdict[int, array[int]] = defaultdict(_offsets)
    pairs_in: defaultdict[int, array[int]] = defaultdict(_offsets)
    triples_in: defaultdict[int, array[int]] = defaultdict(_offsets)
    wide_in: defaultdict[str, array[int]] = defaultdict(_offsets)
    rows = conn.execute("SELECT k, search FROM threads WHERE k >= ? AND k < ?", (low, high))
    for key, text in rows:
        data = text.encode("utf-8")
        offset = repeat(key - low + first)
        deque(map(array.append, map(bytes_in.__getitem__, set(data)), offset), maxlen=0)
        deque(map(array.append, map(pairs_in.__getitem__, _pair_codes(data)), offset), maxlen=0)
        deque(map(array.append, map(triples_in.__getitem__, _triple_codes(data)), offset), maxlen=0)
        if not text.isascii():
            for char in set(text):
                if char >= _WIDE:
                    wide_in[char].append(key - low + first)
    grams: list[tuple[bytes, array[int]]] = [(bytes((value,)), offsets) for value, offsets in bytes_in.items()]
    grams.extend((code.to_bytes(2, _NATIVE), offsets) for code, offsets in pairs_in.items())
    grams.extend((code.to_bytes(3, _NATIVE), offsets) for code, offsets in triples_in.items())
    grams.extend((char.encode("utf-8"), offsets) for char, offsets in wide_in.items())
    filed: dict[bytes, bytes] = {}
    if first:  # the chunk's earlier parts filed bits already
        filed = dict(conn.execute(f"SELECT gram, bits FROM {TABLE} WHERE chunk = ?", (chunk,)).fetchall())
    conn.executemany(
        f"INSERT OR REPLACE INTO {TABLE}(gram, chunk, bits) VALUES (?, ?, ?)",
        [(gram, chunk, _pack(_bits_of(offsets) | _unpack(filed.get(gram)))) for gram, offsets in grams],
    )


def _offsets() -> array[int]:
    return array("H")


_NATIVE: Literal["little", "big"] = "little" if memoryview(b"\x01\x00").cast("H")[0] == 1 else "big"
"""The byte order ``memoryview.cast`` reads numbers in (``sys.byteorder``, spelled as it is used)."""

_FIRST_THREE = (0xFFFFFF).__and__ if _NATIVE == "little" else (8).__rrshift__
"""A native 32-bit item -> the native number of its first three bytes (as ``int.from_bytes``)."""

_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _bits_of(offsets: array[int]) -> int:
    """The bits of the rows at ``offsets``: for a few, a ``sum`` of ``1 << offset`` (each add
    copies the number so far); for many, in C and linear in the chunk: one byte per row marked,
    spelled as binary digits (highest row first) and read by ``int(_, 2)``."""
    if len(offsets) < 256:
        return sum(map((1).__lshift__, offsets))
    marks = bytearray(CHUNK_KEYS)
    deque(map(marks.__setitem__, offsets, repeat(1)), maxlen=0)
    return int(marks.translate(_DIGITS)[::-1], 2)


def _pack(bits: int) -> bytes:
    return zlib.compress(bits.to_bytes(CHUNK_KEYS // 8, "little"), 1)


def _unpack(blob: bytes | None) -> int:
    return int.from_bytes(zlib.decompress(blob), "little") if blob else 0


def build_step(conn: sqlite3.Connection, rows: int) -> bool:
    """File the grams of the next ``rows // ROWS_PER_TRIGRAM_ROW`` row keys (at most to the end of
    their chunk) inside the caller's transaction; ``True`` once every row is filed."""
    start = _next_key(conn)
    if start is None:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(
            f"CREATE TABLE {TABLE} "
            "(gram BLOB NOT NULL, chunk INTEGER NOT NULL, bits BLOB NOT NULL, PRIMARY KEY (gram, chunk)) WITHOUT ROWID"
        )
        conn.execute(f"CREATE INDEX ix_{TABLE}_chunk ON {TABLE}(chunk)")
        start = 0
    if start == -1:
        return True
    top = conn.execute("SELECT max(k) FROM threads").fetchone()[0] or 0
    chunk_end = (start // CHUNK_KEYS + 1) * CHUNK_KEYS
    stop = min(chunk_end, start + max(1, rows // ROWS_PER_TRIGRAM_ROW))
    _build_part(conn, start, stop)
    done = stop > top
    _set_next_key(conn, -1 if done else stop)
    return done


def refresh(conn: sqlite3.Connection, old_texts: dict[int, str], keys: Iterable[int]) -> None:
    """Follow a write: for each of ``keys`` (upserted or deleted), its bits move from the grams of
    its old text (``old_texts``, absent for a new row) to those of its current one in ``threads``.

    Rows not filed yet are skipped (their build step reads the current texts).
    """
    following = _next_key(conn)
    if following is None:
        return
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
        bits = _unpack(found[0] if found else None)
        for offset, on in marks_of_gram:
            bits = bits | (1 << offset) if on else bits & ~(1 << offset)
        if bits:
            conn.execute(
                f"INSERT OR REPLACE INTO {TABLE}(gram, chunk, bits) VALUES (?, ?, ?)", (gram, chunk, _pack(bits))
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
    """One byte per row key ``0 .. size - 1``: 1 where the row holds every one of ``grams``."""
    chunks = -(-size // CHUNK_KEYS)
    together: list[int] | None = None
    for gram in grams:
        bits = [0] * chunks
        for chunk, blob in conn.execute(f"SELECT chunk, bits FROM {TABLE} WHERE gram = ?", (gram,)):
            if chunk < chunks:
                bits[chunk] = _unpack(blob)
        together = bits if together is None else [a & b for a, b in zip(together, bits, strict=True)]
    assert together is not None
    width = CHUNK_KEYS // 8
    packed = b"".join(bits.to_bytes(width, "little") for bits in together)
    return _spread(packed)[:size]


def _spread(packed: bytes) -> bytes:
    """One byte per bit: byte ``8 * i + j`` is bit ``j`` of ``packed[i]``. Eight ``translate``s,
    each written to every eighth byte (~2-8 ms at a million keys; a ``join`` of one 8-byte piece
    per packed byte took 20-50 ms)."""
    out = bytearray(8 * len(packed))
    for bit, table in enumerate(_BIT):
        out[bit::8] = packed.translate(table)
    return bytes(out)
