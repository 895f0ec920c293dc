"""SQL that turns the text of one CSV cell into a typed value and, when it cannot, a reason key.

The import stages every cell as text; these expressions run inside DuckDB over all rows at once,
so the domain checks cost a scan, not a Python loop. Only declaration constants are inlined;
anything with quotes in it travels as a bound parameter.
"""

from __future__ import annotations

import duckdb

from metrics.catalogue import N_
from metrics.contracts.datasets import Column, Kind
from metrics.contracts.naming import normalise_header
from metrics.errors import ImportRefused
from metrics.fragments import Fragment
from metrics.ingest.dates import DateReading, each_cell, has_zone, local_time, offset_formats, zone_minutes

MONTH_FORMATS = ("%m/%Y", "%Y-%m", "%d/%m/%Y", "%Y-%m-%d", "%m-%Y", "%Y/%m", "%m.%Y")
TRUE_WORDS = ("oui", "o", "yes", "y", "true", "vrai", "v", "1", "x")
FALSE_WORDS = ("non", "n", "no", "false", "faux", "f", "0")
# a plain number between these is an Excel serial date (1954..2119) pasted into a CSV
EXCEL_SERIAL = (20000, 80000)
EXCEL_EPOCH = "1899-12-30"
YEAR_RANGE = (1990, 2100)


def _list(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)  # constants above: no quotes inside


def _formats(formats: tuple[str, ...]) -> str:
    return "[" + _list(formats) + "]"


SPACES = " \t\u00a0\u202f"  # trimmed around every cell: space, tab, no-break and narrow no-break space


def trimmed(raw: str) -> str:
    """The cell without surrounding spaces (including non-breaking ones), NULL when empty."""
    return f"NULLIF(trim({raw}, '{SPACES}'), '')"


def trimmed_column(column: str) -> str:
    """`trimmed` for a column: only cells that start or end with a space pay for the trim.

    Trimming a set of characters costs several times a copy, and most cells ("Bretagne", "9") have
    nothing to trim. The first character is one `ord` (a code point, so the no-break spaces need no
    byte test); the last is a byte comparison per space (`suffix`). At 1M cells: 0.25 s against
    0.41 s for `starts_with`/`ends_with` per space and 0.12 s for a bare copy. `column` is read
    several times: no parameters.
    """
    first = ", ".join(str(ord(c)) for c in SPACES)
    last = " OR ".join(f"suffix({column}, '{c}')" for c in SPACES)
    edges = f"ord({column}) IN ({first}) OR {last}"
    return f"CASE WHEN {edges} THEN {trimmed(column)} ELSE NULLIF({column}, '') END"


def normalised_sql(text: str) -> str:
    """SQL twin of naming.normalise_header, so values compare like headers do."""
    return f"regexp_replace(lower(strip_accents({text})), '[^a-z0-9]+', '', 'g')"


def _number_text(t: str, decimal: str | None) -> str:
    """The text of a number without its thousands separators, with a decimal point.

    `decimal` is the column's decimal separator when some of its cells write both: "1,234.5" -> "1234.5"
    for ".", "1.234,5" and "1 234,5" -> "1234.5" for ","; with neither, "12,5" -> "12.5".
    """
    bare = f"regexp_replace({t}, '[\\s\u00a0\u202f]', '', 'g')"
    if decimal == ".":
        return f"replace({bare}, ',', '')"
    if decimal == ",":
        return f"replace(replace({bare}, '.', ''), ',', '.')"
    return f"replace({bare}, ',', '.')"


def number_expr(t: str, decimal: str | None = None) -> str:
    """The finite number in text `t`: a plain cast first (cheap, most cells), French spellings after.

    "nan" and "inf" cast to doubles but are not data: they count as text that is not a number.
    """
    x = f"coalesce(TRY_CAST({t} AS DOUBLE), TRY_CAST({_number_text(t, decimal)} AS DOUBLE))"
    return f"CASE WHEN isfinite({x}) THEN {x} END"


# a duration's unit in seconds; a two-part duration counts the unit just above the column's: a call's
# "5:23" is 5 min 23 s, a day's "7:30" of work 7 h 30 min
DURATION_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600}
DURATION = "^[0-9]+:[0-5]?[0-9](:[0-5]?[0-9]([.,][0-9]+)?)?$"


def duration_expr(t: str, unit: str) -> str:
    """The number of `unit` (seconds, minutes, hours) in text `t` written h:mm:ss, or mm:ss / h:mm; else NULL.

    `t` is read several times: no parameters.
    """
    h, m, s = (f"CAST(replace(string_split({t}, ':')[{i}], ',', '.') AS DOUBLE)" for i in (1, 2, 3))
    two = f"{h} * 60 + {m}" if unit == "seconds" else f"{h} * 3600 + {m} * 60"
    seconds = f"CASE WHEN len(string_split({t}, ':')) = 3 THEN {h} * 3600 + {m} * 60 + {s} ELSE {two} END"
    written = f"contains({t}, ':') AND regexp_matches({t}, '{DURATION}')"
    return f"CASE WHEN {written} THEN ({seconds}) / {DURATION_UNITS[unit]} END"


