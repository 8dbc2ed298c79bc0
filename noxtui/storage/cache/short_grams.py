"""Keywords of one or two characters in a large cache: which rows hold each short byte sequence.

Why: the trigram index (``search_index.py``) cannot answer fewer than three characters, and a
scan of the ``search`` column reads every text (2 s at a million threads, 15 s under load). A
keyword of one or two characters is one of few short byte sequences of the texts' UTF-8, so the
file keeps, for each such *gram*, a bitmap over row keys:

* every single byte and every pair of adjacent bytes (an ASCII character or pair, a two-byte
  character such as "é");
* every whole character of three or four bytes ("’", "コ", an emoji).

A one-character keyword is then exactly one gram, and so is a two-character ASCII one: the
answer is one gram's bitmap, read as ~120 small blobs at a million rows (a few ms). A
two-character keyword with a wider character ANDs its grams into candidates and tests only their
texts. Exactness: a bit is set if and only if the row's text, as UTF-8, contains the gram; since
UTF-8 is self-synchronising that is the ``instr`` / ``in`` answer every other path gives.

Layout: ``(gram, chunk) -> bits``, ``CHUNK_KEYS`` keys a chunk, the bits zlib-compressed (sparse
grams take a few bytes). Built in steps after the trigram index, a chunk of keys at a time (about
half a minute at a million); kept in step by every write through ``refresh``, which compares each
written row's old text (kept by the trigram index) with its new one.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections import defaultdict, deque
from collections.abc import Iterable
from itertools import repeat
from typing import Literal

TABLE = "short_grams"
CHUNK_KEYS = 8192
"""Row keys per stored bitmap: 1 KB of bits before compression, ~123 blobs a gram at a million."""

_PROGRESS = "short_grams"
"""``cache_meta`` key: ``"<CHUNK_KEYS>:<next chunk to build>"``, the chunk ``-1`` once all are built.
A file built with another chunk size is built again from scratch."""

_WIDE = "\u0800"
"""The first character UTF-8 writes in three bytes: from here on a character is its own gram."""

_SPREAD = tuple(bytes((value >> bit) & 1 for bit in range(8)) for value in range(256))
"""A byte of 8 key bits -> 8 bytes of 0/1, one per key (bit 0 is the lowest key)."""


def exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone() is not None


def _next_chunk(conn: sqlite3.Connection) -> int | None:
    """``None``: not started (or built with another chunk size); ``-1``: complete; else the first
    chunk not built yet."""
    if not exists(conn):
        return None
    found = conn.execute("SELECT value FROM cache_meta WHERE key = ?", (_PROGRESS,)).fetchone()
    size, _, chunk = (found[0] if found else "").partition(":")
    return int(chunk) if size == str(CHUNK_KEYS) else None


def _set_next_chunk(conn: sqlite3.Connection, chunk: int) -> None:
    conn.execute("INSERT OR REPLACE INTO cache_meta(key, value) VALUES (?, ?)", (_PROGRESS, f"{CHUNK_KEYS}:{chunk}"))


def complete(conn: sqlite3.Connection) -> bool:
    return _next_chunk(conn) == -1


def grams_of(text: str) -> set[bytes]:
    """Every gram of one search text (see the module's docstring)."""
    data = text.encode("utf-8")
    found = {bytes((value,)) for value in set(data)}
    found.update(data[i : i + 2] for i in range(len(data) - 1))
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


def _build_chunk(conn: sqlite3.Connection, chunk: int) -> None:
    """(Re)write every gram's bitmap for one chunk of keys from the texts in ``threads``.

    Per row, only C-level set operations and ``map``s: ~15 µs a row, where a Python loop over
    each text's bytes took ten times that.
    """
    low = chunk * CHUNK_KEYS
    bytes_in: defaultdict[int, list[int]] = defaultdict(list)
    pairs_in: defaultdict[int, list[int]] = defaultdict(list)
    wide_in: defaultdict[str, list[int]] = defaultdict(list)
    rows = conn.execute("SELECT k, search FROM threads WHERE k >= ? AND k < ?", (low, low + CHUNK_KEYS))
    for key, text in rows:
        data = text.encode("utf-8")
        offset = key - low
        deque(map(list.append, map(bytes_in.__getitem__, set(data)), repeat(offset)), maxlen=0)
        deque(map(list.append, map(pairs_in.__getitem__, _pair_codes(data)), repeat(offset)), maxlen=0)
        if not text.isascii():
            for char in set(text):
                if char >= _WIDE:
                    wide_in[char].append(offset)
    grams: list[tuple[bytes, list[int]]] = [(bytes((value,)), offsets) for value, offsets in bytes_in.items()]
    grams.extend((code.to_bytes(2, _NATIVE), offsets) for code, offsets in pairs_in.items())
    grams.extend((char.encode("utf-8"), offsets) for char, offsets in wide_in.items())
    conn.execute(f"DELETE FROM {TABLE} WHERE chunk = ?", (chunk,))
    conn.executemany(
        f"INSERT INTO {TABLE}(gram, chunk, bits) VALUES (?, ?, ?)",
        [(gram, chunk, _pack(sum(map((1).__lshift__, offsets)))) for gram, offsets in grams],
    )


_NATIVE: Literal["little", "big"] = "little" if memoryview(b"\x01\x00").cast("H")[0] == 1 else "big"
"""The byte order ``memoryview.cast("H")`` reads pairs in (``sys.byteorder``, spelled as it is used)."""


def _pack(bits: int) -> bytes:
    return zlib.compress(bits.to_bytes(CHUNK_KEYS // 8, "little"), 1)


def _unpack(blob: bytes) -> int:
    return int.from_bytes(zlib.decompress(blob), "little")


def build_step(conn: sqlite3.Connection, rows: int) -> bool:
    """Build the next chunks, about ``rows`` keys' worth (at least one chunk), inside the caller's
    transaction; ``True`` once every chunk is built."""
    start = _next_chunk(conn)
    if start is None:
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(
            f"CREATE TABLE {TABLE} "
            "(gram BLOB NOT NULL, chunk INTEGER NOT NULL, bits BLOB NOT NULL, PRIMARY KEY (gram, chunk)) WITHOUT ROWID"
        )
        conn.execute(f"CREATE INDEX ix_{TABLE}_chunk ON {TABLE}(chunk)")
        _set_next_chunk(conn, 0)
        start = 0
    if start == -1:
        return True
    top = conn.execute("SELECT max(k) FROM threads").fetchone()[0] or 0
    last = top // CHUNK_KEYS
    stop = min(last + 1, start + max(1, rows // CHUNK_KEYS))
    for chunk in range(start, stop):
        _build_chunk(conn, chunk)
    done = stop > last
    _set_next_chunk(conn, -1 if done else stop)
    return done


def refresh(conn: sqlite3.Connection, old_texts: dict[int, str], keys: Iterable[int]) -> None:
    """Follow a write: for each of ``keys`` (upserted or deleted), its bits move from the grams of
    its old text (``old_texts``, absent for a new row) to those of its current one in ``threads``.

    Chunks not built yet are skipped (their build reads the current texts).
    """
    following = _next_chunk(conn)
    if following is None:
        return
    wanted = [key for key in keys if following == -1 or key // CHUNK_KEYS < following]
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
        bits = _unpack(found[0]) if found else 0
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

    One character, or two one-byte characters, is one gram: exact. Two characters of which one is
    wider are their two grams plus the byte pair where they meet: candidates to test.
    """
    data = keyword.encode("utf-8")
    if len(keyword) == 1 or len(data) <= 2:
        return [data], True
    first, second = (char.encode("utf-8") for char in keyword)
    return [first, second, first[-1:] + second[:1]], False


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
    return b"".join(map(_SPREAD.__getitem__, packed))[:size]
