"""Downloads for people: headers and labels in the reader's language, numbers rounded as shown.

French CSV is what French Excel opens (BOM, `;`, decimal comma); the same table also goes out as `.xlsx`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from dashboard.i18n import current_lang, label, t
from metrics.contracts.datasets import value_label
from metrics.semantic.definitions import METRICS

# raw column -> message key of its header; unknown columns (a file's own headers) keep their name
HEADER_KEYS = {
    "period": "col.period",
    "region": "col.region",
    "site": "col.site",
    "site_type": "col.site_type",
    "segment": "col.segment",
    "channel": "col.channel",
    "journey": "col.journey",
    "kind": "operations.col_kind",
    "contractor": "operations.col_contractor",
    "category": "operations.col_category",
    "team": "workload.col_team",
    "value": "col.value",
    "n": "col.n",
    "moe": "col.moe",
    "low": "export.low",
    "high": "export.high",
    "suppressed": "export.suppressed",
    "metric": "export.metric",
    "rank": "col.rank",
    "target": "col.target",
    "vs_target": "col.vs_target",
    "verdict": "col.vs_company",
    "difference": "export.difference",
    "small": "export.small",
    "better": "export.better",
    "count": "operations.col_count",
    "share_pct": "export.share_pct",
    "cumulative_pct": "export.cumulative_pct",
    "side": "workload.side",
    "start": "export.start",
    "end": "export.end",
    "months": "export.months",
    "year": "targets.col_year",
    "line": "export.line",
    "reasons": "export.reasons",
    "ytd_value": "export.ytd_value",
    "ytd_n": "export.ytd_n",
    "glide": "chart.glide",
}
DIMENSIONS = (
    "region", "site", "site_type", "segment", "channel", "journey", "kind", "contractor", "category"
)
WHOLE = ("n", "count", "rank", "line", "months", "year", "ytd_n")  # counts: no decimals


def _text(col: str, value: object, lang: str) -> object:
    """One cell for people: labels translated, yes/no in words, dates as the locale writes them."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return t("data.yes") if value else t("data.no")
    if col in DIMENSIONS:
        return value_label(col, str(value), lang)
    if col == "verdict" and isinstance(value, str):
        return t(f"cmp.{value}") if f"cmp.{value}" != "cmp.small" else value
    if col == "metric" and value in METRICS:
        return label(METRICS[value].label)
    if col == "side" and value in ("before", "after"):
        return t(f"workload.{value}")
    if isinstance(value, dt.date | pd.Timestamp):
        return value.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    return value


def once_each(label: Callable[[object], object], values: Iterable[object]) -> list[object]:
    """`label(v)` for every value, each distinct value labelled once (every missing one as `label(None)`).

    A workload table at 10M answers holds 29,000 rows but a few months, sites and teams: labelling or
    translating every cell cost seconds.
    """
    codes, uniques = pd.factorize(values if isinstance(values, pd.Series) else pd.Series(list(values)))
    # tolist: Python scalars (a numpy bool is not a bool to `_text`), Timestamps for dates
    labels = np.array([*(label(u) for u in uniques.tolist()), label(None)], dtype=object)
    return list(labels[codes])  # a missing value's code is -1: the trailing label(None)


def people_frame(raw: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """`raw` with translated headers and labels, numbers rounded to the precision shown on screen."""
    lang = current_lang()
    out = pd.DataFrame(index=raw.index)
    for col in raw.columns:
        series = raw[col]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            texts = once_each(lambda v, c=col: _text(c, v, lang), series)
            values = pd.Series(texts, index=raw.index, dtype=object)
        elif col in WHOLE:
            values = series.round(0).astype("Int64")
        else:
            values = series.astype(float).round(decimals)
        out[t(HEADER_KEYS[col]) if col in HEADER_KEYS else str(col)] = values
    return out.reset_index(drop=True)
