"""Alerts: what changed, and since when, from weekly control charts per region and per site.

Rules (Western Electric rules 1 and 4, which are Nelson rules 1 and 2):
  * `3_sigma`: one week beyond 3 standard errors from the centre line;
  * `run_of_8`: eight weeks in a row on the same side of the centre line.
The centre line is the pooled value of the first `baseline_weeks` weeks of the window. A week's limits
come from its own n: a p-chart for rates (sd = 100 sqrt(p (1 - p) / n)) and its NPS equivalent (sd =
100 sqrt((p_P + p_D - (p_P - p_D)^2) / n)), both one answer's score variance over n. Flagged weeks on
one side in a row make one alert, dated by the week the change started (the first week of the run,
moved on to the most likely step within it), not by the week a rule fired.
On a steady series of 52 weeks the two rules together raise about 0.3 false alerts with known limits
(rule 1: 52 x 0.0027 = 0.14; rule 2: about 23 run starts x 2^-7 = 0.18), about 0.43 measured with
the centre estimated from 13 weeks of 150 answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from metrics.semantic.definitions import StatKind, metric
from metrics.semantic.kinds import KINDS, Categories
from metrics.semantic.query import dimensions_of, metric_frame
from metrics.store import Store

ALERT_METRICS = ("nps", "first_time_fix_rate", "resolved_within_sla_pct", "repeat_contact_rate")
ALERT_DIMENSIONS = ("region", "site")
RULES = ("3_sigma", "run_of_8")
SIGMAS = 3.0
RUN = 8
WEEKS = 52
BASELINE_WEEKS = 13
MIN_WEEK_N = 10  # weeks with fewer answers are left off the chart: the normal limits would mislead
MIN_BASELINE_N = 100
CHART_COLUMNS = ("center", "sigma", "lcl", "ucl", "side", "beyond", "in_run", "run_fired", "fired")
COLUMNS = (
    "metric",
    "unit",
    "dimension",
    "group",
    "direction",
    "better",
    "rule",
    "started",
    "detected",
    "weeks",
    "value",
    "center",
    "n",
)


def _unit_variance(spec: Categories, sums: Mapping[str, float]) -> tuple[float, float]:
    """Centre line and one answer's score variance from pooled counts."""
    counts = np.array([float(sums[c]) for c in spec.columns])
    shares = np.append(counts, float(sums["n"]) - counts.sum()) / float(sums["n"])
    scores = np.asarray(spec.scores)
    center = float(scores @ shares)
    return center, float(scores**2 @ shares - center**2)


def control_chart(weekly: pd.DataFrame, kind: StatKind, baseline_weeks: int = BASELINE_WEEKS) -> pd.DataFrame:
    """One group's weeks with centre, sigma, limits, side, and the rules each week breaks.

    `weekly` holds metric_frame rows of one group (period, value, n and the measure sums), sorted.
    Columns added: center, sigma, lcl, ucl, side (+1/-1/0), beyond, in_run, fired (a rule fired
    that week), so a chart can draw limits and mark points.
    """
    categories = KINDS[kind].categories
    assert categories is not None, f"{kind} answers do not fall in categories"
    # numpy columns, one `assign` at the end: the Alerts page charts about 200 groups, and ten pandas
    # column assignments each took most of its 5 s of control charts at 1M answers
    chart = weekly[weekly["n"] >= MIN_WEEK_N].reset_index(drop=True)
    columns = [*categories.columns, "n"]
    base = chart[columns].to_numpy(float)[:baseline_weeks].sum(axis=0)
    if base[-1] < MIN_BASELINE_N:  # no baseline to judge against: no chart
        return chart.head(0).assign(**{c: [] for c in CHART_COLUMNS})
    center, unit_var = _unit_variance(categories, dict(zip(columns, base, strict=True)))
    value = chart["value"].to_numpy(float)
    sigma = np.sqrt(unit_var / chart["n"].to_numpy(float))
    sides = np.sign(value - center).astype(int)
    beyond = np.abs(value - center) > SIGMAS * sigma
    in_run = np.zeros(len(chart), dtype=bool)
    run_fired = np.zeros(len(chart), dtype=bool)
    start = 0
    for i in range(len(chart)):
        if i > 0 and (sides[i] != sides[i - 1] or sides[i] == 0):
            start = i
        length = i - start + 1
        if sides[i] != 0 and length >= RUN:
            in_run[start : i + 1] = True
            run_fired[i] = length == RUN
    return chart.assign(
        center=center, sigma=sigma, lcl=center - SIGMAS * sigma, ucl=center + SIGMAS * sigma, side=sides,
        beyond=beyond, in_run=in_run, run_fired=run_fired, fired=beyond | run_fired,
    )


