"""The workload as the privacy rule reads it: team-days with their agents, and each cell's content.

Numeric columns only (the one shape Spark also returns), and each (region, site, team) numbered once:
at 10M answers the workload has 5M team-days, too many to pass through pandas on a page's first run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from metrics.contracts.datasets import WORKLOAD
from metrics.semantic.privacy_pools import Key, _Days, _team_days

_DATE = '"date"'  # the workload's date column, quoted
_MONTH_CODE = 1_000_000  # a row's cell as one integer: key index * _MONTH_CODE + yyyymm

# each (region, site, team) numbered once, so the team-days come back as three numeric columns: at 10M
# answers the workload has 5M team-days, too many to pass through pandas on a page's first run
_KEYS = (
    'SELECT "region", "site", "team", '
    'CAST(row_number() OVER (ORDER BY "region", "site", "team") - 1 AS BIGINT) AS code '
    f'FROM (SELECT DISTINCT "region", "site", "team" FROM {WORKLOAD.table} WHERE "date" IS NOT NULL)'
)
_TEAM_DAYS = (
    f'WITH k AS ({_KEYS}) SELECT k.code, CAST(w."date" AS TIMESTAMP) AS day, '
    f'CAST(coalesce(sum(w."agents"), 0) AS DOUBLE) AS agents FROM {WORKLOAD.table} w JOIN k '
    'ON w."region" IS NOT DISTINCT FROM k."region" AND w."site" = k."site" AND w."team" = k."team" '
    'WHERE w."date" IS NOT NULL GROUP BY k.code, w."date"'
)


# what each (team, month) cell holds, as one number: a re-import of the same rows keeps it, a rewritten
# or added day changes it (every declared column counts: agents, contacts, hours, evaluations...)
_CONTENTS = (
    f"WITH k AS ({_KEYS}) SELECT k.code, "
    'CAST(year(w."date") * 100 + month(w."date") AS BIGINT) AS month, '
    "CAST(bit_xor(hash({columns})) % 9223372036854775807 AS BIGINT) AS content "
    f"FROM {WORKLOAD.table} w JOIN k "
    'ON w."region" IS NOT DISTINCT FROM k."region" AND w."site" = k."site" AND w."team" = k."team" '
    'WHERE w."date" IS NOT NULL GROUP BY ALL'
).format(columns=", ".join(f'w."{c.name}"' for c in WORKLOAD.columns))


def month_sql(column: str) -> str:
    """A date column's month as the integer the cells are keyed by: 2025-07-14 -> 202507."""
    return f"(year({column}) * 100 + month({column}))"