def decimal_separator(
    cur: duckdb.DuckDBPyConnection,
    t: str,
    file_name: str,
    header: str,
    column: str,
    values: str | None = None,
) -> str | None:
    """The decimal separator of text column `t` of view `cells`, from the cells that write both "," and ".".

    The separator written last is the decimal one: "1,234.5" is US, "1.234,5" French. A column with
    both styles is refused with the first two values of each, since either reading would store wrong
    numbers. None when no cell writes both (then "12,5" and "12.5" are both 12.5). `values` is the
    column's texts as a relation (v, n, first), by default `each_cell(t)`.
    """
    row = cur.execute(
        "SELECT sum(n) FILTER (WHERE point), sum(n) FILTER (WHERE NOT point), "
        "list(v ORDER BY first) FILTER (WHERE point)[1:2], "
        "list(v ORDER BY first) FILTER (WHERE NOT point)[1:2] "
        "FROM (SELECT v, sum(n) AS n, min(first) AS first, strpos(reverse(v), '.') < strpos(reverse(v), ',') "
        f"AS point FROM {values or each_cell(t)} WHERE contains(v, ',') AND contains(v, '.') GROUP BY v)"
    ).fetchone()
    points, commas, point_examples, comma_examples = row if row else (0, 0, [], [])
    if points and commas:
        raise ImportRefused(
            N_("refused.mixed_decimals"),
            file=file_name,
            header=header,
            column=column,
            points=", ".join(f'"{e}"' for e in point_examples),
            commas=", ".join(f'"{e}"' for e in comma_examples),
        )
    if points or commas:
        return "." if points else ","
    return None


def date_expr(t: str, reading: DateReading, zone: str) -> Fragment:
    """One vectorised parse with the column's own format list; offsets converted to the operator's zone."""
    plain = f"try_strptime({t}, {_formats(reading.formats)})"
    params: list[object] = []
    if reading.utc:
        # "Submit Date (UTC)": a naive 10:01 is 10:01 UTC, so 12:01 in Paris in summer
        plain = f"timezone(?, timezone('UTC', {plain}))"
        params.append(zone)
    parts = [plain]
    if reading.offsets:
        # ISO first, the commonest and cheapest: "2019-11-01T08:51:12Z" -> +00:00, which %z reads
        iso = f"try_strptime(regexp_replace({t}, 'Z$', '+00:00'), {_formats(offset_formats())})"
        # then any other spelling ("15/03/2026 10:22:33 PM UTC+1"): the time read without its zone by the
        # column's own formats, moved back by the zone's offset to UTC (1.3 s per 1M values, against 0.2 s
        # for the ISO road alone); each instant is then shown in `zone`
        local = f"try_strptime({local_time(t)}, {_formats(reading.formats)})"
        utc = f"timezone('UTC', {local} - to_minutes({zone_minutes(t)}))"
        parts[:0] = [f"timezone(?, {iso})", f"CASE WHEN {has_zone(t)} THEN timezone(?, {utc}) END"]
        params[:0] = [zone, zone]
    # 46266.5 is noon of day 46266: its fraction is the time, never rounded to the next day. A text with
    # "/" or ":" is never a number: that byte test first spares every written date the failing cast
    # (1M dd/mm/yyyy cells: 0.24 s against 0.47 s for the whole expression)
    serial = f"TRY_CAST({t} AS DOUBLE)"
    if reading.compact:  # "050101" is 1 January 2005, and "051301" no date: never serial 50101
        return Fragment(f"coalesce({', '.join(parts)})", params)
    parts.append(
        f"CASE WHEN NOT (contains({t}, '/') OR contains({t}, ':')) "
        f"AND {serial} BETWEEN {EXCEL_SERIAL[0]} AND {EXCEL_SERIAL[1]} THEN TIMESTAMP "
        f"'{EXCEL_EPOCH}' + to_microseconds(CAST(round({serial} * 86400000000) AS BIGINT)) END"
    )
    return Fragment(f"coalesce({', '.join(parts)})", params)


