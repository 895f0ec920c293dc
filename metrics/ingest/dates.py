"""How a date column is read: its day/month order decided once from its own values, then one format list.

`11/1/2019` is 1 November in a US export and 11 January in a French one. Any first field above 12
proves day-first, any second field above 12 proves month-first, `2019-11-01` is unambiguous. A column
where every value has both fields at or under 12 is read day-first only in a French export (`;` or
French headers); anywhere else the file is refused until `--date-order` says which.

A column whose every value is 6 or 8 digits is compact: `991001` and `19991001` are 1 October 1999
(year first, as ACD call logs write them; `--date-order dmy` reads `011099`). Two-digit years follow
the POSIX pivot of DuckDB's `%y`: 00-68 are 2000-2068, 69-99 are 1969-1999.
A time followed by a zone (`Z`, `UTC`, `GMT`, an offset `+02:00` or `+0200`, or both as Google Forms
writes them: `10:22:33 PM UTC+1`) is converted to the operator's time zone (`CX_TIMEZONE`, default
Europe/Paris), whatever the date's spelling; values without one are taken as already in that zone,
unless the header says they are UTC (Typeform's `Submit Date (UTC)`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import duckdb

from metrics import settings
from metrics.catalogue import N_, text
from metrics.errors import ImportRefused

ORDERS = ("dmy", "mdy", "ymd")
ORDER_LABELS = {"dmy": "dd/mm/yyyy", "mdy": "mm/dd/yyyy", "ymd": "yyyy-mm-dd"}
ORDER_KEYS = {"dmy": N_("dates.order_dmy"), "mdy": N_("dates.order_mdy"), "ymd": N_("dates.order_ymd")}
ORDER_HELP = {order: text(key, "en") for order, key in ORDER_KEYS.items()}  # the CLI's help and the docs
# why a column was read in its order, for the report: the catalogue's sentence
WHY = {
    "detected": N_("dates.why_detected"),
    "forced": N_("dates.why_forced"),
    "french": N_("dates.why_french"),
    "iso": N_("dates.why_iso"),
    "compact": N_("dates.why_compact"),
}
TWO_DIGIT_PIVOT = 69  # %y: "68" is 2068, "69" is 1969
DEFAULT_TIMEZONE = settings.text_default("CX_TIMEZONE")
SAMPLE_VALUES = 500
_TIMES = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p")
_ISO_TIMES = (" %H:%M:%S", "T%H:%M:%S", " %H:%M:%S.%f", "T%H:%M:%S.%f", " %H:%M", "T%H:%M")
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?!\d)")
_UTC_HEADER = re.compile(r"\bUTC\b|\bGMT\b", re.IGNORECASE)
_FRENCH_WORDS = ("date de", "n°", "numéro", "région", "réponse", "commentaire", "réclamation", "clôture")


@dataclass(frozen=True, slots=True)
class DateReading:
    """The order a date column was read in, why, and the evidence, for the report and the hints."""

    column: str
    header: str
    order: str  # dmy, mdy or ymd
    why: str  # detected, forced, french, iso
    formats: tuple[str, ...]
    offsets: bool
    values: int  # non-empty cells
    day_first: int  # cells whose first field is above 12
    month_first: int  # cells whose second field is above 12
    utc: bool = False  # the header says times without an offset are UTC: converted like offsets
    compact: tuple[int, ...] = ()  # digit counts of a compact column (6: yymmdd, 8: yyyymmdd), else ()

    @property
    def pattern(self) -> str:
        """How the column's dates are written, for the report and the problems: `dd/mm/yyyy`, `yymmdd`."""
        if not self.compact:
            return ORDER_LABELS[self.order]
        parts = {"ymd": ("y", "mm", "dd"), "dmy": ("dd", "mm", "y"), "mdy": ("mm", "dd", "y")}[self.order]
        spell = {6: "yy", 8: "yyyy"}
        return " or ".join("".join(spell[n] if p == "y" else p for p in parts) for n in self.compact)

    def describe(self, lang: str = "en") -> str:
        """`responded_at ("Timestamp"): mm/dd/yyyy (month first: 31 values have a day above 12)`."""
        found = self.day_first if self.order == "dmy" else self.month_first
        digits = "".join(map(str, self.compact))  # 6 or 8 digits; "6 or 8" for a column of both
        if len(self.compact) == 2:
            digits = text(N_("dates.either"), lang, first=self.compact[0], second=self.compact[1])
        why = text(WHY[self.why], lang, found=found, values=self.values, digits=digits)
        zone = N_("dates.zone_utc") if self.utc else N_("dates.zone_offsets") if self.offsets else None
        zone_said = text(zone, lang, zone=timezone()) if zone else ""
        return f'{self.column} ("{self.header}"): {self.pattern} ({why}{zone_said})'

    def misread_share(self) -> float:
        """Share of values whose fields contradict the order read (e.g. month-first values read day-first)."""
        against = self.month_first if self.order == "dmy" else self.day_first if self.order == "mdy" else 0
        return against / self.values if self.values else 0.0

    def other_order(self) -> str:
        """The order the contradicting values follow."""
        return "mdy" if self.order == "dmy" else "dmy"


