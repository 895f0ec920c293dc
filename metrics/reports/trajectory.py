"""Where a KPI stands against its annual target, and what the rest of the year must deliver.

Everything is volume-weighted: YTD NPS is the NPS of every answer since 1 January, the projection
adds the remaining months at the pace of the last three, and the required run-rate solves
`target * (n_ytd + n_rest) = value_ytd * n_ytd + required * n_rest` for `required`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from metrics import clock, stats
from metrics.contracts.datasets import DATASETS, TARGETS
from metrics.months import month_end
from metrics.reports.notes import carried_share
from metrics.semantic.definitions import METRICS, Metric, target_range
from metrics.semantic.kinds import spec
from metrics.semantic.query import metric_frame, values_from_sums
from metrics.store import Store


@dataclass(frozen=True, kw_only=True, slots=True)
class Trajectory:
    """The answer to "will we make it?" for one metric, year, as-of date and region."""

    metric: Metric  # the resolved declaration: the layers above read it, never look it up again
    year: int
    as_of: dt.date
    region: str | None
    months: pd.DataFrame  # period, value, n, moe, low, high, ytd_value, ytd_n, glide
    value: float
    n: int
    moe: float
    target: float | None
    gap: float | None
    glide: float | None
    status: str
    projection: float | None
    required: float | None
    reachable: bool | None
    best_possible: float | None
    change_vs_last_month: float | None
    months_left: int
    # the volume still to come (answers, or customer exposure) and the months it spans, partial included:
    # the basis of `required`, `projection` and the probability of reaching the target (reports.outlook)
    remaining: float | None = None
    to_come: float = 0.0
    # the share of the year's customer base carried from an earlier month (a rate; reports.notes)
    base_carried: float = 0.0

    def headline(self) -> dict[str, object]:
        """The year-to-date answer as one record: the row of `summary` and of the CLI's YTD line."""
        return {
            "value": self.value,
            "n": self.n,
            "moe": self.moe,
            "target": self.target,
            "gap": self.gap,
            "glide": self.glide,
            "status": self.status,
            "projection": self.projection,
            "required": self.required,
            "reachable": self.reachable,
            "best_possible": self.best_possible,
            "months_left": self.months_left,
        }


def _latest_measured(store: Store) -> dt.date | None:
    """The last date of any measured dataset: the as-of of a database without the metric's own rows."""
    from metrics.reports.periods import measured_spans

    return max((last for _, last in measured_spans(store)), default=None)


def default_as_of(store: Store, m: Metric = METRICS["nps"], today: dt.date | None = None) -> dt.date:
    """The end of the last complete month with data of `m`.

    A month is complete once the calendar has passed it, or when the data reaches its last day:
    answers up to 28 September, read in October, give 30 September; read on 29 September, 31 August.
    """
    table = DATASETS[m.dataset].table
    with store.cursor() as cur:
        rows = cur.execute(f'SELECT CAST(max("{m.date}") AS DATE) FROM {table}').fetchall()
    today = today or clock.today()
    last = rows[0][0] if rows and rows[0][0] is not None else _latest_measured(store) or today
    if last == month_end(last) or today > month_end(last):
        return month_end(last)
    return last.replace(day=1) - dt.timedelta(days=1)


Targets = Mapping[str | None, float]  # region (None: the company) -> target, for one metric and year


def targets_of(store: Store, m: Metric, year: int) -> Targets:
    """Every target of `m` in `year`, read once: the company's (None) and each region's.

    A league of nine regions asks for nine targets: one read serves them all.
    """
    with store.cursor() as cur:
        rows = cur.execute(
            f'SELECT "region", "target" FROM {TARGETS.table} WHERE "year" = ? AND "metric" = ?',
            [year, m.key],
        ).fetchall()
    return {(r or None): float(t) for r, t in rows}


def target_in(targets: Targets, region: str | None) -> float | None:
    """The region's own target when it has one, else the company's."""
    return targets.get(region, targets.get(None)) if region else targets.get(None)


def targeted_metrics(store: Store, year: int) -> list[str]:
    """Metric keys with a company or regional target in `year`, in registry order."""
    with store.cursor() as cur:
        keys = {
            r[0]
            for r in cur.execute(
                f'SELECT DISTINCT "metric" FROM {TARGETS.table} WHERE "year" = ?', [year]
            ).fetchall()
        }
    return [k for k in METRICS if k in keys]


def _better(m: Metric, a: float, b: float) -> bool:
    """True when `a` is at least as good as `b`."""
    return a >= b if m.higher_is_better else a <= b


def _status(m: Metric, value: float, glide: float | None, moe: float) -> str:
    if glide is None or math.isnan(value):
        return "no_target"
    if _better(m, value, glide):
        return "on_track"
    margin = 0.0 if moe is None or math.isnan(moe) else moe
    return "off_track" if abs(value - glide) > margin else "at_risk"


def _no_data(year: int) -> str:
    """A year the calendar has not finished has no data *yet* (1 January); a past one has none."""
    return "no_data_yet" if year >= clock.today().year else "no_data"


def _glide(base: float, target: float, month: int, from_month: int) -> float:
    """The straight path from `base` (at `from_month`) to `target` in December, at `month`."""
    span = 12 - from_month
    return target if span <= 0 else base + (target - base) * (month - from_month) / span


def _sums(frame: pd.DataFrame, m: Metric) -> pd.DataFrame:
    return frame[[c for c in (*m.measures, "exposure") if c in frame.columns]]


