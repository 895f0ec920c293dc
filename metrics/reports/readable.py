"""Metric frames for people at a terminal: rounded as shown, words in French or English, periods named.

CSV and JSON keep full precision for scripts; only the `table` format goes through here.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.dates import format_date

from metrics import catalogue
from metrics.contracts.datasets import column_label, value_label
from metrics.months import add_months, month_start
from metrics.reports import formatting
from metrics.semantic.records import Metric

# a column the metric frames add (not a dataset's) -> message key of its header; a dataset's columns
# (region, site, Motif...) are named by their declarations
HEADERS = {
    "period": catalogue.N_("table.period"),
    "value": catalogue.N_("table.value"),
    "n": catalogue.N_("table.n"),
    "moe": catalogue.N_("table.moe"),
    "low": catalogue.N_("table.low"),
    "high": catalogue.N_("table.high"),
    "suppressed": catalogue.N_("table.suppressed"),
    "ytd_value": catalogue.N_("table.ytd_value"),
    "ytd_n": catalogue.N_("table.ytd_n"),
    "glide": catalogue.N_("table.glide"),
    "promoters": catalogue.N_("table.promoters"),
    "detractors": catalogue.N_("table.detractors"),
    "successes": catalogue.N_("table.successes"),
    "exposure": catalogue.N_("table.exposure"),
    "num": catalogue.N_("table.num"),
    "den": catalogue.N_("table.den"),
    "total": catalogue.N_("table.total"),
    "total_sq": catalogue.N_("table.total_sq"),
    "x": catalogue.N_("table.x"),
}
MEASURES = ("value", "moe", "low", "high", "ytd_value", "glide")
COUNTS = ("n", "ytd_n")


def _period_end(start: dt.date, grain: str) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}.get(grain)
    if months is None:
        return start + dt.timedelta(days=6 if grain == "week" else 0)
    return add_months(month_start(start), months) - dt.timedelta(days=1)


def period_label(period: object, grain: str, data_end: dt.date | None, lang: str) -> str:
    """`T4 2026 (partiel)`, `oct. 2026`, `2025`: a period as people name it, flagged when incomplete."""
    if period is None or (isinstance(period, float) and math.isnan(period)):
        return formatting.MISSING
    start = pd.Timestamp(period).date()
    if grain == "ytd":
        return catalogue.text("table.ytd", lang, m=formatting.month(start, lang))
    if grain == "month":
        text = formatting.month(start, lang)
    elif grain == "quarter":
        text = catalogue.text("table.quarter", lang, q=(start.month - 1) // 3 + 1, y=start.year)
    elif grain == "year":
        text = str(start.year)
    elif grain == "week":
        text = format_date(start, catalogue.text("table.week", lang), locale=formatting.LOCALES[lang])
    else:
        text = formatting.day(start, lang)
    partial = data_end is not None and grain in ("week", "month", "quarter", "year") and (
        _period_end(start, grain) > data_end
    )
    return text + (catalogue.text("table.partial", lang) if partial else "")


def _cell(col: str, value: object, m: Metric, lang: str) -> object:
    if col in MEASURES:
        return formatting.number(None if pd.isna(value) else float(value), m.decimals, lang)
    if col in COUNTS:
        return formatting.number(None if pd.isna(value) else float(value), 0, lang)
    if col == "suppressed":
        return catalogue.text("data.yes", lang) if bool(value) else ""
    if isinstance(value, str):
        return value_label(col, value, lang)
    if isinstance(value, float) and not math.isnan(value):  # a measure: sums, counts
        return formatting.number(value, 0 if value.is_integer() else m.decimals, lang)
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _header(col: str, lang: str) -> str:
    """A column's header in `lang`: the declared label of a dataset column, else the catalogue's word."""
    if col in HEADERS:
        return catalogue.text(HEADERS[col], lang)
    declared = column_label(col, lang)
    return col if declared is None else declared.lower()  # the terminal's headers are lower case


def metric_table(
    frame: pd.DataFrame, m: Metric, grain: str, data_end: dt.date | None, lang: str
) -> pd.DataFrame:
    """`frame` with named periods, rounded numbers and localised headers and labels, for the terminal."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        header = _header(str(col), lang)
        if col == "period":
            out[header] = [period_label(p, grain, data_end, lang) for p in frame[col]]
        else:
            out[header] = [_cell(col, v, m, lang) for v in frame[col]]
    symbol = formatting.unit_symbol(m.unit, lang)
    if symbol:  # say the unit once, in the value's header
        first = _header("value", lang)
        if first in out.columns:
            out = out.rename(columns={first: f"{first} ({symbol})"})
    return out.reset_index(drop=True)
