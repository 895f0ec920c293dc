"""Checks that span several columns of a row, declared per dataset and run in SQL during import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from metrics.datasets import Dataset
from metrics.parsing import Fragment

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


def row_checks(ds: Dataset) -> tuple[RowCheck, ...]:
    """The row rules of a dataset, including those other modules register (targets: metric keys)."""
    return CHECKS.get(ds.key, ())


def register(dataset_key: str, *checks: RowCheck) -> None:
    """Add rules to a dataset; used by the metric registry for the targets dataset."""
    CHECKS[dataset_key] = (*CHECKS.get(dataset_key, ()), *checks)
