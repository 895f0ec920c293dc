"""The demo database the page and browser tests share: built once per test process, in a temp dir."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from metrics import demo
from metrics.store import open_store


@functools.cache
def demo_db() -> Path:
    """A DuckDB file holding the demo the dashboard loads (100,000 answers, seed 42), removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="cx-pages-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    path = root / "cx.duckdb"
    store = open_store(path)
    try:
        demo.load(store, demo.generate(root / "files", responses=demo.DASHBOARD_RESPONSES))
    finally:
        store.close()
    return path
