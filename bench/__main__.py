"""``python -m bench``: measure noxtui's performance targets and print one table.

Defaults are the targets' sizes (10,000 threads to start and sync, 100,000 to filter, scroll,
hold in memory and list on the sandbox); ``--quick`` shrinks every size not given explicitly for
a smoke run. Data is generated (the sandbox's seeded workspace) and kept in ``--workdir`` so a
second run skips the ~1 minute it takes to build 100,000 threads. Progress goes to stderr, the
table (and the sandbox's query plans) to stdout.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import platformdirs

from bench._table import Figure, render

REPO = Path(__file__).resolve().parent.parent

FULL = {
    "cold": 10_000,
    "runs": 5,
    "filter": 100_000,
    "scroll": 100_000,
    "memory": 100_000,
    "sync": 10_000,
    "changed": 50,
    "sync_runs": 3,
    "list": 100_000,
    "ssh": 10_000,
    "presses": 20,
    "scroll_presses": 80,
    "filter_rounds": 3,
    "cli_threads": 1_000,
    "cli_runs": 10,
    "million": 1_000_000,
}
QUICK = {
    "cold": 300,
    "runs": 2,
    "filter": 2_000,
    "scroll": 2_000,
    "memory": 2_000,
    "sync": 300,
    "changed": 10,
    "sync_runs": 2,
    "list": 2_000,
    "ssh": 300,
    "presses": 6,
    "scroll_presses": 20,
    "filter_rounds": 1,
    "cli_threads": 200,
    "cli_runs": 5,
    "million": 2_000,
}
FIGURES = ("1", "2", "3", "4", "5", "6", "7", "8", "9")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(os.environ.get("NOXTUI_BENCH_DIR") or platformdirs.user_cache_dir("noxtui-bench")),
        help="where generated databases are kept between runs",
    )
    parser.add_argument("--only", default=",".join(FIGURES), help="figures to run, e.g. 2,3 (default: all)")
    sizes = parser.add_argument_group("sizes (default: the targets' sizes; --quick: small)")
    sizes.add_argument("--cold-threads", dest="cold", type=int, help="cached threads for the cold start (10,000)")
    sizes.add_argument("--runs", type=int, help="cold-start runs (5)")
    sizes.add_argument("--filter-threads", dest="filter", type=int, help="threads for filter latency (100,000)")
    sizes.add_argument("--filter-rounds", dest="filter_rounds", type=int, help="rounds of the 9 filter toggles (3)")
    sizes.add_argument("--scroll-threads", dest="scroll", type=int, help="threads for scrolling (100,000)")
    sizes.add_argument("--scroll-presses", dest="scroll_presses", type=int, help="j (then k) presses (80)")
    sizes.add_argument("--memory-threads", dest="memory", type=int, help="threads held for the RSS figure (100,000)")
    sizes.add_argument("--sync-threads", dest="sync", type=int, help="threads in the first sync (10,000)")
    sizes.add_argument("--sync-changed", dest="changed", type=int, help="changed threads per increment (50)")
    sizes.add_argument("--sync-runs", dest="sync_runs", type=int, help="first/incremental sync runs (3)")
    sizes.add_argument("--list-threads", dest="list", type=int, help="sandbox threads for the list figure (100,000)")
    sizes.add_argument("--ssh-threads", dest="ssh", type=int, help="cached threads for the SSH figure (10,000)")
    sizes.add_argument("--ssh-presses", dest="presses", type=int, help="j and k presses in the SSH figure (20)")
    sizes.add_argument("--cli-threads", dest="cli_threads", type=int, help="threads synced through the CLI (1,000)")
    sizes.add_argument("--cli-runs", dest="cli_runs", type=int, help="CLI round trips measured (10)")
    sizes.add_argument("--million-threads", dest="million", type=int, help="cached threads of figure 9 (1,000,000)")
    sizes.add_argument(
        "--threads",
        type=int,
        help="one size for the client figures 2, 3, 4 and 9 (e.g. --threads 1000000); a figure's own flag wins",
    )
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    if args.threads is not None:
        for key in ("filter", "scroll", "memory", "million"):
            if getattr(args, key) is None:
                setattr(args, key, args.threads)
    for key, value in base.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.only = {part.strip() for part in args.only.split(",") if part.strip()}
    return args


def machine() -> str:
    """One line about where the figures were taken (they mean little without it)."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    load = ""
    try:
        load = " · load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores {model} · Python {platform.python_version()} · Textual {textual.__version__} · "
        f"SQLite {sqlite3.sqlite_version} · {platform.system()} {platform.release()}{load}"
    )


def _cli_figures(args: argparse.Namespace) -> list[Figure]:
    from bench import cli_provider

    return cli_provider.run(args.workdir, args.cli_threads, args.cli_runs, REPO)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    figures: list[Figure] = []
    extra: list[str] = []

    def step(number: str, title: str, work: Callable[[], list[Figure]]) -> None:
        if number not in args.only:
            return
        print(f"[bench] {number}. {title} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        figures.extend(work())
        print(f"[bench]    done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

    def sandbox_list_figures() -> list[Figure]:
        from bench import sandbox_list

        found, plan = sandbox_list.run(args.workdir, args.list)
        extra.extend(plan)
        return found

    from bench import cold_start, filter_latency, memory, million, scrolling, ssh_bytes, sync

    step(
        "1",
        f"cold start, {args.cold:,} cached threads",
        lambda: cold_start.run(args.workdir, args.cold, args.runs, REPO),
    )
    step(
        "2",
        f"filter latency, {args.filter:,} threads",
        lambda: filter_latency.run(args.workdir, args.filter, args.filter_rounds),
    )
    step(
        "3",
        f"scrolling, {args.scroll:,} threads",
        lambda: scrolling.run(args.workdir, args.scroll, args.scroll_presses),
    )
    step("4", f"memory, {args.memory:,} threads", lambda: memory.run(args.workdir, args.memory, REPO))
    step(
        "5",
        f"sync, {args.sync:,} threads",
        lambda: sync.run(args.workdir, args.sync, args.changed, args.sync_runs, REPO),
    )
    step("6", f"sandbox list, {args.list:,} threads", sandbox_list_figures)
    step(
        "7",
        f"bytes per keypress, {args.ssh:,} threads",
        lambda: ssh_bytes.run(args.workdir, args.ssh, args.presses, REPO),
    )

    step(
        "8",
        f"the vendor-CLI provider, {args.cli_threads:,} threads",
        lambda: _cli_figures(args),
    )

    step(
        "9",
        f"a million threads ({args.million:,} cached)",
        lambda: million.run(args.workdir, args.million, REPO, starts=args.runs, presses=args.scroll_presses // 2),
    )

    print(f"noxtui bench{' (--quick)' if args.quick else ''} — {machine()}")
    print()
    print(render(figures))
    if extra:
        print()
        print("\n".join(extra))
    return 0 if all(fig.passed is not False for fig in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
