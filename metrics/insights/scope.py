"""The query pieces the insights share: NPS sums and one frame read (period and list filters: fragments).

Values are always `?` parameters; identifiers come from the declarations.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from metrics.semantic.records import Metric
from metrics.store import Store


def nps_sums(nps: Metric) -> str:
    """SELECT items: the promoters and detractors of the NPS metric's answers, summed."""
    return f"sum({nps.measures['promoters']}) AS promoters, sum({nps.measures['detractors']}) AS detractors"


def read(store: Store, sql: str, params: Sequence[object]) -> pd.DataFrame:
    """The rows of one bound query, on a cursor of its own."""
    with store.cursor() as cur:
        return cur.execute(sql, list(params)).df()
