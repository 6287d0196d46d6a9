"""Victims' Code compliance figures per quarter, in the shape of the Ministry of Justice's quarterly returns.

Which rules make up which figure is data (``rules/figures.yaml``), not code, so the mapping can follow the rule book
as it grows. A figure is counted from the per-month counts of a :class:`~charter_rules.check.report.CheckReport` (the
quarter of each obligation's deadline), so it comes from the same evaluation as every other number in the report.
A figure whose rules are not in the rule book says so: it is ``unavailable`` (no rule) or ``partial`` (some).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..rulebook import raise_problems, read_file
from ..rulebook_files import FIGURES_FILE, FigureSpec, FiguresFile
from ..obligation import decided_count
from .report import STATUSES, CheckReport, compliance_rate

__all__ = ["FIGURES_FILE", "Figure", "FigureSpec", "FiguresFile", "QuarterFigure", "compute_figures", "load_figures",
           "quarter_of"]


@dataclass(frozen=True)
class QuarterFigure:
    quarter: str  # "2026-Q2"
    counts: dict[str, int]

    @property
    def decided(self) -> int:
        return decided_count(self.counts)

    @property
    def rate(self) -> float | None:
        return compliance_rate(self.counts)


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    right: str
    rules: tuple[str, ...]  # those in the rule book
    missing_rules: tuple[str, ...]  # named in figures.yaml but not in the rule book
    quarters: tuple[QuarterFigure, ...]

    @property
    def availability(self) -> str:
        if not self.rules:
            return "unavailable"
        return "partial" if self.missing_rules else "available"


def load_figures(rules_dir: Path | str) -> FiguresFile | None:
    """The figure definitions next to a rule book, or None if it has none. Raises RuleValidationError if bad."""
    path = Path(rules_dir) / FIGURES_FILE
    if not path.is_file():
        return None
    problems: list[Problem] = []
    read = read_file(path, FiguresFile, problems)
    raise_problems(problems)
    assert read is not None
    return read[0]


def quarter_of(month: int) -> str:
    """``202605`` -> ``2026-Q2`` (calendar quarters)."""
    return f"{month // 100}-Q{(month % 100 - 1) // 3 + 1}"


def compute_figures(report: CheckReport, spec: FiguresFile) -> list[Figure]:
    by_quarter: dict[tuple[str, str], dict[str, int]] = {}
    for (rule, month, status), n in report.counts.periods.items():
        counts = by_quarter.setdefault((rule, quarter_of(month)), dict.fromkeys(STATUSES, 0))
        counts[status] += n
    quarters = sorted({q for (_, q) in by_quarter})
    figures = []
    for figure in spec.figures:
        present = tuple(r for r in figure.rules if r in report.rules)
        missing = tuple(r for r in figure.rules if r not in report.rules)
        rows = []
        for quarter in quarters:
            total = dict.fromkeys(STATUSES, 0)
            for rule in present:
                for status, n in by_quarter.get((rule, quarter), {}).items():
                    total[status] += n
            rows.append(QuarterFigure(quarter, total))
        figures.append(Figure(figure.id, figure.title, figure.right, present, missing,
                              tuple(rows) if present else ()))
    return figures
