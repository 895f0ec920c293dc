"""Plotly figures shared by the board pack and the insight pages: trajectory, control chart, theme impact.

They take a language rather than reading the page's, so the HTML report can draw them outside Streamlit.
Data text (site, region and theme names) is escaped, because plotly reads a subset of HTML in labels.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping

import pandas as pd

from metrics import catalogue
from metrics.months import month_starts
from metrics.reports import formatting
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import Metric, target_range

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
BAND = "rgba(0,114,178,0.15)"
# legend words: the pages' charts' own messages (chart.*, alerts.*), so one chart reads alike everywhere
WORDS: Mapping[str, str] = {
    "monthly": catalogue.N_("chart.monthly"), "ytd": catalogue.N_("chart.ytd"),
    "glide": catalogue.N_("chart.glide"), "target": catalogue.N_("chart.target"),
    "band": catalogue.N_("chart.band"), "week": catalogue.N_("figure.week"),
    "center": catalogue.N_("alerts.col_center"), "flagged": catalogue.N_("figure.flagged"),
    "impact": catalogue.N_("figure.impact"),
}  # fmt: skip


def _words(lang: str) -> Mapping[str, str]:
    return {name: catalogue.text(key, lang) for name, key in WORDS.items()}


def _layout(fig: object, lang: str, height: int, title: str) -> None:
    fig.update_layout(  # type: ignore[attr-defined]
        title={"text": html.escape(title), "x": 0},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template="plotly_white",
        separators=", " if lang == "fr" else ".,",
        colorway=PALETTE,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    )


def _month_ticks(fig: object, periods: list[object], lang: str) -> None:
    """Month ticks named in the reader's language (janv. 2026 / Jan 2026), not plotly's English."""
    if not periods:
        return
    first, last = min(periods), max(periods)
    months = month_starts(first, last)
    step = max(1, len(months) // 8)
    shown = months[::step]
    fig.update_xaxes(tickvals=shown, ticktext=[formatting.month(d, lang) for d in shown])  # type: ignore[attr-defined]


def trajectory_figure(tr: Trajectory, m: Metric, lang: str, title: str) -> object:
    """Monthly values with their 95 % band, the year-to-date line, the glide path and the target."""
    import plotly.graph_objects as go

    w = _words(lang)
    months = tr.months
    x = list(months["period"])
    fig = go.Figure()
    band_y = list(months["high"]) + list(months["low"])[::-1]
    fig.add_trace(go.Scatter(x=x + x[::-1], y=band_y, fill="toself", fillcolor=BAND, line={"width": 0},
                             name=w["band"], hoverinfo="skip"))  # fmt: skip
    hover = [
        f"{formatting.month(p, lang)}: {formatting.value(m, v, lang)} (n = {formatting.number(n, 0, lang)})"
        for p, v, n in zip(months["period"], months["value"], months["n"], strict=True)
    ]
    fig.add_trace(go.Scatter(x=x, y=months["value"], mode="lines+markers", name=w["monthly"], text=hover,
                             hoverinfo="text", line={"color": PALETTE[0]}))  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=months["ytd_value"], mode="lines", name=w["ytd"],
                             line={"color": PALETTE[6], "width": 3}))  # fmt: skip
    if tr.target is not None:
        fig.add_trace(go.Scatter(x=x, y=months["glide"], mode="lines", name=w["glide"],
                                 line={"color": PALETTE[1], "dash": "dash"}))  # fmt: skip
        fig.add_hline(y=tr.target, line={"color": PALETTE[5], "dash": "dot"},
                      annotation_text=f"{w['target']} {formatting.value(m, tr.target, lang)}")  # fmt: skip
    _month_ticks(fig, x, lang)
    _layout(fig, lang, 380, title)
    return fig


def _limits(chart: pd.DataFrame, lang: str) -> str:
    """The limits' legend at the chart's z ("Limites à ±3,3 sigmas"), worded as the alerts page says it."""
    z = float(chart["z"].iloc[0]) if "z" in chart and len(chart) else 3.0
    return catalogue.text("alerts.limits_legend", lang, z=formatting.number(z, 1, lang))


def _monthly(periods: list[object]) -> bool:
    """Whether a chart's points are months: each on the 1st, at least 28 days apart."""
    days = [pd.Timestamp(p) for p in periods]
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    return len(days) > 1 and all(d.day == 1 for d in days) and min(gaps) >= 28


