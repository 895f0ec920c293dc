"""Probability of reaching the annual target: the issue's three cases, and the other kinds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from metrics.reports.probability import between_months_variance, target_probability
from metrics.semantic.definitions import StatKind


def nps_months(promoters, detractors, n=1000):
    return pd.DataFrame({"promoters": promoters, "detractors": detractors, "n": [n] * len(promoters)})


# nine months of 1,000 answers done, three to go, 3,000 answers expected
YTD_60 = {"promoters": 6300, "detractors": 900, "n": 9000, "value": 60.0}  # (6300 - 900) / 9000 = 60
YTD_33 = {"promoters": 4500, "detractors": 1485, "n": 9000, "value": 33.5}  # (4500 - 1485) / 9000 = 33.5


def test_steady_60_against_a_target_of_40_is_almost_certain():
    got = target_probability(
        StatKind.NPS, YTD_60, nps_months([700] * 6, [100] * 6), remaining=3000, months_left=3, target=40
    )
    assert got.probability >= 0.95
    assert got.level == pytest.approx(60.0)  # (700 - 100) / 1000


def test_steady_33_5_needing_59_5_is_almost_hopeless():
    # required run-rate: (40 * 12000 - 33.5 * 9000) / 3000 = (480000 - 301500) / 3000 = 59.5
    got = target_probability(
        StatKind.NPS, YTD_33, nps_months([500] * 6, [165] * 6), remaining=3000, months_left=3, target=40
    )
    assert got.probability <= 0.05


def _reference_simulation(draws, seed):
    """The model of docs/methods.md written again with other primitives: gamma-normalised Dirichlets and
    sequential binomials for the multinomial, all numbers worked by hand below."""
    rng = np.random.default_rng(seed)
    # pooled recent shares: promoters 3000/6000, detractors 990/6000, passives 2010/6000
    p = np.array([0.5, 0.165, 0.335])
    unit_var = 10000 * (0.5 + 0.165 - 0.335**2)  # 5527.75
    # monthly NPS 37.5, 29.5, ... : sample variance 6 * 16 / 5 = 19.2; sampling 5527.75 / 1000 = 5.52775
    tau2 = 19.2 - 5.52775  # 13.67225
    level_var = unit_var / 6000 + tau2 / 6  # 0.92129 + 2.27871 = 3.2
    conc = unit_var / level_var - 1
    alpha = unit_var / tau2 - 1
    prior = (np.array([3000, 990, 2010]) + 0.5) / 6001.5
    g = rng.gamma(conc * prior, size=(draws, 3))
    base = g / g.sum(axis=1, keepdims=True)
    total = np.full(draws, 4500.0 - 1485.0)  # promoters minus detractors so far, times 100 below
    for _ in range(3):
        g = rng.gamma(alpha * base)
        share = g / g.sum(axis=1, keepdims=True)
        prom = rng.binomial(1000, share[:, 0])
        det = rng.binomial(1000 - prom, share[:, 1] / (1 - share[:, 0]))
        total += prom - det
    assert p.sum() == pytest.approx(1.0)
    return float(np.mean(100 * total / 12000 >= 34.0))


def test_middle_case_matches_a_large_reference_simulation_and_the_normal_closed_form():
    # months alternate 540 and 460 promoters (NPS 37.5 and 29.5) around 33.5, with 165 detractors each
    recent = nps_months([540, 460] * 3, [165] * 6)
    got = target_probability(StatKind.NPS, YTD_33, recent, remaining=3000, months_left=3, target=34.0)
    assert got.between_months_sd == pytest.approx(math.sqrt(13.67225))
    assert got.level_sd == pytest.approx(math.sqrt(3.2))
    reference = _reference_simulation(400_000, seed=7)
    assert got.probability == pytest.approx(reference, abs=0.015)
    # closed form: sum of 3 months ~ N(100.5, 9 * 3.2 + 3 * (13.67225 + 5.52775)) = N(100.5, 86.4);
    # final = (301500 + 1000 * sum) / 12000 ~ N(33.5, (1000 * sqrt(86.4) / 12000)^2) = N(33.5, 0.7746^2)
    # P(final >= 34) = 1 - Phi(0.5 / 0.7746) = 1 - Phi(0.6455) = 0.2593
    assert got.probability == pytest.approx(0.2593, abs=0.02)
    assert 0.2 < got.probability < 0.35


def test_same_seed_same_answer_and_another_seed_close():
    recent = nps_months([540, 460] * 3, [165] * 6)
    a = target_probability(StatKind.NPS, YTD_33, recent, remaining=3000, months_left=3, target=34.0)
    b = target_probability(StatKind.NPS, YTD_33, recent, remaining=3000, months_left=3, target=34.0)
    c = target_probability(StatKind.NPS, YTD_33, recent, remaining=3000, months_left=3, target=34.0, seed=1)
    assert a == b
    assert c.probability == pytest.approx(a.probability, abs=0.02)


def test_month_to_month_variation_lowers_the_chance_of_a_far_target():
    # same pooled level 33.5 needing about 37.5 over the rest: steady months leave little chance,
    # wobbling months (tau 3.7) leave more, because the level may well jump
    steady = nps_months([500] * 6, [165] * 6)
    wobbly = nps_months([540, 460] * 3, [165] * 6)
    # target 34.5: required (34.5 * 12000 - 301500) / 3000 = 37.5
    p_steady = target_probability(StatKind.NPS, YTD_33, steady, remaining=3000, months_left=3, target=34.5)
    p_wobbly = target_probability(StatKind.NPS, YTD_33, wobbly, remaining=3000, months_left=3, target=34.5)
    assert p_steady.between_months_sd == 0.0
    assert p_wobbly.probability > p_steady.probability + 0.02


def test_rate_uses_beta_binomial_steady_90_percent_against_80():
    recent = pd.DataFrame({"successes": [900] * 6, "n": [1000] * 6})
    ytd = {"successes": 8100, "n": 9000, "value": 90.0}  # 8100 / 9000 = 90 %
    got = target_probability(StatKind.PROPORTION, ytd, recent, remaining=3000, months_left=3, target=80)
    assert got.probability >= 0.95
    assert got.level == pytest.approx(90.0)
    # 92 % would need (92 * 12000 - 90 * 9000) / 3000 = 98 % over the rest: hopeless
    far = target_probability(StatKind.PROPORTION, ytd, recent, remaining=3000, months_left=3, target=92)
    assert far.probability <= 0.05


def test_mean_lower_is_better_uses_the_normal_form():
    # effort 2.0 each month, moe 0.06 (sd 1.5, n 2500: 1.96 * 1.5 / 50 = 0.0588)
    recent = pd.DataFrame({"value": [2.0] * 6, "moe": [0.0588] * 6, "n": [2500] * 6})
    ytd = {"value": 2.0, "n": 22500}
    good = target_probability(
        StatKind.MEAN, ytd, recent, remaining=7500, months_left=3, target=2.5, higher_is_better=False
    )
    bad = target_probability(
        StatKind.MEAN, ytd, recent, remaining=7500, months_left=3, target=1.9, higher_is_better=False
    )
    assert good.probability >= 0.95
    assert bad.probability <= 0.05


def test_year_over_is_a_certainty_either_way():
    recent = nps_months([700], [100])
    args = {"remaining": 0, "months_left": 0}
    assert target_probability(StatKind.NPS, YTD_60, recent, target=40, **args).probability == 1.0
    assert target_probability(StatKind.NPS, YTD_60, recent, target=61, **args).probability == 0.0


def test_counts_and_workload_have_no_probability():
    assert (
        target_probability(
            StatKind.COUNT,
            {"n": 5, "value": 5},
            pd.DataFrame({"n": [5]}),
            remaining=5,
            months_left=1,
            target=3,
        )
        is None
    )


def test_between_months_variance_is_zero_when_sampling_explains_the_spread():
    # values 10, 12: variance 2; sampling variances 3, 3 -> 2 - 3 < 0 -> 0
    assert between_months_variance([10, 12], [3, 3]) == 0.0
    # values 10, 14: variance 8; sampling 3 -> 5
    assert between_months_variance([10, 14], [3, 3]) == pytest.approx(5.0)
