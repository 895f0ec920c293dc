"""The DuckDB file: connections that wait politely for other processes, migrations, transactions.

Concurrency design (docs/concurrency.md): no process holds the file longer than it needs. A Store
opens one connection on demand, hands out cursors, and closes the connection once idle
(immediately for the CLI, after a short grace period for the dashboard). A process that finds the
file locked by another retries with backoff, then says so in a sentence.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from metrics import archive
from metrics.datasets import DATASETS, SQL_TYPES, Dataset
from metrics.errors import CxError, StoreBusy
from metrics.tempfiles import clean_stale_once

DEFAULT_DB = Path("data") / "cx.duckdb"
_PID = re.compile(r"PID (\d+)")


def default_db_path() -> Path:
    """The database the CLI and the dashboard use unless told otherwise (`CX_DB` overrides)."""
    return Path(os.environ.get("CX_DB") or DEFAULT_DB)


def memory_limit() -> str:
    """DuckDB's memory cap (`CX_MEMORY_LIMIT`, default 4GB): past it, big imports spill to `<db>.tmp/`.

    Without a cap DuckDB takes up to 80% of RAM: a 10M-answer import peaked at 16.7 GB resident.
    """
    return os.environ.get("CX_MEMORY_LIMIT", "4GB")


def lock_wait_seconds() -> float:
    """How long to wait for a database another process holds (`CX_LOCK_WAIT_SECONDS`, default 15)."""
    raw = os.environ.get("CX_LOCK_WAIT_SECONDS", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else 15.0
    except ValueError:
        raise CxError(f'CX_LOCK_WAIT_SECONDS is "{raw}"; expected a number of seconds, e.g. 15') from None


def database_error(err: duckdb.Error, path: Path) -> CxError | None:
    """The sentence for a failure of the database itself (memory, disk, permissions); None for others."""
    first = str(err).splitlines()[0] if str(err) else type(err).__name__
    lowered = first.lower()
    if isinstance(err, duckdb.OutOfMemoryException) or "out of memory" in lowered:
        return CxError(
            f"DuckDB ran out of memory working on {path} (cap {memory_limit()}, set by CX_MEMORY_LIMIT): "
            f"{first}; nothing was changed; raise CX_MEMORY_LIMIT or close other programs, and try again"
        )
    if "no space left" in lowered or "disk is full" in lowered or "file too large" in lowered:
        return CxError(
            f"the disk holding {path} is full ({first}); nothing was changed; free some space "
            f"(DuckDB also needs room for {path.name}.wal and {path.name}.tmp/) and try again"
        )
    if "permission denied" in lowered or "read-only" in lowered or "read only" in lowered:
        return CxError(
            f"{path} cannot be written ({first}); nothing was changed; check that the file and its folder "
            "are writable by this user and not on a read-only disk"
        )
    if isinstance(err, duckdb.IOException):
        return CxError(f"{path} could not be read or written ({first}); nothing was changed; check the disk")
    return None


def dataset_columns_sql(ds: Dataset) -> str:
    """The column list of a dataset table, from its declaration."""
    return ", ".join(f'"{c.name}" {SQL_TYPES[c.kind]}' for c in ds.columns)


def _migration_1(con: duckdb.DuckDBPyConnection) -> None:
    """Bookkeeping tables and one current/replaced table pair per declared dataset."""
    con.execute("CREATE SEQUENCE import_seq START 1")
    con.execute(
        """
        CREATE TABLE imports (
            import_id BIGINT PRIMARY KEY, dataset VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL, encoding VARCHAR, delimiter VARCHAR, sheet VARCHAR, mapping VARCHAR,
            rows_read BIGINT NOT NULL, accepted BIGINT NOT NULL, updated BIGINT NOT NULL,
            rejected BIGINT NOT NULL, skipped BIGINT NOT NULL,
            started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL, demo BOOLEAN NOT NULL, rolled_back_at TIMESTAMP
        )"""
    )
    con.execute(
        """
        CREATE TABLE rejected_rows (
            import_id BIGINT NOT NULL, line BIGINT NOT NULL, column_name VARCHAR,
            value VARCHAR, reason VARCHAR NOT NULL, detail VARCHAR, raw VARCHAR
        )"""
    )
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('data_version', '0')")
    for ds in DATASETS.values():
        cols = dataset_columns_sql(ds)
        con.execute(f"CREATE TABLE {ds.table} ({cols}, _import_id BIGINT NOT NULL)")
        con.execute(f"CREATE TABLE {ds.replaced_table} ({cols}, _import_id BIGINT, _replaced_by BIGINT)")


def _migration_2(con: duckdb.DuckDBPyConnection) -> None:
    """Monthly rollups of the large datasets, built from whatever rows the file already holds."""
    from metrics import rollups

    for key in rollups.ROLLED_UP:
        rollups.rebuild(con, key)


# Append only: a database made by an older version replays the ones it lacks, in order.
MIGRATIONS: tuple[Callable[[duckdb.DuckDBPyConnection], None], ...] = (_migration_1, _migration_2)


@dataclass
class _Shared:
    con: duckdb.DuckDBPyConnection | None = None
    users: int = 0
    timer: threading.Timer | None = None


class Store:
    """One DuckDB file, opened on demand and released when idle so other processes can use it."""

    def __init__(
        self, path: Path | str, *, idle_seconds: float = 0.0, wait_seconds: float | None = None
    ) -> None:
        self.path = Path(path)
        self.idle_seconds = idle_seconds
        self.wait_seconds = lock_wait_seconds() if wait_seconds is None else wait_seconds
        self._lock = threading.Lock()
        self._shared = _Shared()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _open(self) -> duckdb.DuckDBPyConnection:
        clean_stale_once()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.05
        while True:
            try:
                return duckdb.connect(str(self.path), config={"memory_limit": memory_limit()})
            except duckdb.IOException as err:
                text = str(err)
                if "lock" not in text.lower():
                    raise database_error(err, self.path) or CxError(
                        f"cannot open the database {self.path}: {text.splitlines()[0]}"
                    ) from None
                if time.monotonic() >= deadline:
                    pid = _PID.search(text)
                    who = f"process {pid.group(1)}" if pid else "another process"
                    raise StoreBusy(
                        f"the database {self.path} is in use by {who} (an import or the dashboard) and "
                        f"stayed busy for {self.wait_seconds:.0f} s; try again when it has finished, "
                        "or import through the dashboard's Data page"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            except duckdb.Error as err:
                raise database_error(err, self.path) or CxError(
                    f"{self.path} is not a database this program can open: {str(err).splitlines()[0]}"
                ) from None

    def _release(self) -> None:
        with self._lock:
            shared = self._shared
            if shared.users == 0 and shared.con is not None:
                shared.con.close()
                shared.con = None
            shared.timer = None

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the shared connection; the file is released once nobody uses it."""
        with self._lock:
            shared = self._shared
            if shared.timer is not None:
                shared.timer.cancel()
                shared.timer = None
            if shared.con is None:
                shared.con = self._open()
                _migrate(shared.con)
            shared.users += 1
            cur = shared.con.cursor()
        try:
            yield cur
        finally:
            cur.close()
            with self._lock:
                shared.users -= 1
                idle = shared.users == 0
            if idle:
                if self.idle_seconds <= 0:
                    self._release()
                else:
                    with self._lock:
                        shared.timer = threading.Timer(self.idle_seconds, self._release)
                        shared.timer.daemon = True
                        shared.timer.start()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a failure inside leaves the database exactly as it was."""
        with self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                cur.execute(
                    "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                    "WHERE key = 'data_version'"
                )
                cur.execute("COMMIT")
            except duckdb.Error as err:
                # after a fatal error (disk full) DuckDB may refuse even the roll-back: it never committed
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise database_error(err, self.path) or CxError(
                    f"the database {self.path} could not complete the change "
                    f"({str(err).splitlines()[0]}); nothing was changed; please report this"
                ) from None
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise
            # the archive's manifest follows the commit; if this fails, the next commit catches up
            with contextlib.suppress(OSError, duckdb.Error):
                archive.sync_manifest(cur, self.path)
            # another cursor may be writing: DuckDB then checkpoints when the file is released
            with contextlib.suppress(duckdb.TransactionException):
                cur.execute("CHECKPOINT")

    def close(self) -> None:
        """Release the file now, whatever the idle timer says."""
        with self._lock:
            if self._shared.timer is not None:
                self._shared.timer.cancel()
        self._release()

    def data_version(self) -> int:
        """A number that changes with every committed write: the dashboard keys its caches on it."""
        with self.cursor() as cur:
            row = cur.execute("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def is_empty(self) -> bool:
        """True when no import has ever been kept (demo or real)."""
        with self.cursor() as cur:
            row = cur.execute("SELECT count(*) FROM imports WHERE status = 'done'").fetchone()
        return not row or row[0] == 0


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The number of migrations this database has applied."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or exists[0] == 0:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply the migrations this file lacks, each in its own transaction, then checkpoint."""
    current = schema_version(con)
    if current > len(MIGRATIONS):
        raise CxError(
            f"this database was written by a newer version (schema {current}, this program knows "
            f"{len(MIGRATIONS)}); upgrade the program"
        )
    if current == len(MIGRATIONS):
        return
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
    )
    for version, migration in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            migration(con)
            con.execute("INSERT INTO schema_migrations VALUES (?, current_timestamp)", [version])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    con.execute("CHECKPOINT")


def open_store(path: Path | str | None = None, *, idle_seconds: float = 0.0) -> Store:
    """A Store on `path` (default: `CX_DB` or data/cx.duckdb), migrated to the current schema."""
    store = Store(path or default_db_path(), idle_seconds=idle_seconds)
    with store.cursor():
        pass
    return store
