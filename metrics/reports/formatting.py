"""Numbers, percentages and dates for people, in French or English (babel): 33,5 / 12 345 / sept. 2025."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

from metrics.semantic.definitions import Metric, Unit

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
    if signed and value is not None and round(value, m.decimals) > 0:  # +0,0 would read as a rise
        text = "+" + text
    return text + UNIT_SUFFIX.get(m.unit, {}).get(lang, "")


def month(day: dt.date, lang: str = "fr") -> str:
    """`sept. 2025` / `Sep 2025`."""
    return format_date(day, format="MMM y", locale=LOCALES[lang])


def date(day: dt.date, lang: str = "fr") -> str:
    """`30/09/2025` / `30 Sep 2025`."""
    return format_date(day, format="dd/MM/y" if lang == "fr" else "d MMM y", locale=LOCALES[lang])


# one status vocabulary for the CLI and the dashboard cards: symbol + words (colour only repeats them)
STATUS_WORDS = {
    "on_track": {"fr": "✔ En bonne voie", "en": "✔ On track"},
    "at_risk": {"fr": "⚠ À surveiller", "en": "⚠ At risk"},
    "off_track": {"fr": "✖ En retard", "en": "✖ Off track"},
    "out_of_reach": {"fr": "✖ Hors d'atteinte", "en": "✖ Out of reach"},
    "met": {"fr": "✔ Objectif atteint", "en": "✔ Target met"},
    "missed": {"fr": "✖ Objectif manqué", "en": "✖ Target missed"},
    "no_target": {"fr": "— Sans objectif", "en": "— No target"},
    "no_data": {"fr": "○ Pas de données", "en": "○ No data"},
}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def status_key(
    m: Metric,
    status: str,
    *,
    value: float | None,
    target: float | None,
    months_left: int,
    reachable: bool | None,
) -> str:
    """The status people read: a finished year is met or missed, an impossible target is out of reach.

    "At risk" means something only while months remain; in December the year's figure either meets
    the target or not. A target the remaining months cannot reach even at the best possible value
    (NPS 100, 100 %, 0 complaints) is "out of reach", never merely "off track".
    """
    if status in ("no_data", "no_target") or _missing(target):
        return status if status in STATUS_WORDS else "no_target"
    if _missing(value):
        return "no_data"
    if months_left <= 0:
        met = value >= target if m.higher_is_better else value <= target
        return "met" if met else "missed"
    if reachable is False:
        return "out_of_reach"
    return status if status in STATUS_WORDS else "no_target"


def gap(amount: float | None, m: Metric, lang: str = "fr") -> str:
    """A signed difference: percentage metrics in points ("-6,8 pts"), others in their unit ("+1,5 j")."""
    if m.unit is not Unit.PERCENT:
        return value(amount, m, lang, signed=True)
    text = number(amount, lang, m.decimals)
    if text == MISSING:
        return text
    return ("+" + text if amount is not None and round(amount, m.decimals) > 0 else text) + " pts"
