"""Import one file into one dataset: every row is stored or quarantined with its reason, in one transaction.

Stages: prepare the file (sources) and its survey-tool shape (presets), map its columns (mapping),
stage every cell as text with DuckDB's pinned CSV reader and its rejects table (staging), type and
check in SQL with each date column read in its own order (staging, dates), sort rows into skipped,
rejected and good (quarantine), refuse the file when too many are rejected (rejection), then replace
rows whose id already exists (archiving them so a roll-back can restore them) and record the import.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from metrics.contracts.datasets import Dataset, dataset
from metrics.errors import AlreadyImported, CxError, ImportRefused
from metrics.ingest import presets
from metrics.ingest.archive import import_workdir, keep_masked
from metrics.ingest.dates import ORDER_LABELS, DateReading, is_french_export
from metrics.ingest.lines import has_inner_blank_line, number_by_gaps, number_by_reading
from metrics.ingest.mapping import ColumnMapping, header_score, resolve
from metrics.ingest.options import ImportOptions, options_json
from metrics.ingest.pii import protect_staged
from metrics.ingest.quarantine import classify, fill_skip, quarantine
from metrics.ingest.reasons import SKIPPED, render_problem
from metrics.ingest.rejection import over_threshold
from metrics.ingest.sources import Source, header_on_line_one, prepare, top_rows
from metrics.ingest.staging import build_typed, quote, stage
from metrics.semantic import rollups
from metrics.store import Store, database_error

Progress = Callable[[str, float], None]
SAMPLE_PROBLEMS = 20


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


def _match(ds: Dataset) -> str:
    """SQL: a `good` row g has the key of a stored row t."""
    return " AND ".join(f"g.{quote('v_' + k)} IS NOT DISTINCT FROM t.{quote(k)}" for k in ds.key_columns)


def _would_replace(cur: duckdb.DuckDBPyConnection, ds: Dataset) -> int:
    """Stored rows a dry run's good rows would replace."""
    return _one(
        cur, f"SELECT count(*) FROM {ds.table} t WHERE EXISTS (SELECT 1 FROM good g WHERE {_match(ds)})"
    )


def _write(cur: duckdb.DuckDBPyConnection, ds: Dataset, import_id: int) -> int:
    """Replace rows whose key exists (archived for roll-back), insert the rest; returns rows replaced."""
    match = _match(ds)
    cols = ", ".join(quote(c.name) for c in ds.columns)
    replaced = cur.execute(
        f"INSERT INTO {ds.replaced_table} SELECT t.*, ? FROM {ds.table} t "
        f"WHERE EXISTS (SELECT 1 FROM good g WHERE {match})",
        [import_id],
    ).fetchone()
    cur.execute(f"DELETE FROM {ds.table} t WHERE EXISTS (SELECT 1 FROM good g WHERE {match})")
    values = ", ".join(quote("v_" + c.name) for c in ds.columns)
    cur.execute(f"INSERT INTO {ds.table} ({cols}, _import_id) SELECT {values}, ? FROM good", [import_id])
    if ds.date_column:
        # only the months this file adds to or replaces rows in are summed again
        date = quote(ds.date_column)
        months = cur.execute(
            f"SELECT DISTINCT CAST(date_trunc('month', {quote('v_' + ds.date_column)}) AS DATE) FROM good "
            f"UNION SELECT DISTINCT CAST(date_trunc('month', {date}) AS DATE) FROM {ds.replaced_table} "
            "WHERE _replaced_by = ?",
            [import_id],
        ).fetchall()
        rollups.refresh(cur, ds.key, [m[0] for m in months if m[0] is not None])
    return int(replaced[0]) if replaced else 0


