"""Readers never wait for writers: they read a read-only copy that the writer publishes after each commit.

DuckDB lets one process hold a file read-write, and then nobody else may open it, readers included;
but any number of processes may hold a file read-only. So the writer, after each commit, checkpoints,
copies `cx.duckdb` to a new `cx.duckdb.snap-<n>` and points `cx.duckdb.snapshot` at it (an atomic
rename). A reader opens the file the pointer names, read-only, and keeps it until the pointer moves:
it always sees whole imports, never waits, and never holds the writer's file. A reader that still has
an older copy open keeps reading it (Linux keeps a deleted file's inode for whoever has it open).
While an import runs, `cx.duckdb.importing-<pid>` exists, so pages can say so.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import duckdb

from metrics.catalogue import N_
from metrics.errors import CxError
from metrics.tempfiles import process_alive

OPEN_ATTEMPTS = 5


def pointer_path(db: Path) -> Path:
    """The small file naming the current snapshot."""
    return db.with_name(db.name + ".snapshot")


def marker_path(db: Path, pid: int) -> Path:
    """The file that exists while process `pid` writes to `db` (one per writer: they may queue)."""
    return db.with_name(f"{db.name}.importing-{pid}")


def current(db: Path) -> Path | None:
    """The snapshot readers should open now, or None before the first publication."""
    try:
        name = pointer_path(db).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return db.with_name(name) if name else None


def stale(db: Path) -> bool:
    """True when no snapshot exists, or `db` changed after it was published (by an older program)."""
    path = current(db)
    try:
        return path is None or db.stat().st_mtime_ns > path.stat().st_mtime_ns
    except FileNotFoundError:
        return True


def publish(db: Path) -> Path:
    """Copy the checkpointed `db` to a new snapshot and point readers at it; older copies are removed."""
    previous = current(db)
    number = int(previous.name.rsplit("-", 1)[1]) + 1 if previous and previous.name[-1].isdigit() else 1
    target = db.with_name(f"{db.name}.snap-{number}")
    pointer = pointer_path(db)
    temp = pointer.with_name(f"{pointer.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(db, target)
        temp.write_text(target.name + "\n", encoding="utf-8")
        temp.replace(pointer)  # the switch: atomic, readers see the old name or the new one
    except OSError as err:
        temp.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise CxError(N_("store.snapshot_not_refreshed"), db=db, error=err.strerror) from None
    for old in db.parent.glob(f"{db.name}.snap-*"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


@contextmanager
def writing(db: Path) -> Iterator[None]:
    """Mark `db` as being written by this process for the length of the block."""
    marker: Path | None = marker_path(db, os.getpid())
    try:
        marker.touch()
    except OSError:
        marker = None  # a read-only folder: the write itself will say what is wrong
    try:
        yield
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def import_running(db: Path) -> bool:
    """True while a live process writes to `db` (a killed one's marker does not count)."""
    pids = (m.name.rsplit("-", 1)[1] for m in db.parent.glob(f"{db.name}.importing-*"))
    return any(p.isdigit() and process_alive(int(p)) for p in pids)


class _Counted(Protocol):
    con: duckdb.DuckDBPyConnection | None
    users: int


C = TypeVar("C", bound=_Counted)


@contextmanager
def counted_cursor(
    lock: threading.Lock, acquire: Callable[[], C], returned: Callable[[C], None]
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the connection `acquire()` picks, counted as one user while it is out.

    The store's writer and the snapshot reader both close a connection once its last cursor is back.
    `acquire` and `returned` run under `lock` together with the count, so no thread can close the
    connection between another choosing it and counting its cursor.
    """
    with lock:
        holder = acquire()
        holder.users += 1
        assert holder.con is not None  # acquire() opens it
        cur = holder.con.cursor()
    try:
        yield cur
    finally:
        cur.close()
        with lock:
            holder.users -= 1
            returned(holder)


@dataclass
class _Copy:
    path: Path
    con: duckdb.DuckDBPyConnection
    users: int = 0


class Reader:
    """Read-only cursors on the current snapshot; a newer one is opened when the writer publishes."""

    def __init__(self, db: Path, config: dict[str, str]) -> None:
        self.db = db
        self.config = config
        self._lock = threading.Lock()
        self._copy: _Copy | None = None

    def _connect(self) -> _Copy:
        """Open what the pointer names; retry when the writer swaps and removes it in between."""
        for _ in range(OPEN_ATTEMPTS):
            path = current(self.db)
            if path is None:
                break
            try:
                return _Copy(path, duckdb.connect(str(path), read_only=True, config=self.config))
            except duckdb.IOException:
                continue  # removed by a newer publication between reading the pointer and opening
        raise CxError(N_("store.no_snapshot"), db=self.db)

    def _newest(self) -> _Copy:
        """The copy of the newest snapshot, opened if the writer published since (under the lock)."""
        latest = current(self.db)
        if self._copy is None or (latest is not None and latest != self._copy.path):
            old = self._copy
            self._copy = self._connect()
            if old is not None and old.users == 0:
                old.con.close()
        return self._copy

    def _returned(self, copy: _Copy) -> None:
        """An older copy closes with its last cursor (under the lock)."""
        if copy is not self._copy and copy.users == 0:
            copy.con.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the newest snapshot; the old copy closes once its last cursor is done."""
        with counted_cursor(self._lock, self._newest, self._returned) as cur:
            yield cur

    def close(self) -> None:
        """Close the current copy (cursors still out keep it until they finish)."""
        with self._lock:
            if self._copy is not None and self._copy.users == 0:
                self._copy.con.close()
            self._copy = None
