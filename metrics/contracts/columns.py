"""Columns several datasets share, declared once with all their aliases; a dataset adapts only its label.

Before these were shared, `region` was declared four times and its aliases had drifted ("region
name" was known to answers but not to sites, targets or events); `site` and the day column likewise.
"""

from __future__ import annotations

from metrics.contracts.records import Column, Kind
from metrics.contracts.records import bilingual as _l
from metrics.contracts.vocabularies import CHANNELS, spellings

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
    aliases=("code site", "site code", "point de vente", "boutique", "centre", "plateau"),
    dimension=True,
)
CHANNEL = Column(
    name="channel",
    kind=Kind.TEXT,
    label=_l("Canal", "Channel"),
    aliases=("canal", "canal de contact"),
    values=spellings(CHANNELS),
    dimension=True,
)
CUSTOMER_ID = Column(
    name="customer_id",
    kind=Kind.TEXT,
    label=_l("Client", "Customer"),
    aliases=("id client", "n° client", "numéro client", "client", "customer"),
)
DAY = Column(name="date", kind=Kind.DATE, label=_l("Date", "Date"), required=True, aliases=("jour", "day"))
MONTH = Column(
    name="month", kind=Kind.MONTH, label=_l("Mois", "Month"), required=True, aliases=("mois", "période")
)
