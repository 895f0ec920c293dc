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

    def __post_init__(self) -> None:
        months = self.day.astype("datetime64[M]").astype(np.int64)
        object.__setattr__(self, "month", (months // 12 + 1970) * 100 + months % 12 + 1)

    def _codes(self) -> np.ndarray:
        return self.code.astype(np.int64) * _MONTH_CODE + self.month

    def cells(self) -> set[tuple[Key, int]]:
        """The (team, month) cells that have rows."""
        return {(self.keys[int(c) // _MONTH_CODE], int(c) % _MONTH_CODE) for c in np.unique(self._codes())}

    def days(self, keep: Iterable[tuple[Key, int]]) -> tuple[dict[tuple, _Days], np.ndarray]:
        """The team-days of the cells in `keep` only, per team (`privacy_pools._team_days`)."""
        index = {key: i for i, key in enumerate(self.keys)}
        wanted = np.array([index[k] * _MONTH_CODE + m for k, m in keep if k in index], dtype=np.int64)
        mask = np.isin(self._codes(), wanted)
        return _team_days(self.keys, self.code[mask], self.day[mask], self.agents[mask])


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


def workload_of(rows: pd.DataFrame) -> Workload:
    """Team-day rows (region, site, team, day, agents) as a `Workload`."""
    code = rows.groupby(["region", "site", "team"], dropna=False, sort=False).ngroup().to_numpy()
    keys = list(rows[["region", "site", "team"]].drop_duplicates().itertuples(index=False, name=None))
    day = pd.to_datetime(rows["day"]).to_numpy().astype("datetime64[D]")
    return Workload(keys=keys, code=code.astype(np.int64), day=day, agents=rows["agents"].to_numpy(float))
