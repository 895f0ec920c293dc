"""One group's control chart: centre, limits, the two rules, and alerts dated by their change point.

Pure functions on a frame of periods (weeks or months) of one group; `metrics.insights.alerts` reads
the store, picks each group's grain and sets the family's limit.

Rules, both judged against the same limit of `z` sigmas:
  * `point`: one period beyond the limits;
  * `shift`: the pooled value of the last `window` periods (8 weeks, 3 months) beyond the limits, which
    finds a sustained shift too small for any single period.
A sigma counts both the period's own sampling error and the error of the centre line estimated from
the baseline (`sqrt(sigma_t^2 + sigma_c^2)`), so each test's false-alarm probability on a steady
series is the normal tail beyond `z` whatever the baseline's size: the expected number of false
signals of a family of charts is then the sum of its tests' tails (linearity of expectation, no
independence needed), which `family_limit` sets to a stated rate.
An alert is dated by the maximum-likelihood step point searched back from its first signal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import special

from metrics.semantic.definitions import StatKind
from metrics.semantic.kinds import KINDS, Categories

RULES = ("point", "shift")
BASELINE = {"week": 13, "month": 6}  # periods pooled into the centre line (a quarter; half a year of months)
WINDOW = {"week": 8, "month": 3}  # periods pooled by the `shift` rule
MIN_PERIOD_N = 10  # periods with fewer answers are left off the chart: the normal limits would mislead
MIN_BASELINE_N = 100  # the centre must rest on at least this many answers
MIN_Z = 3.0  # limits are never narrower than the usual 3 sigma, even for a family of one chart
FAMILY_FALSE_ALERTS = 1.0  # expected false signals over one window, all charts of a run together
CHART_COLUMNS = (
    "center", "center_sd", "unit_var", "sigma", "lcl", "ucl", "side", "shift_z",
    "beyond", "shifted", "in_run", "fired",
)  # fmt: skip


def _unit_variance(spec: Categories, sums: Mapping[str, float]) -> tuple[float, float]:
    """Centre line and one answer's score variance from pooled counts."""
    counts = np.array([float(sums[c]) for c in spec.columns])
    shares = np.append(counts, float(sums["n"]) - counts.sum()) / float(sums["n"])
    scores = np.asarray(spec.scores)
    center = float(scores @ shares)
    variance = float(scores**2 @ shares - center**2)
    # a baseline where every answer scored alike (100 % on time) has no spread: floor it at one answer
    # in n at the other end of the scale, or every later period would be "infinitely" far off
    n = float(sums["n"])
    span = float(scores.max() - scores.min())
    return center, max(variance, span**2 * (1 / n) * (1 - 1 / n))


def base_chart(periods: pd.DataFrame, kind: StatKind, baseline: int = BASELINE["week"]) -> pd.DataFrame:
    """The periods of one group with n >= MIN_PERIOD_N, their centre and sigmas; empty without a baseline.

    `periods` holds metric_frame rows of one group (period, value, n and the measure sums), sorted.
    """
    categories = KINDS[kind].categories
    assert categories is not None, f"{kind} answers do not fall in categories"  # not user-facing: invariant
    chart = periods[periods["n"] >= MIN_PERIOD_N].reset_index(drop=True)
    columns = [*categories.columns, "n"]
    base = chart[columns].to_numpy(float)[:baseline].sum(axis=0)
    if len(chart) == 0 or base[-1] < MIN_BASELINE_N:  # no baseline to judge against: no chart
        return chart.head(0).assign(**{c: [] for c in CHART_COLUMNS})
    center, unit_var = _unit_variance(categories, dict(zip(columns, base, strict=True)))
    # numpy columns, one `assign`: the Alerts page charts about 200 groups
    return chart.assign(
        center=center,
        center_sd=math.sqrt(unit_var / base[-1]),
        unit_var=unit_var,
        sigma=np.sqrt(unit_var / chart["n"].to_numpy(float)),
    )


def tests_of(chart: pd.DataFrame, window: int) -> int:
    """How many tests a chart makes: one per period (`point`), one per full window (`shift`)."""
    return len(chart) + max(0, len(chart) - window + 1)


def family_limit(tests: int, rate: float = FAMILY_FALSE_ALERTS) -> float:
    """The limit in sigmas at which `tests` two-sided normal tests expect `rate` false signals in total.

    Bonferroni on the expected count: each test gets a tail of rate / tests. Example: 200 charts of
    52 weeks make 200 x (52 + 45) = 19,400 tests; a rate of 1 gives each 5.2e-5, so z = 4.05.
    """
    if tests <= 0:
        return MIN_Z
    tail = rate / tests  # two-sided: P(|Z| > z) = erfc(z / sqrt 2)
    return max(MIN_Z, float(math.sqrt(2) * special.erfcinv(min(tail, 1.0))))


