"""Plotly figures in a colour-blind-safe palette, localised ticks, and a PNG + CSV download for each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from plotly.subplots import make_subplots

from dashboard import display as fmt
from dashboard.components.exports import people_frame
from dashboard.components.filters import on_demand
from dashboard.components.tables import dim_label, download
from dashboard.i18n import current_lang, label, t
from metrics.reports import figures
from metrics.reports.figures import (  # noqa: F401 - the dashboard's charts draw with the shared pieces
    BAND,
    INK,
    PALETTE,
    band,
    event_markers,
    line_trace,
    safe,
    zero_based,
)
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import Metric

# every figure of the dashboard uses this template. As the default, plotly attaches it to each new
# figure without validating it again; set per figure (`template=...`) it cost 45 ms of validation,
# a third of the Operations page's server time. The figure's JSON is the same either way.
pio.templates.default = "plotly_white"


def _layout(fig: go.Figure, height: int) -> go.Figure:
    """The shared layout (metrics.reports.figures) in the reader's language."""
    figures.layout(fig, current_lang(), height)
    return fig


def _month_axis(fig: go.Figure, year: int, *, narrow: bool = False) -> None:
    """Twelve month ticks named in the reader's language, January to December."""
    figures.year_axis(fig, year, current_lang(), narrow=narrow)


