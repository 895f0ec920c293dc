"""The trajectory chart as a static SVG: the first screen's chart, drawn without a charting library.

In the browser, Plotly's bundle (4.7 MB of JavaScript) was most of the Trajectoire page's first open
(1.1 s of 2.7 s) and a third of each reload (docs/benchmarks.md, issue 31 session 11). This draws the
same lines as `figures.trajectory_figure` (monthly values and their 95 % band, the year to date, the
glide path, the target, the projection, the dated events) as an image; the interactive Plotly chart
opens on demand. Every text is XML-escaped: the SVG is shown as an `<img>`, where nothing runs anyway.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from metrics.reports import formatting
from metrics.reports.figures import BAND, EVENT_ROWS, INK, PALETTE, legend_words, starts_at_zero
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import Metric

WIDTH = 960
LEFT, RIGHT = 72, 24  # room for the y ticks and the axis title; the December point's marker
PLOT_HEIGHT = 300
ROW = 16  # one row of event labels above the plot, one line of text
GRID, EVENT_INK = "#E5E5E5", "#595959"
FONT = 'font-family="sans-serif" font-size="12"'  # not user-facing: SVG attributes
# a white outline under a label drawn over the lines, as the Plotly chart's label has a white box
HALO = ' stroke="#FFFFFF" stroke-width="4" paint-order="stroke"'  # not user-facing: SVG attributes
LABEL_CHARS = 40  # an event's label is cut past this; the events' table has it whole
Point = tuple[float, float | None]  # (x in pixels, value or None where the month has none)


@dataclass(frozen=True)
class Axis:
    """A linear scale from values to pixels, with round tick values that cover every value drawn."""

    low: float
    high: float
    top: float
    bottom: float
    ticks: tuple[float, ...]

    def y(self, value: float) -> float:
        """The pixel row of `value`: `low` at the bottom of the plot, `high` at its top."""
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `count` intervals over `span`."""
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(f * power for f in (1, 2, 2.5, 5, 10) if raw <= f * power)


