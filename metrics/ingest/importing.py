"""Import one file into one dataset: every row is stored or quarantined with its reason, in one transaction.

Before the transaction: decide the file's shape once (sniffing: encoding, separator, header line,
survey tool, empty-cell markers), map its columns (mapping). Inside it, the named stages of
metrics.ingest.pipeline run in order (read, map, parse, classify, write, refresh), each taking the table
the previous one left; then the import is recorded. A dry run rolls everything back and returns what
would have happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from metrics import clock
from metrics.access import audit
from metrics.access.caller import Caller
from metrics.contracts.datasets import Dataset, dataset
from metrics.errors import AlreadyImported
from metrics.ingest import presets, totals
from metrics.ingest.archive import finish_archive, import_workdir
from metrics.ingest.dates import DateReading, is_french_export
from metrics.ingest.import_log import insert_import
from metrics.ingest.lines import has_inner_blank_line
from metrics.ingest.mapping import ColumnMapping, header_score, resolve
from metrics.ingest.notices import Notice, notices
from metrics.ingest.options import ImportOptions, options_json
from metrics.ingest.pipeline import STAGES, Outcome, Plan, clean_up
from metrics.ingest.reasons import SKIPPED, render_problem
from metrics.ingest.sniffing import sniff, without_preset
from metrics.ingest.sources import Decision, Source
from metrics.store import Store, memory_limit

Progress = Callable[[str, float], None]
SAMPLE_PROBLEMS = 20
# files imported together in one transaction while their total stays under this (see import_files)
BATCH_BYTES = 64 << 20
# DuckDB keeps an import's temp tables (the staged text and the typed cells of every row) in memory up to
# its cap: a 10M-answer import peaked at 2.25 GB under the default 4 GB cap, at 1.18 GB under 1 GB for 4%
# more time (102 s against 106 s), the rest spilling to <database>.tmp/. During an import's transaction
# the cap is lowered to this, never raised, then set back to CX_MEMORY_LIMIT.
IMPORT_MEMORY = "1GB"
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:([KMGT])(i?))?(?:B|bytes)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem on one line, kept as data so it can be shown in French or English."""

    file: str
    line: int
    column: str | None
    value: str | None
    reason: str
    detail: str | None

    def render(self, lang: str = "en") -> str:
        """`reponses.csv, line 14, column note: "11" is outside 0-10`."""
        where = render_problem(self.line, self.column, self.reason, self.value, self.detail, lang)
        return f"{self.file}, {where}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; accepted + rejected + skipped always equals rows_read."""

    import_id: int
    dataset: str
    file_name: str
    rows_read: int
    accepted: int
    updated: int
    rejected: int
    skipped: int
    encoding: str
    delimiter: str
    sheet: str | None
    mapping: Mapping[str, str]
    demo: bool
    problems: tuple[RowProblem, ...] = field(default_factory=tuple)
    dates: tuple[DateReading, ...] = ()  # how each date column was read
    preset: str | None = None  # the survey tool whose export shape was applied
    status: str = "done"  # "partial" when some rows were rejected (at or under --max-rejected)
    skipped_by_reason: Mapping[str, int] = field(default_factory=dict)
    dry_run: bool = False  # nothing was stored; `problems` then lists every rejected line
    refusal: str | None = None  # a dry run's would-be refusal (above --max-rejected)
    masked: Mapping[str, int] = field(default_factory=dict)  # personal data masked, by kind (ingest.pii)
    decisions: tuple[Decision, ...] = ()  # the file's shape as sniffed, each with its evidence
    log: str | None = None  # the file was an event log (`workload_calls`): its rows are events, grouped
    grouped: int | None = None  # then the dataset rows its accepted events became (team-days)
    notices: tuple[Notice, ...] = ()  # warnings: stored, but some metrics cannot use these rows

    @property
    def inserted(self) -> int:
        """Rows that were new to the dataset."""
        return self.accepted - self.updated

    @property
    def rejected_share(self) -> float:
        """Percent of the rows read that were rejected."""
        return 100.0 * self.rejected / self.rows_read if self.rows_read else 0.0


class _Rollback(Exception):
    """Carries a dry run's report out of the transaction, so that the transaction rolls back."""

    def __init__(self, report: ImportReport) -> None:
        """Keep the report to return."""
        super().__init__("dry run")
        self.report = report


def _refuse_duplicate_file(cur: duckdb.DuckDBPyConnection, ds: Dataset, src: Source) -> None:
    earlier = cur.execute(
        "SELECT import_id, finished_at FROM imports WHERE sha256 = ? AND dataset = ? "
        "AND status <> 'rolled_back' "
        "ORDER BY import_id LIMIT 1",
        [src.sha256, ds.key],
    ).fetchone()
    if earlier:
        raise AlreadyImported(
            file=src.name, dataset=ds.key, import_id=earlier[0], when=f"{earlier[1]:%d/%m/%Y %H:%M}"
        )


