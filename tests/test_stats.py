"""Intervals and tests worked out by hand, then cross-checked against statsmodels and scipy."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from metrics.stats import (
    Comparison,
    Interval,
    compare_means,
    compare_nps,
    compare_proportions,
    compare_rates,
    holm,
    mean_interval,
    median_ranks,
    mood_median_test,
    nps_interval,
    poisson_rate_interval,
    required_run_rate,
    wilson_interval,
    z_value,
)

sm_proportion = pytest.importorskip("statsmodels.stats.proportion")
sm_weightstats = pytest.importorskip("statsmodels.stats.weightstats")
sm_rates = pytest.importorskip("statsmodels.stats.rates")

# 2, 4, 4, 4, 5, 5, 7, 9: n = 8, sum = 40, sum of squares = 4+16+16+16+25+25+49+81 = 232
SAMPLE_A = (40.0, 232.0, 8)
# 1, 2, 3: n = 3, sum = 6, sum of squares = 1+4+9 = 14
SAMPLE_B = (6.0, 14.0, 3)


def fields(x: Interval | Comparison) -> tuple:
    return dataclasses.astuple(x)


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [(0.95, 1.959964), (0.90, 1.644854), (0.99, 2.575829)],  # normal table, two-sided
)
def test_z_value_matches_the_normal_table(confidence, expected):
    assert z_value(confidence) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("confidence", [95, 0, 1, -0.5])
def test_confidence_outside_zero_one_is_refused_with_an_example(confidence):
    with pytest.raises(ValueError, match=r"strictly between 0 and 1, e\.g\. 0\.95"):
        nps_interval(50, 20, 100, confidence=confidence)


def test_nps_interval_matches_hand_computation():
    # 50 promoters, 20 detractors of 100: NPS = 30. Adjusted Wald (Rocks 2016): n' = 103,
    # p_P = 50.75/103 = .492718, p_D = 20.75/103 = .201456, centre 29.1262;
    # var = .694175 - .291262^2 = .609341; half = 1.959964*sqrt(.609341/103)*100 = 15.0751
    got = nps_interval(50, 20, 100)
    assert got.value == pytest.approx(30.0)
    assert got.moe == pytest.approx(15.0751, abs=1e-4)
    assert (got.low, got.high) == pytest.approx((14.0511, 44.2013), abs=1e-4)


def test_nps_interval_clips_bounds_at_100():
    # 99 promoters, 0 detractors of 100: n' = 103, p_P = 99.75/103 = .968447, p_D = .75/103 = .007282
    # centre 96.1165, var = .975728 - .961165^2 = .051890, half = 1.959964*sqrt(.05189/103)*100 = 4.3992
    # high 100.52 clipped to 100; moe = (100 - 91.7173)/2 = 4.1413
    got = nps_interval(99, 0, 100)
    assert (got.low, got.high) == pytest.approx((91.7173, 100.0), abs=1e-4)
    assert got.moe == pytest.approx(4.1413, abs=1e-4)


def test_one_answer_or_all_promoters_never_gives_a_zero_width_band():
    # one promoter: n' = 4, p_P = 1.75/4 = .4375, p_D = .75/4 = .1875, centre 25, var .5625
    # half = 1.959964*sqrt(.5625/4)*100 = 73.4986 -> -48.4986 .. 98.4986, widened to hold 100
    got = nps_interval(1, 0, 1)
    assert got.value == 100.0
    assert (got.low, got.high) == pytest.approx((-48.4986, 100.0), abs=1e-4)
    assert got.moe == pytest.approx(74.2493, abs=1e-4)
    every = nps_interval(20, 0, 20)
    assert every.value == 100.0
    assert every.moe > 5


def test_wilson_interval_matches_hand_computation():
    # 8 of 10, z^2 = 3.841459: centre = (.8 + .192073)/1.384146 = .716740
    # half = 1.959964/1.384146 * sqrt(.016 + .009604) = 1.416008*.160011 = .226578
    # bounds .490162, .943318; moe = (94.3318-49.0162)/2 = 22.6578 (value 80 is not the centre)
    got = wilson_interval(8, 10)
    assert got.value == pytest.approx(80.0)
    assert (got.low, got.high) == pytest.approx((49.0162, 94.3318), abs=1e-3)
    assert got.moe == pytest.approx(22.6578, abs=1e-3)


def test_wilson_interval_with_no_successes_starts_at_zero():
    # 0 of 10: low = 0, high = (z^2/n)/(1 + z^2/n) = .384146/1.384146 = .277533
    got = wilson_interval(0, 10)
    assert (got.value, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(27.7533, abs=1e-3)


@pytest.mark.parametrize(
    ("successes", "n", "confidence"),
    [(8, 10, 0.95), (0, 25, 0.95), (25, 25, 0.9), (137, 412, 0.99), (1, 1, 0.95), (3, 7000, 0.8)],
)
def test_wilson_interval_agrees_with_statsmodels(successes, n, confidence):
    low, high = sm_proportion.proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    got = wilson_interval(successes, n, confidence)
    assert (got.low, got.high) == pytest.approx((100 * low, 100 * high), abs=1e-9)


def test_mean_interval_matches_hand_computation():
    # mean 40/8 = 5; var = (232 - 40^2/8)/7 = 32/7 = 4.571429; se = sqrt(4.571429/8) = .755929
    # t(.975, df=7) = 2.364624; moe = 2.364624*.755929 = 1.787488
    got = mean_interval(*SAMPLE_A)
    assert got.value == pytest.approx(5.0)
    assert got.moe == pytest.approx(1.787488, abs=1e-5)
    assert (got.low, got.high) == pytest.approx((3.212512, 6.787488), abs=1e-5)


@pytest.mark.parametrize(("n", "confidence"), [(2, 0.95), (12, 0.9), (400, 0.99)])
def test_mean_interval_agrees_with_statsmodels_and_scipy_on_real_samples(n, confidence):
    x = np.random.default_rng(n).gamma(2.0, 3.0, size=n)  # skewed, like resolution days
    got = mean_interval(x.sum(), (x * x).sum(), n, confidence)
    expected = sm_weightstats.DescrStatsW(x).tconfint_mean(alpha=1 - confidence)
    assert (got.low, got.high) == pytest.approx(expected, rel=1e-9)
    sp = sps.t.interval(confidence, df=n - 1, loc=x.mean(), scale=sps.sem(x))
    assert (got.low, got.high) == pytest.approx(sp, rel=1e-9)


def test_poisson_rate_interval_matches_garwood_table():
    # 10 events: Garwood 95% bounds 4.7954 and 18.3904 events; in 5,000 contacts per 1,000 divide by 5
    # rate 2.0, bounds .95908 and 3.67808, moe = (3.67808-.95908)/2 = 1.35950
    got = poisson_rate_interval(10, 5000)
    assert got.value == pytest.approx(2.0)
    assert (got.low, got.high) == pytest.approx((0.95908, 3.67808), abs=1e-5)
    assert got.moe == pytest.approx(1.35950, abs=1e-5)


def test_poisson_rate_interval_with_no_events_still_has_an_upper_bound():
    # 0 events: low 0, high = chi2(.975, 2)/2 = -ln(.025) = 3.688879 events in 1,000 -> per 1,000
    got = poisson_rate_interval(0, 1000)
    assert (got.value, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(3.688879, abs=1e-6)


@pytest.mark.parametrize(("count", "exposure"), [(0, 250.0), (3, 1200.0), (57, 40000.0), (1000, 1e6)])
def test_poisson_rate_interval_agrees_with_statsmodels_exact(count, exposure):
    low, high = sm_rates.confint_poisson(count, exposure, method="exact-c")
    got = poisson_rate_interval(count, exposure, per=1.0)
    assert (got.low, got.high) == pytest.approx((low, high), rel=1e-9, abs=1e-12)


def test_compare_nps_matches_hand_computation():
    # a: 50 P, 20 D of 100 -> NPS 30, var .61; b: 30 P, 30 D of 100 -> NPS 0, var .6 - 0 = .6
    # test: pooled shares P 80/200 = .4, D 50/200 = .25, var .65 - .0225 = .6275
    # se_test = 100*sqrt(.6275*(2/100)) = 11.2027; z = 30/11.2027 = 2.677931; p = .007408
    # margin (unpooled): se = 100*sqrt(.61/100 + .6/100) = 11; moe = 1.959964*11 = 21.5596
    got = compare_nps(50, 20, 100, 30, 30, 100)
    assert got.difference == pytest.approx(30.0)
    assert got.z == pytest.approx(2.677931, abs=1e-6)
    assert got.p_value == pytest.approx(0.007408, abs=1e-6)
    assert got.moe_difference == pytest.approx(21.5596, abs=1e-4)
    assert got.significant is True


def test_compare_nps_is_defined_when_every_answer_is_the_same():
    # +100 against -100 on five answers each: each variance is 0, the pooled one is .5 + .5 - 0 = 1
    # se_test = 100*sqrt(1*(1/5 + 1/5)) = 63.2456; z = 200/63.2456 = 3.162278; p = .001565
    got = compare_nps(5, 0, 5, 0, 5, 5)
    assert got.z == pytest.approx(3.162278, abs=1e-6)
    assert got.p_value == pytest.approx(0.001565, abs=1e-6)
    assert got.significant is True
    # one promoter against one detractor: z = 200/(100*sqrt(2)) = 1.414214, p = .157299: noise
    one = compare_nps(1, 0, 1, 0, 1, 1)
    assert one.p_value == pytest.approx(0.157299, abs=1e-6)
    assert one.significant is False


def test_compare_proportions_matches_hand_computation_and_statsmodels():
    # 45/100 vs 30/100: diff 15 pts; pooled .375; se = sqrt(.375*.625*(2/100)) = .068465; z = 2.190890
    # moe (unpooled) = 1.959964*sqrt(.45*.55/100 + .3*.7/100)*100 = 1.959964*.067639*100 = 13.2570
    got = compare_proportions(45, 100, 30, 100)
    assert got.difference == pytest.approx(15.0)
    assert got.z == pytest.approx(2.190890, abs=1e-6)
    assert got.moe_difference == pytest.approx(13.2570, abs=1e-4)
    z, p = sm_proportion.proportions_ztest([45, 30], [100, 100])
    assert (got.z, got.p_value) == pytest.approx((z, p), rel=1e-9)
    assert got.significant is True


@pytest.mark.parametrize(("a", "b"), [((12, 40), (30, 70)), ((3, 900), (1, 2000)), ((5, 9), (5, 11))])
def test_compare_proportions_agrees_with_statsmodels(a, b):
    z, p = sm_proportion.proportions_ztest([a[0], b[0]], [a[1], b[1]])
    got = compare_proportions(a[0], a[1], b[0], b[1])
    assert (got.z, got.p_value) == pytest.approx((z, p), rel=1e-9)


def test_compare_means_matches_hand_computation():
    # a: mean 5, var 32/7 -> va = 4.571429/8 = .571429; b: mean 2, var 1 -> vb = 1/3 = .333333
    # se = sqrt(.904762) = .951190; t = 3/.951190 = 3.153945
    # df = .904762^2/(.571429^2/7 + .333333^2/2) = .818594/.102203 = 8.00951
    got = compare_means(*SAMPLE_A, *SAMPLE_B)
    assert got.difference == pytest.approx(3.0)
    assert got.z == pytest.approx(3.153945, abs=1e-6)
    assert got.significant is True


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compare_means_agrees_with_scipy_welch(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(4.1, 1.0, size=35), rng.normal(3.7, 2.2, size=12)
    got = compare_means(a.sum(), (a * a).sum(), a.size, b.sum(), (b * b).sum(), b.size, 0.9)
    expected = sps.ttest_ind(a, b, equal_var=False)
    assert (got.z, got.p_value) == pytest.approx((expected.statistic, expected.pvalue), rel=1e-8)
    low, high = expected.confidence_interval(0.9)
    assert got.moe_difference == pytest.approx((high - low) / 2, rel=1e-8)


def test_compare_rates_matches_hand_computation_and_statsmodels():
    # 30 in 10,000 vs 10 in 10,000 per 1,000: rates 3 and 1, diff 2
    # se = 1000*sqrt(30/1e8 + 10/1e8) = .632456; z = 3.162278; p = .001565; moe = 1.959964*.632456 = 1.239590
    got = compare_rates(30, 10_000, 10, 10_000)
    assert got.difference == pytest.approx(2.0)
    assert got.moe_difference == pytest.approx(1.239590, abs=1e-6)
    assert (got.z, got.p_value) == pytest.approx((3.162278, 0.001565), abs=1e-6)
    sm = sm_rates.test_poisson_2indep(30, 10_000, 10, 10_000, method="wald", compare="diff")
    assert (got.z, got.p_value) == pytest.approx((sm.statistic, sm.pvalue), rel=1e-9)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(
    "call",
    [
        lambda: nps_interval(0, 0, 0),
        lambda: wilson_interval(0, 0),
        lambda: mean_interval(0.0, 0.0, 0),
        lambda: poisson_rate_interval(0, 0.0),
    ],
)
def test_intervals_on_an_empty_group_are_nan_without_warning(call):
    assert all(math.isnan(f) for f in fields(call()))


@pytest.mark.filterwarnings("error")
def test_mean_interval_on_one_value_keeps_the_mean_but_has_no_margin():
    got = mean_interval(4.0, 16.0, 1)
    assert got.value == 4.0
    assert all(math.isnan(f) for f in (got.moe, got.low, got.high))


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(
    "call",
    [
        lambda: compare_nps(50, 20, 100, 0, 0, 0),
        lambda: compare_nps(0, 0, 0, 50, 20, 100),
        lambda: compare_proportions(45, 100, 0, 0),
        lambda: compare_means(*SAMPLE_A, 0.0, 0.0, 0),
        lambda: compare_means(*SAMPLE_A, 4.0, 16.0, 1),
        lambda: compare_means(3.0, 9.0, 1, 4.0, 16.0, 1),
        lambda: compare_rates(30, 10_000, 0, 0.0),
    ],
)
def test_comparisons_without_enough_data_are_not_significant(call):
    got = call()
    assert got.significant is False
    assert math.isnan(got.p_value)


def test_comparison_of_one_answer_each_is_not_significant():
    # pooled p = .5, se = sqrt(.25*2) = .707107, z = 1/.707107 = 1.414214, p = .157299
    got = compare_proportions(1, 1, 0, 1)
    assert got.p_value == pytest.approx(0.157299, abs=1e-6)
    assert got.significant is False


def test_intervals_work_elementwise_on_numpy_arrays():
    # the rows of test_nps_interval_matches_hand_computation, of an empty month, and of one promoter
    got = nps_interval(np.array([50, 0, 1]), np.array([20, 0, 0]), np.array([100, 0, 1]))
    assert isinstance(got.value, np.ndarray)
    np.testing.assert_allclose(got.value, [30.0, np.nan, 100.0])
    np.testing.assert_allclose(got.moe, [15.0751, np.nan, 74.2493], atol=1e-4)
    np.testing.assert_allclose(got.high, [44.2013, np.nan, 100.0], atol=1e-4)


def test_functions_accept_pandas_columns_including_nullable_integers():
    # what query.py hands over: sums from DuckDB, a missing month as <NA>
    df = pd.DataFrame({"succ": pd.array([8, 0, None], dtype="Int64"), "n": pd.array([10, 10, None], "Int64")})
    got = wilson_interval(df["succ"], df["n"])
    np.testing.assert_allclose(got.low, [49.0162, 0.0, np.nan], atol=1e-3)
    rates = poisson_rate_interval(pd.Series([10, 0]), pd.Series([5000.0, 1000.0]))
    np.testing.assert_allclose(rates.high, [3.67808, 3.688879], atol=1e-5)
    means = mean_interval(pd.Series([40.0, 4.0]), pd.Series([232.0, 16.0]), pd.Series([8, 1]))
    np.testing.assert_allclose(means.moe, [1.787488, np.nan], atol=1e-5)


def test_comparisons_broadcast_regions_against_the_rest_of_the_company():
    # region rows vs one company total: the first is the hand case above (z = 2.677931), the second is empty
    got = compare_nps(np.array([50, 7]), np.array([20, 0]), np.array([100, 0]), 30, 30, 100)
    np.testing.assert_array_equal(got.significant, [True, False])
    np.testing.assert_allclose(got.z, [2.677931, np.nan], atol=1e-6)
    rates = compare_rates(pd.Series([30, 10]), pd.Series([10_000, 10_000]), 10, 10_000)
    np.testing.assert_array_equal(rates.significant, [True, False])


def test_required_run_rate_matches_worked_example():
    # 33.5 over 9 months of volume v, target 40, 3 months left: (40*12v - 33.5*9v)/3v = 178.5/3 = 59.5
    assert required_run_rate(40, 33.5, 900, 300) == pytest.approx(59.5)
    # no volume left: undefined; ahead of target, 45 so far: (40*12 - 45*9)/3 = 75/3 = 25
    got = required_run_rate(np.array([40, 40, 40]), np.array([33.5, 33.5, 45]), 9, np.array([3, 0, 3]))
    np.testing.assert_allclose(got, [59.5, np.nan, 25.0])


@given(
    n=st.integers(min_value=1, max_value=10_000),
    share_p=st.floats(0, 1),
    share_d=st.floats(0, 1),
    confidence=st.floats(0.5, 0.999),
)
def test_intervals_contain_their_value_and_stay_in_range(n, share_p, share_d, confidence):
    promoters = round(share_p * n)
    detractors = round(share_d * (n - promoters))
    nps = nps_interval(promoters, detractors, n, confidence)
    assert -100 <= nps.low <= nps.value <= nps.high <= 100
    wilson = wilson_interval(promoters, n, confidence)
    assert 0 <= wilson.low <= wilson.value <= wilson.high <= 100
    assert wilson.moe == pytest.approx((wilson.high - wilson.low) / 2)


def test_holm_matches_hand_computation_and_statsmodels():
    from statsmodels.stats.multitest import multipletests

    # sorted .01, .03, .04 (m = 3): 3*.01 = .03, 2*.03 = .06, max(.06, 1*.04) = .06; NaN not counted
    got = holm([0.01, 0.04, np.nan, 0.03])
    np.testing.assert_allclose(got, [0.03, 0.06, np.nan, 0.06])
    p = np.array([0.041, 0.2, 0.003, 0.6, 0.02, 0.5, 0.33, 0.07, 0.9])
    np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], atol=1e-12)


def test_holm_turns_the_demo_bretagne_flag_into_noise():
    # the case: p = .041 among nine regions; smallest of nine, the rest larger: 9*.041 = .369
    got = holm([0.041, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert got[0] == pytest.approx(0.369)


def test_mood_median_test_matches_hand_computation_and_scipy():
    from scipy.stats import median_test

    # a: 1 2 3 4 10 11 12 13 ; b: 5 6 7 8 9 ; grand median of the 13 values = 7
    # above 7: a has 10 11 12 13 -> 4 of 8; b has 8 9 -> 2 of 5
    # table [[4, 2], [4, 3]]: |ad - bc| = |12 - 8| = 4 < N/2 = 6.5 -> Yates gives chi2 = 0, p = 1
    assert mood_median_test(4, 8, 2, 5) == pytest.approx(1.0)
    a = [1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 9, 9.5, 10, 11, 12, 14, 15, 20, 25, 30, 31, 33]
    b = [1, 1.2, 1.3, 1.4, 2, 2.1, 2.2, 2.3, 2.4, 2.6, 2.7, 3, 3.1, 3.2, 3.3, 3.4, 6, 7]
    _stat, p, _grand, table = median_test(a, b)
    above_a, above_b = table[0]
    assert mood_median_test(above_a, len(a), above_b, len(b)) == pytest.approx(p, abs=1e-12)
    assert p < 0.05


def test_mood_median_test_is_nan_without_values():
    assert math.isnan(mood_median_test(0, 0, 3, 6))


@pytest.mark.parametrize(
    ("n", "ranks"),
    [
        # coverage of [X_(l), X_(n+1-l)] = 1 - 2 P(B <= l - 1), B ~ Binomial(n, 1/2)
        (6, (1, 6)),  # 1 - 2/64 = 96.9 %
        (9, (2, 8)),  # P(B <= 1) = 10/512 = 0.0195 <= 0.025: 96.1 %
        (10, (2, 9)),  # P(B <= 1) = 11/1024 = 0.0107; P(B <= 2) = 56/1024 = 0.0547 too much: 97.9 %
        (100, (40, 61)),  # the textbook pair for n = 100
    ],
)
def test_median_ranks_are_the_binomial_order_statistics(n, ranks):
    assert median_ranks(n) == ranks
    low = ranks[0]
    assert 1 - 2 * sps.binom.cdf(low - 1, n, 0.5) >= 0.95
    assert 1 - 2 * sps.binom.cdf(low, n, 0.5) < 0.95  # one rank further in would fall short


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5])
def test_median_ranks_are_empty_below_six_values(n):
    # even [min, max] covers only 1 - 2 x 0.5^n: 50 % at 2, 75 % at 3, 93.75 % at 5
    low, high = median_ranks(n)
    assert math.isnan(low)
    assert math.isnan(high)


def test_median_ranks_match_scipy_for_every_n_up_to_300_vectorised():
    n = np.arange(6, 301)
    low, high = median_ranks(n)
    k = np.arange(301)
    want = [int(k[: m + 1][sps.binom.cdf(k[: m + 1], m, 0.5) <= 0.025].max()) + 1 for m in n]
    assert low.tolist() == want
    assert (high == n + 1 - low).all()


def test_median_interval_covers_95_percent_in_a_seeded_simulation():
    # 4,000 samples of each size from a skewed law (lognormal, median 1): the share of intervals that
    # hold the true median must reach 95 % (Monte Carlo s.e. about 0.3 %)
    rng = np.random.default_rng(2028)
    for n in (6, 7, 12, 25, 60):
        values = np.sort(rng.lognormal(0.0, 1.0, size=(4000, n)), axis=1)
        low, high = median_ranks(n)
        covered = (values[:, int(low) - 1] <= 1.0) & (values[:, int(high) - 1] >= 1.0)
        assert covered.mean() >= 0.95, n
