"""The probability of reaching an annual target: the year so far plus a forecast of the months to come.

Each recent month gives a value and its sampling variance: from the answers' categories for NPS and
rates (one answer's score variance over n), from the month's 95 % margin for means, medians and
complaint rates. `metrics.forecast` turns them into the distribution of the volume-weighted sum of the
months to come, allowing for a trend, for a level that drifts and for months that wobble, with every
variance averaged over what the data allow rather than estimated once. A month without a margin (a
median on fewer than 6 values) borrows the spread of the others for its volume; with no usable month
the probability is unknown (None), never 0. Method and limits: docs/methods.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.forecast import forecast
from metrics.semantic.kinds import KINDS, Categories, StatKind

Z95 = 1.959963984540054


@dataclass(frozen=True, kw_only=True, slots=True)
class Outlook:
    """The chance of reaching the target, and the model's reading of the recent months."""

    probability: float  # 0-1
    level: float  # the true level at the last recent month
    level_sd: float  # its uncertainty
    trend: float  # per month over the recent months, shrunk towards 0 when they show little of one
    month_sd: float  # how far a month's true level strays from the path (posterior mean of tau)
    drift_sd: float  # how far the path itself wanders in a month (posterior mean of sqrt q)
    months: int  # recent months used


@dataclass(frozen=True, slots=True)
class _Months:
    """The recent months the model reads, and the sampling variance of one unit of volume."""

    times: np.ndarray  # month numbers (months since January 1970), or 0, 1, 2... without a period column
    values: np.ndarray
    sampling: np.ndarray  # each month's sampling variance
    unit_var: float  # sampling variance times volume: a month of volume w has unit_var / w


def _times(recent: pd.DataFrame) -> np.ndarray:
    """Month numbers, so that a month without data leaves a gap the model sees."""
    if "period" in recent.columns:
        return np.asarray(recent["period"], dtype="datetime64[M]").astype(float)
    return np.arange(len(recent), dtype=float)


def _categorical(spec: Categories, recent: pd.DataFrame) -> _Months:
    """NPS and rates: a month's value from its category counts, its variance from the pooled shares."""
    scores = np.asarray(spec.scores)
    counts = recent[list(spec.columns)].to_numpy(float)
    n = recent["n"].to_numpy(float)
    counts = np.column_stack([counts, n - counts.sum(axis=1)])
    total = counts.sum(axis=0)
    p = (total + 0.5) / (total.sum() + 0.5 * len(total))  # half an answer each: no category at exactly 0
    unit_var = float(scores**2 @ p - (scores @ p) ** 2)  # one answer's score variance
    return _Months(_times(recent), counts @ scores / n, unit_var / n, unit_var)


def _normal(weight: str, recent: pd.DataFrame) -> _Months | None:
    """Means, medians and rates: the sampling variance from each month's margin, (moe / 1.96)².

    A month without a margin (fewer than 6 values for a median) takes the median per-unit variance of
    the months that have one, for its own volume. Without any margin the months' spread says it all
    (the model's month-to-month term absorbs the sampling), which needs three months at least.
    """
    keep = recent["value"].notna().to_numpy() & (recent[weight].to_numpy(float) > 0)
    recent = recent[keep]
    w = recent[weight].to_numpy(float)
    sampling = (recent["moe"].to_numpy(float) / Z95) ** 2
    known = np.isfinite(sampling)
    if known.any():
        unit_var = float(np.median(sampling[known] * w[known]))
        sampling = np.where(known, sampling, unit_var / w)
    elif len(recent) >= 3:
        unit_var, sampling = 0.0, np.zeros(len(recent))
    else:
        return None
    return _Months(_times(recent), recent["value"].to_numpy(float), sampling, unit_var)


def _certain(value: float, target: float, higher_is_better: bool) -> Outlook | None:
    """A finished year: reached or not, certainly; unknown when the year's value is."""
    if math.isnan(value):
        return None
    hit = value >= target if higher_is_better else value <= target
    return Outlook(
        probability=float(hit), level=value, level_sd=0.0, trend=0.0, month_sd=0.0, drift_sd=0.0, months=0
    )


def _ytd_value(spec: Categories | None, ytd: Mapping[str, float]) -> float:
    if spec is not None and all(c in ytd for c in spec.columns):
        counts = [float(ytd[c]) for c in spec.columns]
        counts.append(float(ytd["n"]) - sum(counts))
        return float(np.asarray(counts) @ np.asarray(spec.scores)) / float(ytd["n"])
    return float(ytd["value"])


def target_probability(
    kind: StatKind,
    ytd: Mapping[str, float],
    recent: pd.DataFrame,
    *,
    remaining: float,
    months_left: int,
    target: float,
    higher_is_better: bool = True,
) -> Outlook | None:
    """P(year-end value reaches `target`); None where it cannot be computed, or for counts and workload.

    `ytd` holds the year-to-date row of `metric_frame` (grain "ytd": value, n and measure sums),
    `recent` the last monthly rows (grain "month", oldest first; `reports.outlook` passes 24),
    `remaining` the expected volume still to come, on the same basis as the required run-rate,
    spread evenly over `months_left` months.
    """
    # the kind's record says which months: counted categories (NPS, rates) or values with a margin
    spec = KINDS[kind]
    categories, weight = spec.categories, spec.weight if spec.categories is not None else spec.outlook_weight
    if weight is None:
        return None
    value = _ytd_value(categories, ytd)
    if months_left <= 0 or remaining <= 0:
        return _certain(value, target, higher_is_better)
    recent = recent[recent[weight] > 0] if weight in recent.columns else recent.iloc[0:0]
    months = _categorical(categories, recent) if categories is not None else _normal(weight, recent)
    if months is None or len(months.values) == 0 or math.isnan(value):
        return None
    sizes = np.full(months_left, remaining / months_left)
    future = months.times[-1] + np.arange(1, months_left + 1)
    got = forecast(months.times, months.values, months.sampling, future, sizes, months.unit_var / sizes)
    # the year's value weighs each month by its volume (exact for means and rates, close for medians):
    # final >= target  <=>  sum of (volume x value) to come >= target x (W_ytd + rest) - value x W_ytd
    so_far = float(ytd[weight])
    needed = target * (so_far + remaining) - value * so_far
    probability = got.prob_at_least(needed) if higher_is_better else got.prob_at_most(needed)
    return Outlook(
        probability=probability,
        level=got.level,
        level_sd=got.level_sd,
        trend=got.trend,
        month_sd=got.month_sd,
        drift_sd=got.drift_sd,
        months=len(months.values),
    )
