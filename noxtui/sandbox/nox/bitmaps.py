"""Sets of list positions as Python integers: bit ``r`` set means "the thread at rank ``r``".

Why integers: CPython's ``&``, ``|`` and ``int.bit_count`` run in C over the whole set, so
intersecting two sets of a million threads and counting the result costs tens of microseconds —
what lets ``list_index.py`` answer any mix of filters, and its exact total, without visiting rows.
Building one from positions and reading positions back are the only per-element loops, and they
go through ``bytes``/``str`` conversions that CPython also does in C.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

_ONE = re.compile("1")
# Reading a window of a set walks it this many bits at a time, counting whole pieces it skips.
_PIECE_BYTES = 2048
# … and the piece that holds the window, this many at a time.
_SUB_PIECE_BYTES = 32


def from_positions(positions: Iterable[int]) -> int:
    """The set of ``positions`` (each ``>= 0``).

    Only the span between the lowest and the highest position is written out, so a set of
    neighbours (threads updated in the same hour sit close together in the list) costs its span,
    not the whole list.
    """
    listed = positions if isinstance(positions, list) else list(positions)
    if not listed:
        return 0
    low, high = min(listed), max(listed)
    digits = bytearray(b"0") * (high - low + 1)
    for position in listed:
        digits[high - position] = 0x31  # "1"; the last digit is bit ``low``
    return int(digits, 2) << low


def from_codes(codes: bytes, wanted: Container[int]) -> int:
    """The positions whose byte in ``codes`` (one per position) is ``wanted``: one C-speed translate."""
    table = bytes(0x31 if byte in wanted else 0x30 for byte in range(256))
    digits = bytearray(codes.translate(table))
    digits.reverse()
    return int(digits, 2) if digits else 0


def positions(bits: int) -> list[int]:
    """Every position in the set, ascending."""
    return [m.start() for m in _ONE.finditer(bin(bits)[:1:-1])]


def window(bits: int, skip: int, count: int) -> list[int]:
    """The positions of the set's members number ``skip`` … ``skip + count - 1``, ascending.

    Whole pieces before the window are skipped by their bit count, so a deep window costs about
    as much as the first one; inside the piece that holds the window, sub-pieces are skipped the
    same way, so only a few hundred bits are ever listed (listing a whole dense piece, 16,384
    bits, cost ~30 µs for each thread of a 100-thread page).
    """
    if count <= 0 or bits <= 0:
        return []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    out: list[int] = []
    for start in range(0, len(data), _PIECE_BYTES):
        piece = data[start : start + _PIECE_BYTES]
        members = int.from_bytes(piece, "little").bit_count()
        if skip >= members:
            skip -= members
            continue
        for sub_start in range(0, len(piece), _SUB_PIECE_BYTES):
            sub_piece = int.from_bytes(piece[sub_start : sub_start + _SUB_PIECE_BYTES], "little")
            members = sub_piece.bit_count()
            if skip >= members:
                skip -= members
                continue
            base = (start + sub_start) * 8
            out.extend(base + position for position in positions(sub_piece)[skip : skip + count - len(out)])
            skip = 0
            if len(out) == count:
                return out
    return out
