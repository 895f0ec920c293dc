"""The closed or well-known values of a dimension: each value with its label and the spellings exports use.

A value's screen label sits next to the value and its spellings, so adding a channel is one line;
the columns read the spellings (`spellings`), the pages and reports read the labels (`value_label`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from metrics.contracts.records import bilingual as _l


@dataclass(frozen=True, slots=True)
class Value:
    """One canonical value: its key as stored, its label as read, the spellings exports use for it."""

    key: str
    label: Mapping[str, str]
    spellings: tuple[str, ...]


Vocabulary = tuple[Value, ...]

CHANNELS: Vocabulary = (
    Value(
        "phone",
        _l("Téléphone", "Phone"),
        ("téléphone", "telephone", "tel", "appel", "call centre", "call center"),
    ),
    Value("shop", _l("Boutique", "Shop"), ("boutique", "agence", "magasin", "store")),
    Value("web", _l("Web", "Web"), ("site web", "internet", "en ligne", "online")),
    Value("app", _l("Application", "App"), ("application", "appli", "application mobile", "mobile app")),
    Value(
        "field_visit",
        _l("Visite terrain", "Field visit"),
        ("visite terrain", "terrain", "field visit", "technicien", "intervention"),
    ),
    Value("email", _l("Courriel", "Email"), ("courriel", "mail", "e-mail")),
    Value("chat", _l("Tchat", "Chat"), ("tchat", "messagerie", "whatsapp")),
)
SEGMENTS: Vocabulary = (
    Value(
        "consumer",
        _l("Grand public", "Consumer"),
        ("grand public", "particulier", "particuliers", "résidentiel", "residential"),
    ),
    Value(
        "business",
        _l("Entreprises", "Business"),
        ("entreprise", "entreprises", "professionnel", "pro", "b2b"),
    ),
    Value(
        "mobile_money",
        _l("Mobile money", "Mobile money"),
        ("mobile money", "monnaie mobile", "argent mobile"),
    ),
)
JOURNEYS: Vocabulary = (
    Value("installation", _l("Installation", "Installation"), ("raccordement", "mise en service")),
    Value("billing", _l("Facturation", "Billing"), ("facturation", "facture")),
    Value("repair", _l("Dépannage", "Repair"), ("dépannage", "depannage", "réparation", "panne")),
    Value("move", _l("Déménagement", "Move"), ("déménagement", "demenagement")),
    Value("purchase", _l("Achat", "Purchase"), ("achat", "souscription", "vente")),
)
SITE_TYPES: Vocabulary = (
    Value("in_house", _l("En interne", "In-house"), ("interne", "in-house", "in house", "propre")),
    Value(
        "subcontracted",
        _l("Sous-traité", "Subcontracted"),
        ("sous-traité", "sous-traitant", "sous traite", "prestataire", "outsourced"),
    ),
    Value("offshore", _l("Offshore", "Offshore"), ("offshore", "délocalisé", "nearshore")),
)
INTERVENTION_KINDS: Vocabulary = (
    Value("installation", _l("Installation", "Installation"), ("raccordement", "mise en service")),
    Value("repair", _l("Dépannage", "Repair"), ("dépannage", "depannage", "réparation", "sav")),
    Value("maintenance", _l("Maintenance", "Maintenance"), ("entretien", "maintenance préventive")),
    Value("removal", _l("Dépose", "Removal"), ("résiliation", "dépose")),
)


def spellings(vocabulary: Vocabulary) -> Mapping[str, tuple[str, ...]]:
    """Canonical value -> the spellings exports use, as a column's `values`."""
    return {v.key: v.spellings for v in vocabulary}


# the dimension (column name) each vocabulary labels on screen
_LABELLED: Mapping[str, Vocabulary] = {
    "channel": CHANNELS,
    "segment": SEGMENTS,
    "journey": JOURNEYS,
    "site_type": SITE_TYPES,
    "kind": INTERVENTION_KINDS,
}
VALUE_LABELS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    dim: {v.key: v.label for v in vocabulary} for dim, vocabulary in _LABELLED.items()
}


def value_label(dimension: str, value: str, lang: str) -> str:
    """A dimension value as people read it ("Grand public" for consumer); data values stay verbatim."""
    return VALUE_LABELS.get(dimension, {}).get(value, {}).get(lang, value)