def timezone() -> str:
    """The operator's time zone, `CX_TIMEZONE` (default Europe/Paris)."""
    return settings.text("CX_TIMEZONE")


def formats_for(order: str, years: tuple[str, ...] = ("%y", "%Y")) -> tuple[str, ...]:
    """Every spelling of a date in `order`, two-digit years before four-digit ones, then plain ISO.

    `%y` comes first because `%Y` would read "21" as the year 21; `%y` cannot read "2021" (it stops
    at "20" and the rest does not match), so each value finds exactly one format. `years` drops the
    width no value uses, so a column of four-digit years never tries `%y` first.
    """
    if order == "ymd":
        dates = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
    else:
        first, second = ("%d", "%m") if order == "dmy" else ("%m", "%d")
        dates = [f"{first}{sep}{second}{sep}{year}" for year in years for sep in "/-."]
    spelled = [d + time for d in dates for time in _TIMES]
    iso = ["%Y-%m-%d", *(f"%Y-%m-%d{time}" for time in _ISO_TIMES)]
    return tuple(dict.fromkeys([*spelled, *iso]))


def compact_formats(order: str, digits: tuple[int, ...]) -> tuple[str, ...]:
    """The spellings of a compact column in `order`: `%y%m%d` for 6 digits, `%Y%m%d` for 8."""
    fields = {"ymd": "{y}%m%d", "dmy": "%d%m{y}", "mdy": "%m%d{y}"}[order]
    return tuple(fields.format(y="%y" if n == 6 else "%Y") for n in digits)


def offset_formats() -> tuple[str, ...]:
    """ISO timestamps that end with a UTC offset (`Z` is rewritten to +00:00 before parsing)."""
    return tuple(f"%Y-%m-%d{time}%z" for time in _ISO_TIMES if time)


# a zone after a time: Z, UTC or GMT, each with an offset or not (Google Forms' "UTC+1", "GMT+01:00"), or
# an offset of four digits alone ("+02:00", "-0500"); groups: the offset's sign, hours and minutes, once
# after a name and once alone. RE2 syntax, no quote: it is written into the SQL as a literal
ZONE = (
    r"(?i)\s*(?:(?:Z|UTC|GMT)(?:\s*([+-])([0-9]{1,2})(?::?([0-9]{2}))?)?|([+-])([0-9]{2}):?([0-9]{2}))$"
)


def has_zone(v: str) -> str:
    """SQL: text `v` is a time followed by a zone (a plain date never holds a colon)."""
    return f"(contains({v}, ':') AND regexp_matches({v}, '{ZONE}'))"


