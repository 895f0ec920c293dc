"""Checks on the metric declarations, run when the registry loads and in a test.

Each problem is one sentence naming the metric and the field, so a wrong declaration reads like a
user error, e.g. "nps: measure 'promoters' reads column 'scroe', which responses does not declare".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from metrics.contracts.datasets import DATASETS
from metrics.semantic.dialects import columns_read
from metrics.semantic.kinds import KINDS
from metrics.semantic.records import PLACES

if TYPE_CHECKING:
    from metrics.semantic.records import Metric

LANGUAGES = ("fr", "en")


def _columns_problems(m: Metric) -> Iterable[str]:
    ds = DATASETS[m.dataset]
    declared = {c.name for c in ds.columns}
    exprs = {f"measure {name!r}": expr for name, expr in m.measures.items()}
    if m.where:
        exprs["where"] = m.where
    for field, expr in exprs.items():
        for col in sorted(columns_read(expr) - declared):
            yield (  # not user-facing: declaration check, raised when the registry loads
                f"{m.key}: {field} reads column {col!r}, which {ds.key} does not declare"
            )
    for field, col in (("date_column", m.date_column), ("closed_column", m.closed_column)):
        if col is not None and col not in declared:
            yield (  # not user-facing: declaration check, raised when the registry loads
                f"{m.key}: {field} {col!r} is not a column of {ds.key}"
            )
    if m.headcount is not None:
        for col in (m.headcount.agents, m.headcount.day, *m.headcount.team):
            if col not in declared:
                yield (  # not user-facing: declaration check, raised when the registry loads
                    f"{m.key}: headcount column {col!r} is not a column of {ds.key}"
                )
    if m.exposure is not None:
        exposure = DATASETS.get(m.exposure.dataset)
        if exposure is None:
            yield (  # not user-facing: declaration check, raised when the registry loads
                f"{m.key}: exposure dataset {m.exposure.dataset!r} is not declared"
            )
        else:
            names = {c.name for c in exposure.columns}
            for col in (m.exposure.month, m.exposure.count, m.exposure.dimension):
                if col not in names:
                    yield (  # not user-facing: declaration check, raised when the registry loads
                        f"{m.key}: exposure column {col!r} is not a column of {exposure.key}"
                    )


def _kind_problems(m: Metric) -> Iterable[str]:
    spec = KINDS[m.kind]
    for name in spec.measures:
        if name not in m.measures:
            declared = ", ".join(m.measures) or "none"
            yield (  # not user-facing: declaration check, raised when the registry loads
                f"{m.key}: a {m.kind.value} needs the measure {name!r}; declared: {declared}"
            )
    if spec.exposure and m.exposure is None:
        yield (  # not user-facing: declaration check, raised when the registry loads
            f"{m.key}: a rate needs an exposure (what it is divided by)"
        )
    if spec.stock and m.closed_column is None:
        yield (  # not user-facing: declaration check, raised when the registry loads
            f"{m.key}: a {m.kind.value} needs a closed_column (when a row stops being open)"
        )


def check_metrics(metrics: Iterable[Metric]) -> list[str]:
    """Every inconsistency in the metric declarations, as sentences naming the metric and the field."""
    problems: list[str] = []
    seen: set[str] = set()
    for m in metrics:
        if m.key in seen:
            problems.append(f"{m.key}: declared twice")
        seen.add(m.key)
        if m.dataset not in DATASETS:
            problems.append(  # not user-facing: declaration check, raised when the registry loads
                f"{m.key}: dataset {m.dataset!r} is not declared"
            )
            continue
        for lang in LANGUAGES:
            for field in ("label", "description"):
                if not getattr(m, field).get(lang):
                    problems.append(  # not user-facing: declaration check, raised when the registry loads
                        f"{m.key}: missing {lang!r} {field}"
                    )
        problems += _columns_problems(m)
        problems += _kind_problems(m)
        for place in sorted(m.shown_in - PLACES):
            places = ", ".join(sorted(PLACES))
            problems.append(  # not user-facing: declaration check, raised when the registry loads
                f"{m.key}: shown_in {place!r} is not a place; places: {places}"
            )
    return problems