def _shape(ds: Dataset, src: Source, options: ImportOptions) -> presets.Preset | None:
    """The survey tool's export shape the sniffing found: asked for, or detected in survey answers."""
    if src.preset and (options.preset or ds.key == presets.SURVEY_DATASET):
        return presets.PRESETS[src.preset]
    return None


def _map(
    ds: Dataset, src: Source, name: str, options: ImportOptions, shape: presets.Preset | None
) -> ColumnMapping:
    """Resolve the columns: the preset's id and date headers first, then the user's --map, --set, --row-id."""
    names = presets.header_names(shape, (src.headers, *src.sample)) if shape else None
    explicit: dict[str, str] = {}
    if shape:
        flat = {n for group in names or [] for n in group}
        declared = {c.name for c in ds.columns}
        for column, candidates in shape.mapping.items():
            found = next((c for c in candidates if c in flat), None)
            if found and column in declared and column not in options.constants:
                explicit[column] = found
    explicit |= dict(options.mapping)
    samples = src.sample[shape.header_rows - 1 :] if shape else src.sample
    return resolve(
        ds,
        src.headers,
        explicit,
        file_name=name,
        constants=options.constants,
        row_id=options.row_id or bool(shape and shape.row_id and not set(ds.key_columns) & set(explicit)),
        names=names,
        samples=samples,
    )


def import_file(
    store: Store,
    dataset_key: str,
    path: Path | str,
    *,
    options: ImportOptions | None = None,
    mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
    demo: bool = False,
    progress: Progress | None = None,
    file_name: str | None = None,
    caller: Caller | None = None,
    source: Source | None = None,
) -> ImportReport:
    """Import `path` into `dataset_key`, all or nothing; refusals raise ImportRefused and change nothing.

    `mapping` and `sheet` are shortcuts for the same fields of `options`. `caller` must be allowed to
    import (targets: to change targets; demo: to load the demo); None is the local command line's admin.
    The import and its line in the audit trail are committed together. `source` is the file's shape
    when a caller already sniffed it with these options (the Data page, once per upload): not again.
    """
    who = caller or Caller.local()
    who.require(audit.import_action(dataset_key, demo))
    options = options or ImportOptions()
    if mapping is not None or sheet is not None:
        options = replace(options, mapping=mapping or options.mapping, sheet=sheet or options.sheet)
    path = Path(path)
    step = progress or (lambda _label, _fraction: None)
    started = clock.now()
    with import_workdir(store.path, path, keep_copy=not options.dry_run):
        step("reading", 0.05)
        plan = _plan(store, dataset_key, path, options, demo, file_name, source)
        try:
            with store.transaction() as cur:
                report = _record(cur, plan, step, started)
                audit.record_import(cur, who, report, plan.src.sha256)
        except _Rollback as done:
            report = done.report
    step("done", 1.0)
    return report


def import_files(
    store: Store,
    files: Sequence[tuple[str, Path]],
    *,
    demo: bool = False,
    progress: Callable[[str, int], None] | None = None,
    batch_bytes: int = BATCH_BYTES,
    caller: Caller | None = None,
) -> list[ImportReport]:
    """Import (dataset, file) pairs in order, small files together in ONE transaction each batch.

    The demo's eight files paid eight commits, checkpoints and published copies, and the dashboard's
    first open waits for them: files are grouped while their total stays under `batch_bytes`, and each
    group is all or nothing. A bigger file gets its own transaction, because a transaction holds every
    row it inserted in memory until it commits (the 10M-answer demo in one transaction peaked at 13.6 GB).
    `progress(dataset, files_done)` is called before each file.
    """
    who = caller or Caller.local()
    for key, _path in files:
        who.require(audit.import_action(key, demo))
    batches: list[list[tuple[str, Path]]] = []
    size = 0
    for key, path in files:
        length = Path(path).stat().st_size if Path(path).is_file() else 0
        if not batches or size + length > batch_bytes:
            batches.append([])
            size = 0
        batches[-1].append((key, Path(path)))
        size += length
    reports: list[ImportReport] = []
    for batch in batches:
        reports += _import_batch(store, batch, demo, progress, len(reports), who)
    return reports


def _import_batch(
    store: Store,
    files: Sequence[tuple[str, Path]],
    demo: bool,
    progress: Callable[[str, int], None] | None,
    done_before: int,
    who: Caller,
) -> list[ImportReport]:
    """One transaction for these files: all or none."""
    started = clock.now()
    with contextlib.ExitStack() as stack:
        plans = []
        for key, path in files:
            stack.enter_context(import_workdir(store.path, path))
            plans.append(_plan(store, key, path, ImportOptions(), demo, None))
        reports = []
        with store.transaction() as cur:
            for done, plan in enumerate(plans, start=done_before):
                if progress is not None:
                    progress(plan.ds.key, done)
                reports.append(_record(cur, plan, lambda _label, _fraction: None, started))
                audit.record_import(cur, who, reports[-1], plan.src.sha256)
    return reports


