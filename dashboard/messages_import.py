"""The Data and Targets pages' words (imports, roll-backs, targets, demo): key -> {"fr": ..., "en": ...}."""

from __future__ import annotations

from collections.abc import Mapping

from metrics.contracts.records import bilingual as _m

IMPORT_MESSAGES: Mapping[str, Mapping[str, str]] = {
    "demo.banner": _m(
        "Données de démonstration : ces chiffres sont fictifs. Importez vos fichiers pour les remplacer.",
        "Demo data: these figures are made up. Import your files to replace them.",
    ),
    "demo.remove": _m("Retirer la démo", "Remove demo data"),
    "demo.removed": _m("Données de démonstration supprimées.", "Demo data removed."),
    "demo.loading": _m("Chargement des données de démonstration…", "Loading demo data…"),
    "demo.remove_confirm": _m(
        "Retirer toutes les données de démonstration ? Vos propres imports restent en place. "
        "La démo pourra être rechargée depuis la page Données.",
        "Remove all demo data? Your own imports stay. The demo can be loaded again from the Data page.",
    ),
    "demo.remove_yes": _m("Oui, retirer la démo", "Yes, remove the demo data"),
    "demo.reload_header": _m("Données de démonstration", "Demo data"),
    "demo.reload_help": _m(
        "Aucune donnée de démonstration n'est chargée. "
        "Vous pouvez la recharger pour essayer le tableau de bord.",
        "No demo data is loaded. You can load it again to try the dashboard.",
    ),
    "demo.reload": _m("Recharger la démo", "Load the demo data"),
    "data.title": _m("Importer des données", "Import data"),
    "data.upload": _m("Fichier CSV ou Excel", "CSV or Excel file"),
    "data.dataset": _m("Jeu de données", "Dataset"),
    "data.browse": _m("Parcourir", "Browse"),
    "data.limits": _m("CSV ou XLSX · 200 Mo maximum par fichier", "CSV or XLSX · 200 MB per file at most"),
    "data.detected": _m("Jeu de données reconnu : {dataset}", "Detected dataset: {dataset}"),
    "data.not_detected": _m(
        "Jeu de données non reconnu avec certitude : choisissez-le ci-dessous.",
        "Dataset not recognised with certainty: choose it below.",
    ),
    "data.choose_dataset": _m("Choisissez le jeu de données", "Choose the dataset"),
    "data.plan_undetected": _m(
        "Le fichier n'a pas été reconnu : vérifiez qu'il s'agit bien de « {dataset} ».",
        "The file was not recognised: check that it really is “{dataset}”.",
    ),
    "data.plan_other": _m(
        "Vous importez dans « {dataset} » un fichier qui ressemble à « {detected} ».",
        "You are importing into “{dataset}” a file that looks like “{detected}”.",
    ),
    "data.plan_confirm": _m("Je confirme cet import", "I confirm this import"),
    "data.import": _m("Importer", "Import"),
    "data.importing": _m("Import en cours…", "Importing…"),
    "data.mapping_help": _m(
        "Correspondance des colonnes : choisissez la colonne du fichier pour chaque colonne attendue.",
        "Column mapping: pick the file's column for each expected column.",
    ),
    "data.col_expected": _m("Colonne attendue", "Expected column"),
    "data.col_required": _m("Obligatoire", "Required"),
    "data.col_file": _m("Colonne du fichier", "File column"),
    "data.preview": _m("Aperçu des premières lignes du fichier", "Preview of the file's first rows"),
    "data.report": _m("Compte rendu de l'import n° {id}", "Report of import no. {id}"),
    "data.rows_read": _m("Lignes lues", "Rows read"),
    "data.accepted": _m("Acceptées", "Accepted"),
    # the updated rows are part of the accepted ones: "dont" says so ("Acceptées 2 / dont ... 2")
    "data.updated": _m("dont lignes existantes remplacées", "of which replaced existing rows"),
    "data.rejected": _m("Rejetées", "Rejected"),
    "data.skipped": _m("Ignorées", "Skipped"),
    "data.problems": _m("Premiers problèmes", "First problems"),
    "data.problem": _m("Problème", "Problem"),
    "data.rejected_download": _m("Télécharger les lignes rejetées (CSV)", "Download the rejected rows (CSV)"),
    "data.history": _m("Historique des imports", "Import history"),
    "data.rollback_id": _m("Import à annuler", "Import to roll back"),
    "data.rollback": _m("Annuler cet import", "Roll back this import"),
    "data.rollback_confirm": _m(
        "Je confirme : retirer les lignes de cet import et rétablir celles qu'il avait remplacées",
        "I confirm: remove this import's rows and restore the ones it replaced",
    ),
    "data.yes": _m("oui", "yes"),
    "data.no": _m("non", "no"),
    "data.no_imports": _m("Aucun import.", "No imports."),
    "data.h_import_id": _m("N° import", "Import"),
    "data.h_dataset": _m("Jeu de données", "Dataset"),
    "data.h_file_name": _m("Fichier", "File"),
    "data.h_rows_read": _m("Lues", "Read"),
    "data.h_accepted": _m("Acceptées", "Accepted"),
    "data.h_updated": _m("Remplacées", "Replaced"),
    "data.h_rejected": _m("Rejetées", "Rejected"),
    "data.h_skipped": _m("Ignorées", "Skipped"),
    "data.h_status": _m("État", "Status"),
    "data.h_demo": _m("Démo", "Demo"),
    "data.h_finished_at": _m("Terminé le", "Finished"),
    "data.status_done": _m("en place", "kept"),
    "data.status_partial": _m("en place, lignes rejetées", "kept, some rows rejected"),
    "data.status_rolled_back": _m("annulé", "rolled back"),
    "data.options": _m("Options de lecture", "Reading options"),
    "data.preset": _m("Outil d'enquête", "Survey tool"),
    "data.preset_auto": _m("détecté si certain", "detected when certain"),
    "data.date_order": _m("Ordre des dates", "Date order"),
    "data.date_auto": _m("détecté par colonne", "detected per column"),
    "data.date_dmy": _m("jour en premier (jj/mm/aaaa)", "day first (dd/mm/yyyy)"),
    "data.date_mdy": _m("mois en premier (mm/jj/aaaa)", "month first (mm/dd/yyyy)"),
    "data.date_ymd": _m("année en premier (aaaa-mm-jj)", "year first (yyyy-mm-dd)"),
    "data.row_id": _m(
        "Fabriquer l'identifiant à partir du contenu de chaque ligne (fichier sans identifiant)",
        "Make the id from each row's content (file without an id)",
    ),
    "data.constants": _m(
        "Valeur unique pour toutes les lignes (colonne absente du fichier)",
        "One value for every row (a column the file lacks)",
    ),
    "data.constant_value": _m("Valeur", "Value"),
    "data.max_rejected": _m(
        "Refuser le fichier au-delà de ce pourcentage de lignes rejetées",
        "Refuse the file above this percentage of rejected rows",
    ),
    "data.refused": _m(
        "Fichier refusé : rien n'a été importé. Détail et correction :",
        "File refused: nothing was imported. Details and fix:",
    ),
    "data.dates_read": _m("Lecture des dates", "How dates were read"),
    "data.skipped_why": _m("Lignes ignorées", "Rows skipped"),
    "targets.title": _m("Objectifs annuels", "Annual targets"),
    "targets.caption": _m(
        "Modifiez les cellules puis enregistrez. Région vide = toute l'entreprise. "
        "L'enregistrement passe par les mêmes contrôles qu'un import "
        "et peut être annulé depuis la page Données.",
        "Edit the cells, then save. Empty region = whole company. "
        "Saving goes through the same checks as an import and can be rolled back from the Data page.",
    ),
    "targets.year": _m("Année", "Year"),
    "targets.all_years": _m("Toutes les années", "All years"),
    "targets.col_year": _m("Année", "Year"),
    "targets.col_metric": _m("Indicateur", "Metric"),
    "targets.col_target": _m("Objectif", "Target"),
    "targets.col_region": _m("Région", "Region"),
    "targets.save": _m("Confirmer et enregistrer", "Confirm and save"),
    "targets.report": _m("Compte rendu de l'enregistrement", "Save report"),
    "targets.saved": _m("Objectifs enregistrés (import n° {id}).", "Targets saved (import no. {id})."),
    "targets.none": _m("Aucun objectif pour cette année.", "No targets for this year."),
    "targets.col_range": _m("Valeurs possibles", "Possible values"),
    "targets.company": _m("(toute l'entreprise)", "(whole company)"),
    "targets.target_help": _m(
        "Un nombre, avec une virgule ou un point : 2,5 ou 40.",
        "A number, with a point or a comma: 2.5 or 40.",
    ),
    "targets.range": _m("de {low} à {high}", "{low} to {high}"),
    "targets.range_from": _m("{low} ou plus", "{low} or more"),
    "targets.problem_incomplete": _m(
        "Ligne {line} : indiquez l'année, l'indicateur et un objectif chiffré (trouvé : « {value} »).",
        "Row {line}: give the year, the metric and a numeric target (found: “{value}”).",
    ),
    "targets.problem_range": _m(
        "Ligne {line} : {metric} ne peut pas valoir {value} ; valeurs possibles : {range}.",
        "Row {line}: {metric} cannot be {value}; possible values: {range}.",
    ),
    "targets.review": _m("Vérifier les changements", "Review the changes"),
    "targets.summary": _m("Changements à enregistrer :", "Changes to save:"),
    "targets.no_change": _m(
        "Aucun changement à enregistrer : ces objectifs sont déjà ceux en vigueur.",
        "No change to save: these targets are already the current ones.",
    ),
    "targets.change_new": _m("{where} : nouvel objectif {new}", "{where}: new target {new}"),
    "targets.change": _m("{where} : {old} → {new}", "{where}: {old} → {new}"),
}
