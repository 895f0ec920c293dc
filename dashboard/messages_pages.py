"""Messages of the Dashboard IV views (answers first, what-if, drill-down, before/after, thresholds).

Kept apart from `messages.py` so the pages and the shared catalogue can change independently; merged
into `MESSAGES` by one line there.
"""

from __future__ import annotations

from collections.abc import Mapping

from metrics.contracts.records import bilingual as _m

PAGE_MESSAGES: Mapping[str, Mapping[str, str]] = {
    "traj.answers": _m("En bref", "In short"),
    "traj.answer": _m("**{metric}** · {status} — {sentence}", "**{metric}** · {status} — {sentence}"),
    "card.last_year": _m("Même période {year} : {value}", "Same period {year}: {value}"),
    "card.last_year_none": _m("Même période {year} : pas de données", "Same period {year}: no data"),
    "card.show_chart": _m("Voir la courbe", "Show the chart"),
    "card.sparkline": _m("Valeurs mensuelles", "Monthly values"),
    "whatif.header": _m("Et si…", "What if…"),
    "whatif.best": _m(
        "Repère de réalisme : le meilleur mois de l'année a fait {best} ({month}).",
        "Realism check: the best month of the year so far was {best} ({month}).",
    ),
    "whatif.above_best": _m(
        "C'est mieux que le meilleur mois de l'année : peu réaliste sans changement.",
        "That beats the best month of the year: unlikely without a change.",
    ),
    "whatif.none": _m(
        "Pas de simulation : l'année est terminée ou l'indicateur ne se cumule pas.",
        "No what-if: the year is over or the metric does not add up over months.",
    ),
    "chart.show": _m("Voir le graphique", "Show the chart"),
    "chart.table": _m("Tableau des valeurs du graphique", "Table of the chart's values"),
    "chart.alt": _m(
        "Graphique : {title}. Les valeurs sont dans le tableau.", "Chart: {title}. Values in the table."
    ),
    "regions.caption_value": _m(
        "Depuis le 1er janvier {year}, jusqu'au {as_of}. Classé par valeur ; le verdict compare chaque "
        "région au reste de l'entreprise, corrigé pour les 9 comparaisons faites à la fois (Holm) : "
        "« dans le bruit » veut dire que l'écart ne se distingue pas du hasard.",
        "Since 1 January {year}, up to {as_of}. Ranked by value; the verdict compares each region with the "
        "rest of the company, corrected for the 9 comparisons made at once (Holm): “within noise” means "
        "the gap cannot be told apart from chance.",
    ),
    "regions.tab_trends": _m("Tendances mensuelles", "Monthly trends"),
    "regions.tab_types": _m("Types de site", "Site types"),
    "regions.crumb_all": _m("Toutes les régions", "All regions"),
    "regions.sites_of": _m("Sites de la région {region}", "Sites of region {region}"),
    "regions.back": _m("← Toutes les régions", "← All regions"),
    "regions.open": _m("Voir les sites de la région", "Show the region's sites"),
    "regions.missing_apart": _m(
        "Réponses sans région renseignée : {value} (n = {n}), hors classement.",
        "Answers without a region: {value} (n = {n}), not ranked.",
    ),
    "regions.small_flag": _m("⚠ petit échantillon", "⚠ small sample"),
    "regions.small_rule": _m(
        "⚠ petit échantillon : moins de {min_n} réponses ou marge au-delà de ± {moe} : le chiffre peut "
        "bouger beaucoup d'un mois à l'autre.",
        "⚠ small sample: under {min_n} answers or a margin over ± {moe}: the figure can move a lot from "
        "one month to the next.",
    ),
    "regions.col_status": _m("Statut vs son objectif", "Status vs its target"),
    "regions.col_site_name": _m("Nom du site", "Site name"),
    "regions.col_flag": _m("Fiabilité", "Reliability"),
    "regions.click_hint": _m(
        "Cliquez sur une ligne pour voir les sites de la région.", "Click a row to see the region's sites."
    ),
    "regions.crumb": _m("Régions › {region}", "Regions › {region}"),
    "regions.verdict_above": _m("au-dessus du reste (corrigé)", "above the rest (corrected)"),
    "regions.verdict_below": _m("en dessous du reste (corrigé)", "below the rest (corrected)"),
    "regions.verdict_noise": _m("dans le bruit", "within noise"),
    "regions.verdict_small": _m("non testé (petit)", "untested (small)"),
    "workload.before_after": _m("Avant / après un événement", "Before / after an event"),
    "workload.verdict_up": _m(
        "{metric} : {before} → {after} ({diff}), hausse plus forte que la variation habituelle d'un mois à "
        "l'autre (p = {p}).",
        "{metric}: {before} → {after} ({diff}), a rise beyond the usual month-to-month variation (p = {p}).",
    ),
    "workload.verdict_down": _m(
        "{metric} : {before} → {after} ({diff}), baisse plus forte que la variation habituelle d'un mois à "
        "l'autre (p = {p}).",
        "{metric}: {before} → {after} ({diff}), a fall beyond the usual month-to-month variation (p = {p}).",
    ),
    "workload.verdict_noise": _m(
        "{metric} : {before} → {after} ({diff}), dans la variation habituelle d'un mois à l'autre (p = {p}).",
        "{metric}: {before} → {after} ({diff}), within the usual month-to-month variation (p = {p}).",
    ),
    "workload.verdict_untested": _m(
        "{metric} : pas de test (un côté masqué ou moins de 2 mois de données).",
        "{metric}: no test (one side hidden or under 2 months of data).",
    ),
    "workload.threshold": _m("Seuil d'alerte ({metric})", "Alert threshold ({metric})"),
    "workload.threshold_help": _m(
        "Les lignes au-dessus du seuil sont surlignées et marquées « ⚠ au-dessus ». Vide : pas de seuil.",
        "Rows above the threshold are highlighted and marked “⚠ above”. Empty: no threshold.",
    ),
    "workload.first_rows": _m(
        "Les {shown} premières lignes sur {total} (les plus récentes, les plus hautes d'abord) ; "
        "le téléchargement les contient toutes.",
        "The first {shown} of {total} rows (newest, highest first); the download holds them all.",
    ),
    "workload.col_flag": _m("Seuil", "Threshold"),
    "workload.flag": _m("⚠ au-dessus", "⚠ above"),
    "workload.heatmap": _m("Site × mois", "Site × month"),
}
