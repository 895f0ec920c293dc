"""The sentences the CLI and the pages both show, declared once in French and English, with plurals.

An entry maps a language to a template, or to plural forms keyed by CLDR category (`one`, `other`,
and `many` where the language has it) chosen by babel's plural rules for the entry's `count` field:
French says "1 ligne retirée" and "0 ligne retirée", English "1 row removed" and "0 rows removed".
A sentence that names a way to fix something has one ending per surface, because the CLI says
"use --map score=note" where the Data page says "choose the file column for score".
The pages' own words stay in `dashboard/messages*.py`; `dashboard.i18n.translate` reads both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from babel import Locale

LANGS = ("fr", "en")
SURFACES = ("cli", "page")

Template = str | Mapping[str, str]  # a sentence, or its plural forms by CLDR category


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """One sentence in both languages; `count` names the field whose number picks the plural form."""

    fr: Template
    en: Template
    count: str | None = None
    fix: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # surface -> {lang: ending}

    def template(self, lang: str) -> Template:
        """The template in `lang`."""
        return self.fr if lang == "fr" else self.en


def _plural(one: str, other: str) -> Mapping[str, str]:
    return {"one": one, "other": other}


_PAGE_MAP = {
    "fr": " Choisissez la colonne du fichier qui alimente {column} dans la correspondance ci-dessus",
    "en": " Choose the file column that feeds {column} in the mapping above",
}

CATALOGUE: Mapping[str, Entry] = {
    # figures
    "moe.too_few": Entry(fr="n trop petit", en="too few answers"),
    # imports and roll-backs
    "import.rolled_back": Entry(
        fr=_plural(
            "Import n° {id} annulé : {rows} ligne retirée, les lignes remplacées rétablies.",
            "Import n° {id} annulé : {rows} lignes retirées, les lignes remplacées rétablies.",
        ),
        en=_plural(
            "Import no. {id} rolled back: {rows} row removed, the rows it replaced restored.",
            "Import no. {id} rolled back: {rows} rows removed, the rows it replaced restored.",
        ),
        count="rows",
    ),
    "import.partial": Entry(
        fr=_plural(
            "{rejected} ligne sur {rows} rejetée ({share}) : import partiel.",
            "{rejected} lignes sur {rows} rejetées ({share}) : import partiel.",
        ),
        en=_plural(
            "{rejected} of {rows} rows rejected ({share}): partial import.",
            "{rejected} of {rows} rows rejected ({share}): partial import.",
        ),
        count="rejected",
        fix={
            "cli": {
                "fr": " Liste : python -m metrics rejected {id}",
                "en": " List them with: python -m metrics rejected {id}",
            },
        },
    ),
    "error.already_imported": Entry(
        fr="{file} a déjà été importé dans {dataset} (import {import_id} du {when})",
        en="{file} was already imported into {dataset} as import {import_id} on {when}",
        fix={
            "cli": {
                "fr": " ; annulez d'abord cet import (python -m metrics rollback {import_id}) "
                "pour réimporter le même fichier",
                "en": "; roll that import back first (python -m metrics rollback {import_id}) to import the "
                "same file again",
            },
            "page": {
                "fr": " ; annulez d'abord l'import n° {import_id} dans l'historique ci-dessous "
                "pour réimporter le même fichier",
                "en": "; roll back import no. {import_id} in the history below first to import the same file "
                "again",
            },
        },
    ),
    "error.no_such_import": Entry(
        fr="il n'y a pas d'import {import_id}",
        en="there is no import {import_id}",
        fix={
            "cli": {
                "fr": " ; la liste : python -m metrics imports",
                "en": "; list them with: python -m metrics imports",
            },
            "page": {"fr": " ; l'historique ci-dessous les liste", "en": "; the history below lists them"},
        },
    ),
    "error.already_rolled_back": Entry(
        fr="l'import {import_id} a déjà été annulé", en="import {import_id} was already rolled back"
    ),
    "error.rollback_blocked": Entry(
        fr="l'import {import_id} ne peut pas être annulé : l'import {later} a remplacé certaines "
        "de ses lignes ; annulez d'abord {later}",
        en="import {import_id} cannot be rolled back: import {later} replaced some of its rows; roll back "
        "{later} first",
    ),
    # names that are not declared
    "error.unknown_metric": Entry(fr="indicateur inconnu « {name} »", en="unknown metric {name!r}"),
    "error.unknown_column": Entry(
        fr="{dataset} n'a pas de colonne « {name} »", en="{dataset} has no column {name!r}"
    ),
    "hint.did_you_mean": Entry(fr=" ; vouliez-vous dire « {match} » ?", en='; did you mean "{match}"?'),
    # a file without a column its dataset needs
    "error.missing_columns": Entry(
        fr="{file} : {dataset} a besoin d'une colonne {needs} ; trouvé : {found}.",
        en="{file}: {dataset} needs a column {needs}; found: {found}.",
    ),
    # how to give a dataset the column it lacks: the CLI names its options, the Data page its widgets
    "fix.map_match": Entry(
        fr="",
        en="",
        fix={
            "cli": {"fr": " Utilisez --map {column}={match}", "en": " Use --map {column}={match}"},
            "page": _PAGE_MAP,
        },
    ),
    "fix.map_or_row_id": Entry(
        fr="",
        en="",
        fix={
            "cli": {
                "fr": " Utilisez --map {column}=EN-TETE, ou --row-id quand le fichier n'a pas d'identifiant",
                "en": " Use --map {column}=YOUR_HEADER, or --row-id when the file has no id",
            },
            "page": _PAGE_MAP,
        },
    ),
    "fix.map_or_set": Entry(
        fr="",
        en="",
        fix={
            "cli": {
                "fr": " Utilisez --map {column}=EN-TETE, ou --set {column}=VALEUR pour une valeur "
                "pour toutes les lignes",
                "en": " Use --map {column}=YOUR_HEADER, or --set {column}=VALUE for one value for every row",
            },
            "page": _PAGE_MAP,
        },
    ),
    "fix.rename_or_map": Entry(
        fr="",
        en="",
        fix={
            "cli": {
                "fr": " Renommez une colonne ou utilisez --map {column}=EN-TETE",
                "en": " Rename a column or use --map {column}=YOUR_HEADER",
            },
            "page": _PAGE_MAP,
        },
    ),
    "hint.did_you_mean_header": Entry(fr=" Vouliez-vous dire « {match} » ?", en=' Did you mean "{match}"?'),
    "hint.other_dataset": Entry(
        fr=". Il ressemble à un fichier {other} : importez-le plutôt dans {other}",
        en=". It looks like a {other} file: import it into {other} instead",
    ),
}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def plural_form(forms: Mapping[str, str], lang: str, count: float) -> str:
    """The form babel's CLDR rules pick for `count` in `lang`, `other` when the entry lacks that category."""
    return forms.get(_locale(lang).plural_form(abs(count)), forms["other"])


def fill(template: Template, lang: str, count: float | None, values: Mapping[str, object]) -> str:
    """A template (or its plural form for `count`) with `{name}` placeholders filled."""
    if not isinstance(template, str):
        template = plural_form(template, lang, count or 0)
    return template.format(**values) if values else template


def text(key: str, lang: str, /, *, surface: str | None = None, **values: object) -> str:
    """The sentence `key` in `lang`, with the ending for `surface` when it has one."""
    entry = CATALOGUE[key]
    count = values.get(entry.count) if entry.count else None
    out = fill(entry.template(lang), lang, float(count) if isinstance(count, int | float) else None, values)
    if surface and surface in entry.fix:
        out += entry.fix[surface][lang].format(**values)
    return out
