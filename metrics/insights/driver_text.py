"""The driver analysis in words: labels, the table people read, the headline sentences and the pack section.

One module renders for the pages, the CLI and the board pack, so the three say the same thing the same
way. Drivers that are columns take their declared label; a driver that is not significant is shown
as "not significant", never ranked.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from metrics import catalogue
from metrics.catalogue import N_
from metrics.contracts.datasets import DATASETS
from metrics.contracts.vocabularies import value_label
from metrics.insights.drivers import Analysis, key_drivers
from metrics.reports import formatting
from metrics.semantic.definitions import metric
from metrics.semantic.driver_rows import LOOKBACK_DAYS, SLOW_DAYS
from metrics.store import Store

MAX_HEADLINES = 3
# where each driver's label is declared: (dataset, column), a metric key, or a message of its own
COLUMN_OF = {
    "effort": ("responses", "effort"),
    "channel": ("responses", "channel"),
    "journey": ("responses", "journey"),
    "segment": ("responses", "segment"),
    "escalated": ("complaints", "escalated"),
    "kind": ("interventions", "kind"),
    "contractor": ("interventions", "contractor"),
    "region": ("interventions", "region"),
}
METRIC_OF = {"several": "repeat_contact_rate", "ftf": "first_time_fix_rate"}


# words read through a variable, each marked with N_ so the catalogue's extraction sees it
LABEL_WORDS = {"complained": N_("drivers.label.complained"), "slow": N_("drivers.label.slow")}
CHANGE_WORDS = {
    "effort": N_("drivers.change.effort"),
    "complained": N_("drivers.change.complained"),
    "several": N_("drivers.change.several"),
    "slow": N_("drivers.change.slow"),
    "escalated": N_("drivers.change.escalated"),
    "ftf": N_("drivers.change.ftf"),
}


# the first-time-fix analysis says "interventions" and "first-time-fix points" where NPS says answers
TITLE = N_("drivers.title")
TITLE_REGION = N_("drivers.title_region")
HEADLINE = N_("drivers.headline")
HEADLINE_NO_GAP = N_("drivers.headline_no_gap")
CHANGE_CATEGORICAL = N_("drivers.change.categorical")
COL_EFFECT = N_("drivers.col.effect")
COL_N = N_("drivers.col.n")
NO_DATA = N_("drivers.no_data")
ASSOCIATION = N_("drivers.association")
METHOD = N_("drivers.method")
NONE_SIGNIFICANT = N_("drivers.none_significant")
EXCLUDED = N_("drivers.excluded")
FTF_WORDS = {
    TITLE: N_("drivers.title_ftf"),
    TITLE_REGION: N_("drivers.title_region_ftf"),
    HEADLINE: N_("drivers.headline_ftf"),
    HEADLINE_NO_GAP: N_("drivers.headline_no_gap_ftf"),
    CHANGE_CATEGORICAL: N_("drivers.change.categorical_ftf"),
    COL_EFFECT: N_("drivers.col.effect_ftf"),
    COL_N: N_("drivers.col.n_ftf"),
    NO_DATA: N_("drivers.no_data_ftf"),
    ASSOCIATION: N_("drivers.association_ftf"),
    METHOD: N_("drivers.method_ftf"),
    NONE_SIGNIFICANT: N_("drivers.none_significant_ftf"),
    EXCLUDED: N_("drivers.excluded_ftf"),
}


def _w(metric_key: str, key: str) -> str:
    """The message `key` as the analysis of `metric_key` says it (NPS's own, or first-time fix's)."""
    return FTF_WORDS.get(key, key) if metric_key == "first_time_fix_rate" else key


def driver_label(key: str, lang: str) -> str:
    """The driver's name as people read it: its column's or metric's declared label where it has one."""
    if key in COLUMN_OF:
        dataset, column = COLUMN_OF[key]
        names = DATASETS[dataset].column(column).label
        return names.get(lang) or names["fr"]
    if key in METRIC_OF:
        names = metric(METRIC_OF[key]).label
        return names.get(lang) or names["fr"]
    if key not in LABEL_WORDS:
        return key  # a driver declared elsewhere (a test's) without words: its key
    return catalogue.text(LABEL_WORDS[key], lang, days=LOOKBACK_DAYS if key == "complained" else SLOW_DAYS)


def _level(dim: str, value: object, lang: str) -> str:
    """A categorical driver's level in words; an empty one (no contractor) as "(non renseigné)"."""
    return value_label(dim, str(value), lang) if value else catalogue.text("dim.missing", lang)


def change_text(row: pd.Series, lang: str, metric_key: str = "nps") -> str:
    """The change a driver's effect is sized for: "first-time fix +5 pts", "5 % of answers from A to B"."""
    if row["kind"] == "categorical":
        dim = str(row["driver"])
        key = _w(metric_key, CHANGE_CATEGORICAL)
        return catalogue.text(
            key, lang, amount=formatting.percent(row["change"], 0, lang),
            worst=_level(dim, row["worst"], lang), best=_level(dim, row["best"], lang),
        )  # fmt: skip
    decimals = 1 if row["kind"] == "continuous" and abs(row["change"]) < 1 else 0
    amount = formatting.number(row["change"], decimals, lang, signed=True)
    key = CHANGE_WORDS.get(str(row["driver"]), N_("drivers.change.generic"))
    return catalogue.text(key, lang, amount=amount, days=SLOW_DAYS)


def _rank(row: pd.Series, lang: str) -> str:
    return str(int(row["rank"])) if row["significant"] else catalogue.text("drivers.not_significant", lang)


