"""Will we make the target? The probability for one trajectory, and the headline table that carries it."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from metrics.contracts.datasets import RESPONSES
from metrics.months import add_months, month_start
from metrics.reports.probability import Outlook, target_probability
from metrics.reports.trajectory import Trajectory, default_as_of, targeted_metrics, trajectory
from metrics.semantic.definitions import metric
from metrics.semantic.query import last_per_group, metric_frame
from metrics.store import Store

# two years of months: enough to tell a trend from a drifting level and from months that wobble
RECENT_MONTHS = 24


def outlook(store: Store, tr: Trajectory) -> Outlook | None:
    """P(reaching `tr`'s target) from the year to date, the last 24 months and `tr.remaining`.

    None without a target, without data, where the months say too little to tell (no usable month), or for
    kinds with no sampling model (counts, workload).
    """
    if tr.target is None or tr.n == 0 or tr.remaining is None:
        return None
    m = tr.metric
    where = {"region": [tr.region]} if tr.region else {}
    start = dt.date(tr.year, 1, 1)
    ytd = last_per_group(metric_frame(store, m, grain="ytd", start=start, end=tr.as_of, where=where), ())
    first = add_months(month_start(tr.as_of), -(RECENT_MONTHS - 1))
    recent = metric_frame(store, m, grain="month", start=first, end=tr.as_of, where=where)
    if ytd.empty or recent.empty:
        return None
    return target_probability(
        m.kind,
        ytd.iloc[0],
        recent,
        remaining=tr.remaining,
        months_left=math.ceil(tr.to_come),
        target=tr.target,
        higher_is_better=m.higher_is_better,
    )


def probability(store: Store, tr: Trajectory) -> float | None:
    """Just the probability (0-1), or None where there is none."""
    got = outlook(store, tr)
    return None if got is None else got.probability


def summary(
    store: Store, *, year: int | None = None, as_of: dt.date | None = None, by_region: bool = False
) -> pd.DataFrame:
    """One row per targeted metric (and per region with `by_region`): the executive's headline table.

    Each row carries `probability` (0-1), the chance of reaching the target (below), and the verdict's
    `status` and `reachable` (reports.verdict), the ones the pages and the board pack show.
    """
    from metrics.reports.verdict import decide

    as_of = as_of or default_as_of(store)
    year = year or as_of.year
    regions: list[str | None] = [None]
    if by_region:
        with store.cursor() as cur:
            regions += [
                r[0]
                for r in cur.execute(f'SELECT DISTINCT "region" FROM {RESPONSES.table} ORDER BY 1').fetchall()
            ]
    rows = []
    for m in map(metric, targeted_metrics(store, year)):
        for region in regions:
            tr = trajectory(store, m, year=year, as_of=as_of, region=region)
            chance = probability(store, tr)
            judged = decide(tr, chance)
            rows.append({
                "metric": m.key, "region": region, **tr.headline(),
                "status": judged.status, "reachable": judged.reachable, "probability": chance,
            })  # fmt: skip
    return pd.DataFrame(rows)
