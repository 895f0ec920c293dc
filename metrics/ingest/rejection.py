"""No silent partial import: above `--max-rejected` the file is refused with what went wrong and the fix.

The summary is data (counts, the three commonest reasons with an example line each, the option that
fixes the commonest), so the CLI prints it in English and the Data page shows it in either language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from metrics import catalogue
from metrics.contracts.datasets import dataset
from metrics.contracts.records import Kind
from metrics.errors import ImportRefused
from metrics.ingest.dates import DateReading
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.quarantine import STRUCTURAL_DETAIL
from metrics.ingest.reasons import SPAN, STRUCTURAL, UNTERMINATED, reader_reason, render_problem

TOP_REASONS = 3
# dates read the other way round: the order the file seems to use picks the sentence
DATE_ORDER_FIX = {
    "mdy": catalogue.N_("refusal.fix_month_first"),
    "dmy": catalogue.N_("refusal.fix_day_first"),
}


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """One reason for rejection, how many rows it hit, and the first line showing it."""

    reason: str
    column: str | None  # the file header (or option) as in the row problems
    count: int
    line: int
    value: str | None
    detail: str | None

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """`12 x line 4, column Timestamp: "13/25/2019" is not a date ...`."""
        where = render_problem(self.line, self.column, self.reason, self.value, self.detail, lang)
        return f"{self.count} x {where}"


@dataclass(frozen=True, slots=True)
class Fix:
    """The option that would fix the commonest reason, with the catalogue sentence that explains it."""

    option: str
    key: str  # a catalogue message, `refusal.fix_*`
    values: Mapping[str, object] = field(default_factory=dict)

    def why(self, lang: str = "en") -> str:
        """The sentence in `lang`."""
        return catalogue.text(self.key, lang, **self.values)


class TooManyRejected(ImportRefused):
    """More rows would be rejected than --max-rejected allows: nothing is imported."""

    def __init__(
        self,
        file_name: str,
        *,
        rejected: int,
        rows_read: int,
        limit: float,
        reasons: Sequence[ReasonCount],
        fix: Fix,
    ) -> None:
        """Keep the figures as data; the message is the English rendering."""
        self.file_name = file_name
        self.rejected = rejected
        self.rows_read = rows_read
        self.limit = limit
        self.reasons = tuple(reasons)
        self.fix = fix
        super().__init__(self.render("en"))

    @property
    def share(self) -> float:
        """Percent of rows read that would be rejected."""
        return 100.0 * self.rejected / self.rows_read if self.rows_read else 0.0

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The whole refusal: counts, the commonest reasons with an example line, the fix."""
        head = catalogue.text(
            "refusal.head",
            lang,
            file=self.file_name,
            rejected=self.rejected,
            rows=self.rows_read,
            share=f"{self.share:.0f}",
            limit=f"{self.limit:g}",
        )
        tail = catalogue.text("refusal.fix", lang, why=self.fix.why(lang))
        return "\n".join([head, *(f"  {r.render(lang)}" for r in self.reasons), tail])


def reason_counts(cur: duckdb.DuckDBPyConnection, limit: int = TOP_REASONS) -> list[ReasonCount]:
    """The commonest (reason, column) pairs in temp `problems` and the reader's rejects, with an example."""
    rows = cur.execute(
        "SELECT reason, column_name, count(DISTINCT ord), min(line), arg_min(value, line), "
        "arg_min(detail, line) "
        "FROM problems GROUP BY reason, column_name"
    ).fetchall()
    found = [ReasonCount(r[0], r[1], int(r[2]), int(r[3]), r[4], r[5]) for r in rows]
    structural = cur.execute(
        f"SELECT error_type, count(DISTINCT line), min(line), arg_min(detail, line) FROM ("
        f"SELECT error_type, line, CASE WHEN error_type IN ({', '.join('?' for _ in STRUCTURAL)}) "
        f"THEN {STRUCTURAL_DETAIL} ELSE any_value(error_message) END AS detail "
        "FROM csv_rejects GROUP BY error_type, line) "
        "GROUP BY error_type, error_type = ? AND regexp_matches(detail, ?)",
        [*STRUCTURAL, UNTERMINATED, SPAN],
    ).fetchall()
    for error_type, count, line, detail in structural:
        reason = reader_reason(error_type, detail)
        found.append(ReasonCount(reason, None, int(count), int(line), None, detail))
    return sorted(found, key=lambda r: (-r.count, r.line))[:limit]


