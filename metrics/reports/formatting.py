"""Numbers, units and dates for people, in French or English, for the CLI, the reports and the pages.

One module on babel, so the CLI and the dashboard write a figure the same way. The conventions:
- spacing and separators are babel's (CLDR): "12 345,5" with a narrow no-break space in French,
  "82,4 %" with a no-break space before "%" (the locale's own percent pattern), "4,5 j", "12 min";
- a missing value is "—" (em dash), never "nan" or an en dash;
- a signed figure (a gap, a change) always carries its sign: "+1,5", "-0,4", and "+0,0" for zero;
- a day is babel's medium date: "30 sept. 2025" / "Sep 30, 2025"; a month "sept. 2025" / "Sep 2025".
The pages reach these through `dashboard.display`, which only supplies the reader's language.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)
from babel.units import format_unit

from metrics import catalogue
from metrics.semantic.kinds import spec
from metrics.semantic.records import Metric, Unit


class _Locales(dict[str, str]):
    """Babel's locale per language; a language added by a `.po` alone formats as its own code (`pl`)."""

    def __missing__(self, lang: str) -> str:
        return lang


LOCALES = _Locales(fr="fr_FR", en="en_US")
MISSING = "—"
# CLDR unit ids; percent uses the locale's percent pattern instead (its no-break space)
_UNITS = {
    Unit.DAYS: "duration-day",
    Unit.MINUTES: "duration-minute",
    Unit.HOURS: "duration-hour",
    Unit.PER_1000: "concentr-permille",
}


def missing(value: object) -> bool:
    """None or NaN (pandas' NA too): a figure with nothing to show."""
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return False


def _pattern(decimals: int, *, signed: bool = False, grouped: bool = True) -> str:
    body = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals > 0 else "")
    return f"+{body};-{body}" if signed else body


@cache
def _symbols(lang: str) -> tuple[dict[int, str], str, str]:
    """The locale's separators (as a translation table), plus and minus signs, read from CLDR once."""
    locale = LOCALES[lang]
    table = {ord(","): get_group_symbol(locale), ord("."): get_decimal_symbol(locale)}
    return table, get_plus_sign_symbol(locale), get_minus_sign_symbol(locale)


def number(value: float | None, decimals: int = 1, lang: str = "fr", *, signed: bool = False) -> str:
    """`33,5` / `33.5` with the locale's grouping; `+0,0` when signed; "—" when missing.

    The same characters as babel's `format_decimal` with the `#,##0.0` pattern (a test compares them
    on thousands of values), written with Python's own formatting and the locale's CLDR symbols:
    babel parses its pattern on every call, and a page formatting 30,000 cells spent seconds there.
    """
    if missing(value):
        return MISSING
    rounded = round(float(value), decimals) + 0.0  # type: ignore[arg-type]  # -0.04 shows as 0,0, never -0,0
    table, plus, minus = _symbols(lang)
    text = f"{abs(rounded):,.{decimals}f}".translate(table)
    return (minus if rounded < 0 else plus if signed else "") + text


def integer(value: float | None, lang: str = "fr") -> str:
    """A count with the locale's thousands separator: 12 345 / 12,345."""
    return number(value, 0, lang)


@cache
def _percent_affixes(lang: str) -> tuple[str, str]:
    pattern = Locale.parse(LOCALES[lang]).percent_formats[None]
    return pattern.prefix[0], pattern.suffix[0]


def _with_unit(text: str, amount: float, unit: Unit, lang: str, pattern: str) -> str:
    """`text` (the number already written with `pattern`) with its unit, as the locale writes it."""
    if unit is Unit.PERCENT:
        prefix, suffix = _percent_affixes(lang)
        return prefix + text + suffix
    if unit in _UNITS:  # babel picks the plural ("1 day", "2 days") from the amount
        key = (unit, lang, _locale(lang).plural_form(amount))
        template = _unit_templates.get(key)
        if template is None:
            # CLDR's unit pattern depends only on the plural form: ask babel once per form
            written = format_unit(amount, _UNITS[unit], length="short", format=pattern, locale=LOCALES[lang])
            template = written.replace(text, "\0", 1)
            if "\0" not in template:  # babel wrote the number another way: keep its own text
                return written
            _unit_templates[key] = template
        return template.replace("\0", text)
    return text


_unit_templates: dict[tuple[Unit, str, str], str] = {}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def unit_symbol(unit: Unit, lang: str = "fr") -> str:
    """The unit alone, for a column header: "%", "j", "‰"; "" for plain numbers."""
    return _with_unit("0", 0.0, unit, lang, "0").replace("0", "", 1).strip("\xa0\u202f ")


def value(m: Metric, v: float | None, lang: str = "fr", *, signed: bool = False) -> str:
    """A metric value with its declared decimals and unit: `82,4 %`, `4,5 j`, `33,5`; "—" when missing."""
    text = number(v, m.decimals, lang, signed=signed)
    if text == MISSING:
        return text
    rounded = round(float(v), m.decimals) + 0.0  # type: ignore[arg-type]
    return _with_unit(text, rounded, m.unit, lang, _pattern(m.decimals, signed=signed))


def gap(m: Metric, amount: float | None, lang: str = "fr") -> str:
    """A signed difference: percentage metrics in points ("-6,8 pts"), others in their unit ("+1,5 j")."""
    if m.unit is not Unit.PERCENT:
        return value(m, amount, lang, signed=True)
    text = number(amount, m.decimals, lang, signed=True)
    points = catalogue.text("unit.points", lang)
    return text if text == MISSING else f"{text} {points}"


