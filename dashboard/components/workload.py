"""Workload tables and charts where a suppressed group shows words, never a number (screen, hover, CSV)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import display as fmt
from dashboard.components.charts import PALETTE, _layout, event_markers, month_ticks, safe
from dashboard.components.tables import DIM_KEYS, dim_label
from dashboard.i18n import label, t
from metrics.semantic.definitions import Metric

LABEL_KEYS = {**DIM_KEYS, "team": "workload.col_team", "period": "workload.col_month"}


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
    out = pd.DataFrame({t(LABEL_KEYS["period"]): [fmt.month(p) for p in frame["period"]]})
    for d in dims:
        out[t(LABEL_KEYS[d])] = [dim_label(d, v) for v in frame[d]]
    out[t("col.value")] = [
        text if h else fmt.value(m, v) for v, h in zip(frame["value"], hidden, strict=True)
    ]
    out[t("workload.col_n")] = [
        text if h else fmt.integer(n) for n, h in zip(frame["n"], hidden, strict=True)
    ]
    return out


def lines_figure(frame: pd.DataFrame, dims: tuple[str, ...], m: Metric, events: pd.DataFrame) -> go.Figure:
    """One line per site, or per team within its site (team names repeat across sites).

    A suppressed month is a gap whose hover says so; events are dotted lines.
    """
    fig = go.Figure()
    text = t("workload.suppressed")
    for i, (key, part) in enumerate(frame.groupby(list(dims), sort=True)):
        group = " · ".join(dim_label(d, v) for d, v in zip(dims, key, strict=True))
        hidden = _hidden(part)
        hover = [
            f"{safe(group)} {fmt.month(p)}: " + (text if h else f"{fmt.value(m, v)} (n = {fmt.integer(n)})")
            for p, v, n, h in zip(part["period"], part["value"], part["n"], hidden, strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=list(part["period"]),
                y=[None if h else v for v, h in zip(part["value"], hidden, strict=True)],
                mode="lines+markers",
                name=safe(group),
                line={"color": PALETTE[i % len(PALETTE)]},
                text=hover,
                hoverinfo="text",
                connectgaps=False,
            )
        )
    event_markers(fig, events)
    month_ticks(fig, list(frame["period"]))
    fig.update_yaxes(title=label(m.label))
    return _layout(fig, 460)


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
                t("workload.side"): t(f"workload.{side['side']}"),
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
