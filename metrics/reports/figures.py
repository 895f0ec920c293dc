"""Plotly figures shared by the board pack and the insight pages: trajectory, control chart, theme impact.

They take a language rather than reading the page's, so the HTML report can draw them outside Streamlit.
Data text (site, region and theme names) is escaped, because plotly reads a subset of HTML in labels.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections.abc import Mapping, Sequence

import pandas as pd

from metrics import catalogue
from metrics.months import month_starts
from metrics.reports import formatting
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import Metric, Unit, target_range

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
BAND = "rgba(0,114,178,0.15)"
INK = "#333333"  # 12.6:1 on white: chart text passes WCAG AA (4.5:1) with room to spare
# legend words: the pages' charts' own messages (chart.*, alerts.*), so one chart reads alike everywhere
WORDS: Mapping[str, str] = {
    "monthly": catalogue.N_("chart.monthly"), "ytd": catalogue.N_("chart.ytd"),
    "glide": catalogue.N_("chart.glide"), "target": catalogue.N_("chart.target"),
    "band": catalogue.N_("chart.band"), "week": catalogue.N_("figure.week"),
    "center": catalogue.N_("alerts.col_center"), "flagged": catalogue.N_("figure.flagged"),
    "impact": catalogue.N_("figure.impact"), "projection": catalogue.N_("chart.projection"),
}  # fmt: skip


def legend_words(lang: str) -> Mapping[str, str]:
    """The charts' legend and label words (WORDS) in `lang`: one chart reads alike on a page and in a file."""
    return {name: catalogue.text(key, lang) for name, key in WORDS.items()}


