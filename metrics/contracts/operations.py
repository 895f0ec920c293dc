"""The operation's own figures and references: team workload, sites, customer base, targets, events."""

from __future__ import annotations

from metrics.contracts.columns import DAY, MONTH, REGION, SITE
from metrics.contracts.records import Column, Dataset, Kind
from metrics.contracts.records import bilingual as _l
from metrics.contracts.vocabularies import SITE_TYPES, spellings

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
        Column(
            name="team",
            kind=Kind.TEXT,
            label=_l("Équipe", "Team"),
            required=True,
            aliases=("équipe", "equipe", "groupe", "team name"),
            dimension=True,
        ),
        Column(
            name="agents",
            kind=Kind.INTEGER,
            label=_l("Conseillers", "Agents"),
            required=True,
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
            minimum=0,
        ),
        Column(
            name="scheduled_hours",
            kind=Kind.DECIMAL,
            label=_l("Heures planifiées", "Scheduled hours"),
            aliases=("heures planifiées", "heures prévues", "planned hours"),
            minimum=0,
        ),
        Column(
            name="overtime_hours",
            kind=Kind.DECIMAL,
            label=_l("Heures supplémentaires", "Overtime hours"),
            aliases=("heures supplémentaires", "heures sup", "hs", "overtime"),
            minimum=0,
        ),
        Column(
            name="absence_hours",
            kind=Kind.DECIMAL,
            label=_l("Heures d'absence", "Absence hours"),
            aliases=("heures d'absence", "absences (h)", "absentéisme (h)", "absence"),
            minimum=0,
        ),
        Column(
            name="evaluations",
            kind=Kind.INTEGER,
            label=_l("Interactions évaluées", "Evaluations"),
            aliases=("évaluations", "écoutes", "interactions évaluées", "speech analytics", "monitored"),
            minimum=0,
        ),
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
