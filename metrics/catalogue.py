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
from babel.numbers import NumberFormatError, parse_decimal

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
    # the required run-rate when no month can deliver it, or when any month would do
    "required.out_of_reach": Entry(fr="hors d'atteinte, au mieux {best}", en="out of reach, best {best}"),
    "required.secured": Entry(fr="acquis quoi qu'il arrive", en="secured whatever happens"),
    # the values a metric can take, e.g. in a sentence refusing a typed number
    "range.between": Entry(fr="de {low} à {high}", en="{low} to {high}"),
    "range.from": Entry(fr="{low} ou plus", en="{low} or more"),
    # numbers typed on a page
    "error.not_a_number": Entry(
        fr="« {text} » n'est pas un nombre : tapez par exemple {example}",
        en="“{text}” is not a number: type it like {example}",
    ),
    "error.out_of_range": Entry(
        fr="{metric} ne peut pas valoir {value} ; valeurs possibles : {range}",
        en="{metric} cannot be {value}; possible values: {range}",
    ),
    # sentences with a count on the pages: the count picks the plural form ("le mois restant")
    "traj.required": Entry(
        fr=_plural(
            "Objectif {target} : le mois restant doit faire en moyenne {required}.",
            "Objectif {target} : les {months} mois restants doivent faire en moyenne {required}.",
        ),
        en=_plural(
            "Target {target}: the remaining month must average {required}.",
            "Target {target}: the remaining {months} months must average {required}.",
        ),
        count="months",
    ),
    "whatif.input": Entry(
        fr=_plural("Moyenne du mois restant ({metric})", "Moyenne des {months} mois restants ({metric})"),
        en=_plural(
            "Average of the month to come ({metric})", "Average of the {months} months to come ({metric})"
        ),
        count="months",
    ),
    "whatif.result": Entry(
        fr=_plural(
            "Si le mois restant fait {rest}, l'année finit à {end} (objectif {target}).",
            "Si les {months} mois restants font {rest}, l'année finit à {end} (objectif {target}).",
        ),
        en=_plural(
            "If the month to come averages {rest}, the year ends at {end} (target {target}).",
            "If the {months} months to come average {rest}, the year ends at {end} (target {target}).",
        ),
        count="months",
    ),
    "whatif.result_no_target": Entry(
        fr=_plural(
            "Si le mois restant fait {rest}, l'année finit à {end}.",
            "Si les {months} mois restants font {rest}, l'année finit à {end}.",
        ),
        en=_plural(
            "If the month to come averages {rest}, the year ends at {end}.",
            "If the {months} months to come average {rest}, the year ends at {end}.",
        ),
        count="months",
    ),
    "import.closed_by_state": Entry(
        fr=_plural(
            "{closed} sur {n} dossier clos, daté par « {column} » de sa ligne",
            "{closed} sur {n} dossiers clos, datés par « {column} » de leur ligne",
        ),
        en=_plural(
            "{closed} of {n} record closed, dated by its line's {column}",
            "{closed} of {n} records closed, dated by their line's {column}",
        ),
        count="n",
    ),
    "verbatims.found": Entry(
        fr=_plural("{n} réponse contient ces mots.", "{n} réponses contiennent ces mots."),
        en=_plural("{n} answer contains these words.", "{n} answers contain these words."),
        count="n",
    ),
    "workload.over": Entry(
        fr=_plural(
            "Au-dessus du seuil {threshold} : {n} ligne.", "Au-dessus du seuil {threshold} : {n} lignes."
        ),
        en=_plural("Above the threshold {threshold}: {n} row.", "Above the threshold {threshold}: {n} rows."),
        count="n",
    ),
    "data.plan_updates": Entry(
        fr=_plural(
            "L'import mettra à jour {n} ligne existante de « {dataset} » : {keys}",
            "L'import mettra à jour {n} lignes existantes de « {dataset} » : {keys}",
        ),
        en=_plural(
            "The import will update {n} existing row of “{dataset}”: {keys}",
            "The import will update {n} existing rows of “{dataset}”: {keys}",
        ),
        count="n",
    ),
    "data.rollback_choice": Entry(
        fr=_plural(
            "n° {id} · {file} · {dataset} · {when} · {accepted} ligne acceptée, {updated} en remplacement",
            "n° {id} · {file} · {dataset} · {when} · {accepted} lignes acceptées, {updated} en remplacement",
        ),
        en=_plural(
            "no. {id} · {file} · {dataset} · {when} · {accepted} row accepted, {updated} of them replacing",
            "no. {id} · {file} · {dataset} · {when} · {accepted} rows accepted, {updated} of them replacing",
        ),
        count="accepted",
    ),
    "targets.change_kept": Entry(
        fr=_plural(
            "{n} ligne retirée du tableau reste en vigueur (annulez l'import depuis la page Données).",
            "{n} lignes retirées du tableau restent en vigueur (annulez l'import depuis la page Données).",
        ),
        en=_plural(
            "{n} row removed from the table stays in force (roll the import back on the Data page).",
            "{n} rows removed from the table stay in force (roll the import back on the Data page).",
        ),
        count="n",
    ),
    # counts in the CLI's sentences, each with its own plural ("1 rejected row deleted")
    "count.verbatims_blanked": Entry(
        fr=_plural("{n} verbatim effacé", "{n} verbatims effacés"),
        en=_plural("{n} verbatim blanked", "{n} verbatims blanked"),
        count="n",
    ),
    "count.rejected_rows_deleted": Entry(
        fr=_plural("{n} ligne rejetée supprimée", "{n} lignes rejetées supprimées"),
        en=_plural("{n} rejected row deleted", "{n} rejected rows deleted"),
        count="n",
    ),
    "count.imports_replayed": Entry(
        fr=_plural("{n} import rejoué", "{n} imports rejoués"),
        en=_plural("{n} import replayed", "{n} imports replayed"),
        count="n",
    ),
    "count.rollbacks_redone": Entry(
        fr=_plural("{n} annulation refaite", "{n} annulations refaites"),
        en=_plural("{n} roll-back redone", "{n} roll-backs redone"),
        count="n",
    ),
    "count.demo_rolled_back": Entry(
        fr=_plural("{n} import de démo annulé", "{n} imports de démo annulés"),
        en=_plural("{n} demo import rolled back", "{n} demo imports rolled back"),
        count="n",
    ),
    "count.rejected_lines_written": Entry(
        fr=_plural("{n} ligne rejetée écrite dans {out}", "{n} lignes rejetées écrites dans {out}"),
        en=_plural("{n} rejected line written to {out}", "{n} rejected lines written to {out}"),
        count="n",
    ),
    "count.table_rows": Entry(
        fr=_plural("{table} : {n} ligne", "{table} : {n} lignes"),
        en=_plural("{table}: {n} row", "{table}: {n} rows"),
        count="n",
    ),
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
    # a workload file without agents: stored, but the privacy rule counts its teams as small
    "import.no_headcount": Entry(
        fr="{file} ne donne pas le nombre de conseillers ({column}) : {needing} en ont besoin et laissent "
        "ces lignes de côté ; {usable} peuvent les utiliser. Sans effectif, la règle de confidentialité "
        "compte l'équipe comme petite : ses chiffres ne paraissent que regroupés (autres équipes, autres "
        "sites) avec des équipes qui atteignent {threshold} conseillers.",
        en="{file} gives no agent count ({column}): {needing} need it and leave these rows out; {usable} "
        "can use them. Without a count, the privacy rule treats the team as small: its figures appear "
        "only merged (other teams, other sites) with teams that reach {threshold} agents.",
        fix={
            "cli": {
                "fr": " Ajoutez une colonne de conseillers par équipe et par jour (--map {column}=EN-TETE).",
                "en": " Add a column of agents per team and day (--map {column}=HEADER).",
            },
            "page": {
                "fr": " Choisissez la colonne du fichier qui donne {column} dans la correspondance "
                "ci-dessus.",
                "en": " Choose the file column that gives {column} in the mapping above.",
            },
        },
    ),
    "import.closing_dates_missing": Entry(
        fr="{file} : {column} est vide sur {share} des lignes ; {needing} comptent ces dossiers comme "
        "ouverts pour toujours.",
        en="{file}: {column} is empty on {share} of the rows; {needing} count those records as open forever.",
        fix={
            "cli": {
                "fr": " Donnez la colonne des dates de clôture (--map {column}=EN-TETE), ou pour un journal "
                "d'événements gardez le dernier état de chaque dossier (--keep last).",
                "en": " Name the closing-date column (--map {column}=HEADER), or for an event log keep each "
                "record's last state (--keep last).",
            },
            "page": {
                "fr": " Choisissez la colonne du fichier qui donne {column} dans la correspondance "
                "ci-dessus.",
                "en": " Choose the file column that gives {column} in the mapping above.",
            },
        },
    ),
    "import.no_other_metric": Entry(fr="aucun autre indicateur", en="no other metric"),
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


def count_of(raw: object, lang: str) -> float | None:
    """The number a count field holds, also when the caller formatted it already ("1 234", "2,5")."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return float(parse_decimal(str(raw).replace("\u202f", "").replace("\xa0", "").replace(" ", ""),
                                   locale=_locale(lang)))
    except NumberFormatError:
        return None


def text(key: str, lang: str, /, *, surface: str | None = None, **values: object) -> str:
    """The sentence `key` in `lang`, with the ending for `surface` when it has one."""
    entry = CATALOGUE[key]
    count = count_of(values.get(entry.count), lang) if entry.count else None
    out = fill(entry.template(lang), lang, count, values)
    if surface and surface in entry.fix:
        out += entry.fix[surface][lang].format(**values)
    return out
