"""No silent partial import: above `--max-rejected` the file is refused with what went wrong and the fix.

The summary is data (counts, the three commonest reasons with an example line each, the option that
fixes the commonest), so the CLI prints it in English and the Data page shows it in either language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from metrics.contracts.datasets import dataset
from metrics.contracts.records import Kind
from metrics.errors import ImportRefused
from metrics.ingest.dates import DateReading
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.quarantine import STRUCTURAL_DETAIL
from metrics.ingest.reasons import SPAN, STRUCTURAL, UNTERMINATED, reader_reason, render_problem

TOP_REASONS = 3
_STRUCTURAL_FIX = {
    "en": "quote the cells that contain the separator, or export the file again",
    "fr": "mettez entre guillemets les cellules qui contiennent le séparateur, "
    "ou exportez à nouveau le fichier",
}
_QUOTE_FIX = {
    "en": "close the quote where it opens (or remove it) and import the file again",
    "fr": "fermez le guillemet là où il s'ouvre (ou retirez-le) et importez à nouveau le fichier",
}
_MAP_FIX = {
    "en": "check which file column feeds {column}: --map {column}=HEADER",
    "fr": "vérifiez quelle colonne du fichier alimente {column} : --map {column}=EN-TETE",
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
    """The option that would fix the commonest reason, with the sentence that explains it."""

    option: str
    why: Mapping[str, str]  # {"fr": ..., "en": ...}


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
        if lang == "fr":
            head = (
                f"{self.file_name} : {self.rejected} lignes sur {self.rows_read} seraient rejetées "
                f"({self.share:.0f} %, au-delà de --max-rejected {self.limit:g} %) ; rien n'a été importé. "
                "Raisons les plus fréquentes :"
            )
            tail = f"Correction : {self.fix.why['fr']}"
        else:
            head = (
                f"{self.file_name}: {self.rejected} of {self.rows_read} rows would be rejected "
                f"({self.share:.0f} %, above --max-rejected {self.limit:g} %); nothing was imported. "
                "Commonest reasons:"
            )
            tail = f"Fix: {self.fix.why['en']}"
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
    allow = {
        "en": f"correct those lines, or accept them with --max-rejected {max(needed, math.ceil(limit))}",
        "fr": f"corrigez ces lignes, ou acceptez-les avec --max-rejected {max(needed, math.ceil(limit))}",
    }
    if top.reason == "not_a_date" and reading is not None and reading.misread_share() > 0:
        share = f"{100 * reading.misread_share():.0f}"
        other = reading.other_order()
        first = {"mdy": ("month-first", "le mois en premier"), "dmy": ("day-first", "le jour en premier")}[
            other
        ]
        return Fix(
            f"--date-order {other}",
            {
                "en": f"{share} % of {column} values look {first[0]}: add --date-order {other}",
                "fr": f"{share} % des valeurs de {column} ont {first[1]} : ajoutez --date-order {other}",
            },
        )
    if top.reason == "not_a_date" and reading is not None and sum(c.isdigit() for c in top.value or "") >= 4:
        return _date_format_fix(column or "", reading, top.value or "")
    if top.reason == "unterminated_quote":
        return Fix("", _QUOTE_FIX)
    if top.reason in STRUCTURAL.values() or top.reason == "unreadable_line":
        return Fix("", _STRUCTURAL_FIX)
    if top.reason == "missing" and column and dataset(cmap.dataset).column(column).kind is not Kind.TEXT:
        # a measure or a date given one value for every row would invent data: never propose --set
        return Fix(
            f"--map {column}=HEADER",
            {
                "en": f"{column} is empty on those rows: map the file column that holds it with "
                f"--map {column}=HEADER, or correct those lines",
                "fr": f"{column} est vide sur ces lignes : choisissez la colonne du fichier qui le contient "
                f"avec --map {column}=EN-TETE, ou corrigez ces lignes",
            },
        )
    if top.reason == "missing" and column:
        return Fix(
            f"--set {column}=VALUE",
            {
                "en": f"{column} is empty on those rows: give every row one value with --set {column}=VALUE, "
                f"or map another column with --map {column}=HEADER",
                "fr": f"{column} est vide sur ces lignes : donnez une valeur à toutes avec "
                f"--set {column}=VALEUR, "
                f"ou choisissez une autre colonne avec --map {column}=EN-TETE",
            },
        )
    if top.reason == "duplicate_in_file" and column and top.count * 2 > rows_read:
        # most rows repeat an id: successive states of one record (an event log), not a column that is
        # no id; hashing each row into its own id (--row-id) would count one ticket once per state
        return Fix(
            "--keep last",
            {
                "en": f"most rows repeat a {column} already seen: they look like successive states of one "
                "record (an event log); keep each record's last line with --keep last (or --keep first)",
                "fr": f"la plupart des lignes répètent un {column} déjà vu : ce sont sans doute les états "
                "successifs d'un même dossier (journal d'événements) ; gardez la dernière ligne de chacun "
                "avec --keep last (ou --keep first)",
            },
        )
    if top.reason == "duplicate_in_file" and column:
        return Fix(
            "--row-id",
            {
                "en": f"{column} repeats, so it is not an id: map another column with --map {column}=HEADER, "
                "or make ids from each row with --row-id",
                "fr": f"{column} se répète, ce n'est donc pas un identifiant : "
                "choisissez une autre colonne avec "
                f"--map {column}=EN-TETE, ou créez les identifiants avec --row-id",
            },
        )
    if column and column in cmap.positions and top.reason != "missing":
        return Fix(f"--map {column}=HEADER", {k: v.format(column=column) for k, v in _MAP_FIX.items()})
    return Fix("--max-rejected", allow)


def _date_format_fix(column: str, reading: DateReading, value: str) -> Fix:
    """A date column whose values are dates in a spelling we do not read: say the spelling seen, not --map."""
    if reading.compact:
        return Fix(
            "",
            {
                "en": f'values such as "{value}" are no {reading.pattern} date (month 01-12, day 01-31): '
                "correct those lines",
                "fr": f"des valeurs comme « {value} » ne sont pas des dates {reading.pattern} (mois 01-12, "
                "jour 01-31) : corrigez ces lignes",
            },
        )
    # "1 oct. 1999" is written "9 aaa. 9999": the shape tells the spelling without the day's value
    shape = re.sub(r"\d", "9", re.sub(r"[^\W\d_]", "a", value))
    return Fix(
        "",
        {
            "en": f'values such as "{value}" (written {shape}: 9 a digit, a a letter) are in a date format '
            f"we do not read: write the dates of {column} as dd/mm/yyyy, yyyy-mm-dd, yymmdd or yyyymmdd, "
            "or correct those lines",
            "fr": f"des valeurs comme « {value} » (écrites {shape} : 9 un chiffre, a une lettre) sont dans "
            f"un format de date que nous ne lisons pas : écrivez les dates de {column} en jj/mm/aaaa, "
            "aaaa-mm-jj, aammjj ou aaaammjj, ou corrigez ces lignes",
        },
    )


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
