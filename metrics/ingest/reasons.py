"""The catalogue of row problems: stored as keys, rendered in French or English where shown."""

from __future__ import annotations

import re
from collections.abc import Mapping

LANGUAGES = ("fr", "en")

# reason key -> {lang: template}; templates take the fields stored beside the key (detail, value)
REASONS: Mapping[str, Mapping[str, str]] = {
    "missing": {
        "fr": "valeur obligatoire absente",
        "en": "required value is missing",
    },
    "not_a_number": {
        "fr": "« {value} » n'est pas un nombre",
        "en": '"{value}" is not a number',
    },
    "not_an_integer": {
        "fr": "« {value} » n'est pas un nombre entier",
        "en": '"{value}" is not a whole number',
    },
    "out_of_range": {
        "fr": "« {value} » est hors de l'intervalle {detail}",
        "en": '"{value}" is outside {detail}',
    },
    "not_a_date": {
        "fr": "« {value} » n'est pas une date au format lu pour cette colonne ({detail})",
        "en": '"{value}" is not a date in the format read for this column ({detail})',
    },
    "not_a_month": {
        "fr": "« {value} » n'est pas un mois (attendu mm/aaaa, jj/mm/aaaa ou aaaa-mm)",
        "en": '"{value}" is not a month (expected mm/yyyy, dd/mm/yyyy or yyyy-mm)',
    },
    "not_yes_no": {
        "fr": "« {value} » n'est pas oui/non (attendu oui, non, o, n, vrai, faux, 1, 0)",
        "en": '"{value}" is not yes/no (expected yes, no, oui, non, true, false, 1, 0)',
    },
    "not_allowed": {
        "fr": "« {value} » n'est pas une valeur permise ({detail})",
        "en": '"{value}" is not an allowed value ({detail})',
    },
    "unknown_metric": {
        "fr": "« {value} » n'est pas un indicateur connu (connus : {detail})",
        "en": '"{value}" is not a known metric (known: {detail})',
    },
    "impossible_target": {
        "fr": "« {value} » est une valeur impossible pour cet indicateur",
        "en": '"{value}" is an impossible value for this metric',
    },
    "duplicate_in_file": {
        "fr": "identifiant « {value} » en double dans le fichier (déjà vu ligne {detail})",
        "en": 'id "{value}" appears twice in the file (first on line {detail})',
    },
    "closed_before_opened": {
        "fr": "« {value} » est antérieure à la date d'ouverture",
        "en": '"{value}" is before the opening date',
    },
    "too_many_columns": {
        "fr": "trop de colonnes ({a} attendues, {b} trouvées)",
        "en": "too many columns ({a} expected, {b} found)",
    },
    "missing_columns": {
        "fr": "colonnes manquantes ({a} attendues, {b} trouvées)",
        "en": "missing columns ({a} expected, {b} found)",
    },
    "unreadable_line": {
        "fr": "ligne illisible ({detail})",
        "en": "unreadable line ({detail})",
    },
    "unterminated_quote": {
        "fr": "un guillemet ouvert ligne {first} n'est jamais fermé, si bien que les lignes {a} "
        "({b} enregistrements) ont été lues comme une seule et rejetées ; fermez ou retirez ce guillemet, "
        "puis importez à nouveau ces lignes",
        "en": "a quote opened on line {first} is never closed, so lines {a} ({b} records) were read as one "
        "and rejected; close or remove that quote, then import those lines again",
    },
    "description_row": {
        "fr": "ligne de description sous l'en-tête (export d'outil d'enquête), ignorée",
        "en": "description row under the header (survey-tool export), skipped",
    },
    "preview_response": {
        "fr": "réponse de prévisualisation de l'enquête, ignorée",
        "en": "survey preview response, skipped",
    },
    "unfinished_response": {
        "fr": "réponse non terminée, ignorée",
        "en": "unfinished response, skipped",
    },
    "empty_row": {
        "fr": "ligne vide, ignorée",
        "en": "empty row, skipped",
    },
    "other_state": {
        "fr": "autre état du même dossier (une ligne gardée par identifiant, --keep), ignorée",
        "en": "another state of the same record (one line kept per id, --keep), skipped",
    },
    "no_score": {
        "fr": "sans réponse à la question de recommandation, ignorée",
        "en": "no answer to the recommendation question, skipped",
    },
}

# DuckDB rejects-table error types -> our reason keys
STRUCTURAL: Mapping[str, str] = {
    "TOO MANY COLUMNS": "too_many_columns",
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
    template = REASONS.get(reason, {}).get(lang) or REASONS.get(reason, {}).get("en") or reason
    a, _, b = (detail or "").partition("|")
    shown = value if value is not None else ""
    return template.format(value=shown, detail=detail or "", a=a, b=b, first=a.partition("\u2013")[0])


def render_problem(
    line: int, column: str | None, reason: str, value: str | None, detail: str | None, lang: str = "en"
) -> str:
    """`line 14, column score: "11" is outside 0-10` (or its French twin)."""
    where = ("ligne" if lang == "fr" else "line") + f" {line}"
    if column:
        where += (", colonne " if lang == "fr" else ", column ") + column
    return (
        f"{where} : {render_reason(reason, value, detail, lang)}"
        if lang == "fr"
        else (f"{where}: {render_reason(reason, value, detail, lang)}")
    )
