"""The months to come of a monthly KPI: a drifting level with a trend, its variances averaged over a grid.

Pure numpy, no I/O. A month's observed value is its true level plus noise,

    y_t = mu_t + e_t,                  e_t ~ N(0, s2_t + tau2)   s2_t: sampling variance, known;
                                                                   tau2: the month's own deviation
    mu_t+1 = mu_t + beta + eta_t,      eta_t ~ N(0, q)           q: how far the level drifts a month
    beta ~ N(0, slope_var)                                       a trend, kept for the whole window

with a flat prior on the starting level. tau2, q and slope_var are unknown: each takes a few values
on a log grid scaled to the data's own spread (slope_var also 0: no trend), every combination is
equally likely before the data, and the answer averages over all of them, weighted by how well each
explains the months (the likelihood with the level integrated out). A single estimate of tau2 or q is
often 0 from a few months; the average never is, because the data cannot rule larger values out.
Each combination is one Kalman filter, run for all combinations at once; given it, a weighted sum of
the months to come is normal, so the answer is a mixture of normals, computed exactly (no random
draws). Method, checks and limits: docs/methods.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

FloatArray = NDArray[np.float64]

TAU2_GRID = np.logspace(-3.0, 1.5, 8)  # a month's own variance, from 1/1000 to 30 times the spread
Q_GRID = np.logspace(-4.0, 1.0, 8)  # the drift accumulates month after month: smaller values matter
# the trend's prior variance, times spread / months²: a trend moves the level by about
# sqrt(slope_var) x months over the window, from a hundredth to ten times the spread's sd
SLOPE_GRID = np.concatenate([[0.0], np.logspace(-2.0, 2.0, 5)])


@dataclass(frozen=True, slots=True)
class Variances:
    """The grid: one (tau2, q, slope_var) combination per position."""

    tau2: FloatArray
    q: FloatArray
    slope_var: FloatArray

    @classmethod
    def grid(cls, spread: float, months: int) -> Variances:
        """Every combination of the grids, scaled to the data's spread and the window's length."""
        slope = spread / max(months, 2) ** 2 * SLOPE_GRID
        tau2, q, sb = np.meshgrid(spread * TAU2_GRID, spread * Q_GRID, slope, indexing="ij")
        return cls(tau2.ravel(), q.ravel(), sb.ravel())


@dataclass(frozen=True, slots=True)
class Filtered:
    """Each combination's Kalman filter after the last month seen: level and trend, and the fit."""

    level: FloatArray  # (G,) mean of the true level at the last month
    trend: FloatArray  # (G,) mean of beta
    p11: FloatArray  # (G,) var(level)
    p12: FloatArray  # (G,) cov(level, trend)
    p22: FloatArray  # (G,) var(trend)
    loglik: FloatArray  # (G,) log p(months 2..K | month 1), the starting level integrated out


def kalman(times: FloatArray, values: FloatArray, sampling: FloatArray, var: Variances) -> Filtered:
    """Run every combination's filter over the months seen (month numbers `times`, gaps allowed)."""
    noise = sampling[:, None] + var.tau2[None, :]  # (K, G)
    # a flat prior on the first level: after the first month it is that month's value, with its noise
    level = np.full_like(var.tau2, values[0])
    trend = np.zeros_like(var.tau2)
    p11, p12, p22 = noise[0].copy(), np.zeros_like(var.tau2), var.slope_var.copy()
    loglik = np.zeros_like(var.tau2)
    for i in range(1, len(times)):
        gap = times[i] - times[i - 1]
        level = level + gap * trend
        p11 = p11 + 2 * gap * p12 + gap**2 * p22 + gap * var.q
        p12 = p12 + gap * p22
        f = p11 + noise[i]
        innov = values[i] - level
        k1, k2 = p11 / f, p12 / f
        level, trend = level + k1 * innov, trend + k2 * innov
        p11, p12, p22 = p11 - k1 * p11, p12 - k1 * p12, p22 - k2 * p12
        loglik -= 0.5 * (np.log(f) + innov**2 / f)
    return Filtered(level, trend, p11, p12, p22, loglik)


def spread(values: FloatArray, sampling: FloatArray) -> float:
    """The grids' scale: the larger of the median sampling variance and half the mean square change.

    Half the mean squared month-on-month change holds the months' own noise and the drift.
    """
    candidates = [float(np.median(sampling))] if len(sampling) else []
    if len(values) >= 2:
        candidates.append(float(np.mean(np.diff(values) ** 2)) / 2)
    scale = max(candidates, default=0.0)
    return scale if scale > 0 else 1e-12  # identical months and no sampling: near-certainty


@dataclass(frozen=True, slots=True)
class Forecast:
    """A weighted sum of months to come as a mixture of normals, and the model's terms, averaged."""

    weights: FloatArray  # posterior weight of each combination, summing to 1
    means: FloatArray  # the sum's mean under each combination
    sds: FloatArray  # its standard deviation under each combination
    level: float  # the true level at the last month seen
    level_sd: float
    trend: float  # per month
    month_sd: float  # posterior mean of sqrt(tau2)
    drift_sd: float  # posterior mean of sqrt(q)

    def prob_at_least(self, threshold: float) -> float:
        """P(sum >= threshold)."""
        return float(self.weights @ special.ndtr((self.means - threshold) / self.sds))

    def prob_at_most(self, threshold: float) -> float:
        """P(sum <= threshold)."""
        return float(self.weights @ special.ndtr((threshold - self.means) / self.sds))


def forecast(
    times: ArrayLike,
    values: ArrayLike,
    sampling: ArrayLike,
    future: ArrayLike,
    weights: ArrayLike,
    future_sampling: ArrayLike,
) -> Forecast:
    """The distribution of sum_j weights_j y_j over the months `future` (month numbers after `times`).

    `times`, `values`, `sampling`: the months seen, oldest first (month numbers, values, sampling
    variances); `future_sampling`: the sampling variance each month to come will have.
    """
    t, y, s2 = (np.asarray(a, dtype=float) for a in (times, values, sampling))
    tf, w, s2f = (np.asarray(a, dtype=float) for a in (future, weights, future_sampling))
    var = Variances.grid(spread(y, s2), len(t))
    got = kalman(t, y, s2, var)
    post = np.exp(got.loglik - got.loglik.max())
    post /= post.sum()
    ahead = tf - t[-1]
    c1, c2 = w.sum(), w @ ahead  # the sum holds c1 x level + c2 x trend, plus the drift and the noise
    means = c1 * got.level + c2 * got.trend
    variances = (
        c1**2 * got.p11 + 2 * c1 * c2 * got.p12 + c2**2 * got.p22
        + var.q * (w @ np.minimum.outer(ahead, ahead) @ w)  # Cov(drift at h, drift at h') = q min(h, h')
        + (w**2) @ (s2f[:, None] + var.tau2[None, :])
    )  # fmt: skip
    level = float(post @ got.level)
    return Forecast(
        weights=post,
        means=means,
        sds=np.sqrt(np.maximum(variances, 1e-300)),
        level=level,
        level_sd=float(np.sqrt(post @ (got.p11 + (got.level - level) ** 2))),
        trend=float(post @ got.trend),
        month_sd=float(post @ np.sqrt(var.tau2)),
        drift_sd=float(post @ np.sqrt(var.q)),
    )
