"""The import's transaction as named stages, each taking the table the previous one left.

read -> `staged` (every record as text, lines numbered, personal data in free text masked)
map -> `cells` (the trimmed text of each declared column)
parse -> `typed` (each column read with the one format decided from its values)
classify -> `good` (skipped and rejected rows set aside, the file refused when too many are rejected)
group -> `good` as the dataset's rows (a call log grouped per team-day, averages made totals)
write -> the dataset's table (rejected rows quarantined, replaced rows archived, the rest inserted)
tally -> a call log's updated rows counted in calls (ingest.totals)
refresh -> the dataset's rollup (only the months the file touched)

Each stage drops what the next no longer needs, so at most two whole-file tables live at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from metrics.catalogue import N_
from metrics.contracts.datasets import Dataset
from metrics.contracts.exports import EventLog
from metrics.errors import CxError, ImportRefused
from metrics.ingest import presets, totals
from metrics.ingest.archive import keep_masked
from metrics.ingest.closing import closed_by_state, open_unless_closed
from metrics.ingest.dates import DateReading
from metrics.ingest.lines import number_by_gaps, number_by_reading
from metrics.ingest.mapping import ColumnMapping
from metrics.ingest.options import ClosedWhen, ImportOptions
from metrics.ingest.pii import HASHED_COLUMN, free_text_positions, protect_staged
from metrics.ingest.quarantine import classify, fill_skip, quarantine, skip_other_states
from metrics.ingest.rejection import TooManyRejected, over_threshold
from metrics.ingest.sources import Decision, Source
from metrics.ingest.staging import drop_by_value, drop_staged, map_cells, parse_cells, quote, stage
from metrics.semantic import rollups
from metrics.store import database_error


@dataclass(frozen=True, slots=True)
class Plan:
    """What the transaction needs, all decided before it starts."""

    ds: Dataset
    src: Source
    name: str
    cmap: ColumnMapping
    shape: presets.Preset | None
    options: ImportOptions
    french: bool
    blank_lines: bool
    demo: bool
    db_path: Path
    into: Dataset | None = None  # the dataset the rows are stored in, when `ds` only reads the file's rows
    log: EventLog | None = None  # the file is an event log (one row per call), grouped into `into`'s rows

    @property
    def target(self) -> Dataset:
        """The dataset whose table the import writes."""
        return self.into or self.ds


@dataclass
class Outcome:
    """What the stages found, filled in as they run; the import's report is made from it."""

    line_offset: int | None = None
    masked: dict[str, int] = field(default_factory=dict)
    readings: tuple[DateReading, ...] = ()
    decimals: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    accepted: int = 0
    rejected: int = 0
    skipped: int = 0
    refusal: TooManyRejected | None = None
    import_id: int = 0
    updated: int = 0
    decisions: list[Decision] = field(default_factory=list)  # what the stages decided, after sniffing's
    grouped: int | None = None  # an event log: the dataset rows its good events were grouped into


Stage = Callable[[duckdb.DuckDBPyConnection, Plan, Outcome], str]