def value_axis(values: Iterable[float], top: float, bottom: float, *, from_zero: bool) -> Axis:
    """The y axis: from a round tick at or under the lowest value to one at or over the highest."""
    shown = [v for v in values if not formatting.missing(v)]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    if from_zero:  # figures.starts_at_zero
        low = min(low, 0.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = nice_step(high - low)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    ticks = tuple(round(k * step, 10) for k in range(first, last + 1))
    return Axis(ticks[0], ticks[-1], top, bottom, ticks)


def _decimals(step: float) -> int:
    """Decimals a tick needs to tell it from its neighbour: 0 for a step of 5, 1 for 2.5 or 0.5."""
    for decimals in range(4):
        if abs(round(step, decimals) - step) < 1e-9:
            return decimals
    return 4


def _x_of(year: int, left: float, right: float) -> Callable[[object], float]:
    """Dates to pixels over mid-December of the year before to mid-December, as the Plotly chart."""
    start, end = dt.date(year - 1, 12, 16), dt.date(year, 12, 16)
    days = (end - start).days

    def x(day: object) -> float:
        when = pd.Timestamp(day).date()
        return left + (when - start).days / days * (right - left)

    return x


def _runs(points: Sequence[Point]) -> list[list[tuple[float, float]]]:
    """The points split where a month has no value: a gap in the data is a gap in the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, v in points:
        if v is None or formatting.missing(v):
            runs.append([])
        else:
            runs[-1].append((x, float(v)))
    return [r for r in runs if r]


def _path(run: Sequence[tuple[float, float]], axis: Axis) -> str:
    return " ".join(f"{x:.1f},{axis.y(v):.1f}" for x, v in run)


def _stroke(colour: str, width: int = 2, dash: str = "") -> str:
    """SVG stroke attributes: "2 3" dots, "6 4" dashes, "" a solid line."""
    return f'stroke="{colour}" stroke-width="{width}"' + (f' stroke-dasharray="{dash}"' if dash else "")


def _segment(x1: float, y1: float, x2: float, y2: float, style: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {style}/>'


def _line(points: Sequence[Point], axis: Axis, style: str, *, dots: str = "") -> list[str]:
    """A polyline per run of months with a value; a dot of colour `dots` on each point when given."""
    parts = []
    for run in _runs(points):
        parts.append(f'<polyline fill="none" {style} points="{_path(run, axis)}"/>')
        if dots:
            parts += [f'<circle cx="{x:.1f}" cy="{axis.y(v):.1f}" r="3.5" fill="{dots}"/>' for x, v in run]
    return parts


def _swatch(style: str, *, dot: str = "") -> str:
    """A legend's sample line (a format string filled in by `_legend`), with a dot of colour `dot`."""
    line = '<line x1="{x}" x2="{x2}" y1="{mid}" y2="{mid}" ' + style + "/>"
    return line + ('<circle cx="{xm}" cy="{mid}" r="3.5" fill="' + dot + '"/>' if dot else "")


def _band(xs: Sequence[float], low: Sequence[float], high: Sequence[float], axis: Axis) -> list[str]:
    """The 95 % interval as one closed shape per run of months that have one."""
    shapes = []
    pairs = [(x, None if formatting.missing(lo) or formatting.missing(hi) else (lo, hi))
             for x, lo, hi in zip(xs, low, high, strict=True)]  # fmt: skip
    run: list[tuple[float, tuple[float, float]]] = []
    for x, both in [*pairs, (0.0, None)]:
        if both is not None:
            run.append((x, both))
            continue
        if run:
            upper = [(px, hi) for px, (_lo, hi) in run]
            lower = [(px, lo) for px, (lo, _hi) in reversed(run)]
            shapes.append(f'<polygon fill="{BAND}" stroke="none" points="{_path(upper + lower, axis)}"/>')
        run = []
    return shapes


def _text(x: float, y: float, words: str, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="{INK}" {FONT}{extra}>{escape(words)}</text>'


def _legend(items: Sequence[tuple[str, str]], top: float) -> tuple[list[str], float]:
    """Swatch and words per item, left to right, wrapping at the chart's width; returns parts and bottom."""
    parts, x, y = [], float(LEFT), top
    for swatch, words in items:
        width = 34 + 7 * len(words)  # about 7 px a character at 12 px
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, y = float(LEFT), y + 20
        parts.append(swatch.format(x=x, y=y, mid=y - 4, x2=x + 24, xm=x + 12))
        parts.append(_text(x + 30, y, words))
        x += width + 16
    return parts, y + 12


@dataclass(frozen=True)
class _Plot:
    """Where a trajectory chart's plot sits: its scales, and its top and bottom edges in pixels."""

    x: Callable[[object], float]
    axis: Axis
    top: float
    bottom: float


def _frame(plot: _Plot, year: int, m: Metric, lang: str) -> list[str]:
    """Grid lines and tick labels, the month names under the plot, the axis title turned on its side."""
    axis, parts = plot.axis, []
    decimals = _decimals(axis.ticks[1] - axis.ticks[0]) if len(axis.ticks) > 1 else 0
    for tick in axis.ticks:
        y = axis.y(tick)
        parts.append(_segment(LEFT, y, WIDTH - RIGHT, y, _stroke(GRID, 1)))
        parts.append(_text(LEFT - 8, y + 4, formatting.number(tick, decimals, lang), ' text-anchor="end"'))
    centred = ' text-anchor="middle"'
    for month in range(1, 13):
        day = dt.date(year, month, 1)
        parts.append(_text(plot.x(day), plot.bottom + 18, formatting.month_name(day, lang), centred))
    middle = (plot.top + plot.bottom) / 2
    parts.append(_text(16, middle, m.label[lang], f'{centred} transform="rotate(-90 16 {middle:.1f})"'))
    return parts


def _event_marks(plot: _Plot, events: Sequence[tuple[object, str]]) -> list[str]:
    """A dotted line per dated event, its label above the plot, on up to EVENT_ROWS rows."""
    parts = []
    for i, (day, label) in enumerate(events):
        ex = plot.x(day)
        cut = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        parts.append(_segment(ex, plot.top, ex, plot.bottom, _stroke(EVENT_INK, 1, "2 3")))
        parts.append(_text(ex + 2, plot.top - 6 - ROW * (i % EVENT_ROWS), cut))
    return parts


def _legend_items(words: Mapping[str, str], *, targeted: bool, projected: bool) -> list[tuple[str, str]]:
    """(swatch, words) for each thing drawn, in the Plotly chart's order."""
    band = '<rect x="{x}" y="{y}" transform="translate(0,-10)" width="24" height="10" fill="' + BAND + '"/>'
    items = [
        (band, words["band"]),
        (_swatch(_stroke(PALETTE[0]), dot=PALETTE[0]), words["monthly"]),
        (_swatch(_stroke(PALETTE[6], 3)), words["ytd"]),
    ]
    if targeted:
        items += [(_swatch(_stroke(PALETTE[1], 2, "6 4")), words["glide"])]
        items += [(_swatch(_stroke(PALETTE[5], 2, "2 3")), words["target"])]
    if projected:
        items += [(_swatch(_stroke(PALETTE[2], 2, "2 3")), words["projection"])]
    return items


def trajectory_svg(tr: Trajectory, m: Metric, lang: str, events: pd.DataFrame | None = None) -> str:
    """`tr` against its target, month by month, as an SVG document (see the module's docstring)."""
    words = legend_words(lang)
    months = tr.months
    dated = [] if events is None else [
        (day, str(label)) for day, label in zip(events["date"], events["label"], strict=True)
        if pd.Timestamp(day).year == tr.year
    ]  # fmt: skip
    top = 24 + ROW * min(len(dated), EVENT_ROWS)
    x = _x_of(tr.year, LEFT, WIDTH - RIGHT)
    xs = [x(p) for p in months["period"]]
    targeted = tr.target is not None
    # a finished year, or one with no value yet, has nothing to project from
    projected = tr.projection is not None and tr.months_left > 0 and len(xs) > 0
    projected = projected and not formatting.missing(tr.value)
    values = [*months["low"], *months["high"], *months["value"], *months["ytd_value"]]
    values += [*months["glide"], tr.target] if targeted else []
    values += [tr.value, tr.projection] if projected else []
    axis = value_axis(values, top, top + PLOT_HEIGHT, from_zero=starts_at_zero(m))
    plot = _Plot(x, axis, top, top + PLOT_HEIGHT)
    parts = _frame(plot, tr.year, m, lang) + _event_marks(plot, dated)
    parts += _band(xs, list(months["low"]), list(months["high"]), axis)
    labels: list[str] = []  # drawn last, over the lines
    if targeted:
        ty = axis.y(float(tr.target))  # type: ignore[arg-type]
        parts.append(_segment(LEFT, ty, WIDTH - RIGHT, ty, _stroke(PALETTE[5], 2, "2 3")))
        said = f"{words['target']} {formatting.target(m, tr.target, lang)}"
        labels.append(_text(LEFT + 4, ty - 5, said, HALO))
        parts += _line(list(zip(xs, months["glide"], strict=True)), axis, _stroke(PALETTE[1], 2, "6 4"))
    parts += _line(list(zip(xs, months["ytd_value"], strict=True)), axis, _stroke(PALETTE[6], 3))
    parts += _line(list(zip(xs, months["value"], strict=True)), axis, _stroke(PALETTE[0]), dots=PALETTE[0])
    if projected:
        x0, y0 = xs[-1], axis.y(tr.value)
        x1, y1 = x(dt.date(tr.year, 12, 1)), axis.y(float(tr.projection))  # type: ignore[arg-type]
        parts.append(_segment(x0, y0, x1, y1, _stroke(PALETTE[2], 2, "2 3")))
        parts.append(f'<circle cx="{x0:.1f}" cy="{y0:.1f}" r="5" fill="{PALETTE[2]}"/>')
        parts.append(f'<path d="M{x1:.1f},{y1 - 7:.1f} l7,7 l-7,7 l-7,-7 z" fill="{PALETTE[2]}"/>')
        said = formatting.value(m, tr.projection, lang)
        labels.append(_text(x1 - 10, y1 - 10, said, ' text-anchor="end"' + HALO))
    legend, end = _legend(_legend_items(words, targeted=targeted, projected=projected), plot.bottom + 48)
    height = math.ceil(end + 8)
    name = f"{m.label[lang]} {tr.year}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label={quoteattr(name)}><title>{escape(name)}</title>'
        f'<rect width="{WIDTH}" height="{height}" fill="#FFFFFF"/>{"".join(parts + labels + legend)}</svg>'
    )
