"""The catalogue of row problems: stored as keys, rendered in French or English where shown."""

from __future__ import annotations

import re
from collections.abc import Mapping

from metrics import catalogue
from metrics.catalogue import N_

# every reason a row problem can carry; each is the catalogue message `reason.<key>`, whose template takes
# the fields stored beside the key (value, detail, and detail split at `|` into a and b)
REASONS = tuple(
    key.removeprefix("reason.")
    for key in (
        N_("reason.closed_before_opened"),
        N_("reason.description_row"),
        N_("reason.duplicate_in_file"),
        N_("reason.empty_row"),
        N_("reason.impossible_target"),
        N_("reason.missing"),
        N_("reason.missing_columns"),
        N_("reason.no_score"),
        N_("reason.not_a_date"),
        N_("reason.not_a_month"),
        N_("reason.not_a_number"),
        N_("reason.not_allowed"),
        N_("reason.not_an_integer"),
        N_("reason.not_yes_no"),
        N_("reason.other_state"),
        N_("reason.out_of_range"),
        N_("reason.preview_response"),
        N_("reason.too_many_columns"),
        N_("reason.unfinished_response"),
        N_("reason.unknown_metric"),
        N_("reason.unreadable_line"),
        N_("reason.unterminated_quote"),
    )
)

# DuckDB rejects-table error types -> our reason keys
STRUCTURAL: Mapping[str, str] = {
    "TOO MANY COLUMNS": "too_many_columns",  # not user-facing: DuckDB's error type, matched
    "MISSING COLUMNS": "missing_columns",
}

# the error message ingest.lines gives every line an unterminated quote swallowed: "3\u20135|3"
# (lines 3 to 5, 3 records), under DuckDB's own error type for it
UNTERMINATED = "UNQUOTED VALUE"
SPAN = "^[0-9]+\u2013[0-9]+[|][0-9]+$"


def reader_reason(error_type: str, message: str | None) -> str:
    """Our reason key for a row of DuckDB's rejects table."""
    if error_type == UNTERMINATED and message and re.match(SPAN, message):
        return "unterminated_quote"
    return STRUCTURAL.get(error_type, "unreadable_line")


SKIPPED = frozenset(
    {"description_row", "empty_row", "preview_response", "unfinished_response", "no_score", "other_state"}
)


def render_reason(reason: str, value: str | None, detail: str | None, lang: str = "en") -> str:
    """The human sentence for a stored problem, in `lang`, with its offending value quoted."""
    if reason not in REASONS:
        return reason  # a reason stored by a later version: show its key rather than nothing
    a, _, b = (detail or "").partition("|")
    shown = value if value is not None else ""
    return catalogue.text(
        f"reason.{reason}", lang, value=shown, detail=detail or "", a=a, b=b, first=a.partition("\u2013")[0]
    )


def render_problem(
    line: int, column: str | None, reason: str, value: str | None, detail: str | None, lang: str = "en"
) -> str:
    """`line 14, column score: "11" is outside 0-10` (or its French twin)."""
    said = render_reason(reason, value, detail, lang)
    if column:
        return catalogue.text("problem.line_column", lang, line=line, column=column, reason=said)
    return catalogue.text("problem.line", lang, line=line, reason=said)
