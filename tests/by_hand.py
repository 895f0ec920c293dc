"""Figures worked out by hand from the raw rows, for the page tests.

The pages are checked against these, never against `metric_frame` (the code under test): each function
reads plain columns with a SELECT and does the arithmetic in Python with the textbook formula written
out, so a wrong measure, filter, rollup or interval in the product makes the page test fail.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from pathlib import Path

import duckdb

Z = 1.959963984540054  # two-sided 95 % normal quantile


def rows(path: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    """Plain rows from the demo file, opened read-only beside the page's own connection."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def grouped(pairs: list[tuple]) -> dict[object, list]:
    """{first column: [second column, ...]}: the rows of each group."""
    out: dict[object, list] = defaultdict(list)
    for key, value in pairs:
        out[key].append(value)
    return dict(out)


def scores(
    path: Path, start: dt.date, end: dt.date, by: str | None = None, region: str | None = None
) -> dict:
    """Scored answers from `start` to `end` included, per value of column `by` (or one group, None)."""
    column = by or "NULL"
    sql = (
        f"SELECT {column}, score FROM ds_responses WHERE score IS NOT NULL "
        "AND responded_at >= ? AND responded_at < ?"
    )
    params: list[object] = [start, end + dt.timedelta(days=1)]
    if region:
        sql += " AND region = ?"
        params.append(region)
    return grouped(rows(path, sql, params))


def nps(answers: list[int]) -> tuple[float, int]:
    """NPS and n: % of 9-10 minus % of 0-6."""
    n = len(answers)
    promoters = sum(1 for s in answers if s >= 9)
    detractors = sum(1 for s in answers if s <= 6)
    return 100 * (promoters - detractors) / n, n


def nps_low(answers: list[int]) -> float:
    """Lower bound of the adjusted-Wald NPS interval (Rocks 2016): 3/4 promoter, 3/4 detractor in 3 more."""
    value, n = nps(answers)
    p = (sum(1 for s in answers if s >= 9) + 0.75) / (n + 3)
    d = (sum(1 for s in answers if s <= 6) + 0.75) / (n + 3)
    half = 100 * Z * math.sqrt((p + d - (p - d) ** 2) / (n + 3))
    return max(min(100 * (p - d) - half, value), -100.0)


def wilson(successes: int, n: int) -> tuple[float, float]:
    """A proportion in % and the half-width of its Wilson score interval, in points."""
    p = successes / n
    denominator = 1 + Z**2 / n
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n * n)) / denominator
    return 100 * p, 100 * half
