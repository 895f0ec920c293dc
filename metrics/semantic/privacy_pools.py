"""The merging rule on one state of the workload: which small teams, sites and regions pool together.

A team is *small* when, in any month it has rows, it averaged fewer agents a day than the threshold.
A site's small teams pool into "autres équipes (S)", grown with the site's smallest other teams until
the pool holds the threshold in every month; a small site goes whole into "autres sites (R)", grown
the same way; a region that cannot reach it goes into "autres régions". `metrics.semantic.privacy_history`
applies this to each data version and joins the result with the units published before (`closure`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.catalogue import DEFAULT_LANG, N_, text

# the published names of merged units are data, stored with each version (privacy_history): one language
OTHER_REGIONS = text(N_("privacy.other_regions"), DEFAULT_LANG)
Key = tuple[object, object, object]  # a raw (region, site, team); the region may be missing
Label = tuple[object, str, str]  # the published (region, site, team)


def other_teams(site: object) -> str:
    """The merged unit of a site's small teams."""
    return text(N_("privacy.other_teams"), DEFAULT_LANG, site=site)


def other_sites(region: object) -> str:
    """The merged unit of a region's small sites (their teams merged too)."""
    key = N_("privacy.other_sites") if region else N_("privacy.other_sites_no_region")
    return text(key, DEFAULT_LANG, region=region)


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
    """`keys[code[i]]` had `agents[i]` agents on `day[i]`: each key with rows as `_Days` over the days."""
    days, day_index = np.unique(day, return_inverse=True)
    month = days.astype("datetime64[M]")
    starts = np.flatnonzero(np.r_[True, month[1:] != month[:-1]]) if len(days) else np.zeros(0, np.int64)
    agent_days = np.zeros((len(keys), len(days)))
    np.add.at(agent_days, (code, day_index), np.nan_to_num(agents))
    present = np.zeros((len(keys), len(days)), dtype=bool)
    present[code, day_index] = True
    seen = np.zeros(len(keys), dtype=bool)
    seen[code] = True
    return {tuple(key): _Days(agent_days[i], present[i]) for i, key in enumerate(keys) if seen[i]}, starts


def _ordered(values: Sequence[object]) -> list[object]:
    """Sorted, a missing value last (as pandas' sorted group-by has them)."""
    return sorted(set(values), key=lambda v: (pd.isna(v), "" if pd.isna(v) else str(v)))


def assign(
    team_days: Mapping[tuple, _Days], starts: np.ndarray, min_agents: int
) -> tuple[dict[tuple, Label], bool]:
    """Published (region, site, team) of every raw (region, site, team), level by level; False: all small."""
    published: dict[tuple, Label] = {}
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
        pooled_sites, ok = _grow(
            small_sites, [s for s in site_days if s not in small_sites], site_days, starts, min_agents
        )
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


def _label(members: list[Key]) -> Label:
    """The published name of a unit, from what it spans: a team, a site's teams, a region's sites, regions."""
    first = members[0]
    if len({k[0] for k in members}) > 1:
        return (OTHER_REGIONS, OTHER_REGIONS, OTHER_REGIONS)
    if len({k[1] for k in members}) > 1:
        return (first[0], other_sites(first[0]), other_sites(first[0]))
    if len(members) > 1:
        return (first[0], str(first[1]), other_teams(first[1]))
    return (first[0], str(first[1]), str(first[2]))


def closure(keys: Iterable[Key], *partitions: Mapping[Key, Label]) -> dict[Key, Label]:
    """The finest units that contain every unit of `partitions` and keep sites and regions whole.

    Teams one partition merges stay merged; a unit spanning two sites takes every team of both, one
    spanning two regions every team of both; two units with the same name are one.
    """
    parent = {k: k for k in keys}

    def find(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(group: Iterable[Key]) -> None:
        roots = {find(k) for k in group}
        if roots:
            first, *rest = sorted(roots, key=str)
            for root in rest:
                parent[root] = first

    def classes() -> dict[Key, list[Key]]:
        out: dict[Key, list[Key]] = defaultdict(list)
        for k in parent:
            out[find(k)].append(k)
        return out

    for part in partitions:
        by_label: dict[Label, list[Key]] = defaultdict(list)
        for k, label in part.items():
            if k in parent:
                by_label[label].append(k)
        for group in by_label.values():
            join(group)
    sites: dict[tuple, list[Key]] = defaultdict(list)
    regions: dict[object, list[Key]] = defaultdict(list)
    for k in parent:
        sites[(k[0], k[1])].append(k)
        regions[k[0]].append(k)
    while True:
        before = len(classes())
        for members in classes().values():
            spanned = {k[0] for k in members}
            if len(spanned) > 1:
                join(k for r in spanned for k in regions[r])
            elif len({k[1] for k in members}) > 1:
                join(k for s in {(k[0], k[1]) for k in members} for k in sites[s])
        named: dict[Label, list[Key]] = defaultdict(list)
        for root, members in classes().items():
            named[_label(members)].append(root)
        for roots in named.values():
            join(roots)
        if len(classes()) == before:
            break
    found = classes()
    return {k: _label(found[find(k)]) for k in parent}
