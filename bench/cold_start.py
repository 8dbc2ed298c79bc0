"""Figure 1 — cold start: process start → the first thread list painted on a real terminal.

The app runs in a pty (120×40) with a filled cache and a provider that never answers; the clock
stops when the first thread's creator name reaches the terminal. Everything is counted: the
interpreter, every import, the cache query, the first frame. Then ``n`` is sent at once and the
clock stops again when the filter bar says "needs reply". neomutt opening a Maildir of the same
size, without and with its header cache, is the yardstick when it is installed (nothing is
installed here); each noxtui start is paired with one neomutt start of each kind, back to back.

The app paints a frame before Textual is imported and Textual then takes the screen over; the
check row counts the bytes between the two that would clear the screen (none allowed).
"""

from __future__ import annotations

import os
import shutil
import site
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

from bench._app_from_cache import paint_note
from bench._constants import COLS, LINES, SCOPE
from bench._data import filled_cache
from bench._pty import PtySession
from bench._table import Figure
from noxtui.storage.cache import ThreadCache

RATIO_TARGET = 1.0
"""noxtui no slower than neomutt (the table reads ``< 1``; equal is a tie we do not count on)."""

NEOMUTT_HINT = "neomutt not on PATH: skipped (to compare: apt-get install neomutt; nothing is installed by the bench)"


def first_name(cache_path: Path) -> bytes:
    """What to look for on screen: the start of the first row's creator name (never cropped)."""
    cache = ThreadCache(cache_path)
    try:
        rows = cache.rows(SCOPE)  # a window over the open cache: read before closing it
        if not rows:
            raise RuntimeError("the bench cache is empty")
        return rows[0].creator_name[:10].encode("utf-8")
    finally:
        cache.close()


CLEARS = (b"\x1b[2J", b"\x1b[3J", b"\x1b[J", b"\x1b[0J", b"\x1b[1J", b"\x1bc", b"\x1b[?47h", b"\x1b[?1047h")
"""What would blank the screen between the early frame and Textual's (besides a second ``ESC[?1049h``)."""
ALT_SCREEN = b"\x1b[?1049h"
TEXTUAL_STARTED = b"\x1b[?1000h"
"""Textual's driver turning mouse reporting on: the first thing it writes when it takes over."""
INBOX_SHOWN = b"Select a thread"
"""The inbox's reading pane (not the start-up screen's): Textual has painted at least twice."""


def clears_in(stream: bytes) -> int:
    """Screen clears in ``stream``: any of ``CLEARS``, and every alternate-screen switch but the first."""
    return sum(stream.count(sequence) for sequence in CLEARS) + max(stream.count(ALT_SCREEN) - 1, 0)


FILTER_KEY = b"n"
FILTER_SHOWN = b"needs reply"
"""Pressed the moment the list is painted: ``n`` acts on whatever frame is up (the early frame, the
start-up screen or the inbox), from the cache; the filter bar saying "needs reply" is the clock's
stop. (j/k act from the first frame too: ``tests/prepaint`` and ``tests/tui/test_startup.py``.)"""


def child_env(workdir: Path) -> dict[str, str]:
    """Bytecode written and reused, as on a rep's machine after the first start.

    The bench machine may set ``PYTHONDONTWRITEBYTECODE`` (this one does), which would recompile
    every module of the app on every start. ``PYTHONPYCACHEPREFIX`` keeps the bytecode in the
    bench's work directory, so nothing is written into the source tree or site-packages.
    """
    return {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(workdir / "pycache")}


@dataclass
class AppStart:
    first_byte: float
    painted: float
    filtered: float
    """Seconds from spawning the app until it wrote its first byte, until the first thread's name
    was on the terminal, and until ``n`` pressed at that moment had filtered the list."""
    textual: float
    """Seconds until Textual's driver took the terminal over."""
    clears: int
    """Screen clears written from the first byte until the inbox was painted (must be 0)."""


def time_app(cache_path: Path, needle: bytes, repo: Path, workdir: Path) -> AppStart:
    session = PtySession(
        [sys.executable, "-m", "bench._app_from_cache", str(cache_path)],
        cols=COLS,
        rows=LINES,
        cwd=str(repo),
        env=child_env(workdir),
    )
    try:
        painted = session.wait_for(needle, timeout=120)
        mark = session.mark()
        session.send(FILTER_KEY)
        filtered = session.wait_for_after(mark, FILTER_SHOWN, timeout=120)
        textual = session.wait_for(TEXTUAL_STARTED, timeout=120)
        session.wait_for(INBOX_SHOWN, timeout=120)
        clears = clears_in(session.output)
        return AppStart(session.first_output() or painted, painted, filtered, textual, clears)
    finally:
        session.close()


def write_maildir(root: Path, messages: int, texts: Sequence[tuple[str, str]] = ()) -> bytes:
    """A Maildir of ``messages`` small mails, one a minute; returns the newest subject.

    Sorted by date, neomutt opens with the cursor on the newest mail (the last), so that subject
    is on its first screen, just as the newest thread is on noxtui's. ``texts``: (sender's name,
    subject) for the newest mails first, so that neomutt lists what noxtui lists (figure 7: a
    screenful of near-identical generated lines costs a terminal far fewer bytes than real ones).
    """
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    subject = b""
    for n in range(messages):
        rank = messages - 1 - n  # 0: the newest
        sender, title = texts[rank] if rank < len(texts) else (f"creator{n}", f"Collab idea {n:06d}")
        subject = title.encode()
        sent = format_datetime(start + timedelta(minutes=n))
        body = (
            f"From: {Header(sender, 'utf-8').encode()} <creator{n}@example.com>\nTo: outreach@brand.example\n"
            f"Subject: {Header(title, 'utf-8').encode()}\nDate: {sent}\nMessage-ID: <{n}@bench>\n\n"
            "Hi! Thanks for reaching out, here is my rate card.\n"
        )
        (root / "cur" / f"{1700000000 + n}.{n}.bench:2,S").write_text(body)
    return subject


