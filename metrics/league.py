"""Regions against the rest of the company, ranked by a sample-size-aware rule (statistics live in metrics).

Ranking uses the cautious bound of each region's 95 % interval (the low bound when higher is better,
the high bound otherwise), so a small region cannot top or tail the table by chance; regions under
`MIN_N` observations are flagged and left unranked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from metrics import stats
from metrics.definitions import StatKind, metric
from metrics.query import last_per_group, metric_frame
from metrics.store import Store

MIN_N = 30
LEAGUE_METRICS = ("nps", "first_time_fix_rate", "complaints_per_1000_customers", "resolution_days_median")


def _compare(kind: StatKind, scale: float, r: pd.DataFrame, rest: pd.DataFrame) -> stats.Comparison | None:
    """Region minus the rest of the company, from additive measure sums."""
    if kind is StatKind.NPS:
        return stats.compare_nps(
            r["promoters"], r["detractors"], r["n"], rest["promoters"], rest["detractors"], rest["n"]
        )
    if kind is StatKind.PROPORTION:
        return stats.compare_proportions(r["successes"], r["n"], rest["successes"], rest["n"])
    if kind is StatKind.MEAN:
        return stats.compare_means(
            r["total"], r["total_sq"], r["n"], rest["total"], rest["total_sq"], rest["n"]
        )
    if kind is StatKind.RATE:
        return stats.compare_rates(r["n"], r["exposure"], rest["n"], rest["exposure"], per=scale)
    return None


def _median_rest(
    store: Store,
    key: str,
    start: dt.date,
    end: dt.date,
    where: Mapping[str, Sequence[str]],
    regions: Sequence[str],
) -> pd.DataFrame:
    """For a median (not additive): each region's complement queried directly, with its interval."""
    rows = []
    for region in regions:
        others = [o for o in regions if o != region]
        got = last_per_group(
            metric_frame(store, key, grain="ytd", start=start, end=end, where={**where, "region": others}), ()
        )
        rows.append(
            {
                "region": region,
                "rest_value": got["value"].iloc[0] if len(got) else np.nan,
                "rest_low": got["low"].iloc[0] if len(got) else np.nan,
                "rest_high": got["high"].iloc[0] if len(got) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def league(
    store: Store,
    key: str,
    start: dt.date,
    end: dt.date,
    where: Mapping[str, Sequence[str]],
    min_n: int,
    target_of: Callable[[str], float | None],
) -> pd.DataFrame:
    """One row per region: value, n, moe, low, high, target, vs_target, difference, verdict, small, rank."""
    m = metric(key)
    regions_frame = last_per_group(
        metric_frame(store, key, grain="ytd", by=("region",), start=start, end=end, where=where), ("region",)
    )
    if regions_frame.empty:
        return regions_frame
    out = regions_frame[["region", "value", "n", "moe", "low", "high"]].copy()
    if m.kind is StatKind.MEDIAN:
        rest = _median_rest(store, key, start, end, where, list(out["region"]))
        out["difference"] = out["value"] - rest["rest_value"]
        out["moe_difference"] = np.nan
        # no test for medians in metrics.stats yet: disjoint 95 % intervals is the cautious reading
        out["significant"] = (out["low"] > rest["rest_high"]) | (out["high"] < rest["rest_low"])
    else:
        company = last_per_group(metric_frame(store, key, grain="ytd", start=start, end=end, where=where), ())
        sums = [c for c in (*m.measures, "exposure") if c in regions_frame.columns]
        rest = pd.DataFrame({c: company[c].iloc[0] - regions_frame[c] for c in sums})
        cmp = _compare(m.kind, m.scale, regions_frame, rest)
        out["difference"] = cmp.difference if cmp else np.nan
        out["moe_difference"] = cmp.moe_difference if cmp else np.nan
        out["significant"] = np.asarray(cmp.significant, dtype=bool) if cmp else False
    out["verdict"] = np.where(~out["significant"], "noise", np.where(out["difference"] > 0, "above", "below"))
    out["better"] = np.where(
        out["verdict"] == "noise", np.nan, (out["verdict"] == "above") == m.higher_is_better
    )
    out["target"] = [target_of(r) for r in out["region"]]
    out["vs_target"] = out["value"] - out["target"].astype(float)
    out["small"] = out["n"] < min_n
    bound = "low" if m.higher_is_better else "high"
    out = out.sort_values(["small", bound], ascending=[True, not m.higher_is_better], kind="stable")
    ranks = pd.Series(range(1, len(out) + 1), index=out.index, dtype="Int64")
    out["rank"] = ranks.where(~out["small"])
    return out.reset_index(drop=True)
