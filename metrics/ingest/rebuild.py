"""Recreate a database from its archive: the kept files re-imported, and the roll-backs redone, in order."""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from metrics.catalogue import N_
from metrics.errors import CxError
from metrics.ingest.archive import archived, manifest_entries
from metrics.ingest.history import rollback
from metrics.ingest.importing import import_file
from metrics.ingest.mapping import ROW_HASH
from metrics.ingest.options import ImportOptions, options_from
from metrics.ingest.pii import salt_path
from metrics.store import Store, open_store
from metrics.tempfiles import import_prefix, short_name


@dataclass(frozen=True, slots=True)
class RebuildReport:
    """What a rebuild replayed."""

    path: Path
    imports: int
    rollbacks: int


def _restore(db_path: Path, entry: dict[str, object], work: Path) -> Path:
    """The archived bytes of one import, unpacked under the file's own name (shortened if need be)."""
    packed = archived(db_path, str(entry["sha256"]))
    if not packed.exists():
        raise CxError(
            N_("archive.file_missing"),
            import_id=entry["import_id"],
            file=entry["file_name"],
            packed=packed.name,
        )
    name = short_name(str(entry["file_name"]))
    if entry.get("masked") and not name.lower().endswith((".csv", ".txt")):
        name = short_name(name + ".csv")  # a workbook's masked copy is its sheet as CSV text
    target = work / str(entry["import_id"]) / name
    target.parent.mkdir()
    with gzip.open(packed, "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return target


def _replayed(entry: Mapping[str, object]) -> ImportOptions:
    """The options to import an archived file with: those it was imported with, when recorded.

    A masked copy is the prepared UTF-8 CSV (a workbook's sheet already converted), so it has no sheet.
    An entry from before options were recorded replays its mapping, constants and row hash excluded,
    and accepts any share of rejected rows: the import passed once.
    """
    stored = entry.get("options")
    if isinstance(stored, Mapping):
        options = options_from(stored)
        return replace(options, sheet=None) if entry.get("masked") else options
    mapping = entry["mapping"] if isinstance(entry["mapping"], Mapping) else {}
    return ImportOptions(
        mapping={k: str(v) for k, v in mapping.items() if not str(v).startswith("= ") and v != ROW_HASH},
        sheet=str(entry["sheet"]) if entry["sheet"] else None,
        max_rejected=100.0,
    )


# what people wrote outside imports, carried as it is: the audit trail, the follow-up cases' owners,
# statuses and outcomes, and what each digest recipient was last sent (so the next says what changed)
CARRIED = ("audit", "follow_ups", "digests")


def _carry_kept(db_path: Path, store: Store) -> dict[str, int]:
    """The old file's CARRIED tables first in the new one, in their order; rows carried per table.

    The audit trail's replays that follow are added after its old lines.
    """
    if not db_path.exists():
        return {}
    old = open_store(db_path)
    taken: dict[str, tuple[list[str], list[tuple]]] = {}
    try:
        with old.cursor() as cur:
            present = {r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
            for table in CARRIED:
                if table in present:
                    result = cur.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
                    names = [d[0] for d in result.description]
                    taken[table] = (names, result.fetchall())
    finally:
        old.close()
    if any(rows for _, rows in taken.values()):
        with store.transaction() as cur:
            for table, (names, rows) in taken.items():
                if rows:
                    columns = ", ".join(f'"{n}"' for n in names)
                    marks = ", ".join("?" for _ in names)
                    insert = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
                    cur.executemany(insert, [list(r) for r in rows])
    return {table: len(rows) for table, (_, rows) in taken.items()}


def rebuild(db_path: Path, out: Path) -> RebuildReport:
    """Replay the manifest of `db_path` into the new database `out`, with the same customer-id salt."""
    entries = manifest_entries(db_path)
    if out.exists():
        raise CxError(N_("archive.out_exists"), out=out)
    old_salt, new_salt = salt_path(db_path), salt_path(out)
    if old_salt.exists() and old_salt != new_salt and not new_salt.exists():
        shutil.copy2(old_salt, new_salt)  # same salt, same customer hashes
    store = open_store(out)
    new_ids: dict[int, int] = {}
    rollbacks = 0
    try:
        _carry_kept(db_path, store)
        with tempfile.TemporaryDirectory(prefix=import_prefix()) as work:
            for entry in entries:
                old_id = int(str(entry["import_id"]))
                if entry["op"] == "rollback":
                    rollback(store, new_ids[old_id])
                    rollbacks += 1
                    continue
                options = _replayed(entry)
                report = import_file(
                    store,
                    str(entry["dataset"]),
                    _restore(db_path, entry, Path(work)),
                    options=options,
                    demo=bool(entry["demo"]),
                    file_name=str(entry["file_name"]),
                )
                new_ids[old_id] = report.import_id
    finally:
        store.close()
    return RebuildReport(path=out, imports=len(new_ids), rollbacks=rollbacks)
