"""The demo written straight into the database: no CSV file read back, one generated chunk at a time.

Loading the demo through its CSV files paid every stage a user's file needs (the reader, personal-data
masking, the format decisions, the problem checks) for text we wrote ourselves, and its peak memory
grew with the file (6.2 GB for 10M answers; 941 MB this way). Here each chunk of generated text goes
from Arrow into the dataset's table through the import's own value expressions
(`metrics.ingest.parsing.value_expr`, with the demo's known formats: dd/mm/yyyy, decimal comma,
oui/non), so the stored values are those the import would store. Each dataset is still one import,
marked demo, so the Data page, roll-back and `demo --clear` treat it as before, and its CSV text (ids
hashed, as stored) is archived under a checksum of the demo's parameters, so `rebuild` re-imports it
through the normal path. Memory is bounded by committing every COMMIT_ROWS rows.
"""

from __future__ import annotations

import contextlib
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

from metrics import clock
from metrics.access import audit
from metrics.access.caller import Caller
from metrics.access.roles import Action
from metrics.contracts.datasets import Dataset, Kind, dataset
from metrics.demo.csvfile import CHUNK_ROWS, SEPARATOR, Column
from metrics.demo.generation import DEFAULT_RESPONSES, DEFAULT_SEED, WRITERS, demo_plan
from metrics.demo.plan import Plan
from metrics.errors import CxError
from metrics.ingest.archive import archive_dir, archived
from metrics.ingest.dates import DateReading, check_timezone, formats_for
from metrics.ingest.import_log import insert_import
from metrics.ingest.importing import ImportReport
from metrics.ingest.mapping import resolve
from metrics.ingest.options import ImportOptions, options_json
from metrics.ingest.parsing import value_expr
from metrics.ingest.pii import salt
from metrics.ingest.staging import quote
from metrics.semantic import rollups

if TYPE_CHECKING:
    from metrics.store import Store

# rows per transaction (see _Session): about 0.4 GB of DuckDB memory per million answers
COMMIT_ROWS = 1_000_000
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
    """The dataset's CSV text (customer ids hashed), gzip level 1, named by its import's checksum."""

    def __init__(self, db_path: Path, header: Sequence[str]) -> None:
        folder = archive_dir(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".part-", dir=folder)
        self.temp = Path(name)
        self.db_path = db_path
        self._raw = os.fdopen(fd, "wb")
        self._out: IO[bytes] = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=1)
        self.write_lines([SEPARATOR.join(header)])

    def write_lines(self, lines: Iterable[str]) -> None:
        """Append lines of CSV text."""
        data = (ARCHIVE_LINE_END.join(lines) + ARCHIVE_LINE_END).encode("utf-8")
        self._out.write(data)

    def finish(self, name: str) -> Path:
        """Close the file and move it under `name` (the import's checksum)."""
        self._out.close()
        self._raw.close()
        target = archived(self.db_path, name)
        self.temp.chmod(0o600)  # what the database holds, customer ids hashed: this user only
        self.temp.replace(target)
        return target

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


class _Session:
    """Transactions of about COMMIT_ROWS new rows each, so memory stays flat however big the demo.

    DuckDB holds a transaction's new rows in memory until it commits, whatever CX_MEMORY_LIMIT says
    (1M answers in one transaction: 0.9 GB resident, 0.8 GB with a 150 MB cap). A dashboard-sized demo
    fits in one transaction; a bigger one commits every COMMIT_ROWS rows.
    """

    def __init__(self, store: Store, who: Caller) -> None:
        self.store = store
        self.who = who
        self.rows = 0
        self._stack = contextlib.ExitStack()
        self.cur = self._stack.enter_context(store.transaction())

    def added(self, rows: int) -> None:
        """Count new rows; commit and start the next transaction past COMMIT_ROWS."""
        self.rows += rows
        if self.rows >= COMMIT_ROWS:
            self._stack.close()
            self.rows = 0
            self._stack = contextlib.ExitStack()
            self.cur = self._stack.enter_context(self.store.transaction())

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *failure: object) -> bool | None:
        return self._stack.__exit__(*failure)  # type: ignore[arg-type]


