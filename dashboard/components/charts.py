"""Plotly figures in a colour-blind-safe palette, localised ticks, and a PNG + CSV download for each."""

from __future__ import annotations

import datetime as dt
import html
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
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import Metric, Unit

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
BAND = "rgba(0,114,178,0.15)"
INK = "#333333"  # 12.6:1 on white: chart text passes WCAG AA (4.5:1) with room to spare
# every figure of the dashboard uses this template. As the default, plotly attaches it to each new
# figure without validating it again; set per figure (`template=...`) it cost 45 ms of validation,
# a third of the Operations page's server time. The figure's JSON is the same either way.
pio.templates.default = "plotly_white"


def safe(text: object) -> str:
    """Data text for a plotly label: escaped, since plotly reads a subset of HTML in labels."""
    return html.escape(str(text))


def _layout(fig: go.Figure, height: int) -> go.Figure:
    """Locale separators (33,5 / 12 345), a legend under the plot, room for the toolbar."""
    rows = (fig.layout.meta or {}).get("event_rows", 0) if isinstance(fig.layout.meta, dict) else 0
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40 + 16 * rows, "b": 10},
        font={"color": INK},
        separators=", " if current_lang() == "fr" else ".,",
        colorway=PALETTE,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    )
    return fig


def _month_axis(fig: go.Figure, year: int, *, narrow: bool = False) -> None:
    """Twelve month ticks with babel names (janv., févr. / Jan, Feb; J, F, M when narrow), Jan to Dec."""
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    fig.update_xaxes(
        tickvals=months,
        ticktext=[fmt.month_name(d, narrow=narrow) for d in months],
        range=[dt.date(year - 1, 12, 16), dt.date(year, 12, 16)],
    )


EVENT_ROWS = 3


def event_markers(fig: go.Figure, events: pd.DataFrame) -> None:
    """Dotted vertical lines, their labels stacked above the plot (never over the lines), one row each.

    The top margin grows with the rows used; labels are cut at 40 characters, the table has them whole.
    """
    for i, (day, text) in enumerate(zip(events["date"], events["label"], strict=True)):
        when = pd.Timestamp(day)
        shown = str(text) if len(str(text)) <= 40 else str(text)[:39] + "…"
        fig.add_vline(x=when.timestamp() * 1000, line={"color": "#595959", "dash": "dot"})
        fig.add_annotation(
            x=when,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            yshift=4 + 16 * (i % EVENT_ROWS),
            text=safe(shown),
            showarrow=False,
            xanchor="left",
            font={"size": 11, "color": INK},
        )
    if len(events):
        fig.update_layout(meta={"event_rows": min(len(events), EVENT_ROWS)})


def month_ticks(fig: go.Figure, periods: Sequence[dt.date]) -> None:
    """Month ticks named by babel over any span (janv. 2025 / Jan 2025), at most about eight of them."""
    months = sorted(set(periods))
    ticks = months[:: max(1, len(months) // 8)]
    fig.update_xaxes(tickvals=ticks, ticktext=[fmt.month(d) for d in ticks])


def band(frame: pd.DataFrame, *, name: str | None = None) -> go.Scatter:
    """The shaded 95 % interval of a monthly series (high then low, reversed, closed as one shape)."""
    x = list(frame["period"])
    return go.Scatter(
        x=x + x[::-1],
        y=list(frame["high"]) + list(frame["low"])[::-1],
        fill="toself",
        fillcolor=BAND,
        mode="lines",  # plotly adds markers to short series: dots on the band's edges say nothing
        line={"width": 0},
        hoverinfo="skip",
        name=name,
        showlegend=name is not None,
    )


def monthly_line(frame: pd.DataFrame, m: Metric) -> go.Scatter:
    """Month values as a line; the hover gives each month's n, and its margin when there is one."""
    hover = [
        f"{fmt.month(p)}: {fmt.value(m, v)} (n = {fmt.integer(n)}"
        + (f", ± {fmt.number(e, m.decimals)})" if e == e else ")")  # e != e: NaN, no margin (a count)
        for p, v, n, e in zip(frame["period"], frame["value"], frame["n"], frame["moe"], strict=True)
    ]
    return go.Scatter(
        x=list(frame["period"]),
        y=frame["value"],
        mode="lines+markers",
        name=t("chart.monthly"),
        line={"color": PALETTE[0]},
        text=hover,
        hoverinfo="text",
    )


def trajectory_figure(tr: Trajectory, m: Metric, events: pd.DataFrame) -> go.Figure:
    """Monthly values with their 95 % band, the YTD line, glide path, target, projection and events."""
    months = tr.months
    x = list(months["period"])
    fig = go.Figure()
    fig.add_trace(band(months, name=t("chart.band")))
    fig.add_trace(monthly_line(months, m))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=months["ytd_value"],
            mode="lines",
            name=t("chart.ytd"),
            line={"color": PALETTE[6], "width": 3},
        )
    )
    if tr.target is not None:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=months["glide"],
                mode="lines",
                name=t("chart.glide"),
                line={"color": PALETTE[1], "dash": "dash"},
            )
        )
        fig.add_hline(
            y=tr.target,
            line={"color": PALETTE[5], "dash": "dot"},
            annotation_text=f"{t('chart.target')} {fmt.target(m, tr.target)}",
            annotation_position="top left",
            annotation={"bgcolor": "rgba(255,255,255,0.8)"},
        )
    if tr.projection is not None and x and tr.months_left > 0:  # a finished year has nothing to project
        end = dt.date(tr.year, 12, 1)
        fig.add_trace(
            go.Scatter(
                x=[x[-1], end],
                y=[tr.value, tr.projection],
                mode="lines+markers",
                name=t("chart.projection"),
                marker={"symbol": ["circle", "diamond"], "size": 10},
                line={"color": PALETTE[2], "dash": "dot"},
                text=["", f"{t('chart.projection')}: {fmt.value(m, tr.projection)}"],
                hoverinfo="text",
            )
        )
    event_markers(fig, events)
    _month_axis(fig, tr.year)
    fig.update_yaxes(title=label(m.label))
    zero_based(fig, m)
    return _layout(fig, 420)


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


def zero_based(fig: go.Figure, m: Metric, axis: str = "y") -> None:
    """Counts start their axis at zero: a bar or line of counts cut above zero exaggerates a change."""
    if m.unit in (Unit.COUNT, Unit.CONTACTS):
        (fig.update_yaxes if axis == "y" else fig.update_xaxes)(rangemode="tozero")


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
    title = t("chart.table")
    st.plotly_chart(
        fig,
        width="stretch",
        key=f"fig_{name}",
        config={**CONFIG, "toImageButtonOptions": {"format": "png", "filename": name}},
        alt=t("chart.alt", title=name.replace("_", " ")),
    )
    if raw is not None:
        shown = raw[list(columns)] if columns else raw
        chart_table(shown, title, f"{name}_table", decimals)
        download(shown, f"{name}_data", decimals)


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
