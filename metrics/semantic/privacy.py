"""Workload figures never single out an employee: small units are merged for good, so no query isolates them.

The rule (docs/privacy.md) is decided per threshold over the whole workload history, never per query:
a team is *small* when, in any month of its history, it averaged fewer agents a day than the
threshold (metrics.semantic.privacy_pools merges small teams, sites and regions into "autres
équipes (S)", "autres sites (R)", "autres régions"). It is not recomputed from scratch at each
import: every commit records the units and the (team, month) cells that count
(metrics.semantic.privacy_history), units only grow and a small team's late months are withheld, so
neither two versions nor a writer's decoy can be differenced to one team. Queries group and filter on
the published units only and join the counted cells only (a filter on a merged member selects the
whole merged unit), so every published figure, at every version, is a sum of whole units.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.catalogue import N_
from metrics.contracts.datasets import SITES
from metrics.errors import UnknownName
from metrics.migrations import data_version
from metrics.months import month_end
from metrics.semantic import privacy_history, privacy_workload
from metrics.semantic.privacy_pools import (  # noqa: F401 - the rule's helpers, re-exported for tests
    OTHER_REGIONS,
    _calendar,
    _min_headcount,
    _union,
    other_sites,
    other_teams,
)
from metrics.semantic.privacy_workload import month_sql  # noqa: F401 - the query layer's join reads it

# dimensions a private metric can be split or filtered by, all read from the published units
UNIT_DIMENSIONS = ("region", "site", "team", "site_type", "country")
# workload is published by whole months: a day or a week of a unit could fall under the threshold
PRIVATE_GRAINS = ("month", "quarter", "year", "ytd", "total")
UNITS_VIEW = "privacy_units"
_MIXED = "(mixte)"
_HIDDEN = "(masqué)"


@dataclass(frozen=True, slots=True)
class Units:
    """The published units: `table` joins each counted (team, month) to its unit; `members` each team.

    `unpublishable` when even the whole company is small: every row is then suppressed.
    """

    table: pd.DataFrame  # raw_region, raw_site, raw_team, month (yyyymm), + UNIT_DIMENSIONS, unit
    unpublishable: bool
    members: pd.DataFrame | None = None  # one row per raw team: what a filter on a member selects


def build_units(rows: pd.DataFrame, sites: pd.DataFrame, min_agents: int) -> Units:
    """Units from team-day rows (region, site, team, day, agents) and the sites reference, with no history."""
    work = privacy_workload.workload_of(rows)
    state = privacy_history.extend(privacy_history.State(), work, min_agents, 0)
    return _published(state, work.cells(), sites)


def _uniform(values: pd.Series) -> object:
    distinct = values.dropna().unique()
    if values.isna().all():
        return None
    return distinct[0] if len(distinct) == 1 and not values.isna().any() else _MIXED


def _published(
    state: privacy_history.State, present: set[tuple[privacy_history.Key, int]], sites: pd.DataFrame
) -> Units:
    """Each raw team's unit and its site's labels, and the cells that count (of those `present`).

    When everything is small, every cell shows, suppressed: the rows exist, their figures are blank.
    """
    cells = present if state.unpublishable else privacy_history.counted(state.cells, present)
    hidden = (_HIDDEN, _HIDDEN, _HIDDEN)
    # in one order whichever road gave the state (recorded, or the rule run again)
    keys = sorted({*state.members, *(k for k, _ in cells)}, key=str)
    shown = [state.members.get(k, hidden) for k in keys]
    members = pd.DataFrame(keys, columns=["raw_region", "raw_site", "raw_team"], dtype=object)
    for i, dim in enumerate(("region", "site", "team")):  # object dtype: an empty workload makes no floats
        members[dim] = pd.Series([s[i] for s in shown], index=members.index, dtype=object)
    members = members.merge(
        sites.rename(columns={"site": "raw_site", "site_type": "raw_site_type", "country": "raw_country"}),
        on="raw_site",
        how="left",
    )
    for dim in ("site_type", "country"):
        members[dim] = members.groupby(["region", "site"], dropna=False)[f"raw_{dim}"].transform(_uniform)
    members["unit"] = members["region"].fillna("") + "\x1f" + members["site"] + "\x1f" + members["team"]
    members = members.reset_index(drop=True)
    row_of = {k: i for i, k in enumerate(keys)}
    ordered = sorted(cells, key=str)
    table = members.iloc[[row_of[k] for k, _ in ordered]].reset_index(drop=True)
    # object columns join fastest; an empty table needs typed columns for DuckDB to join on
    table = table.astype("string" if table.empty else object)
    table.insert(3, "month", pd.Series([m for _, m in ordered], dtype="int64"))
    return Units(table=table, unpublishable=state.unpublishable, members=members)


_CACHE: dict[tuple[str, int, int], Units] = {}
_CACHE_LOCK = threading.Lock()


def units(cur: duckdb.DuckDBPyConnection, path: str, min_agents: int) -> Units:
    """The published units of the workload in `cur`'s database, once per data version and threshold.

    Read from what the writers recorded (metrics.semantic.privacy_history), never from the current
    rows alone, so no two versions can be differenced to one small team.
    """
    version = data_version(cur)
    key = (path, version, min_agents)
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    state = privacy_history.as_recorded(cur, min_agents)
    if state is not None:  # the workload is as the last writer recorded it: its units are final
        present = privacy_workload.read_cells(cur)
    else:
        work = privacy_workload.read_workload(cur)
        state = privacy_history.extend(privacy_history.load(cur, min_agents), work, min_agents, version)
        present = work.cells()
    sites = cur.execute(f'SELECT "site", "site_type", "country" FROM {SITES.table}').df()
    got = _published(state, present, sites)
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
    table = found.members if found.members is not None else found.table
    keep = pd.Series(True, index=table.index)
    for dim, values in filters.items():
        hit = table[dim].isin(values) | table[f"raw_{dim}"].isin(values)
        keep &= table["unit"].isin(table.loc[hit, "unit"])
    return sorted(set(table.loc[keep, "unit"]))


def check_range(key: str, grain: str, start: dt.date | None, end: dt.date | None) -> None:
    """Refuse day and week grains and part-month ranges for private metrics, saying what works instead."""
    if grain not in PRIVATE_GRAINS:
        raise UnknownName(N_("privacy.whole_months"), metric=key, grains=", ".join(PRIVATE_GRAINS))
    if start is not None and start.day != 1:
        raise UnknownName(N_("privacy.start_on_first"), metric=key, first=start.replace(day=1), start=start)
    if end is not None and (end + dt.timedelta(days=1)).day != 1:
        raise UnknownName(N_("privacy.end_on_last"), metric=key, last=month_end(end), end=end)


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