def suggest_fix(
    top: ReasonCount, cmap: ColumnMapping, readings: Mapping[str, DateReading], rows_read: int, limit: float
) -> Fix:
    """The option that would fix the commonest reason (e.g. --date-order mdy), else how to let them in."""
    column = next((c for c in cmap.provided() if cmap.header_of(c) == top.column), None)
    reading = readings.get(column) if column else None
    needed = math.ceil(100.0 * top.count / rows_read) if rows_read else 100
    if top.reason == "not_a_date" and reading is not None and reading.misread_share() > 0:
        share = f"{100 * reading.misread_share():.0f}"
        other = reading.other_order()
        return Fix(
            f"--date-order {other}",
            DATE_ORDER_FIX[other],
            {"share": share, "column": column, "order": other},
        )
    if top.reason == "not_a_date" and reading is not None and sum(c.isdigit() for c in top.value or "") >= 4:
        return _date_format_fix(column or "", reading, top.value or "")
    if top.reason == "unterminated_quote":
        return Fix("", catalogue.N_("refusal.fix_quote"))
    if top.reason in STRUCTURAL.values() or top.reason == "unreadable_line":
        return Fix("", catalogue.N_("refusal.fix_structural"))
    if top.reason == "missing" and column and dataset(cmap.dataset).column(column).kind is not Kind.TEXT:
        # a measure or a date given one value for every row would invent data: never propose --set
        return Fix(f"--map {column}=HEADER", catalogue.N_("refusal.fix_missing_map"), {"column": column})
    if top.reason == "missing" and column:
        return Fix(f"--set {column}=VALUE", catalogue.N_("refusal.fix_missing_set"), {"column": column})
    if top.reason == "duplicate_in_file" and column and top.count * 2 > rows_read:
        # most rows repeat an id: successive states of one record (an event log), not a column that is
        # no id; hashing each row into its own id (--row-id) would count one ticket once per state
        return Fix("--keep last", catalogue.N_("refusal.fix_keep"), {"column": column})
    if top.reason == "duplicate_in_file" and column:
        return Fix("--row-id", catalogue.N_("refusal.fix_row_id"), {"column": column})
    if column and column in cmap.positions and top.reason != "missing":
        return Fix(f"--map {column}=HEADER", catalogue.N_("refusal.fix_map"), {"column": column})
    return Fix("--max-rejected", catalogue.N_("refusal.fix_allow"), {"needed": max(needed, math.ceil(limit))})


def _date_format_fix(column: str, reading: DateReading, value: str) -> Fix:
    """A date column whose values are dates in a spelling we do not read: say the spelling seen, not --map."""
    if reading.compact:
        return Fix("", catalogue.N_("refusal.fix_compact_date"), {"value": value, "pattern": reading.pattern})
    # "1 oct. 1999" is written "9 aaa. 9999": the shape tells the spelling without the day's value
    shape = re.sub(r"\d", "9", re.sub(r"[^\W\d_]", "a", value))
    said = {"value": value, "shape": shape, "column": column}
    return Fix("", catalogue.N_("refusal.fix_date_format"), said)


def over_threshold(
    cur: duckdb.DuckDBPyConnection,
    *,
    file_name: str,
    rejected: int,
    rows_read: int,
    limit: float,
    cmap: ColumnMapping,
    readings: Sequence[DateReading],
) -> TooManyRejected | None:
    """The refusal to raise when rejected rows exceed `limit` percent of the rows read, else None."""
    if not rows_read or 100.0 * rejected <= limit * rows_read:
        return None
    reasons = reason_counts(cur)
    by_column = {r.column: r for r in readings}
    fix = suggest_fix(reasons[0], cmap, by_column, rows_read, limit)
    return TooManyRejected(
        file_name, rejected=rejected, rows_read=rows_read, limit=limit, reasons=reasons, fix=fix
    )
