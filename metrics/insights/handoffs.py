"""Hand-offs: how many complaints needed more than one contact, and what goes with it in days and in NPS.

Three answers, each with n and a 95 % interval: the share of complaints with more than one contact
(the declared `repeat_contact_rate`), the resolution time of one-contact against several-contact
complaints, and the NPS of the same customers' answers given on or after their first complaint of the
period, linked by `customer_id` (a customer counts as "several" if any of their complaints took more
than one contact). These are associations seen in the data, not effects: a hard case may need both
more contacts and more days, so the gaps say what several contacts go with, not what they cause.

Median resolution time counts complaints still open: each is censored at the day the data describe
(today, or the last event recorded if the data stop earlier) and the median is Kaplan-Meier's. Its
interval is distribution-free (order statistics, `stats.median_ranks`), taking an open complaint as
lasting at least its days so far for the low bound and without limit for the high bound, so it covers
at least 95 % whatever the open ones turn out to be; below 6 complaints there is no interval. The mean
and its Welch test use closed complaints only (a mean cannot be taken over unfinished durations).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from metrics import clock, stats
from metrics.contracts.datasets import DATASETS
from metrics.fragments import one_of, period
from metrics.insights import scope
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import Store

GROUPS = ("one", "several")
# the declared metrics whose rows, dates and conditions the hand-offs read, resolved once
CONTACTS, RESOLUTION = metric("repeat_contact_rate"), metric("resolution_days_median")
COLUMNS = (
    "measure", "group", "value", "n", "open", "moe", "low", "high", "difference", "p_value", "significant",
)  # fmt: skip


def _test(cmp: stats.Comparison) -> dict[str, object]:
    """The gap "several minus one", its p-value and whether it is significant, for the "several" row."""
    return {
        "difference": float(cmp.difference),
        "p_value": float(cmp.p_value),
        "significant": bool(cmp.significant),
    }


def _scope(
    start: dt.date | None, end: dt.date | None, column: str, regions: Sequence[str]
) -> tuple[str, list[object]]:
    conditions, params = period(column, start, end)
    if regions:
        condition, region_params = one_of('c."region"', regions)
        conditions.append(condition)
        params += region_params
    return " AND ".join(conditions), params


def _flagged_complaints(
    start: dt.date | None, end: dt.date | None, regions: Sequence[str]
) -> tuple[str, list[object]]:
    """Complaints of the period with a known contact count: customer, opened, days (if closed), several."""
    contacts, resolution = CONTACTS, RESOLUTION  # the resolution's `where`: complaints with a duration
    ds = DATASETS[contacts.dataset]
    where, params = _scope(start, end, f'c."{contacts.date}"', regions)
    sql = (
        f'SELECT c."customer_id" AS customer, c."{contacts.date}" AS opened, '
        f"CASE WHEN {resolution.where} THEN {resolution.measures['x']} END AS days, "
        f"{contacts.measures['successes']} = 1 AS several FROM {ds.table} c "
        f"WHERE {where} AND {contacts.measures['n']} = 1"
    )
    return sql, params


def durations(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """Each complaint of the period: several, closed, days (to closing, or so far when still open).

    An open complaint's days run to the censoring point: today (metrics.clock), or the last opening or
    closing recorded in the complaints if that is earlier (data extracted on 30 September and read on
    15 October say nothing about 1-15 October).
    """
    flagged, params = _flagged_complaints(start, end, regions)
    opened, closed = f'"{CONTACTS.date}"', f'"{RESOLUTION.date}"'
    sql = (
        f"-- hand-offs: resolution days by number of contacts, open complaints censored\n"
        f"WITH edge AS (SELECT least(CAST(? AS TIMESTAMP), max(greatest({opened}, coalesce({closed}, "
        f"{opened})))) AS at FROM {DATASETS[CONTACTS.dataset].table}) "
        f"SELECT several, days IS NOT NULL AS closed, coalesce(days, greatest(0, date_diff('minute', "
        f"opened, edge.at) / 1440.0)) AS days FROM ({flagged}) f, edge ORDER BY several, days"
    )
    return scope.read(store, sql, [clock.today(), *params])


def km_median(days: ArrayLike, closed: ArrayLike) -> float:
    """Kaplan-Meier median of durations, open ones (closed False) censored at their days; NaN if not reached.

    The median is the first time the survival curve falls to 0.5 or below; where it sits exactly at 0.5
    the midpoint to the next closing is taken (R's survival convention), so with nothing open it is the
    ordinary median: 1, 2, 3, 4 -> 2.5.
    """
    t, event = np.asarray(days, dtype=float), np.asarray(closed, dtype=bool)
    order = np.argsort(t, kind="stable")
    t, event = t[order], event[order]
    if not event.any():
        return float("nan")
    # one step per distinct time: everyone from its first index on is at risk (a complaint censored at
    # a closing time is still at risk then); times with no closing multiply by 1 and are dropped
    times, first = np.unique(t, return_index=True)
    closings = np.add.reduceat(event.astype(np.int64), first)
    survival = np.cumprod(1 - closings / (len(t) - first))
    times, survival = times[closings > 0], survival[closings > 0]
    below = np.flatnonzero(survival <= 0.5 + 1e-12)
    if below.size == 0:
        return float("nan")
    i = below[0]
    if abs(survival[i] - 0.5) < 1e-12 and i + 1 < times.size:
        return float((times[i] + times[i + 1]) / 2)
    return float(times[i])


def median_row(days: pd.Series, closed: pd.Series) -> dict[str, float]:
    """Median days with its order-statistic interval; low and high NaN when too few (n < 6) or unbounded.

    Bounds take an open complaint's days so far as a floor (low) and as unbounded (high), so the
    interval holds whatever they turn out to last; high is NaN when the rank it needs is still open.
    """
    n = len(days)
    low_rank, high_rank = stats.median_ranks(n)
    floors = np.sort(days.to_numpy(dtype=float))
    ceilings = np.sort(np.where(closed.to_numpy(dtype=bool), days.to_numpy(dtype=float), np.inf))
    low = floors[int(low_rank) - 1] if not np.isnan(low_rank) else np.nan
    high = ceilings[int(high_rank) - 1] if not np.isnan(high_rank) else np.nan
    high = np.nan if np.isinf(high) else high
    return {"value": km_median(days, closed), "n": n, "open": int((~closed.astype(bool)).sum()),
            "moe": (high - low) / 2, "low": low, "high": high}  # fmt: skip


def resolution(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """Median days (open complaints included) and mean days (closed only, Welch test), one against several."""
    got = durations(store, start, end, regions)
    groups = {name: got[got["several"] == flag] for flag, name in ((False, "one"), (True, "several"))}
    groups = {name: g for name, g in groups.items() if not g.empty}
    sums = {}
    for name, g in groups.items():
        done = g.loc[g["closed"], "days"]
        sums[name] = (float(done.sum()), float((done * done).sum()), len(done))
    test: dict[str, object] = {}
    if {"one", "several"} <= set(sums) and sums["one"][2] and sums["several"][2]:
        test = _test(stats.compare_means(*sums["several"], *sums["one"]))
    rows = []
    for name, g in groups.items():
        median = median_row(g["days"], g["closed"])
        rows.append({"measure": "resolution_days_median", "group": name, **median})
        total, total_sq, n = sums[name]
        if not n:
            continue
        iv = stats.mean_interval(total, total_sq, n)
        rows.append(
            {"measure": "resolution_days_mean", "group": name, "value": iv.value, "n": n,
             "moe": iv.moe, "low": iv.low, "high": iv.high, **(test if name == "several" else {})}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS))


def linked_nps(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """NPS of the answers customers gave on or after their first complaint, one- against several-contact."""
    flagged, params = _flagged_complaints(start, end, regions)
    nps = metric("nps")
    answers = DATASETS[nps.dataset]
    sql = (
        f"-- metric: nps of customers by number of complaint contacts\n"
        f"WITH customers AS (SELECT customer, bool_or(several) AS several, min(opened) AS first "
        f"FROM ({flagged}) f WHERE customer IS NOT NULL GROUP BY customer) "
        f"SELECT c.several, {scope.nps_sums(nps)}, sum({nps.measures['n']}) AS n "
        f'FROM customers c JOIN {answers.table} r ON r."customer_id" = c.customer '
        f'AND r."{nps.date}" >= c.first GROUP BY c.several ORDER BY c.several'
    )
    got = scope.read(store, sql, params)
    got = got[got["n"] > 0]
    test: dict[str, object] = {}
    if len(got) == 2:
        one, several = got.iloc[0], got.iloc[1]
        test = _test(stats.compare_nps(
            several["promoters"], several["detractors"], several["n"],
            one["promoters"], one["detractors"], one["n"],
        ))  # fmt: skip
    rows = []
    for r in got.itertuples(index=False):
        iv = stats.nps_interval(r.promoters, r.detractors, r.n)
        rows.append(
            {"measure": "nps", "group": "several" if r.several else "one", "value": iv.value, "n": int(r.n),
             "moe": iv.moe, "low": iv.low, "high": iv.high, **(test if r.several else {})}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS))


def handoffs(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """The three answers in one long table: measure, group, value, n, moe, low, high, test on the gap.

    `regions` keeps the complaints of those regions (and the answers of their customers, wherever given).
    """
    where = {"region": list(regions)} if regions else {}
    share = metric_frame(store, CONTACTS, grain="total", start=start, end=end, where=where)
    first = share[["value", "n", "moe", "low", "high"]].assign(measure="several_contacts_pct", group="all")
    found = (resolution(store, start, end, regions), linked_nps(store, start, end, regions))
    parts = [p for p in (first, *found) if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COLUMNS))
    return out.reindex(columns=list(COLUMNS))
