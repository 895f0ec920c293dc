"""Closing dates too incomplete to serve a backlog, an SLA or a resolution time.

SignalConso's open-data complaints carry no closing date: counted as open, every report ever made is
in the backlog, and a median resolution time read from the few closed ones describes nothing. When
most records opened up to the end of the asked period (in the asked scope) have no closing date, the
metrics that read it answer nothing, and `why` says which column is missing and how to provide it,
instead of a number. The import warns with the same rule (`ingest.notices.missing_closing_dates`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from metrics.catalogue import N_, text
from metrics.semantic.dialects import columns_read
from metrics.semantic.records import Metric

# above this share of records without a closing date, no closing-date figure is given
MOSTLY_MISSING = 0.5


def closing_column(dataset: str) -> str | None:
    """The column a metric of `dataset` reads as the date a record stops being open, if any."""
    from metrics.semantic.definitions import METRICS

    return next((m.closed_column for m in METRICS.values() if m.dataset == dataset and m.closed_column), None)


def reads_closing(m: Metric) -> str | None:
    """The dataset's closing column when `m`'s value depends on it (backlog, SLA, resolution time)."""
    column = closing_column(m.dataset)
    if column is None:
        return None
    read = {m.closed_column, m.date_column, *(columns_read(m.where) if m.where else ())}
    for expr in m.measures.values():
        read |= columns_read(expr)
    return column if column in read else None


def filled_share_metric(m: Metric, column: str) -> Metric:
    """`m` turned into a count of its dataset's records (by their opening date) and of those closed.

    Read through the one query builder, so the scope's filters and joins are the metric's own.
    """
    filled = f'CASE WHEN "{column}" IS NULL THEN 0 ELSE 1 END'
    return replace(m, measures={"filled": filled}, where=None, date_column=None, closed_column=None)


@dataclass(frozen=True, slots=True)
class MissingClosings:
    """How incomplete the closing dates are in a metric's scope."""

    column: str
    rows: int
    missing: int

    @property
    def share(self) -> float:
        """Records without a closing date, as a share of those opened up to the period's end."""
        return self.missing / self.rows if self.rows else 0.0

    def sentence(self, metric_key: str, dataset: str, lang: str = "en") -> str:
        """The reason and the fix, as the CLI says it (the pages word it as `no_data.closing_dates`)."""
        share = f"{100 * self.share:.0f}"
        values = {"column": self.column, "rows": self.rows, "dataset": dataset, "metric": metric_key}
        return text(N_("closing.mostly_missing"), lang, share=share, **values)


def mostly_missing(rows: int, filled: int) -> bool:
    """The one rule, shared by the import's warning and the queries."""
    return rows > 0 and (rows - filled) > MOSTLY_MISSING * rows
