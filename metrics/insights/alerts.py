"""Alerts: what changed, and since when, from control charts per region and per site.

Each group (a metric in one region or site) is charted at the finest grain its answers bear: by week
when its median week has at least 10 answers, else by month, else not at all; `Watch.groups` says
which, so "no alert" is never said of groups nobody watched. The limits are set once for the whole
family of charts of a run, so that steady data raise about `FAMILY_FALSE_ALERTS` false alerts in all
(see `metrics.insights.control`, where the rules and the change point are).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.insights.control import (
    BASELINE,
    FAMILY_FALSE_ALERTS,
    MIN_BASELINE_N,
    MIN_PERIOD_N,
    WINDOW,
    base_chart,
    episodes,
    family_limit,
    flag,
    tests_of,
)
from metrics.months import add_months, month_end, month_start
from metrics.semantic.definitions import Metric, metric, shown_in
from metrics.semantic.query import dimensions_of, metric_frame
from metrics.store import Store

ALERT_METRICS = shown_in("alerts")  # declared on each metric (Metric.shown_in)
ALERT_DIMENSIONS = ("region", "site")
WEEKS = 52
COLUMNS = (
    "metric", "unit", "dimension", "group", "grain", "direction", "better", "rule",
    "started", "detected", "periods", "value", "center", "n",
)  # fmt: skip
GROUP_COLUMNS = ("metric", "dimension", "group", "grain", "periods", "n", "median_week_n", "baseline_n")


@dataclass(frozen=True, slots=True)
class Watch:
    """The alerts of one run, every group looked at (and at which grain), and the family's limit."""

    alerts: pd.DataFrame  # COLUMNS, newest first
    groups: pd.DataFrame  # GROUP_COLUMNS; grain "week", "month" or "" (too small to chart)
    z: float  # the limit, in sigmas, of every chart of the run
    tests: int  # the family's number of tests, which set z
    rate: float  # expected false alerts over the window, all charts together

    def coverage(self, dim: str | None = None) -> dict[str, int]:
        """How many groups (of `dim`, or all) are charted weekly, monthly, or too small to chart."""
        groups = self.groups if dim is None else self.groups[self.groups["dimension"] == dim]
        grains = groups["grain"].value_counts()
        return {"week": int(grains.get("week", 0)), "month": int(grains.get("month", 0)),
                "small": int(grains.get("", 0))}  # fmt: skip


def window(end: dt.date, weeks: int = WEEKS) -> tuple[dt.date, dt.date]:
    """The `weeks` whole weeks (Monday to Sunday) ending on or before `end`."""
    last_sunday = end - dt.timedelta(days=(end.weekday() + 1) % 7)
    return last_sunday - dt.timedelta(days=7 * weeks - 1), last_sunday


def month_window(end: dt.date, weeks: int = WEEKS) -> tuple[dt.date, dt.date]:
    """The whole months as long as `weeks` (12 for 52) ending on or before `end`."""
    last = month_end(end) if month_end(end) == end else month_start(end) - dt.timedelta(days=1)
    months = max(1, round(weeks * 12 / 52))
    return add_months(month_start(last), 1 - months), last


def weekly(store: Store, m: Metric, dim: str, end: dt.date, weeks: int = WEEKS) -> pd.DataFrame:
    """`m` per week and `dim` over the window ending at `end`."""
    start, stop = window(end, weeks)
    return metric_frame(store, m, grain="week", by=(dim,), start=start, end=stop)


def monthly(store: Store, m: Metric, dim: str, end: dt.date, weeks: int = WEEKS) -> pd.DataFrame:
    """`m` per month and `dim` over the months of the window ending at `end`."""
    start, stop = month_window(end, weeks)
    return metric_frame(store, m, grain="month", by=(dim,), start=start, end=stop)


def _median_week_n(one: pd.DataFrame, weeks: int) -> float:
    """The median answers a week, weeks without any counted as 0 (metric_frame leaves them out)."""
    n = one["n"].to_numpy(float)
    return float(np.median(np.concatenate([n, np.zeros(max(0, weeks - len(n)))])))


def _baseline_n(one: pd.DataFrame | None, grain: str) -> int:
    """The answers in the first periods a chart of `grain` would pool into its centre line."""
    if one is None:
        return 0
    return int(one[one["n"] >= MIN_PERIOD_N].sort_values("period")["n"].head(BASELINE[grain]).sum())


Chart = tuple[Metric, str, str, str, pd.DataFrame]  # metric, dimension, group, grain, base chart


