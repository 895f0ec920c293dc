"""Downloads for people: headers and labels in the reader's language, numbers rounded as shown.

French CSV is what French Excel opens (BOM, `;`, decimal comma); the same table also goes out as `.xlsx`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from dashboard.i18n import current_lang, translate
from metrics.catalogue import DEFAULT_LANG, N_
from metrics.contracts.datasets import column_label, value_label
from metrics.semantic.definitions import METRICS

# raw column -> message key of its header; a dimension's header is its declared label (Motif), and
# unknown columns (a file's own headers) keep their name
HEADER_KEYS = {
    "period": N_("col.period"),
    "value": N_("col.value"),
    "n": N_("col.n"),
    "moe": N_("col.moe"),
    "low": N_("export.low"),
    "high": N_("export.high"),
    "suppressed": N_("export.suppressed"),
    "metric": N_("export.metric"),
    "rank": N_("col.rank"),
    "target": N_("col.target"),
    "vs_target": N_("col.vs_target"),
    "verdict": N_("col.vs_company"),
    "difference": N_("export.difference"),
    "small": N_("export.small"),
    "better": N_("export.better"),
    "count": N_("operations.col_count"),
    "share_pct": N_("export.share_pct"),
    "cumulative_pct": N_("export.cumulative_pct"),
    "side": N_("workload.side"),
    "start": N_("export.start"),
    "end": N_("export.end"),
    "months": N_("export.months"),
    "year": N_("targets.col_year"),
    "line": N_("export.line"),
    "reasons": N_("export.reasons"),
    "ytd_value": N_("export.ytd_value"),
    "ytd_n": N_("export.ytd_n"),
    "glide": N_("chart.glide"),
}
DIMENSIONS = (
    "region", "site", "site_type", "segment", "channel", "journey", "kind", "contractor", "category", "team"
)
VERDICTS = {"above": N_("cmp.above"), "below": N_("cmp.below"), "noise": N_("cmp.noise")}
SIDES = {"before": N_("workload.before"), "after": N_("workload.after")}
WHOLE = ("n", "count", "rank", "line", "months", "year", "ytd_n")  # counts: no decimals


def _text(col: str, value: object, lang: str) -> object:
    """One cell for people: labels translated, yes/no in words, dates as the locale writes them."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return translate("data.yes", lang) if value else translate("data.no", lang)
    if col in DIMENSIONS:
        return value_label(col, str(value), lang)
    if col == "verdict" and isinstance(value, str):
        return translate(VERDICTS[value], lang) if value in VERDICTS else value
    if col == "metric" and value in METRICS:
        names = METRICS[value].label
        return names.get(lang) or names[DEFAULT_LANG]
    if col == "side" and value in ("before", "after"):
        return translate(SIDES[value], lang)
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


def _header(col: str, lang: str) -> str:
    """A download's column header: the declared label of a dataset column, else the catalogue's word."""
    if col in DIMENSIONS:
        return column_label(col, lang) or col
    return translate(HEADER_KEYS[col], lang) if col in HEADER_KEYS else col


def people_frame(raw: pd.DataFrame, decimals: int = 1, lang: str | None = None) -> pd.DataFrame:
    """`raw` with translated headers and labels, numbers rounded to the precision shown on screen.

    `lang` defaults to the reader's; a download built when its button is clicked passes it, since it
    may run outside the page's run.
    """
    lang = lang or current_lang()
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
        out[_header(str(col), lang)] = values
    return out.reset_index(drop=True)
