"""Monthly pre-aggregates, derived from the metric declarations, so pages answer fast at 10M rows.

For each rolled-up dataset, one table holds per month and per combination of its dimensions the
sum of every declared measure of every metric that reads it. The query layer reads it instead of
the raw rows whenever the answer is the same: a monthly-or-coarser grain, a range made of whole
months, dimensions the table keeps. Nothing about a metric or a caller changes. It is rebuilt in
the same transaction as every import and roll-back, so it can never disagree with the raw rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

import duckdb

from metrics.datasets import DATASETS
from metrics.definitions import METRICS, Metric, StatKind

ROLLED_UP = ("responses", "interventions", "complaints")
ADDITIVE = (StatKind.NPS, StatKind.PROPORTION, StatKind.MEAN, StatKind.COUNT, StatKind.RATE)
MONTHLY_GRAINS = ("month", "quarter", "year", "ytd", "total")


def table_of(dataset_key: str) -> str:
    """The rollup table of a dataset."""
    return f"rollup_{dataset_key}"


def column_of(m: Metric, measure: str) -> str:
    """The rollup column holding the sums of one measure of one metric."""
    return f"{m.key}__{measure}"


def eligible(m: Metric) -> bool:
    """Metrics whose every measure is a plain sum over the dataset's own date, with no settings."""
    ds = DATASETS[m.dataset]
    return (
        m.dataset in ROLLED_UP
        and m.kind in ADDITIVE
        and m.where is None
        and m.date == ds.date_column
        and not any(":" in expr for expr in m.measures.values())
    )


def _metrics_of(dataset_key: str) -> list[Metric]:
    return [m for m in METRICS.values() if m.dataset == dataset_key and eligible(m)]


def rebuild(cur: duckdb.DuckDBPyConnection, dataset_key: str) -> None:
    """Replace the rollup of `dataset_key` from its current rows (inside the caller's transaction)."""
    if dataset_key not in ROLLED_UP:
        return
    ds = DATASETS[dataset_key]
    dims = [f'"{d}"' for d in ds.dimensions]
    sums = [f'sum({expr}) AS "{column_of(m, name)}"' for m in _metrics_of(dataset_key)
            for name, expr in m.measures.items()]
    month = f"CAST(date_trunc('month', \"{ds.date_column}\") AS DATE)"
    cur.execute(f"DROP TABLE IF EXISTS {table_of(dataset_key)}")
    cur.execute(
        f"-- rollup: {dataset_key}\n"
        f"CREATE TABLE {table_of(dataset_key)} AS SELECT {month} AS \"{ds.date_column}\", {', '.join(dims)}, "
        f"{', '.join(sums)} FROM {ds.table} WHERE \"{ds.date_column}\" IS NOT NULL "
        f"GROUP BY {month}, {', '.join(dims)}"
    )


def usable(m: Metric, grain: str, by: Sequence[str], where: Sequence[str], start: dt.date | None,
           end: dt.date | None) -> bool:
    """True when the rollup gives exactly the answer the raw rows would."""
    if not eligible(m) or grain not in MONTHLY_GRAINS:
        return False
    if start is not None and start.day != 1:
        return False
    if end is not None and end.day != calendar.monthrange(end.year, end.month)[1]:
        return False
    kept = set(DATASETS[m.dataset].dimensions) | {"site_type", "country"}
    return set(by) <= kept and set(where) <= kept


def exists(cur: duckdb.DuckDBPyConnection, dataset_key: str) -> bool:
    """Whether the rollup table has been built (a database from before rollups has none until an import)."""
    row = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table_of(dataset_key)]
    ).fetchone()
    return bool(row and row[0])
