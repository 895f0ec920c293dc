"""What a metric reads beyond its own dataset's rows: references it joins, exposures, head-counts.

Declared here as records, so the SQL names no table: the sites reference a dataset with a `site`
column joins (for `site_type` and `country`), the customer base a rate divides by, and the columns the
privacy rule counts people with.
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics.contracts.datasets import DATASETS, SITES


@dataclass(frozen=True, kw_only=True, slots=True)
class Join:
    """A reference dataset whose columns a dataset's rows gain through a key (a site's type and country)."""

    dataset: str
    key: str
    columns: tuple[str, ...]


# every dataset with a `site` column can be split by the site's type and country
SITES_JOIN = Join(dataset=SITES.key, key="site", columns=("site_type", "country"))


def joins_of(dataset_key: str) -> tuple[Join, ...]:
    """The references a dataset's rows join to."""
    ds = DATASETS[dataset_key]
    return (SITES_JOIN,) if dataset_key != SITES_JOIN.dataset and SITES_JOIN.key in ds.dimensions else ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Exposure:
    """What a rate divides by: a count declared per month and `dimension` in another dataset."""

    dataset: str
    month: str
    count: str
    dimension: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Headcount:
    """How a private metric counts people: `agents` per team-day, a team being `team` columns' values."""

    agents: str = "agents"
    day: str = "date"
    team: tuple[str, ...] = ("region", "site", "team")
