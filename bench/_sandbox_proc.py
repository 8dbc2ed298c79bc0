"""Bench-only: serve a seeded sandbox database from its own process until stdin closes.

The sync figure runs the server apart from the client so that the two do not share one GIL —
in production they are different machines; in one process every server millisecond would be
billed to the client.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench._constants import NOW
from noxtui.sandbox import DEFAULT_TOKEN, SandboxServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    args = parser.parse_args()
    with SandboxServer(args.db, now=NOW, token=DEFAULT_TOKEN) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()  # returns when the parent closes our stdin


if __name__ == "__main__":
    main()
