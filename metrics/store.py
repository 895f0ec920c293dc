"""The DuckDB file: connections that wait politely for other processes, migrations, transactions.

Concurrency design (docs/concurrency.md): readers never touch the writer's file. `cursor()` reads
the read-only snapshot the last commit published (metrics.snapshot); `transaction()` opens the file
read-write on demand, commits, checkpoints, publishes a new snapshot and releases the file once idle
(at once for the CLI, after a grace period for the dashboard). A writer that finds the file locked by
another writer retries with backoff, then says so in a sentence.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from metrics import settings, snapshot
from metrics.catalogue import N_
from metrics.errors import CxError, StoreBusy
from metrics.ingest import archive
from metrics.migrations import MIGRATIONS, data_version, migrate, schema_version
from metrics.tempfiles import clean_stale_once

DEFAULT_DB = Path(str(settings.SETTINGS["CX_DB"].default))
_PID = re.compile(r"PID (\d+)")


def default_db_path() -> Path:
    """The database the CLI and the dashboard use unless told otherwise (`CX_DB` overrides)."""
    return settings.path("CX_DB") or DEFAULT_DB


def memory_limit() -> str:
    """DuckDB's memory cap (`CX_MEMORY_LIMIT`, default 4GB): past it, big imports spill to `<db>.tmp/`.

    Without a cap DuckDB takes up to 80% of RAM: a 10M-answer import peaked at 16.7 GB resident.
    """
    return settings.text("CX_MEMORY_LIMIT")


def lock_wait_seconds() -> float:
    """How long to wait for a database another process holds (`CX_LOCK_WAIT_SECONDS`, default 15)."""
    return settings.number("CX_LOCK_WAIT_SECONDS")


# DuckDB's and the system's own words for a full memory or disk, matched in its messages; "failed to pin
# block": DuckDB's buffer manager found no room under the cap (a checkpoint, a sort)
_OUT_OF_MEMORY = ("out of memory", "failed to pin block")  # not user-facing: DuckDB's words, matched
_DISK_FULL = (
    "no space left",
    "disk is full",
    "file too large",
)  # not user-facing: the system's words, matched


def database_error(err: duckdb.Error, path: Path) -> CxError | None:
    """The sentence for a failure of the database itself (memory, disk, permissions); None for others."""
    first = str(err).splitlines()[0] if str(err) else type(err).__name__
    lowered = first.lower()
    if isinstance(err, duckdb.OutOfMemoryException) or any(w in lowered for w in _OUT_OF_MEMORY):
        return CxError(N_("store.out_of_memory"), path=path, cap=memory_limit(), error=first)
    if any(w in lowered for w in _DISK_FULL):
        return CxError(N_("store.disk_full"), path=path, error=first, name=path.name)
    if "permission denied" in lowered or "read-only" in lowered or "read only" in lowered:
        return CxError(N_("store.not_writable"), path=path, error=first)
    if isinstance(err, duckdb.IOException):
        return CxError(N_("store.io_error"), path=path, error=first)
    return None


def _record_units(cur: duckdb.DuckDBPyConnection) -> None:
    """Every commit records the workload's published units with it, so none splits later (docs/privacy.md).

    The rule and its pandas are imported only when the workload changed since the last record.
    """
    from metrics.semantic import privacy_versions

    if privacy_versions.stale(cur):
        from metrics.semantic import privacy_history

        privacy_history.record(cur)


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
        self._publishing = threading.Lock()
        self._shared = _Shared()
        self._reader = snapshot.Reader(self.path, {"memory_limit": memory_limit()})
        self._checked = False

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _open(self, wait_seconds: float) -> duckdb.DuckDBPyConnection:
        clean_stale_once()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait_seconds
        pause = 0.05
        while True:
            try:
                return duckdb.connect(str(self.path), config={"memory_limit": memory_limit()})
            except duckdb.IOException as err:
                text = str(err)
                if "lock" not in text.lower():
                    raise database_error(err, self.path) or CxError(
                        N_("store.cannot_open"), path=self.path, error=text.splitlines()[0]
                    ) from None
                if time.monotonic() >= deadline:
                    pid = _PID.search(text)
                    busy = N_("store.busy_pid") if pid else N_("store.busy")
                    raise StoreBusy(
                        busy, path=self.path, pid=pid and pid.group(1), seconds=f"{wait_seconds:.0f}"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            except duckdb.Error as err:
                raise database_error(err, self.path) or CxError(
                    N_("store.not_a_database"), path=self.path, error=str(err).splitlines()[0]
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
        """A read-only cursor on the latest published snapshot: never waits for, nor blocks, a writer."""
        if not self._checked:
            # the first read of this Store: a snapshot must exist; if it is out of date (another schema,
            # a file changed by an older program) refresh it, unless a writer is at work: it will
            if snapshot.current(self.path) is None:
                with self._writer():
                    pass
            elif snapshot.stale(self.path) or _snapshot_schema(self.path) != len(MIGRATIONS):
                with contextlib.suppress(StoreBusy), self._writer(wait_seconds=0.0):
                    pass
            self._checked = True
        with self._reader.cursor() as cur:
            yield cur

    def _opened(self, wait_seconds: float | None) -> _Shared:
        """The read-write connection, opened (and the snapshot published if stale) on first use."""
        shared = self._shared
        if shared.timer is not None:
            shared.timer.cancel()
            shared.timer = None
        if shared.con is None:
            shared.con = self._open(self.wait_seconds if wait_seconds is None else wait_seconds)
            try:
                if migrate(shared.con) or snapshot.stale(self.path):
                    shared.con.execute("CHECKPOINT")  # a WAL replayed on open goes into the copy too
                    snapshot.publish(self.path)
            except duckdb.Error as err:  # a schema upgrade that fails (memory, disk) is a sentence too
                shared.con.close()
                shared.con = None
                raise database_error(err, self.path) or CxError(
                    N_("store.migration_failed"), path=self.path, error=str(err).splitlines()[0]
                ) from None
        return shared

    @contextmanager
    def _writer(self, wait_seconds: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the read-write connection; the file is released once nobody uses it."""
        idle = False

        def returned(shared: _Shared) -> None:
            nonlocal idle
            idle = shared.users == 0

        try:
            with snapshot.counted_cursor(self._lock, lambda: self._opened(wait_seconds), returned) as cur:
                yield cur
        finally:
            if idle:
                if self.idle_seconds <= 0:
                    self._release()
                else:
                    with self._lock:
                        shared = self._shared
                        shared.timer = threading.Timer(self.idle_seconds, self._release)
                        shared.timer.daemon = True
                        shared.timer.start()
                        _IDLE.add(self)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a failure inside leaves the database exactly as it was; readers see it after."""
        with snapshot.writing(self.path), self._writer() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                _record_units(cur)
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
                    N_("store.change_failed"), path=self.path, error=str(err).splitlines()[0]
                ) from None
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise
            # the archive's manifest follows the commit; if this fails, the next commit catches up
            with contextlib.suppress(OSError, duckdb.Error):
                archive.sync_manifest(cur, self.path)
            try:
                cur.execute("CHECKPOINT")
            except duckdb.TransactionException:
                return  # another cursor is writing: its own commit publishes both
            except duckdb.Error as err:
                # committed to the log (the .wal file) but not folded into the database file: the next
                # open replays the log, so the change is kept whole; the reader's copy is not refreshed
                raise CxError(
                    N_("store.not_checkpointed"),
                    path=self.path,
                    name=self.path.name,
                    error=str(err).splitlines()[0],
                ) from None
            with self._publishing:
                snapshot.publish(self.path)

    def close(self) -> None:
        """Release the file now, whatever the idle timer says."""
        with self._lock:
            if self._shared.timer is not None:
                self._shared.timer.cancel()
        self._release()
        self._reader.close()

    def table_names(self) -> set[str]:
        """The tables of the published copy (the Spark store answers the same from its warehouse)."""
        with self.cursor() as cur:
            return {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}

    def data_version(self) -> int:
        """A number that changes with every committed write: the dashboard keys its caches on it."""
        with self.cursor() as cur:
            return data_version(cur)

    def is_empty(self) -> bool:
        """True when no import has ever been kept (demo or real)."""
        with self.cursor() as cur:
            row = cur.execute("SELECT count(*) FROM imports WHERE status <> 'rolled_back'").fetchone()
        return not row or row[0] == 0


def _snapshot_schema(db: Path) -> int:
    """The schema version of the published snapshot (0 when it cannot be read)."""
    path = snapshot.current(db)
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return schema_version(con)
    except duckdb.Error:
        return 0


# stores whose file is kept open by an idle timer (the dashboard's): released at exit, in the main
# thread, because a daemon timer still closing the file when the interpreter stops is killed inside
# DuckDB's C++ code, which aborts the process ("FATAL: exception not rethrown") after all went well
_IDLE: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def release_idle() -> None:
    """Cancel every pending idle timer and release its file now (at exit, or when a test asks)."""
    for store in list(_IDLE):
        with store._lock:
            if store._shared.timer is not None:
                store._shared.timer.cancel()
        store._release()
    _IDLE.clear()


def open_store(path: Path | str | None = None, *, idle_seconds: float = 0.0) -> Store:
    """A Store on `path` (default: `CX_DB` or data/cx.duckdb), migrated to the current schema."""
    store = Store(path or default_db_path(), idle_seconds=idle_seconds)
    with store.cursor():
        pass
    return store
