"""Vectorised draws shared by the demo datasets: days, times of day, categories and sites."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from metrics.demo.world import FUNCTIONS, IN_HOUSE, OFFSHORE, REGIONS, SITE_TYPES, SITES, SUBCONTRACTED, Month

NO_SITE = -1
# relative weight of a site inside its region and function, by site type
SITE_WEIGHTS = {
    "contact": {IN_HOUSE: 0.55, SUBCONTRACTED: 0.30, OFFSHORE: 0.25},
    "shop": {IN_HOUSE: 1.0, SUBCONTRACTED: 0.8, OFFSHORE: 0.0},
    "field": {IN_HOUSE: 0.55, SUBCONTRACTED: 0.45, OFFSHORE: 0.0},
}
REGION_SHARES = np.array([r.share for r in REGIONS]) / sum(r.share for r in REGIONS)
SITE_TYPE_OF = np.array([SITE_TYPES.index(s.site_type) for s in SITES] + [SITE_TYPES.index(IN_HOUSE)])


def categories(rng: np.random.Generator, n: int, weights: Sequence[float]) -> np.ndarray:
    """`n` category codes drawn with the given (not necessarily normalised) weights."""
    cum = np.cumsum(weights, dtype=float)
    return np.searchsorted(cum / cum[-1], rng.random(n), side="right")


def conditional(rng: np.random.Generator, given: np.ndarray, table: np.ndarray) -> np.ndarray:
    """A category per row drawn from the row of `table` selected by `given` (one distribution per row)."""
    cum = np.cumsum(table, axis=1)
    cum /= cum[:, -1:]
    return (rng.random(len(given))[:, None] > cum[given]).sum(axis=1)


def stratified(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniforms with exactly one value in each 1/n slice, shuffled: shares of the whole come out near-exact.

    The company line then follows its trend closely, while a small subgroup (a region in a month)
    still shows the sampling noise a real survey has.
    """
    return (rng.permutation(n) + rng.random(n)) / max(n, 1)


def days_in(rng: np.random.Generator, month: Month, n: int, weekday_weights: Sequence[float],
            weekdays: np.ndarray, allowed: np.ndarray | None = None) -> np.ndarray:
    """`n` day indexes inside `month`, weighted by weekday, among `allowed` days when given."""
    days = np.arange(month.first_day, month.first_day + month.days) if allowed is None or not len(allowed) \
        else allowed
    weights = np.asarray(weekday_weights, dtype=float)[weekdays[days]]
    return days[categories(rng, n, weights)]


def minutes(rng: np.random.Generator, n: int, hour_weights: Sequence[float]) -> np.ndarray:
    """Minutes of the day, the hour drawn from a 24-hour profile."""
    return categories(rng, n, hour_weights) * 60 + rng.integers(0, 60, n)


@cache
def _site_table() -> tuple[np.ndarray, np.ndarray]:
    """For each (region, function): candidate site indexes and their cumulative weights, padded."""
    width = max(
        sum(1 for s in SITES if s.region == r.name and s.function == f) for r in REGIONS for f in FUNCTIONS
    )
    index = np.full((len(REGIONS), len(FUNCTIONS), width), NO_SITE)
    cum = np.ones((len(REGIONS), len(FUNCTIONS), width))
    for ri, region in enumerate(REGIONS):
        for fi, function in enumerate(FUNCTIONS):
            found = [(i, SITE_WEIGHTS[function][s.site_type]) for i, s in enumerate(SITES)
                     if s.region == region.name and s.function == function]
            if not found:
                continue
            weights = np.array([w for _, w in found])
            index[ri, fi, : len(found)] = [i for i, _ in found]
            cum[ri, fi, : len(found)] = np.cumsum(weights) / weights.sum()
    return index, cum


def sites(rng: np.random.Generator, region: np.ndarray, function: np.ndarray) -> np.ndarray:
    """A site of each row's region doing its function (`function` -1: no site, e.g. web), or NO_SITE."""
    index, cum = _site_table()
    u = rng.random(len(region))
    f = np.maximum(function, 0)
    pick = (u[:, None] > cum[region, f]).sum(axis=1)
    chosen = index[region, f, np.minimum(pick, index.shape[2] - 1)]
    return np.where(function < 0, NO_SITE, chosen)


def order_by(*keys: np.ndarray) -> np.ndarray:
    """A stable permutation sorting rows by the keys, most significant first."""
    return np.lexsort(keys[::-1])
