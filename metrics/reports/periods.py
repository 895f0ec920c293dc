"""Period helpers the pages and the CLI share: the latest months, last year to date, filter values.

They lived in the dashboard's cache wrapper, out of the CLI's reach; here they take a store and
return plain frames, and the dashboard only caches them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from metrics import clock
from metrics.contracts.datasets import dataset
from metrics.months import add_months
from metrics.semantic.definitions import Metric, metric
from metrics.semantic.query import metric_frame
from metrics.store import Store


def latest_months(
    store: Store,
    m: Metric,
    by: Sequence[str],
    months: int = 3,
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """`m` by month and `by` over the last `months` months with data, newest month first.

    Within a month the highest value comes first (what a reader scans for), suppressed groups last.
    Suppressed groups stay in, blank, so a table says they exist without showing them.
    """
    got = metric_frame(store, m, grain="month", by=by, where=where)
    if got.empty:
        return got
    last = sorted(set(got["period"]))[-months:]
    kept = got[got["period"].isin(last)]
    ordered = kept.sort_values(
        ["period", "value"], ascending=[False, False], na_position="last", kind="stable"
    )
    return ordered.reset_index(drop=True)


def dimension_values(store: Store, dim: str, key: str = "responses") -> list[str]:
    """The values of `dim` present in `key`'s data, sorted, for the filter lists."""
    got = metric_frame(store, metric(key), grain="year", by=(dim,))
    return sorted({str(v) for v in got[dim].dropna()})


def measured_spans(store: Store) -> list[tuple[dt.date, dt.date]]:
    """(first, last) date of each measured dataset that holds rows (answers, visits, complaints, workload).

    A database holding only complaints, or only workload, still has years and an as-of.
    """
    from metrics.contracts.datasets import DATASETS
    from metrics.semantic.definitions import METRICS

    measured = sorted({m.dataset for m in METRICS.values()})
    present = store.table_names()
    spans = []
    with store.cursor() as cur:
        for key in measured:
            ds = DATASETS[key]
            if ds.table not in present or not ds.date_column:
                continue
            row = cur.execute(
                f'SELECT CAST(min("{ds.date_column}") AS DATE), CAST(max("{ds.date_column}") AS DATE) '
                f"FROM {ds.table}"
            ).fetchone()
            if row and row[0] is not None:
                spans.append((row[0], row[1]))
    return spans


def years(store: Store) -> list[int]:
    """Years with measured data (any dataset) and years reached by the calendar with targets, newest first.

    On 1 January the new year's targets are there before its first answer: the year can be chosen
    and reads "no data yet this year" rather than vanishing from the list.
    """
    found = {y for first, last in measured_spans(store) for y in range(first.year, last.year + 1)}
    table = dataset("targets").table
    if table in store.table_names():
        with store.cursor() as cur:
            rows = cur.execute(f'SELECT DISTINCT "year" FROM {table} WHERE "year" <= ?', [clock.today().year])
            found |= {int(r[0]) for r in rows.fetchall()}
    return sorted(found, reverse=True)


def site_names(store: Store) -> dict[str, str]:
    """Site code -> name from the sites reference (codes without a name are left out)."""
    table = dataset("sites").table
    if table not in store.table_names():  # a DuckDB file or a Spark warehouse: both list their tables
        return {}
    with store.cursor() as cur:
        rows = cur.execute(f'SELECT "site", "name" FROM {table} WHERE "name" IS NOT NULL').fetchall()
    return {str(code): str(name) for code, name in rows if str(name).strip()}


def value_last_year(store: Store, m: Metric, as_of: dt.date, region: str | None = None) -> float | None:
    """`m` from 1 January to the same day one year before `as_of` (None without data)."""
    end = add_months(as_of, -12)  # the same day a year before; 29 February becomes the 28th
    where = {"region": [region]} if region else {}
    got = metric_frame(store, m, grain="total", start=dt.date(end.year, 1, 1), end=end, where=where)
    if got.empty or bool(got["suppressed"].iloc[0]) or pd.isna(got["value"].iloc[0]):
        return None
    return float(got["value"].iloc[0])
