"""Whether a commit has workload units to record: two small reads, without the rule and its pandas.

Every commit records the workload's published units (metrics.semantic.privacy_history), and most
commits (answers, complaints, targets) leave the workload as it was: the record then has nothing to
do. Answering that here, before the rule's modules are imported, spares each such import the 0.3 s of
loading pandas (a 1M-answer import takes 2.3 s from the command line).
"""

from __future__ import annotations

import duckdb

from metrics import settings
from metrics.contracts.datasets import WORKLOAD
from metrics.migrations import data_version

HISTORY = "privacy_history"


def fingerprint(cur: duckdb.DuckDBPyConnection) -> str:
    """What the rule reads of the workload (teams, days, agents, and which import holds each row)."""
    row = cur.execute(
        'SELECT count(*), coalesce(sum(hash("region", "site", "team", "date", "agents", _import_id)), 0) '
        f"FROM {WORKLOAD.table}"
    ).fetchone()
    return f"{row[0]}:{row[1]}" if row else "0:0"


def recorded(cur: duckdb.DuckDBPyConnection, ahead: int) -> tuple[int, dict[int, str]]:
    """The version being committed (data version + `ahead`); each recorded threshold's last fingerprint."""
    last = cur.execute(
        f"SELECT min_agents, arg_max(fingerprint, from_version) FROM {HISTORY} GROUP BY min_agents"
    ).fetchall()
    return data_version(cur) + ahead, dict(last)


def thresholds(last: dict[int, str]) -> list[int]:
    """The threshold in force (`CX_PRIVACY_MIN_AGENTS`) and every threshold recorded before."""
    return sorted({int(settings.number("CX_PRIVACY_MIN_AGENTS")), *last})


def stale(cur: duckdb.DuckDBPyConnection) -> list[int]:
    """The thresholds whose last record did not see the workload as it is now (none: nothing to record)."""
    _version, last = recorded(cur, 0)
    now = fingerprint(cur)
    return [m for m in thresholds(last) if last.get(m) != now]
