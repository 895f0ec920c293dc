"""SQL text with its parameters: what every layer that writes SQL (contracts, ingest, semantic) passes along.

It lives below them all so that none of them imports another just for this record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Fragment:
    """SQL text plus the parameters its `?` placeholders take, in order."""

    sql: str
    params: list[object] = field(default_factory=list)


def period(column: str, start: dt.date | None, end: dt.date | None) -> tuple[list[str], list[object]]:
    """SQL conditions keeping rows whose `column` is known and falls from `start` to `end` (whole days).

    Every query that reads a date range (metric figures, verbatims, hand-offs) uses this one half-open range.
    """
    conditions: list[str] = [f"{column} IS NOT NULL"]  # not user-facing: SQL
    params: list[object] = []
    if start is not None:
        conditions.append(f"{column} >= ?")
        params.append(start)
    if end is not None:
        conditions.append(f"{column} < ?")
        params.append(end + dt.timedelta(days=1))
    return conditions, params


def one_of(column: str, values: Sequence[object]) -> tuple[str, list[object]]:
    """`column IN (?, ...)` with its parameters."""
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)
