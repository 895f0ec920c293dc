"""The import against DuckDB's own reader on the same file, and a small import into a big database.

Usage:
    git archive <commit> | tar -x -C /tmp/before     # optional: an earlier tree to compare with
    .venv/bin/python benchmarks/import_vs_reader.py --rows 1000000 --repeat 2 --before /tmp/before
    .venv/bin/python benchmarks/import_vs_reader.py --big-db 1000000   # 10,000 rows: empty vs big
    .venv/bin/python benchmarks/import_vs_reader.py --big-db 10000000 --reuse-db /tmp/m10.duckdb
    .venv/bin/python benchmarks/import_vs_reader.py --calls 10000000 [--before /tmp/before]  # vs GROUP BY
    .venv/bin/python benchmarks/import_vs_reader.py --rows 1000000 --existing  # into a database made first

Each import runs as `python -m metrics import` in its own process under /usr/bin/time (wall, peak RSS),
interleaved with DuckDB's `CREATE TABLE AS SELECT * FROM read_csv(...)`, so the ratios share the load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import perf

RAW_SQL = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
    "con.execute(\"CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', header=true)\", [sys.argv[2]])"
)


# DuckDB's own reading of a per-call log into team-days: what `import workload --per-call` stores
GROUP_SQL = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
    "con.execute(sys.argv[3], [sys.argv[2]])"
)
GROUPED = "CREATE TABLE t AS " + perf.CALLS_GROUPED.format(source="read_csv(?, delim=';', header=true)")
PER_CALL = ("workload", "--per-call", "--set", "region=Nord", "--set", "site=LIL-CC")


def _remove(work: Path, pattern: str) -> None:
    """Remove databases and what lives beside them (WAL, snapshots, the `.files/` archive)."""
    for f in work.glob(pattern):
        shutil.rmtree(f) if f.is_dir() else f.unlink()


# with --existing: the database is made (schema, migrations) before the timed import, as an operator's is
EXISTING = False
MAKE_DB = "import sys; from metrics.store import open_store; open_store(sys.argv[1]).close()"


def _import(root: Path, db: Path, csv: Path, how: tuple[str, ...] = ("responses",)) -> tuple[float, float]:
    """Wall seconds and peak MB of `python -m metrics import` run from the tree at `root`."""
    if EXISTING:
        subprocess.run([perf.PY, "-c", MAKE_DB, str(db)], cwd=root, check=True)
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", perf.PY, "-m", "metrics", "--db", str(db), "import", how[0],
         str(csv), *how[1:]],
        capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    wall, kb = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024


def against_reader(work: Path, rows: int, repeat: int, before: Path | None) -> dict[str, list[list[float]]]:
    """Runs of DuckDB's reader, the import of `before` (if given) and this tree's, interleaved."""
    csv = perf.responses_file(work / f"reponses_{rows}.csv", rows)
    trees = {"after": perf.ROOT} | ({"before": before} if before else {})
    out: dict[str, list[list[float]]] = {}
    for _ in range(repeat):
        _remove(work, "*.duckdb*")
        raw = perf.timed([perf.PY, "-c", RAW_SQL, str(work / "raw.duckdb"), str(csv)])
        out.setdefault("duckdb", []).append(list(raw))
        for name, root in trees.items():
            _remove(work, "ours.duckdb*")
            out.setdefault(name, []).append(list(_import(root, work / "ours.duckdb", csv)))
    return out


def calls_against_group_by(
    work: Path, rows: int, repeat: int, before: Path | None = None
) -> dict[str, list[list[float]]]:
    """A per-call log imported (grouped into team-days) against DuckDB's GROUP BY over the same file.

    With `before`, that tree's import runs too, interleaved: "import_per_call_before".
    """
    csv = perf.calls_file(work / f"calls_{rows}.csv", rows)
    trees = {"import_per_call": perf.ROOT} | ({"import_per_call_before": before} if before else {})
    out: dict[str, list[list[float]]] = {}
    for _ in range(repeat):
        _remove(work, "*.duckdb*")
        raw = perf.timed([perf.PY, "-c", GROUP_SQL, str(work / "raw.duckdb"), str(csv), GROUPED])
        out.setdefault("duckdb_group_by", []).append(list(raw))
        for name, root in trees.items():
            _remove(work, "ours.duckdb*")
            out.setdefault(name, []).append(list(_import(root, work / "ours.duckdb", csv, PER_CALL)))
    return out


def small_into_big(work: Path, big_rows: int, reuse: Path | None = None) -> dict[str, list[float]]:
    """Seconds of one 10,000-row import into an empty database and into one holding `big_rows` answers.

    `reuse`: a database already holding the big import (10M answers take minutes to import): copied, not
    built.
    """
    from metrics.ingest.importing import import_file
    from metrics.store import open_store

    small = work / "small.csv"
    with small.open("w", encoding="utf-8") as out:
        out.write("n° réponse;date de réponse;région;canal;note;effort client\n")
        out.writelines(
            f"N{i};{i % 28 + 1:02d}/{i % 12 + 1:02d}/2026;Bretagne;Web;{i % 11};{i % 7 + 1}\n"
            for i in range(10_000)
        )
    if reuse:
        shutil.copy(reuse, work / "big.duckdb")
    else:
        store = open_store(work / "big.duckdb")
        import_file(store, "responses", perf.responses_file(work / "big.csv", big_rows))
        store.close()
    times: dict[str, list[float]] = {}
    for name in ("empty", "big", "empty", "big"):
        db = work / f"{name}_run.duckdb"
        _remove(work, f"{name}_run.duckdb*")
        if name == "big":
            shutil.copy(work / "big.duckdb", db)
        store = open_store(db)
        start = time.perf_counter()
        import_file(store, "responses", small)
        times.setdefault(name, []).append(time.perf_counter() - start)
        store.close()
    return times


def main() -> None:
    """Parse the options, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--before", type=Path, help="an earlier source tree to run side by side")
    parser.add_argument("--big-db", type=int, help="measure a 10,000-row import into this many rows instead")
    parser.add_argument("--calls", type=int, help="a per-call log of N calls against GROUP BY")
    parser.add_argument("--reuse-db", type=Path, help="with --big-db: a database already holding those rows")
    parser.add_argument("--existing", action="store_true", help="import into a database made beforehand")
    args = parser.parse_args()
    global EXISTING
    EXISTING = args.existing
    with tempfile.TemporaryDirectory(prefix="cx-bench-") as tmp:
        if args.calls:
            got: object = calls_against_group_by(Path(tmp), args.calls, args.repeat, args.before)
        elif args.big_db:
            got = small_into_big(Path(tmp), args.big_db, args.reuse_db)
        else:
            got = against_reader(Path(tmp), args.rows, args.repeat, args.before)
    print(json.dumps({"load": os.getloadavg(), "result": got}))


if __name__ == "__main__":
    main()
