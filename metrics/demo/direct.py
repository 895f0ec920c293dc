"""The demo written straight into the database: no CSV file read back, one generated chunk at a time.

Loading the demo through its CSV files paid every stage a user's file needs (the reader, personal-data
masking, the format decisions, the problem checks) for text we wrote ourselves, and its peak memory
grew with the file (13.6 GB for 10M answers). Here each chunk of generated text goes from Arrow into
the dataset's table through the import's own value expressions (`metrics.ingest.parsing.value_expr`,
with the demo's known formats: dd/mm/yyyy, decimal comma, oui/non), so the stored values are those
the import would store; the memory held is one chunk. Each dataset is still one import in `imports`,
marked demo, so the Data page, roll-back and `demo --clear` treat it as before, and its masked CSV text
is archived under its checksum, so `rebuild` re-imports it through the normal path.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import duckdb
import pyarrow as pa

from metrics.contracts.datasets import Dataset, Kind, dataset
from metrics.demo.csvfile import CHUNK_ROWS, SEPARATOR, Column
from metrics.demo.generation import WRITERS, demo_plan
from metrics.ingest.archive import archive_dir, archived
from metrics.ingest.dates import DateReading, check_timezone, formats_for
from metrics.ingest.importing import ImportReport
from metrics.ingest.mapping import resolve
from metrics.ingest.options import ImportOptions, options_json
from metrics.ingest.parsing import value_expr
from metrics.ingest.pii import salt
from metrics.ingest.staging import quote
from metrics.semantic import rollups

if TYPE_CHECKING:
    from metrics.store import Store

HASHED_COLUMN = "customer_id"  # stored as a salted hash, as `metrics.ingest.pii` stores it
ARCHIVE_LINE_END = "\n"


def _unquoted(cell: str) -> str:
    """SQL: the text of a generated field (`metrics.demo.csvfile.cell` quotes the few that need it)."""
    inner = f"substr({cell}, 2, length({cell}) - 2)"
    unquoted = f"replace({inner}, '\"\"', '\"')"
    return f"CASE WHEN starts_with({cell}, '\"') THEN {unquoted} ELSE NULLIF({cell}, '') END"


def _reading(column: str, kind: Kind) -> DateReading:
    """Day first, as the demo writes (dd/mm/yyyy, HH:MM for times): its own format tried first."""
    own = "%d/%m/%Y %H:%M" if kind is Kind.TIMESTAMP else "%d/%m/%Y"
    formats = (own, *(f for f in formats_for("dmy", ("%Y",)) if f != own))
    return DateReading(
        column=column, header=column, order="dmy", why="french", formats=formats,
        offsets=False, values=0, day_first=0, month_first=0,
    )


def _insert_sql(ds: Dataset, header: Sequence[str], zone: str) -> tuple[str, list[object]]:
    """`INSERT INTO <table> SELECT <typed values>, ? FROM demo_chunk`, with the import's expressions."""
    position = {name: i for i, name in enumerate(header)}
    texts = ", ".join(f"{_unquoted(f'c{i}')} AS {quote('t_' + name)}" for i, name in enumerate(header))
    values: list[str] = []
    params: list[object] = []
    for col in ds.columns:
        if col.name not in position:
            values.append("NULL")
            continue
        reading = _reading(col.name, col.kind) if col.kind in (Kind.DATE, Kind.TIMESTAMP) else None
        frag = value_expr(col, quote("t_" + col.name), reading, zone, ",")
        values.append(frag.sql)
        params += frag.params
    cols = ", ".join(quote(c.name) for c in ds.columns)
    sql = (
        f"INSERT INTO {ds.table} ({cols}, _import_id) SELECT {', '.join(values)}, ? "
        f"FROM (SELECT {texts} FROM demo_chunk)"
    )
    return sql, params


class _Archive:
    """The dataset's CSV text, gzip level 1, hashed as written; named by that checksum when complete."""

    def __init__(self, db_path: Path, header: Sequence[str]) -> None:
        folder = archive_dir(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".part-", dir=folder)
        self.temp = Path(name)
        self.db_path = db_path
        self.sha = hashlib.sha256()
        self._raw = os.fdopen(fd, "wb")
        self._out: IO[bytes] = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=1)
        self.write_lines([SEPARATOR.join(header)])

    def write_lines(self, lines: Iterable[str]) -> None:
        """Append lines of CSV text."""
        data = (ARCHIVE_LINE_END.join(lines) + ARCHIVE_LINE_END).encode("utf-8")
        self.sha.update(data)
        self._out.write(data)

    def finish(self) -> tuple[str, Path]:
        """Close the file and move it under its checksum; returns (sha256, path)."""
        self._out.close()
        self._raw.close()
        digest = self.sha.hexdigest()
        target = archived(self.db_path, digest)
        self.temp.chmod(0o600)  # what the database holds, customer ids hashed: this user only
        self.temp.replace(target)
        return digest, target

    def discard(self) -> None:
        """Remove the unfinished file."""
        self._out.close()
        self._raw.close()
        self.temp.unlink(missing_ok=True)


