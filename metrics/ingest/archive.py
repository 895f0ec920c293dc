"""Nothing lost for good: every imported file's bytes, compressed by checksum, and the order they went in.

Beside `cx.duckdb` lives `cx.duckdb.files/`: `<sha256>.gz` holds each file an import read, named by
the original's checksum but holding its UTF-8 CSV text with personal data masked and customer ids
hashed as the database has them (written inside the import's transaction, removed if it fails), and
`manifest.jsonl` lists the committed imports and roll-backs in order, appended after each commit
(the next commit catches up if a process dies in between). `rebuild` replays the manifest into a new
database, with the same customer-id salt, so every figure comes out the same.
"""

from __future__ import annotations

import contextvars
import csv
import gzip
import io
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from metrics.catalogue import N_
from metrics.errors import CxError
from metrics.tempfiles import import_prefix

if TYPE_CHECKING:
    from metrics.ingest.sources import Source

MANIFEST = "manifest.jsonl"


def archive_dir(db_path: Path) -> Path:
    """`<database>.files/`, beside the database file."""
    return db_path.with_name(db_path.name + ".files")


def archived(db_path: Path, sha256: str) -> Path:
    """Where the compressed bytes of the file with this checksum live."""
    return archive_dir(db_path) / f"{sha256}.gz"


# the copy written by the import under way in this thread (import_workdir removes it if that fails)
_WRITTEN: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar("archive_written", default=None)
# copies still being compressed in the background for that import (finish_archive waits for them)
_PENDING: contextvars.ContextVar[list[_Compressing] | None] = contextvars.ContextVar(
    "archive_pending", default=None
)


class _Compressing(threading.Thread):
    """gzip of one archive copy, run beside the import's next stages.

    Compressing 1M records takes 0.3 s (1 s under load) of zlib, which releases the GIL: done in this
    thread it overlaps DuckDB typing the cells instead of adding to the import. The error, if any, is
    kept for `finish_archive` to raise inside the transaction.
    """

    def __init__(
        self, fd: int, temp: Path, rows: Path, head: bytes, tail: bytes, target: Path, *, owned: bool = True
    ) -> None:
        """Compress `head`, file `rows`, then `tail` into `temp` (open as `fd`); then move it to `target`.

        `owned`: `rows` was written for this copy and is removed once read (not the imported file itself).
        """
        super().__init__(name="cx-archive", daemon=True)
        self.fd, self.temp, self.rows, self.head, self.tail, self.target = fd, temp, rows, head, tail, target
        self.owned = owned
        self.error: BaseException | None = None

    def run(self) -> None:
        """Write the gzip copy; never raises (the error waits in `self.error`)."""
        try:
            with (
                os.fdopen(self.fd, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as out,
                self.rows.open("rb") as records,
            ):
                out.write(self.head)
                shutil.copyfileobj(records, out, 1 << 20)
                out.write(self.tail)
            self.temp.chmod(0o600)  # masked, but still what customers wrote: readable by this user only
            self.temp.replace(self.target)
        except BaseException as err:  # carried to the importing thread and raised there
            self.error = err
            self.temp.unlink(missing_ok=True)
        finally:
            if self.owned:
                self.rows.unlink(missing_ok=True)


def keep_masked(
    cur: duckdb.DuckDBPyConnection,
    db_path: Path,
    src: Source,
    rejects: str = "csv_rejects",
    *,
    unchanged: bool = False,
) -> None:
    """Store the import's masked records (temp `staged_raw`, rejected lines) under the original's checksum.

    Called inside the import's transaction once `ingest.pii` has masked the staged cells and the
    rejected lines and hashed the customer ids: the copy holds what the database may hold and no more.
    It is a UTF-8 CSV: the header, every record the reader took in file order (written by DuckDB,
    quoted where needed), then the rejected lines as they were read, in line order. Re-imported, it
    gives the same rows, rejected rows and counts; only the line numbers of rejected rows may move
    (title lines above the header and blank lines are not kept). A copy already there is kept.
    Inside `import_workdir` the compression runs in the background until `finish_archive`.

    `unchanged`: masking changed no cell and hashed no id, so the UTF-8 text the reader read
    (`src.path`) already is what the database may hold: it is compressed as it is, lines and all,
    without writing the records again (0.46 s of a 3M-answer import).
    """
    target = archived(db_path, src.sha256)
    if target.exists():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".part-", dir=target.parent)
    except OSError as err:
        raise _not_kept(src.name, db_path, err) from None
    if unchanged:
        _start(_Compressing(fd, Path(temp), src.path, b"", b"", target, owned=False), src.name, db_path)
        return
    rows = Path(temp + ".rows.csv")
    try:
        header = io.StringIO()
        csv.writer(header, delimiter=src.delimiter, lineterminator="\n").writerow(src.headers)
        cells = ", ".join(f"c{i}" for i in range(len(src.headers)))
        # DuckDB writes the records at its own speed, in the table's (the file's) order: insertion order is
        # kept without an ORDER BY rowid (a sort: 0.9 s against 0.6 s at 1M, load 9)
        cur.execute(
            f"COPY (SELECT {cells} FROM staged_raw) TO {_literal(str(rows))} "
            f"(FORMAT csv, HEADER false, DELIMITER {_literal(src.delimiter)}, QUOTE '\"', ESCAPE '\"')"
        )
        lines = cur.execute(
            f"SELECT ltrim(any_value(csv_line), chr(13) || chr(10)) FROM {rejects} "
            "GROUP BY line ORDER BY line"
        ).fetchall()
        rejected = "".join(f"{line[0].rstrip(chr(13) + chr(10))}\n" for line in lines if line[0])
    except BaseException:
        os.close(fd)
        Path(temp).unlink(missing_ok=True)
        rows.unlink(missing_ok=True)
        raise
    job = _Compressing(
        fd, Path(temp), rows, header.getvalue().encode("utf-8"), rejected.encode("utf-8"), target
    )
    _start(job, src.name, db_path)


