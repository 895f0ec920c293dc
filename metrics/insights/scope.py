"""The query pieces the insights share: a period and a list filter as bound SQL, NPS sums, one frame read.

Values are always `?` parameters; identifiers come from the declarations. The period is half-open
(`end` included as a whole day), the same as `metrics.semantic.query`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from metrics.semantic.records import Metric
from metrics.store import Store


def period(column: str, start: dt.date | None, end: dt.date | None) -> tuple[list[str], list[object]]:
    """SQL conditions keeping rows whose `column` is known and falls from `start` to `end` (whole day)."""
    conditions: list[str] = [f"{column} IS NOT NULL"]
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


def nps_sums(nps: Metric) -> str:
    """SELECT items: the promoters and detractors of the NPS metric's answers, summed."""
    return f"sum({nps.measures['promoters']}) AS promoters, sum({nps.measures['detractors']}) AS detractors"


def read(store: Store, sql: str, params: Sequence[object]) -> pd.DataFrame:
    """The rows of one bound query, on a cursor of its own."""
    with store.cursor() as cur:
        return cur.execute(sql, list(params)).df()