def value_expr(
    col: Column, t: str, reading: DateReading | None = None, zone: str = "UTC", decimal: str | None = None
) -> Fragment:
    """The typed value of trimmed text `t`, NULL when it does not parse (range checks come later).

    Date columns need their `reading` (see metrics.ingest.dates), number columns their `decimal`
    separator (see `decimal_separator`), each decided once from the column's values.
    """
    match col.kind:
        case Kind.DECIMAL if col.duration:
            return Fragment(f"coalesce({duration_expr(t, col.duration)}, {number_expr(t, decimal)})")
        case Kind.DECIMAL:
            return Fragment(number_expr(t, decimal))
        case Kind.INTEGER:
            d = number_expr(t, decimal)
            return Fragment(f"CASE WHEN {d} = floor({d}) THEN CAST({d} AS BIGINT) END")
        case Kind.DATE | Kind.TIMESTAMP:
            if reading is None:
                raise ValueError(  # not user-facing: a caller's bug
                    f"{col.name}: a date column is parsed with its DateReading"
                )
            ts = date_expr(t, reading, zone)
            return Fragment(f"CAST({ts.sql} AS DATE)", ts.params) if col.kind is Kind.DATE else ts
        case Kind.MONTH:
            return Fragment(
                f"CAST(date_trunc('month', try_strptime({t}, {_formats(MONTH_FORMATS)})) AS DATE)"
            )
        case Kind.BOOLEAN:
            low = f"lower({t})"
            return Fragment(
                f"CASE WHEN {low} IN ({_list(TRUE_WORDS)}) THEN true "
                f"WHEN {low} IN ({_list(FALSE_WORDS)}) THEN false END"
            )
        case Kind.TEXT if col.values:
            # exact lower-case spellings first (cheap); the accent- and punctuation-blind match only
            # for what is left, so millions of "Boutique" cells never run a regular expression
            exact: list[str] = []
            folded: list[str] = []
            params_exact: list[object] = []
            params_folded: list[object] = []
            for canonical, spellings in col.values.items():
                for spelling in dict.fromkeys(s.lower() for s in (canonical, *spellings)):
                    exact.append("WHEN ? THEN ?")
                    params_exact += [spelling, canonical]
                for spelling in dict.fromkeys(normalise_header(s) for s in (canonical, *spellings)):
                    folded.append("WHEN ? THEN ?")
                    params_folded += [spelling, canonical]
            other = "NULL" if col.closed else t
            sql = (
                f"CASE lower({t}) {' '.join(exact)} ELSE "
                f"CASE {normalised_sql(t)} {' '.join(folded)} ELSE {other} END END"
            )
            return Fragment(sql, params_exact + params_folded)
        case _:
            return Fragment(t)


PARSE_REASON = {
    Kind.DECIMAL: "not_a_number",
    Kind.INTEGER: "not_an_integer",
    Kind.DATE: "not_a_date",
    Kind.TIMESTAMP: "not_a_date",
    Kind.MONTH: "not_a_month",
    Kind.BOOLEAN: "not_yes_no",
    Kind.TEXT: "not_allowed",
}


def range_text(col: Column) -> str:
    """How a range reads in a message: "0-10", ">= 0"."""

    def fmt(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if col.minimum is not None and col.maximum is not None:
        return f"{fmt(col.minimum)}-{fmt(col.maximum)}"
    if col.minimum is not None:
        return f">= {fmt(col.minimum)}"
    return f"<= {fmt(col.maximum)}" if col.maximum is not None else ""


def problem_expr(col: Column, t: str, v: str, decimal: str | None = None) -> Fragment:
    """A reason key for the cell (text `t`, parsed value `v`), NULL when the cell is fine."""
    cases: list[str] = []
    params: list[object] = []
    if col.required:
        cases.append(f"WHEN {t} IS NULL THEN 'missing'")
    if col.kind is not Kind.TEXT or (col.values and col.closed):
        reason = PARSE_REASON[col.kind]
        if col.kind is Kind.INTEGER:
            cases.append(f"WHEN {t} IS NOT NULL AND {number_expr(t, decimal)} IS NULL THEN 'not_a_number'")
        cases.append(f"WHEN {t} IS NOT NULL AND {v} IS NULL THEN ?")
        params.append(reason)
        if col.kind in (Kind.DATE, Kind.TIMESTAMP, Kind.MONTH):
            # "05/09/25" parses as year 25: a date outside these years is a typo, not data
            cases.append(f"WHEN year({v}) NOT BETWEEN {YEAR_RANGE[0]} AND {YEAR_RANGE[1]} THEN ?")
            params.append(reason)
    if col.minimum is not None:
        cases.append(f"WHEN {v} < {float(col.minimum)!r} THEN 'out_of_range'")
    if col.maximum is not None:
        cases.append(f"WHEN {v} > {float(col.maximum)!r} THEN 'out_of_range'")
    if not cases:
        return Fragment("CAST(NULL AS VARCHAR)")
    return Fragment(f"CASE {' '.join(cases)} END", params)


def problem_detail(col: Column) -> str:
    """The constant detail stored with a column's problems (its range or its allowed values)."""
    if col.values and col.closed:
        return ", ".join(col.values)
    return range_text(col)
