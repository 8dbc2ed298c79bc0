"""Run a module's tests once per mutant, one mutant at a time, each in a forked child with a timeout.

The parent process imports pytest, the libraries and every module the tests load (a collect-only
pass), then for each mutant writes the mutated text into the private copy, forks, and the child
forgets the mutated module and everything that imports it before running pytest. A mutant thus
costs its test run, not a Python start-up plus Textual, pydantic and the sandbox. The child runs in
its own process group, so a timeout kills whatever it started too.
"""

from __future__ import annotations

import contextlib
import enum
import gc
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


class Outcome(enum.StrEnum):
    KILLED = "killed"
    SURVIVED = "survived"
    TIMED_OUT = "timed out"


@dataclass(frozen=True)
class TestRun:
    """What one pytest run in a child said: its exit status (None when it was killed on timeout)."""

    status: int | None
    seconds: float

    @property
    def outcome(self) -> Outcome:
        if self.status is None:
            return Outcome.TIMED_OUT
        return Outcome.SURVIVED if self.status == 0 else Outcome.KILLED


class ForkingPytest:
    """pytest over ``tests`` inside the copy at ``root``, forked from a warmed-up parent."""

    def __init__(self, root: Path, tests: Sequence[str], *, conftest: bool) -> None:
        self.root = root
        self.tests = [str(root / test) for test in tests]
        self.args = [
            *self.tests,
            "-x",
            "-q",
            "--no-header",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            *([] if conftest else ["--noconftest"]),
        ]

    def prepare(self) -> None:
        """Point this process at the copy and import what the tests import (no test runs)."""
        os.chdir(self.root)
        os.environ.pop("PYTHONPYCACHEPREFIX", None)
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        os.environ["PYTHONPATH"] = os.pathsep.join(
            [str(self.root), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        )
        sys.dont_write_bytecode = True
        repo_entries = {"", str(Path.cwd()), str(Path(__file__).resolve().parents[2])}
        sys.path[:] = [str(self.root), *(entry for entry in sys.path if entry not in repo_entries)]
        import pytest

        with open(os.devnull, "w") as devnull:
            saved = sys.stdout, sys.stderr
            sys.stdout = sys.stderr = devnull
            try:
                pytest.main([*self.args, "--collect-only"])
            finally:
                sys.stdout, sys.stderr = saved
        # Everything loaded so far is shared by every child: move it out of the collector's sight,
        # or pytest's end-of-run gc.collect() passes walk the whole heap (~1 s a mutant).
        gc.collect()
        gc.freeze()
        loaded = sys.modules.get("noxtui")
        where = Path(getattr(loaded, "__file__", "") or "")
        if loaded is not None and self.root not in where.parents:
            raise RuntimeError(f"noxtui was imported from {where}, not from the copy {self.root}")

    def run(self, forget: set[str], timeout: float | None, log: Path | None = None) -> TestRun:
        """One pytest run in a child that first drops ``forget`` from ``sys.modules``."""
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            self._child(forget, log, timeout)
        status = _wait(pid, timeout)
        return TestRun(status, time.monotonic() - started)

    def _child(self, forget: set[str], log: Path | None, timeout: float | None) -> None:
        code = 3
        try:
            os.setpgid(0, 0)
            if timeout is not None:  # a safety net should the parent die first (Ctrl-C): never outlive it long
                signal.alarm(int(timeout) + 5)
            target = os.open(log or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, 1)
            os.dup2(target, 2)
            _forget(forget)
            # Test modules are re-imported too, whatever name pytest gave them (a folder without
            # ``__init__.py`` makes ``test_plans`` a top-level module bound to the old code).
            tests_dir = str(self.root / "tests")
            for name, module in list(sys.modules.items()):
                if (getattr(module, "__file__", None) or "").startswith(tests_dir):
                    sys.modules.pop(name, None)
            import pytest

            code = int(pytest.main(self.args))
        finally:
            os._exit(code)


def _forget(names: set[str]) -> None:
    """Drop ``names`` from ``sys.modules`` so the next import reads the mutated file, and everything
    still loaded that would hand out their old objects instead.

    Two ways an old object survives the drop: a package keeps its submodule as an attribute
    (``from noxtui.domain import plan_rules`` reads that attribute first), and a module may have
    cached a name imported lazily (a PEP 562 ``__getattr__`` storing ``ThreadCache`` in its
    globals). The first is cut (the attribute deleted), the second forgotten too, until nothing
    loaded refers to a forgotten module.
    """
    forgotten = set(names)
    fresh = set(names)
    while fresh:
        for name in fresh:
            sys.modules.pop(name, None)
            parent_name, _, child = name.rpartition(".")
            parent = sys.modules.get(parent_name)
            if parent is not None and getattr(parent, child, None) is not None:
                with contextlib.suppress(AttributeError):
                    delattr(parent, child)
        fresh = {
            name
            for name, module in list(sys.modules.items())
            if name.startswith(("noxtui", "tests")) and _refers_to(module, forgotten)
        }
        forgotten |= fresh


def _refers_to(module: ModuleType, forgotten: set[str]) -> bool:
    for value in list(vars(module).values()):
        try:
            origin = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        except Exception:  # an object with an exotic __getattr__ names no module
            continue
        if isinstance(origin, str) and origin in forgotten:
            return True
    return False


def _wait(pid: int, timeout: float | None) -> int | None:
    """The child's exit status, or None after killing its process group at the timeout."""
    fd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
    finally:
        os.close(fd)
    if not ready:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        return None
    _, raw = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(raw)


def swap_and_run(path: Path, text: str, original: bytes, run: Callable[[], TestRun]) -> TestRun:
    """Write ``text`` into ``path`` (inside the copy), run, and always put ``original`` back."""
    path.write_text(text, encoding="utf-8")
    try:
        return run()
    finally:
        path.write_bytes(original)
