"""A sampled figure with too few answers says so instead of showing a zero-width or empty margin."""

import math

from dashboard import display as fmt
from metrics.semantic.definitions import metric


def test_a_median_of_four_values_says_too_few_answers():
    assert fmt.margin(metric("resolution_days_median"), math.nan, 4, "fr") == "n trop petit"
    assert fmt.margin(metric("resolution_days_median"), math.nan, 4, "en") == "too few answers"


def test_a_real_margin_is_a_number_and_a_census_stays_blank():
    assert fmt.margin(metric("nps"), 5.195, 600, "fr") == "5,2"
    assert fmt.margin(metric("complaints"), math.nan, 12, "fr") == "—"  # a count has no margin
    assert fmt.margin(metric("nps"), math.nan, 0, "fr") == "—"  # no answers: nothing to say
