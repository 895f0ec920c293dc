"""Confidence intervals and two-group tests for the KPIs: pure functions, vectorised, no I/O.

Every function takes scalars or numpy arrays / pandas Series (elementwise, broadcast together), the sums
the query layer computes in SQL. Scalar input gives floats; anything else gives numpy arrays (a Series'
index is not kept, so assign the result back positionally). Where a quantity is undefined (an empty group,
a t interval on one observation, a zero exposure) the answer is NaN, never an exception or a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

# scipy.special, not scipy.stats: the same quantiles without 1.4 s of import at every CLI start
from scipy import special

FloatArray = NDArray[np.float64]
Floats = float | FloatArray
Bools = bool | NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Interval:
    """An estimate with its margin of error and bounds; each field is a float or an array of one shape.

    `moe` is always half the width, (high - low) / 2. The Wilson and Poisson intervals are not centred on
    the value, so for them value ± moe is not the interval: draw low and high.
    """

    value: Floats
    moe: Floats
    low: Floats
    high: Floats


@dataclass(frozen=True, slots=True)
class Comparison:
    """Group a minus group b, and whether the gap is real at the chosen confidence.

    `z` holds the test statistic (Welch's t for means). `significant` is p_value < 1 - confidence and is
    False wherever the test is undefined (p_value NaN): an empty group, one observation for a mean, or a
    zero standard error (every answer identical in both groups).
    """

    difference: Floats
    moe_difference: Floats
    z: Floats
    p_value: Floats
    significant: Bools


def z_value(confidence: float = 0.95) -> float:
    """Two-sided normal critical value (1.959964 at 95 %), so every interval shares one definition."""
    return float(-special.ndtri(_alpha(confidence) / 2))


def nps_interval(
    promoters: ArrayLike, detractors: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> Interval:
    """NPS with the adjusted-Wald interval (Rocks 2016), honest at the edges; NaN where n is 0.

    The bounds add pseudo-counts, 3/4 promoter and 3/4 detractor in 3 more answers, so one answer or
    all promoters never give a zero-width band: one promoter is 100 with bounds -48.5 to 100, not ± 0.
    Each answer scores +1, 0 or -1, so var = p_P + p_D - (p_P - p_D)^2 on the adjusted shares. The value
    stays the plain NPS; the bounds are widened to contain it and clipped to [-100, 100], and moe is the
    half-width.
    """
    z = z_value(confidence)
    nn = _arr(n)
    value = 100 * (_div(promoters, n) - _div(detractors, n))
    n_adj = np.where(nn > 0, nn + 3, np.nan)
    p_prom, p_det = _div(_arr(promoters) + 0.75, n_adj), _div(_arr(detractors) + 0.75, n_adj)
    centre = 100 * (p_prom - p_det)
    half = 100 * z * np.sqrt(_div(_nps_var(p_prom, p_det), n_adj))
    low = np.clip(np.minimum(centre - half, value), -100, 100)
    high = np.clip(np.maximum(centre + half, value), -100, 100)
    return _asymmetric(value, low, high)


def wilson_interval(successes: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> Interval:
    """A proportion in percent with Wilson score bounds, which stay inside 0-100 even at 0 or n successes.

    The interval leans towards 50 %, so moe is the half-width (high - low) / 2, not the distance to value.
    """
    z2 = z_value(confidence) ** 2
    p = _div(successes, n)
    nn = _arr(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = 1 + z2 / nn
        centre = (p + z2 / (2 * nn)) / shrink
        half = np.sqrt(z2) / shrink * np.sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn))
    # At 0 or n successes centre - half and p are equal on paper; rounding must not put p outside.
    low = np.clip(np.minimum(centre - half, p), 0, 1)
    high = np.clip(np.maximum(centre + half, p), 0, 1)
    return _asymmetric(100 * p, 100 * low, 100 * high)


def mean_interval(total: ArrayLike, total_sq: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> Interval:
    """Student t interval for a mean from sum(x), sum(x*x) and count(x); moe is NaN below two values.

    The sum-of-squares form loses precision when the mean dwarfs the spread (e.g. timestamps); it is
    exact enough for scores and durations, and rounding below zero is clipped to a zero variance.
    """
    alpha = _alpha(confidence)
    mean, var = _mean_var(total, total_sq, n)
    nn = _arr(n)
    crit = _t_isf(alpha / 2, np.where(nn > 1, nn - 1, np.nan))
    moe = crit * np.sqrt(_div(var, nn))
    return Interval(value=_out(mean), moe=_out(moe), low=_out(mean - moe), high=_out(mean + moe))


def poisson_rate_interval(
    count: ArrayLike, exposure: ArrayLike, per: float = 1000.0, confidence: float = 0.95
) -> Interval:
    """Rate per `per` units of exposure with the exact Garwood interval, valid for small counts too.

    Bounds are chi2(alpha/2, 2k)/2 and chi2(1 - alpha/2, 2k + 2)/2 events, scaled by per / exposure;
    with 0 events the low bound is 0 (10 events in 5,000 contacts: 2.0 per 1,000, 0.96 to 3.68).
    """
    alpha = _alpha(confidence)
    k = _arr(count)
    scale = _div(per, exposure)
    with np.errstate(invalid="ignore"):
        # chdtri(v, q) is the chi-square quantile with upper-tail probability q
        low_k = np.where(k > 0, special.chdtri(np.where(k > 0, 2 * k, 1), 1 - alpha / 2) / 2, 0.0)
        high_k = special.chdtri(2 * k + 2, alpha / 2) / 2
    return _asymmetric(k * scale, low_k * scale, high_k * scale)


def compare_nps(
    prom_a: ArrayLike,
    det_a: ArrayLike,
    n_a: ArrayLike,
    prom_b: ArrayLike,
    det_b: ArrayLike,
    n_b: ArrayLike,
    confidence: float = 0.95,
) -> Comparison:
    """NPS of a minus NPS of b; the z test pools both groups' shares, the margin does not.

    Under "no difference" both groups share one distribution of answers, so the test's variance comes
    from the pooled shares: it stays defined when a group is all promoters or all detractors (+100
    against -100 on five answers each: pooled var 1, z = 200 / (100 sqrt(2/5)) = 3.16, p = 0.0016).
    """
    pa, da, pb, db = _div(prom_a, n_a), _div(det_a, n_a), _div(prom_b, n_b), _div(det_b, n_b)
    difference = 100 * ((pa - da) - (pb - db))
    se = 100 * np.sqrt(_div(_nps_var(pa, da), n_a) + _div(_nps_var(pb, db), n_b))
    n_all = _arr(n_a) + _arr(n_b)
    pooled_p = _div(_arr(prom_a) + _arr(prom_b), n_all)
    pooled_d = _div(_arr(det_a) + _arr(det_b), n_all)
    se_test = 100 * np.sqrt(_nps_var(pooled_p, pooled_d) * (_div(1, n_a) + _div(1, n_b)))
    return _comparison(difference, se, confidence, se_test=se_test)


def compare_proportions(
    succ_a: ArrayLike, n_a: ArrayLike, succ_b: ArrayLike, n_b: ArrayLike, confidence: float = 0.95
) -> Comparison:
    """Difference in percentage points; the z test pools both groups, the margin does not.

    Pooling is right for the test (under "no difference" both groups share one rate) but not for the
    interval around an observed gap, so on the edge the margin and the verdict can disagree: trust
    `significant`, not |difference| > moe_difference.
    """
    pa, pb = _div(succ_a, n_a), _div(succ_b, n_b)
    pooled = _div(_arr(succ_a) + _arr(succ_b), _arr(n_a) + _arr(n_b))
    se_test = 100 * np.sqrt(pooled * (1 - pooled) * (_div(1, n_a) + _div(1, n_b)))
    se = 100 * np.sqrt(_div(pa * (1 - pa), n_a) + _div(pb * (1 - pb), n_b))
    return _comparison(100 * (pa - pb), se, confidence, se_test=se_test)


def compare_means(
    total_a: ArrayLike,
    total_sq_a: ArrayLike,
    n_a: ArrayLike,
    total_b: ArrayLike,
    total_sq_b: ArrayLike,
    n_b: ArrayLike,
    confidence: float = 0.95,
) -> Comparison:
    """Mean of a minus mean of b with Welch's t test, which does not assume equal variances."""
    mean_a, var_a = _mean_var(total_a, total_sq_a, n_a)
    mean_b, var_b = _mean_var(total_b, total_sq_b, n_b)
    va, vb = _div(var_a, n_a), _div(var_b, n_b)
    # Welch-Satterthwaite: df = (va + vb)^2 / (va^2 / (n_a - 1) + vb^2 / (n_b - 1))
    df = _div((va + vb) ** 2, _div(va**2, _arr(n_a) - 1) + _div(vb**2, _arr(n_b) - 1))
    return _comparison(mean_a - mean_b, np.sqrt(va + vb), confidence, df=df)


def compare_rates(
    count_a: ArrayLike,
    exposure_a: ArrayLike,
    count_b: ArrayLike,
    exposure_b: ArrayLike,
    per: float = 1000.0,
    confidence: float = 0.95,
) -> Comparison:
    """Rate of a minus rate of b (per `per` units) with a Wald z test; each count's variance is itself."""
    rate_a, rate_b = per * _div(count_a, exposure_a), per * _div(count_b, exposure_b)
    ea, eb = _arr(exposure_a), _arr(exposure_b)
    se = per * np.sqrt(_div(count_a, ea * ea) + _div(count_b, eb * eb))
    return _comparison(rate_a - rate_b, se, confidence)


def required_run_rate(target: ArrayLike, value_ytd: ArrayLike, n_ytd: ArrayLike, n_rest: ArrayLike) -> Floats:
    """What the rest of the year must average for the full year to land on target; NaN if none is left.

    33.5 over 9 months of volume v against 40 with 3 months left: (40 * 12v - 33.5 * 9v) / 3v = 59.5.
    Not clipped: a result above 100 (or below -100 for NPS) means the target is out of reach.
    """
    total = _arr(target) * (_arr(n_ytd) + _arr(n_rest)) - _arr(value_ytd) * _arr(n_ytd)
    return _out(_div(total, n_rest))


def mood_median_test(above_a: ArrayLike, n_a: ArrayLike, above_b: ArrayLike, n_b: ArrayLike) -> Floats:
    """Mood's median test of group a against group b: the two-sided p-value, NaN where undefined.

    `above_*` count each group's values strictly above the grand median of both groups together (ties
    count as below, as in scipy.stats.median_test); the 2 x 2 table is tested with the Yates-corrected
    chi-square on one degree of freedom.
    """
    a, b = _arr(above_a), _arr(above_b)
    c, d = _arr(n_a) - a, _arr(n_b) - b
    total = a + b + c + d
    gap = np.maximum(np.abs(a * d - b * c) - total / 2, 0.0)
    chi2 = _div(total * gap**2, (a + b) * (c + d) * (a + c) * (b + d))
    with np.errstate(invalid="ignore"):
        return _out(special.chdtrc(1, chi2))


def median_ranks(n: ArrayLike, confidence: float = 0.95) -> tuple[Floats, Floats]:
    """1-based ranks (l, u) of the sorted values that hold the median with at least `confidence`, any shape.

    Distribution-free: X_(l) <= median <= X_(u) fails only if at most l - 1 values fall below it, or
    above, so coverage = 1 - 2 P(B <= l - 1), B ~ Binomial(n, 1/2), and u = n + 1 - l. Both ranks are NaN
    where even (1, n) falls short: at 95 % below 6 values (n = 5 covers 1 - 2/32 = 93.75 %).
    E.g. n = 10 -> (2, 9), coverage 97.9 %.
    """
    nn = _arr(n)
    half_alpha = _alpha(confidence) / 2
    size = np.where(nn >= 1, nn, 1).astype(np.int64)  # bdtr wants integers; n < 1 is masked below
    with np.errstate(invalid="ignore"):
        # bdtrik inverts the binomial cdf continuously; floor it, then step up where rounding lost one
        k = np.nan_to_num(np.floor(special.bdtrik(half_alpha, size, 0.5))).astype(np.int64)
        k = np.where(special.bdtr(k + 1, size, 0.5) <= half_alpha, k + 1, k)
    fits = (nn >= 1) & (special.bdtr(np.maximum(k, 0), size, 0.5) <= half_alpha)
    low = np.where(fits, k + 1, np.nan)
    return _out(low), _out(np.where(fits, nn - low + 1, np.nan))


def holm(p_values: ArrayLike) -> FloatArray:
    """Holm's step-down adjustment over one family of tests; NaN p-values stay NaN and are not counted.

    Sorted p_(1) <= ... <= p_(m): adjusted p_(i) = max over j <= i of min(1, (m - j + 1) p_(j)).
    E.g. 0.01, 0.04, 0.03 -> 0.03, 0.06, 0.06.
    """
    p = _arr(p_values).reshape(-1)
    out = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    order = tested[np.argsort(p[tested], kind="stable")]
    m = len(order)
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    out[order] = np.maximum.accumulate(scaled)
    return out


def _t_isf(q: ArrayLike, df: ArrayLike) -> FloatArray:
    """Student t quantile with upper-tail probability q (NaN where df is NaN)."""
    dfs = _arr(df)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(dfs), np.nan, -special.stdtrit(np.where(np.isnan(dfs), 1.0, dfs), _arr(q)))


