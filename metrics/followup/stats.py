"""How the loop is closed, per region: close rate, share closed on time, time to close; and the call-back.

Per region (never per owner: no ranking of people, the staff representatives' concern):
- close rate: closed cases / cases, with Wilson's interval;
- on time: cases closed by their due date / cases decided (closed, or past due while open); an open
  case not yet due is undecided and left out;
- time to close, in hours from the answer (or complaint) to the closing: the Kaplan-Meier median with
  open cases censored at `clock.now()` and its distribution-free interval (metrics.insights.handoffs).
The call-back: detractors whose customer answered again later (same hashed customer id, the first later
answer with a score), the NPS of that answer for customers reached (outcome reached or resolved)
against the others (not reached, or not called yet), with the difference's 95 % interval from the NPS
variance (metrics.stats.compare_nps). An association, not an effect; under MIN_EFFECT_N answers in a
group the comparison is not made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from metrics import clock, stats
from metrics.followup.queue import DETRACTOR_MAX, REACHED, TABLE, Reader, state_sql
from metrics.fragments import one_of, period
from metrics.insights.handoffs import median_row

MIN_EFFECT_N = 10  # later answers per group below which the call-back comparison says "too few"
REGION_COLUMNS = (
    "region", "cases", "closed", "close_rate", "close_low", "close_high", "decided", "on_time",
    "on_time_rate", "on_time_low", "on_time_high", "open", "hours", "hours_low", "hours_high",
)  # fmt: skip
EFFECT_COLUMNS = (
    "group", "n", "promoters", "detractors", "nps", "low", "high", "difference", "difference_low",
    "difference_high", "enough",
)  # fmt: skip


def by_region(
    store: Reader, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per region with cases (REGION_COLUMNS): rates in percent, times in hours."""
    state, params = state_sql(start, end, regions)
    # the five columns the figures need, not every case's comment; in the queue's order, which the
    # Kaplan-Meier median's stable sort keeps among cases of equal duration
    with store.cursor() as cur:
        cases = cur.execute(
            "-- follow-ups: per region\n"
            f"SELECT region, status, happened_at, due_at, closed_at FROM ({state}) ORDER BY due_at, source, "
            "source_id",
            params,
        ).df()
    now = pd.Timestamp(clock.now())
    rows = []
    for region, group in cases.groupby("region", sort=True):
        closed = group["status"] == "closed"
        on_time = closed & (group["closed_at"] <= group["due_at"])
        decided = closed | (group["due_at"] < now)
        end_at = group["closed_at"].where(closed, now)
        hours = ((end_at - group["happened_at"]).dt.total_seconds() / 3600).clip(lower=0)
        close = stats.wilson_interval(int(closed.sum()), len(group))
        timely = stats.wilson_interval(int(on_time.sum()), int(decided.sum()))
        median = median_row(hours.reset_index(drop=True), closed.reset_index(drop=True))
        rows.append({
            "region": region, "cases": len(group), "closed": int(closed.sum()),
            "close_rate": close.value, "close_low": close.low, "close_high": close.high,
            "decided": int(decided.sum()), "on_time": int(on_time.sum()), "on_time_rate": timely.value,
            "on_time_low": timely.low, "on_time_high": timely.high, "open": median["open"],
            "hours": median["value"], "hours_low": median["low"], "hours_high": median["high"],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(REGION_COLUMNS))


def later_answers(
    store: Reader, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """Each detractor of the period whose customer answered again: response_id, outcome, later score.

    The later answer is the customer's first scored answer after the detractor's (ties by id), read in
    the caller's scope like everything else.
    """
    conditions, params = period('d."responded_at"', start, end)
    conditions.append(f'd."score" <= {DETRACTOR_MAX}')
    if regions:
        condition, region_params = one_of('d."region"', regions)
        conditions.append(condition)
        params += region_params
    sql = (
        "-- follow-ups: the next answer of each detractor's customer\n"
        'SELECT response_id, outcome, later_score FROM (SELECT d."response_id" AS response_id, f.outcome, '
        'l."score" AS later_score, row_number() OVER (PARTITION BY d."response_id" '
        'ORDER BY l."responded_at", l."response_id") AS k FROM ds_responses d '
        'JOIN ds_responses l ON l."customer_id" = d."customer_id" AND l."score" IS NOT NULL '
        'AND l."responded_at" > d."responded_at" '
        f"LEFT JOIN {TABLE} f ON f.source = 'response' AND f.source_id = d.\"response_id\" "
        f'WHERE d."customer_id" IS NOT NULL AND {" AND ".join(conditions)}) later WHERE k = 1 ORDER BY 1'
    )
    with store.cursor() as cur:
        return cur.execute(sql, params).df()


def callback_effect(
    store: Reader, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """Two rows, reached then others (EFFECT_COLUMNS); the difference sits on the reached row.

    `enough` is False (and the difference NaN) when either group has fewer than MIN_EFFECT_N answers.
    """
    later = later_answers(store, start, end, regions)
    reached = later["outcome"].isin(list(REACHED))
    counts = {}
    for name, rows in (("reached", later[reached]), ("others", later[~reached])):
        scores = rows["later_score"]
        counts[name] = (int((scores >= 9).sum()), int((scores <= DETRACTOR_MAX).sum()), len(rows))
    enough = all(n >= MIN_EFFECT_N for _, _, n in counts.values())
    out = []
    for name, (prom, det, n) in counts.items():
        band = stats.nps_interval(prom, det, n)
        out.append({"group": name, "n": n, "promoters": prom, "detractors": det, "nps": band.value,
                    "low": band.low, "high": band.high, "difference": np.nan, "difference_low": np.nan,
                    "difference_high": np.nan, "enough": enough})  # fmt: skip
    if enough:
        gap = stats.compare_nps(*counts["reached"], *counts["others"])
        diff, moe = float(gap.difference), float(gap.moe_difference)
        out[0].update(difference=diff, difference_low=diff - moe, difference_high=diff + moe)
    return pd.DataFrame(out, columns=list(EFFECT_COLUMNS))