def _charts(
    store: Store, end: dt.date, keys: Sequence[str], dims: Sequence[str], weeks: int
) -> tuple[list[Chart], pd.DataFrame]:
    """Each charted group's base chart, and one row per group saying at which grain it is charted."""
    charts: list[Chart] = []
    rows: list[dict[str, object]] = []
    for m in map(metric, keys):  # each key resolved once: the charts carry the declaration
        for dim in (d for d in dims if d in dimensions_of(m)):
            weeks_of = dict(tuple(weekly(store, m, dim, end, weeks).groupby(dim, sort=True)))
            months_of = dict(tuple(monthly(store, m, dim, end, weeks).groupby(dim, sort=True)))
            for group in sorted(set(weeks_of) | set(months_of), key=str):
                one_week, one_month = weeks_of.get(group), months_of.get(group)
                median = 0.0 if one_week is None else _median_week_n(one_week, weeks)
                grain, source = "", one_month
                # weekly when most weeks can be charted; a thin group's weeks left off would leave gaps
                if median >= MIN_PERIOD_N and one_week is not None:
                    chart = base_chart(one_week.sort_values("period"), m.kind, BASELINE["week"])
                    grain, source = ("week", one_week) if len(chart) else ("", one_month)
                if not grain and one_month is not None:
                    chart = base_chart(one_month.sort_values("period"), m.kind, BASELINE["month"])
                    grain = "month" if len(chart) else ""
                rows.append({
                    "metric": m.key, "dimension": dim, "group": group, "grain": grain,
                    "periods": len(chart) if grain else 0,
                    "n": 0 if source is None else int(source["n"].sum()),
                    "median_week_n": median, "baseline_n": _baseline_n(source, grain or "month"),
                })  # fmt: skip
                if grain:
                    charts.append((m, dim, group, grain, chart))
    return charts, pd.DataFrame(rows, columns=list(GROUP_COLUMNS))


def watch(
    store: Store,
    end: dt.date,
    *,
    since: dt.date | None = None,
    keys: Sequence[str] = ALERT_METRICS,
    dims: Sequence[str] = ALERT_DIMENSIONS,
    weeks: int = WEEKS,
    rate: float = FAMILY_FALSE_ALERTS,
) -> Watch:
    """Chart every group of `keys` by each of `dims` with one family-wide limit, and list the alerts.

    `since` keeps the alerts that started on or after it; the groups and the limit do not depend on it.
    """
    charts, groups = _charts(store, end, keys, dims, weeks)
    tests = sum(tests_of(chart, WINDOW[grain]) for *_, grain, chart in charts)
    z = family_limit(tests, rate)
    rows: list[dict[str, object]] = []
    for m, dim, group, grain, chart in charts:
        for found in episodes(flag(chart, z, WINDOW[grain])):
            rows.append({
                "metric": m.key, "unit": m.unit.value, "dimension": dim, "group": group,
                "grain": grain, "better": (found["direction"] == "up") == m.higher_is_better, **found,
            })  # fmt: skip
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    if since is not None and not out.empty:
        out = out[pd.to_datetime(out["started"]).dt.date >= since]
    out = out.sort_values(
        ["started", "metric", "dimension", "group"], ascending=[False, True, True, True], kind="stable"
    ).reset_index(drop=True)[list(COLUMNS)]
    return Watch(alerts=out, groups=groups, z=z, tests=tests, rate=rate)


def alerts(
    store: Store,
    end: dt.date,
    *,
    since: dt.date | None = None,
    keys: Sequence[str] = ALERT_METRICS,
    dims: Sequence[str] = ALERT_DIMENSIONS,
    weeks: int = WEEKS,
) -> pd.DataFrame:
    """Every alert of `keys` by each of `dims`, newest first; `since` keeps those started on or after it."""
    return watch(store, end, since=since, keys=keys, dims=dims, weeks=weeks).alerts


def group_chart(
    store: Store,
    m: Metric,
    dim: str,
    group: str,
    end: dt.date,
    weeks: int = WEEKS,
    *,
    grain: str = "week",
    z: float = 3.0,
) -> pd.DataFrame:
    """The control chart of one group at `grain` with limits at `z` (the run's), for drawing an alert."""
    frame = (weekly if grain == "week" else monthly)(store, m, dim, end, weeks)
    one = frame[frame[dim] == group].sort_values("period")
    return flag(base_chart(one, m.kind, BASELINE[grain]), z, WINDOW[grain])


def coverage_text(found: Watch, lang: str, dim: str | None = None) -> str:
    """What "no alert" covers: "12 groupes suivis (3 à la semaine, 9 au mois), 264 trop petits (...)."."""
    from metrics import catalogue

    c = found.coverage(dim)
    charted = c["week"] + c["month"]
    text = catalogue.text("alerts.charted", lang, n=charted, weekly=c["week"], monthly=c["month"])
    if c["small"]:
        text += ", " + catalogue.text(
            "alerts.too_small", lang, n=c["small"], min_n=MIN_BASELINE_N, months=BASELINE["month"]
        )
    return text + "."


def limits_text(found: Watch, lang: str) -> str:
    """The family's limit and the false alerts it allows, in `lang`; empty when nothing was charted."""
    from metrics import catalogue
    from metrics.reports.formatting import number

    charts = int((found.groups["grain"] != "").sum())
    if not charts:
        return ""
    return catalogue.text(
        "alerts.limits", lang, n=charts, z=number(found.z, 1, lang), rate=number(found.rate, 0, lang)
    )
