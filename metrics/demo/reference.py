"""The small demo datasets: sites, customer base, annual targets and dated events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from metrics.demo.csvfile import Column, cell, date_text, integers
from metrics.demo.plan import Plan
from metrics.demo.world import DEMO_STORIES, REGIONS, SITES

SITE_COLUMNS = ("site", "region", "site_type", "name", "country")
CUSTOMER_COLUMNS = ("month", "region", "customers")
TARGET_COLUMNS = ("year", "metric", "target", "region")
EVENT_COLUMNS = ("date", "label", "region")


def _rows(rows: list[tuple[str, ...]]) -> list[Column]:
    """Rows of ready fields turned into columns, the shape CsvWriter.write takes."""
    return [list(col) for col in zip(*rows, strict=True)]


def _number(value: float) -> str:
    """A target as a French export writes it: 40, 2,5."""
    return str(int(value)) if float(value).is_integer() else f"{value}".replace(".", ",")


def site_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of sites.csv: the fixed reference of 60 sites."""
    del plan  # the sites do not depend on size, seed or date
    yield _rows([tuple(cell(v) for v in (s.code, s.region, s.site_type, s.name, s.country)) for s in SITES])


def customer_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of customers.csv: the base of each region on the first of each month."""
    rows: list[tuple[str, ...]] = []
    for m, month in enumerate(plan.months):
        counts = integers(plan.customer_base[m])
        rows += [(date_text(month.first), cell(r.name), counts[i]) for i, r in enumerate(REGIONS)]
    yield _rows(rows)


def targets(as_of: dt.date) -> tuple[tuple[int, str, float, str], ...]:
    """(year, metric, target, region): company targets for both years, the lagging region's NPS."""
    year, previous = as_of.year, as_of.year - 1
    s = DEMO_STORIES
    return (
        (previous, "nps", s.nps_target_previous_year, ""),
        (year, "nps", s.nps_target, ""),
        (year, "nps", s.region_behind_nps_target, s.region_behind),
        (previous, "first_time_fix_rate", s.first_time_fix_target, ""),
        (year, "first_time_fix_rate", s.first_time_fix_target, ""),
        (previous, "complaints_per_1000_customers", 2.8, ""),
        (year, "complaints_per_1000_customers", s.complaints_per_1000_target, ""),
        (year, "resolution_days_median", s.resolution_days_target, ""),
    )


def target_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of targets.csv."""
    rows = targets(plan.as_of)
    yield _rows([(str(y), metric, _number(value), cell(region)) for y, metric, value, region in rows])


def events(as_of: dt.date) -> list[tuple[dt.date, str, str]]:
    """The dated annotations of the demo period: (date, label, region or "" for the whole company)."""
    previous = as_of.year - 1
    found = [
        (dt.date(previous, 4, 1), "Hausse tarifaire des forfaits fibre et mobile", ""),
        (dt.date(previous, 9, 16), "Lancement de l’offre fibre 2 Gbit/s", ""),
        (DEMO_STORIES.reorganisation_date(as_of), DEMO_STORIES.reorganisation_label,
         DEMO_STORIES.reorganised_region),
        (dt.date(as_of.year, 1, 19), "Migration du système de facturation", ""),
    ]
    return sorted(e for e in found if e[0] <= as_of)


def event_chunks(plan: Plan) -> Iterator[list[Column]]:
    """Rows of events.csv."""
    yield _rows([(date_text(day), cell(label), cell(region)) for day, label, region in events(plan.as_of)])
