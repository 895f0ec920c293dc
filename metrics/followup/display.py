"""The follow-up figures in the words and numbers of one language: CLI table, pages and board pack alike.

One function per table, so the three surfaces name and format each figure alike. Columns that the
datasets declare (region, site, score, comment) take their declared label.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from metrics import catalogue
from metrics.catalogue import N_
from metrics.contracts.datasets import column_label
from metrics.followup import stats
from metrics.followup.queue import Reader
from metrics.reports import formatting

DECLARED = ("region", "site", "score", "comment")
# words read through a variable, each marked with N_ so the catalogue's extraction sees it
COLUMN_WORDS = {
    "source": N_("followups.col.source"),
    "source_id": N_("followups.col.source_id"),
    "happened_at": N_("followups.col.happened_at"),
    "owner": N_("followups.col.owner"),
    "status": N_("followups.col.status"),
    "outcome": N_("followups.col.outcome"),
    "due_at": N_("followups.col.due_at"),
    "overdue": N_("followups.col.overdue"),
    "closed_at": N_("followups.col.closed_at"),
    "cases": N_("followups.col.cases"),
    "closed": N_("followups.col.closed"),
    "close_rate": N_("followups.col.close_rate"),
    "on_time": N_("followups.col.on_time"),
    "hours": N_("followups.col.hours"),
    "interval": N_("followups.col.interval"),
    "group": N_("followups.col.group"),
    "n": N_("followups.col.n"),
    "nps": N_("followups.col.nps"),
}
VALUE_WORDS = {
    ("source", "response"): N_("followups.source.response"),
    ("source", "complaint"): N_("followups.source.complaint"),
    ("status", "open"): N_("followups.status.open"),
    ("status", "in_progress"): N_("followups.status.in_progress"),
    ("status", "closed"): N_("followups.status.closed"),
    ("outcome", "reached"): N_("followups.outcome.reached"),
    ("outcome", "not_reached"): N_("followups.outcome.not_reached"),
    ("outcome", "resolved"): N_("followups.outcome.resolved"),
    ("group", "reached"): N_("followups.group.reached"),
    ("group", "others"): N_("followups.group.others"),
}


def label(column: str, lang: str) -> str:
    """A column's header: its declared label, else the follow-up words' own."""
    if column in DECLARED:
        return column_label(column, lang) or column
    return catalogue.text(COLUMN_WORDS[column], lang)


def value_label(kind: str, value: object, lang: str) -> str:
    """A source, status or outcome key in words ("closed" -> "Clos"); "" for none."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    return catalogue.text(VALUE_WORDS[(kind, str(value))], lang)


QUEUE_SHOWN = ("source", "source_id", "happened_at", "region", "site", "score", "comment", "owner",
               "status", "outcome", "due_at", "overdue", "closed_at")  # fmt: skip


def queue_table(frame: pd.DataFrame, lang: str, *, editable: bool = False) -> pd.DataFrame:
    """The queue as people read it: labelled columns, words for keys, dates and times of `lang`.

    `editable` is the page's data editor: status and outcome stay keys (its select columns show their
    words), overdue stays a tick, and the closing time, which the editor sets itself, is left out.
    Empty cells are blank, never "None" (a complaint has no score, a hidden comment no text).
    """
    yes, no = catalogue.text("followups.yes", lang), catalogue.text("followups.no", lang)

    ticks = [yes if v else no for v in frame["overdue"]]

    def words(kind: str) -> object:
        return frame[kind] if editable else [value_label(kind, v, lang) for v in frame[kind]]

    out = pd.DataFrame({
        "source": [value_label("source", v, lang) for v in frame["source"]],
        "source_id": frame["source_id"],
        "happened_at": [formatting.timestamp(v, lang) for v in frame["happened_at"]],
        "region": frame["region"], "site": frame["site"].fillna(""),
        "score": ["" if pd.isna(v) else str(int(v)) for v in frame["score"]],
        "comment": frame["comment"].fillna(""), "owner": frame["owner"].fillna(""),
        "status": words("status"), "outcome": words("outcome"),
        "due_at": [formatting.timestamp(v, lang) for v in frame["due_at"]],
        "overdue": frame["overdue"].astype(bool) if editable else ticks,
        "closed_at": [formatting.timestamp(v, lang) for v in frame["closed_at"]],
    })  # fmt: skip
    if editable:
        out = out.drop(columns=["closed_at"])
    return out.rename(columns={c: label(c, lang) for c in QUEUE_SHOWN})


def _bands(frame: pd.DataFrame, stem: str, decimals: int, lang: str) -> list[str]:
    """Each row's interval `[low ; high]` from the columns `<stem>_low` and `<stem>_high`."""
    pairs = zip(frame[f"{stem}_low"], frame[f"{stem}_high"], strict=True)
    return [formatting.interval(lo, hi, decimals, lang) for lo, hi in pairs]


def region_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per region: cases, closed, close rate, on-time share and median hours, each with its interval."""
    interval = catalogue.text("followups.col.interval", lang)
    return pd.DataFrame({
        label("region", lang): frame["region"],
        label("cases", lang): [formatting.integer(v, lang) for v in frame["cases"]],
        label("closed", lang): [formatting.integer(v, lang) for v in frame["closed"]],
        label("close_rate", lang): [formatting.percent(v, 0, lang) for v in frame["close_rate"]],
        f"{label('close_rate', lang)} · {interval}": _bands(frame, "close", 0, lang),
        label("on_time", lang): [formatting.percent(v, 0, lang) for v in frame["on_time_rate"]],
        f"{label('on_time', lang)} · {interval}": _bands(frame, "on_time", 0, lang),
        label("hours", lang): [formatting.number(v, 0, lang) for v in frame["hours"]],
        f"{label('hours', lang)} · {interval}": _bands(frame, "hours", 0, lang),
    })  # fmt: skip


def effect_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The two groups of the call-back comparison: n and the NPS of their next answer with its interval."""
    return pd.DataFrame({
        label("group", lang): [value_label("group", g, lang) for g in frame["group"]],
        label("n", lang): [formatting.integer(v, lang) for v in frame["n"]],
        label("nps", lang): [formatting.number(v, 1, lang) for v in frame["nps"]],
        catalogue.text("followups.col.interval", lang): [
            formatting.interval(lo, hi, 1, lang) for lo, hi in zip(frame["low"], frame["high"], strict=True)
        ],
    })  # fmt: skip


def effect_text(frame: pd.DataFrame, lang: str) -> str:
    """The comparison in one sentence, or "too few" when a group is under MIN_EFFECT_N answers."""
    first = frame.iloc[0]
    if not bool(first["enough"]):
        return catalogue.text("followups.too_few", lang, n=stats.MIN_EFFECT_N)
    return catalogue.text(
        "followups.effect_sentence",
        lang,
        gap=formatting.number(first["difference"], 1, lang, signed=True),
        low=formatting.number(first["difference_low"], 1, lang),
        high=formatting.number(first["difference_high"], 1, lang),
    )


def pack_section(store: Reader, start: dt.date, end: dt.date, lang: str) -> str:
    """The board pack's section: per-region close rate and time to close, "" where there is no case."""
    if "follow_ups" not in store.table_names():  # a Spark warehouse holds no follow-ups
        return ""
    regions = stats.by_region(store, start, end)
    if regions.empty:
        return ""
    table = region_table(regions, lang).to_html(index=False, escape=True, border=0, na_rep=formatting.MISSING)
    caption = html.escape(catalogue.text("followups.stats_caption", lang))
    title = html.escape(catalogue.text("followups.pack", lang))
    return f"<h2>{title}</h2><p>{caption}</p>{table}"
