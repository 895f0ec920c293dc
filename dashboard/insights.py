"""The cached calls behind the Alerts and Verbatims pages (same keys as dashboard.data: file and version)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.data import Filters
from metrics.insights import alerts as alerts_mod
from metrics.insights import verbatims
from metrics.insights.themes import Theme, load_themes
from metrics.store import Store

Where = tuple[tuple[str, tuple[str, ...]], ...]
THEME_DIMENSIONS = ("region", "channel", "segment")


# every group charted up to a date and its alerts, newest first; the control chart behind one alert
watch = data.versioned(32)(alerts_mod.watch)
alert_chart = data.versioned(128)(alerts_mod.group_chart)


@st.cache_resource(show_spinner=False)
def themes() -> tuple[Theme, ...]:
    """The theme dictionary, read once per process."""
    return load_themes()


@data.versioned(64)
def _counts(store: Store, start: dt.date, end: dt.date, where: Where) -> pd.DataFrame:
    return verbatims.tagged(verbatims.comment_counts(store, start, end, (), dict(where)), themes())


def comments(filters: Filters) -> pd.DataFrame:
    """Scored answers per comment and month since 1 January, tagged with their themes."""
    return _counts(filters.start, filters.as_of, _where(filters))


def alerts_at(as_of: dt.date, dim: str) -> pd.DataFrame:
    """The alerts of one level (region or site), newest first."""
    found = watch(as_of).alerts
    return found[found["dimension"] == dim].reset_index(drop=True)


def _where(filters: Filters) -> Where:
    return tuple((d, v) for d, v in filters.lists if v)


# the theme table, a theme's monthly shares and its quotes are pandas work over the comments frame:
# cached on the same keys, so a rerun (a widget click) does not redo it (0.6 s a run at 1M answers)
@data.versioned(64)
def _ranking(store: Store, start: dt.date, end: dt.date, where: Where, lang: str) -> pd.DataFrame:
    frame = _counts(start, end, where)
    if frame["comment"].notna().sum() == 0:
        return pd.DataFrame()
    return verbatims.theme_table(frame, themes(), lang)


@data.versioned(64)
def _monthly(store: Store, start: dt.date, end: dt.date, where: Where, theme: str) -> pd.DataFrame:
    shares = verbatims.monthly_shares(_counts(start, end, where), themes())
    return shares[shares["theme"] == theme].reset_index(drop=True)


@data.versioned(64)
def _examples(store: Store, start: dt.date, end: dt.date, where: Where, theme: str) -> list[str]:
    return verbatims.examples(_counts(start, end, where), theme)


def ranking(filters: Filters, lang: str) -> pd.DataFrame:
    """Themes of the chosen scope ranked by impact (empty when nobody left a comment)."""
    return _ranking(filters.start, filters.as_of, _where(filters), lang)


def monthly(filters: Filters, theme: str) -> pd.DataFrame:
    """One theme's share of comments per month."""
    return _monthly(filters.start, filters.as_of, _where(filters), theme)


def examples(filters: Filters, theme: str) -> list[str]:
    """A few comments of the theme, none when fewer than 10 answers mention it."""
    return _examples(filters.start, filters.as_of, _where(filters), theme)


def search(filters: Filters, query: str) -> tuple[int, pd.DataFrame]:
    """Answers whose comment holds every word of `query`, and their texts (none under 10 answers)."""
    return verbatims.search(comments(filters), query)


@data.versioned(32)
def _handoffs(store: Store, start: dt.date, end: dt.date, regions: tuple[str, ...]) -> pd.DataFrame:
    from metrics.insights.handoffs import handoffs as handoffs_of

    return handoffs_of(store, start, end, regions)


def handoffs(filters: Filters) -> pd.DataFrame:
    """Hand-off figures of the chosen year and regions."""
    return _handoffs(filters.start, filters.as_of, filters.regions)