@dataclass(frozen=True, slots=True)
class Workload:
    """Team-day rows: `keys[code[i]]` had `agents[i]` agents on `day[i]`, in month `month[i]` (yyyymm)."""

    keys: list[Key]
    code: np.ndarray
    day: np.ndarray
    agents: np.ndarray
    contents: Mapping[tuple[Key, int], int] | None = None  # each cell's content digest; None: not known
    month: np.ndarray = field(init=False)
    _codes: np.ndarray = field(init=False, repr=False)  # each row's cell as one integer
    _index: dict[Key, int] = field(init=False, repr=False)  # each key's position in `keys`
    _by_cell: tuple[np.ndarray, np.ndarray] | None = field(init=False, repr=False)  # see `_rows`

    def __post_init__(self) -> None:
        months = self.day.astype("datetime64[M]").astype(np.int64)
        object.__setattr__(self, "month", (months // 12 + 1970) * 100 + months % 12 + 1)
        object.__setattr__(self, "_codes", self.code.astype(np.int64) * _MONTH_CODE + self.month)
        object.__setattr__(self, "_index", {key: i for i, key in enumerate(self.keys)})
        object.__setattr__(self, "_by_cell", None)

    def _wanted(self, keep: Iterable[tuple[Key, int]]) -> np.ndarray:
        return np.array([self._index[k] * _MONTH_CODE + m for k, m in keep if k in self._index], np.int64)

    def cells(self) -> set[tuple[Key, int]]:
        """The (team, month) cells that have rows."""
        return {(self.keys[int(c) // _MONTH_CODE], int(c) % _MONTH_CODE) for c in np.unique(self._codes)}

    def days(self, keep: Iterable[tuple[Key, int]]) -> tuple[dict[tuple, _Days], np.ndarray]:
        """The team-days of the cells in `keep` only, per team (`privacy_pools._team_days`)."""
        mask = np.isin(self._codes, self._wanted(keep))
        return _team_days(self.keys, self.code[mask], self.day[mask], self.agents[mask])

    def _rows(self, keep: Iterable[tuple[Key, int]]) -> np.ndarray:
        """The positions of the rows of the cells in `keep`, in the table's order.

        The rows are sorted by cell once; then each cell's rows are one binary search, so asking about a
        few cells costs their rows, not a pass over every team-day (5M at 10M answers: the import's
        record of the units asked about thousands of groups, each scanning them all).
        """
        if self._by_cell is None:
            order = np.argsort(self._codes, kind="stable")
            object.__setattr__(self, "_by_cell", (order, self._codes[order]))
        order, codes = self._by_cell  # type: ignore[misc]
        wanted = np.unique(self._wanted(keep))
        starts, ends = np.searchsorted(codes, wanted, "left"), np.searchsorted(codes, wanted, "right")
        if not len(wanted):
            return np.zeros(0, np.int64)
        return np.sort(np.concatenate([order[a:b] for a, b in zip(starts, ends, strict=True)]))

    def headcount(self, keep: Iterable[tuple[Key, int]]) -> float:
        """The lowest monthly headcount of the cells in `keep` merged into one unit (inf: no rows).

        Per month, the agent-days of all their rows over the distinct days any of them has rows on:
        `privacy_pools._min_headcount` of their `_union`, from their rows alone.
        """
        rows = self._rows(keep)
        if not len(rows):
            return float("inf")
        days, inverse = np.unique(self.day[rows], return_inverse=True)
        per_day = np.bincount(inverse, weights=np.nan_to_num(self.agents[rows]), minlength=len(days))
        month = days.astype("datetime64[M]")
        starts = np.flatnonzero(np.r_[True, month[1:] != month[:-1]])
        counts = np.diff(np.r_[starts, len(days)])
        return float((np.add.reduceat(per_day, starts) / counts).min())


def read_workload(cur: duckdb.DuckDBPyConnection, *, contents: bool = False) -> Workload:
    """The team-days of the workload table (numeric columns only: the one shape Spark also returns).

    `contents` also digests each cell's rows: only a write needs them (to tell a rewrite, in
    privacy_history.record); a reader publishes what the writer decided and skips that scan.
    """
    keys = [tuple(r[:3]) for r in cur.execute(f"{_KEYS} ORDER BY code").fetchall()]  # not user-facing: SQL
    found = cur.execute(_TEAM_DAYS).df()
    digests = None
    if contents:
        digests = {(keys[int(c)], int(m)): int(h) for c, m, h in cur.execute(_CONTENTS).fetchall()}
    return Workload(
        keys=keys,
        code=found["code"].to_numpy(dtype=np.int64),
        day=pd.to_datetime(found["day"]).to_numpy().astype("datetime64[D]"),
        agents=found["agents"].to_numpy(dtype=float),
        contents=digests,
    )


def read_cells(cur: duckdb.DuckDBPyConnection) -> set[tuple[Key, int]]:
    """The (team, month) cells that have rows, as `read_workload(cur).cells()`, grouped in the database."""
    rows = cur.execute(
        f'SELECT "region", "site", "team", {month_sql(_DATE)} FROM {WORKLOAD.table} '
        'WHERE "date" IS NOT NULL GROUP BY ALL'
    ).fetchall()
    return {((region, site, team), int(m)) for region, site, team, m in rows}


def workload_of(rows: pd.DataFrame) -> Workload:
    """Team-day rows (region, site, team, day, agents) as a `Workload`."""
    code = rows.groupby(["region", "site", "team"], dropna=False, sort=False).ngroup().to_numpy()
    keys = list(rows[["region", "site", "team"]].drop_duplicates().itertuples(index=False, name=None))
    day = pd.to_datetime(rows["day"]).to_numpy().astype("datetime64[D]")
    return Workload(keys=keys, code=code.astype(np.int64), day=day, agents=rows["agents"].to_numpy(float))
