"""Before and after a dated event (a reorganisation): the difference and whether it is more than noise.

Each side is the whole months around the event's own month (left out, since it mixes both). Its
figure is one "total" from the query layer, so the privacy rule (month grain, small units merged)
applies to it like to any other group. The test depends on the kind:

- sample kinds (NPS, proportions, means, rates) use their two-sample test on the sides' measure sums
  (the kind's `test` in `semantic.kinds`, the one the Regions league uses);
- census kinds (workload ratios: every contact is counted, there is no sampling error) are judged
  against their own month-to-month variation: Welch's t test on the sides' monthly values. With three
  months a side it only calls a change that stands clear of how much months usually move.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from metrics import stats
from metrics.months import add_months, month_start
from metrics.reports.comparison import ALPHA
from metrics.semantic.definitions import Metric
from metrics.semantic.kinds import spec
from metrics.semantic.query import metric_frame
from metrics.store import Store

SIDES = ("before", "after")


def sides_of(day: dt.date, months: int = 3) -> dict[str, tuple[dt.date, dt.date]]:
    """The date ranges each side of `day`: `months` whole months, `day`'s own month left out."""
    month = month_start(day)
    return {
        "before": (add_months(month, -months), month - dt.timedelta(days=1)),
        "after": (add_months(month, 1), add_months(month, 1 + months) - dt.timedelta(days=1)),
    }


def judged_in(event_region: str | None, chosen: Sequence[str]) -> tuple[str, ...]:
    """The regions an event is judged in: its own region, else the reader's chosen regions (none: all).

    A company-wide reorganisation read with the sidebar on Bretagne is Bretagne's before/after, as every
    other figure of the page; an event of one region stays that region's, whatever else is chosen.
    """
    return (event_region,) if event_region else tuple(chosen)


def _test(m: Metric, totals: list[pd.DataFrame], monthly: list[pd.DataFrame]) -> float:
    """The two-sided p-value of after against before; NaN when a side cannot be tested."""
    if any(t.empty or bool(t["suppressed"].iloc[0]) for t in totals):
        return math.nan
    test = spec(m).test
    if test is not None:
        before, after = (t.reset_index(drop=True) for t in totals)
        return float(np.asarray(test(m, after, before).p_value, dtype=float))
    values = [f.loc[~f["suppressed"].astype(bool), "value"].astype(float) for f in monthly]
    if min(len(v) for v in values) < 2:
        return math.nan
    before, after = values
    got = stats.compare_means(
        after.sum(), (after**2).sum(), len(after), before.sum(), (before**2).sum(), len(before)
    )
    return float(np.asarray(got.p_value, dtype=float))


def around(
    store: Store,
    m: Metric,
    day: dt.date | pd.Timestamp,
    region: str | None = None,
    months: int = 3,
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """One row per side (before, after): start, end, months with data, value, n, suppressed.

    The frame's `attrs` carry the comparison: `difference` (after - before), `p_value` and `verdict`
    ("up", "down", "noise", or "untested" when a side is hidden or has too few months).
    """
    day = pd.Timestamp(day).date()
    scope = {k: list(v) for k, v in (where or {}).items()}
    if region:
        scope["region"] = [region]
    rows, totals, monthly = [], [], []
    for side, (start, end) in sides_of(day, months).items():
        total = metric_frame(store, m, grain="total", start=start, end=end, where=scope)
        by_month = metric_frame(store, m, grain="month", start=start, end=end, where=scope)
        totals.append(total)
        monthly.append(by_month)
        row: dict[str, object] = {"side": side, "start": start, "end": end, "months": len(by_month)}
        if total.empty:
            row.update(value=math.nan, n=math.nan, suppressed=False)
        else:
            first = total.iloc[0]
            row.update(value=float(first["value"]), n=float(first["n"]), suppressed=bool(first["suppressed"]))
        rows.append(row)
    out = pd.DataFrame(rows)
    p = _test(m, totals, monthly)
    shown = out[~out["suppressed"].astype(bool)]["value"]
    difference = float(out["value"].iloc[1] - out["value"].iloc[0]) if len(shown) == 2 else math.nan
    if math.isnan(p) or math.isnan(difference):
        verdict = "untested"
    elif p >= ALPHA:
        verdict = "noise"
    else:
        verdict = "up" if difference > 0 else "down"
    out.attrs.update(difference=difference, p_value=p, verdict=verdict)
    return out