def local_time(v: str) -> str:
    """SQL: text `v` without its zone: what the column's own formats read."""
    return f"regexp_replace({v}, '{ZONE}', '')"


def zone_minutes(v: str) -> str:
    """SQL: the minutes east of UTC that `v`'s zone says (0 for Z, UTC and GMT alone).

    One match gives every group (a struct): six `regexp_extract` calls cost 0.5-0.8 s per 1M values,
    the struct 0.14-0.18 s.
    """
    z = f"regexp_extract({v}, '{ZONE}', ['s1', 'h1', 'm1', 's2', 'h2', 'm2'])"

    def group(name: str) -> str:  # after UTC/GMT, or alone
        return f"coalesce(nullif({z}.{name}1, ''), nullif({z}.{name}2, ''), '0')"

    sign = f"CASE WHEN {group('s')} = '-' THEN -1 ELSE 1 END"
    return f"({sign} * (CAST({group('h')} AS INTEGER) * 60 + CAST({group('m')} AS INTEGER)))"


def is_french_export(headers: Sequence[str], delimiter: str | None) -> bool:
    """True for a `;` CSV or headers written in French: there an ambiguous date is day-first."""
    if delimiter == ";":
        return True
    text = " ".join(headers).lower()
    return any(word in text for word in _FRENCH_WORDS) or bool(re.search(r"[éèêàçùôî]", text))


@dataclass
class _Evidence:
    """What one grouped scan of a column's first ten characters says about its dates."""

    values: int = 0
    day_first: int = 0
    month_first: int = 0
    ambiguous: int = 0
    examples: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)  # digit counts of the years seen: 2, 4
    offsets: bool = False
    compact: dict[int, int] = field(default_factory=dict)  # values of only 6 or 8 digits, by digit count


def each_cell(t: str) -> str:
    """Text column `t` of temp table `cells` as a relation of values (v, n, first): one row per cell.

    The evidence of a column's format reads such a relation: each value `v`, how many cells hold it
    (`n`) and the first one's `ord`, so the same evidence can come from each distinct value instead
    (metrics.ingest.staging.distinct_values: 365 days for a year of 10M calls).
    """
    return f"(SELECT {t} AS v, 1 AS n, ord AS first FROM cells)"


def _evidence(cur: duckdb.DuckDBPyConnection, values: str) -> _Evidence:
    """Count day-first, month-first and ambiguous values, year widths and UTC offsets in one scan.

    `values` is a relation (v, n, first) of the column's texts (`each_cell`).
    """
    offset = has_zone("v")
    prefixes = cur.execute(
        f"SELECT left(v, 10), sum(n), bool_or({offset}) FROM {values} WHERE v IS NOT NULL GROUP BY 1 "
        "ORDER BY 1"  # examples in a stable order, whatever the hash aggregate returns first
    ).fetchall()
    seen = _Evidence()
    for prefix, count, offsets in prefixes:
        n = int(count)
        seen.values += n
        seen.offsets = seen.offsets or bool(offsets)
        if prefix.isdigit() and len(prefix) in (6, 8):  # the whole value: a prefix holds 10 characters
            seen.compact[len(prefix)] = seen.compact.get(len(prefix), 0) + n
        match = _DAY_MONTH.match(prefix)
        if not match:
            continue
        a, b = int(match.group(1)), int(match.group(2))
        seen.years.add(len(match.group(3)))
        if a > 12 >= b:
            seen.day_first += n
        elif b > 12 >= a:
            seen.month_first += n
        elif a <= 12 and b <= 12:
            seen.ambiguous += n
            if len(seen.examples) < 3:
                seen.examples.append(prefix.strip())
    return seen


