"""Dataset contracts, declared once: they drive the tables, the import, the mapping UI and the docs."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from metrics.contracts.naming import closest, did_you_mean, normalise_header
from metrics.errors import UnknownColumn, UnknownName


class Kind(enum.StrEnum):
    """How a column is parsed from text and stored."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    MONTH = "month"
    BOOLEAN = "boolean"


SQL_TYPES: Mapping[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.INTEGER: "BIGINT",
    Kind.DECIMAL: "DOUBLE",
    Kind.DATE: "DATE",
    Kind.TIMESTAMP: "TIMESTAMP",
    Kind.MONTH: "DATE",
    Kind.BOOLEAN: "BOOLEAN",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Column:
    """One column of a dataset: how it is named, parsed, checked and whether it splits metrics."""

    name: str
    kind: Kind
    label: Mapping[str, str]
    required: bool = False
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # canonical value -> spellings seen in exports; with closed=True anything else is refused
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    closed: bool = False
    dimension: bool = False

    def accepted_headers(self) -> tuple[str, ...]:
        """Every normalised header that maps to this column."""
        return tuple(dict.fromkeys(normalise_header(h) for h in (self.name, *self.aliases)))


@dataclass(frozen=True, kw_only=True, slots=True)
class Dataset:
    """A kind of file the operator exports, and the table it lands in."""

    key: str
    label: Mapping[str, str]
    row_is: Mapping[str, str]
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]
    date_column: str | None = None

    @property
    def table(self) -> str:
        """The table holding the current rows."""
        return f"ds_{self.key}"

    @property
    def replaced_table(self) -> str:
        """The table holding rows an import replaced, so that a roll-back can restore them."""
        return f"replaced_{self.key}"

    def column(self, name: str) -> Column:
        """The declared column called `name`, or an error that suggests the closest one."""
        for col in self.columns:
            if col.name == name:
                return col
        names = [c.name for c in self.columns]
        raise UnknownColumn(self.key, name, [m for m in (closest(name, names),) if m])

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns a file must provide."""
        return tuple(c for c in self.columns if c.required)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Columns that metrics can be split and filtered by."""
        return tuple(c.name for c in self.columns if c.dimension)


def _l(fr: str, en: str) -> Mapping[str, str]:
    return {"fr": fr, "en": en}


YES_NO = (Kind.BOOLEAN,)

CHANNELS: Mapping[str, tuple[str, ...]] = {
    "phone": ("téléphone", "telephone", "tel", "appel", "call centre", "call center"),
    "shop": ("boutique", "agence", "magasin", "store"),
    "web": ("site web", "internet", "en ligne", "online"),
    "app": ("application", "appli", "application mobile", "mobile app"),
    "field_visit": ("visite terrain", "terrain", "field visit", "technicien", "intervention"),
    "email": ("courriel", "mail", "e-mail"),
    "chat": ("tchat", "messagerie", "whatsapp"),
}
SEGMENTS: Mapping[str, tuple[str, ...]] = {
    "consumer": ("grand public", "particulier", "particuliers", "résidentiel", "residential"),
    "business": ("entreprise", "entreprises", "professionnel", "pro", "b2b"),
    "mobile_money": ("mobile money", "monnaie mobile", "argent mobile"),
}
JOURNEYS: Mapping[str, tuple[str, ...]] = {
    "installation": ("raccordement", "mise en service"),
    "billing": ("facturation", "facture"),
    "repair": ("dépannage", "depannage", "réparation", "panne"),
    "move": ("déménagement", "demenagement"),
    "purchase": ("achat", "souscription", "vente"),
}
SITE_TYPES: Mapping[str, tuple[str, ...]] = {
    "in_house": ("interne", "in-house", "in house", "propre"),
    "subcontracted": ("sous-traité", "sous-traitant", "sous traite", "prestataire", "outsourced"),
    "offshore": ("offshore", "délocalisé", "nearshore"),
}
INTERVENTION_KINDS: Mapping[str, tuple[str, ...]] = {
    "installation": ("raccordement", "mise en service"),
    "repair": ("dépannage", "depannage", "réparation", "sav"),
    "maintenance": ("entretien", "maintenance préventive"),
    "removal": ("résiliation", "dépose"),
}

