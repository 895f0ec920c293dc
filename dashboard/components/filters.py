"""Sidebar filters and page choices whose values live in the URL, so a copied link reopens the same view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TypeVar

import streamlit as st

from dashboard import data, plain
from dashboard import display as fmt
from dashboard.components.tables import dim_label
from dashboard.data import Filters
from dashboard.i18n import current_lang, label, t
from metrics.catalogue import N_
from metrics.semantic.definitions import Metric, metric

T = TypeVar("T")

# URL parameter -> (dimension, label key, "all" placeholder key: Toutes les régions, Tous les canaux)
LISTS = {
    "region": ("region", N_("filters.regions"), N_("filters.all_f")),
    "channel": ("channel", N_("filters.channels"), N_("filters.all_m")),
    "segment": ("segment", N_("filters.segments"), N_("filters.all_m")),
}


def _month_ends(year: int, last: dt.date) -> list[dt.date]:
    """Month ends of `year` up to `last` (the whole year when `last` is later)."""
    ends = []
    for month in range(1, 13):
        end = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
        if end > last:
            break
        ends.append(end)
    return ends or [dt.date(year, 1, 31)]


def _write(param: str, value: str | list[str] | None) -> None:
    """Keep the URL in step with a widget, touching it only on change (each write reruns nothing)."""
    current = st.query_params.get_all(param)
    wanted = [] if value in (None, []) else ([value] if isinstance(value, str) else list(value))
    if current == wanted:
        return
    if wanted:
        st.query_params[param] = wanted if len(wanted) > 1 else wanted[0]
    elif param in st.query_params:
        del st.query_params[param]


def _refused(param: str, values: Sequence[str]) -> None:
    """Say which link values were not understood, instead of replacing them silently."""
    if values:
        plain.warning(t("filters.invalid", param=param, values=", ".join(values)))


def url_choice(
    param: str,
    label: str,
    options: Sequence[T],
    *,
    key: str,
    default: int = 0,
    format_func: Callable[[T], str] = str,
    sidebar: bool = False,
    code: Callable[[T], str] = str,
    report: bool = True,
) -> T:
    """A selectbox whose choice is the URL parameter `param`; an unknown value in the link is reported.

    Its widget key is `key` plus the language (`chart_metric_fr`): the URL, not the widget, carries the
    choice across a language switch.
    """
    codes = [code(o) for o in options]
    wanted = st.query_params.get(param)
    index = codes.index(wanted) if wanted in codes else default
    if report and wanted is not None and wanted not in codes:
        _refused(param, [wanted])
    where = st.sidebar if sidebar else st
    # the language is part of the key: a widget kept across a switch would keep its old-language labels
    chosen = where.selectbox(
        label, options, index=index, format_func=format_func, key=f"{key}_{current_lang()}"
    )
    _write(param, code(chosen))
    return chosen


def metric_choice(param: str, text: str, keys: Sequence[str], *, key: str) -> Metric:
    """`url_choice` over metric keys, each shown by its declared label; the chosen one's declaration."""
    return metric(url_choice(param, text, keys, format_func=lambda k: label(metric(k).label), key=key))


def sidebar_filters(
    lists: tuple[str, ...] = ("region", "channel", "segment"), *, period: bool = True
) -> Filters:
    """Year, as-of month and the chosen dimension lists, read from and written to the URL.

    Pages whose figures do not depend on a filter leave it out (`period=False`, shorter `lists`):
    a filter that shows but does nothing misleads.
    """
    side = st.sidebar
    side.header(t("filters.header"))
    last = data.default_as_of()
    year, as_of = last.year, last
    if period:
        years = data.years()
        year = url_choice(
            "year", t("filters.year"), years, key="f_year", default=years.index(last.year), sidebar=True
        )
        ends = _month_ends(year, last)
        as_of = url_choice(
            "as_of",
            t("filters.as_of"),
            ends,
            key=f"f_as_of_{year}",
            default=len(ends) - 1,
            format_func=fmt.month,
            sidebar=True,
            code=lambda d: d.strftime("%Y-%m"),
            # a month of another year is what changing the year leaves in the link, not a bad link
            report=(st.query_params.get("as_of") or "")[:4] == str(year),
        )
    chosen: dict[str, tuple[str, ...]] = {}
    for param in lists:
        dim, label_key, all_key = LISTS[param]
        options = data.dimension_values(dim)
        asked = st.query_params.get_all(param)
        _refused(param, [v for v in asked if v not in options])
        picked = side.multiselect(
            t(label_key),
            options,
            default=[v for v in asked if v in options],
            format_func=lambda v, d=dim: dim_label(d, v),
            key=f"f_{param}_{current_lang()}",  # channel and segment labels differ by language
            placeholder=t(all_key),
            select_all=False,  # its built-in "Select all" row is English only
        )
        chosen[param] = tuple(picked)
        _write(param, picked)
    side.caption(t("filters.link"))
    return Filters(year=year, as_of=as_of, lists=tuple(chosen.items()))


def lazy_tabs(labels: list[str], key: str) -> Sequence[object]:
    """Tabs whose hidden content does not run: test `tab.open` before drawing (the open one is True).

    The open tab is in the URL (`?{key}=...`), so a copied link reopens it.
    """
    return st.tabs(labels, key=f"{key}_{current_lang()}", on_change="rerun")


def on_demand(text: str, key: str) -> object:
    """A closed expander whose content runs only once opened: test `.open` before drawing.

    Its state is in the URL (`?{key}=...`), so a copied link reopens it.
    """
    return st.expander(text, key=f"{key}_{current_lang()}", on_change="rerun", bind="query-params")
