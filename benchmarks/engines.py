"""The same metric calls on DuckDB and on Spark (local), on the same demo data at growing sizes.

Usage: .venv/bin/python benchmarks/engines.py --sizes 20000 200000 1000000 [--runs 5]
For each size: generate and import the demo, export it to Parquet, then time warm `metric_frame`
calls (median of --runs) on the DuckDB file and on Spark over the warehouse. Run it alone: Spark
takes both cores. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.demo import generate, load  # noqa: E402
from metrics.engines.duckdb import export  # noqa: E402
from metrics.engines.spark import SparkStore, session  # noqa: E402
from metrics.semantic.definitions import Metric, metric  # noqa: E402
from metrics.semantic.query import metric_frame  # noqa: E402
from metrics.store import open_store  # noqa: E402

CALLS = (
    ("NPS month x region (rollup)", "nps", {"grain": "month", "by": ("region",)}),
    ("NPS month x region (raw rows)", "nps", {"grain": "month", "by": ("region",), "use_rollup": False}),
    ("median resolution, quarter", "resolution_days_median", {"grain": "quarter"}),
    ("occupancy YTD x site (privacy)", "occupancy", {"grain": "ytd", "by": ("site",)}),
)


def _median_seconds(store: object, m: Metric, options: dict, runs: int) -> float:
    metric_frame(store, m, **options)  # warm: caches, JIT, the privacy units
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        metric_frame(store, m, **options)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    """Print one Markdown row per size and call; return the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    t = time.perf_counter()
    session()
    print(f"Spark session start: {time.perf_counter() - t:.1f} s")
    print("| responses | call | DuckDB | Spark local[2] | ratio |\n|---|---|---|---|---|")
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            store = open_store(root / "cx.duckdb", idle_seconds=5)
            load(store, generate(root / "files", responses=size, seed=7))
            t = time.perf_counter()
            export(store, root / "wh")
            exported = time.perf_counter() - t
            spark = SparkStore(root / "wh")
            for label, key, options in CALLS:
                duck = _median_seconds(store, metric(key), options, args.runs)
                sp = _median_seconds(spark, metric(key), options, args.runs)
                rows.append({"size": size, "call": label, "duckdb_s": duck, "spark_s": sp})
                print(f"| {size:,} | {label} | {duck * 1e3:.0f} ms | {sp * 1e3:.0f} ms | {sp / duck:.0f}x |")
            print(f"(export of {size:,} responses to Parquet: {exported:.1f} s)")
            store.close()
    return rows


if __name__ == "__main__":
    main()
