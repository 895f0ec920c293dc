"""The regional director's view: the league ranked by value, each region against its own target, sites.

Rules decided here, not on the page, so the CLI can print the same table:

- ranked by value (best first), among regions with at least `MIN_N` observations; the Holm-corrected
  verdict against the rest of the company stays beside it (`league`);
- a small sample is flagged: n under `MIN_N` (30), or a 95 % margin over ± `MAX_MOE` (20) for the
  metrics measured in points or percent (an NPS of 35 ± 38 says little). Rates, days and counts are
  flagged on n only: a margin of 20 means nothing common across those units;
- a region's status against its own target: "above" / "below" its target when the target lies outside
  the 95 % interval, "within" when inside it (the gap is not told apart from noise), "none" without
  a target;
- rows whose region is missing ("(non renseigné)") are not a region: they leave the ranking and are
  returned apart in `attrs["missing"]`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from metrics.reports.league import MIN_N, league
from metrics.reports.periods import site_names
from metrics.reports.trajectory import find_target
from metrics.semantic.definitions import Metric, Unit, metric
from metrics.semantic.query import metric_frame
from metrics.store import Store

MAX_MOE = 20.0
MARGIN_UNITS = (Unit.POINTS, Unit.PERCENT)


def small_sample(m: Metric, n: pd.Series, moe: pd.Series, min_n: int = MIN_N) -> pd.Series:
    """True where n < `min_n`, or the margin exceeds ± `MAX_MOE` for a metric in points or percent."""
    wide = moe.astype(float) > MAX_MOE if m.unit in MARGIN_UNITS else pd.Series(False, index=moe.index)
    return (n.astype(float) < min_n) | wide.fillna(False)


def target_status(m: Metric, low: float, high: float, target: float | None) -> str:
    """The region against its own target: above, below (target outside the interval), within, or none."""
    if target is None or pd.isna(target):
        return "none"
    if low <= target <= high:
        return "within"
    above = low > target
    return "above" if above == m.higher_is_better else "below"


def regional_league(
    store: Store,
    key: str,
    start: dt.date,
    end: dt.date,
    where: Mapping[str, Sequence[str]],
    year: int,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """`league` ranked by value, with `flag` (small sample) and `status` against each region's target."""
    m = metric(key)
    out = league(store, key, start, end, where, min_n, lambda region: find_target(store, key, year, region))
    if out.empty:
        out.attrs["missing"] = None
        return out
    known = out["region"].notna() & (out["region"].astype(str).str.strip() != "")
    missing = out[~known]
    out = out[known].copy()
    out["flag"] = small_sample(m, out["n"], out["moe"], min_n)
    out["status"] = [
        target_status(m, lo, hi, tg)
        for lo, hi, tg in zip(out["low"], out["high"], out["target"], strict=True)
    ]
    out = out.sort_values(["small", "value"], ascending=[True, not m.higher_is_better], kind="stable")
    ranks = pd.Series(np.arange(1, len(out) + 1), index=out.index, dtype="Int64")
    out["rank"] = ranks.where(~out["small"])
    out = out.reset_index(drop=True)
    out.attrs["missing"] = None if missing.empty else missing.iloc[0][["value", "n", "moe"]].to_dict()
    return out


def region_sites(
    store: Store,
    key: str,
    start: dt.date,
    end: dt.date,
    region: str,
    where: Mapping[str, Sequence[str]] | None = None,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """`key` for each site of `region` with its name from the sites reference and the small-sample flag."""
    m = metric(key)
    scope = {**{k: list(v) for k, v in (where or {}).items()}, "region": [region]}
    got = metric_frame(store, key, grain="total", by=("site", "site_type"), start=start, end=end, where=scope)
    names = site_names(store)
    got.insert(1, "name", [names.get(str(s), "") if pd.notna(s) else "" for s in got["site"]])
    got["flag"] = small_sample(m, got["n"], got["moe"], min_n)
    got["missing"] = got["site"].isna()  # "(non renseigné)" goes last, not among the sites
    ordered = got.sort_values(["missing", "value"], ascending=[True, not m.higher_is_better], kind="stable")
    return ordered.drop(columns="missing").reset_index(drop=True)