@contextmanager
def _archive(db_path: Path, header: Sequence[str]) -> Iterator[_Archive]:
    """An archive file removed again if the load fails before it is complete."""
    archive = _Archive(db_path, header)
    try:
        yield archive
    except BaseException:
        archive.discard()
        raise


def _load_dataset(
    cur: duckdb.DuckDBPyConnection,
    db_path: Path,
    key: str,
    chunks: Iterator[list[Column]],
    header: Sequence[str],
    progress: Callable[[str, int], None] | None,
) -> tuple[ImportReport, Path]:
    """One dataset as one demo import, inside the caller's transaction; returns its archive file too."""
    ds = dataset(key)
    name = f"{key}.csv"
    cmap = resolve(ds, header, file_name=name)
    hashed = header.index(HASHED_COLUMN) if HASHED_COLUMN in header else None
    secret = salt(db_path) if hashed is not None else ""
    started = dt.datetime.now()
    sql, params = _insert_sql(ds, header, check_timezone(cur))
    import_id = int(cur.execute("SELECT nextval('import_seq')").fetchall()[0][0])
    rows = 0
    with _archive(db_path, header) as archive:
        for columns in _batched(chunks, len(header)):
            chunk = pa.table({f"c{i}": pa.array(c, pa.string()) for i, c in enumerate(columns)})
            cur.register("demo_chunk", chunk)
            if hashed is not None:
                # the formula of `metrics.ingest.pii.protect_staged`, over the whole chunk at once
                ids = cur.execute(
                    f"SELECT '#' || left(sha256(? || trim(c{hashed})), 20) FROM demo_chunk", [secret]
                ).fetchall()
                columns[hashed] = [row[0] for row in ids]
                cur.unregister("demo_chunk")
                chunk = chunk.set_column(hashed, f"c{hashed}", pa.array(columns[hashed], pa.string()))
                cur.register("demo_chunk", chunk)
            cur.execute(sql, [*params, import_id])
            cur.unregister("demo_chunk")
            archive.write_lines(map(SEPARATOR.join, zip(*columns, strict=True)))
            rows += chunk.num_rows
            if progress is not None:
                progress(key, rows)
        _refresh(cur, ds, import_id)
        sha, path = archive.finish()
    cur.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        [import_id, key, name, sha, "utf-8", SEPARATOR, None, json.dumps(cmap.as_dict(), ensure_ascii=False),
         rows, rows, 0, 0, 0, started, dt.datetime.now(), "done", True, options_json(ImportOptions())],
    )
    report = ImportReport(
        import_id=import_id, dataset=key, file_name=name, rows_read=rows, accepted=rows, updated=0,
        rejected=0, skipped=0, encoding="utf-8", delimiter=SEPARATOR, sheet=None, mapping=cmap.as_dict(),
        demo=True,
    )
    return report, path


def _batched(chunks: Iterator[list[Column]], width: int) -> Iterator[list[list[str]]]:
    """The generator's month-sized chunks joined up to CHUNK_ROWS rows.

    A statement over 5,000 rows cost a fifth of one over 100,000 (0.056 s against 0.30 s): small
    months are grouped so the fixed cost is paid a few times, not once per month.
    """
    batch: list[list[str]] = [[] for _ in range(width)]
    for columns in chunks:
        for into, column in zip(batch, columns, strict=True):
            into.extend(column)
        if len(batch[0]) >= CHUNK_ROWS:
            yield batch
            batch = [[] for _ in range(width)]
    if batch[0]:
        yield batch


def _refresh(cur: duckdb.DuckDBPyConnection, ds: Dataset, import_id: int) -> None:
    """The rollup of every month this import wrote rows in (it replaced none)."""
    if not ds.date_column:
        return
    months = cur.execute(
        f"SELECT DISTINCT CAST(date_trunc('month', {quote(ds.date_column)}) AS DATE) FROM {ds.table} "
        f"WHERE _import_id = ? AND {quote(ds.date_column)} IS NOT NULL",
        [import_id],
    ).fetchall()
    rollups.refresh(cur, ds.key, [m[0] for m in months])


def insert_demo(
    store: Store,
    *,
    responses: int,
    seed: int,
    as_of: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> list[ImportReport]:
    """Generate the demo operator straight into `store`: one transaction, one import per dataset.

    The same rows as `generate` then `load` (tests compare the figures of both databases), in memory
    bounded by one chunk. `progress(dataset, rows_written)` is called after every chunk.
    """
    plan = demo_plan(responses, seed, as_of)
    reports: list[ImportReport] = []
    archived_files: list[Path] = []
    try:
        with store.transaction() as cur:
            for key, (header, chunks) in WRITERS.items():
                report, path = _load_dataset(cur, store.path, key, chunks(plan), header, progress)
                reports.append(report)
                archived_files.append(path)
    except BaseException:
        for path in archived_files:  # the archive keeps only what a committed import holds
            path.unlink(missing_ok=True)
        raise
    return reports
