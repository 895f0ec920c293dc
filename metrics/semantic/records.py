"""The records a metric is made of: its kind, its unit and the Metric itself, below every semantic module.

They live apart from the registry (`definitions`) and the kinds' behaviour (`kinds`) so that both can
name a Metric without importing each other.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from metrics.contracts.datasets import DATASETS
from metrics.semantic.joins import Exposure, Headcount


class StatKind(enum.StrEnum):
    """How measure sums become a value, and which interval goes with it."""

    NPS = "nps"  # promoters, detractors, n -> 100 (P - D) / n, interval from the score variance
    PROPORTION = "proportion"  # successes, n -> 100 s / n, Wilson interval
    MEAN = "mean"  # total, total_sq, n -> total / n, t interval
    COUNT = "count"  # n -> n, no interval (a census, not a sample)
    RATIO = "ratio"  # num, den -> scale * num / den, no interval (workload: census data)
    RATE = "rate"  # n, exposure -> 1000 n / exposure, exact Poisson interval
    MEDIAN = "median"  # median of a row expression; not additive, read from the raw rows
    BACKLOG = "backlog"  # rows open at the end of each period


class Unit(enum.StrEnum):
    """What a value is measured in; drives formatting and target validation."""

    POINTS = "points"
    PERCENT = "percent"
    COUNT = "count"
    DAYS = "days"
    MINUTES = "minutes"
    HOURS = "hours"
    PER_1000 = "per_1000"
    SCORE = "score"
    CONTACTS = "contacts"


# where a metric can be declared to be shown, beside the pages that list every metric of a dataset
PLACES = frozenset({"league", "alerts", "operations"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Metric:
    """One KPI. `measures` maps a role of its kind to a row-level SQL expression that is summed."""

    key: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    dataset: str
    kind: StatKind
    unit: Unit
    measures: Mapping[str, str] = field(default_factory=dict)
    date_column: str | None = None  # defaults to the dataset's date column
    where: str | None = None  # rows the metric reads, e.g. closed complaints only
    scale: float = 1.0
    decimals: int = 1
    higher_is_better: bool = True
    headcount: Headcount | None = None  # workload: groups under the privacy threshold are merged
    exposure: Exposure | None = None  # a rate's denominator
    closed_column: str | None = None  # a backlog: a row is open from its date until this column's
    dimensions: tuple[str, ...] | None = None  # None: every dimension its dataset offers
    shown_in: frozenset[str] = frozenset()  # the places (PLACES) that show it; the pages read this

    @property
    def private(self) -> bool:
        """Figures about people: published only for units above the privacy threshold."""
        return self.headcount is not None

    @property
    def date(self) -> str:
        """The column that places a row in a period."""
        return self.date_column or DATASETS[self.dataset].date_column or ""
