"""Nothing lost for good: every imported file's bytes, compressed by checksum, and the order they went in.

Beside `cx.duckdb` lives `cx.duckdb.files/`: `<sha256>.gz` holds the original bytes of each file an
import read (written before the import's transaction, removed again if the import fails), and
`manifest.jsonl` lists the committed imports and roll-backs in order, appended after each commit
(the next commit catches up if a process dies in between). `rebuild` replays the manifest into a new
database, with the same customer-id salt, so every figure comes out the same.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from metrics.errors import CxError
from metrics.tempfiles import import_prefix

MANIFEST = "manifest.jsonl"


def archive_dir(db_path: Path) -> Path:
    """`<database>.files/`, beside the database file."""
    return db_path.with_name(db_path.name + ".files")


def archived(db_path: Path, sha256: str) -> Path:
    """Where the compressed bytes of the file with this checksum live."""
    return archive_dir(db_path) / f"{sha256}.gz"


def keep(db_path: Path, source: Path, sha256: str) -> bool:
    """Store `source` compressed under its checksum unless already there; True when this call wrote it."""
    target = archived(db_path, sha256)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".part-", dir=target.parent)
    try:
        # level 1: a 782 MB export compresses at disk speed; os.replace makes a half-written copy impossible
        with (
            source.open("rb") as src,
            os.fdopen(fd, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as out,
        ):
            shutil.copyfileobj(src, out, 1 << 20)
        Path(temp).chmod(0o600)  # the bytes hold what customers wrote: readable by this user only
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


@contextmanager
def import_workdir(db_path: Path, source: Path, *, keep_copy: bool = True) -> Iterator[str]:
    """An import's temp directory (named after its process) with `source` archived; undone if it fails."""
    wrote = False
    sha = ""
    if keep_copy and source.is_file():  # a dry run stores nothing, its file included
        from metrics.ingest.sources import file_sha256

        sha = file_sha256(source)
        try:
            wrote = keep(db_path, source, sha)
        except OSError as err:
            raise CxError(
                f"the copy of {source.name} could not be kept in {archive_dir(db_path)} ({err.strerror}); "
                "nothing was imported; free some space there (or make the folder writable) and try again"
            ) from None
    try:
        with tempfile.TemporaryDirectory(prefix=import_prefix()) as work:
            yield work
    except BaseException:
        if wrote:
            archived(db_path, sha).unlink(missing_ok=True)
        raise


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
        "SELECT import_id, dataset, file_name, sha256, sheet, mapping, demo, finished_at, rolled_back_at "
        "FROM imports ORDER BY import_id"
    ).fetchall()
    events = []
    for import_id, ds, name, sha, sheet, mapping, demo, finished, rolled_back in rows:
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
        raise CxError(
            f"there is no archive of imported files beside {db_path} ({manifest} is missing); only databases "
            "whose imports were archived can be rebuilt"
        )
    with manifest.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
