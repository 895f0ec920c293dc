"""The one query API: any metric, any grain, any declared dimension, with n and margins of error.

SQL is assembled only here, from the declarations: identifiers come from them, values are bound
parameters. The SQL sums measures per period and group; `stats` turns the sums into values and
intervals; `privacy` suppresses small workload groups before anything leaves this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from metrics.catalogue import N_
from metrics.contracts.datasets import DATASETS, Dataset
from metrics.contracts.naming import closest
from metrics.errors import UnknownName
from metrics.fragments import Fragment, one_of, period
from metrics.semantic import closing, privacy, rollups
from metrics.semantic.definitions import Metric, Settings
from metrics.semantic.dialects import bind_declaration
from metrics.semantic.joins import joins_of
from metrics.semantic.kinds import spec
from metrics.semantic.query_kinds import GRAINS, Scope
from metrics.store import Store

# "total": one period for the whole date range (e.g. the three months before an event)
SUMMED_ONLY_GRAINS = ("total",)
RESULT_COLUMNS = ("value", "n", "moe", "low", "high", "suppressed")


def dimensions_of(m: Metric) -> tuple[str, ...]:
    """The dimensions `m` can be split and filtered by."""
    if m.dimensions is not None:
        return m.dimensions
    ds = DATASETS[m.dataset]
    extra = [c for j in joins_of(m.dataset) for c in j.columns if c not in ds.dimensions]
    return (*ds.dimensions, *extra)


def _joins_sql(ds: Dataset, dims: Sequence[str]) -> str:
    """The joins to the declared references that `dims` need, e.g. the sites for site_type (alias j<i>)."""
    found = []
    for i, j in enumerate(joins_of(ds.key)):
        if any(d in j.columns and d not in ds.dimensions for d in dims):
            table = DATASETS[j.dataset].table
            found.append(f'LEFT JOIN {table} j{i} ON j{i}."{j.key}" = t."{j.key}"')
    return " ".join(found)


def _dim_sql(ds: Dataset, dim: str, private: bool = False) -> str:
    if private:
        return f'u."{dim}"'  # the published unit, never the raw team (metrics.semantic.privacy)
    if dim not in ds.dimensions:
        for i, j in enumerate(joins_of(ds.key)):
            if dim in j.columns:
                return f'j{i}."{dim}"'
    return f't."{dim}"'


def _unknown(wrong: str, names: Sequence[str], key: str, hinted: str, **fields: object) -> UnknownName:
    """The refusal of a name that is not among `names`, with the closest one when it is a likely typo."""
    match = closest(wrong, names)
    return UnknownName(hinted if match else key, match=match, names=", ".join(names), **fields)


def _check(m: Metric, grain: str, by: Sequence[str], where: Mapping[str, Sequence[str]]) -> None:
    if grain not in GRAINS:
        raise _unknown(grain, GRAINS, N_("query.unknown_grain"), N_("query.unknown_grain_hint"), grain=grain)
    if grain in SUMMED_ONLY_GRAINS and not spec(m).over_range:
        raise UnknownName(N_("query.not_over_range"), metric=m.key, grain=grain, kind=m.kind.value)
    allowed = dimensions_of(m)
    for dim in (*by, *where):
        if dim not in allowed:
            keys = N_("query.unknown_dimension"), N_("query.unknown_dimension_hint")
            raise _unknown(dim, allowed, *keys, metric=m.key, dim=dim)


def _base(
    m: Metric,
    by: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
    settings: Settings,
    extra: Mapping[str, str] | None = None,
    rollup: bool = False,
    units: list[str] | None = None,
) -> Fragment:
    """Rows of the dataset (or of its monthly rollup) in range, with date `d`, dimensions, measures.

    A private metric reads its dimensions from the published units and filters on `units` only.
    """
    ds = DATASETS[m.dataset]
    date_col = m.date
    params: list[object] = []
    cols = [f't."{date_col}" AS d', *(f'{_dim_sql(ds, dim, m.private)} AS "{dim}"' for dim in by)]
    for name, expr in m.measures.items():
        frag = Fragment(f't."{rollups.column_of(m, name)}"') if rollup else bind_declaration(expr, settings)
        cols.append(f'{frag.sql} AS "{name}"')
        params += frag.params
    join = _joins_sql(ds, (*by, *where))
    if m.headcount is not None:
        region, site, team = (f't."{c}"' for c in m.headcount.team)
        day = f't."{m.headcount.day}"'
        # one row per counted (team, month): a withheld month of a team joins nothing, so it is in no figure
        join = (
            f"JOIN {privacy.UNITS_VIEW} u ON u.raw_region IS NOT DISTINCT FROM {region} "
            f"AND u.raw_site = {site} AND u.raw_team = {team} AND u.month = {privacy.month_sql(day)}"
        )
    conditions, in_range = period(f't."{date_col}"', start, end)
    if m.where:
        conditions.insert(1, m.where)  # after "is known", before the range: the SQL reads as it always has
    params += in_range
    chosen = {"u.unit": units} if m.private and units is not None else {}
    chosen |= {_dim_sql(ds, dim): values for dim, values in ({} if m.private else where).items() if values}
    for column, values in chosen.items():
        condition, bound = one_of(column, values) if values else ("FALSE", [])
        conditions.append(condition)
        params += bound
    # the private columns let the privacy rule count people without exposing them
    extra = dict(extra or {})
    if m.headcount is not None:
        extra |= {"agents": m.headcount.agents, "day": m.headcount.day}
    cols += [f't."{column}" AS {alias}' for alias, column in extra.items()]
    source = rollups.table_of(m.dataset) if rollup else ds.table
    sql = f"SELECT {', '.join(cols)} FROM {source} t {join} WHERE {' AND '.join(conditions)}"
    return Fragment(sql, params)


def median_split(
    store: Store,
    m: Metric,
    by: str,
    start: dt.date | None,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Per value of `by`: n, and how many values lie above the grand median of the whole scope.

    What Mood's median test needs: each group against the rest, around one shared median.
    """
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


