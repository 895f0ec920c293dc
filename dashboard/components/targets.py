"""The targets editor's table: metric keys stay editable, their names are shown beside them."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import label
from metrics.definitions import METRICS


def editor_frame(current: pd.DataFrame) -> pd.DataFrame:
    """Targets with each metric's name in the reader's language and an empty region for the company."""
    out = current.copy()
    out["region"] = out["region"].astype(object).where(out["region"].notna(), "")
    out.insert(2, "label", [label(METRICS[k].label) if k in METRICS else "" for k in out["metric"]])
    return out
