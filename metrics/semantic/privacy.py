"""Workload figures never single out an employee: small units are merged for good, so no query isolates them.

The rule (docs/privacy.md) is decided once per database version and threshold, over the whole
workload history, not per query: a team is *small* when, in any month of its history, it averaged
fewer agents a day than the threshold. Every small team is recoded, in every period, into a stable
merged unit one level up ("autres équipes (S)" inside its site); if that merged unit is itself small
in some month, the smallest other teams of the site join it until it is not. A site that is small as
a whole goes, with all its teams, into "autres sites (R)" of its region, which grows the same way,
and a region that cannot reach the threshold goes into "autres régions". Queries group and filter
on the published units only (a filter on a merged member selects the whole merged unit), so every
published figure is a sum over whole units, each of which holds at least the threshold in every
month: no grain, split, filter or difference of queries can isolate a small team.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.contracts.datasets import SITES, WORKLOAD
from metrics.errors import UnknownName
from metrics.months import month_end

# dimensions a private metric can be split or filtered by, all read from the published units
UNIT_DIMENSIONS = ("region", "site", "team", "site_type", "country")
# workload is published by whole months: a day or a week of a unit could fall under the threshold
PRIVATE_GRAINS = ("month", "quarter", "year", "ytd", "total")
UNITS_VIEW = "privacy_units"
_MIXED = "(mixte)"
_HIDDEN = "(masqué)"


def other_teams(site: str) -> str:
    """The merged unit of a site's small teams."""
    return f"autres équipes ({site})"


def other_sites(region: str | None) -> str:
    """The merged unit of a region's small sites (their teams merged too)."""
    return f"autres sites ({region or 'non renseignée'})"


OTHER_REGIONS = "autres régions"


@dataclass(frozen=True, slots=True)
class Units:
    """Raw (region, site, team) -> published unit; `unpublishable` when even the whole company is small."""

    table: pd.DataFrame  # raw_region, raw_site, raw_team, raw_site_type, raw_country, unit, + UNIT_DIMENSIONS
    unpublishable: bool


def _min_headcount(days: pd.DataFrame) -> float:
    """Lowest monthly headcount of a group of team-days: agent-days / distinct days, per month."""
    if days.empty:
        return float("inf")
    per_day = days.groupby(["month", "day"], sort=False)["agents"].sum()
    per_month = per_day.groupby(level="month").mean()
    return float(per_month.min())


def _grow(
    pool: list[str], candidates: list[str], members: Mapping[str, pd.DataFrame], min_agents: int
) -> tuple[list[str], bool]:
    """Add the smallest candidates to `pool` until its headcount reaches the threshold in every month."""
    pool, rest = list(pool), sorted(candidates, key=lambda c: (_min_headcount(members[c]), c))
    while pool and _min_headcount(pd.concat([members[p] for p in pool])) < min_agents:
        if not rest:
            return pool, False
        pool.append(rest.pop(0))
    return pool, True


def _assign(rows: pd.DataFrame, min_agents: int) -> tuple[dict[tuple, tuple[str, str, str]], bool]:
    """Published (region, site, team) of every raw (region, site, team), level by level."""
    published: dict[tuple, tuple[str, str, str]] = {}
    region_pool: list[object] = []
    region_rows: dict[object, pd.DataFrame] = {}
    for region, in_region in rows.groupby("region", dropna=False, sort=True):
        region_rows[region] = in_region
        site_rows = {s: g for s, g in in_region.groupby("site", sort=True)}
        small_sites = [s for s, g in site_rows.items() if _min_headcount(g) < min_agents]
        pooled_sites, ok = _grow(small_sites, [s for s in site_rows if s not in small_sites], site_rows,
                                 min_agents)
        if not ok:
            region_pool.append(region)
            continue
        for site, in_site in site_rows.items():
            teams = {tm: g for tm, g in in_site.groupby("team", sort=True)}
            if site in pooled_sites:
                for team in teams:
                    published[(region, site, team)] = (region, other_sites(region), other_sites(region))
                continue
            small = [tm for tm, g in teams.items() if _min_headcount(g) < min_agents]
            merged, _ = _grow(small, [tm for tm in teams if tm not in small], teams, min_agents)
            for team in teams:
                shown = other_teams(site) if team in merged else team
                published[(region, site, team)] = (region, site, shown)
    if region_pool:
        # regions too small on their own: grow the pool with the smallest whole regions
        pool, ok = _grow(
            [str(r) for r in region_pool],
            [str(r) for r in region_rows if r not in region_pool],
            {str(r): g for r, g in region_rows.items()},
            min_agents,
        )
        if not ok:
            return published, False
        for region, g in region_rows.items():
            if str(region) in pool:
                for key in g[["region", "site", "team"]].drop_duplicates().itertuples(index=False):
                    published[tuple(key)] = (OTHER_REGIONS, OTHER_REGIONS, OTHER_REGIONS)
    return published, True


