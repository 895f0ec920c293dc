"""Shared fixtures: a real DuckDB file in a temp dir, closed in teardown."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from metrics.store import Store, open_store  # noqa: E402


@pytest.fixture
def store(tmp_path) -> Store:
    s = open_store(tmp_path / "cx.duckdb")
    yield s
    s.close()


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to compare the database before and after a refusal."""
    with store.cursor() as cur:
        tables = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()]
        return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
