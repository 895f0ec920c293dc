"""SQL for the kinds that are not plain sums per period: rates, medians, backlogs; and the period helpers.

Every builder takes the base rows that `metrics.semantic.query` assembled from the declarations (identifiers
checked, values bound) and returns SQL text with its parameters: nothing here touches user input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from metrics.contracts.datasets import DATASETS
from metrics.fragments import Fragment

if TYPE_CHECKING:
    from metrics.semantic.records import Metric

# "total": one period for the whole date range (e.g. the three months before an event)
GRAINS = ("day", "week", "month", "quarter", "year", "ytd", "total")


@dataclass(frozen=True, slots=True)
class Scope:
    """The range and filters of one query, for the builders that read more than the base rows."""

    start: dt.date | None = None
    end: dt.date | None = None
    where: Mapping[str, Sequence[str]] = field(default_factory=dict)


# (metric, grain, split, base rows, scope) -> SQL with its parameters; one per kind (metrics.semantic.kinds)
Builder = Callable[["Metric", str, Sequence[str], Fragment, Scope], Fragment]


def period_sql(grain: str, column: str) -> str:
    """The period a date falls in, as SQL; "total" is one period for the whole range."""
    if grain == "total":
        return "CAST(NULL AS DATE)"  # one group; metric_frame labels it with the range's first day
    unit = "month" if grain == "ytd" else grain
    return f"CAST(date_trunc('{unit}', {column}) AS DATE)"


def running_sql(monthly: str, dims: Sequence[str], sums: Sequence[str]) -> str:
    """YTD from monthly sums: each month carries the running total since January of its year."""
    running = [
        f"sum({c}) OVER (PARTITION BY {', '.join(['year(period)', *dims])} ORDER BY period "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS {c}"
        for c in sums
    ]
    return f"SELECT period{''.join(', ' + d for d in dims)}, {', '.join(running)} FROM ({monthly}) monthly"


def sums_sql(m: Metric, grain: str, by: Sequence[str], base: Fragment, scope: Scope) -> Fragment:
    """Measure sums per period and group; YTD is the running sum of months within each year."""
    dims = [f'"{d}"' for d in by]
    sums = [f'sum("{name}") AS "{name}"' for name in m.measures]
    if m.private:
        sums += ["sum(agents) AS agent_days", "count(DISTINCT day) AS days"]
    keys = ", ".join(["period", *dims])
    sql = (
        f"SELECT {period_sql(grain, 'd')} AS period{''.join(', ' + d for d in dims)}, {', '.join(sums)} "
        f"FROM ({base.sql}) b GROUP BY {keys}"
    )
    if grain == "ytd":
        sql = running_sql(
            sql, dims, [f'"{n}"' for n in m.measures] + (["agent_days", "days"] if m.private else [])
        )
    return Fragment(f"-- metric: {m.key}\n{sql} ORDER BY {keys}", base.params)


def rate_sql(m: Metric, grain: str, by: Sequence[str], base: Fragment, scope: Scope) -> Fragment:
    """Counts per region and day against the customer base of the same regions and days.

    The base (the metric's declared exposure) is per month; each day carries customers / days in its
    month, so a week, a day or a part-month range is divided by its own share of the month (a 7-day
    week of a 30-day September with 3,000 customers: exposure 700), and every grain reads as
    complaints per 1,000 customers a month. A month of a region without its own base, up to the last
    month with complaints, carries the region's last known base forward (its complaints would
    otherwise drop out of the rate): `carried` is the exposure so carried, for the figure's note. A
    region with no base before its complaints has no rate.
    """
    exposure = m.exposure
    assert exposure is not None, f"{m.key}: a rate declares its exposure"  # not user-facing: an invariant
    start, end, dim = scope.start, scope.end, exposure.dimension
    dims = [f'"{d}"' for d in by]
    daily = f'SELECT CAST(d AS DATE) AS day, "{dim}", sum("n") AS n FROM ({base.sql}) b GROUP BY ALL'
    conditions: list[str] = []
    # the daily counts' own: the last complaint month (carrying), then the LEFT JOIN below
    params: list[object] = [*base.params, *base.params]
    regions = list(scope.where.get(dim, []))
    if regions:
        conditions.append(f'g."{dim}" IN ({", ".join("?" for _ in regions)})')
        params += regions
    # without bounds, the exposure covers the whole months that have complaints
    bounds = ((start, ">=", "date_trunc('month', min(day))"), (end, "<=", "last_day(max(day))"))
    for i, (bound, op, edge) in enumerate(bounds):
        if bound is not None:
            conditions.append(f"g.day {op} ?")  # not user-facing: SQL
            params.append(bound)
        else:
            conditions.append(f"g.day {op} (SELECT {edge} FROM ({daily}) f{i})")
            params += base.params
    month, count = f'c."{exposure.month}"', f'c."{exposure.count}"'
    known = (
        f'SELECT c."{dim}" AS "{dim}", CAST({month} AS DATE) AS month, {count} AS customers '
        f"FROM {DATASETS[exposure.dataset].table} c"
    )
    # every month from a region's first base to the last month with complaints, and every declared one
    last = f"(SELECT CAST(date_trunc('month', max(day)) AS TIMESTAMP) FROM ({daily}) fl)"
    months = (
        f'SELECT k."{dim}" AS "{dim}", CAST(s.m AS DATE) AS month FROM (SELECT "{dim}", min(month) AS first '
        f'FROM ({known}) k0 GROUP BY "{dim}") k, '
        f"unnest(generate_series(CAST(k.first AS TIMESTAMP), {last}, INTERVAL 1 MONTH)) AS s(m) "
        f'UNION SELECT "{dim}", month FROM ({known}) k1'
    )
    # each month's base: its own, else the region's latest before it
    latest = (
        f'SELECT a."{dim}" AS "{dim}", a.month, max(k.month) AS base_month FROM ({months}) a '
        f'JOIN ({known}) k ON k."{dim}" = a."{dim}" AND k.month <= a.month GROUP BY a."{dim}", a.month'
    )
    bases = (
        f'SELECT l."{dim}" AS "{dim}", l.month, k.customers, l.base_month <> l.month AS carried '
        f'FROM ({latest}) l JOIN ({known}) k ON k."{dim}" = l."{dim}" AND k.month = l.base_month'
    )
    days = (
        f'SELECT CAST(s.d AS DATE) AS day, b."{dim}" AS "{dim}", b.month AS month, '
        f"b.customers AS customers, b.carried AS carried, day(last_day(b.month)) AS month_days "
        f"FROM ({bases}) b, "
        "unnest(generate_series(CAST(b.month AS TIMESTAMP), CAST(last_day(b.month) AS TIMESTAMP), "
        "INTERVAL 1 DAY)) AS s(d)"
    )
    joined = (
        f'SELECT g.day AS d, g."{dim}" AS "{dim}", g.month, g.customers, g.carried, g.month_days, '
        f"coalesce(x.n, 0) AS n FROM ({days}) g LEFT JOIN ({daily}) x ON x.day = g.day "
        f'AND x."{dim}" = g."{dim}" WHERE {" AND ".join(conditions)}'
    )
    # exposure per month and region: customers x days covered / days in the month (exact for whole months)
    per_month = (
        f'SELECT {period_sql(grain, "d")} AS period, "{dim}", month, sum(n) AS n, '
        "any_value(customers) * count(*) / any_value(month_days) AS exposure, "
        "CASE WHEN bool_or(carried) THEN any_value(customers) * count(*) / any_value(month_days) "
        "ELSE 0 END AS carried "
        f'FROM ({joined}) j GROUP BY period, "{dim}", month'
    )
    keys = ", ".join(["period", *dims])
    sql = (
        f"SELECT period{''.join(', ' + d for d in dims)}, sum(n) AS n, "
        f"sum(exposure) AS exposure, sum(carried) AS carried FROM ({per_month}) pm GROUP BY {keys}"
    )
    if grain == "ytd":
        sql = running_sql(sql, dims, ["n", "exposure", "carried"])
    return Fragment(f"-- metric: {m.key}\n{sql} ORDER BY {keys}", params)


def calendar_sql(grain: str, start_sql: str, end_sql: str) -> str:
    """Every period from the start to the end, with its first day and the day after it ends."""
    unit = "month" if grain == "ytd" else grain
    step = "3 month" if unit == "quarter" else f"1 {unit}"  # Spark has no quarter interval
    return (
        f"SELECT CAST(p AS DATE) AS period, CAST(p + INTERVAL {step} AS DATE) AS period_end "
        f"FROM unnest(generate_series(date_trunc('{unit}', {start_sql}), {end_sql}, INTERVAL {step})) "
        "AS g(p)"
    )


# below 6 values no pair of order statistics covers the median with 95 % (n = 5: 1 - 2/32 = 93.75 %)
MEDIAN_MIN_N = 6


def _order_statistic(rank: str) -> str:
    """The value at a 1-based `rank` of a group's sorted values (`k` numbers them, `n_x` counts them)."""
    return f"max(CASE WHEN k = CAST({rank} AS BIGINT) THEN x END)"


