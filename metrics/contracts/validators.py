"""Checks that span several columns of a row, declared per dataset and run in SQL during import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from metrics.contracts.datasets import TARGETS, Dataset
from metrics.fragments import Fragment

ColumnRef = Callable[[str], str]


@dataclass(frozen=True, kw_only=True, slots=True)
class RowCheck:
    """A rule on typed values; `column` is where the problem is reported."""

    column: str
    columns: tuple[str, ...]
    reason: str
    detail: str
    failing: Callable[[ColumnRef], Fragment]


def _closed_before_opened(ref: ColumnRef) -> Fragment:
    return Fragment(f"{ref('closed_at')} < {ref('opened_at')}")


CHECKS: dict[str, tuple[RowCheck, ...]] = {
    "complaints": (
        RowCheck(
            column="closed_at",
            columns=("closed_at", "opened_at"),
            reason="closed_before_opened",
            detail="",
            failing=_closed_before_opened,
        ),
    ),
}


def _unknown_metric(ref: ColumnRef) -> Fragment:
    from metrics.semantic.definitions import METRICS

    keys = list(METRICS)
    return Fragment(f"{ref('metric')} NOT IN ({', '.join('?' for _ in keys)})", keys)


def _impossible_target(ref: ColumnRef) -> Fragment:
    from metrics.semantic.definitions import METRICS, target_range

    cases: list[str] = []
    params: list[object] = []
    for m in METRICS.values():
        low, high = target_range(m)
        bounds = []
        if low is not None:
            bounds.append(f"{ref('target')} < ?")
            params.append(low)
        if high is not None:
            bounds.append(f"{ref('target')} > ?")
            params.append(high)
        if bounds:
            cases.append(f"WHEN {ref('metric')} = ? THEN {' OR '.join(bounds)}")
            params.insert(len(params) - len(bounds), m.key)
    return Fragment(f"CASE {' '.join(cases)} ELSE false END", params)


def _target_checks() -> tuple[RowCheck, ...]:
    from metrics.semantic.definitions import METRICS

    return (
        RowCheck(
            column="metric",
            columns=("metric",),
            reason="unknown_metric",
            detail=", ".join(METRICS),
            failing=_unknown_metric,
        ),
        RowCheck(
            column="target",
            columns=("metric", "target"),
            reason="impossible_target",
            detail="",
            failing=_impossible_target,
        ),
    )


def row_checks(ds: Dataset) -> tuple[RowCheck, ...]:
    """The row rules of a dataset; targets are checked against the metric registry."""
    if ds.key == TARGETS.key:
        return (*CHECKS.get(ds.key, ()), *_target_checks())
    return CHECKS.get(ds.key, ())