def _intervals(table: pd.DataFrame, name: str, lang: str) -> list[str]:
    pairs = zip(table[f"{name}_low"], table[f"{name}_high"], strict=True)
    return [formatting.interval(lo, hi, 1, lang) for lo, hi in pairs]


def display_table(found: Analysis, lang: str) -> pd.DataFrame:
    """The table people read: rank (or "not significant"), driver, change, effect with interval, share."""
    table = found.table
    if table.empty:
        return pd.DataFrame()

    def num(v: float, decimals: int = 1, signed: bool = False) -> str:
        return formatting.number(v, decimals, lang, signed=signed)

    return pd.DataFrame({
        catalogue.text("drivers.col.rank", lang): [_rank(r, lang) for _, r in table.iterrows()],
        catalogue.text("drivers.col.driver", lang): [driver_label(k, lang) for k in table["driver"]],
        catalogue.text("drivers.col.change", lang): [
            change_text(r, lang, found.metric) for _, r in table.iterrows()
        ],
        catalogue.text(_w(found.metric, COL_EFFECT), lang): [
            num(v, signed=True) for v in table["effect"]
        ],
        catalogue.text("drivers.col.effect_interval", lang): _intervals(table, "effect", lang),
        catalogue.text("drivers.col.share", lang): [formatting.percent(v, 1, lang) for v in table["share"]],
        catalogue.text("drivers.col.share_interval", lang): _intervals(table, "share", lang),
        catalogue.text("drivers.col.p_holm", lang): [num(p, 3) for p in table["p_holm"]],
        catalogue.text(_w(found.metric, COL_N), lang): [
            formatting.integer(v, lang) for v in table["n_base"]
        ],
    })  # fmt: skip


def data_table(found: Analysis, lang: str) -> pd.DataFrame:
    """The figures for scripts (CSV, JSON): every number unrounded, with the label and change in `lang`."""
    table = found.table.copy()
    table.insert(1, "label", [driver_label(k, lang) for k in table["driver"]])
    table.insert(2, "change_text", [change_text(r, lang, found.metric) for _, r in table.iterrows()])
    return table


def headlines(found: Analysis, lang: str) -> list[str]:
    """One sentence per ranked driver (at most MAX_HEADLINES): its change in NPS points, against the gap."""
    table = found.table
    if table.empty:
        return [catalogue.text(_w(found.metric, NO_DATA), lang)]
    ranked = table[table["significant"]].head(MAX_HEADLINES)
    if ranked.empty:
        return [
            catalogue.text(
                _w(found.metric, NONE_SIGNIFICANT), lang, n=formatting.integer(found.n, lang)
            )
        ]
    # "of the 0,0 points missing" says nothing: below a tenth of a point, no gap is quoted
    gap = found.missing is not None and round(found.missing, 1) > 0
    key = _w(found.metric, HEADLINE if gap else HEADLINE_NO_GAP)
    return [
        catalogue.text(
            key, lang, driver=driver_label(r["driver"], lang), change=change_text(r, lang, found.metric),
            effect=formatting.number(r["effect"], 1, lang, signed=True),
            low=formatting.number(r["effect_low"], 1, lang, signed=True),
            high=formatting.number(r["effect_high"], 1, lang, signed=True),
            missing=formatting.number(found.missing, 1, lang),
        )
        for _, r in ranked.iterrows()
    ]  # fmt: skip


def notes(found: Analysis, lang: str) -> list[str]:
    """The method in one sentence, what was left out and why, and that these are associations."""
    out = []
    if found.start is not None and found.end is not None and not found.table.empty:
        out.append(catalogue.text(
            _w(found.metric, METHOD), lang, n=formatting.integer(found.n, lang),
            start=formatting.day(found.start, lang), end=formatting.day(found.end, lang),
            nps=formatting.number(found.nps, 1, lang),
            r2=formatting.number(found.r2, 2, lang), r2_low=formatting.number(found.r2_low, 2, lang),
            r2_high=formatting.number(found.r2_high, 2, lang), resamples=found.resamples,
        ))  # fmt: skip
    for reason, key in (("few", _w(found.metric, EXCLUDED)), ("constant", N_("drivers.constant"))):
        left = [driver_label(e.driver, lang) for e in found.excluded if e.reason == reason]
        if left:
            out.append(catalogue.text(key, lang, min_n=found.min_n, drivers=", ".join(left)))
    if found.no_effort:
        out.append(catalogue.text("drivers.no_effort", lang, n=formatting.integer(found.no_effort, lang)))
    out.append(catalogue.text(_w(found.metric, ASSOCIATION), lang))
    return out


def title(found: Analysis, lang: str) -> str:
    """The section's title: the company's drivers, or one region's."""
    if found.region:
        return catalogue.text(_w(found.metric, TITLE_REGION), lang, region=found.region)
    return catalogue.text(_w(found.metric, TITLE), lang)


def section_html(found: Analysis, lang: str) -> str:
    """The board pack's section: title, headline sentences, the table and the notes, every text escaped."""
    table = display_table(found, lang)
    parts = [f"<h2>{html.escape(title(found, lang))}</h2>"]
    parts += [f"<p><strong>{html.escape(s)}</strong></p>" for s in headlines(found, lang)]
    if not table.empty:
        parts.append(table.to_html(index=False, escape=True, border=0, na_rep=formatting.MISSING))
    parts += [f"<p><small>{html.escape(s)}</small></p>" for s in notes(found, lang)]
    return "".join(parts)


def pack_section(store: Store, as_of: dt.date, lang: str) -> str:
    """The board pack's drivers sections for the company, year to date at `as_of`: NPS, first-time fix."""
    return "".join(
        section_html(key_drivers(store, year=as_of.year, as_of=as_of, metric_key=key), lang)
        for key in ("nps", "first_time_fix_rate")
    )
