"""Field operations and complaints: KPI row with n, monthly trends with their band, a Pareto of categories."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from dashboard import display as fmt
from dashboard.components.charts import (
    PALETTE,
    _layout,
    _month_axis,
    band,
    line_trace,
    monthly_line,
    safe,
    zero_based,
)
from dashboard.components.tables import dim_label, dim_title, metric_table
from dashboard.i18n import current_lang, label, t
from metrics.contracts.datasets import DATASETS
from metrics.semantic.definitions import Metric

value_label = dim_label


def labelled(frame: pd.DataFrame, dim: str) -> pd.DataFrame:
    """`frame` with its `dim` values as the reader sees them (for chart titles)."""
    out = frame.copy()
    out[dim] = [value_label(dim, v) for v in frame[dim]]
    return out


def kpi_row(items: Sequence[tuple[Metric, pd.DataFrame]], per_row: int = 4) -> None:
    """One card per metric: its year-to-date value, then n (and the margin when there is one)."""
    for start in range(0, len(items), per_row):
        for col, (m, frame) in zip(st.columns(per_row), items[start : start + per_row], strict=False):
            with col, st.container(border=True):
                row = frame.iloc[-1] if not frame.empty else None
                st.metric(
                    label(m.label),
                    fmt.value(m, None if row is None else row["value"]),
                    help=label(m.description),
                )
                if row is None:
                    continue
                caption = t("card.n", n=fmt.integer(row["n"]))
                if not pd.isna(row["moe"]):
                    caption += f" · {t('card.moe', moe=fmt.number(row['moe'], m.decimals))}"
                st.caption(caption)  # text-safe: catalogue words and formatted numbers


def empty_note(m: Metric, gap: tuple[str, int, int] | None) -> str:
    """Why a complaint metric shows nothing: its closing dates are missing, or just no data."""
    if gap is None:
        return t("operations.no_data")
    column, rows, missing = gap
    name = label(DATASETS[m.dataset].column(column).label)
    return t("no_data.closing_dates", column=name, share=fmt.percent(100 * missing / rows, 0), rows=rows)


def kpi_export(items: Sequence[tuple[Metric, pd.DataFrame]]) -> pd.DataFrame:
    """The KPI row for a CSV: metric key, then the year-to-date row of each (raw numbers)."""
    cols = ["period", "value", "n", "moe", "low", "high", "suppressed"]
    rows = [frame[cols].tail(1).assign(metric=m.key) for m, frame in items if not frame.empty]
    return (
        pd.concat(rows, ignore_index=True)[["metric", *cols]]
        if rows
        else pd.DataFrame(columns=["metric", *cols])
    )


def monthly_table(frame: pd.DataFrame, m: Metric, dims: Sequence[str] = ()) -> pd.DataFrame:
    """Month, dims, value, n, margin and interval, every number formatted for the reader."""
    out = metric_table(frame, m, dims)
    out.insert(0, t("col.period"), [fmt.month(p) for p in frame["period"]])
    return out


def monthly_figure(frame: pd.DataFrame, m: Metric, year: int) -> go.Figure:
    """One metric month by month, with its 95 % band when it has one; n in the hover."""
    fig = go.Figure()
    if frame["moe"].notna().any():
        fig.add_trace(band(frame, name=t("chart.band")))
    fig.add_trace(monthly_line(frame, m))
    _month_axis(fig, year)
    fig.update_yaxes(title=label(m.label))
    zero_based(fig, m)
    return _layout(fig, 380)


def pareto(frame: pd.DataFrame, dim: str) -> pd.DataFrame:
    """Groups by count, largest first (ties by name), with their share and cumulative share in %.

    Suppressed or empty groups are left out: a count we may not show cannot be ranked either.
    """
    kept = frame[~frame["suppressed"].astype(bool) & frame["value"].notna()]
    out = pd.DataFrame({dim: kept[dim].astype(str), "count": kept["value"].astype(int)})
    out = out.sort_values(["count", dim], ascending=[False, True], kind="stable").reset_index(drop=True)
    total = out["count"].sum()
    out["share_pct"] = out["count"] / total * 100 if total else 0.0
    out["cumulative_pct"] = out["count"].cumsum() / total * 100 if total else 0.0
    return out


def pareto_table(frame: pd.DataFrame, dim: str) -> pd.DataFrame:
    """The Pareto as the reader sees it: category, count, share and cumulative share."""
    return pd.DataFrame(
        {
            dim_title(dim): [value_label(dim, v) for v in frame[dim]],
            t("operations.col_count"): [fmt.integer(v) for v in frame["count"]],
            t("operations.col_share"): [fmt.percent(v, 1) for v in frame["share_pct"]],
            t("operations.col_cumulative"): [
                fmt.percent(v, 1) for v in frame["cumulative_pct"]
            ],
        }
    )


def pareto_figure(frame: pd.DataFrame, dim: str) -> go.Figure:
    """Bars of counts, largest first, and the cumulative share on a 0-100 % right-hand axis."""
    names = [safe(value_label(dim, v)) for v in frame[dim]]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=names,
            y=frame["count"],
            name=t("operations.col_count"),
            marker_color=PALETTE[4],
            hovertext=[f"{n}: {fmt.integer(c)}" for n, c in zip(names, frame["count"], strict=True)],
            hoverinfo="text",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        line_trace(
            names,
            frame["cumulative_pct"],
            t("operations.col_cumulative"),
            {"color": PALETTE[5]},
            mode="lines+markers",
            text=[
                f"{n}: {fmt.percent(c, 1)}"
                for n, c in zip(names, frame["cumulative_pct"], strict=True)
            ],
            hoverinfo="text",
        ),
        secondary_y=True,
    )
    fig.update_yaxes(title=t("operations.col_count"), rangemode="tozero", secondary_y=False)
    fig.update_yaxes(
        title=t("operations.col_cumulative"),
        range=[0, 105],
        ticksuffix=" %" if current_lang() == "fr" else "%",  # the right axis reads in %
        tickvals=[0, 25, 50, 75, 100],
        secondary_y=True,
    )
    # long category names wrap at an angle instead of overlapping; the margin grows to hold them
    fig.update_xaxes(tickangle=-35, automargin=True)
    return _layout(fig, 460)
