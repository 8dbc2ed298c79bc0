"""``python -m tools.mutation [MODULE ...] [--tests PATHS] [--timeout S]``: mutation testing.

With no module, every module of the map in ``tools/mutation/targets.py`` is run in turn. Each
module runs in its own forked worker over one private copy of the tree, so nothing is ever written
into the checkout. Mutants run one at a time (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from tools.mutation import report
from tools.mutation.mutants import Mutant, find_mutants
from tools.mutation.runner import ForkingPytest, Outcome, swap_and_run
from tools.mutation.targets import TARGETS, Target, find
from tools.mutation.workspace import copy_tree, dependents

REPO = Path(__file__).resolve().parents[2]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="dotted name or path; none: every module in the map")
    parser.add_argument("--tests", help="comma-separated test paths, instead of the module's own from the map")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 4 × the clean run, ≥ 10)")
    parser.add_argument("--json", type=Path, help="also write every result to this file")
    parser.add_argument("--equivalents", type=Path, default=REPO / "tests" / "mutation-equivalents.md")
    parser.add_argument(
        "--resume",
        type=Path,
        help="a --json file of an earlier run: its killed mutants count as killed without running again "
        "(valid while the module is unchanged and tests were only added)",
    )
    parser.add_argument(
        "--report", type=Path, nargs="+", help="print the table of earlier --json runs (later files win), run nothing"
    )
    parser.add_argument("--list", action="store_true", help="print the module → tests map and stop")
    parser.add_argument("--dry-run", action="store_true", help="count the mutants, run nothing")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mutant's outcome")
    return parser.parse_args(argv)


def _mutants_of(target: Target, source: str) -> list[Mutant]:
    mutants = find_mutants(source)
    if target.scopes:
        mutants = [m for m in mutants if m.scope.split(".")[0] in target.scopes or m.scope in target.scopes]
    return mutants


def _killed_before(resume: Path | None, module: str) -> dict[tuple[int, str, str], str]:
    """(line, scope, description) → outcome of the mutants an earlier run of ``module`` killed or timed out."""
    if resume is None or not resume.is_file():
        return {}
    found: dict[tuple[int, str, str], str] = {}
    for outcome in json.loads(resume.read_text()):
        if outcome.get("module") == module:
            for result in outcome.get("results", ()):
                if result["outcome"] != "survived":
                    found[(result["line"], result["scope"], result["description"])] = result["outcome"]
    return found


def _run_module(target: Target, root: Path, args: argparse.Namespace) -> dict[str, object]:
    """Every mutant of one module against its tests; runs inside a forked worker."""
    path = root / target.path
    original = path.read_bytes()
    mutants = _mutants_of(target, original.decode())
    killed_before = _killed_before(args.resume, target.module)
    pytest_run = ForkingPytest(root, target.tests, conftest=target.conftest)
    pytest_run.prepare()
    forget = dependents(root, target.module)
    log = Path(tempfile.mkstemp(prefix="mut-baseline-", suffix=".log")[1])
    baseline = pytest_run.run(forget, timeout=600, log=log)
    if baseline.outcome is not Outcome.SURVIVED:
        print(f"{target.module}: its tests fail without any mutant; pytest said:", file=sys.stderr)
        print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
        log.unlink()
        return {"module": target.module, "error": "tests fail on the unmutated module"}
    log.unlink()
    timeout = args.timeout or max(10.0, 4 * baseline.seconds)
    print(
        f"{target.module}: {len(mutants)} mutants, clean run {baseline.seconds:.1f} s, timeout {timeout:.0f} s",
        flush=True,
    )
    results = []
    for index, mutant in enumerate(mutants, 1):
        named = {"line": mutant.line, "scope": mutant.scope, "description": mutant.description}
        before = killed_before.get((mutant.line, mutant.scope, mutant.description))
        if before is not None:
            results.append({**named, "outcome": before})
            continue
        run = swap_and_run(path, mutant.apply(original), original, lambda: pytest_run.run(forget, timeout))
        results.append({**named, "outcome": run.outcome.value})
        if args.verbose or run.outcome is Outcome.SURVIVED:
            print(
                f"  [{index}/{len(mutants)}] {run.outcome.value:9} {target.path}:{mutant.line} "
                f"({mutant.scope}) {mutant.description}",
                flush=True,
            )
    return {"module": target.module, "path": target.path, "results": results}


def _in_worker(target: Target, root: Path, args: argparse.Namespace) -> dict[str, object]:
    """Run one module in a forked worker, so each module starts from a clean interpreter state."""
    fd, name = tempfile.mkstemp(prefix="mut-result-", suffix=".json")
    os.close(fd)
    out = Path(name)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            out.write_text(json.dumps(_run_module(target, root, args)))
            code = 0
        except BaseException as error:  # the worker reports any failure instead of dying silently
            out.write_text(json.dumps({"module": target.module, "error": repr(error)}))
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.waitpid(pid, 0)
    try:
        return json.loads(out.read_text() or "{}") or {"module": target.module, "error": "worker died"}
    finally:
        out.unlink()


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    targets = [find(name) for name in args.modules] if args.modules else list(TARGETS)
    if args.tests:
        targets = [Target(t.module, tuple(args.tests.split(",")), t.conftest, t.scopes) for t in targets]
    if args.report:
        merged: dict[str, dict[str, object]] = {}
        for path in args.report:
            merged.update({outcome["module"]: outcome for outcome in json.loads(path.read_text())})
        print(report.render(list(merged.values()), report.Equivalents.read(args.equivalents), 0.0))
        return 0
    if args.list:
        for target in targets:
            print(f"{target.path}: {', '.join(target.tests) or '(no tests mapped)'}")
        return 0
    missing = [t.module for t in targets if not t.tests or not (REPO / t.path).is_file()]
    if missing:
        print(f"no module file or no tests mapped for: {', '.join(missing)} (use --tests)", file=sys.stderr)
        return 2
    if args.dry_run:
        for target in targets:
            print(f"{target.path}: {len(_mutants_of(target, (REPO / target.path).read_text()))} mutants")
        return 0
    equivalents = report.Equivalents.read(args.equivalents)
    # A plain ``kill`` still removes the copy (the ``finally`` below runs on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    root = copy_tree(REPO)
    started = time.monotonic()
    try:
        outcomes = [_in_worker(target, root, args) for target in targets]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(outcomes, indent=1))
    print(report.render(outcomes, equivalents, time.monotonic() - started))
    return 0 if all("error" not in outcome for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