def control_figure(chart: pd.DataFrame, m: Metric, lang: str, title: str) -> object:
    """Weekly values against the baseline and its 3-sigma limits; weeks that broke a rule are marked."""
    import plotly.graph_objects as go

    w = _words(lang)
    x = list(chart["period"])
    low, high = target_range(m)  # limits past what the metric can take (over 100 %) are drawn at it
    ucl, lcl = chart["ucl"].clip(upper=high), chart["lcl"].clip(lower=low)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=ucl, mode="lines", name=_limits(chart, lang),
                             line={"color": "#999", "dash": "dot", "shape": "hvh"}))  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=lcl, mode="lines", showlegend=False,
                             line={"color": "#999", "dash": "dot", "shape": "hvh"}))  # fmt: skip
    fig.add_trace(go.Scatter(x=x, y=chart["center"], mode="lines", name=w["center"],
                             line={"color": PALETTE[1]}))  # fmt: skip
    # a thin group is charted by month (metrics.insights.alerts): its points are months, not weeks
    when = formatting.month if _monthly(x) else lambda p, lang: f"{w['week']} {formatting.day(p, lang)}"
    hover = [
        f"{when(p, lang)}: {formatting.value(m, v, lang)} (n = {formatting.number(n, 0, lang)})"
        for p, v, n in zip(chart["period"], chart["value"], chart["n"], strict=True)
    ]
    fig.add_trace(go.Scatter(x=x, y=chart["value"], mode="lines+markers", name=m.label[lang], text=hover,
                             hoverinfo="text", line={"color": PALETTE[0]}))  # fmt: skip
    flagged = chart[chart["beyond"] | chart["in_run"]]
    fig.add_trace(go.Scatter(x=list(flagged["period"]), y=flagged["value"], mode="markers", name=w["flagged"],
                             marker={"color": PALETTE[5], "size": 10, "symbol": "diamond"}))  # fmt: skip
    _month_ticks(fig, x, lang)
    _layout(fig, lang, 320, title)
    return fig


def impact_figure(themes: pd.DataFrame, lang: str, title: str) -> object:
    """Themes ranked by impact, largest on top, each labelled with how many answers mention it."""
    import plotly.graph_objects as go

    ranked = themes.sort_values("impact")
    names = [
        f"{html.escape(str(label))} (n = {formatting.number(n, 0, lang)})"
        for label, n in zip(ranked["label"], ranked["mentions"], strict=True)
    ]
    fig = go.Figure(go.Bar(x=ranked["impact"], y=names, orientation="h", marker={"color": PALETTE[0]}))
    fig.update_xaxes(title=catalogue.text("figure.impact", lang))
    _layout(fig, lang, 60 + 32 * len(ranked), title)
    return fig


def share_figure(monthly: pd.DataFrame, label: str, lang: str) -> object:
    """One theme's share of comments month by month, each point with its number of comments."""
    import plotly.graph_objects as go

    hover = [
        f"{formatting.month(p, lang)}: {formatting.percent(100 * s, 1, lang)} "
        f"({formatting.number(k, 0, lang)} / {formatting.number(n, 0, lang)})"
        for p, s, k, n in zip(monthly["period"], monthly["share"], monthly["mentions"], monthly["comments"],
                              strict=True)
    ]  # fmt: skip
    fig = go.Figure(go.Scatter(x=list(monthly["period"]), y=100 * monthly["share"], mode="lines+markers",
                               text=hover, hoverinfo="text", line={"color": PALETTE[0]}))  # fmt: skip
    fig.update_yaxes(rangemode="tozero", ticksuffix=" %")
    _month_ticks(fig, list(monthly["period"]), lang)
    _layout(fig, lang, 300, label)
    return fig
