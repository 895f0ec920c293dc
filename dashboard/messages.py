"""The message catalogue, declared once: key -> {"fr": ..., "en": ...}."""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.messages_import import IMPORT_MESSAGES
from dashboard.messages_pages import PAGE_MESSAGES
from metrics.contracts.records import bilingual as _m

MESSAGES: Mapping[str, Mapping[str, str]] = {
    "app.title": _m("Expérience client", "Customer experience"),
    "nav.trajectory": _m("Trajectoire", "Trajectory"),
    "nav.regions": _m("Régions", "Regions"),
    "nav.operations": _m("Opérations", "Operations"),
    "nav.workload": _m("Charge des équipes", "Workload"),
    "nav.data": _m("Données", "Data"),
    "nav.targets": _m("Objectifs", "Targets"),
    "lang.label": _m("Langue", "Language"),
    "access.local": _m(
        "Mode local, sans connexion : quiconque atteint cette adresse a tous les droits (lire, importer, "
        "annuler, modifier les objectifs). Pour partager le tableau de bord, configurez la connexion "
        "(docs/access.md).",
        "Local mode, no sign-in: whoever reaches this address has every right (read, import, roll back, "
        "edit targets). To share the dashboard, configure sign-in (docs/access.md).",
    ),
    "access.sign_in": _m(
        "Connectez-vous avec le compte de l'entreprise pour voir le tableau de bord.",
        "Sign in with your company account to see the dashboard.",
    ),
    "access.sign_in_button": _m("Se connecter", "Sign in"),
    "access.sign_out": _m("Se déconnecter", "Sign out"),
    "access.nobody": _m(
        "Votre compte n'a accès à aucune page de ce tableau de bord : demandez un accès à son "
        "administrateur.",
        "Your account has no access to this dashboard: ask its administrator for access.",
    ),
    "access.page_denied": _m(
        "Votre rôle ne donne pas accès à cette page.", "Your role does not give access to this page."
    ),
    "empty.database": _m(
        "La base est vide : importez un fichier, ou rechargez la démo, depuis la page « Données » du menu.",
        "The database is empty: import a file, or load the demo again, from the “Data” page in the menu.",
    ),
    "filters.header": _m("Filtres", "Filters"),
    "filters.year": _m("Année", "Year"),
    "filters.as_of": _m("Données jusqu'à fin", "Data up to the end of"),
    "filters.regions": _m("Régions", "Regions"),
    "filters.channels": _m("Canaux", "Channels"),
    "filters.segments": _m("Segments", "Segments"),
    "filters.all": _m("Toutes", "All"),
    "filters.all_f": _m("Toutes", "All"),
    "filters.all_m": _m("Tous", "All"),
    "filters.invalid": _m(
        "Le lien demande {param}={values}, qui n'existe pas dans les données : valeur ignorée.",
        "The link asks for {param}={values}, which is not in the data: ignored.",
    ),
    "filters.link": _m("Le lien de cette page garde vos filtres.", "This page's link keeps your filters."),
    "download.csv": _m("Télécharger (CSV)", "Download (CSV)"),
    "download.xlsx": _m("Télécharger (Excel)", "Download (Excel)"),
    "export.low": _m("Borne basse", "Low"),
    "export.high": _m("Borne haute", "High"),
    "export.suppressed": _m("Masqué", "Suppressed"),
    "export.metric": _m("Indicateur", "Metric"),
    "export.difference": _m("Écart au reste de l'entreprise", "Difference to the rest"),
    "export.small": _m("Petit effectif", "Small sample"),
    "export.better": _m("Meilleur", "Better"),
    "export.share_pct": _m("Part (%)", "Share (%)"),
    "export.cumulative_pct": _m("Part cumulée (%)", "Cumulative share (%)"),
    "export.start": _m("Début", "Start"),
    "export.end": _m("Fin", "End"),
    "export.months": _m("Mois avec données", "Months with data"),
    "export.line": _m("Ligne", "Line"),
    "export.reasons": _m("Motifs", "Reasons"),
    "export.ytd_value": _m("Cumul annuel", "Year to date"),
    "export.ytd_n": _m("n cumulé", "Year-to-date n"),
    "card.n": _m("n = {n}", "n = {n}"),
    "card.moe": _m("± {moe}", "± {moe}"),
    "card.target": _m("Objectif {target} · écart {gap}", "Target {target} · gap {gap}"),
    "card.no_target": _m("Pas d'objectif cette année", "No target this year"),
    # the sign leads: Streamlit draws the arrow from it ("-1,7 pts (oct. vs sept.)")
    "card.change": _m("{change} ({month} vs {previous})", "{change} ({month} vs {previous})"),
    "card.best": _m("Au mieux {best} en fin d'année", "At best {best} at year end"),
    "traj.title": _m("Trajectoire vers les objectifs", "Trajectory towards the targets"),
    "traj.caption": _m(
        "Cumul depuis le 1er janvier {year}, données jusqu'au {as_of}",
        "Year to date since 1 January {year}, data up to {as_of}",
    ),
    "traj.scope": _m("Périmètre : {region}", "Scope: {region}"),
    "traj.scope_company": _m("Périmètre : entreprise", "Scope: company"),
    "traj.scope_many": _m(
        "Plusieurs régions choisies : la trajectoire est celle de l'entreprise.",
        "Several regions chosen: the trajectory is the company's.",
    ),
    "traj.no_targets": _m("Aucun objectif déclaré pour {year}.", "No target declared for {year}."),
    "traj.chart_metric": _m("Indicateur du graphique", "Chart metric"),
    "shell.duckdb_only": _m(
        "Cette page lit et modifie le fichier DuckDB. Les autres pages calculent avec Spark sur "
        "l'entrepôt Parquet (CX_ENGINE=spark) : elles verront ces changements après un nouvel export "
        "(python -m metrics export).",
        "This page reads and changes the DuckDB file. The other pages compute with Spark over the "
        "Parquet warehouse (CX_ENGINE=spark): they see these changes after a new export "
        "(python -m metrics export).",
    ),
    "shell.import_running": _m(
        "Un import est en cours : les chiffres affichés sont ceux du dernier import terminé.",
        "An import is running: the figures shown are those of the last finished import.",
    ),
    "traj.chance": _m(
        "Au rythme actuel, {p} de chances d'atteindre {target}.",
        "At the current pace, a {p} chance of reaching {target}.",
    ),
    "traj.chance_help": _m(
        "Calculée sur les 24 derniers mois : la tendance, la dérive du niveau et la variation d'un mois à "
        "l'autre, chacune avec son incertitude ; volume à venir comme pour le requis. "
        "Détails : docs/methods.md.",
        "Computed from the last 24 months: the trend, the level's drift and the month-to-month variation, "
        "each with its uncertainty; the volume to come as for the required value. Details: docs/methods.md.",
    ),
    "traj.board_pack": _m("Dossier du mois (HTML)", "Monthly board pack (HTML)"),
    "traj.required_help": _m(
        "Requis = (objectif × (n cumul + n à venir) − cumul × n cumul) / n à venir, où n à venir = volume "
        "moyen des 3 derniers mois complets × mois restants (le reste d'un mois entamé compte au prorata). "
        "La projection suppose le même rythme. Détails : docs/methods.md.",
        "Required = (target × (n YTD + n to come) − YTD × n YTD) / n to come, where n to come = mean volume "
        "of the last 3 complete months × months left (the rest of a started month counts pro rata). "
        "The projection assumes the same pace. Details: docs/methods.md.",
    ),
    "traj.unreachable": _m(
        "Objectif {target} : hors d'atteinte ; au mieux {best} en fin d'année.",
        "Target {target}: out of reach; at best {best} at year end.",
    ),
    "traj.unlikely": _m(
        "Peu réaliste : {p} de chances au rythme actuel, meilleur mois de l'année {best}.",
        "Unlikely: a {p} chance at the current pace, best month of the year {best}.",
    ),
    "traj.year_met": _m(
        "Année terminée : objectif {target} atteint ({value}).", "Year over: target {target} met ({value})."
    ),
    "traj.year_missed": _m(
        "Année terminée : objectif {target} manqué ({value}).", "Year over: target {target} missed ({value})."
    ),
    "traj.projection": _m(
        "Projection fin d'année au rythme des 3 derniers mois : {projection}.",
        "Year-end projection at the pace of the last 3 months: {projection}.",
    ),
    "traj.no_breakdowns": _m(
        "{metric} ne se répartit ni par segment, ni par canal, ni par parcours.",
        "{metric} cannot be split by segment, channel or journey.",
    ),
    "traj.breakdowns": _m("Répartition depuis le 1er janvier", "Breakdown, year to date"),
    "chart.month": _m("Mois", "Month"),
    "chart.monthly": _m("Valeur du mois", "Monthly value"),
    "chart.band": _m("Marge d'erreur (95 %)", "Margin of error (95%)"),
    "chart.ytd": _m("Cumul annuel", "Year to date"),
    "chart.glide": _m("Trajectoire cible", "Glide path"),
    "chart.target": _m("Objectif", "Target"),
    "chart.projection": _m("Projection fin d'année", "Year-end projection"),
    "col.rank": _m("Rang", "Rank"),
    "col.region": _m("Région", "Region"),
    "col.site": _m("Site", "Site"),
    "col.site_type": _m("Type de site", "Site type"),
    "col.segment": _m("Segment", "Segment"),
    "col.channel": _m("Canal", "Channel"),
    "col.journey": _m("Parcours", "Journey"),
    "col.period": _m("Mois", "Month"),
    "col.value": _m("Valeur", "Value"),
    "col.n": _m("n", "n"),
    "col.moe": _m("Marge ±", "Margin ±"),
    "col.interval": _m("Intervalle 95 %", "95% interval"),
    "col.target": _m("Objectif", "Target"),
    "col.vs_target": _m("Écart à l'objectif", "Gap to target"),
    "col.vs_company": _m("Vs reste de l'entreprise", "Vs rest of company"),
    "col.gap_short": _m("Écart", "Gap"),  # the league's narrow headers: a 400 px screen shows them whole
    "col.vs_company_short": _m("Vs le reste", "Vs the rest"),
    "col.note": _m("Remarque", "Note"),
    "cmp.above": _m("▲ au-dessus", "▲ above"),
    "cmp.below": _m("▼ en dessous", "▼ below"),
    "cmp.noise": _m("≈ dans le bruit", "≈ within noise"),
    "cmp.small": _m("petit effectif (n < {min_n}) : non classé", "small sample (n < {min_n}): not ranked"),
    "regions.title": _m("Régions", "Regions"),
    "regions.caption": _m(
        "Depuis le 1er janvier {year}, jusqu'au {as_of}. Classement sur la borne prudente de l'intervalle "
        "à 95 % ; un écart « dans le bruit » n'est ni coloré ni interprété.",
        "Since 1 January {year}, up to {as_of}. Ranked on the cautious bound of the 95% interval; a gap "
        "“within noise” is neither coloured nor read into.",
    ),
    "regions.league": _m("Classement des régions", "Regions league table"),
    "regions.metric": _m("Indicateur", "Metric"),
    "regions.trends": _m("NPS mensuel par région", "Monthly NPS by region"),
    "regions.drill": _m("Sites d'une région", "A region's sites"),
    "regions.drill_region": _m("Région", "Region"),
    "regions.site_types": _m("En interne, sous-traité, offshore", "In-house, subcontracted, offshore"),
    "regions.highlighted": _m(
        "★ Régions choisies dans les filtres : {regions}. Toutes les régions restent classées.",
        "★ Regions chosen in the filters: {regions}. Every region is still ranked.",
    ),
    "regions.no_data": _m("Pas de données pour ces filtres.", "No data for these filters."),
    "dim.missing": _m("(non renseigné)", "(not given)"),
    "workload.title": _m("Charge de travail des équipes", "Team workload"),
    "workload.caption": _m(
        "Pour les représentants du personnel. Une équipe qui a compté moins de 5 agents est regroupée avec "
        "d'autres de son site ou de sa région (« autres équipes »), pour qu'aucune ne puisse être isolée.",
        "For staff representatives. A team that ever had fewer than 5 agents is merged with others of its "
        "site or region (\"autres équipes\"), so that none can be singled out.",
    ),
    "workload.metric": _m("Indicateur", "Metric"),
    "workload.suppressed": _m("masqué (moins de 5 agents)", "suppressed (fewer than 5 agents)"),
    "workload.latest": _m("Derniers mois par site et équipe", "Latest months by site and team"),
    "workload.trend": _m("Évolution mensuelle", "Monthly trend"),
    "workload.by": _m("Une ligne par", "One row per"),
    "workload.regions": _m("Régions", "Regions"),
    "workload.event_header": _m("Avant / après un événement", "Before / after an event"),
    "workload.event": _m("Événement", "Event"),
    "workload.event_help": _m(
        "Les 3 mois entiers avant le mois de l'événement, comparés aux 3 mois entiers après, "
        "sur la région de l'événement (toute l'entreprise s'il n'en a pas).",
        "The 3 whole months before the event's month against the 3 whole months after, "
        "for the event's region (the whole company when it has none).",
    ),
    "workload.no_events": _m("Aucun événement enregistré.", "No events recorded."),
    "workload.no_data": _m("Pas de données de charge de travail.", "No workload data."),
    "workload.scope": _m("Périmètre : {region}", "Scope: {region}"),
    "workload.company": _m("Toute l'entreprise", "Whole company"),
    "workload.side": _m("Période", "Period"),
    "workload.before": _m("3 mois avant", "3 months before"),
    "workload.after": _m("3 mois après", "3 months after"),
    "workload.months": _m("Du {start} au {end}", "{start} to {end}"),
    "workload.col_team": _m("Équipe", "Team"),
    "workload.col_month": _m("Mois", "Month"),
    "workload.col_n": _m("n (agents-jours)", "n (agent-days)"),
    "operations.title": _m("Interventions et réclamations", "Field operations and complaints"),
    "operations.caption": _m(
        "Cumul du 1er janvier {year} au {as_of}.", "Year to date, 1 January {year} to {as_of}."
    ),
    "operations.kpis": _m("Depuis le 1er janvier", "Year to date"),
    "operations.ftf_header": _m(
        "Résolution dès la 1re visite, mois par mois", "First-time fix, month by month"
    ),
    "operations.by": _m("Détail par", "Split by"),
    "operations.col_kind": _m("Type d'intervention", "Intervention type"),
    "operations.col_contractor": _m("Prestataire", "Contractor"),
    "operations.col_category": _m("Catégorie", "Category"),
    "operations.complaints_header": _m("Réclamations, mois par mois", "Complaints, month by month"),
    "operations.complaint_metric": _m("Indicateur", "Metric"),
    "operations.pareto_header": _m("Réclamations par catégorie (Pareto)", "Complaints by category (Pareto)"),
    "operations.col_count": _m("Réclamations", "Complaints"),
    "operations.col_share": _m("Part", "Share"),
    "operations.col_cumulative": _m("Part cumulée", "Cumulative share"),
    "operations.no_data": _m("Pas de données sur cette période.", "No data for this period."),
    "nav.alerts": _m("Alertes", "Alerts"),
    "nav.verbatims": _m("Verbatims", "Comments"),
    "alerts.title": _m("Alertes : ce qui a changé, et depuis quand", "Alerts: what changed, and since when"),
    "alerts.caption": _m(
        "Cartes de contrôle par région et par site jusqu'au {as_of} : à la semaine (52 semaines, référence "
        "les 13 premières) quand la semaine type compte au moins 10 réponses, sinon au mois (12 mois, "
        "référence les 6 premiers). Règles : un point hors limites, ou la moyenne des 8 dernières "
        "semaines (3 derniers mois) hors limites. Une alerte est datée du début le plus probable du "
        "changement, cherché en remontant depuis le signal.",
        "Control charts per region and per site up to {as_of}: weekly (52 weeks, baseline the first 13) "
        "when the typical week has at least 10 answers, else monthly (12 months, baseline the first 6). "
        "Rules: one point beyond the limits, or the mean of the last 8 weeks (3 months) beyond them. "
        "An alert is dated by the most likely start of the change, searched back from the signal.",
    ),
    "alerts.none": _m("Aucune alerte sur cette période.", "No alert over this period."),
    "alerts.dimension": _m("Niveau", "Level"),
    "alerts.charts": _m("Carte de contrôle d'une alerte", "Control chart of one alert"),
    "alerts.col_metric": _m("Indicateur", "Metric"),
    "alerts.col_scope": _m("Périmètre", "Scope"),
    "alerts.col_direction": _m("Sens", "Direction"),
    "alerts.col_rule": _m("Règle", "Rule"),
    "alerts.col_grain": _m("Carte", "Chart"),
    "alerts.grain_week": _m("hebdomadaire", "weekly"),
    "alerts.grain_month": _m("mensuelle", "monthly"),
    "alerts.col_started": _m("Depuis", "Since"),
    "alerts.col_detected": _m("Détectée", "Detected"),
    "alerts.col_periods": _m("Périodes", "Periods"),
    "alerts.col_center": _m("Référence", "Baseline"),
    "alerts.up_better": _m("▲ hausse (mieux)", "▲ up (better)"),
    "alerts.up_worse": _m("▲ hausse (moins bien)", "▲ up (worse)"),
    "alerts.down_better": _m("▼ baisse (mieux)", "▼ down (better)"),
    "alerts.down_worse": _m("▼ baisse (moins bien)", "▼ down (worse)"),
    "alerts.rule_point": _m("point hors limites", "point beyond the limits"),
    "alerts.rule_shift": _m("moyenne glissante hors limites", "moving mean beyond the limits"),
    "verbatims.title": _m("Ce que disent les verbatims", "What the comments say"),
    "verbatims.caption": _m(
        "Réponses notées avec un commentaire, du 1er janvier {year} au {as_of}. Impact : points de NPS "
        "gagnés si les détracteurs qui se plaignent du thème devenaient passifs ; un détracteur qui se "
        "plaint de plusieurs thèmes est partagé entre eux, et un thème cité en éloge ne compte pas, si bien "
        "que les impacts s'additionnent. Les thèmes cités par moins de 10 réponses ne sont pas affichés. "
        "Un écart n'est signalé que s'il reste significatif après correction de Holm sur tout le tableau.",
        "Scored answers with a comment, from 1 January {year} to {as_of}. Impact: NPS points gained if the "
        "detractors who complain about the theme became passives; a detractor complaining about several "
        "themes is shared among them, and a theme named in praise does not count, so impacts add up. "
        "Themes named by fewer than 10 answers are not shown. A gap is only flagged if it stays "
        "significant after a Holm correction over the whole table.",
    ),
    "verbatims.none": _m("Aucun commentaire sur cette période.", "No comment over this period."),
    "verbatims.table": _m("Thèmes classés par impact", "Themes ranked by impact"),
    "verbatims.col_theme": _m("Thème", "Theme"),
    "verbatims.col_share": _m("Part des commentaires", "Share of comments"),
    "verbatims.col_mentions": _m("Réponses", "Answers"),
    "verbatims.col_nps_with": _m("NPS avec", "NPS with"),
    "verbatims.col_nps_without": _m("NPS sans", "NPS without"),
    "verbatims.col_gap": _m("Écart", "Gap"),
    "verbatims.col_impact": _m("Impact (points)", "Impact (points)"),
    "verbatims.col_impact_interval": _m("Impact, intervalle à 95 %", "Impact, 95 % interval"),
    "verbatims.budget": _m(
        "Les impacts affichés totalisent {shown} points sur les {available} points des détracteurs qui ont "
        "laissé un commentaire ; le reste va aux détracteurs qui ne se plaignent d'aucun thème affiché.",
        "The impacts shown add up to {shown} of the {available} points of the detractors who left a "
        "comment; the rest belongs to detractors who complain about no theme shown.",
    ),
    "verbatims.noise": _m("≈ dans le bruit", "≈ within noise"),
    "verbatims.impact_chart": _m("Impact sur le NPS", "Impact on NPS"),
    "verbatims.theme": _m("Thème", "Theme"),
    "verbatims.trend": _m("Part des commentaires, mois par mois", "Share of comments, month by month"),
    "verbatims.examples": _m("Exemples de commentaires", "Example comments"),
    "verbatims.too_few": _m(
        "Moins de 10 réponses : les commentaires ne sont pas affichés.",
        "Under 10 answers: the comments are not shown.",
    ),
    "verbatims.search": _m("Rechercher dans les commentaires", "Search the comments"),
    "verbatims.col_comment": _m("Commentaire", "Comment"),
    "handoffs.title": _m("Relais entre services", "Hand-offs between services"),
    "handoffs.caption": _m(
        "Réclamations ouvertes du 1er janvier {year} au {as_of} (filtre des régions appliqué). Le NPS est "
        "celui des réponses des mêmes clients après leur première réclamation, reliées par le n° client. "
        "L'écart « plusieurs moins un » n'est affiché que s'il est significatif. Ce sont des écarts "
        "associés à plusieurs contacts, observés et non provoqués : un dossier difficile peut demander à "
        "la fois plus de contacts et plus de jours. Le délai médian compte les réclamations encore "
        "ouvertes (Kaplan-Meier, arrêtées à la dernière date des données) ; le délai moyen ne compte que "
        "les réclamations clôturées. Moins de 6 réclamations : pas d'intervalle.",
        "Complaints opened from 1 January {year} to {as_of} (region filter applied). The NPS is that of the "
        "same customers' answers after their first complaint, linked by customer id. The gap \"several "
        'minus one" is shown only when significant. These gaps are associated with several contacts, '
        "observed, not caused by them: a hard case may need both more contacts and more days. The median "
        "time counts complaints still open (Kaplan-Meier, stopped at the last date of the data); the mean "
        "time counts closed complaints only. Under 6 complaints: no interval.",
    ),
    "handoffs.none": _m("Aucune réclamation sur cette période.", "No complaint over this period."),
    "handoffs.col_measure": _m("Mesure", "Measure"),
    "handoffs.col_group": _m("Contacts", "Contacts"),
    "handoffs.col_gap": _m("Écart (plusieurs − un)", "Gap (several − one)"),
    "handoffs.several_contacts_pct": _m(
        "Réclamations à plusieurs contacts", "Complaints with several contacts"
    ),
    "handoffs.resolution_days_median": _m("Délai de résolution médian", "Median resolution time"),
    "handoffs.resolution_days_mean": _m("Délai de résolution moyen", "Mean resolution time"),
    "handoffs.nps": _m("NPS des mêmes clients", "NPS of the same customers"),
    "handoffs.all": _m("toutes", "all"),
    "handoffs.one": _m("un seul", "one"),
    "handoffs.several": _m("plusieurs", "several"),
    "handoffs.col_open": _m("Encore ouvertes", "Still open"),
    "handoffs.col_interval": _m("Intervalle à 95 %", "95 % interval"),
    "handoffs.open_ended": _m("[{low} ; non atteinte]", "[{low} ; not reached]"),
    "handoffs.too_few": _m("trop peu pour un intervalle", "too few for an interval"),
    "alerts.pick": _m(
        "Alerte à tracer (la plus récente d'abord)", "Alert to chart (most recent first)"
    ),
    **IMPORT_MESSAGES,
    **PAGE_MESSAGES,
}
