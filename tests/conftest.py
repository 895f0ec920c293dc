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
