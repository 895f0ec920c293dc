"""The operation's own figures and references: team workload, sites, customer base, targets, events."""

from __future__ import annotations

from metrics.contracts.columns import DAY, MONTH, REGION, SITE
from metrics.contracts.exports import Average, EventLog
from metrics.contracts.records import Column, Dataset, Kind
from metrics.contracts.records import bilingual as _l
from metrics.contracts.vocabularies import SITE_TYPES, spellings

# a team of a site: the daily workload's rows and the calls of an ACD log (its queue) name it alike
TEAM = Column(
    name="team",
    kind=Kind.TEXT,
    label=_l("Équipe", "Team"),
    required=True,
    aliases=("équipe", "equipe", "groupe", "team name", "queue", "file d'attente", "skill"),
    dimension=True,
)
WORKLOAD = Dataset(
    key="workload",
    label=_l("Charge de travail des équipes", "Team workload"),
    row_is=_l("une équipe sur une journée", "one team on one day"),
    key_columns=("date", "site", "team"),
    date_column="date",
    columns=(
        DAY,
        REGION,
        SITE.but(required=True),
        TEAM,
        Column(
            name="agents",
            kind=Kind.INTEGER,
            label=_l("Conseillers", "Agents"),
            # optional: a daily report may lack it; the privacy rule then counts the team as small
            # (docs/privacy.md), and the import report names the metrics that need it
            aliases=("conseillers", "nb conseillers", "effectif", "etp présents", "agents présents"),
            minimum=0,
            maximum=10000,
        ),
        Column(
            name="contacts_handled",
            kind=Kind.INTEGER,
            label=_l("Contacts traités", "Contacts handled"),
            required=True,
            aliases=("contacts traités", "appels traités", "nb contacts", "contacts"),
            minimum=0,
        ),
        Column(
            name="handle_minutes",
            kind=Kind.DECIMAL,
            label=_l("Temps de traitement (min)", "Handle time (min)"),
            aliases=("temps de traitement", "dmt totale (min)", "minutes de traitement", "handle time"),
            duration="minutes",
            minimum=0,
        ),
        Column(
            name="scheduled_hours",
            kind=Kind.DECIMAL,
            label=_l("Heures planifiées", "Scheduled hours"),
            aliases=("heures planifiées", "heures prévues", "planned hours"),
            duration="hours",
            minimum=0,
        ),
        Column(
            name="overtime_hours",
            kind=Kind.DECIMAL,
            label=_l("Heures supplémentaires", "Overtime hours"),
            aliases=("heures supplémentaires", "heures sup", "hs", "overtime"),
            duration="hours",
            minimum=0,
        ),
        Column(
            name="absence_hours",
            kind=Kind.DECIMAL,
            label=_l("Heures d'absence", "Absence hours"),
            aliases=("heures d'absence", "absences (h)", "absentéisme (h)", "absence"),
            duration="hours",
            minimum=0,
        ),
        Column(
            name="evaluations",
            kind=Kind.INTEGER,
            label=_l("Interactions évaluées", "Evaluations"),
            # contacts monitored or scored, by listening or speech analytics: their share of the contacts
            # handled is what staff representatives ask for (metric monitored_contacts_pct)
            aliases=(
                "évaluations",
                "écoutes",
                "interactions évaluées",
                "contacts évalués",
                "contacts analysés",
                "speech analytics",
                "monitored",
                "monitored contacts",
            ),
            minimum=0,
        ),
    ),
)


# an ACD's call log: one row per call, the agent in a `server` column, `yymmdd` dates, seconds
WORKLOAD_CALLS = Dataset(
    key="workload_calls",
    label=_l("Journal d'appels (un appel par ligne)", "Call log (one call per row)"),
    row_is=_l(
        "un appel (ou une interaction) traité par un conseiller",
        "one call (or interaction) handled by an agent",
    ),
    key_columns=(),  # a call has no key of its own: its team-day is the key of what it becomes
    date_column="date",
    columns=(
        DAY,
        REGION,
        SITE.but(required=True),
        TEAM,
        Column(
            name="agent_id",
            kind=Kind.TEXT,
            label=_l("Conseiller (identifiant)", "Agent id"),
            required=True,
            aliases=("server", "agent", "agent id", "id agent", "id conseiller", "login", "matricule"),
        ),
        Column(
            name="service_seconds",
            kind=Kind.DECIMAL,
            label=_l("Durée de traitement (s)", "Service time (s)"),
            required=True,
            aliases=(
                "service time", "ser time", "durée de traitement (s)", "handle time (s)", "talk time (s)"
            ),
            duration="seconds",
            minimum=0,
        ),
        Column(
            name="monitored",
            kind=Kind.BOOLEAN,
            label=_l("Analysé (speech analytics)", "Monitored (speech analytics)"),
            aliases=("analysé", "écouté", "monitoré", "speech analytics", "scored"),
        ),
    ),
)

