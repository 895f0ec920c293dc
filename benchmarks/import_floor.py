"""The floor under an import that keeps its promises, against DuckDB's reader on the same file.

Usage:
    .venv/bin/python benchmarks/import_floor.py --rows 3000000 --rounds 3

Issue 31 asks for an import within 1.3 times DuckDB's `CREATE TABLE AS SELECT * FROM read_csv(...)`.
Two of the import's steps cannot be skipped whatever the reading strategy, and this times them on one
generated answers file (benchmarks/perf.py), in one process, rounds interleaved:

- `reader`: DuckDB's reader into a new database file, the issue's yardstick;
- `byte scan`: `metrics.ingest.filechecks.scan_bytes`, the file's checksum (an import of the same file
  twice is refused), its encoding, NUL bytes and blank lines (refused or numbered before any read);
- `insert`: the same rows, already typed, written into a new database's answers table, as the
  import's last step writes them (the rows come from an untimed import of the file, copied to a temp
  table first, so only the write is timed).

Prints each step's median and the floor, (byte scan + insert) / reader: what the import's ratio cannot
go under even if reading, typing, checking, the rollup and the archive cost nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import perf

from metrics.ingest.filechecks import scan_bytes
from metrics.ingest.importing import import_file
from metrics.store import open_store

STEPS = ("reader", "byte scan", "insert")


def _reader(csv: Path, db: Path) -> float:
    start = time.perf_counter()
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', header=true)", [str(csv)])
    return time.perf_counter() - start


def _scan(csv: Path) -> float:
    start = time.perf_counter()
    scan_bytes(csv)
    return time.perf_counter() - start


def _insert(imported: Path, db: Path) -> float:
    """Seconds to write the imported answers into `db`'s (new, empty) answers table, commit included."""
    open_store(db).close()  # the schema the import writes into
    with duckdb.connect(str(db)) as con:
        con.execute("ATTACH ? AS imported (READ_ONLY)", [str(imported)])
        con.execute("CREATE TEMP TABLE answers AS SELECT * FROM imported.ds_responses")
        con.execute("DETACH imported")
        start = time.perf_counter()
        con.execute("INSERT INTO ds_responses SELECT * FROM answers")  # autocommit: written to the file
        seconds = time.perf_counter() - start
        stored, expected = con.execute(
            "SELECT (SELECT count(*) FROM ds_responses), (SELECT count(*) FROM answers)"
        ).fetchone()
        if stored != expected or not stored:
            raise SystemExit(f"insert wrote {stored} rows of {expected}")
        return seconds


def measure(csv: Path, rounds: int, work: Path) -> dict[str, list[float]]:
    """Each step `rounds` times, interleaved, each into a database file of its own."""
    imported = work / "imported.duckdb"
    store = open_store(imported)
    try:
        import_file(store, "responses", csv)
    finally:
        store.close()
    got: dict[str, list[float]] = {step: [] for step in STEPS}
    for k in range(rounds):
        got["reader"].append(_reader(csv, work / f"reader{k}.duckdb"))
        got["byte scan"].append(_scan(csv))
        got["insert"].append(_insert(imported, work / f"insert{k}.duckdb"))
    return got


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    """Generate the answers, time the steps, print a table and the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cx-floor-") as tmp:
        work = Path(tmp)
        got = measure(perf.responses_file(work / "reponses.csv", args.rows), args.rounds, work)
    median = {step: statistics.median(times) for step, times in got.items()}
    print("| step | seconds (median) | all rounds |")
    print("|---|---|---|")
    for step, times in got.items():
        print(f"| {step} | {median[step]:.2f} | {', '.join(f'{t:.2f}' for t in times)} |")
    floor = (median["byte scan"] + median["insert"]) / median["reader"]
    print(f"\nfloor: (byte scan + insert) / reader = {floor:.2f}×")
    return got


if __name__ == "__main__":
    main()
