"""What the Data and Targets pages write: uploads sniffed, import plans, imports, the targets editor.

Every write goes through `metrics/` with the reader as caller (the role is checked there and the
change recorded in the audit trail). Nothing here drops a cache: cached figures are keyed on the data
version each write moves on (dashboard.data.versioned).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from dashboard.data import caller, store, versioned
from metrics.ingest import target_table as targets_mod
from metrics.ingest.conversions import converted
from metrics.ingest.importing import ImportReport, Progress, import_file
from metrics.ingest.inspection import Inspection, inspect_file, sniff_upload
from metrics.ingest.options import ImportOptions
from metrics.ingest.preview import Plan
from metrics.ingest.preview import plan_import as _plan_import
from metrics.ingest.sources import Source
from metrics.store import Store


def inspect(name: str, content: bytes, options: ImportOptions | None = None) -> Inspection:
    """The upload's shape decided once, its likely dataset, suggested mapping and first rows.

    The bytes are kept by checksum for this process (metrics.ingest.conversions), so the plan and the
    import read `Inspection.source`, the shape decided here, and never sniff or copy the upload again.
    `options` carries the reading choices (separator, survey tool). Raises ImportRefused.
    """
    digest = hashlib.sha256(content).hexdigest()
    path, _ = converted(digest, "upload", None, lambda out: _write(out, content))
    # the reader's own file name, however long: the bytes sit under their checksum, not under it
    return inspect_file(sniff_upload(path, options, name=Path(name).name))


def _write(out: Path, content: bytes) -> None:
    out.write_bytes(content)


def plan_import(
    db: Store,
    dataset_key: str,
    src: Source,
    mapping: dict[str, str] | None = None,
    options: ImportOptions | None = None,
) -> Plan:
    """The existing rows an import of the sniffed upload with these options would update (raises CxError)."""
    return _plan_import(db, dataset_key, src, mapping, options)


def run_import(
    db: Store,
    dataset_key: str,
    src: Source,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import the sniffed upload into `dataset_key` under its own name, as the reader (checked, audited)."""
    return import_file(
        db,
        dataset_key,
        src.path,
        options=options,
        mapping=mapping,
        file_name=src.name,
        progress=progress,
        caller=caller(),  # checked in metrics/ and recorded in the audit trail
        source=src,
    )  # every cached figure is keyed on the data version the import moves on


targets = versioned(on=store)(targets_mod.list_targets)  # the editor's rows: the DuckDB file


def target_years() -> list[int]:
    """Years with at least one target, newest first."""
    return sorted({int(y) for y in targets()["year"]}, reverse=True)


def save_targets(db: Store, frame: pd.DataFrame) -> ImportReport:
    """Import the edited targets table, checked like any file (cached figures follow the data version)."""
    return targets_mod.save_targets(db, frame, caller=caller())