def _alpha(confidence: float) -> float:
    """Turn a confidence level into the two-sided alpha, refusing percentages such as 95."""
    if not 0 < confidence < 1:
        raise ValueError(  # not user-facing: a caller's bug, no user chooses the level
            f"confidence must be strictly between 0 and 1, e.g. 0.95; got {confidence!r}"
        )
    return 1 - confidence


def _arr(x: ArrayLike) -> FloatArray:
    """Floats from scalars, lists, arrays or Series; nullable pandas integers turn <NA> into NaN."""
    return np.asarray(x, dtype=np.float64)


def _div(num: ArrayLike, den: ArrayLike) -> FloatArray:
    """Divide, giving NaN wherever den is not positive, so empty groups never warn or raise."""
    num_, den_ = _arr(num), _arr(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den_ > 0, num_ / den_, np.nan)


def _out(x: ArrayLike) -> Floats:
    """A plain float for scalar input, a float array otherwise."""
    a = _arr(x)
    return float(a) if a.ndim == 0 else a


def _nps_var(p_prom: FloatArray, p_det: FloatArray) -> FloatArray:
    """Variance of one +1/0/-1 answer, floored at 0 against rounding (e.g. all promoters gives 1 - 1)."""
    return np.maximum(p_prom + p_det - (p_prom - p_det) ** 2, 0.0)


