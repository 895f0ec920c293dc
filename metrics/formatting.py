"""Numbers, percentages and dates for people, in French or English (babel): 33,5 / 12 345 / sept. 2025."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

from metrics.definitions import Metric, Unit

LOCALES = {"fr": "fr_FR", "en": "en_US"}
UNIT_SUFFIX = {
    Unit.PERCENT: {"fr": " %", "en": "%"},
    Unit.DAYS: {"fr": " j", "en": " d"},
    Unit.MINUTES: {"fr": " min", "en": " min"},
    Unit.HOURS: {"fr": " h", "en": " h"},
    Unit.PER_1000: {"fr": " ‰", "en": " ‰"},
}
MISSING = "–"


def number(value: float | None, lang: str = "fr", decimals: int = 1) -> str:
    """`33,5` in French, `33.5` in English; a dash for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    value = round(value, decimals) + 0.0  # -0.04 shows as 0,0, never as "-0,0"
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def value(value: float | None, m: Metric, lang: str = "fr", *, signed: bool = False) -> str:
    """A metric value with its unit, e.g. `82,4 %`; `signed` adds + to gaps and changes."""
    text = number(value, lang, m.decimals)
    if text == MISSING:
        return text
    if signed and value is not None and value > 0:
        text = "+" + text
    return text + UNIT_SUFFIX.get(m.unit, {}).get(lang, "")


def month(day: dt.date, lang: str = "fr") -> str:
    """`sept. 2025` / `Sep 2025`."""
    return format_date(day, format="MMM y", locale=LOCALES[lang])


def date(day: dt.date, lang: str = "fr") -> str:
    """`30/09/2025` / `30 Sep 2025`."""
    return format_date(day, format="dd/MM/y" if lang == "fr" else "d MMM y", locale=LOCALES[lang])