def _months_left(as_of: dt.date) -> float:
    """Months still to come after `as_of`, counting the rest of a partial month as a fraction."""
    days = month_end(as_of).day
    return 12 - as_of.month + (days - as_of.day) / days


def _recent(monthly: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The basis of the projection and of the required run-rate: the last three complete months.

    When fewer than three complete months have data, the months with data (a survey that started in
    July is judged on July to September, not on an even spread since January).
    """
    complete = monthly[[month_end(p) <= as_of for p in monthly["period"]]]
    return (complete if not complete.empty else monthly).tail(3)


def _projection(m: Metric, ytd_sums: pd.Series, recent: pd.DataFrame, months_left: float) -> float | None:
    """Year-end value if the remaining months repeat the recent ones, weighted by volume.

    Medians are not projected: a median of monthly medians is not the median of the year (6.0 days
    where the pooled median is 5.45), and the pooled distribution of months to come is unknown.
    """
    if recent.empty or not spec(m).projected:
        return None
    projected = ytd_sums + months_left * _sums(recent, m).mean()
    return float(values_from_sums(m, projected.to_frame().T)["value"].iloc[0])


def trajectory(
    store: Store,
    m: Metric,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    region: str | None = None,
    targets: Targets | None = None,
) -> Trajectory:
    """Monthly series, YTD, target, glide path, status, projection and required run-rate.

    `targets` (targets_of) saves the read when the caller already holds the year's targets.
    """
    as_of = as_of or default_as_of(store, m)
    year = year or as_of.year
    if as_of.year != year:
        # a past year is read to its end; a year the data has not reached yet, up to today
        as_of = dt.date(year, 12, 31) if year < as_of.year else min(dt.date(year, 12, 31), clock.today())
    where = {"region": [region]} if region else {}
    start = dt.date(year, 1, 1)
    monthly = metric_frame(store, m, grain="month", start=start, end=as_of, where=where)
    ytd = metric_frame(store, m, grain="ytd", start=start, end=as_of, where=where)
    months_done = as_of.month if as_of == month_end(as_of) else as_of.month - 1
    months_left = 12 - months_done  # whole months still to come, for display
    to_come = _months_left(as_of)  # the same, with the rest of a partial month, for volumes
    target = target_in(targets if targets is not None else targets_of(store, m, year), region)
    previous = metric_frame(
        store, m, grain="year", start=dt.date(year - 1, 1, 1), end=dt.date(year - 1, 12, 31), where=where
    )
    if not previous.empty and not math.isnan(previous["value"].iloc[-1]):
        base, from_month = float(previous["value"].iloc[-1]), 0
    elif not monthly.empty:
        # no previous year: the path starts from the first month's level at the *start* of that month,
        # so the first month is already held to a step towards the target (27,9 in January against 32
        # is judged against 28,2), never "on track" by construction
        base, from_month = float(monthly["value"].iloc[0]), int(monthly["period"].iloc[0].month) - 1
    else:
        base, from_month = math.nan, 0
    months = monthly[["period", "value", "n", "moe", "low", "high"]].merge(
        ytd[["period", "value", "n"]].rename(columns={"value": "ytd_value", "n": "ytd_n"}),
        on="period",
        how="left",
    )
    months["glide"] = [
        _glide(base, target, p.month, from_month) if target is not None else math.nan
        for p in months["period"]
    ]
    # what every answer carries, with data or without
    frame = {"metric": m, "year": year, "as_of": as_of, "region": region, "months": months,
             "target": target, "months_left": months_left, "to_come": to_come}  # fmt: skip
    if ytd.empty:
        return Trajectory(
            **frame,
            value=math.nan,
            n=0,
            moe=math.nan,
            gap=None,
            glide=None,
            # a target with nothing to measure against it is not "off track": there is no data
            status="no_target" if target is None else _no_data(year),
            projection=None,
            required=None,
            reachable=None,
            best_possible=None,
            change_vs_last_month=None,
        )
    last = ytd.iloc[-1]
    value, n, moe = float(last["value"]), int(last["n"]), float(last["moe"])
    glide = _glide(base, target, months_done, from_month) if target is not None else None
    change = float(value - ytd["value"].iloc[-2]) if len(ytd) > 1 else None
    recent = _recent(monthly, as_of)
    # a finished year has a result, not a projection
    projection = _projection(m, _sums(ytd.iloc[[-1]], m).iloc[0], recent, to_come) if to_come > 0 else None
    required = reachable = best = None
    weight, basis = spec(m).weight, spec(m).volume
    # the volume still to come, at the pace of the recent months (the projection's basis)
    usable = bool(basis) and basis in recent.columns and not recent.empty
    remaining = to_come * float(recent[basis].mean()) if usable else None
    if target is not None and to_come > 0 and weight and weight in ytd.columns and remaining is not None:
        w_ytd = float(last[weight])
        w_rest = remaining
        required = float(stats.required_run_rate(target, value, w_ytd, w_rest))
        low, high = target_range(m)
        bound = high if m.higher_is_better else low
        reachable = bound is None or _better(m, bound, required)
        if not reachable:
            best = (value * w_ytd + bound * w_rest) / (w_ytd + w_rest)
    return Trajectory(
        **frame,
        value=value,
        n=n,
        moe=moe,
        gap=None if target is None else value - target,
        glide=glide,
        status=_status(m, value, glide, moe),
        projection=projection,
        required=required,
        reachable=reachable,
        best_possible=best,
        change_vs_last_month=change,
        remaining=remaining,
        base_carried=carried_share(ytd.iloc[[-1]]),
    )
