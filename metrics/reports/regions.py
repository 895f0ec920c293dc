"""The regional director's view: the league ranked by value, each region against its own target, sites.

Rules decided here, not on the page, so the CLI can print the same table:

- ranked by value (best first), among regions with at least `MIN_N` observations (`verdict.rank_regions`,
  the board pack's order too); the Holm-corrected verdict against the rest of the company stays beside
  it (`league`);
- a small sample is flagged: n under `MIN_N` (30), or a 95 % margin over ± `MAX_MOE` (20) for the
  metrics measured in points or percent (an NPS of 35 ± 38 says little). Rates, days and counts are
  flagged on n only: a margin of 20 means nothing common across those units;
- a region's status is its verdict for the year against its own target, the one the Trajectory page,
  the CLI and the board pack show (`verdict.decide`, on the region's whole year: other filters narrow
  the values, not the target);
- rows whose region is missing ("(non renseigné)") are not a region: they leave the ranking and are
  returned apart in `attrs["missing"]`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from metrics.reports.league import MIN_N, league, store_for_league
from metrics.reports.periods import site_names
from metrics.reports.trajectory import target_in, targets_of, trajectory
from metrics.reports.verdict import rank_regions, verdict
from metrics.semantic.definitions import Metric, Unit
from metrics.semantic.query import metric_frame
from metrics.store import Store

MAX_MOE = 20.0
MARGIN_UNITS = (Unit.POINTS, Unit.PERCENT)


def small_sample(m: Metric, n: pd.Series, moe: pd.Series, min_n: int = MIN_N) -> pd.Series:
    """True where n < `min_n`, or the margin exceeds ± `MAX_MOE` for a metric in points or percent."""
    wide = moe.astype(float) > MAX_MOE if m.unit in MARGIN_UNITS else pd.Series(False, index=moe.index)
    return (n.astype(float) < min_n) | wide.fillna(False)


def regional_league(
    store: Store,
    m: Metric,
    start: dt.date,
    end: dt.date,
    where: Mapping[str, Sequence[str]],
    year: int,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """`league` ranked by value, with `flag` (small sample) and each region's `status` for the year."""
    targets = targets_of(store, m, year)  # one read for every region's target and status
    out = league(store, m, start, end, where, min_n, lambda region: target_in(targets, region))
    if out.empty:
        out.attrs["missing"] = None
        return out
    known = out["region"].notna() & (out["region"].astype(str).str.strip() != "")
    missing = out[~known]
    out = out[known].copy()
    out["flag"] = small_sample(m, out["n"], out["moe"], min_n)
    source = store_for_league(store, where)  # the store the league's own figures came from
    out["status"] = [
        verdict(source, trajectory(source, m, year=year, as_of=end, region=str(r), targets=targets)).status
        for r in out["region"]
    ]
    out = rank_regions(m, out)
    out.attrs["missing"] = None if missing.empty else missing.iloc[0][["value", "n", "moe"]].to_dict()
    return out


def region_sites(
    store: Store,
    m: Metric,
    start: dt.date,
    end: dt.date,
    region: str,
    where: Mapping[str, Sequence[str]] | None = None,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """`m` for each site of `region` with its name from the sites reference and the small-sample flag."""
    scope = {**{k: list(v) for k, v in (where or {}).items()}, "region": [region]}
    got = metric_frame(store, m, grain="total", by=("site", "site_type"), start=start, end=end, where=scope)
    names = site_names(store)
    got.insert(1, "name", [names.get(str(s), "") if pd.notna(s) else "" for s in got["site"]])
    got["flag"] = small_sample(m, got["n"], got["moe"], min_n)
    got["missing"] = got["site"].isna()  # "(non renseigné)" goes last, not among the sites
    ordered = got.sort_values(["missing", "value"], ascending=[True, not m.higher_is_better], kind="stable")
    return ordered.drop(columns="missing").reset_index(drop=True)
