"""The floor under an import that keeps its promises, against DuckDB's reader on the same file.

Usage:
    .venv/bin/python benchmarks/import_floor.py --rows 3000000 --rounds 3
    .venv/bin/python benchmarks/import_floor.py --calls 10000000 --rounds 3   # a per-call log

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

With `--calls`, the yardstick is DuckDB's `GROUP BY` of a per-call log into team-days (issue 31's 2-times
goal, the same SQL as benchmarks/import_vs_reader.py), and the steps no per-call import can skip are
the byte scan, the grouping itself and one archive of the calls whose agent ids are hashed (the
database never holds an agent id, and the archive rebuilds it). The archive is timed two ways, each a
lower bound of one strategy: streamed from the file in a second read (`archive, streamed`), or the file
read once into a temp table that both the copy and the grouping read (`read once`, `copy`, `group`).
The floor takes the cheaper strategy; neither types, checks nor quarantines a cell, nor keeps the
file's order.
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
CALL_STEPS = ("group by", "byte scan", "archive, streamed", "read once", "copy", "group")
TYPED = "read_csv(?, delim=';', header=true)"
TEXT = "read_csv(?, delim=';', header=true, all_varchar=true)"
# each distinct agent id hashed once (metrics.ingest.pii's formula), joined back to its calls
HASHES = (
    "CREATE TEMP TABLE ids AS SELECT v, '#' || left(sha256('salt' || trim(v)), 20) AS h "
    "FROM (SELECT DISTINCT server AS v FROM {source})"
)
CELLS = "date, queue, coalesce(h, server), service_time, monitored"
MASKED = f"SELECT {CELLS} FROM {{source}} LEFT JOIN ids ON server = v"


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


def _seconds(db: Path, statements: list[tuple[str, list[object]]]) -> list[float]:
    """Each statement's seconds, in order, on one new database file (a temp table lives through them)."""
    times: list[float] = []
    with duckdb.connect(str(db)) as con:
        con.execute("SET memory_limit = '1GB'")  # the import's own cap (metrics.ingest.importing)
        for sql, params in statements:
            start = time.perf_counter()
            con.execute(sql, params)
            times.append(time.perf_counter() - start)
    return times


def measure_calls(csv: Path, rounds: int, work: Path) -> dict[str, list[float]]:
    """The per-call steps `rounds` times, interleaved, each on a database file of its own."""
    got: dict[str, list[float]] = {step: [] for step in CALL_STEPS}
    file = [str(csv)]
    out = str(work / "archive.csv")
    copy = "COPY ({masked}) TO '{out}' (FORMAT csv, HEADER false, DELIMITER ';')"
    for k in range(rounds):
        (grouped,) = _seconds(
            work / f"group{k}.duckdb",
            [(f"CREATE TABLE t AS {perf.CALLS_GROUPED.format(source=TYPED)}", file)],
        )
        got["group by"].append(grouped)
        got["byte scan"].append(_scan(csv))
        hashes, streamed = _seconds(
            work / f"stream{k}.duckdb",
            [
                (HASHES.format(source=TEXT), file),
                (copy.format(masked=MASKED.format(source=TEXT), out=out), file),
            ],
        )
        got["archive, streamed"].append(hashes + streamed)
        read, hashed, copied, regrouped = _seconds(
            work / f"once{k}.duckdb",
            [
                (f"CREATE TEMP TABLE calls AS SELECT * FROM {TYPED}", file),  # typed: the cheaper read
                (HASHES.format(source="calls"), []),
                (copy.format(masked=MASKED.format(source="calls"), out=out), []),
                (f"CREATE TABLE t AS {perf.CALLS_GROUPED.format(source='calls')}", []),
            ],
        )
        got["read once"].append(read)
        got["copy"].append(hashed + copied)
        got["group"].append(regrouped)
    return got


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    """Generate the answers (or calls), time the steps, print a table and the floor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, help="a per-call log of N calls, against DuckDB's GROUP BY")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cx-floor-") as tmp:
        work = Path(tmp)
        if args.calls:
            got = measure_calls(perf.calls_file(work / "appels.csv", args.calls), args.rounds, work)
        else:
            got = measure(perf.responses_file(work / "reponses.csv", args.rows), args.rounds, work)
    median = {step: statistics.median(times) for step, times in got.items()}
    print("| step | seconds (median) | all rounds |")
    print("|---|---|---|")
    for step, times in got.items():
        print(f"| {step} | {median[step]:.2f} | {', '.join(f'{t:.2f}' for t in times)} |")
    if args.calls:
        streamed = median["byte scan"] + median["archive, streamed"] + median["group by"]
        once = median["byte scan"] + median["read once"] + median["copy"] + median["group"]
        print(
            f"\nfloor: min(scan + archive streamed + group by, scan + read once + copy + group) / group by"
            f" = min({streamed / median['group by']:.2f}×, {once / median['group by']:.2f}×)"
        )
    else:
        floor = (median["byte scan"] + median["insert"]) / median["reader"]
        print(f"\nfloor: (byte scan + insert) / reader = {floor:.2f}×")
    return got


if __name__ == "__main__":
    main()
