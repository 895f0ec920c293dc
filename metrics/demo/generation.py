"""Write every demo dataset to CSV in dependency order; load the files through the import, or go direct."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from metrics.catalogue import N_
from metrics.demo.csvfile import Column, CsvWriter
from metrics.demo.operations import (
    INTERVENTION_COLUMNS,
    WORKLOAD_COLUMNS,
    intervention_chunks,
    workload_chunks,
)
from metrics.demo.plan import WORKLOAD_SITES, Plan
from metrics.demo.reference import (
    CUSTOMER_COLUMNS,
    EVENT_COLUMNS,
    SITE_COLUMNS,
    TARGET_COLUMNS,
    customer_chunks,
    event_chunks,
    events,
    site_chunks,
    target_chunks,
    targets,
)
from metrics.demo.surveys import COMPLAINT_COLUMNS, RESPONSE_COLUMNS, complaint_chunks, response_chunks
from metrics.demo.world import REGIONS, SITES, default_as_of
from metrics.errors import CxError

if TYPE_CHECKING:
    from metrics.access.caller import Caller
    from metrics.ingest.importing import ImportReport
    from metrics.store import Store

DEFAULT_RESPONSES = 5_000
# what the dashboard loads on an empty database: enough answers for regional differences to show
DASHBOARD_RESPONSES = 100_000
DEFAULT_SEED = 42
Chunks = Callable[[Plan], Iterator[list[Column]]]
# dependency order: reference data first, then complaints before the responses that link to them
WRITERS: Mapping[str, tuple[tuple[str, ...], Chunks]] = {
    "sites": (SITE_COLUMNS, site_chunks),
    "customers": (CUSTOMER_COLUMNS, customer_chunks),
    "targets": (TARGET_COLUMNS, target_chunks),
    "events": (EVENT_COLUMNS, event_chunks),
    "complaints": (COMPLAINT_COLUMNS, complaint_chunks),
    "responses": (RESPONSE_COLUMNS, response_chunks),
    "interventions": (INTERVENTION_COLUMNS, intervention_chunks),
    "workload": (WORKLOAD_COLUMNS, workload_chunks),
}
DATASET_ORDER: tuple[str, ...] = tuple(WRITERS)


def demo_plan(responses: int, seed: int, as_of: dt.date | None) -> Plan:
    """Checked arguments, so a bad size reads as a sentence rather than a numpy error."""
    if not isinstance(responses, int) or responses < 1:
        raise CxError(N_("demo.too_few_responses"), got=repr(responses))
    if not isinstance(seed, int) or seed < 0:
        raise CxError(N_("demo.bad_seed"), got=repr(seed))
    return Plan(seed=seed, as_of=as_of or default_as_of(), responses=responses)


def planned_rows(*, responses: int = DEFAULT_RESPONSES, seed: int = DEFAULT_SEED,
                 as_of: dt.date | None = None) -> dict[str, int]:
    """Rows each file will hold, cheaply, so a progress bar can show totals before writing starts."""
    plan = demo_plan(responses, seed, as_of)
    team_days = sum(len(plan.open_days(m, s.function)) for m in plan.months for s in WORKLOAD_SITES)
    return {
        "sites": len(SITES),
        "customers": len(plan.months) * len(REGIONS),
        "targets": len(targets(plan.as_of)),
        "events": len(events(plan.as_of)),
        "complaints": int(plan.complaints_per_month.sum()),
        "responses": plan.responses,
        "interventions": int(plan.interventions_per_month.sum()),
        "workload": plan.teams_per_site * team_days,
    }


def generate(
    out_dir: Path,
    *,
    responses: int = DEFAULT_RESPONSES,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Path]:
    """Write the eight demo files (`<dataset>.csv`) into `out_dir`; same arguments, byte-identical files.

    Data covers 1 January of the year before `as_of` up to `as_of` (default: the end of last month).
    `progress(dataset, rows_written)` is called after every chunk of at most 100,000 rows.
    """
    plan = demo_plan(responses, seed, as_of)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for key, (header, chunks) in WRITERS.items():
        path = out / f"{key}.csv"
        with CsvWriter(path, header) as writer:
            for columns in chunks(plan):
                written = writer.write(columns)
                if progress is not None:
                    progress(key, written)
        files[key] = path
    return files


def load(
    store: Store,
    files: Mapping[str, Path],
    progress: Callable[[str, int], None] | None = None,
    caller: Caller | None = None,
) -> list[ImportReport]:
    """Import generated files as demo data, in dependency order, through the normal import path.

    One transaction for all of them (one checkpoint, one published copy): the first open waits less.
    `progress(dataset, files_done)` is called before each file.
    """
    from metrics.ingest.importing import (
        import_files,  # lazy: the demo generator must not need the import machinery
    )

    ordered = [(key, files[key]) for key in DATASET_ORDER if key in files]
    return import_files(store, ordered, demo=True, progress=progress, caller=caller)
