"""What customers lived through: survey answers, field interventions and complaints (one row each)."""

from __future__ import annotations

from metrics.contracts.columns import CHANNEL, CUSTOMER_ID, REGION, SITE
from metrics.contracts.records import Column, Dataset, Kind
from metrics.contracts.records import bilingual as _l
from metrics.contracts.vocabularies import INTERVENTION_KINDS, JOURNEYS, SEGMENTS, spellings

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
            blank_means="no_score",  # the question was optional: 823 blanks are 823 non-responses
        ),
        SITE,
        CHANNEL,
        Column(
            name="segment",
            kind=Kind.TEXT,
            label=_l("Segment", "Segment"),
            aliases=("marché", "type de client"),
            values=spellings(SEGMENTS),
            dimension=True,
        ),
        Column(
            name="journey",
            kind=Kind.TEXT,
            label=_l("Parcours", "Journey"),
            aliases=("parcours", "parcours client", "customer journey"),
            values=spellings(JOURNEYS),
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
            values=spellings(INTERVENTION_KINDS),
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