def _change_week(chart: pd.DataFrame, first: int, last: int) -> int:
    """The most likely week of a step change within flagged weeks `first`..`last`.

    A run can begin with weeks that fell on that side by chance before the real change; the maximum
    likelihood step (Samuel, Pignatiello and Calvin, 1998) picks the start s maximising
    (sum of z from s to last)^2 / (last - s + 1), z being each week's distance to the centre in sigmas.
    """
    z = ((chart["value"] - chart["center"]) / chart["sigma"]).to_numpy()[first : last + 1]
    tail_sums = np.cumsum(z[::-1])[::-1]
    score = tail_sums**2 / np.arange(len(z), 0, -1)
    return first + int(np.argmax(score))


def episodes(chart: pd.DataFrame) -> list[dict[str, object]]:
    """Flagged weeks on one side in a row, as alerts dated by the week their change started."""
    flagged = (chart["beyond"] | chart["in_run"]).to_numpy()
    sides = chart["side"].to_numpy()
    found: list[dict[str, object]] = []
    i = 0
    while i < len(chart):
        if not flagged[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(chart) and flagged[j + 1] and sides[j + 1] == sides[i]:
            j += 1
        flagged_part = chart.iloc[i : j + 1]
        part = chart.iloc[_change_week(chart, i, j) : j + 1]
        rules = [r for r, col in zip(RULES, ("beyond", "in_run"), strict=True) if flagged_part[col].any()]
        fired = flagged_part[flagged_part["fired"]]
        found.append(
            {
                "direction": "up" if sides[i] > 0 else "down",
                "rule": "+".join(rules),
                "started": part["period"].iloc[0],
                "detected": fired["period"].iloc[0] if len(fired) else part["period"].iloc[-1],
                "weeks": len(part),
                "value": float((part["value"] * part["n"]).sum() / part["n"].sum()),
                "center": float(part["center"].iloc[0]),
                "n": int(part["n"].sum()),
            }
        )
        i = j + 1
    return found


def window(end: dt.date, weeks: int = WEEKS) -> tuple[dt.date, dt.date]:
    """The `weeks` whole weeks (Monday to Sunday) ending on or before `end`."""
    last_sunday = end - dt.timedelta(days=(end.weekday() + 1) % 7)
    return last_sunday - dt.timedelta(days=7 * weeks - 1), last_sunday


def weekly(store: Store, key: str, dim: str, end: dt.date, weeks: int = WEEKS) -> pd.DataFrame:
    """`key` per week and `dim` over the window ending at `end`."""
    start, stop = window(end, weeks)
    return metric_frame(store, key, grain="week", by=(dim,), start=start, end=stop)


def group_chart(
    store: Store, key: str, dim: str, group: str, end: dt.date, weeks: int = WEEKS
) -> pd.DataFrame:
    """The control chart of one group, for drawing an alert."""
    frame = weekly(store, key, dim, end, weeks)
    return control_chart(frame[frame[dim] == group].sort_values("period"), metric(key).kind)


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
    rows: list[dict[str, object]] = []
    for key in keys:
        m = metric(key)
        for dim in (d for d in dims if d in dimensions_of(m)):
            frame = weekly(store, key, dim, end, weeks)
            for group, one in frame.groupby(dim, sort=True):
                for found in episodes(control_chart(one.sort_values("period"), m.kind)):
                    better = (found["direction"] == "up") == m.higher_is_better
                    rows.append(
                        {
                            "metric": key,
                            "unit": m.unit.value,
                            "dimension": dim,
                            "group": group,
                            "better": better,
                            **found,
                        }
                    )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    if since is not None and not out.empty:
        out = out[pd.to_datetime(out["started"]).dt.date >= since]
    return out.sort_values(
        ["started", "metric", "dimension", "group"], ascending=[False, True, True, True], kind="stable"
    ).reset_index(drop=True)[list(COLUMNS)]
