"""Figure 7 — what a keypress costs over SSH: bytes written to a 120×40 terminal, beside neomutt.

Over SSH every byte the app writes crosses the network. The app runs in a pty (the bench
launcher: real ``NoxTUI``, cached rows, no network); once its inbox is up, each key's output is
captured until the terminal is quiet again. The judged walk is ``presses × 10`` presses of ``j``
from the top of the list (200 in the full run), with the app as it runs in an SSH session
(``SSH_CONNECTION`` set: ``scroll = "auto"`` pages there): the first screenful moves the cursor,
then each press past the edge shows the next screenful. The same walk scrolling a line at a time
(outside SSH, or ``scroll = "line"``) is reported beside it. neomutt walks the same number of
mails in a Maildir of the same size (the one figure 1 builds, newest first so its cursor starts at
the top, like noxtui's), with
``menu_scroll=yes`` (scrolls a line, the judged column) and ``menu_scroll=no`` (pages, mutt's
default). Page-down and a filter toggle are reported: noxtui's ``n`` (needs reply → answered →
all), neomutt's limit ``l ~s [02468]$`` / ``l all`` (half the mails; the prompt's echo counts).
noxtui is also walked with ``NOXTUI_DIFFED_OUTPUT=0`` (Textual's own output) for the before.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench._constants import COLS, LINES, SCOPE
from bench._data import filled_cache
from bench._pty import PtySession
from bench._table import Figure
from bench.cold_start import write_maildir
from noxtui.storage.cache import ThreadCache

_TOKEN = re.compile(
    rb"\x1b\[(\d*)(?:;(\d*))?([HfdSTr])|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\r?\n|[^\x1b\r\n]+"
)
_SCROLL = re.compile(rb"\x1b\[\d*[ST]")
QUIET = 0.15
"""Seconds of silence that end one key's output (both programs paint well within one 60 Hz frame)."""
MAX_ROWS_PER_MOVE = 4
"""A cursor move may touch the old line, the new line and, at most, a status line and a scrollbar."""
WALK_PER_PRESS = 10
RATIO_TARGET = 1.0
PAGE_DOWN = b"\x1b[6~"
MUTT_LIMIT = (b"l~s [02468]$\r", b"lall\r")


class RowTracker:
    """Screen rows a program's output writes characters to, followed across keys: cursor addressing
    (``ESC[row;colH``, ``ESC[rowH``, ``ESC[rowd``), line feeds, and moves within the row (``\\r``,
    ``ESC[nG``, ``ESC[nC``), which keep it. A key's output can start where the last one ended (the
    app no longer parks its hidden cursor), so the row is carried from key to key; a bare move is
    not a write."""

    def __init__(self) -> None:
        self.row: int | None = None

    def feed(self, output: bytes) -> set[int]:
        rows: set[int] = set()
        row = self.row
        for match in _TOKEN.finditer(output):
            token = match.group(0)
            final = match.group(3)
            if final in (b"H", b"f", b"d"):
                row = int(match.group(1) or 1)
            elif final in (b"S", b"T", b"r"):
                row = None if final == b"r" else row
            elif token.endswith(b"\n"):
                row = row + 1 if row is not None else None
            elif not token.startswith(b"\x1b") and token.strip(b"\r") and row is not None:
                rows.add(row)
        self.row = row
        return rows


def press(session: PtySession, key: bytes) -> bytes:
    """Send ``key``; return everything written from then until the terminal is quiet again."""
    mark = session.mark()
    session.send(key)
    session.wait_output(mark, timeout=5)
    session.wait_quiet(QUIET, timeout=10)
    return session.bytes_since(mark)


@dataclass
class Walk:
    """Bytes per key of one program."""

    j: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    toggles: list[int] = field(default_factory=list)
    moves: list[tuple[int, int]] = field(default_factory=list)
    """(bytes, rows written) of presses that only moved the cursor (noxtui, first screenful)."""
    scrolls: list[int] = field(default_factory=list)

    @property
    def per_j(self) -> float:
        return sum(self.j) / len(self.j) if self.j else float("nan")