def _uniform(values: pd.Series) -> object:
    distinct = values.dropna().unique()
    if values.isna().all():
        return None
    return distinct[0] if len(distinct) == 1 and not values.isna().any() else _MIXED


def build_units(rows: pd.DataFrame, sites: pd.DataFrame, min_agents: int) -> Units:
    """Units from team-day rows (region, site, team, day, agents) and the sites reference."""
    rows = rows.assign(month=pd.to_datetime(rows["day"]).dt.to_period("M"))
    published, ok = _assign(rows, min_agents)
    keys = rows[["region", "site", "team"]].drop_duplicates()
    table = keys.rename(columns={"region": "raw_region", "site": "raw_site", "team": "raw_team"})
    shown = [published.get(k, (_HIDDEN, _HIDDEN, _HIDDEN)) for k in keys.itertuples(index=False)]
    for i, dim in enumerate(("region", "site", "team")):  # object dtype: an empty workload makes no floats
        table[dim] = pd.Series([s[i] for s in shown], index=table.index, dtype=object)
    table = table.merge(
        sites.rename(columns={"site": "raw_site", "site_type": "raw_site_type", "country": "raw_country"}),
        on="raw_site",
        how="left",
    )
    for dim in ("site_type", "country"):
        table[dim] = table.groupby(["region", "site"], dropna=False)[f"raw_{dim}"].transform(_uniform)
    table["unit"] = table["region"].fillna("") + "\x1f" + table["site"] + "\x1f" + table["team"]
    # object columns join fastest; an empty table needs typed columns for DuckDB to join on
    table = table.reset_index(drop=True).astype("string" if table.empty else object)
    return Units(table=table, unpublishable=not ok)


_CACHE: dict[tuple[str, int, int], Units] = {}
_CACHE_LOCK = threading.Lock()


def units(cur: duckdb.DuckDBPyConnection, path: str, min_agents: int) -> Units:
    """The published units of the workload in `cur`'s database, once per data version and threshold."""
    rows = cur.execute("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'").fetchall()
    key = (path, int(rows[0][0]) if rows else 0, min_agents)
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    rows = cur.execute(
        f'SELECT "region", "site", "team", "date" AS day, sum("agents") AS agents FROM {WORKLOAD.table} '
        'WHERE "date" IS NOT NULL GROUP BY ALL'
    ).df()
    sites = cur.execute(f'SELECT "site", "site_type", "country" FROM {SITES.table}').df()
    got = build_units(rows, sites, min_agents)
    with _CACHE_LOCK:
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[key] = got
    return got


def selected_units(found: Units, where: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Units a filter selects: a value matches a unit's published label or any of its raw members'.

    None when nothing is filtered. Filtering on a merged member selects the whole merged unit, so a
    filter can never cut a unit in two.
    """
    filters = {dim: list(values) for dim, values in where.items() if values}
    if not filters:
        return None
    table = found.table
    keep = pd.Series(True, index=table.index)
    for dim, values in filters.items():
        hit = table[dim].isin(values) | table[f"raw_{dim}"].isin(values)
        keep &= table["unit"].isin(table.loc[hit, "unit"])
    return sorted(set(table.loc[keep, "unit"]))


def check_range(key: str, grain: str, start: dt.date | None, end: dt.date | None) -> None:
    """Refuse day and week grains and part-month ranges for private metrics, saying what works instead."""
    if grain not in PRIVATE_GRAINS:
        raise UnknownName(
            f"{key} is published by whole months only (privacy: a day or a week of a team can fall under "
            f"the threshold); use one of: {', '.join(PRIVATE_GRAINS)}"
        )
    if start is not None and start.day != 1:
        raise UnknownName(
            f"{key} is published by whole months only: start the range on the 1st "
            f"(e.g. {start.replace(day=1).isoformat()}), not on {start.isoformat()}"
        )
    if end is not None and (end + dt.timedelta(days=1)).day != 1:
        raise UnknownName(
            f"{key} is published by whole months only: end the range on the last day of a month "
            f"(e.g. {month_end(end).isoformat()}), not on {end.isoformat()}"
        )


def suppress_unpublishable(
    frame: pd.DataFrame, found: Units, min_agents: int, hidden: Sequence[str]
) -> pd.DataFrame:
    """Blank `hidden` columns of rows under the threshold: by construction only when everything is small."""
    frame = frame.copy()
    headcount = frame["agent_days"] / frame["days"].where(frame["days"] > 0)
    frame["suppressed"] = ((headcount < min_agents).fillna(True) | found.unpublishable).to_numpy()
    if not frame["suppressed"].any():
        return frame.drop(columns=["agent_days", "days"])
    for col in hidden:
        if col in frame.columns:
            frame[col] = frame[col].astype("float64")
            frame.loc[frame["suppressed"], col] = float("nan")
    return frame.drop(columns=["agent_days", "days"])
