"""Will we make the target? The probability for one trajectory, on the basis of its required run-rate."""

from __future__ import annotations

import datetime as dt
import math

from metrics.months import add_months, month_start
from metrics.reports.probability import Outlook, target_probability
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import metric
from metrics.semantic.query import last_per_group, metric_frame
from metrics.store import Store

# six months give a usable month-to-month variance of the true level
RECENT_MONTHS = 6


def outlook(store: Store, tr: Trajectory) -> Outlook | None:
    """P(reaching `tr`'s target) from the year to date, the last six months and `tr.remaining`.

    None without a target, without data, or for kinds with no sampling model (counts, workload).
    """
    if tr.target is None or tr.n == 0 or tr.remaining is None:
        return None
    m = metric(tr.metric)
    where = {"region": [tr.region]} if tr.region else {}
    start = dt.date(tr.year, 1, 1)
    ytd = last_per_group(
        metric_frame(store, tr.metric, grain="ytd", start=start, end=tr.as_of, where=where), ()
    )
    first = add_months(month_start(tr.as_of), -(RECENT_MONTHS - 1))
    recent = metric_frame(store, tr.metric, grain="month", start=first, end=tr.as_of, where=where)
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
