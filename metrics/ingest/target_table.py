"""Annual targets as a table to view and edit; saving goes through the import (same rules, roll-back)."""

from __future__ import annotations

import csv
import math
import tempfile
from pathlib import Path

import pandas as pd

from metrics import clock
from metrics.access.caller import Caller
from metrics.catalogue import N_, text
from metrics.errors import AlreadyImported, ImportRefused
from metrics.ingest.importing import ImportReport, import_file
from metrics.ingest.options import ImportOptions
from metrics.store import Store

COLUMNS = ("year", "metric", "target", "region")


def list_targets(store: Store, year: int | None = None) -> pd.DataFrame:
    """Current targets (region empty = whole company), by year, metric and region."""
    where, params = ('WHERE "year" = ?', [year]) if year is not None else ("", [])
    with store.cursor() as cur:
        return cur.execute(
            f'SELECT "year", "metric", "target", "region" FROM ds_targets {where} '
            'ORDER BY "year", "metric", "region" NULLS FIRST',
            params,
        ).df()


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def save_targets(store: Store, frame: pd.DataFrame, caller: Caller | None = None) -> ImportReport:
    """Import the edited rows as a targets file: same checks as any import, listed and reversible.

    Rows whose (year, metric, region) exists replace the old target; rejected rows come back in the
    report with their reasons, exactly as for a file. An unchanged table is refused with a sentence.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ImportRefused(N_("refused.targets_columns"), columns=", ".join(missing))
    stamp = clock.now().strftime("%Y-%m-%d %H:%M:%S")
    with tempfile.TemporaryDirectory(prefix="cx-targets-") as work:
        path = Path(work) / "targets.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(COLUMNS)
            for row in frame[list(COLUMNS)].itertuples(index=False):
                writer.writerow([_cell(v) for v in row])
        try:
            # an on-screen table keeps its good rows and shows each bad one: no whole-table refusal
            return import_file(
                store,
                "targets",
                path,
                options=ImportOptions(max_rejected=100.0),
                file_name=text(N_("targets.edited_file"), "en", stamp=stamp),
                caller=caller,  # the change and its before/after values go to the audit trail
            )
        except AlreadyImported:
            raise ImportRefused(N_("targets.no_change")) from None
