"""The import log: what was imported, what was quarantined, and rolling an import back."""

from __future__ import annotations

import json

import pandas as pd

from metrics.access import audit
from metrics.access.caller import Caller
from metrics.access.roles import Action
from metrics.contracts.datasets import dataset
from metrics.errors import AlreadyRolledBack, NoSuchImport, RollbackBlocked
from metrics.ingest.reasons import render_reason
from metrics.semantic import rollups
from metrics.store import Store

IMPORT_COLUMNS = (
    "import_id",
    "dataset",
    "file_name",
    "rows_read",
    "accepted",
    "updated",
    "rejected",
    "skipped",
    "status",
    "demo",
    "started_at",
    "finished_at",
    "encoding",
    "delimiter",
    "sheet",
)


def list_imports(store: Store, *, include_rolled_back: bool = True) -> pd.DataFrame:
    """Every import, newest first."""
    where = "" if include_rolled_back else "WHERE status <> 'rolled_back'"
    with store.cursor() as cur:
        return cur.execute(
            f"SELECT {', '.join(IMPORT_COLUMNS)} FROM imports {where} ORDER BY import_id DESC"
        ).df()


def _text(value: object) -> str | None:
    """A text cell of a frame, None when missing (pandas 3 reads SQL NULL text as NaN)."""
    return value if isinstance(value, str) else None


def rejected_rows(store: Store, import_id: int | None = None, *, lang: str = "en") -> pd.DataFrame:
    """Quarantined rows with their reason as a sentence and the raw record, in file order."""
    params: list[object] = []
    where = ""
    if import_id is not None:
        where = "WHERE r.import_id = ?"
        params.append(import_id)
    with store.cursor() as cur:
        frame = cur.execute(
            "SELECT r.import_id, i.file_name, r.line, r.column_name AS column, r.value, r.reason, "
            "r.detail, r.raw "
            f"FROM rejected_rows r JOIN imports i USING (import_id) {where} ORDER BY r.import_id, "
            "r.line, r.column_name",
            params,
        ).df()
    frame["message"] = [
        render_reason(reason, _text(value), _text(detail), lang)
        for reason, value, detail in zip(frame["reason"], frame["value"], frame["detail"], strict=True)
    ]
    return frame[["import_id", "file_name", "line", "column", "value", "reason", "message", "raw"]]


def rejected_records(store: Store, import_id: int, *, lang: str = "en") -> pd.DataFrame:
    """One row per rejected line with its original cells and the reasons, ready to fix and re-import."""
    problems = rejected_rows(store, import_id, lang=lang)
    records: list[dict[str, object]] = []
    for line, group in problems.groupby("line", sort=True):
        raw = group["raw"].iloc[0]
        try:
            cells = json.loads(raw) if raw and raw.startswith("{") else {"raw": raw}
        except json.JSONDecodeError:
            cells = {"raw": raw}
        reasons = "; ".join(
            f"{c}: {m}" if isinstance(c, str) else str(m)
            for c, m in zip(group["column"], group["message"], strict=True)
        )
        records.append({"line": int(line), **cells, "reasons": reasons})
    return pd.DataFrame.from_records(records)


def rollback(store: Store, import_id: int, caller: Caller | None = None) -> int:
    """Remove an import's rows and restore what it replaced; returns the rows removed.

    `caller` must be allowed to roll back (a demo import: to remove the demo); None is the local admin.
    The roll-back and its line in the audit trail are committed together.
    """
    who = caller or Caller.local()
    with store.transaction() as cur:
        row = cur.execute(
            "SELECT dataset, status, demo, file_name FROM imports WHERE import_id = ?", [import_id]
        ).fetchone()
        if row is None:
            raise NoSuchImport(import_id)
        action = Action.DEMO if row[2] else Action.ROLLBACK
        who.require(action)
        if row[1] == "rolled_back":
            raise AlreadyRolledBack(import_id)
        ds = dataset(row[0])
        later = cur.execute(
            f"SELECT DISTINCT r._replaced_by FROM {ds.replaced_table} r JOIN imports i "
            f"ON i.import_id = r._replaced_by WHERE r._import_id = ? AND i.status <> 'rolled_back' "
            "ORDER BY 1",
            [import_id],
        ).fetchall()
        if later:
            raise RollbackBlocked(import_id, [int(r[0]) for r in later])
        removed = cur.execute(f"DELETE FROM {ds.table} WHERE _import_id = ?", [import_id]).fetchone()
        cols = ", ".join(f'"{c.name}"' for c in ds.columns)
        cur.execute(
            f"INSERT INTO {ds.table} ({cols}, _import_id) SELECT {cols}, _import_id FROM {ds.replaced_table} "
            "WHERE _replaced_by = ?",
            [import_id],
        )
        cur.execute(f"DELETE FROM {ds.replaced_table} WHERE _replaced_by = ?", [import_id])
        # its quarantined raw records may quote customers: they go with the import
        cur.execute("DELETE FROM rejected_rows WHERE import_id = ?", [import_id])
        rollups.rebuild(cur, ds.key)
        cur.execute(
            "UPDATE imports SET status = 'rolled_back', rolled_back_at = current_timestamp WHERE "
            "import_id = ?",
            [import_id],
        )
        rows = int(removed[0]) if removed else 0
        audit.record(cur, who, action, str(row[3]), {"import_id": import_id, "dataset": ds.key, "rows": rows})
    return rows


def demo_import_ids(store: Store) -> list[int]:
    """The kept imports that loaded demo data, newest first (the order a clean-up rolls them back)."""
    with store.cursor() as cur:
        rows = cur.execute(
            "SELECT import_id FROM imports WHERE demo AND status <> 'rolled_back' ORDER BY import_id DESC"
        ).fetchall()
    return [r[0] for r in rows]
