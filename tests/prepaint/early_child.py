"""Child process for ``test_early_frame``: the early frame on a real pty, nothing else.

``python -m tests.prepaint.early_child HOME BASE_URL LABEL REPORT``: paints the early frame from
HOME's cache, waits until a key has filtered it, then hands over (``finish``) and writes what it
saw to REPORT as JSON: which heavy modules were loaded by then, the state handed over, and the
bytes kept for Textual.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

from noxtui.paths import Paths
from noxtui.prepaint import begin
from noxtui.startup import Prepared, Startup

HEAVY = ("textual", "pydantic", "httpx", "rich")


def main() -> None:
    home, base_url, label, report = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
    paths = Paths(home / "config", home / "data", home / "cache", home / "state")

    def never() -> Prepared:
        raise AssertionError("not called")

    startup = Startup(paths, label, never, provider_name="nox", base_url=base_url, keymap={"list.cursor-down": "J"})
    session = begin(startup, now=lambda: datetime(2026, 11, 29, tzinfo=timezone.utc))
    heavy = sorted(name for name in sys.modules if name.split(".")[0] in HEAVY)
    if session is None:
        report.write_text(json.dumps({"began": False, "heavy": heavy}))
        return
    ticker = threading.Event()
    while session.state.needs_reply == "any" or session.pending == b"":
        ticker.wait(0.01)
    early = session.finish()
    report.write_text(
        json.dumps(
            {
                "began": True,
                "heavy": heavy,
                "needs_reply": early.filter.needs_reply,
                "cursor": early.cursor,
                "rows": [row.thread_id for row in early.rows[:3]],
                "pending": early.pending.decode(),
            }
        )
    )
    session.abandon()


if __name__ == "__main__":
    main()
