"""The one query API: any metric, any grain, any declared dimension, with n and margins of error.

SQL is assembled only here, from the declarations: identifiers come from them, values are bound
parameters. The SQL sums measures per period and group; `stats` turns the sums into values and
intervals; `privacy` suppresses small workload groups before anything leaves this module.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from metrics import privacy, rollups, stats
from metrics.datasets import DATASETS, Dataset
from metrics.definitions import Metric, Settings, StatKind, metric
from metrics.errors import UnknownName
from metrics.naming import did_you_mean
from metrics.parsing import Fragment
from metrics.store import Store

# "total": one period for the whole date range (e.g. the three months before an event)
GRAINS = ("day", "week", "month", "quarter", "year", "ytd", "total")
SUMMED_ONLY_GRAINS = ("total",)
# dimensions a dataset with a `site` column gains through the sites reference
SITE_DIMENSIONS = ("site_type", "country")
RESULT_COLUMNS = ("value", "n", "moe", "low", "high", "suppressed")
_NAMED = re.compile(r":([a-z_]+)")


def dimensions_of(m: Metric) -> tuple[str, ...]:
    """The dimensions `m` can be split and filtered by."""
    if m.dimensions is not None:
        return m.dimensions
    ds = DATASETS[m.dataset]
    extra = SITE_DIMENSIONS if "site" in ds.dimensions else ()
    return (*ds.dimensions, *extra)


def _dim_sql(ds: Dataset, dim: str, private: bool = False) -> str:
    if private:
        return f'u."{dim}"'  # the published unit, never the raw team (metrics.privacy)
    return f's."{dim}"' if dim in SITE_DIMENSIONS and dim not in ds.dimensions else f't."{dim}"'


def _bind(sql: str, settings: Settings) -> Fragment:
    """Replace `:name` settings in a declaration by bound parameters."""
    params: list[object] = []

    def repl(match: re.Match[str]) -> str:
        params.append(getattr(settings, match.group(1)))
        return "?"

    return Fragment(_NAMED.sub(repl, sql), params)


def _check(m: Metric, grain: str, by: Sequence[str], where: Mapping[str, Sequence[str]]) -> None:
    if grain not in GRAINS:
        raise UnknownName(
            f"unknown grain {grain!r}{did_you_mean(grain, GRAINS)}; grains: {', '.join(GRAINS)}"
        )
    if grain in SUMMED_ONLY_GRAINS and m.kind is StatKind.BACKLOG:
        raise UnknownName(f"{m.key} has no {grain!r} grain: a {m.kind.value} does not add up over a range")
    allowed = dimensions_of(m)
    for dim in (*by, *where):
        if dim not in allowed:
            raise UnknownName(
                f"{m.key} cannot be split or filtered by {dim!r}{did_you_mean(dim, allowed)}; "
                f"it can by: {', '.join(allowed)}"
            )


def _period(grain: str, column: str) -> str:
    if grain == "total":
        return "CAST(NULL AS DATE)"  # one group; metric_frame labels it with the range's first day
    unit = "month" if grain == "ytd" else grain
    return f"CAST(date_trunc('{unit}', {column}) AS DATE)"


def _base(
    m: Metric,
    by: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
    settings: Settings,
    date_column: str | None = None,
    extra: Mapping[str, str] | None = None,
    rollup: bool = False,
    units: list[str] | None = None,
) -> Fragment:
    """Rows of the dataset (or of its monthly rollup) in range, with date `d`, dimensions, measures.

    A private metric reads its dimensions from the published units and filters on `units` only.
    """
    ds = DATASETS[m.dataset]
    date_col = date_column or m.date
    params: list[object] = []
    cols = [f't."{date_col}" AS d', *(f'{_dim_sql(ds, dim, m.private)} AS "{dim}"' for dim in by)]
    for name, expr in m.measures.items():
        frag = Fragment(f't."{rollups.column_of(m, name)}"') if rollup else _bind(expr, settings)
        cols.append(f'{frag.sql} AS "{name}"')
        params += frag.params
    needs_sites = any(d in SITE_DIMENSIONS and d not in ds.dimensions for d in (*by, *where))
    join = 'LEFT JOIN ds_sites s ON s."site" = t."site"' if needs_sites else ""
    if m.private:
        join = (
            f'JOIN {privacy.UNITS_VIEW} u ON u.raw_region IS NOT DISTINCT FROM t."region" '
            'AND u.raw_site = t."site" AND u.raw_team = t."team"'
        )
    conditions = [f't."{date_col}" IS NOT NULL']
    if m.where:
        conditions.append(m.where)
    if start is not None:
        conditions.append(f't."{date_col}" >= ?')
        params.append(start)
    if end is not None:
        conditions.append(f't."{date_col}" < ?')
        params.append(end + dt.timedelta(days=1))
    if m.private and units is not None:
        conditions.append(f"u.unit IN ({', '.join('?' for _ in units)})" if units else "FALSE")
        params += units
    for dim, values in ({} if m.private else where).items():
        values = list(values)
        if values:
            conditions.append(f"{_dim_sql(ds, dim)} IN ({', '.join('?' for _ in values)})")
            params += values
    # the private columns let the privacy rule count people without exposing them
    extra = dict(extra or {})
    if m.private:
        extra |= {"agents": "agents", "day": "date"}
    cols += [f't."{column}" AS {alias}' for alias, column in extra.items()]
    source = rollups.table_of(m.dataset) if rollup else ds.table
    sql = f"SELECT {', '.join(cols)} FROM {source} t {join} WHERE {' AND '.join(conditions)}"
    return Fragment(sql, params)


def _running(monthly: str, dims: Sequence[str], sums: Sequence[str]) -> str:
    """YTD from monthly sums: each month carries the running total since January of its year."""
    running = [
        f"sum({c}) OVER (PARTITION BY {', '.join(['year(period)', *dims])} ORDER BY period "
        f"ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS {c}"
        for c in sums
    ]
    return f"SELECT period{''.join(', ' + d for d in dims)}, {', '.join(running)} FROM ({monthly}) monthly"


def _sums_sql(m: Metric, grain: str, by: Sequence[str], base: Fragment) -> Fragment:
    """Measure sums per period and group; YTD is the running sum of months within each year."""
    dims = [f'"{d}"' for d in by]
    sums = [f'sum("{name}") AS "{name}"' for name in m.measures]
    if m.private:
        sums += ["sum(agents) AS agent_days", "count(DISTINCT day) AS days"]
    keys = ", ".join(["period", *dims])
    sql = (
        f"SELECT {_period(grain, 'd')} AS period{''.join(', ' + d for d in dims)}, {', '.join(sums)} "
        f"FROM ({base.sql}) b GROUP BY {keys}"
    )
    if grain == "ytd":
        sql = _running(
            sql, dims, [f'"{n}"' for n in m.measures] + (["agent_days", "days"] if m.private else [])
        )
    return Fragment(f"-- metric: {m.key}\n{sql} ORDER BY {keys}", base.params)


def _rate_sql(
    m: Metric,
    grain: str,
    by: Sequence[str],
    base: Fragment,
    start: dt.date | None,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
) -> Fragment:
    """Counts per region and day against the customer base of the same regions and days.

    The base is declared per month; each day carries customers / days in its month, so a week, a day
    or a part-month range is divided by its own share of the month (a 7-day week of a 30-day September
    with 3,000 customers: exposure 700), and every grain reads as complaints per 1,000 customers a month.
    """
    dims = [f'"{d}"' for d in by]
    daily = (
        f'SELECT CAST(d AS DATE) AS day, "region", sum("n") AS n FROM ({base.sql}) b GROUP BY ALL'
    )
    conditions: list[str] = []
    params: list[object] = list(base.params)  # the daily counts' own, in the LEFT JOIN below
    regions = list(where.get("region", []))
    if regions:
        conditions.append(f'g."region" IN ({", ".join("?" for _ in regions)})')
        params += regions
    # without bounds, the exposure covers the whole months that have complaints
    if start is not None:
        conditions.append("g.day >= ?")
        params.append(start)
    else:
        conditions.append(f"g.day >= (SELECT date_trunc('month', min(day)) FROM ({daily}) f0)")
        params += base.params
    if end is not None:
        conditions.append("g.day <= ?")
        params.append(end)
    else:
        conditions.append(f"g.day <= (SELECT last_day(max(day)) FROM ({daily}) f1)")
        params += base.params
    days = (
        'SELECT CAST(s.d AS DATE) AS day, c."region" AS "region", c."month" AS month, '
        'c."customers" AS customers, day(last_day(c."month")) AS month_days FROM ds_customers c, '
        'unnest(generate_series(c."month", CAST(last_day(c."month") AS TIMESTAMP), INTERVAL 1 DAY)) AS s(d)'
    )
    joined = (
        'SELECT g.day AS d, g."region" AS "region", g.month, g.customers, g.month_days, '
        f'coalesce(x.n, 0) AS n FROM ({days}) g LEFT JOIN ({daily}) x ON x.day = g.day '
        f"AND x.\"region\" = g.\"region\" WHERE {' AND '.join(conditions)}"
    )
    # exposure per month and region: customers x days covered / days in the month (exact for whole months)
    per_month = (
        f'SELECT {_period(grain, "d")} AS period, "region", month, sum(n) AS n, '
        "any_value(customers) * count(*) / any_value(month_days) AS exposure "
        f'FROM ({joined}) j GROUP BY period, "region", month'
    )
    keys = ", ".join(["period", *dims])
    sql = (
        f"SELECT period{''.join(', ' + d for d in dims)}, sum(n) AS n, "
        f"sum(exposure) AS exposure FROM ({per_month}) pm GROUP BY {keys}"
    )
    if grain == "ytd":
        sql = _running(sql, dims, ["n", "exposure"])
    return Fragment(f"-- metric: {m.key}\n{sql} ORDER BY {keys}", params)


def _calendar(grain: str, start_sql: str, end_sql: str) -> str:
    unit = "month" if grain == "ytd" else grain
    return (
        f"SELECT CAST(p AS DATE) AS period, CAST(p + INTERVAL 1 {unit} AS DATE) AS period_end "
        f"FROM generate_series(date_trunc('{unit}', {start_sql}), {end_sql}, INTERVAL 1 {unit}) g(p)"
    )


# below 6 values no pair of order statistics covers the median with 95 % (n = 5: 1 - 2/32 = 93.75 %)
MEDIAN_MIN_N = 6


def _median_sql(m: Metric, grain: str, by: Sequence[str], base: Fragment) -> Fragment:
    """Median per period (YTD: of every row since January), with a distribution-free 95% interval."""
    dims = [f'"{d}"' for d in by]
    # order-statistic interval: ranks n/2 -+ 1.96 sqrt(n)/2 of the sorted values (1-based lists),
    # none under MEDIAN_MIN_N values, where no ranks reach 95 % coverage
    values = (
        f"median(r.x) AS value, count(r.x) AS n, CASE WHEN count(r.x) >= {MEDIAN_MIN_N} THEN "
        "list_sort(list(r.x))"
        "[greatest(1, CAST(floor(count(r.x) / 2.0 - 0.98 * sqrt(count(r.x))) AS BIGINT))] "
        f"END AS low, CASE WHEN count(r.x) >= {MEDIAN_MIN_N} THEN list_sort(list(r.x))[least(count(r.x), "
        "CAST(ceil(count(r.x) / 2.0 + 1 + 0.98 * sqrt(count(r.x))) AS BIGINT))] END AS high"
    )
    if grain == "total":
        keys = ", ".join(f"r.{d}" for d in dims)
        sql = (
            f"WITH rows_in AS ({base.sql}) SELECT CAST(NULL AS DATE) AS period"
            f"{''.join(', r.' + d for d in dims)}, {values} FROM rows_in r"
            + (f" GROUP BY {keys} ORDER BY {keys}" if dims else "")
        )
        return Fragment(f"-- metric: {m.key}\n{sql}", base.params)
    cal = _calendar(grain, "(SELECT min(d) FROM rows_in)", "(SELECT max(d) FROM rows_in)")
    if grain == "ytd":
        match = "r.d >= date_trunc('year', c.period) AND r.d < c.period_end"
    else:
        match = "r.d >= c.period AND r.d < c.period_end"
    keys = ", ".join(["c.period", *[f"r.{d}" for d in dims]])
    sql = (
        f"WITH rows_in AS ({base.sql}) "
        f"SELECT c.period AS period{''.join(', r.' + d for d in dims)}, {values} "
        f"FROM ({cal}) c JOIN rows_in r ON {match} GROUP BY {keys} ORDER BY {keys}"
    )
    return Fragment(f"-- metric: {m.key}\n{sql}", base.params)


def median_split(
    store: Store,
    key: str,
    by: str,
    start: dt.date | None,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Per value of `by`: n, and how many values lie above the grand median of the whole scope.

    What Mood's median test needs: each group against the rest, around one shared median.
    """
    m = metric(key)
    where = {k: list(v) for k, v in where.items()}
    _check(m, "total", (by,), where)
    base = _base(m, (by,), start, end, where, Settings.from_env())
    sql = (
        f"-- metric: {m.key} (median split)\nWITH rows_in AS ({base.sql}), "
        "grand AS (SELECT median(x) AS g FROM rows_in) "
        f'SELECT r."{by}", count(r.x) AS n, sum(CASE WHEN r.x > grand.g THEN 1 ELSE 0 END) AS above '
        f'FROM rows_in r, grand WHERE r.x IS NOT NULL GROUP BY r."{by}"'
    )
    with store.cursor() as cur:
        return cur.execute(sql, base.params).df()