def _start(job: _Compressing, name: str, db_path: Path) -> None:
    """Run `job` beside the import's next stages (inside `import_workdir`), else now."""
    written, pending = _WRITTEN.get(), _PENDING.get()
    if written is not None:
        written.append(job.target)
    if pending is None:  # outside an import's workdir: no one would wait for it
        job.run()
        _raise_kept(job, name, db_path)
        return
    pending.append(job)
    job.start()


def _raise_kept(job: _Compressing, name: str, db_path: Path) -> None:
    if isinstance(job.error, OSError):
        raise _not_kept(name, db_path, job.error)
    if job.error is not None:
        raise job.error


def finish_archive(name: str, db_path: Path) -> None:
    """Wait for the copies this import compresses in the background; a failed one fails the import."""
    pending = _PENDING.get()
    while pending:
        job = pending.pop(0)
        job.join()
        _raise_kept(job, name, db_path)


def _literal(text: str) -> str:
    """A SQL string literal (COPY options take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _not_kept(name: str, db_path: Path, err: OSError) -> CxError:
    return CxError(N_("archive.not_kept"), file=name, folder=archive_dir(db_path), reason=err.strerror)


@contextmanager
def import_workdir(db_path: Path, source: Path, *, keep_copy: bool = True) -> Iterator[str]:
    """An import's temp directory (named after its process); the archive copy it wrote goes if it fails."""
    written: list[Path] = []
    pending: list[_Compressing] = []
    token = _WRITTEN.set(written if keep_copy else None)  # a dry run stores nothing, its file included
    waiting = _PENDING.set(pending)
    try:
        with tempfile.TemporaryDirectory(prefix=import_prefix()) as work:
            yield work
    except BaseException:
        for job in pending:  # a copy still being written would land after its removal
            job.join()
        for target in written:
            target.unlink(missing_ok=True)
        raise
    finally:
        for job in pending:
            job.join()
        _PENDING.reset(waiting)
        _WRITTEN.reset(token)


def _recorded(path: Path) -> set[tuple[str, int]]:
    if not path.exists():
        return set()
    with path.open(encoding="utf-8") as fh:
        return {(e["op"], e["import_id"]) for e in (json.loads(line) for line in fh if line.strip())}


def sync_manifest(cur: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Append the committed imports and roll-backs the manifest lacks, in the order they happened."""
    folder = archive_dir(db_path)
    if not folder.exists():
        return  # no file was ever archived here (a database made before archiving, or tables only)
    manifest = folder / MANIFEST
    seen = _recorded(manifest)
    rows = cur.execute(
        "SELECT import_id, dataset, file_name, sha256, sheet, mapping, demo, finished_at, rolled_back_at, "
        "options "
        "FROM imports ORDER BY import_id"
    ).fetchall()
    events = []
    for import_id, ds, name, sha, sheet, mapping, demo, finished, rolled_back, options in rows:
        if ("import", import_id) not in seen:
            entry = {
                "op": "import",
                "import_id": import_id,
                "dataset": ds,
                "file_name": name,
                "sha256": sha,
                "sheet": sheet,
                "mapping": json.loads(mapping or "{}"),
                "demo": bool(demo),
            }
            if options is not None:  # imports recorded with their options were archived masked
                entry |= {"options": json.loads(options), "masked": True}
            events.append((finished, 0, entry))
        if rolled_back is not None and ("rollback", import_id) not in seen:
            events.append((rolled_back, 1, {"op": "rollback", "import_id": import_id}))
    if not events:
        return
    events.sort(key=lambda e: (e[0], e[1], e[2]["import_id"]))
    with manifest.open("a", encoding="utf-8") as fh:
        for _, _, entry in events:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def manifest_entries(db_path: Path) -> list[dict[str, object]]:
    """The manifest of `db_path`, in order, or a sentence saying there is none."""
    manifest = archive_dir(db_path) / MANIFEST
    if not manifest.exists():
        raise CxError(N_("archive.no_manifest"), db=db_path, manifest=manifest)
    with manifest.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
