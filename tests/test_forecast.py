"""The forecast's Kalman filter against statsmodels, and its sums against the same model solved by GLS."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.tsa.statespace.initialization import Initialization
from statsmodels.tsa.statespace.mlemodel import MLEModel

from metrics.forecast import Variances, forecast, kalman, spread

RNG = np.random.default_rng(7)
# 14 months with March missing (month numbers 0, 1, 3, ...), values drifting down around 30,
# sampling variances of months of unequal volume
TIMES = np.array([0, 1, *range(3, 15)], dtype=float)
VALUES = 30 - 0.3 * TIMES + np.cumsum(RNG.normal(0, 1, len(TIMES))) + RNG.normal(0, 2, len(TIMES))
SAMPLING = RNG.uniform(3.0, 6.0, len(TIMES))
COMBOS = Variances(
    tau2=np.array([1.5, 0.2, 3.0, 0.0]),
    q=np.array([0.7, 2.0, 1e-6, 0.3]),
    slope_var=np.array([0.1, 0.0, 0.5, 0.02]),
)


def statsmodels_filter(tau2, q, slope_var, ahead=0):
    """The same model written as a statsmodels state space (level and trend), a missing month as NaN."""
    months = np.arange(TIMES[-1] + 1 + ahead)
    y = np.full(len(months), np.nan)
    noise = np.full(len(months), 1.0)
    y[TIMES.astype(int)] = VALUES
    noise[TIMES.astype(int)] = SAMPLING + tau2
    model = MLEModel(y, k_states=2, k_posdef=1)
    model["design"] = np.array([[1.0, 0.0]])
    model["obs_cov"] = noise[None, None, :]
    model["transition"] = np.array([[1.0, 1.0], [0.0, 1.0]])
    model["selection"] = np.array([[1.0], [0.0]])
    model["state_cov"] = np.array([[q]])
    init = Initialization(2)
    init.set(0, "diffuse")  # a flat prior on the first level
    init.set(1, "known", constant=[0.0], stationary_cov=[[slope_var]])
    model.ssm.initialization = init
    return model.ssm.filter()


def test_filter_matches_statsmodels_level_trend_and_likelihood():
    ours = kalman(TIMES, VALUES, SAMPLING, COMBOS)
    lls = []
    for g in range(len(COMBOS.tau2)):
        res = statsmodels_filter(COMBOS.tau2[g], COMBOS.q[g], COMBOS.slope_var[g])
        level, trend = res.filtered_state[:, -1]
        cov = res.filtered_state_cov[:, :, -1]
        assert ours.level[g] == pytest.approx(level, rel=1e-9)
        assert ours.trend[g] == pytest.approx(trend, rel=1e-9, abs=1e-12)
        expected = [cov[0, 0], cov[0, 1], cov[1, 1]]
        assert [ours.p11[g], ours.p12[g], ours.p22[g]] == pytest.approx(expected, rel=1e-8)
        lls.append(res.llf)
    # the likelihoods differ by a constant (2 pi terms), the same for every combination: the weights agree
    assert ours.loglik - np.array(lls) == pytest.approx(np.full(4, ours.loglik[0] - lls[0]), abs=1e-9)


@pytest.mark.parametrize("g", range(4))
def test_one_month_ahead_matches_statsmodels_forecast(g):
    # statsmodels predicts month 15 from the months seen (the one after them is NaN)
    res = statsmodels_filter(COMBOS.tau2[g], COMBOS.q[g], COMBOS.slope_var[g], ahead=1)
    mean = res.forecasts[0, -1]
    var = res.forecasts_error_cov[0, 0, -1] - 1.0 + 4.0 + COMBOS.tau2[g]  # noise 4 (+ tau2), not the NaN's 1
    one = Variances(COMBOS.tau2[g : g + 1], COMBOS.q[g : g + 1], COMBOS.slope_var[g : g + 1])
    got = kalman(TIMES, VALUES, SAMPLING, one)
    # sum_j w_j y_j for the single month 15, weight 1, sampling variance 4
    ours_mean = got.level[0] + got.trend[0]
    ours_var = got.p11[0] + 2 * got.p12[0] + got.p22[0] + one.q[0] + 4.0 + one.tau2[0]
    assert ours_mean == pytest.approx(mean, rel=1e-9)
    assert ours_var == pytest.approx(var, rel=1e-8)


def gls_sum(tau2, q, slope_var, future, weights, future_sampling):
    """Mean and variance of sum_j w_j y(future_j) by generalised least squares on the full covariance:
    mu(t) = a + beta t + W(t), W a random walk from the first month (Cov = q min(s, t)), beta ~ N(0, sb),
    a flat; the prediction of a linear function with a as an unknown constant (universal kriging)."""
    t, h = TIMES - TIMES[0], np.asarray(future) - TIMES[0]
    cov = q * np.minimum.outer(t, t) + slope_var * np.outer(t, t) + np.diag(SAMPLING + tau2)
    k = (q * np.minimum.outer(t, h) + slope_var * np.outer(t, h)) @ weights
    var_z = weights @ (q * np.minimum.outer(h, h) + slope_var * np.outer(h, h)) @ weights
    var_z += weights**2 @ (future_sampling + tau2)
    inv = np.linalg.inv(cov)
    ones = np.ones(len(t))
    a = ones @ inv @ VALUES / (ones @ inv @ ones)
    resid = VALUES - a
    mean = a * weights.sum() + k @ inv @ resid
    u = weights.sum() - ones @ inv @ k
    return mean, var_z - k @ inv @ k + u**2 / (ones @ inv @ ones)


def test_a_three_month_weighted_sum_matches_the_gls_solution_of_the_same_model():
    future, weights, sampling = np.array([15.0, 16.0, 18.0]), np.array([1000.0, 900, 1100]), np.full(3, 5.0)
    got = forecast(TIMES, VALUES, SAMPLING, future, weights, sampling)
    var = Variances.grid(spread(VALUES, SAMPLING), len(TIMES))
    for g in (0, 57, 200, len(var.tau2) - 1):
        mean, variance = gls_sum(var.tau2[g], var.q[g], var.slope_var[g], future, weights, sampling)
        assert got.means[g] == pytest.approx(mean, rel=1e-7)
        assert got.sds[g] ** 2 == pytest.approx(variance, rel=1e-6)


def test_spread_is_the_larger_of_sampling_and_half_the_squared_changes():
    # changes 2, -2, 4: mean square (4 + 4 + 16) / 3 = 8, half 4; median sampling 3 -> 4
    assert spread(np.array([10.0, 12.0, 10.0, 14.0]), np.array([3.0, 3.0, 2.0, 5.0])) == 4.0
    # one month: its sampling variance alone
    assert spread(np.array([10.0]), np.array([2.5])) == 2.5


def test_grid_weights_sum_to_one_and_every_variance_term_is_positive_on_average():
    got = forecast(TIMES, VALUES, SAMPLING, np.array([15.0]), np.ones(1), np.full(1, 4.0))
    assert got.weights.sum() == pytest.approx(1.0)
    assert got.month_sd > 0
    assert got.drift_sd > 0
    assert len(got.weights) == 8 * 8 * 6
