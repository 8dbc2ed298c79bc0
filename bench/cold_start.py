"""Figure 1 — cold start: process start → the first thread list painted on a real terminal.

The app runs in a pty (120×40) with a filled cache and a provider that never answers; the clock
stops when the first thread's creator name reaches the terminal. Everything is counted: the
interpreter, every import, the cache query, the first frame. neomutt opening a Maildir of the same
size is the yardstick (DESIGN.md: 0.39 s at 10,000) when it is installed; nothing is installed here.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from noxtui.cache import ThreadCache

from bench._app_from_cache import paint_note
from bench._constants import COLS, LINES, SCOPE
from bench._data import filled_cache
from bench._pty import PtySession
from bench._table import Figure

NEOMUTT_HINT = "neomutt not on PATH: skipped (to compare: apt-get install neomutt; nothing is installed by the bench)"


def first_name(cache_path: Path) -> bytes:
    """What to look for on screen: the start of the first row's creator name (never cropped)."""
    cache = ThreadCache(cache_path)
    try:
        rows = cache.rows(SCOPE)
    finally:
        cache.close()
    if not rows:
        raise RuntimeError("the bench cache is empty")
    return rows[0].creator_name[:10].encode("utf-8")


def time_app(cache_path: Path, needle: bytes, repo: Path) -> tuple[float, float]:
    """Seconds from spawning the app to its first byte (imports and set-up done, Textual starting)
    and to the first thread name on the terminal."""
    session = PtySession(
        [sys.executable, "-m", "bench._app_from_cache", str(cache_path)], cols=COLS, rows=LINES, cwd=str(repo)
    )
    try:
        painted = session.wait_for(needle, timeout=120)
        return session.first_output() or painted, painted
    finally:
        session.close()


def write_maildir(root: Path, messages: int) -> bytes:
    """A Maildir of ``messages`` small mails; returns the newest subject (what neomutt shows first)."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    subject = b""
    for n in range(messages):
        subject = f"Collab idea {n:06d}".encode()
        body = (
            f"From: creator{n}@example.com\nTo: outreach@brand.example\nSubject: Collab idea {n:06d}\n"
            f"Date: Thu, 19 Nov 2026 {n % 24:02d}:{n % 60:02d}:00 +0000\nMessage-ID: <{n}@bench>\n\n"
            "Hi! Thanks for reaching out, here is my rate card.\n"
        )
        (root / "cur" / f"{1700000000 + n}.{n}.bench:2,S").write_text(body)
    return subject


def time_neomutt(maildir: Path, needle: bytes) -> float:
    session = PtySession(
        ["neomutt", "-n", "-F", "/dev/null", "-e", "set sort=date-sent", "-f", str(maildir)],
        cols=COLS,
        rows=LINES,
        env={"HOME": str(maildir.parent)},
    )
    try:
        return session.wait_for(needle, timeout=120)
    finally:
        session.close(quit_keys=b"qy")


def run(workdir: Path, threads: int, runs: int, repo: Path) -> list[Figure]:
    cache_path = filled_cache(workdir, threads)
    needle = first_name(cache_path)
    timings = [time_app(cache_path, needle, repo) for _ in range(runs)]
    samples = [painted for _, painted in timings]
    first_byte = statistics.median(first for first, _ in timings)
    note = f"{paint_note()}; first byte from the app after {first_byte * 1000:.0f} ms (median)"
    figures = [
        Figure(
            "1. cold start → first paint (noxtui)",
            f"{threads:,} cached",
            [s * 1000 for s in samples],
            note=f"{note}; {runs} runs",
        )
    ]
    if shutil.which("neomutt"):
        with tempfile.TemporaryDirectory(prefix="bench-maildir-", dir=workdir) as tmp:
            maildir = Path(tmp) / "Maildir"
            subject = write_maildir(maildir, threads)
            mutt = [time_neomutt(maildir, subject) for _ in range(runs)]
        figures.append(Figure("1. cold start (neomutt, Maildir)", f"{threads:,} mails", [s * 1000 for s in mutt]))
    else:
        figures.append(Figure("1. cold start (neomutt, Maildir)", f"{threads:,} mails", skipped=True, note=NEOMUTT_HINT))
    return figures


if __name__ == "__main__":  # pragma: no cover - manual use
    for fig in run(Path(os.environ.get("BENCH_WORKDIR", "/tmp/noxtui-bench")), 10_000, 5, Path.cwd()):
        print(fig)