SSH_SESSION = {"SSH_CONNECTION": "192.0.2.10 52814 192.0.2.1 22", "SSH_TTY": "/dev/pts/7"}
"""What sshd sets in a session: the app's ``scroll = "auto"`` pages there, as it would for a rep."""
LOCAL_SESSION = {"SSH_CONNECTION": "", "SSH_CLIENT": "", "SSH_TTY": ""}


def walk_noxtui(cache_path: Path, repo: Path, presses: int, diffed: bool = True, ssh: bool = True) -> Walk:
    session = PtySession(
        [sys.executable, "-m", "bench._app_from_cache", str(cache_path)],
        cols=COLS,
        rows=LINES,
        cwd=str(repo),
        env={"NOXTUI_DIFFED_OUTPUT": "1" if diffed else "0", **(SSH_SESSION if ssh else LOCAL_SESSION)},
    )
    found = Walk()
    rows = RowTracker()
    try:
        session.wait_for(b"Edit reply", timeout=120)  # the inbox's footer: the start-up screen is gone
        session.wait_quiet(0.6, timeout=30)
        rows.feed(session.bytes_since(0))
        for _ in range(presses * WALK_PER_PRESS):
            out = press(session, b"j")
            found.j.append(len(out))
            touched = len(rows.feed(out))
            if touched > MAX_ROWS_PER_MOVE or _SCROLL.search(out):
                found.scrolls.append(len(out))
            else:
                found.moves.append((len(out), touched))
        if diffed:
            found.pages = [len(press(session, PAGE_DOWN)) for _ in range(max(3, presses // 2))]
            found.toggles = [len(press(session, b"n")) for _ in range(max(3, presses // 2))]
    finally:
        session.close()
    return found


def walk_neomutt(maildir: Path, presses: int, menu_scroll: bool, first: bytes) -> Walk:
    settings = f"set folder={maildir.parent} sort=reverse-date-sent menu_scroll={'yes' if menu_scroll else 'no'}"
    session = PtySession(
        ["neomutt", "-n", "-F", "/dev/null", "-e", settings, "-f", str(maildir)],
        cols=COLS,
        rows=LINES,
        env={"HOME": str(maildir.parent)},
    )
    found = Walk()
    try:
        session.wait_for(first, timeout=120)
        session.wait_quiet(0.6, timeout=30)
        found.j = [len(press(session, b"j")) for _ in range(presses * WALK_PER_PRESS)]
        found.pages = [len(press(session, PAGE_DOWN)) for _ in range(max(3, presses // 2))]
        for n in range(max(3, presses // 2)):
            found.toggles.append(len(press(session, MUTT_LIMIT[n % 2])))
    finally:
        session.close(quit_keys=b"qy")
    return found


def listed_texts(cache_path: Path, threads: int) -> list[tuple[str, str]]:
    """(creator, snippet) of the cached threads in list order: neomutt's mails carry the same
    names and texts as noxtui's rows, so both walk the same lines."""
    cache = ThreadCache(cache_path)
    try:
        rows = cache.rows(SCOPE)
        return [(row.creator_name, row.snippet) for row in (rows[i] for i in range(min(threads, len(rows))))]
    finally:
        cache.close()


def run(workdir: Path, threads: int, presses: int, repo: Path) -> list[Figure]:
    cache_path = filled_cache(workdir, threads)
    size = f"{COLS}×{LINES}, {threads:,} rows"
    walked = presses * WALK_PER_PRESS
    nox = walk_noxtui(cache_path, repo, presses)
    by_line = walk_noxtui(cache_path, repo, presses, ssh=False)
    textual = walk_noxtui(cache_path, repo, min(presses, 5), diffed=False, ssh=False)
    mutt_path = shutil.which("neomutt")
    mutt: dict[bool, Walk] = {}
    if mutt_path:
        with tempfile.TemporaryDirectory(prefix="bench-maildir-", dir=workdir) as tmp:
            maildir = Path(tmp) / "Maildir"
            texts = listed_texts(cache_path, threads)
            write_maildir(maildir, threads, texts)
            first = texts[0][0][:6].encode()
            mutt = {scroll: walk_neomutt(maildir, presses, scroll, first) for scroll in (True, False)}
    move_bytes = [float(b) for b, _ in nox.moves]
    move_rows = [float(r) for _, r in nox.moves]
    figures = [
        Figure(
            "7. bytes per j, walk down the list (noxtui over SSH: pages)",
            f"{walked} presses, {size}",
            [float(b) for b in nox.j],
            unit="B",
            note=(
                f"mean {nox.per_j:.0f} B per j in an SSH session (scroll = \"auto\" pages there); "
                f"scrolling a line (outside SSH, or scroll = \"line\") {by_line.per_j:.0f} B per j; "
                f"Textual's own output (NOXTUI_DIFFED_OUTPUT=0, by line) {textual.per_j:.0f} B per j "
                f"over its first {len(textual.j)} presses"
            ),
        ),
        Figure("7. bytes per j, walk down the list (noxtui by line)", f"{walked} presses, {size}",
               [float(b) for b in by_line.j], unit="B", note=f"mean {by_line.per_j:.0f} B per j"),
        Figure(
            "7. bytes per j/k, cursor move",
            size,
            move_bytes,
            unit="B",
            note=f"rows written per key median {statistics.median(move_rows or [0]):.0f}",
        ),
        Figure("7. rows rewritten per cursor move", f"{COLS}×{LINES}", move_rows, unit="rows",
               target=MAX_ROWS_PER_MOVE + 1, judge="max"),
        Figure("7. bytes per j, list scrolls a line", size, [float(b) for b in by_line.scrolls], unit="B",
               note="scroll regions (DECSTBM + SU) move the rows; the rows beside reading-pane text are rewritten"),
        Figure("7. bytes per j, list shows the next page", size, [float(b) for b in nox.scrolls], unit="B",
               note="over SSH: one press in a screenful rewrites the list's rows"),
        Figure("7. bytes per page-down (noxtui)", size, [float(b) for b in nox.pages], unit="B"),
        Figure("7. bytes per filter toggle n (noxtui)", size, [float(b) for b in nox.toggles], unit="B"),
    ]  # fmt: skip
    if not mutt:
        hint = "neomutt not on PATH: skipped (to compare: apt-get install neomutt; nothing is installed by the bench)"
        figures.append(Figure("7. bytes per j (neomutt)", size, skipped=True, note=hint))
        return figures
    line, page = mutt[True], mutt[False]
    figures += [
        Figure(
            "7. bytes per j, walk (neomutt, menu_scroll=yes)", f"{walked} presses, {threads:,} mails",
            [float(b) for b in line.j], unit="B",
            note=f"mean {line.per_j:.0f} B per j; menu_scroll=no (pages): mean {page.per_j:.0f} B per j",
        ),
        Figure("7. bytes per page-down (neomutt)", f"{threads:,} mails", [float(b) for b in line.pages], unit="B"),
        Figure(
            "7. bytes per limit toggle (neomutt)", f"{threads:,} mails", [float(b) for b in line.toggles], unit="B",
            note="l ~s [02468]$ ⏎ / l all ⏎, prompt echo included",
        ),
        Figure(
            "7. ratio bytes per j noxtui / neomutt", f"{walked} presses", [nox.per_j / line.per_j], unit="×",
            target=RATIO_TARGET, note=f"means over the walk, noxtui as over SSH (pages) against menu_scroll=yes; "
            f"against menu_scroll=no {nox.per_j / page.per_j:.2f}×; noxtui by line against menu_scroll=yes "
            f"{by_line.per_j / line.per_j:.2f}×",
        ),
    ]  # fmt: skip
    return figures
