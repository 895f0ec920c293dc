"""The `imports` table's row for one import, written by column name.

Two writers (the import pipeline and the demo's direct load) inserted into `imports` by position
(18 values): adding a column (as migration 3 did, `options`) silently shifted them.
Naming each column makes such a change a loud error at the one place that lists them.
"""

from __future__ import annotations

import duckdb

# every column an import states; `rolled_back_at` is set later, by a roll-back
COLUMNS = (
    "import_id", "dataset", "file_name", "sha256", "encoding", "delimiter", "sheet", "mapping",
    "rows_read", "accepted", "updated", "rejected", "skipped", "started_at", "finished_at", "status", "demo",
    "options",
)  # fmt: skip


def insert_import(cur: duckdb.DuckDBPyConnection, **row: object) -> None:
    """Add the import's row; every column of COLUMNS must be given, and no other."""
    if set(row) != set(COLUMNS):
        missing, unknown = sorted(set(COLUMNS) - set(row)), sorted(set(row) - set(COLUMNS))
        raise ValueError(f"imports row: missing {missing}, unknown {unknown}")  # not user-facing: a bug
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    marks = ", ".join("?" for _ in COLUMNS)
    cur.execute(f"INSERT INTO imports ({names}) VALUES ({marks})", [row[c] for c in COLUMNS])
