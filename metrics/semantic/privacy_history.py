"""Published workload units over time: a merged unit never splits, and no late arrival can be differenced.

Two downloads taken at different data versions are two sets of published sums; their difference must
not isolate a small team either. So the units are not recomputed from scratch at each import: the
database records, per threshold and from which data version each holds,

- `privacy_members`: the unit of every raw team. It only grows: each version's units are the
  previous ones joined with what the rule (`privacy_pools.assign`) asks of the current data, and a
  roll-back removes rows, never a membership;
- `privacy_cells`: each (team, month) *cell*, decided once, the first version that has its rows:
  *admitted* when its unit shows that month for the first time (the members' months that came in
  the same commit enter together, as one batch, if they hold the threshold and are not one small
  team alone), or when it is a large team's (a large team may be shown alone anyway); *withheld* for
  good otherwise: a small team's month whose unit already showed that month without it (a
  back-dated newcomer, a decoy, a late file). A batch counts only while all its cells are there (a
  roll-back of part of it withholds the rest); at a version where nothing is published, new cells
  wait for the next one that is, remembering the version they came in;
- `privacy_history`: one line per recorded version (a fingerprint of the workload, so a write that
  does not touch it records nothing, and whether everything is suppressed);
- `privacy_small`: every team that was small at a recorded version. Small is for good: a rewrite or a
  roll-back that removes a team's small month must not let its later months be shown alone.

Every figure of a month is then a sum of whole batches, and once a unit has shown a month, later
versions add to it only a large team's month, alone: no difference of versions equals a small team's
month (docs/privacy.md has the proof).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from metrics.semantic.privacy_pools import (
    Key,
    Label,
    _min_headcount,
    assign,
    closure,
)
from metrics.semantic.privacy_versions import HISTORY, fingerprint, recorded, thresholds
from metrics.semantic.privacy_workload import Workload, read_workload

MEMBERS = "privacy_members"
CELLS = "privacy_cells"
SMALL = "privacy_small"
TABLES = (MEMBERS, CELLS, HISTORY, SMALL)
_RAW = ("raw_region", "raw_site", "raw_team")
_RAW_SQL = ", ".join(f"{c} VARCHAR" for c in _RAW)  # not user-facing: SQL


@dataclass(frozen=True, slots=True)
class Cell:
    """A (team, month) decided once: admitted in `batch`, or withheld from every figure (batch None).

    `admitted` is None while it waits: it came at a version where everything was small, and is decided
    at the next one that publishes, with the cells that came in the same version (`arrived`) only.
    """

    admitted: bool | None
    batch: int | None = None
    arrived: int = 0
    content: int | None = None  # the cell's rows when decided (Workload.contents); None: not recorded


@dataclass(frozen=True, slots=True)
class State:
    """The units of one threshold at one version: memberships, decided cells, and whether all is small.

    `small`: the teams small at this version or any before, whatever their rows say now.
    """

    members: dict[Key, Label] = field(default_factory=dict)
    cells: dict[tuple[Key, int], Cell] = field(default_factory=dict)
    unpublishable: bool = False
    small: frozenset[Key] = frozenset()


def counted(cells: Mapping[tuple[Key, int], Cell], present: set[tuple[Key, int]]) -> set[tuple[Key, int]]:
    """The cells that enter figures: admitted, present, and in a batch none of whose cells is missing."""
    broken = {c.batch for cell, c in cells.items() if c.admitted and cell not in present}
    return {cell for cell, c in cells.items() if c.admitted and cell in present and c.batch not in broken}


def _decide(
    state: State,
    undecided: Mapping[tuple[Key, int], int],
    members: Mapping[Key, Label],
    small: frozenset[Key],
    holds: Callable[[list[tuple[Key, int]]], bool],
) -> dict[tuple[Key, int], Cell]:
    """New cells (-> the version they came in): a unit's month opens with the members that came together.

    Only cells that came in one version (one transaction: one import or one batch of files) open a
    unit's month together, so a writer's file never shares a batch with rows it did not bring; they
    must hold the threshold together (`holds`) and not be one small team alone. Later, only large
    teams' months join, each alone.
    """
    opened = {(members[k], m) for (k, m), c in state.cells.items() if c.admitted}
    batch = max((c.batch or 0 for c in state.cells.values()), default=0) + 1
    groups: dict[tuple[Label, int], dict[int, list[Key]]] = defaultdict(lambda: defaultdict(list))
    for (k, m), arrived in undecided.items():
        groups[(members[k], m)][arrived].append(k)
    out: dict[tuple[Key, int], Cell] = {}
    for (unit, month), arrivals in sorted(groups.items(), key=str):
        for arrived, keys in sorted(arrivals.items()):
            if (unit, month) in opened:
                # the unit already showed this month: a small team's would be the difference of two versions
                for k in sorted(keys, key=str):
                    out[(k, month)] = Cell(False, None, arrived) if k in small else Cell(True, batch, arrived)
                    batch += k not in small
            elif (len(keys) == 1 and keys[0] in small) or not holds([(k, month) for k in keys]):
                out.update({(k, month): Cell(False, None, arrived) for k in keys})
            else:
                out.update({(k, month): Cell(True, batch, arrived) for k in keys})
                opened.add((unit, month))
                batch += 1
    return out


def _rewrites(cells: Mapping[tuple[Key, int], Cell], work: Workload) -> dict[tuple[Key, int], Cell]:
    """The cells once rewritten rows are accounted for: a batch changes whole, or never again.

    A writer who re-imports a published small team's month with figures of their own would otherwise
    move its unit's figure by exactly the old figures minus theirs. A batch whose every cell changed in
    this version (next days of the month for all its teams, a corrected file for all of them) stays:
    the figure then moves by whole batches, each of which holds the threshold. A batch only part of
    which changed is broken: its changed cells are decided again as cells that come now (a small
    team's month is then withheld) and its other cells are withheld for good. A withheld cell stays
    withheld, and a waiting one keeps the version it came in, so it can only open a month with the
    cells that came with it.
    """
    if work.contents is None:
        return dict(cells)
    changed = {
        cell for cell, c in cells.items()
        if c.content is not None and cell in work.contents and work.contents[cell] != c.content
    }  # fmt: skip
    members: dict[int | None, set[tuple[Key, int]]] = defaultdict(set)
    for cell, c in cells.items():
        if c.admitted:
            members[c.batch].add(cell)
    touched = {cells[cell].batch for cell in changed if cells[cell].admitted}
    broken = {b for b in touched if not members[b] <= changed}
    # a withheld cell stays withheld; a waiting one keeps the version it came in (its batch-mates)
    redo = {cell for cell in changed if cells[cell].admitted and cells[cell].batch in broken}
    return {
        cell: Cell(False, None, c.arrived, c.content) if c.admitted and c.batch in broken else c
        for cell, c in cells.items()
        if cell not in redo
    }


def _stamped(state: State, work: Workload) -> State:
    """`state` with each present cell's content as `work` holds it (what a later rewrite is told by)."""
    if work.contents is None:
        return state
    cells = {
        cell: c if work.contents.get(cell, c.content) == c.content
        else Cell(c.admitted, c.batch, c.arrived, work.contents[cell])
        for cell, c in state.cells.items()
    }  # fmt: skip
    return State(state.members, cells, state.unpublishable, state.small)


def extend(state: State, work: Workload, min_agents: int, version: int) -> State:
    """The units once `work` is the workload at `version`, given those recorded before (`state`).

    Idempotent: extending a state with the data it was recorded on changes nothing, so a reader that
    extends what the writer recorded publishes exactly what the writer decided.
    """
    cells = _rewrites(state.cells, work)
    return _stamped(_extend(State(state.members, cells, small=state.small), work, min_agents, version), work)


def _small_now(work: Workload, min_agents: int) -> set[Key]:
    """Teams under the threshold in some month of the rows they have now, withheld ones included."""
    every, calendar = work.days(work.cells())
    return {k for k, d in every.items() if _min_headcount(d, calendar) < min_agents}


def _extend(state: State, work: Workload, min_agents: int, version: int) -> State:
    present = work.cells()
    # a team once under the threshold is small for good: also once a rewrite or a roll-back removed
    # the month that made it small (its real April, alone, would otherwise be admitted as a large team's)
    small = frozenset(state.small | _small_now(work, min_agents))
    undecided = {
        cell: state.cells[cell].arrived if cell in state.cells else version
        for cell in present
        if cell not in state.cells or state.cells[cell].admitted is None
    }
    days, starts = work.days(set(undecided) | counted(state.cells, present))
    fresh, ok = assign(days, starts, min_agents)
    if not ok:
        # nothing is published: the new cells wait, remembering the version they came in
        waiting = {cell: Cell(None, None, arrived) for cell, arrived in undecided.items()}
        return State(state.members, {**state.cells, **waiting}, unpublishable=True, small=small)
    members = closure(set(state.members) | set(days), state.members, fresh)

    def holds(group: list[tuple[Key, int]]) -> bool:
        return work.headcount(group) >= min_agents

    cells = {**state.cells, **_decide(state, undecided, members, small, holds)}
    # what is left out changes the rule's view: grow again until the units hold on what is counted
    while True:
        days, starts = work.days(counted(cells, present))
        fresh, ok = assign(days, starts, min_agents)
        if not ok:
            return State(members, cells, unpublishable=True, small=small)
        grown = closure(members, members, fresh)
        if grown == members:
            return State(members, cells, small=small)
        members = grown


def create(con: duckdb.DuckDBPyConnection) -> None:
    """The tables (metrics.store's migration 5; the later ones are in their current shape already)."""
    con.execute(
        f"CREATE TABLE {MEMBERS} (min_agents INTEGER NOT NULL, {_RAW_SQL}, region VARCHAR, site VARCHAR, "
        "team VARCHAR, from_version BIGINT NOT NULL)"
    )
    con.execute(
        f"CREATE TABLE {CELLS} (min_agents INTEGER NOT NULL, {_RAW_SQL}, month INTEGER NOT NULL, "
        "admitted BOOLEAN, batch BIGINT, arrived BIGINT NOT NULL, from_version BIGINT NOT NULL, "
        "content BIGINT)"
    )
    con.execute(
        f"CREATE TABLE {HISTORY} (min_agents INTEGER NOT NULL, from_version BIGINT NOT NULL, "
        "fingerprint VARCHAR NOT NULL, unpublishable BOOLEAN NOT NULL)"
    )
    create_small(con)


def create_small(con: duckdb.DuckDBPyConnection) -> None:
    """The teams recorded small, per threshold (metrics.store's migration 9), unless it exists."""
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {SMALL} (min_agents INTEGER NOT NULL, {_RAW_SQL}, "
        "from_version BIGINT NOT NULL)"
    )


def load(cur: duckdb.DuckDBPyConnection, min_agents: int) -> State:
    """The state recorded for `min_agents` (empty when none was): each team's latest unit, every cell."""
    members: dict[Key, Label] = {}
    rows = cur.execute(
        f"SELECT {', '.join(_RAW)}, region, site, team FROM {MEMBERS} WHERE min_agents = ? "
        "ORDER BY from_version",
        [min_agents],
    ).fetchall()
    for row in rows:
        members[tuple(row[:3])] = tuple(row[3:])  # type: ignore[assignment]
    # a waiting cell, then its decision: the latest line holds. DuckDB returns the columns' own Python
    # types (bool, int, None), so no cell is converted (215,000 cells at 10M answers: 1.3 s -> 1.1 s)
    cells = {
        ((region, site, team), month): Cell(admitted, batch, arrived, content)
        for region, site, team, month, admitted, batch, arrived, content in cur.execute(
            f"SELECT {', '.join(_RAW)}, month, admitted, batch, arrived, content FROM {CELLS} "
            "WHERE min_agents = ? ORDER BY from_version",
            [min_agents],
        ).fetchall()
    }
    small = cur.execute(f"SELECT {', '.join(_RAW)} FROM {SMALL} WHERE min_agents = ?", [min_agents])
    return State(members, cells, small=frozenset(tuple(r) for r in small.fetchall()))  # type: ignore[arg-type]


def as_recorded(cur: duckdb.DuckDBPyConnection, min_agents: int) -> State | None:
    """The recorded state of `min_agents` when the workload is as its last record saw it, else None.

    `extend` is idempotent, so extending that state with the rows it was recorded on would give it
    back: a reader skips the whole rule (10 s of the Workload page's first run at 10M answers) and
    publishes what the writer decided. None when nothing is recorded for the threshold or the rows
    changed since (a database from before the record, a threshold no writer has used yet).
    """
    row = cur.execute(
        f"SELECT arg_max(fingerprint, from_version), arg_max(unpublishable, from_version) FROM {HISTORY} "
        "WHERE min_agents = ?",
        [min_agents],
    ).fetchone()
    if not row or row[0] is None or row[0] != fingerprint(cur):
        return None
    state = load(cur, min_agents)
    return State(state.members, state.cells, unpublishable=bool(row[1]), small=state.small)


def _insert(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert `frame`'s rows by column name."""
    if frame.empty:
        return
    cur.register("privacy_new_rows", frame)
    try:
        cols = ", ".join(frame.columns)
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM privacy_new_rows")
    finally:
        cur.unregister("privacy_new_rows")


def record(cur: duckdb.DuckDBPyConnection, *, ahead: int = 1) -> None:
    """Record the units of the version being committed (data version + `ahead`), inside its transaction.

    For the threshold in force (`CX_PRIVACY_MIN_AGENTS`) and every threshold recorded before; nothing
    when the workload is as it was at the last recorded version.
    """
    version, last = recorded(cur, ahead)
    now = fingerprint(cur)
    work: Workload | None = None
    for min_agents in thresholds(last):
        if last.get(min_agents) != now:
            work = work or read_workload(cur, contents=True)
            before = load(cur, min_agents)
            _save(cur, min_agents, version, before, extend(before, work, min_agents, version), now)


def record_small(cur: duckdb.DuckDBPyConnection) -> None:
    """Record the teams small in the current rows for every recorded threshold (migration 9's seed).

    A database recorded before `privacy_small` existed knows only the rows it holds now: the next
    write could rewrite a small month before any version recorded it.
    """
    version, last = recorded(cur, 0)
    if not last:
        return
    work = read_workload(cur)
    for min_agents in sorted(last):
        before = load(cur, min_agents)
        _save_small(cur, min_agents, version, _small_now(work, min_agents) - before.small)


def _save_small(cur: duckdb.DuckDBPyConnection, min_agents: int, version: int, teams: Iterable[Key]) -> None:
    """Teams newly small, as rows that hold from `version` on (none is ever removed: small for good)."""
    _insert(
        cur,
        SMALL,
        pd.DataFrame(
            [(min_agents, *k, version) for k in sorted(teams, key=str)],
            columns=["min_agents", *_RAW, "from_version"],
            dtype=object,
        ),
    )


def _save(
    cur: duckdb.DuckDBPyConnection,
    min_agents: int,
    version: int,
    before: State,
    after: State,
    seen: str,
) -> None:
    """What changed from `before` to `after`, as rows that hold from `version` on."""
    changed = [(k, label) for k, label in after.members.items() if before.members.get(k) != label]
    _insert(
        cur,
        MEMBERS,
        pd.DataFrame(
            [(min_agents, *k, *label, version) for k, label in changed],
            columns=["min_agents", *_RAW, "region", "site", "team", "from_version"],
            dtype=object,
        ),
    )
    new = [(cell, c) for cell, c in after.cells.items() if before.cells.get(cell) != c]
    _insert(
        cur,
        CELLS,
        pd.DataFrame(
            [(min_agents, *k, m, c.admitted, c.batch, c.arrived, version, c.content) for (k, m), c in new],
            columns=["min_agents", *_RAW, "month", "admitted", "batch", "arrived", "from_version", "content"],
            dtype=object,
        ),
    )
    _save_small(cur, min_agents, version, after.small - before.small)
    cur.execute(
        f"INSERT INTO {HISTORY} (min_agents, from_version, fingerprint, unpublishable) VALUES (?, ?, ?, ?)",
        [min_agents, version, seen, after.unpublishable],
    )