def _demo_id(key: str, plan: Plan) -> str:
    """The import's checksum: of the demo's parameters (the text is only known once written)."""
    return hashlib.sha256(f"demo {key} {plan.seed} {plan.responses} {plan.as_of}".encode()).hexdigest()


def _load_dataset(
    session: _Session, key: str, plan: Plan, progress: Callable[[str, int], None] | None
) -> ImportReport:
    """One dataset as one demo import: recorded first, so a load cut short can be rolled back whole."""
    header, chunks = WRITERS[key]
    ds = dataset(key)
    name = f"{key}.csv"
    cmap = resolve(ds, header, file_name=name)
    db_path = session.store.path
    hashed = header.index(HASHED_COLUMN) if HASHED_COLUMN in header else None
    secret = salt(db_path) if hashed is not None else ""
    sql, params = _insert_sql(ds, header, check_timezone(session.cur))
    import_id = int(session.cur.execute("SELECT nextval('import_seq')").fetchall()[0][0])
    sha = _demo_id(key, plan)
    insert_import(
        session.cur,
        import_id=import_id,
        dataset=key,
        file_name=name,
        sha256=sha,
        encoding="utf-8",
        delimiter=SEPARATOR,
        sheet=None,
        mapping=json.dumps(cmap.as_dict(), ensure_ascii=False),
        rows_read=0,
        accepted=0,
        updated=0,
        rejected=0,
        skipped=0,
        started_at=clock.now(),
        finished_at=clock.now(),
        status="done",
        demo=True,
        options=options_json(ImportOptions()),
    )
    rows = 0
    with _archive(db_path, header) as archive:
        for columns in _batched(chunks(plan), len(header)):
            cur = session.cur
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
            session.added(chunk.num_rows)
        _refresh(session.cur, ds, import_id)
        archive.finish(sha)
    session.cur.execute(
        "UPDATE imports SET rows_read = ?, accepted = ?, finished_at = ? WHERE import_id = ?",
        [rows, rows, clock.now(), import_id],
    )
    detail = {"import_id": import_id, "dataset": key, "rows": rows}
    audit.record(session.cur, session.who, Action.DEMO, name, detail)
    return ImportReport(
        import_id=import_id, dataset=key, file_name=name, rows_read=rows, accepted=rows, updated=0,
        rejected=0, skipped=0, encoding="utf-8", delimiter=SEPARATOR, sheet=None, mapping=cmap.as_dict(),
        demo=True,
    )


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


def load_direct(
    store: Store,
    *,
    responses: int = DEFAULT_RESPONSES,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
    caller: Caller | None = None,
) -> list[ImportReport]:
    """Generate the demo operator straight into `store`, one import per dataset, in dependency order.

    What the dashboard's first open and `demo --load` use: no CSV file written and read back.

    The same rows as `generate` then `load` (tests compare the figures of both databases), in memory
    bounded by one transaction of COMMIT_ROWS rows. If it fails part way, the imports already committed
    are rolled back: no demo row is left. `progress(dataset, rows_written)` is called after every chunk.
    """
    who = caller or Caller.local()
    who.require(Action.DEMO)
    plan = demo_plan(responses, seed, as_of)
    reports: list[ImportReport] = []
    first = _next_import_id(store)
    try:
        with _Session(store, who) as session:
            for key in WRITERS:
                reports.append(_load_dataset(session, key, plan, progress))
    except BaseException:
        _undo(store, first, plan)
        raise
    return reports


def _next_import_id(store: Store) -> int:
    """The first import id this load can take (ids only grow)."""
    with store.cursor() as cur:
        row = cur.execute("SELECT coalesce(max(import_id), 0) FROM imports").fetchone()
    return int(row[0]) + 1 if row else 1


def _undo(store: Store, first: int, plan: Plan) -> None:
    """Roll back the demo imports a failed load committed, and drop their archive copies."""
    from metrics.ingest import history

    with store.cursor() as cur:
        done = cur.execute(
            "SELECT import_id FROM imports WHERE demo AND import_id >= ? AND status <> 'rolled_back' "
            "ORDER BY import_id DESC",
            [first],
        ).fetchall()
    for (import_id,) in done:
        with contextlib.suppress(CxError):
            history.rollback(store, import_id)
    for key in WRITERS:
        archived(store.path, _demo_id(key, plan)).unlink(missing_ok=True)
