"""Peak memory and time of one import under a DuckDB memory cap.

Usage: CX_MEMORY_LIMIT=1GB .venv/bin/python benchmarks/import_memory.py --responses 1000000
Generates the demo responses file at that size, imports it into a fresh database in a temp dir, and
prints wall time and the peak resident memory of the process. Run once per cap to compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import demo
from metrics.ingest.importing import import_file
from metrics.store import memory_limit, open_store


def main() -> None:
    """Generate, import, report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1_000_000)
    size = parser.parse_args().responses
    with tempfile.TemporaryDirectory() as work:
        files = demo.generate(Path(work) / "csv", responses=size)
        store = open_store(Path(work) / "cx.duckdb", idle_seconds=60)
        start = time.perf_counter()
        report = import_file(store, "responses", files["responses"])
        wall = time.perf_counter() - start
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cap = os.environ.get("CX_MEMORY_LIMIT", f"{memory_limit()} (default)")
    print(f"responses {report.accepted:,}: cap {cap}, import {wall:.1f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
