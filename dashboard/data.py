"""The one cached wrapper around `metrics`: every page reads data through here, never through SQL.

Cache keys carry the database file, its data version (bumped by every import or rollback), the metric
and the filters, because `st.cache_data` is shared by every session. The language is not in them: the
figures are the same in French and English, only their formatting (done by the pages) differs.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics import snapshot
from metrics.engines import chosen_engine, open_engine
from metrics.ingest import target_table as targets_mod
from metrics.ingest.importing import ImportReport, Progress, import_file
from metrics.ingest.inspection import Inspection, inspect_file
from metrics.ingest.options import ImportOptions
from metrics.ingest.preview import Plan
from metrics.ingest.preview import plan_import as _plan_import
from metrics.months import add_months, month_start
from metrics.reports import board_pack as report_mod
from metrics.reports import events as events_mod
from metrics.reports import league as league_mod
from metrics.reports import outlook as outlook_mod
from metrics.reports import trajectory as traj_mod
from metrics.semantic.definitions import metric
from metrics.semantic.query import dimensions_of, last_per_group, metric_frame
from metrics.store import Store, default_db_path, open_store
from metrics.tempfiles import short_name

Where = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Filters:
    """What the sidebar chose; hashable, so it can key a cache."""

    year: int
    as_of: dt.date
    regions: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()

    @property
    def start(self) -> dt.date:
        """1 January of the chosen year."""
        return dt.date(self.year, 1, 1)

    def where(self, key: str) -> Where:
        """The filters `key` can honour (complaints per 1,000 customers only splits by region)."""
        chosen = {"region": self.regions, "channel": self.channels, "segment": self.segments}
        dims = dimensions_of(metric(key))
        return tuple((d, tuple(v)) for d, v in chosen.items() if v and d in dims)

    def only_region(self, region: str) -> Filters:
        """The same filters narrowed to one region (a drill-down)."""
        return replace(self, regions=(region,))


def dims(key: str) -> tuple[str, ...]:
    """The dimensions `key` can be split by."""
    return dimensions_of(metric(key))


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    return open_store(path, idle_seconds=2.0)


def store() -> Store:
    """The store on `CX_DB` (or data/cx.duckdb), opened once per process."""
    return _open(str(default_db_path()))


@st.cache_resource(show_spinner=False)
def _engine(name: str, db: str) -> object:
    return open_engine(name, Path(db))


def query_store() -> object:
    """Where metric figures are computed: this store, or Spark over CX_WAREHOUSE when CX_ENGINE=spark."""
    name = chosen_engine()
    return store() if name == "duckdb" else _engine(name, str(default_db_path()))


def import_running() -> bool:
    """True while another process (or session) writes to the database: pages show the last published data."""
    return snapshot.import_running(store().path)


def _key() -> tuple[str, int]:
    s = store()
    return str(s.path), s.data_version()


@st.cache_data(show_spinner=False, max_entries=512)
def _frame(
    db: str,
    version: int,
    key: str,
    grain: str,
    by: tuple[str, ...],
    start: dt.date | None,
    end: dt.date | None,
    where: Where,
) -> pd.DataFrame:
    return metric_frame(query_store(), key, grain=grain, by=by, start=start, end=end, where=dict(where))


def frame(
    key: str,
    *,
    grain: str = "month",
    by: Sequence[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    where: Where = (),
) -> pd.DataFrame:
    """`metric_frame`, cached on the database version and the arguments."""
    return _frame(*_key(), key, grain, tuple(by), start, end, where)


def ytd(key: str, filters: Filters, by: Sequence[str] = ()) -> pd.DataFrame:
    """The year-to-date row of each group at the as-of date (the last cumulative month)."""
    got = frame(key, grain="ytd", by=by, start=filters.start, end=filters.as_of, where=filters.where(key))
    return last_per_group(got, by)


def monthly(key: str, filters: Filters, by: Sequence[str] = ()) -> pd.DataFrame:
    """Month by month from January to the as-of date."""
    return frame(key, grain="month", by=by, start=filters.start, end=filters.as_of, where=filters.where(key))


@st.cache_data(show_spinner=False, max_entries=256)
def _trajectory(
    db: str, version: int, key: str, year: int, as_of: dt.date, region: str | None
) -> traj_mod.Trajectory:
    return traj_mod.trajectory(store(), key, year=year, as_of=as_of, region=region)


def trajectory(key: str, year: int, as_of: dt.date, region: str | None) -> traj_mod.Trajectory:
    """Where `key` stands against its target (company, or one region)."""
    return _trajectory(*_key(), key, year, as_of, region)


@st.cache_data(show_spinner=False)
def _probability(
    db: str, version: int, key: str, year: int, as_of: dt.date, region: str | None
) -> float | None:
    return outlook_mod.probability(store(), _trajectory(db, version, key, year, as_of, region))


def probability(key: str, year: int, as_of: dt.date, region: str | None) -> float | None:
    """The chance (0-1) that `key` reaches its target this year; None without a target or a model."""
    return _probability(*_key(), key, year, as_of, region)


def board_pack(as_of: dt.date, lang: str) -> Callable[[], bytes]:
    """The month's board pack, built only when the download button is clicked (it takes seconds)."""
    return functools.partial(report_mod.report_html, store(), as_of, lang)


@st.cache_data(show_spinner=False)
def _targeted(db: str, version: int, year: int) -> list[str]:
    return traj_mod.targeted_metrics(store(), year)


def targeted(year: int) -> list[str]:
    """Metrics with a target in `year`."""
    return _targeted(*_key(), year)


@st.cache_data(show_spinner=False)
def _target(db: str, version: int, key: str, year: int, region: str | None) -> float | None:
    return traj_mod.find_target(store(), key, year, region)