def median_sql(m: Metric, grain: str, by: Sequence[str], base: Fragment, scope: Scope) -> Fragment:
    """Median per period (YTD: of every row since January), with a distribution-free 95% interval.

    Exact order statistics from a window numbering each group's sorted values: standard SQL that runs
    on DuckDB, Spark and Trino alike (no engine's median, percentile or list functions), and that
    never gathers a group's rows into one value.
    """
    dims = [f'"{d}"' for d in by]
    # the median: the middle value, or the mean of the two middle ones (what a continuous median gives);
    # order-statistic interval: ranks n/2 -+ 1.96 sqrt(n)/2 of the sorted values,
    # none under MEDIAN_MIN_N values, where no ranks reach 95 % coverage
    enough = f"CASE WHEN max(n_x) >= {MEDIAN_MIN_N} THEN "
    values = (
        f"({_order_statistic('floor((n_x + 1) / 2.0)')} + {_order_statistic('ceil((n_x + 1) / 2.0)')}) / 2.0"
        " AS value, max(n_x) AS n, "
        f"{enough}{_order_statistic('greatest(1, floor(n_x / 2.0 - 0.98 * sqrt(n_x)))')} END AS low, "
        f"{enough}{_order_statistic('least(n_x, ceil(n_x / 2.0 + 1 + 0.98 * sqrt(n_x)))')} END AS high"
    )
    if grain == "total":
        source, period = "rows_in r", "CAST(NULL AS DATE)"
    else:
        cal = calendar_sql(grain, "(SELECT min(d) FROM rows_in)", "(SELECT max(d) FROM rows_in)")
        if grain == "ytd":
            match = "r.d >= date_trunc('year', c.period) AND r.d < c.period_end"
        else:
            match = "r.d >= c.period AND r.d < c.period_end"  # not user-facing: SQL
        source, period = f"({cal}) c JOIN rows_in r ON {match}", "c.period"
    group = ", ".join(["period", *dims])
    ranked = (
        f"SELECT {period} AS period{''.join(', r.' + d for d in dims)}, r.x AS x, "
        f"row_number() OVER (PARTITION BY {period}{''.join(', r.' + d for d in dims)} ORDER BY r.x) AS k, "
        f"count(r.x) OVER (PARTITION BY {period}{''.join(', r.' + d for d in dims)}) AS n_x FROM {source}"
    )
    sql = (
        f"WITH rows_in AS ({base.sql}), ranked AS ({ranked}) "
        f"SELECT {group}, {values} FROM ranked GROUP BY {group} ORDER BY {group}"
    )
    return Fragment(f"-- metric: {m.key}\n{sql}", base.params)


def backlog_sql(m: Metric, grain: str, by: Sequence[str], base: Fragment, scope: Scope) -> Fragment:
    """Complaints open at the end of each period: opened before its end, not closed by then.

    `base` holds every complaint opened up to `end`, with its closing time as `closed`.
    """
    start, end = scope.start, scope.end
    dims = [f'"{d}"' for d in by]
    start_sql = "?" if start is not None else "(SELECT min(d) FROM rows_in)"
    end_sql = "?" if end is not None else "(SELECT max(d) FROM rows_in)"
    cal = calendar_sql(grain, start_sql, end_sql)
    params = [*base.params, *([start] if start is not None else []), *([end] if end is not None else [])]
    keys = ", ".join(["c.period", *[f"r.{d}" for d in dims]])
    sql = (
        f"WITH rows_in AS ({base.sql}) "
        f"SELECT c.period AS period{''.join(', r.' + d for d in dims)}, count(*) AS n "
        f"FROM ({cal}) c JOIN rows_in r "
        "ON r.d < c.period_end AND (r.closed IS NULL OR r.closed >= c.period_end) "
        f"GROUP BY {keys} ORDER BY {keys}"
    )
    return Fragment(f"-- metric: {m.key}\n{sql}", params)
