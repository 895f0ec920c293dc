"""Monthly pre-aggregates, derived from the metric declarations, so pages answer fast at 10M rows.

For each rolled-up dataset, one table holds per month and per combination of its dimensions the
sum of every declared measure of every metric that reads it. The query layer reads it instead of
the raw rows whenever the answer is the same: a monthly-or-coarser grain, a range made of whole
months, dimensions the table keeps. Nothing about a metric or a caller changes. It is rebuilt in
the same transaction as every import and roll-back, so it can never disagree with the raw rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb

from metrics.contracts.datasets import COMPLAINTS, DATASETS, INTERVENTIONS, RESPONSES
from metrics.months import month_end
from metrics.semantic.definitions import METRICS, Metric
from metrics.semantic.dialects import settings_read
from metrics.semantic.joins import joins_of
from metrics.semantic.kinds import spec

ROLLED_UP = (RESPONSES.key, INTERVENTIONS.key, COMPLAINTS.key)
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
        and spec(m).additive
        and m.where is None
        and m.date == ds.date_column
        and not any(settings_read(expr) for expr in m.measures.values())
    )


def _metrics_of(dataset_key: str) -> list[Metric]:
    return [m for m in METRICS.values() if m.dataset == dataset_key and eligible(m)]


def _select(dataset_key: str) -> tuple[str, str, list[str]]:
    """The rollup's SELECT ... GROUP BY over the dataset's rows, and the names of the columns it makes."""
    ds = DATASETS[dataset_key]
    dims = [f'"{d}"' for d in ds.dimensions]
    measures = [(column_of(m, n), expr) for m in _metrics_of(dataset_key) for n, expr in m.measures.items()]
    month = f"CAST(date_trunc('month', \"{ds.date_column}\") AS DATE)"
    sums = [f'sum({expr}) AS "{name}"' for name, expr in measures]
    select = (
        f'SELECT {month} AS "{ds.date_column}", {", ".join(dims)}, {", ".join(sums)} FROM {ds.table} '
        f'WHERE "{ds.date_column}" IS NOT NULL {{where}} GROUP BY {month}, {", ".join(dims)}'
    )
    return select, month, [ds.date_column or "", *ds.dimensions, *(name for name, _ in measures)]


def rebuild(cur: duckdb.DuckDBPyConnection, dataset_key: str) -> None:
    """Replace the rollup of `dataset_key` from its current rows (inside the caller's transaction)."""
    if dataset_key not in ROLLED_UP:
        return
    select, _, _ = _select(dataset_key)
    cur.execute(f"DROP TABLE IF EXISTS {table_of(dataset_key)}")
    body = select.replace("{where}", "")
    cur.execute(f"-- rollup: {dataset_key}\nCREATE TABLE {table_of(dataset_key)} AS {body}")


def refresh(cur: duckdb.DuckDBPyConnection, dataset_key: str, months: Sequence[dt.date]) -> None:
    """Recompute only `months` (first days), so an import's cost follows its file, not the database.

    A rollup that is missing or was built for other metric declarations is rebuilt whole.
    """
    if dataset_key not in ROLLED_UP:
        return
    select, month, names = _select(dataset_key)
    table = table_of(dataset_key)
    found = cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    if [r[0] for r in found] != names:
        rebuild(cur, dataset_key)
        return
    if not months:
        return
    date = f'"{DATASETS[dataset_key].date_column}"'
    marks = ", ".join("?" for _ in months)
    cur.execute(f"DELETE FROM {table} WHERE {date} IN ({marks})", list(months))
    # the constant bounds let DuckDB skip row groups outside the file's months
    last = max(months)
    end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    where = f"AND {date} >= ? AND {date} < ? AND {month} IN ({marks})"  # not user-facing: SQL
    body = select.replace("{where}", where)
    cur.execute(
        f"-- rollup: {dataset_key}, the months of one import\nINSERT INTO {table} {body}",
        [min(months), end, *months],
    )


def usable(
    m: Metric, grain: str, by: Sequence[str], where: Sequence[str], start: dt.date | None, end: dt.date | None
) -> bool:
    """True when the rollup gives exactly the answer the raw rows would."""
    if not eligible(m) or grain not in MONTHLY_GRAINS:
        return False
    if start is not None and start.day != 1:
        return False
    if end is not None and end != month_end(end):
        return False
    kept = set(DATASETS[m.dataset].dimensions) | {c for j in joins_of(m.dataset) for c in j.columns}
    return set(by) <= kept and set(where) <= kept
