"""Regions against the rest of the company, ranked by a sample-size-aware rule (statistics live in metrics).

The verdicts come from `comparison.compare_groups`: each region against the rest, Holm-adjusted over
the nine regions, so a region is "above" or "below" only when the family as a whole says so. Regions
are ranked by value, best first (`verdict.rank_regions`, the one order of the Regions page and the board
pack); regions under `MIN_N` observations are flagged, put last and left unranked, so a small region
cannot top or tail the table by chance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from metrics.reports.comparison import MIN_N, compare_groups
from metrics.reports.verdict import rank_regions
from metrics.semantic.definitions import Metric, shown_in
from metrics.store import Store

__all__ = ["LEAGUE_METRICS", "MIN_N", "league"]
LEAGUE_METRICS = shown_in("league")  # declared on each metric (Metric.shown_in): a new one joins by itself


# filters that keep a league at region level: a site or a team filter would show a site of another region
REGION_LEVEL = frozenset({"region", "channel", "segment", "journey"})


def store_for_league(store: Store, where: Mapping[str, Sequence[str]]) -> Store:
    """Every region's own figure for a reader whose role allows the league of all regions (a director).

    A scoped store (metrics.access.scoped) hands out its unscoped base only for region-level questions.
    """
    source = getattr(store, "league_source", None)
    if source is None or not {k for k, v in where.items() if v} <= REGION_LEVEL:
        return store
    return source()


def league(
    store: Store,
    m: Metric,
    start: dt.date,
    end: dt.date,
    where: Mapping[str, Sequence[str]],
    min_n: int,
    target_of: Callable[[str], float | None],
) -> pd.DataFrame:
    """One row per region: value, n, moe, low, high, target, vs_target, difference, verdict, small, rank."""
    out = compare_groups(
        store_for_league(store, where), m, by="region", start=start, end=end, where=where, min_n=min_n
    )
    if out.empty:
        return out
    out = out.rename(columns={"diff": "difference"})
    out["significant"] = out["verdict"].isin(["above", "below"])
    out["better"] = np.where(out["significant"], (out["verdict"] == "above") == m.higher_is_better, np.nan)
    out["target"] = [target_of(r) for r in out["region"]]
    out["vs_target"] = out["value"] - out["target"].astype(float)
    out["small"] = out["verdict"] == "small"
    return rank_regions(m, out)
