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
from functools import cache

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal

from metrics.catalogue_entry import LANGS, SURFACES, Entry, Template, plural  # noqa: F401 - re-exported
from metrics.catalogue_import import IMPORT_ENTRIES

CATALOGUE: Mapping[str, Entry] = {
    **IMPORT_ENTRIES,
    # figures
    "moe.too_few": Entry(fr="n trop petit", en="too few answers"),
    # a rate whose customer base is missing for some months (metrics.semantic.query_kinds.rate_sql)
    "note.base_carried": Entry(
        fr="parc clients absent certains mois : le dernier parc connu de la région est reporté "
        "({share} de la base)",
        en="customer base missing for some months: the region's last known base is carried forward "
        "({share} of the base)",
    ),
    # a backlog, SLA or resolution time where most records have no closing date (semantic.closing)
    "no_data.closing_dates": Entry(
        fr=plural(
            "Dates de clôture manquantes : « {column} » est vide sur {share} de la {rows} réclamation "
            "ouverte d'ici là, et sans elle un dossier compte comme ouvert pour toujours. Importez ces "
            "dates (colonne « {column} » dans la correspondance, ou « Clos quand » pour un journal).",
            "Dates de clôture manquantes : « {column} » est vide sur {share} des {rows} réclamations "
            "ouvertes d'ici là, et sans elle un dossier compte comme ouvert pour toujours. Importez ces "
            "dates (colonne « {column} » dans la correspondance, ou « Clos quand » pour un journal).",
        ),
        en=plural(
            "Closing dates missing: “{column}” is empty on {share} of the {rows} complaint opened by then, "
            "and without one a record counts as open forever. Import them (“{column}” in the mapping, or "
            "“Closed when” for an event log).",
            "Closing dates missing: “{column}” is empty on {share} of the {rows} complaints opened by "
            "then, and without one a record counts as open forever. Import them (“{column}” in the "
            "mapping, or “Closed when” for an event log).",
        ),
        count="rows",
    ),
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
        fr=plural(
            "Objectif {target} : le mois restant doit faire en moyenne {required}.",
            "Objectif {target} : les {months} mois restants doivent faire en moyenne {required}.",
        ),
        en=plural(
            "Target {target}: the remaining month must average {required}.",
            "Target {target}: the remaining {months} months must average {required}.",
        ),
        count="months",
    ),
    "whatif.input": Entry(
        fr=plural("Moyenne du mois restant ({metric})", "Moyenne des {months} mois restants ({metric})"),
        en=plural(
            "Average of the month to come ({metric})", "Average of the {months} months to come ({metric})"
        ),
        count="months",
    ),
    "whatif.result": Entry(
        fr=plural(
            "Si le mois restant fait {rest}, l'année finit à {end} (objectif {target}).",
            "Si les {months} mois restants font {rest}, l'année finit à {end} (objectif {target}).",
        ),
        en=plural(
            "If the month to come averages {rest}, the year ends at {end} (target {target}).",
            "If the {months} months to come average {rest}, the year ends at {end} (target {target}).",
        ),
        count="months",
    ),
    "whatif.result_no_target": Entry(
        fr=plural(
            "Si le mois restant fait {rest}, l'année finit à {end}.",
            "Si les {months} mois restants font {rest}, l'année finit à {end}.",
        ),
        en=plural(
            "If the month to come averages {rest}, the year ends at {end}.",
            "If the {months} months to come average {rest}, the year ends at {end}.",
        ),
        count="months",
    ),
    "import.closed_by_state": Entry(
        fr=plural(
            "{closed} sur {n} dossier clos, daté par « {column} » de sa ligne",
            "{closed} sur {n} dossiers clos, datés par « {column} » de leur ligne",
        ),
        en=plural(
            "{closed} of {n} record closed, dated by its line's {column}",
            "{closed} of {n} records closed, dated by their line's {column}",
        ),
        count="n",
    ),
    "verbatims.found": Entry(
        fr=plural("{n} réponse contient ces mots.", "{n} réponses contiennent ces mots."),
        en=plural("{n} answer contains these words.", "{n} answers contain these words."),
        count="n",
    ),
    "workload.over": Entry(
        fr=plural(
            "Au-dessus du seuil {threshold} : {n} ligne.", "Au-dessus du seuil {threshold} : {n} lignes."
        ),
        en=plural("Above the threshold {threshold}: {n} row.", "Above the threshold {threshold}: {n} rows."),
        count="n",
    ),
    "data.plan_updates": Entry(
        fr=plural(
            "L'import mettra à jour {n} ligne existante de « {dataset} » : {keys}",
            "L'import mettra à jour {n} lignes existantes de « {dataset} » : {keys}",
        ),
        en=plural(
            "The import will update {n} existing row of “{dataset}”: {keys}",
            "The import will update {n} existing rows of “{dataset}”: {keys}",
        ),
        count="n",
    ),
    "data.rollback_choice": Entry(
        fr=plural(
            "n° {id} · {file} · {dataset} · {when} · {accepted} ligne acceptée, {updated} en remplacement",
            "n° {id} · {file} · {dataset} · {when} · {accepted} lignes acceptées, {updated} en remplacement",
        ),
        en=plural(
            "no. {id} · {file} · {dataset} · {when} · {accepted} row accepted, {updated} of them replacing",
            "no. {id} · {file} · {dataset} · {when} · {accepted} rows accepted, {updated} of them replacing",
        ),
        count="accepted",
    ),
    "targets.change_kept": Entry(
        fr=plural(
            "{n} ligne retirée du tableau reste en vigueur (annulez l'import depuis la page Données).",
            "{n} lignes retirées du tableau restent en vigueur (annulez l'import depuis la page Données).",
        ),
        en=plural(
            "{n} row removed from the table stays in force (roll the import back on the Data page).",
            "{n} rows removed from the table stay in force (roll the import back on the Data page).",
        ),
        count="n",
    ),
    # counts in the CLI's sentences, each with its own plural ("1 rejected row deleted")
    "count.verbatims_blanked": Entry(
        fr=plural("{n} verbatim effacé", "{n} verbatims effacés"),
        en=plural("{n} verbatim blanked", "{n} verbatims blanked"),
        count="n",
    ),
    "count.rejected_rows_deleted": Entry(
        fr=plural("{n} ligne rejetée supprimée", "{n} lignes rejetées supprimées"),
        en=plural("{n} rejected row deleted", "{n} rejected rows deleted"),
        count="n",
    ),
    "count.imports_replayed": Entry(
        fr=plural("{n} import rejoué", "{n} imports rejoués"),
        en=plural("{n} import replayed", "{n} imports replayed"),
        count="n",
    ),
    "count.rollbacks_redone": Entry(
        fr=plural("{n} annulation refaite", "{n} annulations refaites"),
        en=plural("{n} roll-back redone", "{n} roll-backs redone"),
        count="n",
    ),
    "count.demo_rolled_back": Entry(
        fr=plural("{n} import de démo annulé", "{n} imports de démo annulés"),
        en=plural("{n} demo import rolled back", "{n} demo imports rolled back"),
        count="n",
    ),
    "count.rejected_lines_written": Entry(
        fr=plural("{n} ligne rejetée écrite dans {out}", "{n} lignes rejetées écrites dans {out}"),
        en=plural("{n} rejected line written to {out}", "{n} rejected lines written to {out}"),
        count="n",
    ),
    "count.table_rows": Entry(
        fr=plural("{table} : {n} ligne", "{table} : {n} lignes"),
        en=plural("{table}: {n} row", "{table}: {n} rows"),
        count="n",
    ),
    # alerts: how many groups were charted and at which grain, why the others were not, the limits
    "alerts.charted": Entry(
        fr=plural(
            "{n} groupe suivi ({weekly} à la semaine, {monthly} au mois)",
            "{n} groupes suivis ({weekly} à la semaine, {monthly} au mois)",
        ),
        en=plural(
            "{n} group charted ({weekly} weekly, {monthly} monthly)",
            "{n} groups charted ({weekly} weekly, {monthly} monthly)",
        ),
        count="n",
    ),
    "alerts.too_small": Entry(
        fr=plural(
            "{n} trop petit (moins de {min_n} réponses sur ses {months} premiers mois)",
            "{n} trop petits (moins de {min_n} réponses sur leurs {months} premiers mois)",
        ),
        en=plural(
            "{n} too small (under {min_n} answers in its first {months} months)",
            "{n} too small (under {min_n} answers in their first {months} months)",
        ),
        count="n",
    ),
    "alerts.limits": Entry(
        fr=plural(
            "Limites à ±{z} σ, réglées pour {n} carte : au plus {rate} fausse alerte attendue "
            "sur la période si rien ne change.",
            "Limites à ±{z} σ, réglées pour les {n} cartes ensemble : au plus {rate} fausse alerte "
            "attendue sur la période si rien ne change.",
        ),
        en=plural(
            "Limits at ±{z}σ, set for {n} chart: at most {rate} false alert expected over the period "
            "if nothing changes.",
            "Limits at ±{z}σ, set for the {n} charts together: at most {rate} false alert expected "
            "over the period if nothing changes.",
        ),
        count="n",
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
