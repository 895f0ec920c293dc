"""The audit trail: every change to the database with who made it, in the same transaction as the change.

Rows are only ever added (no code path updates or deletes them), `rebuild` carries them into the new
file, and `python -m metrics audit` and the Data page show them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

import duckdb

from metrics import clock
from metrics.access.caller import Caller
from metrics.access.roles import Action
from metrics.store import Store

if TYPE_CHECKING:  # pandas only for the trail's frame: every import is audited, and pandas is 0.3 s to load
    import pandas as pd

    from metrics.ingest.importing import ImportReport


def record(
    cur: duckdb.DuckDBPyConnection,
    caller: Caller,
    action: Action,
    subject: str,
    detail: Mapping[str, object] | None = None,
) -> None:
    """Add one line to the trail, inside the caller's transaction: the change and its record go together."""
    cur.execute(
        "INSERT INTO audit (happened_at, who, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        [clock.now(), caller.who, str(action), subject, _json(detail)],
    )


def import_action(dataset_key: str, demo: bool) -> Action:
    """The right an import needs: loading the demo, changing targets, or importing data."""
    return Action.DEMO if demo else (Action.TARGETS if dataset_key == "targets" else Action.IMPORT)


def record_import(cur: duckdb.DuckDBPyConnection, who: Caller, report: ImportReport, sha256: str) -> None:
    """An import's line in the trail; a target change lists each target before and after."""
    detail: dict[str, object] = {
        "import_id": report.import_id, "dataset": report.dataset, "file": report.file_name, "sha256": sha256,
        "rows_read": report.rows_read, "accepted": report.accepted, "rejected": report.rejected,
    }  # fmt: skip
    if report.dataset == "targets":
        detail["changes"] = [
            {"year": y, "metric": m, "region": r, "before": b, "after": a}
            for y, m, r, b, a in cur.execute(
                'SELECT n."year", n."metric", n."region", o."target", n."target" FROM ds_targets n '
                'LEFT JOIN replaced_targets o ON o._replaced_by = n._import_id AND o."year" = n."year" '
                'AND o."metric" = n."metric" AND o."region" IS NOT DISTINCT FROM n."region" '
                "WHERE n._import_id = ? ORDER BY 1, 2, 3 NULLS FIRST",
                [report.import_id],
            ).fetchall()
        ]
    record(cur, who, import_action(report.dataset, report.demo), report.file_name, detail)


def entries(store: Store) -> pd.DataFrame:
    """The trail, newest first: happened_at, who, action, subject, detail (JSON text)."""
    with store.cursor() as cur:
        return cur.execute(
            "SELECT happened_at, who, action, subject, detail FROM audit "
            "ORDER BY happened_at DESC, rowid DESC"
        ).df()


def _json(detail: Mapping[str, object] | None) -> str:
    return json.dumps(dict(detail or {}), ensure_ascii=False, default=str)
