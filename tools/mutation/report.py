"""The run's table and its survivors; survivors listed in ``tests/mutation-equivalents.md`` are marked.

An entry of the equivalents file is one line::

    - noxtui/storage/cache/store.py:76 (ThreadCache.close) `x` → `y` — why it cannot change behaviour

matched on path, enclosing function and mutation (not the line number, which moves with edits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_LINE_NUMBER = re.compile(r"^- `?([\w./]+\.py):\d+`?")


def key(path: str, scope: str, description: str) -> str:
    """How a survivor is named in the equivalents file, without its line number."""
    return f"{path} ({scope}) {description} — "


@dataclass(frozen=True)
class Equivalents:
    entries: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> Equivalents:
        if not path.is_file():
            return cls(())
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls(tuple(_LINE_NUMBER.sub(r"\1", line) for line in lines if line.startswith("- ")))

    def covers(self, path: str, scope: str, description: str) -> bool:
        wanted = key(path, scope, description)
        return any(entry.startswith(wanted) for entry in self.entries)


def render(outcomes: list[dict[str, Any]], equivalents: Equivalents, seconds: float) -> str:
    """The summary table (markdown) and every survivor, equivalents marked."""
    header = "| module | mutants | killed | survived | timed out | equivalent | detected | score |"
    lines = ["", header, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    survivors: list[str] = []
    for outcome in outcomes:
        if "error" in outcome:
            lines.append(f"| `{outcome['module']}` | error: {outcome['error']} | | | | | | |")
            continue
        results = outcome["results"]
        counts = {name: sum(r["outcome"] == name for r in results) for name in ("killed", "survived", "timed out")}
        equivalent = 0
        for result in results:
            if result["outcome"] != "survived":
                continue
            known = equivalents.covers(outcome["path"], result["scope"], result["description"])
            equivalent += known
            mark = "  (equivalent)" if known else ""
            survivors.append(f"{outcome['path']}:{result['line']} ({result['scope']}) {result['description']}{mark}")
        total = len(results)
        detected = counts["killed"] + counts["timed out"]
        raw = f"{100 * detected / total:.1f} %" if total else "–"
        judged = total - equivalent
        score = f"{100 * detected / judged:.1f} %" if judged else "–"
        lines.append(
            f"| `{outcome['module']}` | {total} | {counts['killed']} | {counts['survived']} | "
            f"{counts['timed out']} | {equivalent} | {raw} | {score} |"
        )
    lines.append("")
    lines.append("detected = (killed + timed out) / mutants; score = the same over the mutants that are not equivalent")
    lines.append(
        "(equivalent: survivors listed in tests/mutation-equivalents.md, each with why it cannot change behaviour)"
    )
    lines.append(f"{seconds / 60:.1f} min")
    if survivors:
        lines += ["", "Survivors:", *(f"  {line}" for line in survivors)]
    return "\n".join(lines)