def month_ticks(fig: go.Figure, periods: Sequence[dt.date]) -> None:
    """Month ticks named by babel over any span (janv. 2025 / Jan 2025), at most about eight of them."""
    months = sorted(set(periods))
    ticks = months[:: max(1, len(months) // 8)]
    fig.update_xaxes(tickvals=ticks, ticktext=[fmt.month(d) for d in ticks])


def monthly_line(frame: pd.DataFrame, m: Metric) -> go.Scatter:
    """Month values as a line, in the reader's language (metrics.reports.figures.monthly_line)."""
    return figures.monthly_line(frame, m, current_lang())


def trajectory_figure(tr: Trajectory, m: Metric, events: pd.DataFrame) -> go.Figure:
    """The trajectory chart the board pack draws too, in the reader's language, with the dated events."""
    return figures.trajectory_figure(tr, m, current_lang(), events=events)


def interval_bars(frame: pd.DataFrame, dim: str, m: Metric) -> go.Figure:
    """One horizontal bar per group with its 95 % interval; n sits in the group's label."""
    names = [
        f"{safe(dim_label(dim, v))} (n = {fmt.integer(n)})"
        for v, n in zip(frame[dim], frame["n"], strict=True)
    ]
    hover = [
        f"{name}: {fmt.value(m, v)} {fmt.interval(lo, hi, m.decimals)}"
        for name, v, lo, hi in zip(names, frame["value"], frame["low"], frame["high"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=frame["value"],
            y=names,
            orientation="h",
            marker_color=PALETTE[4],
            error_x={
                "type": "data",
                "symmetric": False,
                "array": frame["high"] - frame["value"],
                "arrayminus": frame["value"] - frame["low"],
                "color": "#222",
                "thickness": 2,
            },
            hoverinfo="text",
            hovertext=hover,
        )
    )
    fig.update_xaxes(title=label(m.label))
    fig.update_yaxes(autorange="reversed", automargin=True)
    zero_based(fig, m, "x")
    return _layout(fig, 140 + 42 * len(frame))


def facet_trends(frame: pd.DataFrame, dim: str, m: Metric, year: int, wrap: int = 3) -> go.Figure:
    """Small multiples: one panel per group, same axes, monthly values with their band."""
    groups = list(dict.fromkeys(frame[dim]))
    rows = max(1, -(-len(groups) // wrap))
    fig = make_subplots(
        rows=rows,
        cols=wrap,
        subplot_titles=[safe(g) for g in groups],
        # about 70 px between rows whatever their number, so a panel title clears the ticks above it
        vertical_spacing=min(0.3, 70 / (230 * rows + 40)) if rows > 1 else 0.08,
        horizontal_spacing=0.03,
    )
    traces, rows_at, cols_at = [], [], []
    for i, group in enumerate(groups):
        part = frame[frame[dim] == group]
        hover = [
            f"{safe(group)} {fmt.month(p)}: {fmt.value(m, v)} (n = {fmt.integer(n)})"
            for p, v, n in zip(part["period"], part["value"], part["n"], strict=True)
        ]
        line = go.Scatter(
            x=list(part["period"]),
            y=part["value"],
            mode="lines+markers",
            line={"color": PALETTE[0]},
            text=hover,
            hoverinfo="text",
            showlegend=False,
        )
        traces += [band(part), line]
        rows_at += [i // wrap + 1] * 2
        cols_at += [i % wrap + 1] * 2
    # one call for every panel: adding the traces one by one re-validated the figure each time
    fig.add_traces(traces, rows=rows_at, cols=cols_at)
    _month_axis(fig, year, narrow=True)
    # one y scale for every panel, so panels compare at a glance (independent axes would mislead)
    low, high = float(frame["low"].min()), float(frame["high"].max())
    pad = (high - low) * 0.05
    fig.update_yaxes(range=[low - pad, high + pad])
    fig.update_xaxes(tickangle=0)
    return _layout(fig, 230 * rows + 40)


CONFIG = {"displaylogo": False, "displayModeBar": "hover"}  # the toolbar shows on hover only


def chart(
    fig: go.Figure,
    raw: pd.DataFrame | None,
    name: str,
    columns: Sequence[str] | None = None,
    decimals: int = 1,
) -> None:
    """Draw `fig` (toolbar PNG named `name`) and offer its data as CSV (None: a table below offers it).

    The figure's text alternative is its data: the `alt` names it and an expander shows the table.
    """
    st.plotly_chart(
        fig,
        width="stretch",
        key=f"fig_{name}",
        config={**CONFIG, "toImageButtonOptions": {"format": "png", "filename": name}},
        alt=t("chart.alt", title=name.replace("_", " ")),
    )
    if raw is not None:
        _values(raw[list(columns)] if columns else raw, name, decimals)


def _values(raw: pd.DataFrame, name: str, decimals: int) -> None:
    """A chart's values under it: a table one toggle away, and its CSV and Excel downloads."""
    chart_table(raw, t("chart.table"), f"{name}_table", decimals)
    download(raw, f"{name}_data", decimals)


def static_chart(svg: str, raw: pd.DataFrame, name: str, title: str, decimals: int = 1) -> None:
    """Draw an SVG chart as an image, with its values as a table and a CSV, as `chart` does.

    For the chart a page's first screen cannot do without: no chart library loads (see
    metrics.reports.chart_svg). The image's text alternative names it and points to the table.
    """
    st.image(svg, width="stretch", alt=t("chart.alt", title=title))
    _values(raw, name, decimals)


def chart_on_demand(
    key: str,
    build: Callable[[], go.Figure],
    raw: pd.DataFrame | None,
    name: str,
    columns: Sequence[str] | None = None,
    decimals: int = 1,
) -> None:
    """`chart(build(), ...)` inside a closed expander: built and drawn only once the reader opens it.

    For a chart whose answer is already on screen as a table or a card: a page with no open chart
    does not load the Plotly bundle at all, which is most of a reload's time in the browser.
    """
    part = on_demand(t("chart.show"), key)
    if part.open:
        with part:
            chart(build(), raw, name, columns, decimals)


@st.fragment
def chart_table(raw: pd.DataFrame, title: str, key: str, decimals: int) -> None:
    """The chart's values as a grid, drawn only when asked: a fragment, so the toggle reruns only it."""
    if st.toggle(title, key=key):
        st.dataframe(people_frame(raw, decimals), hide_index=True, width="stretch")