def _ranked(cur: duckdb.DuckDBPyConnection, t: str, formats: tuple[str, ...]) -> tuple[str, ...]:
    """The formats, those matching most of a sample first, so most cells parse on the first try.

    A `%y` format and its `%Y` twin move together, `%y` first: `%Y` alone would read "1/9/21" as year 21.
    """
    counts = ", ".join(f"count(try_strptime(v, '{f}'))" for f in formats)  # our constants: no quotes
    row = cur.execute(
        f"SELECT {counts} FROM (SELECT CASE WHEN {has_zone(t)} THEN {local_time(t)} ELSE {t} END AS v "
        f"FROM cells WHERE {t} IS NOT NULL "
        f"LIMIT {SAMPLE_VALUES})"
    ).fetchone()
    hits = list(row) if row else [0] * len(formats)
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(formats):
        groups.setdefault(f.replace("%y", "%Y"), []).append(i)
    ranked = sorted(groups.values(), key=lambda members: -sum(hits[i] for i in members))
    return tuple(formats[i] for members in ranked for i in members)


def read_dates(
    cur: duckdb.DuckDBPyConnection,
    *,
    column: str,
    header: str,
    t: str,
    forced: str | None,
    french: bool,
    file_name: str,
    decided: dict[tuple[str, str, str | None, bool], object] | None = None,
    values: Callable[[], str | None] | None = None,
) -> DateReading:
    """Decide how temp table `cells`' text column `t` is read, or refuse an ambiguous column.

    `decided` (a `Source.dates`) holds the file's decisions already made: a column is decided once
    per file, whichever of the import plan and the import reads it first. `values` makes the column's
    texts as a relation (v, n, first) when the column is decided here; by default `each_cell(t)`.
    """
    key = (column, header, forced, french)
    if decided is not None and isinstance(decided.get(key), DateReading):
        return decided[key]  # type: ignore[return-value]
    relation = (values() if values else None) or each_cell(t)
    reading = _read_dates(cur, column=column, header=header, t=t, forced=forced, french=french,
                          file_name=file_name, values=relation)  # fmt: skip
    if decided is not None:
        decided[key] = reading
    return reading


def _read_dates(
    cur: duckdb.DuckDBPyConnection,
    *,
    column: str,
    header: str,
    t: str,
    forced: str | None,
    french: bool,
    file_name: str,
    values: str,
) -> DateReading:
    seen = _evidence(cur, values)
    day_first, month_first = seen.day_first, seen.month_first
    if seen.values and sum(seen.compact.values()) == seen.values:
        order = forced or "ymd"
        digits = tuple(sorted(seen.compact))
        return DateReading(
            column=column,
            header=header,
            order=order,
            why="forced" if forced else "compact",
            formats=compact_formats(order, digits),
            offsets=False,
            values=seen.values,
            day_first=0,
            month_first=0,
            compact=digits,
        )
    if forced:
        order, why = forced, "forced"
    elif day_first or month_first:
        order, why = ("dmy" if day_first >= month_first else "mdy"), "detected"
    elif not seen.ambiguous:
        order, why = "ymd", "iso"
    elif french:
        order, why = "dmy", "french"
    else:
        shown = ", ".join(f'"{e}"' for e in seen.examples)
        raise ImportRefused(
            N_("refused.ambiguous_dates"), file=file_name, header=header, column=column, examples=shown
        )
    years = tuple(y for width, y in ((2, "%y"), (4, "%Y")) if width in seen.years) or ("%y", "%Y")
    return DateReading(
        column=column,
        header=header,
        order=order,
        why=why,
        formats=_ranked(cur, t, formats_for(order, years)),
        offsets=seen.offsets,
        values=seen.values,
        day_first=day_first,
        month_first=month_first,
        utc=bool(_UTC_HEADER.search(header)),
    )


def check_timezone(cur: duckdb.DuckDBPyConnection) -> str:
    """The configured zone, refused in a sentence when DuckDB does not know it."""
    zone = timezone()
    try:
        cur.execute("SELECT timezone(?, TIMESTAMPTZ '2020-01-01 00:00:00+00')", [zone]).fetchall()
    except duckdb.Error:
        raise ImportRefused(N_("refused.unknown_timezone"), zone=zone) from None
    return zone