def one(cur: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    """The first cell of a one-row answer as an int, 0 when NULL or absent."""
    row = cur.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def read(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """Every record as text, with its line number and personal data masked."""
    src = plan.src
    try:
        stage(cur, src)
    except duckdb.Error as err:
        # the database's own failures (memory, disk) are not the file's fault
        raise database_error(err, plan.db_path) or ImportRefused(
            N_("refused.not_csv"), file=plan.name, error=str(err).splitlines()[0]
        ) from None
    first_line = src.header_line + 1
    if plan.blank_lines:
        number_by_reading(cur, src.path, src.delimiter, first_line, "csv_rejects")
    else:
        out.line_offset = number_by_gaps(cur, first_line, "csv_rejects")
    # free text only: a date, number, id or vocabulary cell reaches `parse` as the file wrote it
    free_text = free_text_positions(plan.ds, plan.cmap, plan.log.group_by if plan.log else ())
    # an event log's agent ids are hashed like customer ids: counted, never kept (docs/privacy.md)
    hashed = plan.cmap.positions.get(plan.log.hashed if plan.log and plan.log.hashed else HASHED_COLUMN)
    out.masked = protect_staged(cur, src, free_text, hashed, plan.db_path, few=plan.log is not None)
    if not plan.options.dry_run:  # the archive keeps the file as masked as the database holds it
        keep_masked(cur, plan.db_path, src, unchanged=hashed is None and not any(out.masked.values()))
    return "staged"


def map_columns(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """The trimmed text of each declared column: a file cell, a --set constant or the row hash."""
    map_cells(cur, plan.ds, plan.cmap, out.line_offset)
    return "cells"


def parse(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """Each column decided once from its values, then parsed whole with that format."""
    out.readings, out.decimals = parse_cells(
        cur,
        plan.ds,
        plan.cmap,
        date_order=plan.options.date_order,
        french=plan.french,
        file_name=plan.name,
        line_offset=out.line_offset,
        decided=plan.src.dates,  # a column the import plan already decided is not decided again
    )
    return "typed"


def sort_rows(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """Skipped, rejected and good rows, counted; the file refused when too many are rejected."""
    ds, cmap = plan.ds, plan.cmap
    fill_skip(cur, ds, cmap, plan.shape.drops if plan.shape else ())
    if plan.options.keep:
        skip_other_states(cur, ds, plan.options.keep)
    rule = ClosedWhen.parse(plan.options.closed_when) if plan.options.closed_when else None
    # a kept line in an open state has no closing date (ingest.closing)
    closing = open_unless_closed(cur, rule, ds, cmap, plan.name) if rule else None
    classify(cur, ds, cmap, {r.column: r.pattern for r in out.readings}, out.decimals)
    if rule and closing:
        out.decisions.append(closed_by_state(cur, rule, cmap, *closing))
    staged = one(cur, "SELECT count(*) FROM typed")  # one typed row per staged record
    structural = one(cur, "SELECT count(DISTINCT line) FROM csv_rejects")
    out.accepted = one(cur, "SELECT count(*) FROM good")
    out.rejected = one(cur, "SELECT count(DISTINCT ord) FROM problems") + structural
    out.skipped = one(cur, "SELECT count(*) FROM skip")
    out.rows_read = staged + structural
    if out.accepted + out.rejected + out.skipped != out.rows_read:
        counts = {"accepted": out.accepted, "rejected": out.rejected, "skipped": out.skipped}
        raise CxError(N_("refused.accounting"), file=plan.name, read=out.rows_read, **counts)
    out.refusal = over_threshold(
        cur,
        file_name=plan.name,
        rejected=out.rejected,
        rows_read=out.rows_read,
        limit=plan.options.max_rejected,
        cmap=cmap,
        readings=out.readings,
    )
    if out.refusal and not plan.options.dry_run:
        raise out.refusal
    return "good"


def _match(ds: Dataset) -> str:
    """SQL: a `good` row g has the key of a stored row t."""
    return " AND ".join(f"g.{quote('v_' + k)} IS NOT DISTINCT FROM t.{quote(k)}" for k in ds.key_columns)


def write(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """Quarantine the rejected rows, archive the rows the file replaces, insert the good rows.

    A dry run takes no id from the sequence (sequences do not roll back) and only counts what it would
    replace.
    """
    ds = plan.target
    out.import_id = 0 if plan.options.dry_run else one(cur, "SELECT nextval('import_seq')")
    quarantine(cur, out.import_id, plan.cmap)
    drop_staged(cur)  # the raw cells were needed for the quarantined rows only
    match = _match(ds)
    if plan.options.dry_run:
        out.updated = one(
            cur, f"SELECT count(*) FROM {ds.table} t WHERE EXISTS (SELECT 1 FROM good g WHERE {match})"
        )
        return ds.table
    cols = ", ".join(quote(c.name) for c in ds.columns)
    out.updated = one(
        cur,
        f"INSERT INTO {ds.replaced_table} SELECT t.*, ? FROM {ds.table} t "
        f"WHERE EXISTS (SELECT 1 FROM good g WHERE {match})",
        [out.import_id],
    )
    cur.execute(f"DELETE FROM {ds.table} t WHERE EXISTS (SELECT 1 FROM good g WHERE {match})")
    values = ", ".join(quote("v_" + c.name) for c in ds.columns)
    cur.execute(f"INSERT INTO {ds.table} ({cols}, _import_id) SELECT {values}, ? FROM good", [out.import_id])
    return ds.table


def refresh(cur: duckdb.DuckDBPyConnection, plan: Plan, out: Outcome) -> str:
    """Sum again only the months this file adds rows to or replaces rows in: the cost follows the file."""
    ds = plan.target
    if plan.options.dry_run or not ds.date_column:
        return ds.table
    months = cur.execute(
        f"SELECT DISTINCT CAST(date_trunc('month', {quote('v_' + ds.date_column)}) AS DATE) FROM good "
        f"UNION SELECT DISTINCT CAST(date_trunc('month', {quote(ds.date_column)}) AS DATE) "
        f"FROM {ds.replaced_table} WHERE _replaced_by = ?",
        [out.import_id],
    ).fetchall()
    rollups.refresh(cur, ds.key, [m[0] for m in months if m[0] is not None])
    return rollups.table_of(ds.key)


# (name shown as progress, share of the work done when it starts, the stage)
STAGES: tuple[tuple[str, float, Stage], ...] = (
    ("read", 0.15, read),
    ("map", 0.35, map_columns),
    ("parse", 0.4, parse),
    ("classify", 0.6, sort_rows),
    ("group", 0.65, totals.regroup),
    ("write", 0.7, write),
    ("tally", 0.9, totals.tally),
    ("refresh", 0.95, refresh),
)


def clean_up(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop every temp table and view the stages made."""
    for view in ("good", "typed", "cells", "staged"):
        cur.execute(f"DROP VIEW IF EXISTS {view}")
    for table in ("typed_cells", "problems", "skip", "numbered", "staged_raw", "set_values", "grouped"):
        cur.execute(f"DROP TABLE IF EXISTS {table}")
    drop_by_value(cur)