# the calls of one team on one day are one workload row: contacts are calls, agents the distinct ids
CALLS = EventLog(
    rows=WORKLOAD_CALLS,
    into=WORKLOAD.key,
    group_by=("date", "site", "team"),
    totals={
        "region": "min(region)",
        "agents": "count(DISTINCT agent_id)",
        "contacts_handled": "count(*)",
        "handle_minutes": "sum(service_seconds) / 60.0",
        "evaluations": "sum(CASE WHEN monitored THEN 1 ELSE 0 END)",
    },
    hashed="agent_id",
    marks=("agent_id", "service_seconds"),
)

# a daily report's average handle time per contact, in seconds or in minutes, becomes the total
AVERAGE_HANDLE_TIMES = (
    Average(
        column=Column(
            name="avg_handle_seconds",
            kind=Kind.DECIMAL,
            label=_l("DMT par contact (s)", "Average handle time per contact (s)"),
            aliases=("dmt (s)", "dmt (sec)", "dmt en secondes", "aht (s)", "aht (sec)", "aht seconds"),
            duration="seconds",
            minimum=0,
        ),
        total="handle_minutes",
        per="contacts_handled",
        divide_by=60.0,
    ),
    Average(
        column=Column(
            name="avg_handle_minutes",
            kind=Kind.DECIMAL,
            label=_l("DMT par contact (min)", "Average handle time per contact (min)"),
            aliases=("dmt (min)", "dmt en minutes", "aht (min)", "aht minutes"),
            minimum=0,
        ),
        total="handle_minutes",
        per="contacts_handled",
    ),
)


SITES = Dataset(
    key="sites",
    label=_l("Sites", "Sites"),
    row_is=_l("un site (référentiel)", "one site (reference)"),
    key_columns=("site",),
    columns=(
        SITE.but(required=True, dimension=False),
        REGION.but(dimension=False),
        Column(
            name="site_type",
            kind=Kind.TEXT,
            label=_l("Type de site", "Site type"),
            aliases=("type de site", "type", "statut", "mode de gestion"),
            values=spellings(SITE_TYPES),
            closed=True,
        ),
        Column(
            name="name", kind=Kind.TEXT, label=_l("Nom", "Name"), aliases=("nom", "nom du site", "libellé")
        ),
        Column(name="country", kind=Kind.TEXT, label=_l("Pays", "Country"), aliases=("pays",)),
    ),
)


CUSTOMERS = Dataset(
    key="customers",
    label=_l("Parc clients", "Customer base"),
    row_is=_l("le parc clients d'une région sur un mois", "the customer base of a region in a month"),
    key_columns=("month", "region"),
    date_column="month",
    columns=(
        MONTH,
        REGION,
        Column(
            name="customers",
            kind=Kind.INTEGER,
            label=_l("Clients", "Customers"),
            required=True,
            aliases=("clients", "parc", "parc clients", "nb clients", "abonnés"),
            minimum=0,
        ),
    ),
)


TARGETS = Dataset(
    key="targets",
    label=_l("Objectifs annuels", "Annual targets"),
    row_is=_l("un objectif annuel", "an annual target"),
    key_columns=("year", "metric", "region"),
    columns=(
        Column(
            name="year",
            kind=Kind.INTEGER,
            label=_l("Année", "Year"),
            required=True,
            aliases=("année", "annee"),
            minimum=2000,
            maximum=2100,
        ),
        Column(
            name="metric",
            kind=Kind.TEXT,
            label=_l("Indicateur", "Metric"),
            required=True,
            aliases=("indicateur", "kpi", "métrique"),
        ),
        Column(
            name="target",
            kind=Kind.DECIMAL,
            label=_l("Objectif", "Target"),
            required=True,
            aliases=("objectif", "cible", "valeur cible"),
        ),
        REGION.but(
            label=_l("Région (vide = entreprise)", "Region (empty = company)"),
            required=False,
            dimension=False,
        ),
    ),
)


EVENTS = Dataset(
    key="events",
    label=_l("Événements", "Events"),
    row_is=_l("une annotation datée", "a dated annotation"),
    key_columns=("date", "label", "region"),
    date_column="date",
    columns=(
        DAY,
        Column(
            name="label",
            kind=Kind.TEXT,
            label=_l("Libellé", "Label"),
            required=True,
            aliases=("libellé", "événement", "evenement", "description"),
        ),
        REGION.but(
            label=_l("Région (vide = toutes)", "Region (empty = all)"), required=False, dimension=False
        ),
    ),
)
