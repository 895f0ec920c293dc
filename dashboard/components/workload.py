"""Workload tables and charts where a suppressed group shows words, never a number (screen, hover, CSV)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import display as fmt
from dashboard.components.charts import _layout, event_markers, month_ticks, safe
from dashboard.components.tables import dim_label, dim_labels, dim_title, once_each
from dashboard.i18n import current_lang, label, t
from metrics.catalogue import N_
from metrics.semantic.definitions import Metric

# a before/after comparison's verdict and its two sides (metrics.reports.before_after)
VERDICTS = {
    "up": N_("workload.verdict_up"),
    "down": N_("workload.verdict_down"),
    "noise": N_("workload.verdict_noise"),
}
SIDES = {"before": N_("workload.before"), "after": N_("workload.after")}
SHOWN_ROWS = 1000  # rows of the latest-months grid on screen; the download holds every row


def _hidden(frame: pd.DataFrame) -> pd.Series:
    return frame["suppressed"].astype(bool)


def export_frame(frame: pd.DataFrame, dims: Sequence[str]) -> pd.DataFrame:
    """Period, dims, value and n for a CSV: suppressed rows carry the suppression text in both columns."""
    hidden = _hidden(frame)
    text = t("workload.suppressed")
    out = frame[["period", *dims]].copy()
    out["value"] = [text if h else v for v, h in zip(frame["value"], hidden, strict=True)]
    out["n"] = [text if h else n for n, h in zip(frame["n"], hidden, strict=True)]
    return out.astype({"value": object, "n": object})


def display_frame(frame: pd.DataFrame, m: Metric, dims: Sequence[str]) -> pd.DataFrame:
    """Month, dims, value and n formatted for the reader; suppressed rows say so in words."""
    hidden = _hidden(frame)
    text = t("workload.suppressed")
    lang = current_lang()  # once: tens of thousands of cells at 10M answers
    out = pd.DataFrame({t("workload.col_month"): once_each(lambda p: fmt.month(p, lang), frame["period"])})
    for d in dims:
        out[dim_title(d)] = dim_labels(d, frame[d])
    out[t("col.value")] = [
        text if h else fmt.value(m, v, lang) for v, h in zip(frame["value"], hidden, strict=True)
    ]
    out[t("workload.col_n")] = [
        text if h else fmt.integer(n, lang) for n, h in zip(frame["n"], hidden, strict=True)
    ]
    return out


def heatmap_figure(frame: pd.DataFrame, dims: tuple[str, ...], m: Metric, events: pd.DataFrame) -> go.Figure:
    """One row per group (site, or team within its site), one column per month, colour = value.

    Replaces one line per group: 42 lines in 8 repeated colours could not be told apart. A suppressed
    cell is blank and its hover says why; each cell's number shows in its hover and in the table.
    """
    text = t("workload.suppressed")
    rows = frame.assign(
        group=[
            " · ".join(dim_label(d, v) for d, v in zip(dims, key, strict=True))
            for key in zip(*(frame[d] for d in dims), strict=True)
        ]
    )
    groups = sorted(set(rows["group"]))
    months = sorted(set(rows["period"]))
    # a dict, not `.loc` per cell: 42 groups x 10 months of `.loc` took a third of the page's run
    cells = {
        (g, p): (bool(s), v, n)
        for g, p, s, v, n in zip(
            rows["group"], rows["period"], rows["suppressed"], rows["value"], rows["n"], strict=True
        )
    }
    names = {p: fmt.month(p) for p in months}
    z, hover = [], []
    for g in groups:
        z_row, h_row = [], []
        for p in months:
            if (g, p) not in cells:
                z_row.append(None)
                h_row.append(f"{safe(g)} {names[p]}: –")
                continue
            hidden, v, n = cells[(g, p)]
            z_row.append(None if hidden else float(v))
            h_row.append(
                f"{safe(g)} {names[p]}: " + (text if hidden else f"{fmt.value(m, v)} (n = {fmt.integer(n)})")
            )
        z.append(z_row)
        hover.append(h_row)
    fig = go.Figure(
        go.Heatmap(
            x=months,
            y=[safe(g) for g in groups],
            z=z,
            text=hover,
            hoverinfo="text",
            colorscale="Cividis",  # ordered light-dark, readable with colour-vision deficiencies
            reversescale=not m.higher_is_better,
            colorbar={"title": {"text": label(m.label)}},
            xgap=1,
            ygap=1,
        )
    )
    event_markers(fig, events)
    month_ticks(fig, months)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, 120 + 22 * len(groups))


def threshold_styles(frame: pd.DataFrame, threshold: float | None) -> list[bool]:
    """Which rows are above the user's threshold (suppressed rows never are: their value is hidden)."""
    if threshold is None:
        return [False] * len(frame)
    return [
        (not h) and v == v and float(v) > threshold
        for v, h in zip(frame["value"], _hidden(frame), strict=True)
    ]


def before_after_sentence(sides: pd.DataFrame, m: Metric) -> str:
    """The comparison in one sentence: before → after, the difference, and whether it is beyond noise."""
    verdict = sides.attrs.get("verdict", "untested")
    if verdict == "untested":
        return t("workload.verdict_untested", metric=label(m.label))
    before, after = sides["value"].iloc[0], sides["value"].iloc[1]
    return t(
        VERDICTS[verdict],
        metric=label(m.label),
        before=fmt.value(m, before),
        after=fmt.value(m, after),
        diff=fmt.value(m, sides.attrs["difference"], signed=True),
        p=fmt.number(sides.attrs["p_value"], 3),
    )


def event_label(event: pd.Series) -> str:
    """An event as the list shows it: 16 sept. 2025 · Lancement … (Nord)."""
    region = event["region"] if isinstance(event["region"], str) else None
    return f"{fmt.day(event['date'])} · {event['label']}" + (f" ({region})" if region else "")


def before_after_frame(sides: pd.DataFrame, m: Metric) -> pd.DataFrame:
    """Before and after, each with its dates, value and n; a suppressed side says so in words."""
    text = t("workload.suppressed")
    rows = []
    for _, side in sides.iterrows():
        hidden = bool(side["suppressed"])
        rows.append(
            {
                t("workload.side"): t(SIDES[side["side"]]),
                t("workload.col_month"): t(
                    "workload.months", start=fmt.month(side["start"]), end=fmt.month(side["end"])
                ),
                t("col.value"): text if hidden else fmt.value(m, side["value"]),
                t("workload.col_n"): text if hidden else fmt.integer(side["n"]),
            }
        )
    return pd.DataFrame(rows)


def before_after_export(sides: pd.DataFrame) -> pd.DataFrame:
    """The comparison for a CSV, suppressed sides carrying the suppression text."""
    out = sides.drop(columns="suppressed").astype({"value": object, "n": object})
    text = t("workload.suppressed")
    out.loc[sides["suppressed"].astype(bool).to_numpy(), ["value", "n"]] = text
    return out
