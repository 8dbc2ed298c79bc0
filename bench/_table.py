"""The one table ``python -m bench`` prints: figure, size, median, min, max, target, pass/fail."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One measured line. ``samples`` are in ``unit``; ``target`` is an upper bound in that unit.

    ``passed`` is decided from the median unless ``judge`` says otherwise (``"max"`` for a worst
    case); ``None`` target means "reported, not judged"; ``skipped`` rows carry only a note.
    """

    name: str
    size: str
    samples: list[float] = field(default_factory=list)
    unit: str = "ms"
    target: float | None = None
    judge: str = "median"
    note: str = ""
    skipped: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def passed(self) -> bool | None:
        if self.skipped or self.target is None or not self.samples:
            return None
        value = max(self.samples) if self.judge == "max" else self.median
        return value < self.target


def _number(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "B":
        return f"{value:.0f} B"
    return f"{value:g} {unit}".strip()


def render(figures: Sequence[Figure]) -> str:
    """A plain-text table (GitHub-markdown compatible) and the notes under it."""
    header = ("figure", "size", "median", "min", "max", "target", "result")
    lines: list[tuple[str, ...]] = []
    for fig in figures:
        if fig.skipped:
            lines.append((fig.name, fig.size, "—", "—", "—", _target(fig), "skipped"))
            continue
        verdict = {True: "pass", False: "FAIL", None: "info"}[fig.passed]
        lines.append(
            (
                fig.name,
                fig.size,
                _number(fig.median, fig.unit),
                _number(min(fig.samples), fig.unit) if fig.samples else "—",
                _number(max(fig.samples), fig.unit) if fig.samples else "—",
                _target(fig),
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def fmt(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"

    out = [fmt(header), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    out += [fmt(row) for row in lines]
    notes = [f"- {fig.name}: {fig.note}" for fig in figures if fig.note]
    if notes:
        out += ["", "Notes:", *notes]
    return "\n".join(out)


def _target(fig: Figure) -> str:
    if fig.target is None:
        return "—"
    bound = "max" if fig.judge == "max" else "median"
    return f"< {_number(fig.target, fig.unit)} ({bound})"