REGION = Column(
    name="region",
    kind=Kind.TEXT,
    label=_l("Région", "Region"),
    required=True,
    aliases=("région", "direction régionale", "dr", "region name"),
    dimension=True,
)
SITE = Column(
    name="site",
    kind=Kind.TEXT,
    label=_l("Site", "Site"),
    aliases=("code site", "point de vente", "boutique", "centre"),
    dimension=True,
)
CUSTOMER_ID = Column(
    name="customer_id",
    kind=Kind.TEXT,
    label=_l("Client", "Customer"),
    aliases=("id client", "n° client", "numéro client", "client", "customer"),
)
CHANNEL = Column(
    name="channel",
    kind=Kind.TEXT,
    label=_l("Canal", "Channel"),
    aliases=("canal", "canal de contact"),
    values=CHANNELS,
    dimension=True,
)

RESPONSES = Dataset(
    key="responses",
    label=_l("Réponses aux enquêtes", "Survey responses"),
    row_is=_l("une réponse à l'enquête", "one survey answer"),
    key_columns=("response_id",),
    date_column="responded_at",
    columns=(
        Column(
            name="response_id",
            kind=Kind.TEXT,
            label=_l("N° réponse", "Response id"),
            required=True,
            aliases=("n° réponse", "numéro réponse", "id réponse", "id", "response id", "responseid"),
        ),
        Column(
            name="responded_at",
            kind=Kind.TIMESTAMP,
            label=_l("Date de réponse", "Response date"),
            required=True,
            aliases=("date de réponse", "date réponse", "date", "response date", "recorded date"),
        ),
        REGION,
        Column(
            name="score",
            kind=Kind.INTEGER,
            label=_l("Note de recommandation (0-10)", "Likelihood to recommend (0-10)"),
            required=True,
            aliases=(
                "note",
                "note recommandation",
                "recommandation",
                "nps",
                "ltr",
                "likelihood to recommend",
            ),
            minimum=0,
            maximum=10,
        ),
        SITE,
        CHANNEL,
        Column(
            name="segment",
            kind=Kind.TEXT,
            label=_l("Segment", "Segment"),
            aliases=("marché", "type de client"),
            values=SEGMENTS,
            dimension=True,
        ),
        Column(
            name="journey",
            kind=Kind.TEXT,
            label=_l("Parcours", "Journey"),
            aliases=("parcours", "parcours client", "customer journey"),
            values=JOURNEYS,
            dimension=True,
        ),
        Column(
            name="effort",
            kind=Kind.INTEGER,
            label=_l("Effort client (1-7)", "Customer effort (1-7)"),
            aliases=("effort client", "ces", "customer effort"),
            minimum=1,
            maximum=7,
        ),
        Column(
            name="comment",
            kind=Kind.TEXT,
            label=_l("Verbatim", "Comment"),
            aliases=("commentaire", "verbatim", "verbatims", "remarque"),
        ),
        CUSTOMER_ID,
    ),
)

INTERVENTIONS = Dataset(
    key="interventions",
    label=_l("Interventions techniques", "Field interventions"),
    row_is=_l("une visite technique ou une installation", "one technical visit or installation"),
    key_columns=("intervention_id",),
    date_column="completed_at",
    columns=(
        Column(
            name="intervention_id",
            kind=Kind.TEXT,
            label=_l("N° intervention", "Intervention id"),
            required=True,
            aliases=("n° intervention", "numéro intervention", "id intervention", "id", "ot", "n° ot"),
        ),
        Column(
            name="completed_at",
            kind=Kind.TIMESTAMP,
            label=_l("Date de clôture", "Completion date"),
            required=True,
            aliases=(
                "date de clôture",
                "date clôture",
                "date de fin",
                "date intervention",
                "date",
                "completed",
            ),
        ),
        REGION,
        Column(
            name="first_time_fix",
            kind=Kind.BOOLEAN,
            label=_l("Résolu dès la 1re visite", "First-time fix"),
            required=True,
            aliases=(
                "résolu 1re visite",
                "résolu première visite",
                "ftf",
                "first time fix",
                "résolu du premier coup",
            ),
        ),
        SITE,
        Column(
            name="kind",
            kind=Kind.TEXT,
            label=_l("Type d'intervention", "Intervention kind"),
            aliases=("type", "type d'intervention", "nature", "intervention type"),
            values=INTERVENTION_KINDS,
            dimension=True,
        ),
        Column(
            name="visits",
            kind=Kind.INTEGER,
            label=_l("Nombre de visites", "Visits"),
            aliases=("nb visites", "nombre de visites", "visites"),
            minimum=1,
            maximum=50,
        ),
        Column(
            name="contractor",
            kind=Kind.TEXT,
            label=_l("Prestataire", "Contractor"),
            aliases=("prestataire", "sous-traitant", "entreprise"),
            dimension=True,
        ),
    ),
)

