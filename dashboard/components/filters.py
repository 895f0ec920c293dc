"""Sidebar filters whose values live in the URL, so a copied link reopens the same view."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data
from dashboard import formatting as fmt
from dashboard.data import Filters
from dashboard.i18n import t

# URL parameter -> (dimension, message key)
LISTS = {
    "region": ("region", "filters.regions"),
    "channel": ("channel", "filters.channels"),
    "segment": ("segment", "filters.segments"),
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


def _initial(param: str, default: str | None) -> str | None:
    return st.query_params.get(param, default)


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


def sidebar_filters(lists: tuple[str, ...] = ("region", "channel", "segment")) -> Filters:
    """Year, as-of month and the chosen dimension lists, read from and written to the URL."""
    side = st.sidebar
    side.header(t("filters.header"))
    years = data.years()
    last = data.default_as_of()
    wanted_year = _initial("year", str(last.year))
    year_index = next((i for i, y in enumerate(years) if str(y) == wanted_year), 0)
    year = side.selectbox(t("filters.year"), years, index=year_index, key="f_year")
    ends = _month_ends(year, last)
    wanted_month = _initial("as_of", ends[-1].strftime("%Y-%m"))
    month_index = next((i for i, e in enumerate(ends) if e.strftime("%Y-%m") == wanted_month), len(ends) - 1)
    as_of = side.selectbox(
        t("filters.as_of"), ends, index=month_index, format_func=fmt.month, key=f"f_as_of_{year}"
    )
    chosen: dict[str, tuple[str, ...]] = {}
    for param in lists:
        dim, label_key = LISTS[param]
        options = data.dimension_values(dim)
        default = [v for v in st.query_params.get_all(param) if v in options]
        picked = side.multiselect(
            t(label_key),
            options,
            default=default,
            key=f"f_{param}",
            placeholder=t("filters.all"),
            select_all=False,  # its built-in "Select all" row is English only
        )
        chosen[param] = tuple(picked)
        _write(param, picked)
    _write("year", str(year))
    _write("as_of", as_of.strftime("%Y-%m"))
    side.caption(t("filters.link"))
    return Filters(
        year=year,
        as_of=as_of,
        regions=chosen.get("region", ()),
        channels=chosen.get("channel", ()),
        segments=chosen.get("segment", ()),
    )