def _finish(
    m: Metric, frame: pd.DataFrame, settings: Settings, units: privacy.Units | None = None
) -> pd.DataFrame:
    """Values and intervals from the sums; rows with n = 0 dropped, never NaN-filled."""
    kind = spec(m)
    frame = frame[frame[kind.kept_if].fillna(0) > 0].copy() if kind.kept_if else frame.copy()
    kind.finish(m, frame)
    frame["suppressed"] = False
    for col in RESULT_COLUMNS:
        frame[col] = frame[col].astype("float64") if col != "suppressed" else frame[col].astype(bool)
    frame["n"] = frame["n"].astype("float64" if m.private else "int64")
    if m.private and units is not None:
        frame = privacy.suppress_unpublishable(
            frame, units, settings.privacy_min_agents, hidden=(*m.measures, *RESULT_COLUMNS[:5])
        )
    return frame.reset_index(drop=True)


def metric_sql(
    m: Metric,
    grain: str,
    by: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
    settings: Settings,
    *,
    use_rollup: bool = True,
    units: list[str] | None = None,
) -> Fragment:
    """The one statement that sums `m` per period and group (checked arguments; `units`: privacy filter)."""
    kind, scope = spec(m), Scope(start, end, where)
    if kind.stock:
        # every row opened up to the end, with the time it closed: open rows are counted per period
        base = _base(m, by, None, end, where, settings, extra={"closed": m.closed_column or ""})
    else:
        fast = use_rollup and rollups.usable(m, grain, by, list(where), start, end)
        base_dims = (m.exposure.dimension,) if kind.exposure and m.exposure else by
        base = _base(m, base_dims, start, end, where, settings, rollup=fast, units=units)
    return kind.build(m, grain, by, base, scope)


def missing_closings(
    store: Store,
    m: Metric,
    end: dt.date | None,
    where: Mapping[str, Sequence[str]],
    settings: Settings,
) -> closing.MissingClosings | None:
    """Whether most records in `m`'s scope opened up to `end` lack the closing date `m` reads."""
    column = closing.reads_closing(m)
    if column is None:
        return None
    base = _base(closing.filled_share_metric(m, column), (), None, end, where, settings)
    with store.cursor() as cur:
        row = cur.execute(
            f"SELECT count(*), coalesce(sum(filled), 0) FROM ({base.sql})", base.params
        ).fetchone()
    rows, filled = (int(row[0]), int(row[1])) if row else (0, 0)
    return (
        closing.MissingClosings(column, rows, rows - filled) if closing.mostly_missing(rows, filled) else None
    )


def metric_frame(
    store: Store,
    m: Metric,
    *,
    grain: str = "month",
    by: Sequence[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    settings: Settings | None = None,
    use_rollup: bool = True,
) -> pd.DataFrame:
    """`m` per period and group: period, dims, value, n, moe, low, high, suppressed, measure sums.

    The monthly rollup answers when it gives the same result as the raw rows (`use_rollup=False`
    forces them, for tests and benchmarks). Example: metric_frame(store, metric("nps"), grain="quarter").
    """
    by = tuple(dict.fromkeys(by))
    where = {k: list(v) for k, v in (where or {}).items()}
    settings = settings or Settings.from_env()
    _check(m, grain, by, where)
    if m.private:
        privacy.check_range(m.key, grain, start, end)
    units = None
    if m.private:
        # the published units are the same for every reader: read from every row, never from a
        # caller's view (a unit computed from one region's rows would differ from the one published)
        with getattr(store, "base", store).cursor() as whole:
            units = privacy.units(whole, str(store.path), settings.privacy_min_agents)
    with store.cursor() as cur:
        chosen = privacy.selected_units(units, where) if units is not None else None
        frag = metric_sql(m, grain, by, start, end, where, settings, use_rollup=use_rollup, units=chosen)
        if units is not None:
            cur.register(privacy.UNITS_VIEW, units.table)
        frame = cur.execute(frag.sql, frag.params).df()
    frame = _finish(m, frame, settings, units)
    if missing_closings(store, m, end, where, settings) is not None:
        frame = frame.iloc[0:0]  # no number where closing dates are missing: `why_no_rows` says so
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
    return _finish(replace(m, headcount=None), sums, Settings())