def flag(chart: pd.DataFrame, z: float = MIN_Z, window: int = WINDOW["week"]) -> pd.DataFrame:
    """A base chart with limits at `z` sigmas and the periods each rule flags.

    Columns set: lcl, ucl, side (+1/-1/0), shift_z (the `window` periods' pooled value in sigmas, NaN
    before a full window), beyond (rule `point`), shifted (rule `shift`, on the window's last period),
    in_run (periods inside a shifted window, drawn as flagged), fired (a signal that period).
    """
    if chart.empty:
        return chart
    value = chart["value"].to_numpy(float)
    n = chart["n"].to_numpy(float)
    center = float(chart["center"].iloc[0])
    center_sd = float(chart["center_sd"].iloc[0])
    unit_var = float(chart["unit_var"].iloc[0])
    point_sd = np.sqrt(chart["sigma"].to_numpy(float) ** 2 + center_sd**2)
    beyond = np.abs(value - center) > z * point_sd
    shift_z = np.full(len(chart), np.nan)
    if len(chart) >= window:
        sums = np.concatenate([[0.0], np.cumsum(n * value)])
        counts = np.concatenate([[0.0], np.cumsum(n)])
        pooled_n = counts[window:] - counts[:-window]
        pooled = (sums[window:] - sums[:-window]) / pooled_n
        shift_z[window - 1 :] = (pooled - center) / np.sqrt(unit_var / pooled_n + center_sd**2)
    shifted = np.nan_to_num(np.abs(shift_z)) > z
    in_run = np.zeros(len(chart), dtype=bool)
    for i in np.flatnonzero(shifted):
        in_run[i - window + 1 : i + 1] = True
    return chart.assign(
        z=z, lcl=center - z * point_sd, ucl=center + z * point_sd, side=np.sign(value - center).astype(int),
        shift_z=shift_z, beyond=beyond, shifted=shifted, in_run=in_run, fired=beyond | shifted,
    )  # fmt: skip


def control_chart(
    periods: pd.DataFrame, kind: StatKind, grain: str = "week", z: float = MIN_Z
) -> pd.DataFrame:
    """One group's chart at `grain` with limits at `z` sigmas; empty when its baseline is too small."""
    return flag(base_chart(periods, kind, BASELINE[grain]), z, WINDOW[grain])


def change_point(chart: pd.DataFrame, first: int, detected: int, last: int, side: int) -> int:
    """The most likely start of a step on `side`, searched back from the signal at `detected` to `first`.

    With the centre c known and a period's variance v / n, a step from s on has the log-likelihood
    gain (sum of n (x - c) from s to `last`)^2 / (2 v sum of n): the start s maximising it, among those
    whose shift lies on `side`, is the maximum-likelihood change point (Samuel, Pignatiello and Calvin,
    1998). Searching back from the signal, not forward from the first flagged period, is what stops a
    step found by a later signal from being dated late.
    """
    value = chart["value"].to_numpy(float)[first : last + 1]
    n = chart["n"].to_numpy(float)[first : last + 1]
    gaps = n * (value - float(chart["center"].iloc[0]))
    tail_gap = np.cumsum(gaps[::-1])[::-1]
    tail_n = np.cumsum(n[::-1])[::-1]
    score = np.where(side * tail_gap > 0, tail_gap**2 / tail_n, -np.inf)[: detected - first + 1]
    return first + int(np.argmax(score)) if np.isfinite(score).any() else detected


def episodes(chart: pd.DataFrame) -> list[dict[str, object]]:
    """Signals on one side in a row, as alerts dated by the change point searched back from the first."""
    if chart.empty:
        return []
    fired = chart["fired"].to_numpy(bool)
    beyond = chart["beyond"].to_numpy(bool)
    shifted = chart["shifted"].to_numpy(bool)
    # a signal's side: the point's own when it is beyond, else the shifted window's
    sides = np.where(beyond, chart["side"].to_numpy(int), np.sign(np.nan_to_num(chart["shift_z"].to_numpy())))
    found: list[dict[str, object]] = []
    first = i = 0
    while i < len(chart):
        if not fired[i]:
            i += 1
            continue
        side, j = int(sides[i]), i
        while j + 1 < len(chart) and fired[j + 1] and sides[j + 1] == side:
            j += 1
        start = change_point(chart, first, i, j, side)
        part = chart.iloc[start : j + 1]
        rules = [r for r, hit in zip(RULES, (beyond, shifted), strict=True) if hit[i : j + 1].any()]
        found.append(
            {
                "direction": "up" if side > 0 else "down",
                "rule": "+".join(rules),
                "started": part["period"].iloc[0],
                "detected": chart["period"].iloc[i],
                "periods": len(part),
                "value": float((part["value"] * part["n"]).sum() / part["n"].sum()),
                "center": float(part["center"].iloc[0]),
                "n": int(part["n"].sum()),
            }
        )
        first = i = j + 1
    return found
