"""Metric frames for people at a terminal: rounded as shown, words in French or English, periods named.

CSV and JSON keep full precision for scripts; only the `table` format goes through here.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.dates import format_date

from metrics.contracts.datasets import value_label
from metrics.months import add_months, month_start
from metrics.reports import formatting
from metrics.semantic.records import Metric

HEADERS = {
    "period": {"fr": "période", "en": "period"},
    "value": {"fr": "valeur", "en": "value"},
    "n": {"fr": "n", "en": "n"},
    "moe": {"fr": "± marge", "en": "± moe"},
    "low": {"fr": "borne basse", "en": "low"},
    "high": {"fr": "borne haute", "en": "high"},
    "suppressed": {"fr": "masqué", "en": "suppressed"},
    "ytd_value": {"fr": "cumul", "en": "YTD"},
    "ytd_n": {"fr": "n cumulé", "en": "YTD n"},
    "glide": {"fr": "trajectoire", "en": "glide"},
    "promoters": {"fr": "promoteurs", "en": "promoters"},
    "detractors": {"fr": "détracteurs", "en": "detractors"},
    "successes": {"fr": "succès", "en": "successes"},
    "exposure": {"fr": "exposition", "en": "exposure"},
    "num": {"fr": "numérateur", "en": "numerator"},
    "den": {"fr": "dénominateur", "en": "denominator"},
    "total": {"fr": "somme", "en": "sum"},
    "total_sq": {"fr": "somme des carrés", "en": "sum of squares"},
    "x": {"fr": "valeur", "en": "value"},
    "region": {"fr": "région", "en": "region"},
    "site": {"fr": "site", "en": "site"},
    "site_type": {"fr": "type de site", "en": "site type"},
    "channel": {"fr": "canal", "en": "channel"},
    "segment": {"fr": "segment", "en": "segment"},
    "journey": {"fr": "parcours", "en": "journey"},
    "team": {"fr": "équipe", "en": "team"},
    "kind": {"fr": "type d'intervention", "en": "intervention type"},
    "contractor": {"fr": "prestataire", "en": "contractor"},
    "category": {"fr": "catégorie", "en": "category"},
}
MEASURES = ("value", "moe", "low", "high", "ytd_value", "glide")
COUNTS = ("n", "ytd_n")
PARTIAL = {"fr": " (partiel)", "en": " (partial)"}
QUARTER = {"fr": "T{q} {y}", "en": "Q{q} {y}"}
YTD = {"fr": "cumul à fin {m}", "en": "YTD to end of {m}"}


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
        return YTD[lang].format(m=formatting.month(start, lang))
    if grain == "month":
        text = formatting.month(start, lang)
    elif grain == "quarter":
        text = QUARTER[lang].format(q=(start.month - 1) // 3 + 1, y=start.year)
    elif grain == "year":
        text = str(start.year)
    elif grain == "week":
        text = format_date(start, "'S'w y" if lang == "fr" else "'W'w y", locale=formatting.LOCALES[lang])
    else:
        text = formatting.day(start, lang)
    partial = data_end is not None and grain in ("week", "month", "quarter", "year") and (
        _period_end(start, grain) > data_end
    )
    return text + (PARTIAL[lang] if partial else "")


def _cell(col: str, value: object, m: Metric, lang: str) -> object:
    if col in MEASURES:
        return formatting.number(None if pd.isna(value) else float(value), m.decimals, lang)
    if col in COUNTS:
        return formatting.number(None if pd.isna(value) else float(value), 0, lang)
    if col == "suppressed":
        return {"fr": "oui", "en": "yes"}[lang] if bool(value) else ""
    if isinstance(value, str):
        return value_label(col, value, lang)
    if isinstance(value, float) and not math.isnan(value):  # a measure: sums, counts
        return formatting.number(value, 0 if value.is_integer() else m.decimals, lang)
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def metric_table(
    frame: pd.DataFrame, m: Metric, grain: str, data_end: dt.date | None, lang: str
) -> pd.DataFrame:
    """`frame` with named periods, rounded numbers and localised headers and labels, for the terminal."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        header = HEADERS.get(col, {}).get(lang, col)
        if col == "period":
            out[header] = [period_label(p, grain, data_end, lang) for p in frame[col]]
        else:
            out[header] = [_cell(col, v, m, lang) for v in frame[col]]
    symbol = formatting.unit_symbol(m.unit, lang)
    if symbol:  # say the unit once, in the value's header
        first = HEADERS["value"][lang]
        if first in out.columns:
            out = out.rename(columns={first: f"{first} ({symbol})"})
    return out.reset_index(drop=True)
