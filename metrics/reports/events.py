"""Dated annotations (a programme launch, a reorganisation) to mark on charts."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.store import Store


def list_events(store: Store, start: dt.date, end: dt.date, region: str | None = None) -> pd.DataFrame:
    """Events between `start` and `end`: company-wide ones, plus `region`'s own (all when None)."""
    params: list[object] = [start, end]
    scope = ""
    if region is not None:
        scope = 'AND ("region" IS NULL OR "region" = ?)'  # not user-facing: SQL
        params.append(region)
    with store.cursor() as cur:
        return cur.execute(
            f'SELECT "date", "label", "region" FROM ds_events WHERE "date" BETWEEN ? AND ? {scope} '
            'ORDER BY "date"',
            params,
        ).df()