def _backlog_sql(
    m: Metric,
    grain: str,
    by: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
    settings: Settings,
) -> Fragment:
    """Complaints open at the end of each period: opened before its end, not closed by then."""
    base = _base(m, by, None, end, where, settings, date_column="opened_at", extra={"closed": "closed_at"})
    dims = [f'"{d}"' for d in by]
    start_sql = "?" if start is not None else "(SELECT min(d) FROM rows_in)"
    end_sql = "?" if end is not None else "(SELECT max(d) FROM rows_in)"
    cal = _calendar(grain, start_sql, end_sql)
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


def _finish(
    m: Metric, frame: pd.DataFrame, settings: Settings, units: privacy.Units | None = None
) -> pd.DataFrame:
    """Values and intervals from the sums; rows with n = 0 dropped, never NaN-filled."""
    if m.kind is StatKind.RATIO:
        frame = frame[frame["den"].fillna(0) > 0].copy()
    elif m.kind is not StatKind.MEDIAN:
        frame = frame[frame["n"].fillna(0) > 0].copy()
    else:
        frame = frame.copy()
    nan = float("nan")
    if m.kind is StatKind.NPS:
        iv = stats.nps_interval(frame["promoters"], frame["detractors"], frame["n"])
    elif m.kind is StatKind.PROPORTION:
        iv = stats.wilson_interval(frame["successes"], frame["n"])
    elif m.kind is StatKind.MEAN:
        iv = stats.mean_interval(frame["total"], frame["total_sq"], frame["n"])
    elif m.kind is StatKind.RATE:
        iv = stats.poisson_rate_interval(frame["n"], frame["exposure"], per=m.scale)
    else:
        iv = None
    if iv is not None:
        frame["value"], frame["moe"], frame["low"], frame["high"] = iv.value, iv.moe, iv.low, iv.high
    elif m.kind is StatKind.MEDIAN:
        frame["moe"] = (frame["high"] - frame["low"]) / 2
    else:
        frame["value"] = (
            frame["n"] * 1.0
            if m.kind in (StatKind.COUNT, StatKind.BACKLOG)
            else (m.scale * frame["num"] / frame["den"])
        )
        frame["moe"] = frame["low"] = frame["high"] = nan
    frame["suppressed"] = False
    for col in RESULT_COLUMNS:
        frame[col] = frame[col].astype("float64") if col != "suppressed" else frame[col].astype(bool)
    frame["n"] = frame["n"].astype("float64" if m.private else "int64")
    if m.private and units is not None:
        frame = privacy.suppress_unpublishable(
            frame, units, settings.privacy_min_agents, hidden=(*m.measures, *RESULT_COLUMNS[:5])
        )
    return frame.reset_index(drop=True)


