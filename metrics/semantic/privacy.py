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
import numpy as np
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


@dataclass(frozen=True, slots=True)
class _Days:
    """A group of team-days on the workload's calendar: agents per day, and the days it has rows on.

    Groups add up (`a + b` is the merged unit), so the threshold of any pool is two numpy sums, not a
    pandas group-by per question (the Workload page's first run spent 20 s in 2,000 of them at 1M).
    """

    agents: np.ndarray
    present: np.ndarray

    def __add__(self, other: _Days) -> _Days:
        return _Days(self.agents + other.agents, self.present | other.present)


def _min_headcount(days: _Days, starts: np.ndarray) -> float:
    """Lowest monthly headcount: per month, agent-days over the distinct days the group has rows on.

    `starts` are the first day of each month on the calendar (for `np.add.reduceat`).
    """
    counts = np.add.reduceat(days.present.astype(np.int64), starts)
    if not counts.any():
        return float("inf")
    sums = np.add.reduceat(days.agents, starts)
    seen = counts > 0
    return float((sums[seen] / counts[seen]).min())


def _union(members: Sequence[_Days]) -> _Days:
    total = members[0]
    for more in members[1:]:
        total = total + more
    return total


def _grow(
    pool: list[str], candidates: list[str], members: Mapping[str, _Days], starts: np.ndarray, min_agents: int
) -> tuple[list[str], bool]:
    """Add the smallest candidates to `pool` until its headcount reaches the threshold in every month."""
    pool, rest = list(pool), sorted(candidates, key=lambda c: (_min_headcount(members[c], starts), c))
    while pool and _min_headcount(_union([members[p] for p in pool]), starts) < min_agents:
        if not rest:
            return pool, False
        pool.append(rest.pop(0))
    return pool, True


def _calendar(rows: pd.DataFrame) -> tuple[dict[tuple, _Days], np.ndarray]:
    """Each raw (region, site, team) of team-day rows as `_Days`, and the months' starts."""
    code = rows.groupby(["region", "site", "team"], dropna=False, sort=False).ngroup().to_numpy()
    keys = list(rows[["region", "site", "team"]].drop_duplicates().itertuples(index=False, name=None))
    day = pd.to_datetime(rows["day"]).to_numpy()
    return _team_days(keys, code, day, rows["agents"].to_numpy(dtype=float))


def _team_days(
    keys: Sequence[tuple], code: np.ndarray, day: np.ndarray, agents: np.ndarray
) -> tuple[dict[tuple, _Days], np.ndarray]:
    """`keys[code[i]]` had `agents[i]` agents on `day[i]`: each key as `_Days` over the distinct days."""
    days, day_index = np.unique(day, return_inverse=True)
    month = days.astype("datetime64[M]")
    starts = np.flatnonzero(np.r_[True, month[1:] != month[:-1]]) if len(days) else np.zeros(0, np.int64)
    agent_days = np.zeros((len(keys), len(days)))
    np.add.at(agent_days, (code, day_index), np.nan_to_num(agents))
    present = np.zeros((len(keys), len(days)), dtype=bool)
    present[code, day_index] = True
    return {tuple(key): _Days(agent_days[i], present[i]) for i, key in enumerate(keys)}, starts


def _ordered(values: Sequence[object]) -> list[object]:
    """Sorted, a missing value last (as pandas' sorted group-by has them)."""
    return sorted(set(values), key=lambda v: (pd.isna(v), "" if pd.isna(v) else str(v)))


