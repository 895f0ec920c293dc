"""Metric kinds as data: one record per kind says everything the other modules used to ask with `if`.

A kind says which measures a metric must declare, how their sums become a value and an interval,
which SQL builds the sums, whether the monthly rollup may serve it, which volume weighs a month in
a trajectory or an outlook, and which two-group test compares a group with the rest. The query
builder, the rollups, the reports and the pages read the record; this is the only module that tests
a metric's kind, so a new kind is one record here and its SQL builder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from metrics.semantic import query_kinds as sql
from metrics.semantic.records import StatKind

if TYPE_CHECKING:  # the registry loads with the CLI's --help: pandas and scipy only when figures are computed
    import pandas as pd

    from metrics import stats
    from metrics.semantic.records import Metric


def _stats() -> ModuleType:
    from metrics import stats

    return stats


@dataclass(frozen=True, slots=True)
class Categories:
    """A kind whose answers fall in categories that each score a fixed value (+100, 0, -100 for NPS)."""

    columns: tuple[str, ...]  # measure sums counting each category; the last category is n minus them
    scores: tuple[float, ...]  # the score of each listed category, then of the rest


# value, moe, low, high columns from the sums, in place
Finish = Callable[["Metric", "pd.DataFrame"], None]
# the two-group test on the measure sums of the group (g) and the rest (r)
Test = Callable[["Metric", "pd.DataFrame", "pd.DataFrame"], "stats.Comparison"]


@dataclass(frozen=True, kw_only=True, slots=True)
class KindSpec:
    """Everything that depends on a metric's kind."""

    kind: StatKind
    measures: tuple[str, ...]  # the measures a metric of this kind must declare
    build: sql.Builder  # the SQL from the base rows to one row per period and group
    finish: Finish  # value and interval from the sums
    kept_if: str | None = "n"  # rows where this sum is 0 are dropped (never divided by); None keeps all
    additive: bool = False  # sums add up over months, so the monthly rollup may serve it
    sampled: bool = False  # a sample with a margin of error (counts and workload are censuses)
    over_range: bool = True  # has a "total" grain (a backlog does not add up over a range)
    stock: bool = False  # counts rows open at each period's end: reads every row opened before it
    exposure: bool = False  # divided by a declared exposure (a rate), read per the exposure's dimension
    weight: str | None = None  # the sum that weighs a month in a volume-weighted average
    volume: str | None = None  # the sum that measures the volume still to come in a year
    projected: bool = False  # a trajectory projects the year end at the recent pace
    categories: Categories | None = None  # the outlook's categorical model
    outlook_weight: str | None = None  # the outlook's normal model: what weighs a month
    test: Test | None = None  # group against rest on measure sums
    median_test: bool = False  # group against rest by Mood's median test (rest queried, not subtracted)

    @property
    def testable(self) -> bool:
        """True when a group can be tested against the rest (a sample, not a census)."""
        return self.test is not None or self.median_test


def _interval(compute: Callable[[Metric, pd.DataFrame], stats.Interval]) -> Finish:
    def finish(m: Metric, frame: pd.DataFrame) -> None:
        iv = compute(m, frame)
        frame["value"], frame["moe"], frame["low"], frame["high"] = iv.value, iv.moe, iv.low, iv.high

    return finish


def _census(value: Callable[[Metric, pd.DataFrame], pd.Series]) -> Finish:
    def finish(m: Metric, frame: pd.DataFrame) -> None:
        frame["value"] = value(m, frame)
        frame["moe"] = frame["low"] = frame["high"] = float("nan")

    return finish


def _median_finish(m: Metric, frame: pd.DataFrame) -> None:
    frame["moe"] = (frame["high"] - frame["low"]) / 2  # value, low and high come from the SQL


_COUNTED = _census(lambda m, f: f["n"] * 1.0)

# each kind's flags on one line, so the table reads across
# fmt: off
KINDS: Mapping[StatKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            kind=StatKind.NPS,
            measures=("promoters", "detractors", "n"),
            build=sql.sums_sql,
            finish=_interval(lambda m, f: _stats().nps_interval(f["promoters"], f["detractors"], f["n"])),
            additive=True, sampled=True, weight="n", volume="n", projected=True,
            categories=Categories(columns=("promoters", "detractors"), scores=(100.0, -100.0, 0.0)),
            test=lambda m, g, r: _stats().compare_nps(
                g["promoters"], g["detractors"], g["n"], r["promoters"], r["detractors"], r["n"]
            ),
        ),
        KindSpec(
            kind=StatKind.PROPORTION,
            measures=("successes", "n"),
            build=sql.sums_sql,
            finish=_interval(lambda m, f: _stats().wilson_interval(f["successes"], f["n"])),
            additive=True, sampled=True, weight="n", volume="n", projected=True,
            categories=Categories(columns=("successes",), scores=(100.0, 0.0)),
            test=lambda m, g, r: _stats().compare_proportions(
                g["successes"], g["n"], r["successes"], r["n"]
            ),
        ),
        KindSpec(
            kind=StatKind.MEAN,
            measures=("total", "total_sq", "n"),
            build=sql.sums_sql,
            finish=_interval(lambda m, f: _stats().mean_interval(f["total"], f["total_sq"], f["n"])),
            additive=True, sampled=True, weight="n", volume="n", projected=True, outlook_weight="n",
            test=lambda m, g, r: _stats().compare_means(
                g["total"], g["total_sq"], g["n"], r["total"], r["total_sq"], r["n"]
            ),
        ),
        KindSpec(
            kind=StatKind.COUNT,
            measures=("n",),
            build=sql.sums_sql,
            finish=_COUNTED,
            additive=True, projected=True,
        ),
        KindSpec(
            kind=StatKind.RATIO,
            measures=("num", "den", "n"),
            build=sql.sums_sql,
            finish=_census(lambda m, f: m.scale * f["num"] / f["den"]),
            kept_if="den", weight="den", volume="den", projected=True,
        ),
        KindSpec(
            kind=StatKind.RATE,
            measures=("n",),
            build=sql.rate_sql,
            exposure=True,
            finish=_interval(
                lambda m, f: _stats().poisson_rate_interval(f["n"], f["exposure"], per=m.scale)
            ),
            additive=True, sampled=True, weight="exposure", volume="exposure", projected=True,
            outlook_weight="exposure",
            test=lambda m, g, r: _stats().compare_rates(
                g["n"], g["exposure"], r["n"], r["exposure"], per=m.scale
            ),
        ),
        KindSpec(
            kind=StatKind.MEDIAN,
            measures=("x",),
            build=sql.median_sql,
            finish=_median_finish,
            kept_if=None, sampled=True, volume="n", outlook_weight="n", median_test=True,
        ),
        KindSpec(
            kind=StatKind.BACKLOG,
            measures=(),
            build=sql.backlog_sql,
            finish=_COUNTED,
            over_range=False, stock=True,
        ),
    )
}
# fmt: on


def spec(m: Metric) -> KindSpec:
    """The record of `m`'s kind."""
    return KINDS[m.kind]
