"""The one cached wrapper around `metrics`: every page reads data through here, never through SQL.

Cache keys carry the database file, its data version (bumped by every import or rollback), the metric
and the filters, because `st.cache_data` is shared by every session. The language is not in them: the
figures are the same in French and English, only their formatting (done by the pages) differs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from dashboard import access
from metrics import clock, settings, snapshot
from metrics.access.caller import Caller
from metrics.access.scoped import scoped
from metrics.engines import chosen_engine, open_engine
from metrics.insights import drivers as drivers_mod
from metrics.reports import before_after, periods
from metrics.reports import board_pack as report_mod
from metrics.reports import events as events_mod
from metrics.reports import league as league_mod
from metrics.reports import outlook as outlook_mod
from metrics.reports import regions as regions_mod
from metrics.reports import trajectory as traj_mod
from metrics.reports import verdict as verdict_mod
from metrics.reports import whatif as whatif_mod
from metrics.semantic.definitions import Metric, Settings
from metrics.semantic.query import dimensions_of, last_per_group, metric_frame, missing_closings
from metrics.store import Store, default_db_path, open_store

Where = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Filters:
    """What the sidebar chose; hashable, so it can key a cache.

    `lists` holds (dimension, chosen values) pairs for whichever declared dimensions the page offers:
    a new filter is a new pair, not a new field. Each metric honours those it declares (`where`).
    """

    year: int
    as_of: dt.date
    lists: Where = ()

    @property
    def start(self) -> dt.date:
        """1 January of the chosen year."""
        return dt.date(self.year, 1, 1)

    def chosen(self, dim: str) -> tuple[str, ...]:
        """The values chosen for `dim` (empty: all of them)."""
        return dict(self.lists).get(dim, ())

    @property
    def regions(self) -> tuple[str, ...]:
        """The chosen regions (empty: all)."""
        return self.chosen("region")

    def where(self, m: Metric) -> Where:
        """The filters `m` can honour (complaints per 1,000 customers only splits by region)."""
        declared = dimensions_of(m)
        return tuple((d, tuple(v)) for d, v in self.lists if v and d in declared)

    def only_region(self, region: str) -> Filters:
        """The same filters narrowed to one region (a drill-down)."""
        kept = tuple((d, v) for d, v in self.lists if d != "region")
        return replace(self, lists=(*kept, ("region", (region,))))


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    return open_store(path, idle_seconds=2.0)


def store() -> Store:
    """The store on `CX_DB` (or data/cx.duckdb), opened once per process."""
    return _open(str(default_db_path()))


@st.cache_resource(show_spinner=False)
def _engine(name: str, db: str, warehouse: str) -> object:
    return open_engine(name, Path(db), Path(warehouse) if warehouse else None)


def caller_or_none() -> Caller | None:
    """The reader (dashboard.access): the local admin, a signed-in person's roles, or None."""
    return access.current_caller()


def caller() -> Caller:
    """The reader, for code past the sign-in gate (shell.page): nobody gets no right at all."""
    return caller_or_none() or Caller(who="nobody", roles=())


def query_store() -> object:
    """Where figures are computed, as the reader may see them: this store, or Spark over CX_WAREHOUSE.

    Every read of metric data (figures, targets, sites, events, rollups) goes here; imports, history
    and the targets editor write the DuckDB file and read it through `store()`. A scoped reader's
    rows are filtered in the store itself (metrics.access.scoped); Spark serves unrestricted readers.
    """
    name = chosen_engine()
    warehouse = str(settings.path("CX_WAREHOUSE") or "")
    base = store() if name == "duckdb" else _engine(name, str(default_db_path()), warehouse)
    return scoped(base, caller())  # type: ignore[arg-type]


def on_spark() -> bool:
    """True when figures come from Spark: pages that edit the DuckDB file say so."""
    return chosen_engine() != "duckdb"


def import_running() -> bool:
    """True while another process (or session) writes to the database: pages show the last published data."""
    return snapshot.import_running(store().path)


def _key(source: Callable[[], object]) -> tuple[str, int]:
    """What figures are read from (a DuckDB file or a warehouse) and its data version."""
    s = source()
    return str(s.path), s.data_version()  # type: ignore[attr-defined]


Scope = tuple[object, ...]  # Caller.key: what distinguishes one reader's answers from another's
P = ParamSpec("P")
R = TypeVar("R")


def versioned(
    max_entries: int = 256, on: Callable[[], object] | None = None
) -> Callable[[Callable[Concatenate[Store, P], R]], Callable[P, R]]:
    """Cache `fn(store, ...)` on the database file, its data version, today and the other arguments.

    Today (metrics.clock) is in the key because answers follow it: the default as-of moves when a
    month ends, a new year reads "no data yet", with no import in between.

    `on` gives what `fn` runs on: `query_store` by default (the chosen engine: every read of metric
    data, so the pages show the same figures on DuckDB and Spark), `store` for what only the DuckDB
    file holds (import history, the targets editor).

    The caller drops the store argument: `versioned()(metric_frame)(m, grain="ytd")`. A `Metric`
    argument keys the cache by its content (`st.cache_data` hashes a dataclass field by field). Each
    wrapped function gets its own cache: `st.cache_data` tells functions apart by module, qualified
    name and source, and the inner function's source is the same for all, so its name is set first.
    """

    def wrap(fn: Callable[Concatenate[Store, P], R]) -> Callable[P, R]:
        source = on or query_store

        def cached(
            db: str, version: int, today: dt.date, scope: Scope, *args: P.args, **kwargs: P.kwargs
        ) -> R:
            return fn(source(), *args, **kwargs)  # type: ignore[arg-type]

        cached.__qualname__ = f"versioned.{fn.__module__}.{fn.__qualname__}"
        cached.__module__ = __name__
        inner = st.cache_data(show_spinner=False, max_entries=max_entries)(cached)

        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            return inner(*_key(source), clock.today(), caller().key, *args, **kwargs)

        return call

    return wrap


