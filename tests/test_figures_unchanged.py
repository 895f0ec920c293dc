"""Every figure the CLI and the pages read stays the same through refactors: a golden snapshot.

The snapshot (gzipped JSON: 75,000 rows, most of them per site) was written once from the code
before metric kinds became data (issue #16) and is compared to 1e-9.
Regenerate only for an intended change of figures: CX_UPDATE_SNAPSHOTS=1 pytest this file.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from tests.figures_grid import case_id, cases, compute, demo_store, differences

SNAPSHOT = Path(__file__).parent / "snapshots" / "figures.json.gz"
UPDATE = os.environ.get("CX_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    store = demo_store(tmp_path_factory.mktemp("golden"))
    got = {}
    for key, grain, by, start, end in cases():
        for rollup in (True, False):
            name = case_id(key, grain, by, start, end) + ("" if rollup else "/raw")
            got[name] = compute(store, key, grain, by, start, end, use_rollup=rollup)
    store.close()
    if UPDATE:
        text = json.dumps(got, sort_keys=True, default=str, separators=(",", ":"))
        SNAPSHOT.write_bytes(gzip.compress(text.encode(), mtime=0))
    return got


def test_every_metric_grain_and_split_gives_the_figures_of_the_snapshot(figures):
    want = json.loads(gzip.decompress(SNAPSHOT.read_bytes()))
    assert sorted(figures) == sorted(want)
    problems = [f"{case}: {line}" for case in sorted(want) for line in differences(want[case], figures[case])]
    assert problems == []