def _plan(
    store: Store,
    dataset_key: str,
    path: Path,
    options: ImportOptions,
    demo: bool,
    file_name: str | None,
    source: Source | None = None,
) -> Plan:
    """Everything decided before the transaction: the file's shape (sniffed once) and its column mapping."""
    ds = dataset(dataset_key)
    src = source or sniff(path, header_score(ds), options, name=file_name)
    name = file_name or src.name
    shape = _shape(ds, src, options)
    if src.preset and shape is None:
        src = without_preset(src)
    log = totals.event_log(ds, src.headers, options)
    rows = totals.reading(ds, log)  # a call log's rows, or the dataset with the averages it accepts
    cmap = _map(rows, src, name, options, shape)
    totals.check_mapping(rows, cmap, name)
    french = is_french_export(src.headers, None if src.encoding == "xlsx" else src.delimiter)
    # the byte scan answered for a text file; a converted workbook is scanned here
    blank_lines = src.blank_lines if src.blank_lines is not None else has_inner_blank_line(src.path)
    return Plan(rows, src, name, cmap, shape, options, french, blank_lines, demo, store.path, ds, log)


def _size_bytes(size: str) -> float:
    """Bytes of a size as CX_MEMORY_LIMIT writes it: "4GB" is 4e9, "512MiB" 512 * 2**20."""
    match = _SIZE.match(size.strip())
    if not match:
        return float("inf")  # settings refuses other spellings; unknown means "do not lower"
    number, unit, binary = match.groups()
    base = 1024 if binary else 1000
    return float(number) * base ** (" KMGT".index(unit.upper()) if unit else 0)


@contextlib.contextmanager
def _import_memory(cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's cap lowered to IMPORT_MEMORY while the stages run (never raised), then set back."""
    configured = memory_limit()
    if _size_bytes(configured) <= _size_bytes(IMPORT_MEMORY):
        yield
        return
    cur.execute(f"SET memory_limit = '{IMPORT_MEMORY}'")
    try:
        yield
    finally:
        # a failed statement may leave the transaction refusing more: the cap then stays the lower one
        with contextlib.suppress(duckdb.Error):
            cur.execute(f"SET memory_limit = '{configured}'")  # checked by settings: no quote inside


def _record(cur: duckdb.DuckDBPyConnection, plan: Plan, step: Progress, started: dt.datetime) -> ImportReport:
    """Inside the caller's transaction: the stages in order, then the import's record.

    A dry run raises _Rollback with its report, so that the caller's transaction rolls back.
    """
    ds, src, name, cmap, shape = plan.target, plan.src, plan.name, plan.cmap, plan.shape
    options = plan.options
    out = Outcome()
    # checked inside the transaction, so two imports of one file cannot both pass
    _refuse_duplicate_file(cur, ds, src)
    with _import_memory(cur):
        for label, fraction, run in STAGES:
            step(label, fraction)
            run(cur, plan, out)
    finish_archive(name, plan.db_path)  # the copy compressed beside the stages is whole before commit
    status = "partial" if out.rejected else "done"
    insert_import(
        cur,
        import_id=out.import_id,
        dataset=ds.key,
        file_name=name,
        sha256=src.sha256,
        encoding=src.encoding,
        delimiter=src.delimiter,
        sheet=src.sheet,
        mapping=json.dumps(cmap.as_dict(), ensure_ascii=False),
        rows_read=out.rows_read,
        accepted=out.accepted,
        updated=out.updated,
        rejected=out.rejected,
        skipped=out.skipped,
        started_at=started,
        finished_at=clock.now(),
        status=status,
        demo=plan.demo,
        options=options_json(options),
    )
    sample = cur.execute(
        "SELECT line, column_name, value, reason, detail FROM rejected_rows WHERE import_id = ? "
        "ORDER BY line, column_name NULLS FIRST LIMIT ?",
        [out.import_id, out.rows_read + 1 if options.dry_run else SAMPLE_PROBLEMS],
    ).fetchall()
    by_reason = dict(cur.execute("SELECT reason, count(*) FROM skip GROUP BY 1 ORDER BY 1").fetchall())
    clean_up(cur)
    report = ImportReport(
        import_id=out.import_id,
        dataset=ds.key,
        file_name=name,
        rows_read=out.rows_read,
        accepted=out.accepted,
        updated=out.updated,
        rejected=out.rejected,
        skipped=out.skipped,
        encoding=src.encoding,
        delimiter=src.delimiter,
        sheet=src.sheet,
        mapping=cmap.as_dict(),
        demo=plan.demo,
        problems=tuple(RowProblem(name, r[0], r[1], r[2], r[3], r[4]) for r in sample if r[3] not in SKIPPED),
        dates=out.readings,
        preset=shape.key if shape else None,
        status=status,
        skipped_by_reason=by_reason,
        dry_run=options.dry_run,
        refusal=str(out.refusal) if out.refusal else None,
        masked=out.masked,
        decisions=(*src.decisions, *out.decisions),
        log=plan.log.rows.key if plan.log else None,
        grouped=out.grouped,
        notices=notices(plan, cur, out.import_id),
    )
    if options.dry_run:
        raise _Rollback(report)
    return report
