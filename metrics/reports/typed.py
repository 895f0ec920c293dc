"""Numbers people type on a page: read the way their language writes them, kept to the metric's range.

A browser's number field drops the comma of "50,5" and reads 505; the pages take text instead and read
it here with babel's `parse_decimal` in the reader's locale, strictly: "50,5" is 50.5 in French and
refused in English (where "," groups thousands, and "50,5" is no grouping), "1 234,5" is read with any
kind of space. Text that is no number, and a value the metric cannot take, are refused with a sentence
(`NotANumber`, `OutOfRange`), never turned into another number.
"""

from __future__ import annotations

from babel.numbers import NumberFormatError, parse_decimal

from metrics.errors import NotANumber, OutOfRange
from metrics.reports.formatting import LOCALES
from metrics.semantic.definitions import target_range
from metrics.semantic.records import Metric

_SPACES = (" ", "\u00a0", "\u202f")  # French groups thousands with a space: typed plain, no-break or narrow


def parse_number(text: str, lang: str) -> float | None:
    """`text` as a number in `lang` ("50,5" in French, "50.5" in English); None when blank."""
    cleaned = text.strip().replace("\u2212", "-")  # the minus sign formatted figures carry
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    if not cleaned:
        return None
    if any(c.isalpha() for c in cleaned):  # "1e3", "nan", "inf" parse, but nobody types them for a figure
        raise NotANumber(text)
    try:
        return float(parse_decimal(cleaned, locale=LOCALES[lang], strict=True))
    except NumberFormatError:
        raise NotANumber(text) from None


def within(m: Metric, value: float) -> bool:
    """True when `m` can take `value` (an NPS from -100 to 100, a rate from 0 to 100 %, a count from 0)."""
    low, high = target_range(m)
    return (low is None or value >= low) and (high is None or value <= high)


def metric_value(m: Metric, text: str, lang: str) -> float | None:
    """`text` read in `lang` as a value of `m`; None when blank; refused when `m` cannot take it."""
    value = parse_number(text, lang)
    if value is not None and not within(m, value):
        raise OutOfRange(m, value)
    return value


def nearest_possible(m: Metric, value: float) -> float:
    """`value` brought into `m`'s range: a default of 100,3 % becomes 100 %."""
    low, high = target_range(m)
    value = value if low is None else max(value, low)
    return value if high is None else min(value, high)
