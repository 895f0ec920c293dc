"""How big each demo dataset is, month by month, and the random streams that make it reproducible.

Every month of every dataset draws from its own generator, seeded by (seed, dataset, month), so a
month can be regenerated on its own (the responses re-derive last month's complaints to link
customers) and the files never depend on how the work was chunked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from metrics.demo.csvfile import day_labels, id_width
from metrics.demo.world import CONTACT, FIELD, REGIONS, SHOP, SITES, Month, french_holidays, period_months

STREAMS = {"world": 1, "customers": 2, "complaints": 3, "responses": 4, "interventions": 5, "workload": 6}
COMPLAINTS_PER_RESPONSE = 0.2
INTERVENTIONS_PER_RESPONSE = 0.3
WORKLOAD_ROWS_PER_RESPONSE = 0.5
COMPLAINTS_PER_1000_CUSTOMERS = 3.0  # per month, so the base scales with the volume of complaints
BASE_GROWTH = 0.003  # per month
MIN_REGION_BASE = 50
# which weekdays (Monday = 0) each kind of site works
OPEN_WEEKDAYS = {CONTACT: (0, 1, 2, 3, 4), SHOP: (0, 1, 2, 3, 4, 5), FIELD: (0, 1, 2, 3, 4, 5)}
WORKLOAD_SITES = tuple(s for s in SITES if s.function in (CONTACT, SHOP))


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` in proportion to `weights` with whole numbers that add up exactly."""
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.int64)
    remainder = int(total - counts.sum())
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts


@dataclass(frozen=True)
class Plan:
    """Sizes, calendar and random streams of one demo generation."""

    seed: int
    as_of: dt.date
    responses: int

    @cached_property
    def months(self) -> tuple[Month, ...]:
        """The months of the period, the last one ending on the as-of date."""
        return period_months(self.as_of)

    @property
    def start(self) -> dt.date:
        """1 January of the previous year."""
        return self.months[0].first

    @cached_property
    def n_days(self) -> int:
        """Calendar days in the period."""
        return (self.as_of - self.start).days + 1

    @cached_property
    def day_labels(self) -> np.ndarray:
        """`dd/mm/yyyy` for every day of the period."""
        return day_labels(self.start, self.n_days)

    @cached_property
    def weekdays(self) -> np.ndarray:
        """Weekday (Monday = 0) of every day of the period."""
        return (np.arange(self.n_days) + self.start.weekday()) % 7

    @cached_property
    def holidays(self) -> np.ndarray:
        """True on French public holidays."""
        years = range(self.start.year, self.as_of.year + 1)
        offsets = [(d - self.start).days for y in years for d in french_holidays(y)]
        mask = np.zeros(self.n_days, dtype=bool)
        mask[[o for o in offsets if 0 <= o < self.n_days]] = True
        return mask

    def open_days(self, month: Month, function: str) -> np.ndarray:
        """Day indexes of `month` on which sites of `function` work."""
        days = np.arange(month.first_day, month.first_day + month.days)
        is_open = np.isin(self.weekdays[days], OPEN_WEEKDAYS[function]) & ~self.holidays[days]
        return days[is_open]

    def _per_month(self, total: int) -> np.ndarray:
        return allocate(total, np.array([m.days for m in self.months], dtype=float))

    @cached_property
    def responses_per_month(self) -> np.ndarray:
        """Survey answers per month, in proportion to its days."""
        return self._per_month(self.responses)

    @cached_property
    def complaints_per_month(self) -> np.ndarray:
        """Complaints opened per month."""
        return self._per_month(round(self.responses * COMPLAINTS_PER_RESPONSE))

    @cached_property
    def interventions_per_month(self) -> np.ndarray:
        """Field interventions completed per month."""
        return self._per_month(round(self.responses * INTERVENTIONS_PER_RESPONSE))

    @cached_property
    def teams_per_site(self) -> int:
        """Teams per contact centre and shop, so workload rows grow with the requested size."""
        team_days = sum(
            len(self.open_days(m, s.function)) for m in self.months for s in WORKLOAD_SITES
        )
        return max(1, round(self.responses * WORKLOAD_ROWS_PER_RESPONSE / max(team_days, 1)))

    @cached_property
    def customer_base(self) -> np.ndarray:
        """Customers per (month, region): about three complaints per 1,000 customers a month."""
        rng = self.rng("customers")
        monthly = self.complaints_per_month / np.array([m.days for m in self.months]) * 30.4
        start = monthly.mean() / COMPLAINTS_PER_1000_CUSTOMERS * 1000
        start /= (1 + BASE_GROWTH) ** (len(self.months) / 2)
        shares = np.array([r.share for r in REGIONS])
        growth = (1 + BASE_GROWTH + rng.normal(0, 0.001, (len(self.months), len(REGIONS)))).cumprod(axis=0)
        base = start * shares * growth / (1 + BASE_GROWTH)
        return np.maximum(np.rint(base), MIN_REGION_BASE).astype(np.int64)

    @cached_property
    def customer_blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """First customer number and pool size of each region: customers are numbered region by region."""
        pool = self.customer_base.max(axis=0)
        first = np.concatenate(([1], 1 + np.cumsum(pool)[:-1]))
        return first, pool

    @cached_property
    def customer_width(self) -> int:
        """Digits of customer numbers (CL000123)."""
        return id_width(int(self.customer_blocks[1].sum()), minimum=6)

    def customers(self, rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
        """A random existing customer number of each row's region."""
        first, pool = self.customer_blocks
        return first[region] + (rng.random(len(region)) * pool[region]).astype(np.int64)

    def rng(self, stream: str, month: int = 0) -> np.random.Generator:
        """The generator of one dataset's month; independent of every other month and dataset."""
        return np.random.default_rng([self.seed, STREAMS[stream], month])

    def first_id(self, counts: np.ndarray, month: int) -> int:
        """Number of the first row of `month` when rows are numbered from 1 across months."""
        return int(counts[:month].sum()) + 1