def _one(cur: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = cur.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


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
    """The survey tool's export shape: the one asked for, or for survey answers the one made certain."""
    if options.preset:
        return presets.preset(options.preset)
    return presets.detect(top_rows(src)) if ds.key == presets.SURVEY_DATASET else None


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


def _clean_up(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute("DROP VIEW IF EXISTS staged")
    for table in ("typed", "good", "problems", "skip", "numbered", "staged_raw", "set_values"):
        cur.execute(f"DROP TABLE IF EXISTS {table}")


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
) -> ImportReport:
    """Import `path` into `dataset_key`, all or nothing; refusals raise ImportRefused and change nothing.

    `mapping` and `sheet` are shortcuts for the same fields of `options`.
    """
    options = options or ImportOptions()
    if mapping is not None or sheet is not None:
        options = replace(options, mapping=mapping or options.mapping, sheet=sheet or options.sheet)
    ds = dataset(dataset_key)
    path = Path(path)
    step = progress or (lambda _label, _fraction: None)
    started = dt.datetime.now()
    with import_workdir(store.path, path, keep_copy=not options.dry_run) as work:
        step("reading", 0.05)
        src = prepare(path, Path(work), header_score(ds), sheet=options.sheet)
        try:
            name = file_name or src.name
            shape = _shape(ds, src, options)
            if shape:
                src = header_on_line_one(src)
            cmap = _map(ds, src, name, options, shape)
            french = is_french_export(src.headers, None if src.encoding == "xlsx" else src.delimiter)
            blank_lines = has_inner_blank_line(src.path)
            try:
                plan = _Plan(ds, src, name, cmap, shape, options, french, blank_lines, demo)
                report = _run(store, plan, step, started)
            except _Rollback as done:
                report = done.report
        finally:
            src.cleanup()
    step("done", 1.0)
    return report


@dataclass(frozen=True, slots=True)
class _Plan:
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


def _run(store: Store, plan: _Plan, step: Progress, started: dt.datetime) -> ImportReport:
    """The transaction: stage, type, sort, refuse or write, record; a dry run rolls it all back."""
    ds, src, name, cmap, shape, options = plan.ds, plan.src, plan.name, plan.cmap, plan.shape, plan.options
    with store.transaction() as cur:
        # checked inside the transaction, so two imports of one file cannot both pass
        _refuse_duplicate_file(cur, ds, src)
        step("staging", 0.15)
        try:
            stage(cur, src)
        except duckdb.Error as err:
            # the database's own failures (memory, disk) are not the file's fault
            raise database_error(err, store.path) or ImportRefused(
                f"{name}: the file cannot be read as CSV ({str(err).splitlines()[0]})"
            ) from None
        first_line = src.header_line + 1
        line_offset = None
        if plan.blank_lines:
            number_by_reading(cur, src.path, src.delimiter, first_line, "csv_rejects")
        else:
            line_offset = number_by_gaps(cur, first_line, "csv_rejects")
        masked = protect_staged(cur, src, cmap.positions.get("customer_id"), store.path)
        if not options.dry_run:  # the archive keeps the file as masked as the database holds it
            keep_masked(cur, store.path, src)
        step("checking", 0.45)
        readings = build_typed(
            cur,
            ds,
            cmap,
            date_order=options.date_order,
            french=plan.french,
            file_name=name,
            line_offset=line_offset,
        )
        fill_skip(cur, ds, cmap, shape.drops if shape else ())
        classify(cur, ds, cmap, {r.column: ORDER_LABELS[r.order] for r in readings})
        staged = _one(cur, "SELECT count(*) FROM typed")  # one typed row per staged record
        structural = _one(cur, "SELECT count(DISTINCT line) FROM csv_rejects")
        accepted = _one(cur, "SELECT count(*) FROM good")
        rejected = _one(cur, "SELECT count(DISTINCT ord) FROM problems") + structural
        skipped = _one(cur, "SELECT count(*) FROM skip")
        rows_read = staged + structural
        if accepted + rejected + skipped != rows_read:
            raise CxError(
                f"{name}: internal accounting error ({accepted} accepted + {rejected} rejected + "
                f"{skipped} skipped != {rows_read} read); nothing was imported, please report this"
            )
        refusal = over_threshold(
            cur,
            file_name=name,
            rejected=rejected,
            rows_read=rows_read,
            limit=options.max_rejected,
            cmap=cmap,
            readings=readings,
        )
        if refusal and not options.dry_run:
            raise refusal
        # a dry run takes no id from the sequence: sequences do not roll back
        import_id = 0 if options.dry_run else _one(cur, "SELECT nextval('import_seq')")
        step("writing", 0.7)
        quarantine(cur, import_id, cmap)
        updated = _would_replace(cur, ds) if options.dry_run else _write(cur, ds, import_id)
        status = "partial" if rejected else "done"
        cur.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                import_id,
                ds.key,
                name,
                src.sha256,
                src.encoding,
                src.delimiter,
                src.sheet,
                json.dumps(cmap.as_dict(), ensure_ascii=False),
                rows_read,
                accepted,
                updated,
                rejected,
                skipped,
                started,
                dt.datetime.now(),
                status,
                plan.demo,
                options_json(options),
            ],
        )
        sample = cur.execute(
            "SELECT line, column_name, value, reason, detail FROM rejected_rows WHERE import_id = ? "
            "ORDER BY line, column_name NULLS FIRST LIMIT ?",
            [import_id, rows_read + 1 if options.dry_run else SAMPLE_PROBLEMS],
        ).fetchall()
        by_reason = dict(cur.execute("SELECT reason, count(*) FROM skip GROUP BY 1 ORDER BY 1").fetchall())
        _clean_up(cur)
        report = ImportReport(
            import_id=import_id,
            dataset=ds.key,
            file_name=name,
            rows_read=rows_read,
            accepted=accepted,
            updated=updated,
            rejected=rejected,
            skipped=skipped,
            encoding=src.encoding,
            delimiter=src.delimiter,
            sheet=src.sheet,
            mapping=cmap.as_dict(),
            demo=plan.demo,
            problems=tuple(
                RowProblem(name, r[0], r[1], r[2], r[3], r[4]) for r in sample if r[3] not in SKIPPED
            ),
            dates=readings,
            preset=shape.key if shape else None,
            status=status,
            skipped_by_reason=by_reason,
            dry_run=options.dry_run,
            refusal=str(refusal) if refusal else None,
            masked=masked,
        )
        if options.dry_run:
            raise _Rollback(report)
    return report