def layout(fig: object, lang: str, height: int, title: str = "") -> None:
    """Locale separators (33,5 / 12 345), a legend under the plot, room above for the title and events."""
    import plotly.io as pio

    # set as plotly's default, not per figure: per figure it is validated again (45 ms a chart on a page)
    if pio.templates.default != "plotly_white":
        pio.templates.default = "plotly_white"
    meta = fig.layout.meta  # type: ignore[attr-defined]
    rows = meta.get("event_rows", 0) if isinstance(meta, dict) else 0
    fig.update_layout(  # type: ignore[attr-defined]
        title={"text": html.escape(title), "x": 0} if title else None,
        height=height,
        margin={"l": 10, "r": 10, "t": (50 if title else 40) + 16 * rows, "b": 10},
        font={"color": INK},
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


def safe(text: object) -> str:
    """Data text for a plotly label: escaped, since plotly reads a subset of HTML in labels."""
    return html.escape(str(text))


def year_axis(fig: object, year: int, lang: str, *, narrow: bool = False) -> None:
    """Twelve month ticks with babel names (janv., févr. / Jan, Feb; J, F, M when narrow), Jan to Dec."""
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    fig.update_xaxes(  # type: ignore[attr-defined]
        tickvals=months,
        ticktext=[formatting.month_name(d, lang, narrow=narrow) for d in months],
        range=[dt.date(year - 1, 12, 16), dt.date(year, 12, 16)],
    )


def starts_at_zero(m: Metric) -> bool:
    """Counts start their axis at zero: a bar or line of counts cut above zero exaggerates a change."""
    return m.unit in (Unit.COUNT, Unit.CONTACTS)


def zero_based(fig: object, m: Metric, axis: str = "y") -> None:
    """A count's axis from zero (`starts_at_zero`)."""
    if starts_at_zero(m):
        (fig.update_yaxes if axis == "y" else fig.update_xaxes)(rangemode="tozero")  # type: ignore[attr-defined]


EVENT_ROWS = 3


def event_markers(fig: object, events: pd.DataFrame) -> None:
    """Dotted vertical lines, their labels stacked above the plot (never over the lines), one row each.

    The top margin grows with the rows used; labels are cut at 40 characters, the table has them whole.
    """
    for i, (day, text) in enumerate(zip(events["date"], events["label"], strict=True)):
        when = pd.Timestamp(day)
        shown = str(text) if len(str(text)) <= 40 else str(text)[:39] + "…"
        fig.add_vline(x=when.timestamp() * 1000, line={"color": "#595959", "dash": "dot"})  # type: ignore[attr-defined]
        fig.add_annotation(  # type: ignore[attr-defined]
            x=when, y=1.0, yref="paper", yanchor="bottom", yshift=4 + 16 * (i % EVENT_ROWS), text=safe(shown),
            showarrow=False, xanchor="left", font={"size": 11, "color": INK},
        )  # fmt: skip
    if len(events):
        fig.update_layout(meta={"event_rows": min(len(events), EVENT_ROWS)})  # type: ignore[attr-defined]


def band(frame: pd.DataFrame, *, name: str | None = None) -> object:
    """The shaded 95 % interval of a monthly series (high then low, reversed, closed as one shape)."""
    import plotly.graph_objects as go

    x = list(frame["period"])
    return go.Scatter(
        x=x + x[::-1], y=list(frame["high"]) + list(frame["low"])[::-1], fill="toself", fillcolor=BAND,
        mode="lines",  # plotly adds markers to short series: dots on the band's edges say nothing
        line={"width": 0}, hoverinfo="skip", name=name, showlegend=name is not None,
    )  # fmt: skip


def monthly_line(frame: pd.DataFrame, m: Metric, lang: str) -> object:
    """Month values as a line; the hover gives each month's n, and its margin when there is one."""
    import plotly.graph_objects as go

    hover = [
        f"{formatting.month(p, lang)}: {formatting.value(m, v, lang)} (n = {formatting.integer(n, lang)}"
        + (f", ± {formatting.number(e, m.decimals, lang)})" if e == e else ")")  # e != e: NaN, no margin
        for p, v, n, e in zip(frame["period"], frame["value"], frame["n"], frame["moe"], strict=True)
    ]
    return go.Scatter(x=list(frame["period"]), y=frame["value"], mode="lines+markers",
                      name=catalogue.text("chart.monthly", lang), line={"color": PALETTE[0]}, text=hover,
                      hoverinfo="text")  # fmt: skip


def line_trace(x: Sequence[object], y: Sequence[object], name: str, line: dict, **more: object) -> object:
    """A named line: the one shape of every line trace the charts draw (`more` adds markers, hover text)."""
    import plotly.graph_objects as go

    return go.Scatter(x=x, y=y, mode=more.pop("mode", "lines"), name=name, line=line, **more)


def trajectory_figure(
    tr: Trajectory,
    m: Metric,
    lang: str,
    title: str = "",
    events: pd.DataFrame | None = None,
    height: int = 420,
) -> object:
    """The one trajectory chart, drawn by the page and the board pack alike.

    Monthly values with their 95 % band, the YTD line, the glide path, the target, the projection and
    the dated events.
    """
    import plotly.graph_objects as go

    w = legend_words(lang)
    months = tr.months
    x = list(months["period"])
    fig = go.Figure()
    fig.add_trace(band(months, name=w["band"]))
    fig.add_trace(monthly_line(months, m, lang))
    fig.add_trace(line_trace(x, months["ytd_value"], w["ytd"], {"color": PALETTE[6], "width": 3}))
    if tr.target is not None:
        fig.add_trace(line_trace(x, months["glide"], w["glide"], {"color": PALETTE[1], "dash": "dash"}))
        fig.add_hline(
            y=tr.target, line={"color": PALETTE[5], "dash": "dot"},
            annotation_text=f"{w['target']} {formatting.target(m, tr.target, lang)}",
            annotation_position="top left", annotation={"bgcolor": "rgba(255,255,255,0.8)"},
        )  # fmt: skip
    if tr.projection is not None and x and tr.months_left > 0:  # a finished year has nothing to project
        said = w["projection"]
        fig.add_trace(go.Scatter(
            x=[x[-1], dt.date(tr.year, 12, 1)], y=[tr.value, tr.projection], mode="lines+markers", name=said,
            marker={"symbol": ["circle", "diamond"], "size": 10}, line={"color": PALETTE[2], "dash": "dot"},
            text=["", f"{said}: {formatting.value(m, tr.projection, lang)}"], hoverinfo="text",
        ))  # fmt: skip
    if events is not None:
        event_markers(fig, events)
    year_axis(fig, tr.year, lang)
    fig.update_yaxes(title=m.label[lang])
    zero_based(fig, m)
    layout(fig, lang, height, title)
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

    w = legend_words(lang)
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
    layout(fig, lang, 320, title)
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
    layout(fig, lang, 60 + 32 * len(ranked), title)
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
    layout(fig, lang, 300, label)
    return fig
