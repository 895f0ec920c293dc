"""The catalogue's sentences about imports, roll-backs, missing columns and how to provide them."""

from __future__ import annotations

from collections.abc import Mapping

from metrics.catalogue_entry import PAGE_MAP, Entry, plural

IMPORT_ENTRIES: Mapping[str, Entry] = {
    # imports and roll-backs
    "import.rolled_back": Entry(
        fr=plural(
            "Import n° {id} annulé : {rows} ligne retirée, les lignes remplacées rétablies.",
            "Import n° {id} annulé : {rows} lignes retirées, les lignes remplacées rétablies.",
        ),
        en=plural(
            "Import no. {id} rolled back: {rows} row removed, the rows it replaced restored.",
            "Import no. {id} rolled back: {rows} rows removed, the rows it replaced restored.",
        ),
        count="rows",
    ),
    "import.partial": Entry(
        fr=plural(
            "{rejected} ligne sur {rows} rejetée ({share}) : import partiel.",
            "{rejected} lignes sur {rows} rejetées ({share}) : import partiel.",
        ),
        en=plural(
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
            "page": PAGE_MAP,
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
            "page": PAGE_MAP,
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
            "page": PAGE_MAP,
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
            "page": PAGE_MAP,
        },
    ),
    "hint.did_you_mean_header": Entry(fr=" Vouliez-vous dire « {match} » ?", en=' Did you mean "{match}"?'),
    "hint.other_dataset": Entry(
        fr=". Il ressemble à un fichier {other} : importez-le plutôt dans {other}",
        en=". It looks like a {other} file: import it into {other} instead",
    ),
    # an event log (one row per call) grouped into the dataset's rows (ingest.totals)
    "import.grouped": Entry(
        fr=plural(
            "{log} : {n} ligne regroupée, « {dataset} » en reçoit {grouped} ({row_is}) ; "
            "identifiants d'agents comptés, jamais conservés",
            "{log} : {n} lignes regroupées, « {dataset} » en reçoit {grouped} ({row_is}) ; "
            "identifiants d'agents comptés, jamais conservés",
        ),
        en=plural(
            "{log}: {n} row grouped, {dataset} receives {grouped} ({row_is}); agent ids counted, "
            "never stored",
            "{log}: {n} rows grouped, {dataset} receives {grouped} ({row_is}); agent ids counted, "
            "never stored",
        ),
        count="n",
    ),
}
