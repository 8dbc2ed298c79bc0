"""``python -m bench`` runs end to end and prints its table (tiny sizes; no timing is asserted).

Timings belong in the bench's own output, not in tests: a shared CI machine would make any
threshold flaky. This only proves every figure still runs against the current code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import main

TINY = [
    "--quick",
    "--cold-threads", "120",
    "--runs", "1",
    "--filter-threads", "120",
    "--filter-rounds", "1",
    "--scroll-threads", "120",
    "--scroll-presses", "4",
    "--memory-threads", "120",
    "--sync-threads", "120",
    "--sync-changed", "3",
    "--sync-runs", "1",
    "--list-threads", "120",
    "--ssh-threads", "120",
    "--ssh-presses", "3",
    "--cli-threads", "120",
    "--cli-runs", "2",
    "--million-threads", "120",
]  # fmt: skip


def test_bench_prints_one_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([*TINY, "--workdir", str(tmp_path)])
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("| figure"))
    assert header.split("|")[1:-1] == [
        f" {name.ljust(len(cell) - 2)} "
        for name, cell in zip(
            ["figure", "size", "median", "min", "max", "target", "result"], header.split("|")[1:-1], strict=True
        )
    ]
    for figure in ("1. cold start", "2. filter toggle, SQL", "2. filter toggle, remembered", "2. keyword", "3. j/k",
                   "3. page-down", "4. peak RSS", "5. first sync", "5. incremental sync", "6. sandbox list",
                   "7. bytes per j/k", "8. CLI round trip", "8. first sync through the CLI", "9. first paint",
                   "9. keyword", "9. page-down", "9. peak RSS"):  # fmt: skip
        assert f"| {figure}" in out, figure
    assert "EXPLAIN QUERY PLAN" in out
    assert "reported exactly the 3 replied threads" in out
