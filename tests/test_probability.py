"""Probability of reaching the annual target: clear cases, a trend, months without a margin, other kinds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.tsa.statespace.initialization import Initialization
from statsmodels.tsa.statespace.structural import UnobservedComponents

from metrics.forecast import Variances
from metrics.reports.probability import target_probability
from metrics.semantic.definitions import StatKind


def nps_months(promoters, detractors, n=1000):
    periods = pd.date_range(end="2026-09-01", periods=len(promoters), freq="MS")
    return pd.DataFrame(
        {"period": periods, "promoters": promoters, "detractors": detractors, "n": [n] * len(promoters)}
    )


# nine months of 1,000 answers done, three to go, 3,000 answers expected
YTD_60 = {"promoters": 6300, "detractors": 900, "n": 9000, "value": 60.0}  # (6300 - 900) / 9000 = 60
YTD_33 = {"promoters": 4500, "detractors": 1485, "n": 9000, "value": 33.5}  # (4500 - 1485) / 9000 = 33.5


def test_steady_60_against_a_target_of_40_is_almost_certain():
    got = target_probability(
        StatKind.NPS, YTD_60, nps_months([700] * 24, [100] * 24), remaining=3000, months_left=3, target=40
    )
    assert got.probability >= 0.99
    assert got.level == pytest.approx(60.0)  # (700 - 100) / 1000 every month


def test_steady_33_5_needing_59_5_is_almost_hopeless():
    # required run-rate: (40 * 12000 - 33.5 * 9000) / 3000 = (480000 - 301500) / 3000 = 59.5
    got = target_probability(
        StatKind.NPS, YTD_33, nps_months([500] * 24, [165] * 24), remaining=3000, months_left=3, target=40
    )
    assert got.probability <= 0.01


def test_one_month_left_matches_the_same_model_averaged_with_statsmodels():
    """The whole answer rebuilt with statsmodels' Kalman filter: each variance combination's likelihood
    (the weights) and one-month-ahead forecast (a normal), averaged by hand."""
    rng = np.random.default_rng(3)
    promoters = rng.binomial(1000, 0.5, 24)
    detractors = rng.binomial(1000 - promoters, 0.33)
    recent = nps_months(promoters, detractors)
    ytd = {"promoters": 4400.0, "detractors": 1600.0, "n": 11000.0, "value": 100 * 2800 / 11000}
    got = target_probability(StatKind.NPS, ytd, recent, remaining=1000, months_left=1, target=26.0)
    # by hand: the pooled shares with half an answer each, one answer's score variance, each month's NPS
    counts = np.array([promoters.sum(), detractors.sum(), 24000 - promoters.sum() - detractors.sum()])
    p = (counts + 0.5) / (24000 + 1.5)
    unit_var = 100**2 * (p[0] + p[1]) - (100 * (p[0] - p[1])) ** 2
    values = 100 * (promoters - detractors) / 1000
    sampling = unit_var / 1000  # every month, and the month to come, has 1,000 answers
    scale = max(sampling, np.mean(np.diff(values) ** 2) / 2)
    combos = Variances.grid(scale, 24)
    lls, probs = [], []
    for tau2, q, slope_var in zip(combos.tau2, combos.q, combos.slope_var, strict=True):
        model = UnobservedComponents(values, level="lldtrend", use_exact_diffuse=True)
        init = Initialization(2)
        init.set(0, "diffuse")  # a flat prior on the first level, the trend N(0, slope_var)
        init.set(1, "known", constant=[0.0], stationary_cov=[[slope_var]])
        model.ssm.initialization = init
        res = model.smooth([sampling + tau2, q])
        lls.append(res.llf)
        forecast = res.get_forecast(1)
        # the year reaches 26 when 1,000 x December's NPS >= 26 x 12,000 - 2,800 x 100 = 32,000
        mean, sd = 1000 * forecast.predicted_mean[0], 1000 * np.sqrt(forecast.var_pred_mean[0])
        probs.append(norm.sf(32000, mean, sd))
    weights = np.exp(np.array(lls) - max(lls))
    assert got.probability == pytest.approx(weights @ probs / weights.sum(), abs=1e-6)


def test_a_falling_level_is_projected_to_keep_falling():
    # 24 months falling 0.5 point a month (NPS 41.5 ... 30.0), 20,000 answers each so sampling is small;
    # nine months this year: 34.0 + 33.5 + ... + 30.0 = 288 -> YTD 32.0
    nps = 41.5 - 0.5 * np.arange(24)
    promoters = np.round((0.7 + nps / 100) / 2 * 20000).astype(int)
    recent = nps_months(promoters, 14000 - promoters, n=20000)
    ytd = {"n": 180000.0, "value": 32.0}
    args = {"remaining": 60000, "months_left": 3}
    # the level stays at 30.0: (32 x 9 + 30 x 3) / 12 = 31.5; it keeps falling: October to December
    # 29.5, 29.0, 28.5 -> (288 + 87) / 12 = 31.25
    flat = target_probability(StatKind.NPS, ytd, recent, target=31.5, **args)
    falling = target_probability(StatKind.NPS, ytd, recent, target=31.25, **args)
    assert flat.probability < 0.1  # a flat-level model would say 50 %
    assert falling.probability == pytest.approx(0.5, abs=0.1)
    assert falling.trend == pytest.approx(-0.5, abs=0.05)


def test_wobbly_months_leave_more_chance_to_a_far_target_than_steady_ones():
    # same pooled level 33.5, needing about 37.5 over the last three months: steady months leave little
    # chance, months alternating 37.5 and 29.5 leave more, because the level may well jump
    steady = nps_months([500] * 24, [165] * 24)
    wobbly = nps_months([540, 460] * 12, [165] * 24)
    # target 34.5: required (34.5 * 12000 - 301500) / 3000 = 37.5
    p_steady = target_probability(StatKind.NPS, YTD_33, steady, remaining=3000, months_left=3, target=34.5)
    p_wobbly = target_probability(StatKind.NPS, YTD_33, wobbly, remaining=3000, months_left=3, target=34.5)
    assert p_wobbly.probability > p_steady.probability + 0.02
    assert p_wobbly.month_sd > p_steady.month_sd > 0  # steady months too: never a variance of exactly 0


def test_rate_steady_90_percent_against_80():
    recent = pd.DataFrame({"successes": [900] * 24, "n": [1000] * 24})
    ytd = {"successes": 8100, "n": 9000, "value": 90.0}  # 8100 / 9000 = 90 %
    got = target_probability(StatKind.PROPORTION, ytd, recent, remaining=3000, months_left=3, target=80)
    assert got.probability >= 0.99
    assert got.level == pytest.approx(90.0)
    # 92 % would need (92 * 12000 - 90 * 9000) / 3000 = 98 % over the rest: hopeless
    far = target_probability(StatKind.PROPORTION, ytd, recent, remaining=3000, months_left=3, target=92)
    assert far.probability <= 0.01


def test_mean_lower_is_better():
    # effort 2.0 each month, moe 0.0588 (sd 1.5, n 2500: 1.96 * 1.5 / 50)
    recent = pd.DataFrame({"value": [2.0] * 24, "moe": [0.0588] * 24, "n": [2500] * 24})
    ytd = {"value": 2.0, "n": 22500}
    args = {"remaining": 7500, "months_left": 3, "higher_is_better": False}
    assert target_probability(StatKind.MEAN, ytd, recent, target=2.5, **args).probability >= 0.99
    assert target_probability(StatKind.MEAN, ytd, recent, target=1.9, **args).probability <= 0.01


def median_months(moe_last):
    """Île-de-France's resolution days: 23 months around 4.3 days, moe 0.3 on about 185 closures, then
    November with 5 closures, whose median has no margin (under 6 values)."""
    values = [4.1, 4.5, 4.3, 4.2, 4.4, 4.6, 4.0, 4.3, 4.4, 4.2, 4.5, 4.3] * 2
    moe = [0.3] * 23 + [moe_last]
    n = [185] * 23 + [5]
    return pd.DataFrame({"value": values[:24], "moe": moe, "n": n})


def test_a_median_month_without_a_margin_is_no_false_zero():
    # 4.31 days so far on 1,660 closures against a target of at most 5.0, one month of 185 to come:
    # the year misses only if December's median exceeds 5.0 + (5.0 - 4.31) x 1660 / 185 = 11.2 days,
    # when every month so far sat between 4.0 and 4.6: the answer is (almost) certain, never 0
    ytd = {"value": 4.31, "n": 1660}
    got = target_probability(
        StatKind.MEDIAN, ytd, median_months(float("nan")), remaining=185, months_left=1, target=5.0,
        higher_is_better=False,
    )
    assert got.probability > 0.999
    assert got.months == 24  # the month without a margin still counts, with its spread for 5 values


def test_medians_without_any_margin_and_too_few_months_cannot_be_computed():
    months = median_months(float("nan")).tail(2).assign(moe=float("nan"))
    ytd = {"value": 4.31, "n": 1660}
    got = target_probability(
        StatKind.MEDIAN, ytd, months, remaining=185, months_left=1, target=5.0, higher_is_better=False
    )
    assert got is None  # unknown, shown as "—": not 0 %


def test_a_month_without_a_value_is_left_out():
    months = median_months(0.3)
    months.loc[5, "value"] = float("nan")
    got = target_probability(
        StatKind.MEDIAN, {"value": 4.31, "n": 1660}, months, remaining=185, months_left=1, target=5.0,
        higher_is_better=False,
    )
    assert got.months == 23
    assert got.probability > 0.999


def test_year_over_is_a_certainty_either_way():
    recent = nps_months([700], [100])
    args = {"remaining": 0, "months_left": 0}
    assert target_probability(StatKind.NPS, YTD_60, recent, target=40, **args).probability == 1.0
    assert target_probability(StatKind.NPS, YTD_60, recent, target=61, **args).probability == 0.0


def test_no_recent_month_is_unknown_not_a_certainty():
    none = nps_months([], [])
    assert target_probability(StatKind.NPS, YTD_60, none, remaining=3000, months_left=3, target=40) is None


def test_counts_and_workload_have_no_probability():
    got = target_probability(
        StatKind.COUNT, {"n": 5, "value": 5}, pd.DataFrame({"n": [5]}), remaining=5, months_left=1, target=3
    )
    assert got is None