def _assign(
    team_days: Mapping[tuple, _Days], starts: np.ndarray, min_agents: int
) -> tuple[dict[tuple, tuple[str, str, str]], bool]:
    """Published (region, site, team) of every raw (region, site, team), level by level."""
    published: dict[tuple, tuple[str, str, str]] = {}
    region_pool: list[object] = []
    region_days: dict[object, _Days] = {}
    region_keys: dict[object, list[tuple]] = {}
    for key in team_days:
        region_keys.setdefault(key[0], []).append(key)
    for region in _ordered(list(region_keys)):
        teams_of: dict[str, dict[str, _Days]] = {}
        for _, site, team in region_keys[region]:
            teams_of.setdefault(site, {})[team] = team_days[(region, site, team)]
        teams_of = {site: dict(sorted(teams_of[site].items())) for site in sorted(teams_of)}
        site_days = {site: _union(list(teams.values())) for site, teams in teams_of.items()}
        region_days[region] = _union(list(site_days.values()))
        small_sites = [s for s, d in site_days.items() if _min_headcount(d, starts) < min_agents]
        pooled_sites, ok = _grow(small_sites, [s for s in site_days if s not in small_sites], site_days,
                                 starts, min_agents)
        if not ok:
            region_pool.append(region)
            continue
        for site, teams in teams_of.items():
            if site in pooled_sites:
                for team in teams:
                    published[(region, site, team)] = (region, other_sites(region), other_sites(region))
                continue
            small = [tm for tm, d in teams.items() if _min_headcount(d, starts) < min_agents]
            merged, _ = _grow(small, [tm for tm in teams if tm not in small], teams, starts, min_agents)
            for team in teams:
                shown = other_teams(site) if team in merged else team
                published[(region, site, team)] = (region, site, shown)
    if region_pool:
        # regions too small on their own: grow the pool with the smallest whole regions
        pool, ok = _grow(
            [str(r) for r in region_pool],
            [str(r) for r in region_days if r not in region_pool],
            {str(r): d for r, d in region_days.items()},
            starts,
            min_agents,
        )
        if not ok:
            return published, False
        for region, keys in region_keys.items():
            if str(region) in pool:
                for key in keys:
                    published[key] = (OTHER_REGIONS, OTHER_REGIONS, OTHER_REGIONS)
    return published, True


def _uniform(values: pd.Series) -> object:
    distinct = values.dropna().unique()
    if values.isna().all():
        return None
    return distinct[0] if len(distinct) == 1 and not values.isna().any() else _MIXED


def build_units(rows: pd.DataFrame, sites: pd.DataFrame, min_agents: int) -> Units:
    """Units from team-day rows (region, site, team, day, agents) and the sites reference."""
    team_days, starts = _calendar(rows)
    return _published(team_days, starts, sites, min_agents)


def _published(
    team_days: Mapping[tuple, _Days], starts: np.ndarray, sites: pd.DataFrame, min_agents: int
) -> Units:
    """The units table: each raw (region, site, team), what it is published as, and its site's labels."""
    published, ok = _assign(team_days, starts, min_agents)
    table = pd.DataFrame(list(team_days), columns=["raw_region", "raw_site", "raw_team"], dtype=object)
    shown = [published.get(k, (_HIDDEN, _HIDDEN, _HIDDEN)) for k in team_days]
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


# each (region, site, team) numbered once, so the team-days come back as three numeric columns: at 10M
# answers the workload has 5M team-days, too many to pass through pandas on a page's first run
_KEYS = (
    'SELECT "region", "site", "team", '
    'CAST(row_number() OVER (ORDER BY "region", "site", "team") - 1 AS BIGINT) AS code '
    f'FROM (SELECT DISTINCT "region", "site", "team" FROM {WORKLOAD.table} WHERE "date" IS NOT NULL)'
)
_TEAM_DAYS = (
    f"WITH k AS ({_KEYS}) SELECT k.code, CAST(w.\"date\" AS TIMESTAMP) AS day, "
    f"CAST(coalesce(sum(w.\"agents\"), 0) AS DOUBLE) AS agents FROM {WORKLOAD.table} w JOIN k "
    'ON w."region" IS NOT DISTINCT FROM k."region" AND w."site" = k."site" AND w."team" = k."team" '
    'WHERE w."date" IS NOT NULL GROUP BY k.code, w."date"'
)


_CACHE: dict[tuple[str, int, int], Units] = {}
_CACHE_LOCK = threading.Lock()


def units(cur: duckdb.DuckDBPyConnection, path: str, min_agents: int) -> Units:
    """The published units of the workload in `cur`'s database, once per data version and threshold."""
    rows = cur.execute("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'").fetchall()
    key = (path, int(rows[0][0]) if rows else 0, min_agents)
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    keys = [r[:3] for r in cur.execute(f"{_KEYS} ORDER BY code").fetchall()]
    # numeric columns only: a cheap frame on DuckDB, and the one result shape the Spark engine offers
    found = cur.execute(_TEAM_DAYS).df()
    day = pd.to_datetime(found["day"]).to_numpy()
    code = found["code"].to_numpy(dtype=np.int64)
    team_days, starts = _team_days(keys, code, day, found["agents"].to_numpy(dtype=float))
    sites = cur.execute(f'SELECT "site", "site_type", "country" FROM {SITES.table}').df()
    got = _published(team_days, starts, sites, min_agents)
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
