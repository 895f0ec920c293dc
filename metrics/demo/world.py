"""The demo operator: regions, sites, calendar and the stories hidden in its data, declared once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from metrics import clock


@dataclass(frozen=True, slots=True)
class Region:
    """A regional directorate: its share of the customer base and how its NPS sits against the company."""

    code: str
    name: str
    share: float
    nps_offset: float


@dataclass(frozen=True, slots=True)
class Site:
    """A contact centre (plateau), a shop (boutique) or a field unit (UI) serving one region."""

    code: str
    region: str
    site_type: str
    name: str
    function: str
    country: str = "France"
    contractor: str = ""


# shares sum to 1; offsets are NPS points. The region behind is big, so the others sit about 1 point
# above the company; Bretagne about 8 above, Île-de-France about 10 below the rest.
REGIONS: tuple[Region, ...] = (
    Region("IDF", "Île-de-France", 0.20, -9.0),
    Region("NOR", "Nord", 0.10, 0.0),
    Region("EST", "Est", 0.10, 0.5),
    Region("OUE", "Ouest", 0.11, 1.0),
    Region("SOU", "Sud-Ouest", 0.11, 0.5),
    Region("SES", "Sud-Est", 0.15, 1.0),
    Region("CEN", "Centre", 0.08, 1.0),
    Region("NMD", "Normandie", 0.07, 0.5),
    Region("BRE", "Bretagne", 0.08, 6.5),
)

CONTACT, SHOP, FIELD = "contact", "shop", "field"
FUNCTIONS = (CONTACT, SHOP, FIELD)
IN_HOUSE, SUBCONTRACTED, OFFSHORE = "in_house", "subcontracted", "offshore"
SITE_TYPES = (IN_HOUSE, SUBCONTRACTED, OFFSHORE)


def _s(code: str, site_type: str, name: str, contractor: str = "", country: str = "France") -> Site:
    region = next(r.name for r in REGIONS if code.startswith(r.code))
    function = {"PLT": CONTACT, "BTQ": SHOP, "UIT": FIELD}[code.split("-")[1][:3]]
    return Site(code, region, site_type, name, function, country, contractor)


# 60 sites: 15 subcontracted (a quarter), 6 offshore (a tenth), the rest in-house
SITES: tuple[Site, ...] = (
    _s("IDF-PLT01", IN_HOUSE, "Plateau Paris Bercy"),
    _s("IDF-PLT02", SUBCONTRACTED, "Plateau Saint-Denis", "Relation+ Conseil"),
    _s("IDF-PLT03", OFFSHORE, "Plateau Casablanca", "Atlas Contact", "Maroc"),
    _s("IDF-BTQ01", IN_HOUSE, "Boutique Paris Opéra"),
    _s("IDF-BTQ02", IN_HOUSE, "Boutique Créteil Soleil"),
    _s("IDF-BTQ03", SUBCONTRACTED, "Boutique Nanterre", "Franchise Télécom Plus"),
    _s("IDF-BTQ04", IN_HOUSE, "Boutique Versailles"),
    _s("IDF-UIT01", IN_HOUSE, "UI Paris Est"),
    _s("IDF-UIT02", SUBCONTRACTED, "UI Val-d’Oise", "Fibréa Services"),
    _s("NOR-PLT01", IN_HOUSE, "Plateau Lille"),
    _s("NOR-PLT02", IN_HOUSE, "Plateau Valenciennes"),
    _s("NOR-BTQ01", IN_HOUSE, "Boutique Lille Euralille"),
    _s("NOR-BTQ02", IN_HOUSE, "Boutique Amiens"),
    _s("NOR-UIT01", IN_HOUSE, "UI Lille"),
    _s("NOR-UIT02", SUBCONTRACTED, "UI Arras", "Raccordia"),
    _s("EST-PLT01", IN_HOUSE, "Plateau Metz"),
    _s("EST-PLT02", OFFSHORE, "Plateau Tunis", "Carthage Relation Client", "Tunisie"),
    _s("EST-BTQ01", IN_HOUSE, "Boutique Strasbourg"),
    _s("EST-BTQ02", SUBCONTRACTED, "Boutique Reims", "Franchise Télécom Plus"),
    _s("EST-BTQ03", IN_HOUSE, "Boutique Nancy"),
    _s("EST-UIT01", IN_HOUSE, "UI Nancy"),
    _s("EST-UIT02", SUBCONTRACTED, "UI Strasbourg", "TechniRéseaux"),
    _s("OUE-PLT01", IN_HOUSE, "Plateau Nantes"),
    _s("OUE-PLT02", OFFSHORE, "Plateau Dakar", "Téranga Contact", "Sénégal"),
    _s("OUE-BTQ01", IN_HOUSE, "Boutique Nantes"),
    _s("OUE-BTQ02", IN_HOUSE, "Boutique Angers"),
    _s("OUE-BTQ03", SUBCONTRACTED, "Boutique La Roche-sur-Yon", "Franchise Télécom Plus"),
    _s("OUE-UIT01", IN_HOUSE, "UI Nantes"),
    _s("OUE-UIT02", SUBCONTRACTED, "UI Le Mans", "Fibréa Services"),
    _s("SOU-PLT01", IN_HOUSE, "Plateau Bordeaux"),
    _s("SOU-PLT02", SUBCONTRACTED, "Plateau Toulouse", "Voxia"),
    _s("SOU-PLT03", OFFSHORE, "Plateau Sfax", "Carthage Relation Client", "Tunisie"),
    _s("SOU-BTQ01", IN_HOUSE, "Boutique Bordeaux"),
    _s("SOU-BTQ02", IN_HOUSE, "Boutique Toulouse"),
    _s("SOU-UIT01", IN_HOUSE, "UI Bordeaux"),
    _s("SOU-UIT02", SUBCONTRACTED, "UI Pau", "Raccordia"),
    _s("SES-PLT01", IN_HOUSE, "Plateau Lyon"),
    _s("SES-PLT02", SUBCONTRACTED, "Plateau Marseille", "Voxia"),
    _s("SES-PLT03", OFFSHORE, "Plateau Rabat", "Atlas Contact", "Maroc"),
    _s("SES-BTQ01", IN_HOUSE, "Boutique Lyon Part-Dieu"),
    _s("SES-BTQ02", IN_HOUSE, "Boutique Marseille"),
    _s("SES-BTQ03", SUBCONTRACTED, "Boutique Nice", "Franchise Télécom Plus"),
    _s("SES-UIT01", IN_HOUSE, "UI Lyon"),
    _s("SES-UIT02", SUBCONTRACTED, "UI Marseille", "TechniRéseaux"),
    _s("CEN-PLT01", IN_HOUSE, "Plateau Orléans"),
    _s("CEN-PLT02", OFFSHORE, "Plateau Thiès", "Téranga Contact", "Sénégal"),
    _s("CEN-BTQ01", IN_HOUSE, "Boutique Tours"),
    _s("CEN-BTQ02", IN_HOUSE, "Boutique Clermont-Ferrand"),
    _s("CEN-UIT01", IN_HOUSE, "UI Orléans"),
    _s("CEN-UIT02", SUBCONTRACTED, "UI Clermont-Ferrand", "Connectis Pro"),
    _s("NMD-PLT01", IN_HOUSE, "Plateau Caen"),
    _s("NMD-BTQ01", IN_HOUSE, "Boutique Rouen"),
    _s("NMD-BTQ02", IN_HOUSE, "Boutique Le Havre"),
    _s("NMD-UIT01", IN_HOUSE, "UI Rouen"),
    _s("NMD-UIT02", SUBCONTRACTED, "UI Caen", "Connectis Pro"),
    _s("BRE-PLT01", IN_HOUSE, "Plateau Rennes"),
    _s("BRE-BTQ01", IN_HOUSE, "Boutique Rennes"),
    _s("BRE-BTQ02", IN_HOUSE, "Boutique Brest"),
    _s("BRE-UIT01", IN_HOUSE, "UI Rennes"),
    _s("BRE-UIT02", IN_HOUSE, "UI Brest"),
)


def team_name(number: int, width: int = 2) -> str:
    """The team label used in workload files: "Équipe 01"."""
    return f"Équipe {number:0{width}d}"


@dataclass(frozen=True, slots=True)
class DemoStories:
    """What a user can find in the demo data, so tests and docs never repeat the literals."""

    region_ahead: str = "Bretagne"
    region_behind: str = "Île-de-France"
    reorganised_region: str = "Nord"
    reorganisation_label: str = "Réorganisation des plateaux Nord"
    reorganisation_months_before_as_of: int = 7
    small_team_site: str = "NMD-BTQ02"
    small_team: str = team_name(1)
    nps_start: float = 28.0
    nps_end: float = 34.0
    nps_target: float = 40.0
    nps_target_previous_year: float = 32.0
    region_behind_nps_target: float = 30.0
    first_time_fix_target: float = 85.0
    complaints_per_1000_target: float = 2.5
    resolution_days_target: float = 5.0

    def reorganisation_date(self, as_of: dt.date | None = None) -> dt.date:
        """The first working Monday of the reorganisation month, for data ending at `as_of`."""
        end = as_of or default_as_of()
        month = end.month - self.reorganisation_months_before_as_of
        first = dt.date(end.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        day = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        while day in french_holidays(day.year):
            day += dt.timedelta(days=7)
        return day


DEMO_STORIES = DemoStories()


def default_as_of(today: dt.date | None = None) -> dt.date:
    """The last day of the previous month: demo data always ends on a closed month."""
    return (today or clock.today()).replace(day=1) - dt.timedelta(days=1)


def _easter(year: int) -> dt.date:
    # anonymous Gregorian algorithm (Meeus/Jones/Butcher)
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def french_holidays(year: int) -> frozenset[dt.date]:
    """French public holidays, when shops, contact centres and field units are closed."""
    easter = _easter(year)
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    moving = (easter + dt.timedelta(days=n) for n in (1, 39, 50))
    return frozenset((*(dt.date(year, m, d) for m, d in fixed), *moving))


@dataclass(frozen=True, slots=True)
class Month:
    """One calendar month of the demo period, clipped to the as-of date."""

    index: int
    first: dt.date
    last: dt.date
    first_day: int  # days since the start of the period

    @property
    def days(self) -> int:
        """Number of calendar days of the month inside the period."""
        return (self.last - self.first).days + 1


def period_months(as_of: dt.date) -> tuple[Month, ...]:
    """The months from 1 January of the previous year up to `as_of`."""
    start = dt.date(as_of.year - 1, 1, 1)
    months: list[Month] = []
    first = start
    while first <= as_of:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(following - dt.timedelta(days=1), as_of)
        months.append(Month(len(months), first, last, (first - start).days))
        first = following
    return tuple(months)
