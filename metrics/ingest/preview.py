"""What an import would do before it runs: which existing rows the file's keys would update.

An import replaces the current row of every key it brings (a site, a target, an answer id). A file
mistaken for reference data can silently overwrite good rows, so the Data page shows these keys
and asks the user to confirm first. The keys are typed by the same SQL the import uses.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from metrics.contracts.datasets import dataset
from metrics.ingest.mapping import header_score, resolve
from metrics.ingest.parsing import trimmed, value_expr
from metrics.ingest.sources import prepare
from metrics.store import Store

SHOWN_KEYS = 10


@dataclass(frozen=True, slots=True)
class Plan:
    """The existing rows an import of this file into this dataset would replace."""

    dataset: str
    updates: int  # existing rows whose key the file brings again
    examples: tuple[str, ...]  # the first keys, as "IDF-BTQ01" or "2026 · nps · Bretagne"


def plan_import(
    store: Store, dataset_key: str, path: Path, mapping: Mapping[str, str] | None = None
) -> Plan:
    """Count the rows of `dataset_key` the file would update; raises ImportRefused as the import would."""
    ds = dataset(dataset_key)
    with tempfile.TemporaryDirectory(prefix="cx-plan-") as work:
        src = prepare(path, Path(work), header_score(ds))
        try:
            cmap = resolve(ds, src.headers, mapping, file_name=src.name)
            keys = [ds.column(k) for k in ds.key_columns if k in cmap.positions]
            if not keys:
                return Plan(ds.key, 0, ())
            columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(src.headers))) + "}"
            typed, params = [], []
            for i, col in enumerate(keys):
                frag = value_expr(col, trimmed(f"c{cmap.positions[col.name]}"))
                typed.append(f"{frag.sql} AS k{i}")
                params += frag.params
            match = " AND ".join(f'f.k{i} IS NOT DISTINCT FROM t."{c.name}"' for i, c in enumerate(keys))
            shown = " || ' · ' || ".join(f"coalesce(CAST(f.k{i} AS VARCHAR), '–')" for i in range(len(keys)))
            sql = (
                f"-- import plan: {ds.key}\n"
                f"WITH f AS (SELECT DISTINCT {', '.join(typed)} FROM read_csv(?, delim = ?, quote = '\"', "
                f"escape = '\"', header = false, skip = ?, columns = {columns}, auto_detect = false, "
                "ignore_errors = true, null_padding = true, max_line_size = 10000000)) "
                f"SELECT {shown} AS shown FROM f JOIN {ds.table} t ON {match} ORDER BY shown"
            )
            with store.cursor() as cur:
                rows = cur.execute(sql, [*params, str(src.path), src.delimiter, src.header_line]).fetchall()
        finally:
            src.cleanup()
    return Plan(ds.key, len(rows), tuple(r[0] for r in rows[:SHOWN_KEYS]))