def _mean_var(total: ArrayLike, total_sq: ArrayLike, n: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Mean and n-1 sample variance from sums; the variance is NaN below two values."""
    mean = _div(total, n)
    var = _div(_arr(total_sq) - _arr(total) * mean, _arr(n) - 1)
    return mean, np.maximum(var, 0.0)


def _asymmetric(value: FloatArray, low: FloatArray, high: FloatArray) -> Interval:
    """Build an interval whose moe is the half-width, for bounds not centred on the value."""
    return Interval(value=_out(value), moe=_out((high - low) / 2), low=_out(low), high=_out(high))


def _comparison(
    difference: FloatArray,
    se: FloatArray,
    confidence: float,
    *,
    se_test: FloatArray | None = None,
    df: FloatArray | None = None,
) -> Comparison:
    """Two-sided test of difference = 0: normal, or Student t when df is given; NaN se means untested."""
    alpha = _alpha(confidence)
    statistic = _div(difference, se if se_test is None else se_test)
    with np.errstate(invalid="ignore"):
        if df is None:
            p_value, crit = 2 * special.ndtr(-np.abs(statistic)), z_value(confidence)
        else:
            p_value, crit = 2 * special.stdtr(df, -np.abs(statistic)), _t_isf(alpha / 2, df)
    significant = np.asarray(p_value < alpha)
    return Comparison(
        difference=_out(difference),
        moe_difference=_out(crit * se),
        z=_out(statistic),
        p_value=_out(p_value),
        significant=bool(significant) if significant.ndim == 0 else significant,
    )