COMPLAINTS = Dataset(
    key="complaints",
    label=_l("Réclamations", "Complaints"),
    row_is=_l("une réclamation", "one complaint"),
    key_columns=("complaint_id",),
    date_column="opened_at",
    columns=(
        Column(
            name="complaint_id",
            kind=Kind.TEXT,
            label=_l("N° réclamation", "Complaint id"),
            required=True,
            aliases=("n° réclamation", "numéro réclamation", "id réclamation", "id", "n° dossier"),
        ),
        Column(
            name="opened_at",
            kind=Kind.TIMESTAMP,
            label=_l("Date d'ouverture", "Opened"),
            required=True,
            aliases=("date d'ouverture", "date ouverture", "date de création", "date", "opened"),
        ),
        REGION,
        Column(
            name="closed_at",
            kind=Kind.TIMESTAMP,
            label=_l("Date de clôture", "Closed"),
            aliases=("date de clôture", "date clôture", "date de résolution", "closed"),
        ),
        SITE,
        CHANNEL,
        Column(
            name="category",
            kind=Kind.TEXT,
            label=_l("Motif", "Category"),
            aliases=("motif", "catégorie", "categorie", "motif de réclamation"),
            dimension=True,
        ),
        Column(
            name="contacts",
            kind=Kind.INTEGER,
            label=_l("Nombre de contacts", "Contacts"),
            aliases=("nb contacts", "nombre de contacts", "contacts client"),
            minimum=1,
            maximum=1000,
        ),
        Column(
            name="escalated",
            kind=Kind.BOOLEAN,
            label=_l("Escaladée (régulateur, médiateur)", "Escalated (regulator, mediator)"),
            aliases=("escaladée", "escalade", "recours", "médiateur", "escalated"),
        ),
        CUSTOMER_ID,
    ),
)