_metric_frame = versioned(512)(metric_frame)


def frame(
    m: Metric,
    *,
    grain: str = "month",
    by: Sequence[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    where: Where = (),
) -> pd.DataFrame:
    """`metric_frame`, cached on the database version and the arguments (`where` as hashable pairs)."""
    return _metric_frame(m, grain=grain, by=tuple(by), start=start, end=end, where=dict(where))


def ytd(m: Metric, filters: Filters, by: Sequence[str] = ()) -> pd.DataFrame:
    """The year-to-date row of each group at the as-of date (the last cumulative month)."""
    got = frame(m, grain="ytd", by=by, start=filters.start, end=filters.as_of, where=filters.where(m))
    return last_per_group(got, by)


def monthly(m: Metric, filters: Filters, by: Sequence[str] = ()) -> pd.DataFrame:
    """Month by month from January to the as-of date."""
    return frame(m, grain="month", by=by, start=filters.start, end=filters.as_of, where=filters.where(m))


@versioned()
def _closing_gap(
    db: Store,
    m: Metric,
    end: dt.date,
    where: Mapping[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]],
) -> tuple[str, int, int] | None:
    chosen = {k: list(v) for k, v in dict(where).items()}
    gap = missing_closings(db, m, end, chosen, Settings.from_env())
    return (gap.column, gap.rows, gap.missing) if gap else None


def closing_gap(m: Metric, filters: Filters) -> tuple[str, int, int] | None:
    """(closing column, records, of which without a closing date) when that is why `m` is empty."""
    return _closing_gap(m, filters.as_of, filters.where(m))


@versioned()
def trajectory(db: Store, m: Metric, year: int, as_of: dt.date, region: str | None) -> traj_mod.Trajectory:
    """Where `m` stands against its target (company, or one region)."""
    return traj_mod.trajectory(db, m, year=year, as_of=as_of, region=region)


@versioned()
def probability(db: Store, m: Metric, year: int, as_of: dt.date, region: str | None) -> float | None:
    """The chance (0-1) that `m` reaches its target this year; None without a target or a model."""
    return outlook_mod.probability(db, trajectory(m, year, as_of, region))


@versioned()
def verdict(db: Store, m: Metric, year: int, as_of: dt.date, region: str | None) -> verdict_mod.Verdict:
    """The status the CLI and the board pack show for `m` (reports.verdict), with its chance."""
    return verdict_mod.decide(trajectory(m, year, as_of, region), probability(m, year, as_of, region))


@versioned()
def what_if(db: Store, m: Metric, year: int, as_of: dt.date, region: str | None) -> whatif_mod.WhatIf | None:
    """The weights behind "if the months to come average X, the year ends at Y"."""
    return whatif_mod.what_if(db, trajectory(m, year, as_of, region))


def board_pack(as_of: dt.date, lang: str) -> Callable[[], bytes]:
    """The month's board pack, built only when the download button is clicked (it takes seconds)."""
    return functools.partial(report_mod.report_html, query_store(), as_of, lang)


targeted = versioned()(traj_mod.targeted_metrics)
default_as_of = versioned()(traj_mod.default_as_of)
value_last_year = versioned()(periods.value_last_year)
dimension_values = versioned()(periods.dimension_values)
years = versioned()(periods.years)
site_names = versioned()(periods.site_names)
_latest_months = versioned()(periods.latest_months)
_around = versioned()(before_after.around)
_events = versioned()(events_mod.list_events)


def events(filters: Filters, region: str | None) -> pd.DataFrame:
    """Dated annotations of the chosen year, company-wide plus `region`'s."""
    return _events(filters.start, dt.date(filters.year, 12, 31), region)


def all_events(region: str | None = None) -> pd.DataFrame:
    """Every dated event, company-wide plus `region`'s (all regions when None)."""
    return _events(dt.date(1900, 1, 1), dt.date(2999, 12, 31), region)


@versioned(64)
def league(db: Store, m: Metric, filters: Filters, min_n: int = league_mod.MIN_N) -> pd.DataFrame:
    """Regions ranked by value on `m`: n, moe, target, own-target status, verdict vs the rest, flag."""
    where = dict(filters.where(m))
    where.pop("region", None)  # every region is ranked; the region filter only highlights
    return regions_mod.regional_league(db, m, filters.start, filters.as_of, where, filters.year, min_n)


@versioned(64)
def region_sites(db: Store, m: Metric, filters: Filters, region: str) -> pd.DataFrame:
    """The sites of `region` on `m`, year to date, with their names and the small-sample flag."""
    where = dict(filters.where(m))
    where.pop("region", None)
    return regions_mod.region_sites(db, m, filters.start, filters.as_of, region, where)


@versioned(16)
def drivers(db: Store, year: int, as_of: dt.date, region: str | None) -> drivers_mod.Analysis:
    """The year-to-date key drivers of NPS (company, or one region), with the points missing to target."""
    return drivers_mod.key_drivers(db, year=year, as_of=as_of, region=region)


def latest_months(m: Metric, by: Sequence[str], months: int = 3, where: Where = ()) -> pd.DataFrame:
    """`m` by month and `by` over the last `months` months with data, newest first."""
    return _latest_months(m, tuple(by), months, dict(where))


def around(
    m: Metric, day: dt.date | pd.Timestamp, regions: Sequence[str] = (), months: int = 3
) -> pd.DataFrame:
    """Before and after `day` in `regions` (none: the company), difference and verdict in `attrs`."""
    where = {"region": list(regions)} if regions else None
    return _around(m, pd.Timestamp(day).date(), None, months, where)