def target(key: str, year: int, region: str | None) -> float | None:
    """The region's own target, else the company's, else None."""
    return _target(*_key(), key, year, region)


@st.cache_data(show_spinner=False)
def _as_of(db: str, version: int) -> dt.date:
    return traj_mod.default_as_of(store())


def default_as_of() -> dt.date:
    """The end of the last complete month with data."""
    return _as_of(*_key())


@st.cache_data(show_spinner=False)
def _events(db: str, version: int, start: dt.date, end: dt.date, region: str | None) -> pd.DataFrame:
    return events_mod.list_events(store(), start, end, region)


def events(filters: Filters, region: str | None) -> pd.DataFrame:
    """Dated annotations of the chosen year, company-wide plus `region`'s."""
    return _events(*_key(), filters.start, dt.date(filters.year, 12, 31), region)


def dimension_values(dim: str, key: str = "responses") -> list[str]:
    """The values of `dim` present in `key`'s data, sorted, for the filter lists."""
    got = frame(key, grain="year", by=(dim,))
    return sorted({str(v) for v in got[dim].dropna()})


def years() -> list[int]:
    """Years with survey answers, newest first."""
    got = frame("responses", grain="year")
    return sorted({p.year for p in got["period"]}, reverse=True)


@st.cache_data(show_spinner=False, max_entries=64)
def _league(db: str, version: int, key: str, filters: Filters, min_n: int) -> pd.DataFrame:
    where = dict(filters.where(key))
    where.pop("region", None)  # every region is ranked; the region filter only highlights
    return league_mod.league(
        store(),
        key,
        filters.start,
        filters.as_of,
        where,
        min_n,
        lambda region: traj_mod.find_target(store(), key, filters.year, region),
    )


def league(key: str, filters: Filters, min_n: int = league_mod.MIN_N) -> pd.DataFrame:
    """Regions ranked on `key` with n, moe, target gap and the verdict against the rest of the company."""
    return _league(*_key(), key, filters, min_n)


def latest_months(key: str, by: Sequence[str], months: int = 3, where: Where = ()) -> pd.DataFrame:
    """`key` by month and `by` over the last `months` months with data (suppressed groups stay blank)."""
    got = frame(key, grain="month", by=by, where=where)
    if got.empty:
        return got
    last = sorted(set(got["period"]))[-months:]
    return got[got["period"].isin(last)].reset_index(drop=True)


def all_events(region: str | None = None) -> pd.DataFrame:
    """Every dated event, company-wide plus `region`'s (all regions when None)."""
    return _events(*_key(), dt.date(1900, 1, 1), dt.date(2999, 12, 31), region)


def around(key: str, day: dt.date | pd.Timestamp, region: str | None, months: int = 3) -> pd.DataFrame:
    """One row per side ("before", "after") of `day`: `key` over the `months` whole months each side.

    The event's own month is left out; each side is one "total" figure from the query layer, so the
    privacy rule applies to it like to any other group.
    """
    day = pd.Timestamp(day).date()
    month = month_start(day)
    where: Where = (("region", (region,)),) if region else ()
    sides = {
        "before": (add_months(month, -months), month - dt.timedelta(days=1)),
        "after": (add_months(month, 1), add_months(month, 1 + months) - dt.timedelta(days=1)),
    }
    rows = []
    for side, (start, end) in sides.items():
        got = frame(key, grain="total", start=start, end=end, where=where)
        months_with_data = len(frame(key, grain="month", start=start, end=end, where=where))
        row: dict[str, object] = {"side": side, "start": start, "end": end, "months": months_with_data}
        if got.empty:
            row.update(value=float("nan"), n=float("nan"), suppressed=False)
        else:
            first = got.iloc[0]
            row.update(value=float(first["value"]), n=float(first["n"]), suppressed=bool(first["suppressed"]))
        rows.append(row)
    return pd.DataFrame(rows)


def _with_upload(name: str, content: bytes, work: str) -> Path:
    path = Path(work) / short_name(name)  # a 300-byte upload name must not raise OSError
    path.write_bytes(content)
    return path


def inspect(name: str, content: bytes) -> Inspection:
    """The uploaded file's likely dataset, suggested mapping and first rows (raises ImportRefused)."""
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        return inspect_file(_with_upload(name, content, tmp))


def plan_import(
    db: Store, dataset_key: str, name: str, content: bytes, mapping: dict[str, str] | None = None
) -> Plan:
    """The existing rows an import of the uploaded bytes would update (raises ImportRefused)."""
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        return _plan_import(db, dataset_key, _with_upload(name, content, tmp), mapping)


def run_import(
    db: Store,
    dataset_key: str,
    name: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import uploaded bytes into `dataset_key` under the user's file name, then drop every cached figure."""
    with tempfile.TemporaryDirectory(prefix="cx-upload-") as tmp:
        path = _with_upload(name, content, tmp)
        report = import_file(
            db,
            dataset_key,
            path,
            options=options,
            mapping=mapping,
            file_name=Path(name).name,
            progress=progress,
        )
    st.cache_data.clear()
    return report


@st.cache_data(show_spinner=False)
def _targets(db: str, version: int, year: int | None) -> pd.DataFrame:
    return targets_mod.list_targets(store(), year)


def targets(year: int | None = None) -> pd.DataFrame:
    """The current targets (year, metric, target, region; region empty = whole company), one year or all."""
    return _targets(*_key(), year)


def target_years() -> list[int]:
    """Years with at least one target, newest first."""
    return sorted({int(y) for y in targets()["year"]}, reverse=True)


def save_targets(db: Store, frame: pd.DataFrame) -> ImportReport:
    """Import the edited targets table (checked like any file), then drop every cached figure."""
    try:
        return targets_mod.save_targets(db, frame)
    finally:
        st.cache_data.clear()
