"""A database with no rows that the dashboard leaves empty: it has seen one import, rolled back.

A brand-new database gets the demo data on the first page open (dashboard.shell); tests that count
the rows their own import stored start from this one instead.
"""

from __future__ import annotations

from pathlib import Path

from metrics.ingest import history
from metrics.ingest.importing import import_file
from metrics.store import open_store


def empty_db(path: Path) -> Path:
    """Create `path` with every table empty and one rolled-back import in its history; return it."""
    seed = path.with_name(path.stem + "_seed.csv")
    seed.write_bytes("code site;région;type de site\r\nSEED-01;Nord;Interne\r\n".encode())
    store = open_store(path)
    try:
        report = import_file(store, "sites", seed)
        history.rollback(store, report.import_id)
    finally:
        store.close()
    seed.unlink()
    return path
