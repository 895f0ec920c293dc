"""Notes a figure carries when it rests on an assumption the reader should know of.

A complaint rate whose customer base is missing for some months carries the region's last known base
forward (metrics.semantic.query_kinds.rate_sql) rather than dropping those months' complaints: the
figure says so, with the share of the base so carried.
"""

from __future__ import annotations

import pandas as pd

from metrics import catalogue
from metrics.reports import formatting


def carried_share(frame: pd.DataFrame) -> float:
    """The share (0-1) of the rows' customer exposure carried from an earlier month; 0 without any."""
    if frame.empty or "carried" not in frame.columns or "exposure" not in frame.columns:
        return 0.0
    exposure = float(frame["exposure"].sum())
    return float(frame["carried"].sum()) / exposure if exposure > 0 else 0.0


def carried_base(share: float, lang: str) -> str | None:
    """The note "customer base missing for some months: ... carried forward (12 % of the base)", or None."""
    if not share > 0:
        return None
    decimals = 0 if share >= 0.01 else 1  # 0,4 %, never "0 %" of a base that was carried
    return catalogue.text("note.base_carried", lang, share=formatting.percent(100 * share, decimals, lang))
