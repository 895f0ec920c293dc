"""One formatter for the CLI, the reports and the pages: the conventions, pinned with literal strings.

French spacing is babel's (CLDR): a narrow no-break space (U+202F) groups thousands and precedes
"j", "h" and "‰"; a no-break space (U+00A0) precedes "%" and "min".
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from metrics.reports import formatting as f
from metrics.semantic.definitions import metric

NNBSP, NBSP = "\u202f", "\xa0"


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "signed", "expected"),
    [
        (12345.54, 1, "fr", False, f"12{NNBSP}345,5"),
        (12345.54, 1, "en", False, "12,345.5"),
        (-0.04, 1, "fr", False, "0,0"),  # never "-0,0"
        (0.0, 1, "fr", True, "+0,0"),  # a signed figure always carries its sign
        (-0.04, 1, "fr", True, "+0,0"),
        (1.25, 1, "en", True, "+1.2"),  # round half to even: 1.25 -> 1.2
        (-3.0, 0, "fr", True, "-3"),
        (None, 1, "fr", False, "—"),
        (math.nan, 1, "en", True, "—"),
    ],
)
def test_numbers(value, decimals, lang, signed, expected):
    assert f.number(value, decimals, lang, signed=signed) == expected


@pytest.mark.parametrize(
    ("key", "value", "lang", "expected"),
    [
        ("first_time_fix_rate", 82.44, "fr", f"82,4{NBSP}%"),
        ("first_time_fix_rate", 82.44, "en", "82.4%"),
        ("nps", 33.5, "fr", "33,5"),
        ("first_time_fix_rate", None, "fr", "—"),
    ],
)
def test_metric_values_carry_their_unit(key, value, lang, expected):
    assert f.value(metric(key), value, lang) == expected


def test_days_per_mille_and_signed_gaps():
    days = next(m for m in _metrics() if m.unit.value == "days")
    per_mille = next(m for m in _metrics() if m.unit.value == "per_1000")
    assert f.value(days, 4.5, "fr") == f"4,5{NNBSP}j"
    assert f.value(days, 4.5, "en") == "4.5 days"
    assert f.gap(days, 1.5, "fr") == f"+1,5{NNBSP}j"
    assert f.gap(metric("first_time_fix_rate"), -6.8, "en") == "-6.8 pts"
    assert f.value(per_mille, 3.2, "fr").endswith(f"{NNBSP}‰")


def test_percentages_and_chances_use_the_locale_pattern():
    assert f.percent(23.46, 1, "fr") == f"23,5{NBSP}%"
    assert f.chance(0.23, "fr") == f"23{NBSP}%"
    assert f.chance(0.23, "en") == "23%"
    assert f.chance(None, "fr") == "—"


def test_targets_drop_trailing_zeros():
    assert f.target(metric("first_time_fix_rate"), 85.0, "fr") == f"85{NBSP}%"
    assert f.target(metric("nps"), 40.0, "en") == "40"
    assert f.editable(2.5, 1, "fr") == "2,5"


def test_dates_are_babels_medium_dates():
    assert f.day(dt.date(2025, 9, 30), "fr") == "30 sept. 2025"
    assert f.day(dt.date(2025, 9, 30), "en") == "Sep 30, 2025"
    assert f.month(dt.date(2025, 9, 1), "fr") == "sept. 2025"
    assert f.month(dt.date(2025, 9, 1), "en") == "Sep 2025"


def test_margins_say_when_a_sample_is_too_small():
    assert f.margin(metric("nps"), math.nan, 3, "fr") == "n trop petit"
    assert f.margin(metric("nps"), 4.26, 300, "en") == "4.3"


def test_one_status_vocabulary_in_both_languages():
    assert f.status_words("at_risk", "fr") == "⚠ À surveiller"
    assert f.status_words("at_risk", "en") == "⚠ At risk"


def test_no_two_modules_share_a_name_across_metrics_and_dashboard():
    from collections import Counter
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    names = Counter(
        p.name
        for folder in ("metrics", "dashboard")
        for p in (root / folder).rglob("*.py")
        if p.name != "__init__.py"
    )
    assert [n for n, k in names.items() if k > 1 and n in ("formatting.py", "messages.py")] == []


def _metrics():
    from metrics.semantic.definitions import METRICS

    return METRICS.values()


def test_an_interval_reads_as_brackets_and_a_census_shows_one_dash():
    assert f.interval(31.2, 35.8, 1, "fr") == "[31,2 ; 35,8]"
    assert f.interval(31.2, 35.8, 1, "en") == "[31.2 ; 35.8]"
    assert f.interval(float("nan"), float("nan"), 1, "fr") == "—"
    assert f.interval(None, None, 0, "en") == "—"
