"""Numbers and dates in the reader's locale through babel: 33,5 / 12 345 / sept. 2025 in French."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from dashboard.i18n import current_lang, translate
from metrics.semantic.definitions import Metric, Unit
from metrics.semantic.kinds import spec

_UNIT_KEYS = {
    Unit.PERCENT: "unit.percent",
    Unit.DAYS: "unit.days",
    Unit.PER_1000: "unit.per_1000",
    Unit.MINUTES: "unit.minutes",
    Unit.HOURS: "unit.hours",
}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, decimals: int = 1, lang: str | None = None, *, signed: bool = False) -> str:
    """`value` rounded to `decimals` with the locale's separators; "—" when missing."""
    if _missing(value):
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    value = round(value, decimals) + 0.0  # -0.04 shows as 0,0, never as "-0,0"
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, format=pattern, locale=lang or current_lang())


def chance(p: float | None, lang: str | None = None) -> str:
    """A probability as a whole percentage, "23 %" / "23%"; "—" when missing."""
    if _missing(p):
        return "—"
    return format_percent(p, locale=lang or current_lang())  # the locale's own pattern: "23\xa0%" / "23%"


def target(m: Metric, v: float | None, lang: str | None = None) -> str:
    """A target as people write it: 40, 85 %, 2,5 (no trailing zero)."""
    lang = lang or current_lang()
    if _missing(v):
        return "—"
    text = format_decimal(v, format="#,##0." + "#" * max(m.decimals, 1), locale=lang)
    key = _UNIT_KEYS.get(m.unit)
    return translate(key, lang, v=text) if key else text


def editable(value: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """A number to edit: "2,5" / "2.5", "40" (no trailing zero, no thousands separator); "" when missing."""
    if _missing(value):
        return ""
    return format_decimal(value, format="0." + "#" * max(decimals, 1), locale=lang or current_lang())


def integer(value: float | None, lang: str | None = None) -> str:
    """A count with the locale's thousands separator (12 345 / 12,345)."""
    return number(value, 0, lang)


def value(m: Metric, v: float | None, lang: str | None = None, *, signed: bool = False) -> str:
    """A metric value with its declared decimals and unit (85,2 %, 4,5 j, 33,5)."""
    lang = lang or current_lang()
    text = number(v, m.decimals, lang, signed=signed)
    key = _UNIT_KEYS.get(m.unit)
    return translate(key, lang, v=text) if key and not _missing(v) else text


# kinds whose figures are samples with a margin of error (counts and workload ratios are censuses)


def margin(m: Metric, moe: float | None, n: float | None, lang: str | None = None) -> str:
    """A margin of error; "n trop petit" where a sampled figure has answers but too few for one."""
    if _missing(moe) and spec(m).sampled and not _missing(n) and n > 0:
        return translate("moe.too_few", lang or current_lang())
    return number(moe, m.decimals, lang)


def month(day: dt.date, lang: str | None = None) -> str:
    """A month as "sept. 2025" / "Sep 2025"."""
    return format_date(day, "MMM y", locale=lang or current_lang())


def month_name(d: dt.date, lang: str | None = None, *, narrow: bool = False) -> str:
    """A month's name alone: "sept." / "Sep", or "S" when narrow."""
    return format_date(d, "MMMMM" if narrow else "MMM", locale=lang or current_lang())


def day(d: dt.date, lang: str | None = None) -> str:
    """A date as "30 sept. 2025" / "Sep 30, 2025"."""
    return format_date(d, "medium", locale=lang or current_lang())


def timestamp(moment: object, lang: str | None = None) -> str:
    """A date and time as "23 nov. 2026, 14:02" / "Nov 23, 2026, 2:02 PM"; "—" when missing."""
    if moment is None or pd.isna(moment):
        return "—"
    at = pd.Timestamp(moment).to_pydatetime()
    lang = lang or current_lang()
    return f"{format_date(at, 'medium', locale=lang)}, {format_time(at, 'short', locale=lang)}"
