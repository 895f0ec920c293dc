"""The DuckDB side of a second engine: every dataset and rollup written as Parquet, partitioned by month.

`python -m metrics export DIR` writes `DIR/<table>/part_month=YYYY-MM/*.parquet` for each dataset
with a date (and each rollup), and `DIR/<table>/data.parquet` for the others, so Spark (or Trino,
or any Parquet reader) reads the same rows the DuckDB file holds. The original columns are kept
whole; `part_month` is an extra column that only lays out the files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from metrics.catalogue import N_
from metrics.contracts.datasets import DATASETS
from metrics.errors import CxError
from metrics.semantic import privacy_history, rollups
from metrics.store import Store

PARTITION = "part_month"
META = "meta"  # the data version, which keys the privacy rule's cache


def tables(store: Store) -> dict[str, str | None]:
    """Table -> the date column it is partitioned by (None: one file), for the tables that exist."""
    wanted: dict[str, str | None] = {ds.table: ds.date_column for ds in DATASETS.values()}
    wanted |= {rollups.table_of(k): DATASETS[k].date_column for k in rollups.ROLLED_UP}
    wanted[META] = None
    wanted |= {t: None for t in privacy_history.TABLES}  # the published units, which Spark reads too
    found = store.table_names()
    return {t: d for t, d in wanted.items() if t in found}


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(store: Store, out: Path) -> dict[str, int]:
    """Write every table of `tables()` under `out` (replacing what was there); rows per table."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CxError(N_("engine.export_to_file"), path=str(out))
    counts: dict[str, int] = {}
    with store.cursor() as cur:
        for table, date in tables(store).items():
            target = out / table
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            row = cur.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            counts[table] = int(row[0]) if row else 0
            if date is None or counts[table] == 0:
                # one file, so even an empty table keeps its schema for the reader
                one = _literal(target / "data.parquet")
                cur.execute(f'COPY (SELECT * FROM "{table}") TO {one} (FORMAT parquet)')
                continue
            month = f"coalesce(strftime(date_trunc('month', \"{date}\"), '%Y-%m'), 'none')"
            cur.execute(
                f'COPY (SELECT *, {month} AS {PARTITION} FROM "{table}") TO {_literal(target)} '
                f"(FORMAT parquet, PARTITION_BY ({PARTITION}), OVERWRITE_OR_IGNORE)"
            )
    return counts
