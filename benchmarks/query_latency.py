"""Import and page-call cost at growing sizes, side by side with raw DuckDB on the same file.

Usage: .venv/bin/python benchmarks/query_latency.py --sizes 250000 500000 1000000
For each size: generate the demo operator into a temp dir; time our validated import of
responses.csv against DuckDB's own `CREATE TABLE AS SELECT * FROM read_csv(...)` of the same file;
then, warm, the NPS calls the Trajectory and Regions pages make, through the query API (rollup
and raw rows) and as hand-written SQL. Medians of 7 runs; peak memory of the whole process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics import demo
from metrics.ingest.importing import import_file
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store

RAW_NPS = (
    "SELECT date_trunc('month', responded_at) AS m, region, "
    "sum(CASE WHEN score >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN score <= 6 THEN 1 ELSE 0 END), "
    "count(score) FROM ds_responses WHERE responded_at >= ? AND responded_at < ? GROUP BY 1, 2"
)
RAW_IMPORT = (
    "CREATE TABLE raw_copy AS SELECT * FROM read_csv(?, delim = ';', header = true, "
    "decimal_separator = ',', timestampformat = '%d/%m/%Y %H:%M')"
)


def median_ms(fn: Callable[[], object], runs: int = 7) -> float:
    """Median wall time of `fn` in milliseconds, after one warm-up run."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def run(size: int) -> None:
    """Print one size's figures."""
    with tempfile.TemporaryDirectory() as work:
        files = demo.generate(Path(work) / "csv", responses=size)
        store = open_store(Path(work) / "cx.duckdb", idle_seconds=60)
        start = time.perf_counter()
        import_file(store, "responses", files["responses"])
        ours = time.perf_counter() - start
        with store.cursor() as cur:
            start = time.perf_counter()
            cur.execute(RAW_IMPORT, [str(files["responses"])])
            raw = time.perf_counter() - start
        as_of = demo.default_as_of()
        first = dt.date(as_of.year, 1, 1)
        ratio = ours / raw
        print(f"responses {size:>10,}: import {ours:6.1f} s vs DuckDB read_csv {raw:5.1f} s ({ratio:4.1f}x)")
        with store.cursor() as cur:
            sql_ms = median_ms(lambda: cur.execute(RAW_NPS, [first, as_of + dt.timedelta(days=1)]).fetchall())
        print(f"  hand-written SQL, nps month by region: {sql_ms:7.1f} ms")
        calls = {
            "nps ytd company": {"grain": "ytd"},
            "nps month by region": {"by": ("region",)},
            "nps ytd by channel": {"grain": "ytd", "by": ("channel",)},
        }
        for name, kw in calls.items():
            for fast in (True, False):
                ms = median_ms(
                    lambda kw=kw, fast=fast: metric_frame(
                        store, metric("nps"), start=first, end=as_of, use_rollup=fast, **kw
                    )
                )
                print(f"  {name:<22} {'rollup' if fast else 'raw   '}: {ms:7.1f} ms")
        store.close()


def main() -> None:
    """Run every size given on the command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    for size in parser.parse_args().sizes:
        run(size)
    print(f"peak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
