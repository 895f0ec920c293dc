"""Shared fixtures: a real DuckDB file in a temp dir, closed in teardown; the product's clock pinned.

The suite never reads the wall clock: `CX_TODAY` (metrics.clock) is pinned to `PINNED_TODAY` for the
whole run, page servers included, unless the caller already set it. CI runs the page and report
tests again with `CX_TODAY=2027-01-15` and `CX_TODAY=2026-12-20`, so an assertion that only holds on
one date fails there rather than for a newcomer next month.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PINNED_TODAY = "2026-10-15"  # an ordinary mid-month: demo data end on 30 September
os.environ.setdefault("CX_TODAY", PINNED_TODAY)

from metrics.store import Store, open_store  # noqa: E402


@pytest.fixture
def store(tmp_path) -> Store:
    s = open_store(tmp_path / "cx.duckdb")
    yield s
    s.close()
