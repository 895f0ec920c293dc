"""Does a page's warm run grow with the rows? Every page on the default demo against a big one.

Usage:
    .venv/bin/python -m metrics --db /tmp/d10.duckdb demo --load --responses 10000000
    .venv/bin/python benchmarks/pages_by_size.py --big /tmp/d10.duckdb --rounds 5

The default demo is the one the dashboard loads (100,000 answers, seed 42, built in a temp dir); the
big one is any demo database. Each database gets a fresh interpreter, run side by side, alternating
twice so both share the machine's load; each page runs in Streamlit's AppTest (the page script as the
server runs it), once cold, then `--rounds` warm runs (median). Issue 31's goal: warm on the big
database within 1.5x of the default.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scoped_pages import RUN  # noqa: E402
from tests.pages_demo import demo_db  # noqa: E402

PAGES = ("trajectory", "regions", "operations", "workload", "data", "targets", "alerts", "verbatims",
         "followups")


def measure(db: Path, rounds: int) -> dict[str, dict[str, float]]:
    """Cold and median warm seconds of each page on `db`, as the local reader, in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", RUN, "-", str(rounds), "{}", *PAGES],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "CX_DB": str(db)}, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{db}: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(small: list[dict], big: list[dict]) -> str:
    """Markdown: each page's warm (cold) seconds on both databases, and the warm ratio big / default."""
    lines = ["| page | default demo: warm (cold) | big: warm (cold) | warm ratio |", "|---|---|---|---|"]
    for page in PAGES:
        s_warm = statistics.median(r[page]["warm_s"] for r in small)
        b_warm = statistics.median(r[page]["warm_s"] for r in big)
        s_cold = statistics.median(r[page]["cold_s"] for r in small)
        b_cold = statistics.median(r[page]["cold_s"] for r in big)
        lines.append(f"| {page} | {s_warm:.3f} s ({s_cold:.2f} s) | {b_warm:.3f} s ({b_cold:.2f} s) | "
                     f"{b_warm / s_warm:.2f}× |")
    return "\n".join(lines)


def main() -> None:
    """Parse the options, measure both databases alternately, print the table and the load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=Path, required=True, help="a big demo database")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--alternations", type=int, default=2)
    args = parser.parse_args()
    small_db = demo_db()
    small: list[dict] = []
    big: list[dict] = []
    for _ in range(args.alternations):
        small.append(measure(small_db, args.rounds))
        big.append(measure(args.big, args.rounds))
    print(table(small, big))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