WORKLOAD = Dataset(
    key="workload",
    label=_l("Charge de travail des équipes", "Team workload"),
    row_is=_l("une équipe sur une journée", "one team on one day"),
    key_columns=("date", "site", "team"),
    date_column="date",
    columns=(
        Column(name="date", kind=Kind.DATE, label=_l("Date", "Date"), required=True, aliases=("jour", "day")),
        REGION,
        Column(
            name="site",
            kind=Kind.TEXT,
            label=_l("Site", "Site"),
            required=True,
            aliases=("code site", "centre", "plateau"),
            dimension=True,
        ),
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
        Column(
            name="site",
            kind=Kind.TEXT,
            label=_l("Site", "Site"),
            required=True,
            aliases=("code site", "site code"),
        ),
        Column(
            name="region",
            kind=Kind.TEXT,
            label=_l("Région", "Region"),
            required=True,
            aliases=("région", "direction régionale", "dr"),
        ),
        Column(
            name="site_type",
            kind=Kind.TEXT,
            label=_l("Type de site", "Site type"),
            aliases=("type de site", "type", "statut", "mode de gestion"),
            values=SITE_TYPES,
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
        Column(
            name="month",
            kind=Kind.MONTH,
            label=_l("Mois", "Month"),
            required=True,
            aliases=("mois", "période"),
        ),
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
        Column(
            name="region",
            kind=Kind.TEXT,
            label=_l("Région (vide = entreprise)", "Region (empty = company)"),
            aliases=("région", "direction régionale", "dr"),
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
        Column(name="date", kind=Kind.DATE, label=_l("Date", "Date"), required=True, aliases=("jour",)),
        Column(
            name="label",
            kind=Kind.TEXT,
            label=_l("Libellé", "Label"),
            required=True,
            aliases=("libellé", "événement", "evenement", "description"),
        ),
        Column(
            name="region",
            kind=Kind.TEXT,
            label=_l("Région (vide = toutes)", "Region (empty = all)"),
            aliases=("région", "direction régionale", "dr"),
        ),
    ),
)

# how the canonical values of closed or well-known dimensions read on screen
VALUE_LABELS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "channel": {
        "phone": _l("Téléphone", "Phone"), "shop": _l("Boutique", "Shop"), "web": _l("Web", "Web"),
        "app": _l("Application", "App"), "field_visit": _l("Visite terrain", "Field visit"),
        "email": _l("Courriel", "Email"), "chat": _l("Tchat", "Chat"),
    },
    "segment": {
        "consumer": _l("Grand public", "Consumer"), "business": _l("Entreprises", "Business"),
        "mobile_money": _l("Mobile money", "Mobile money"),
    },
    "journey": {
        "installation": _l("Installation", "Installation"), "billing": _l("Facturation", "Billing"),
        "repair": _l("Dépannage", "Repair"), "move": _l("Déménagement", "Move"),
        "purchase": _l("Achat", "Purchase"),
    },
    "site_type": {
        "in_house": _l("En interne", "In-house"), "subcontracted": _l("Sous-traité", "Subcontracted"),
        "offshore": _l("Offshore", "Offshore"),
    },
    "kind": {
        "installation": _l("Installation", "Installation"), "repair": _l("Dépannage", "Repair"),
        "maintenance": _l("Maintenance", "Maintenance"), "removal": _l("Dépose", "Removal"),
    },
}


def value_label(dimension: str, value: str, lang: str) -> str:
    """A dimension value as people read it ("Grand public" for consumer); data values stay verbatim."""
    return VALUE_LABELS.get(dimension, {}).get(value, {}).get(lang, value)


DATASETS: Mapping[str, Dataset] = {
    d.key: d for d in (RESPONSES, INTERVENTIONS, COMPLAINTS, WORKLOAD, SITES, CUSTOMERS, TARGETS, EVENTS)
}


def dataset(key: str) -> Dataset:
    """The declared dataset `key`, or an error that lists the declared ones."""
    try:
        return DATASETS[key]
    except KeyError:
        raise UnknownName(
            f"unknown dataset {key!r}{did_you_mean(key, list(DATASETS))}; known: {', '.join(DATASETS)}"
        ) from None


def check_declarations(datasets: Mapping[str, Dataset] = DATASETS) -> list[str]:
    """Every inconsistency in the declarations, as sentences naming the dataset and column."""
    problems: list[str] = []
    for key, ds in datasets.items():
        if key != ds.key:
            problems.append(f"dataset registered as {key!r} declares key {ds.key!r}")
        names = [c.name for c in ds.columns]
        for name in {n for n in names if names.count(n) > 1}:
            problems.append(f"{ds.key}: column {name!r} is declared twice")
        for part in ds.key_columns:
            if part not in names:
                problems.append(f"{ds.key}: key column {part!r} is not a declared column")
        if ds.date_column and ds.date_column not in names:
            problems.append(f"{ds.key}: date column {ds.date_column!r} is not a declared column")
        seen: dict[str, str] = {}
        for col in ds.columns:
            for lang in ("fr", "en"):
                if not col.label.get(lang):
                    problems.append(f"{ds.key}.{col.name}: missing {lang!r} label")
            for header in col.accepted_headers():
                if header in seen and seen[header] != col.name:
                    problems.append(
                        f"{ds.key}: header {header!r} would match both {seen[header]!r} and {col.name!r}"
                    )
                seen[header] = col.name
        for lang in ("fr", "en"):
            if not ds.label.get(lang) or not ds.row_is.get(lang):
                problems.append(f"{ds.key}: missing {lang!r} label")
    return problems