EDITABLE_HINT = (
    "this interpreter has an editable install of noxtui (pip install -e): its import hook adds ~14 ms "
    "to every start; measure from a `pip install .` environment for the figure a rep gets"
)


def editable_install() -> bool:
    """Whether ``site`` loads an editable-install finder on every start of this interpreter."""
    return any(any(Path(folder).glob("__editable__*noxtui*")) for folder in site.getsitepackages())


def time_neomutt(maildir: Path, needle: bytes, header_cache: Path | None = None) -> float:
    """Seconds from spawning neomutt until the newest subject was on the terminal; with
    ``header_cache`` (a folder), neomutt reads the headers it parsed last time from there."""
    # ``folder`` points at the Maildir's parent: otherwise neomutt first asks to create ~/Mail.
    settings = f"set folder={maildir.parent} sort=date-sent"
    if header_cache is not None:
        settings += f" header_cache={header_cache}/"
    session = PtySession(
        ["neomutt", "-n", "-F", "/dev/null", "-e", settings, "-f", str(maildir)],
        cols=COLS,
        rows=LINES,
        env={"HOME": str(maildir.parent)},
    )
    try:
        return session.wait_for(needle, timeout=120)
    finally:
        session.close(quit_keys=b"qy")


def run(workdir: Path, threads: int, runs: int, repo: Path) -> list[Figure]:
    """Every program warmed once (bytecode, page cache, neomutt's header cache filled), then timed
    in turns so load hits all of them alike."""
    cache_path = filled_cache(workdir, threads)
    needle = first_name(cache_path)
    mutt = shutil.which("neomutt")
    with tempfile.TemporaryDirectory(prefix="bench-maildir-", dir=workdir) as tmp:
        maildir = Path(tmp) / "Maildir"
        hcache = Path(tmp) / "hcache"
        hcache.mkdir()
        subject = write_maildir(maildir, threads) if mutt else b""
        time_app(cache_path, needle, repo, workdir)
        if mutt:
            time_neomutt(maildir, subject)
            time_neomutt(maildir, subject, hcache)
        starts: list[AppStart] = []
        plain: list[float] = []
        cached: list[float] = []
        for _ in range(runs):
            starts.append(time_app(cache_path, needle, repo, workdir))
            if mutt:
                plain.append(time_neomutt(maildir, subject) * 1000)
                cached.append(time_neomutt(maildir, subject, hcache) * 1000)
    first_byte = statistics.median(start.first_byte for start in starts)
    textual = statistics.median(start.textual for start in starts)
    note = (
        f"{paint_note()}; first byte from the app after {first_byte * 1000:.0f} ms, Textual took over at "
        f"{textual * 1000:.0f} ms (medians); {runs} runs after one warm-up, bytecode cached"
    )
    if editable_install():
        note += f"; {EDITABLE_HINT}"
    painted = [start.painted * 1000 for start in starts]
    filtered = [start.filtered * 1000 for start in starts]
    size = f"{threads:,} cached"
    figures = [
        Figure("1. cold start → first paint (noxtui)", size, painted, note=note),
        Figure(
            "1. cold start → n filtered the list (noxtui)", size, filtered,
            note=f"`{FILTER_KEY.decode()}` sent the moment the list was painted; clock stops when the filter bar says "
            f"{FILTER_SHOWN.decode()!r} (answered from the cache by whichever frame is up)",
        ),
        Figure(
            "1. no screen clear between the early frame and Textual's", "120×40",
            [float(start.clears) for start in starts], unit="clears", target=0.5, judge="max",
            note="clear sequences (ESC[2J, ESC[J, a second ESC[?1049h, …) written from the first byte until the "
            "inbox was painted, per run",
        ),
    ]  # fmt: skip
    if not mutt:
        figures.append(
            Figure("1. cold start (neomutt, Maildir)", f"{threads:,} mails", skipped=True, note=NEOMUTT_HINT)
        )
        return figures
    mails = f"{threads:,} mails"
    figures += [
        Figure("1. cold start (neomutt, Maildir, no header cache)", mails, plain),
        Figure(
            "1. cold start (neomutt, Maildir, header cache)", mails, cached,
            note="set header_cache=<dir>, filled by the warm-up",
        ),
        Figure(
            "1. ratio first paint / neomutt with header cache", f"{threads:,}",
            [app / other for app, other in zip(painted, cached, strict=True)], unit="×", target=RATIO_TARGET,
            note="run by run (each pair back to back)",
        ),
        Figure(
            "1. ratio n filtered / neomutt without header cache", f"{threads:,}",
            [app / other for app, other in zip(filtered, plain, strict=True)], unit="×", target=RATIO_TARGET,
            note="run by run (each pair back to back)",
        ),
    ]  # fmt: skip
    return figures


if __name__ == "__main__":  # pragma: no cover - manual use
    for fig in run(Path(os.environ.get("BENCH_WORKDIR", "/tmp/noxtui-bench")), 10_000, 5, Path.cwd()):
        print(fig)