def target(m: Metric, v: float | None, lang: str = "fr") -> str:
    """A target as people write it: 40, 85 %, 2,5 j (no trailing zero)."""
    if missing(v):
        return MISSING
    pattern = "#,##0." + "#" * max(m.decimals, 1)
    text = format_decimal(v, format=pattern, locale=LOCALES[lang])
    return _with_unit(text, float(v), m.unit, lang, pattern)  # type: ignore[arg-type]


def editable(value: float | None, decimals: int = 1, lang: str = "fr") -> str:
    """A number to edit: "2,5" / "2.5", "40" (no trailing zero, no grouping); "" when missing."""
    if missing(value):
        return ""
    return format_decimal(value, format="0." + "#" * max(decimals, 1), locale=LOCALES[lang])


def possible_range(m: Metric, lang: str = "fr") -> str:
    """The values `m` can take: "de -100 à 100", "0 ou plus"."""
    from metrics.semantic.definitions import target_range  # the registry loads when a figure is written

    low, high = target_range(m)
    if high is None:
        return catalogue.text("range.from", lang, low=target(m, low, lang))
    return catalogue.text("range.between", lang, low=target(m, low, lang), high=target(m, high, lang))


def requirement(m: Metric, required: float | None) -> str:
    """What a required run-rate means: "none", "possible", "out_of_reach" or "secured".

    Beyond the best `m` can take (a rate above 100 %, complaints below 0) it is out of reach; beyond
    its worst (an NPS under -100) any months will do.
    """
    if missing(required):
        return "none"
    from metrics.semantic.definitions import target_range  # not at CLI start (tests/test_cli_import.py)

    low, high = target_range(m)
    best, worst = (high, low) if m.higher_is_better else (low, high)
    sign = 1 if m.higher_is_better else -1
    if best is not None and sign * (required - best) > 0:  # type: ignore[operator]
        return "out_of_reach"
    if worst is not None and sign * (required - worst) < 0:  # type: ignore[operator]
        return "secured"
    return "possible"


def required(m: Metric, required: float | None, best: float | None, lang: str = "fr") -> str:
    """The "required until December" cell of the CLI summary and the board pack.

    The run-rate when the metric can deliver it, else "hors d'atteinte, au mieux 84,4 %" or "acquis
    quoi qu'il arrive".
    """
    verdict = requirement(m, required)
    if verdict == "out_of_reach":
        return catalogue.text("required.out_of_reach", lang, best=value(m, best, lang))
    if verdict == "secured":
        return catalogue.text("required.secured", lang)
    return value(m, required, lang)


def percent(points: float | None, decimals: int = 0, lang: str = "fr") -> str:
    """A percentage (0-100) with the locale's sign and spacing: 23.5 -> "23,5 %" / "23.5%"."""
    if missing(points):
        return MISSING
    prefix, suffix = _percent_affixes(lang)
    return prefix + number(points, decimals, lang) + suffix


def chance(p: float | None, lang: str = "fr") -> str:
    """A probability (0-1) as a whole percentage, "23 %" / "23%"; "—" when missing."""
    return percent(None if missing(p) else 100 * p, 0, lang)  # type: ignore[operator]


def margin(m: Metric, moe: float | None, n: float | None, lang: str = "fr") -> str:
    """A margin of error; "n trop petit" where a sampled figure has answers but too few for one."""
    if missing(moe) and spec(m).sampled and not missing(n) and n > 0:  # samples only: counts are censuses
        return catalogue.text("moe.too_few", lang)
    return number(moe, m.decimals, lang)


def interval(low: float | None, high: float | None, decimals: int = 1, lang: str = "fr") -> str:
    """`[31,2 ; 35,8]`; "—" alone for a census, which has no interval (not "[— ; —]")."""
    if missing(low) and missing(high):
        return MISSING
    return f"[{number(low, decimals, lang)} ; {number(high, decimals, lang)}]"


def month(day: dt.date, lang: str = "fr") -> str:
    """`sept. 2025` / `Sep 2025`."""
    return format_date(day, format="MMM y", locale=LOCALES[lang])


def month_name(day: dt.date, lang: str = "fr", *, narrow: bool = False) -> str:
    """A month's name alone: "sept." / "Sep", or "S" when narrow."""
    return format_date(day, "MMMMM" if narrow else "MMM", locale=LOCALES[lang])


def day(d: dt.date, lang: str = "fr") -> str:
    """`30 sept. 2025` / `Sep 30, 2025`."""
    return format_date(d, "medium", locale=LOCALES[lang])


def timestamp(moment: object, lang: str = "fr") -> str:
    """A date and time as "23 nov. 2026, 14:02" / "Nov 23, 2026, 2:02 PM"; "—" when missing."""
    import pandas as pd

    if moment is None or pd.isna(moment):
        return MISSING
    at = pd.Timestamp(moment).to_pydatetime()
    locale = LOCALES[lang]
    return f"{format_date(at, 'medium', locale=locale)}, {format_time(at, 'short', locale=locale)}"


# one status vocabulary for the CLI, the reports and the pages: symbol + words (catalogue `status.<key>`);
# metrics.reports.verdict decides which one applies; "unlikely" is under 5 % of chance and never done in a
# month this year
STATUSES = tuple(
    key.removeprefix("status.")
    for key in (
        catalogue.N_("status.on_track"),
        catalogue.N_("status.at_risk"),
        catalogue.N_("status.off_track"),
        catalogue.N_("status.out_of_reach"),
        catalogue.N_("status.unlikely"),
        catalogue.N_("status.met"),
        catalogue.N_("status.missed"),
        catalogue.N_("status.no_target"),
        catalogue.N_("status.no_data"),
        catalogue.N_("status.no_data_yet"),
    )
)


def status_words(status: str, lang: str) -> str:
    """A status key as symbol + words in `lang` ("⚠ À surveiller", "⚠ At risk")."""
    return catalogue.text(f"status.{status}", lang)
