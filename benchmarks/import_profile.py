"""Where one import's time goes: each stage and each SQL statement, timed in-process.

Usage:
    .venv/bin/python benchmarks/import_profile.py --rows 1000000            # generates the file
    .venv/bin/python benchmarks/import_profile.py --file reponses.csv --top 30
    .venv/bin/python benchmarks/import_profile.py --rows 1000000 --calls   # a per-call workload log

The import's transaction cursor is wrapped so every `execute` is timed (DDL and inserts finish inside
`execute`; a SELECT's fetch is counted in its stage, not its statement). The commit line holds the
commit, the checkpoint and the published read-only copy. Compare shares, not seconds, on a loaded machine.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import perf

from metrics import store as store_module
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions


class _Timed:
    """A cursor that records how long each statement took."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, log: list[tuple[float, str]]) -> None:
        self._cur, self._log = cur, log

    def __getattr__(self, name: str) -> object:
        return getattr(self._cur, name)

    def execute(self, sql: str, params: object = None) -> _Timed:
        start = time.perf_counter()
        self._cur.execute(sql, params or [])
        self._log.append((time.perf_counter() - start, " ".join(sql.split())))
        return self

    def executemany(self, sql: str, params: object) -> _Timed:
        start = time.perf_counter()
        self._cur.executemany(sql, params)
        self._log.append((time.perf_counter() - start, " ".join(sql.split())))
        return self

    def fetchone(self) -> tuple[object, ...] | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple[object, ...]]:
        return self._cur.fetchall()


def profile(
    csv: Path, db: Path, calls: bool = False
) -> tuple[float, list[tuple[str, float]], list[tuple[float, str]]]:
    """Total seconds, seconds per stage and per statement of one import of `csv` into a new `db`."""
    log: list[tuple[float, str]] = []
    plain = store_module.Store.transaction

    @contextlib.contextmanager
    def timed_transaction(self: store_module.Store) -> Iterator[_Timed]:
        with plain(self) as cur:
            yield _Timed(cur, log)
            ended = time.perf_counter()
        log.append((time.perf_counter() - ended, "COMMIT, CHECKPOINT, published copy"))

    marks: list[tuple[str, float]] = []
    store_module.Store.transaction = timed_transaction  # type: ignore[method-assign]
    try:
        store = store_module.open_store(db)
        start = time.perf_counter()
        dataset, options = "responses", ImportOptions()
        if calls:  # a per-call log, grouped into team-days as `import workload --per-call --set ...` does
            constants = {"region": "Nord", "site": "LIL"}
            dataset, options = "workload", ImportOptions(per_call=True, constants=constants)
        mark = lambda s, _f: marks.append((s, time.perf_counter()))  # noqa: E731
        import_file(store, dataset, csv, options=options, progress=mark)
        total = time.perf_counter() - start
        store.close()
    finally:
        store_module.Store.transaction = plain  # type: ignore[method-assign]
    stages = [(a, tb - ta) for (a, ta), (_b, tb) in itertools.pairwise(marks)]
    return total, stages, sorted(log, reverse=True)


def main() -> None:
    """Parse the options, run once, print the stages and the slowest statements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="a responses file to import instead of a generated one")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--calls", action="store_true", help="a per-call workload log instead of answers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cx-profile-") as tmp:
        made = perf.calls_file if args.calls else perf.responses_file
        csv = args.file or made(Path(tmp) / "export.csv", args.rows)
        total, stages, statements = profile(csv, Path(tmp) / "cx.duckdb", args.calls)
    print(f"total {total:.2f} s (load {os.getloadavg()[0]:.1f})")
    for label, seconds in stages:
        print(f"  stage {label:<9} {seconds:6.2f} s")
    for seconds, sql in statements[: args.top]:
        print(f"{seconds:6.2f} s  {sql[:120]}")


if __name__ == "__main__":
    main()
