"""Typing each distinct cell once: rows joined back to the distinct cells, or looked up through an enum.

Usage:
    .venv/bin/python benchmarks/typed_lookup.py --rows 3000000 --rounds 2

The import types a column with few distinct cells once per distinct cell (metrics.ingest.staging).
Each way of giving every row its cell's text and value runs in a fresh process on the same staged
answers, under the import's 1 GB memory cap: the join to the distinct cells followed by the sort that
restores the file's order, and the enum lookup the import uses. Prints seconds and peak RSS, and
checks that both keep the file's order and give the same texts.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

import perf

MODES = ("join_and_sort", "enum_lookup")


def _stage(con: duckdb.DuckDBPyConnection, csv: Path) -> list[str]:
    """The file as text, as the import stages it, and each column's distinct cells; the columns typed."""
    con.execute("SET memory_limit = '1GB'")  # metrics.ingest.importing.IMPORT_MEMORY
    con.execute(
        "CREATE TEMP TABLE staged_raw AS SELECT * FROM read_csv(?, delim = ';', header = false, skip = 1, "
        "all_varchar = true)",
        [str(csv)],
    )
    con.execute("CREATE TEMP VIEW staged AS SELECT rowid AS ord, * FROM staged_raw")
    columns = [d[0] for d in con.execute("SELECT * FROM staged_raw LIMIT 0").description][1:]  # not the id
    for c in columns:
        con.execute(
            f"CREATE TEMP TABLE d_{c} AS SELECT raw, trim(raw) AS t, upper(trim(raw)) AS v "
            f"FROM (SELECT DISTINCT {c} AS raw FROM staged_raw WHERE {c} IS NOT NULL)"
        )
    return columns


def run(mode: str, csv: Path) -> dict[str, float]:
    """Seconds and peak MB of one way, in this process; rows out of order must be 0."""
    con = duckdb.connect()
    columns = _stage(con, csv)
    start = time.perf_counter()
    if mode == "join_and_sort":
        joins = " ".join(f"LEFT JOIN d_{c} ON s.{c} IS NOT DISTINCT FROM d_{c}.raw" for c in columns)
        chosen = ", ".join(f"d_{c}.t AS t_{c}, d_{c}.v AS v_{c}" for c in columns)
        con.execute(f"CREATE TEMP TABLE out AS SELECT s.ord, {chosen} FROM staged s {joins} ORDER BY s.ord")
    else:
        for c in columns:
            con.execute(f"CREATE TEMP TYPE e_{c} AS ENUM (SELECT raw FROM d_{c} ORDER BY rowid)")
        lists = " ".join(
            f"CROSS JOIN (SELECT list(t ORDER BY rowid) AS t, list(v ORDER BY rowid) AS v FROM d_{c}) l_{c}"
            for c in columns
        )
        place = {c: f"enum_code(CAST(s.{c} AS e_{c})) + 1" for c in columns}
        chosen = ", ".join(f"l_{c}.t[{place[c]}] AS t_{c}, l_{c}.v[{place[c]}] AS v_{c}" for c in columns)
        con.execute(f"CREATE TEMP TABLE out AS SELECT s.ord, {chosen} FROM staged s {lists}")
    seconds = time.perf_counter() - start
    (unordered,) = con.execute("SELECT count(*) FROM out WHERE ord <> rowid").fetchone()
    first = columns[0]
    (wrong,) = con.execute(
        f"SELECT count(*) FROM out o JOIN staged s USING (ord) "
        f"WHERE o.t_{first} IS DISTINCT FROM trim(s.{first})"
    ).fetchone()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "out_of_order": unordered, "wrong": wrong}


def measure(csv: Path, rounds: int) -> dict[str, list[dict[str, float]]]:
    """Each way in its own process, alternating, `rounds` times."""
    got: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
    for _ in range(rounds):
        for mode in MODES:
            out = subprocess.run(
                [sys.executable, __file__, "--one", mode, "--file", str(csv)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            got[mode].append(json.loads(out.stdout))
    return got


def main(argv: list[str] | None = None) -> dict[str, list[dict[str, float]]] | None:
    """Generate the answers, run both ways, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--one", choices=MODES, help="run one way in this process (used by the parent)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run(args.one, args.file)))
        return None
    with tempfile.TemporaryDirectory(prefix="cx-lookup-") as tmp:
        csv = args.file or perf.responses_file(Path(tmp) / "reponses.csv", args.rows)
        got = measure(csv, args.rounds)
    print("| way | seconds (median) | peak MB (max) | rows out of order | wrong texts |")
    print("|---|---|---|---|---|")
    for mode, runs in got.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        print(f"| {mode} | {seconds:.2f} | {peak:.0f} | {sum(r['out_of_order'] for r in runs)} | "
              f"{sum(r['wrong'] for r in runs)} |")  # fmt: skip
    return got


if __name__ == "__main__":
    main()
