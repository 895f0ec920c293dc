"""The dashboard's page data on DuckDB and on Spark (local): each page run cold through AppTest.

Usage: .venv/bin/python benchmarks/engine_pages.py --sizes 3000 100000 [--runs 3]
For each size: generate and import the demo, export it to Parquet, then run each page with an empty
figure cache (`st.cache_data.clear()`, so every query of the page runs), median of --runs, with
CX_ENGINE=duckdb and with CX_ENGINE=spark over the warehouse. The Spark session is started and its
views read once before timing. Run it alone: Spark takes both cores. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from metrics.demo import generate, load  # noqa: E402
from metrics.engines.duckdb import export  # noqa: E402
from metrics.engines.spark import SparkStore  # noqa: E402
from metrics.semantic.definitions import metric  # noqa: E402
from metrics.semantic.query import metric_frame  # noqa: E402
from metrics.store import open_store  # noqa: E402

PAGES = ("trajectory", "regions", "operations", "workload", "verbatims")


def _cold_seconds(page: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        st.cache_data.clear()
        t = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "dashboard" / "pages" / f"{page}.py"), default_timeout=900).run()
        times.append(time.perf_counter() - t)
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    """Print one Markdown row per size and page; return the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[3_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print("| responses | page | DuckDB | Spark local[2] | ratio |\n|---|---|---|---|---|", flush=True)
    rows: list[dict[str, object]] = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            store = open_store(root / "cx.duckdb", idle_seconds=5)
            load(store, generate(root / "files", responses=size, seed=7))
            export(store, root / "warehouse")
            store.close()
            os.environ["CX_DB"] = str(root / "cx.duckdb")
            os.environ["CX_WAREHOUSE"] = str(root / "warehouse")
            metric_frame(SparkStore(root / "warehouse"), metric("nps"), grain="year")  # session and views
            for page in PAGES:
                got: dict[str, float] = {}
                for engine in ("duckdb", "spark"):
                    os.environ["CX_ENGINE"] = engine
                    _cold_seconds(page, 1)  # warm the imports and the page's own first-run costs
                    got[engine] = _cold_seconds(page, args.runs)
                ratio = got["spark"] / got["duckdb"]
                print(
                    f"| {size:,} | {page} | {got['duckdb']:.2f} s | {got['spark']:.2f} s | {ratio:.0f}× |",
                    flush=True,
                )
                rows.append({"responses": size, "page": page, **got})
    return rows


if __name__ == "__main__":
    main()