def metric_frame(
    store: Store,
    key: str,
    *,
    grain: str = "month",
    by: Sequence[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    settings: Settings | None = None,
    use_rollup: bool = True,
) -> pd.DataFrame:
    """`key` per period and group: period, dims, value, n, moe, low, high, suppressed, measure sums.

    The monthly rollup answers when it gives the same result as the raw rows (`use_rollup=False`
    forces the raw rows, for tests and benchmarks). Example: metric_frame(store, "nps", grain="quarter").
    """
    m = metric(key)
    by = tuple(dict.fromkeys(by))
    where = {k: list(v) for k, v in (where or {}).items()}
    settings = settings or Settings.from_env()
    _check(m, grain, by, where)
    if m.private:
        privacy.check_range(m.key, grain, start, end)
    with store.cursor() as cur:
        units = privacy.units(cur, str(store.path), settings.privacy_min_agents) if m.private else None
        if m.kind is StatKind.BACKLOG:
            frag = _backlog_sql(m, grain, by, start, end, where, settings)
        else:
            fast = use_rollup and rollups.usable(m, grain, by, list(where), start, end)
            base_dims = ("region",) if m.kind is StatKind.RATE else by
            chosen = privacy.selected_units(units, where) if units is not None else None
            base = _base(m, base_dims, start, end, where, settings, rollup=fast, units=chosen)
            if m.kind is StatKind.MEDIAN:
                frag = _median_sql(m, grain, by, base)
            elif m.kind is StatKind.RATE:
                frag = _rate_sql(m, grain, by, base, start, end, where)
            else:
                frag = _sums_sql(m, grain, by, base)
        if units is not None:
            cur.register(privacy.UNITS_VIEW, units.table)
        frame = cur.execute(frag.sql, frag.params).df()
    frame = _finish(m, frame, settings, units)
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    if grain == "total":
        frame["period"] = start
    ordered = ["period", *by, *RESULT_COLUMNS]
    return frame[ordered + [c for c in frame.columns if c not in ordered and c not in ("agent_days", "days")]]


def last_per_group(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The latest period of each group: with grain "ytd", the year-to-date figure at the as-of date."""
    if frame.empty or not by:
        return frame.tail(1).reset_index(drop=True)
    return frame.groupby(list(by), sort=True, dropna=False).tail(1).reset_index(drop=True)


def values_from_sums(m: Metric, sums: pd.DataFrame) -> pd.DataFrame:
    """Value and interval from measure sums, e.g. a projected year; callers pass already-released sums."""
    return _finish(replace(m, private=False), sums, Settings())
