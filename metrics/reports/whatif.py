"""What the year ends at if the remaining months average X, with the best month so far as a check.

"Si le T4 fait 55, l'année finit à 41,2": the year is volume-weighted, so the year-end value is
(value_ytd * w_ytd + X * w_rest) / (w_ytd + w_rest), where w is what weighs a month for the kind
(answers for an NPS, customer exposure for a rate) and w_rest the volume still to come at the pace of
the recent months (the basis of `Trajectory.required`, so X = required gives the target back).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import Metric
from metrics.semantic.kinds import spec
from metrics.semantic.query import metric_frame
from metrics.store import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIf:
    """The weights of the year so far and of the months to come, and the best month as a realism check."""

    metric: Metric
    value: float
    weight_so_far: float
    weight_to_come: float
    best_month: pd.Timestamp | None
    best_value: float | None

    def year_end(self, rest: float) -> float:
        """The year's value if the months to come average `rest`."""
        total = self.weight_so_far + self.weight_to_come
        return (self.value * self.weight_so_far + rest * self.weight_to_come) / total


def best_month(tr: Trajectory) -> tuple[pd.Timestamp | None, float | None]:
    """The year's best month so far (highest, or lowest when lower is better)."""
    shown = tr.months.dropna(subset=["value"])
    if shown.empty:
        return None, None
    values = shown["value"].astype(float)
    pick = values.idxmax() if tr.metric.higher_is_better else values.idxmin()
    return shown.loc[pick, "period"], float(values[pick])


def what_if(store: Store, tr: Trajectory) -> WhatIf | None:
    """The what-if of a trajectory; None for a finished year, no data, or a kind that does not add up."""
    m = tr.metric
    weight = spec(m).weight
    if weight is None or tr.remaining is None or tr.months_left <= 0 or math.isnan(tr.value):
        return None
    where = {"region": [tr.region]} if tr.region else {}
    ytd = metric_frame(
        store, m, grain="total", start=pd.Timestamp(tr.year, 1, 1).date(), end=tr.as_of, where=where
    )
    if ytd.empty or weight not in ytd.columns:
        return None
    month, value = best_month(tr)
    return WhatIf(
        metric=tr.metric,
        value=tr.value,
        weight_so_far=float(ytd[weight].iloc[0]),
        weight_to_come=float(tr.remaining),
        best_month=month,
        best_value=value,
    )
