"""How long free text is kept: verbatims and quarantined rows go once older than the retention period.

Figures stay: a purge blanks the verbatim columns of old rows (their score still counts) and deletes
the rejected rows of old imports, whose raw records may still quote a customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from metrics import settings
from metrics.contracts.datasets import dataset
from metrics.months import add_months
from metrics.store import Store

RETENTION_ENV = "CX_RETENTION_MONTHS"
DEFAULT_RETENTION_MONTHS = int(settings.number_default(RETENTION_ENV))
# dataset -> its free-text columns: what a customer wrote, the text most likely to name someone
VERBATIMS: Mapping[str, tuple[str, ...]] = {"responses": ("comment",)}


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed."""

    before: dt.date
    verbatims: int
    rejected_rows: int


def retention_months() -> int:
    """`CX_RETENTION_MONTHS` (default 24), checked: a typo must not purge everything."""
    return int(settings.number(RETENTION_ENV))


def cutoff(today: dt.date, months: int) -> dt.date:
    """The same day `months` months before `today` (the last day of a shorter month): 31/05 - 3 -> 28/02."""
    return add_months(today, -months)


def purge(store: Store, before: dt.date) -> PurgeReport:
    """Blank the verbatims dated before `before` and delete the rejected rows of imports made before it."""
    verbatims = 0
    with store.transaction() as cur:
        for key, columns in VERBATIMS.items():
            ds = dataset(key)
            filled = " OR ".join(f'"{c}" IS NOT NULL' for c in columns)  # not user-facing: SQL
            blank = ", ".join(f'"{c}" = NULL' for c in columns)
            for table in (ds.table, ds.replaced_table):
                row = cur.execute(
                    f'UPDATE {table} SET {blank} WHERE "{ds.date_column}" < ? AND ({filled})', [before]
                ).fetchone()
                verbatims += int(row[0]) if row else 0
        row = cur.execute(
            "DELETE FROM rejected_rows "
            "WHERE import_id IN (SELECT import_id FROM imports WHERE started_at < ?)",
            [before],
        ).fetchone()
    return PurgeReport(before=before, verbatims=verbatims, rejected_rows=int(row[0]) if row else 0)
