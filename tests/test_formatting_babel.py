"""The fast number formatter writes exactly what babel writes, in both languages and every unit.

`metrics.reports.formatting.number` formats with Python and the locale's CLDR symbols, and unit
patterns are asked of babel once per plural form; these tests hold both to babel's own output.
"""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from babel.units import format_unit
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.reports import formatting
from metrics.semantic.records import Unit

EDGES = [0.0, -0.0, -0.04, 0.05, 0.5, 1.0, 1.5, 2.0, -1.0, 999.95, 1234.5, -1234.5, 1e6, 12345678.9, 0.25]


def babel_number(value: float, decimals: int, lang: str, signed: bool) -> str:
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    pattern = f"+{body};-{body}" if signed else body
    return format_decimal(round(value, decimals) + 0.0, format=pattern, locale=formatting.LOCALES[lang])


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2, 3])
@pytest.mark.parametrize("signed", [False, True])
def test_edge_values_are_written_as_babel_writes_them(lang, decimals, signed):
    for value in EDGES:
        assert formatting.number(value, decimals, lang, signed=signed) == babel_number(
            value, decimals, lang, signed
        )


def test_french_uses_a_narrow_no_break_space_and_a_decimal_comma():
    # written out by hand: 1 234 567,9 with U+202F between the groups
    assert formatting.number(1234567.89, 1, "fr") == "1\u202f234\u202f567,9"
    assert formatting.number(-0.04, 1, "fr", signed=True) == "+0,0"
    assert formatting.number(-2.5, 2, "en", signed=True) == "-2.50"


@settings(max_examples=400, deadline=None)
@given(
    value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    decimals=st.integers(0, 3),
    lang=st.sampled_from(["fr", "en"]),
    signed=st.booleans(),
)
def test_any_value_is_written_as_babel_writes_it(value, decimals, lang, signed):
    assert formatting.number(value, decimals, lang, signed=signed) == babel_number(
        value, decimals, lang, signed
    )


@pytest.mark.parametrize("unit", [Unit.DAYS, Unit.MINUTES, Unit.HOURS, Unit.PER_1000])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_units_follow_babels_plural_forms(unit, lang):
    for decimals in (0, 1):
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        for value in [0.0, 1.0, 1.4, 2.0, 0.5, 12.0, 1234.5]:
            amount = round(value, decimals) + 0.0
            text = formatting.number(value, decimals, lang)
            expected = format_unit(
                amount,
                formatting._UNITS[unit],
                length="short",
                format=pattern,
                locale=formatting.LOCALES[lang],
            )
            assert formatting._with_unit(text, amount, unit, lang, pattern) == expected, (value, decimals)
