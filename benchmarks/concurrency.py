"""A CLI import alone, then the same import while reader processes reload pages: time, errors, latencies.

Usage: .venv/bin/python benchmarks/concurrency.py --rows 200000 --readers 3 --pause 1
Each reader is a real process that, in a loop until the import ends, opens a Store and makes the
calls the Trajectory and Regions pages make (NPS by month and by region, the imports list), as a page
reload does. Loopback only, bounded: readers stop when the import ends, and after --limit seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.ingest.importing import import_file  # noqa: E402
from metrics.store import Store, open_store  # noqa: E402

HEADER = "n° réponse;date de réponse;région;note;commentaire\n"
REGIONS = ("Nord", "Sud", "Est", "Ouest", "Bretagne")


def _write(path: Path, prefix: str, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(rows):
            fh.write(f"{prefix}{i};{1 + i % 28:02d}/{1 + i % 9:02d}/2026;{REGIONS[i % 5]};{i % 11};ras\n")
    return path


def _reader(db: str, stop: Event, out: Queue, limit: float, pause: float) -> None:
    from metrics.ingest.history import list_imports
    from metrics.semantic.definitions import metric
    from metrics.semantic.query import metric_frame

    latencies: list[float] = []
    errors: list[str] = []
    end = time.monotonic() + limit
    while not stop.is_set() and time.monotonic() < end:
        started = time.monotonic()
        store = Store(db, wait_seconds=0.0)  # a new session: any wait for the writer's file would fail
        try:
            metric_frame(store, metric("nps"), grain="month")
            metric_frame(store, metric("nps"), grain="month", by=("region",))
            list_imports(store)
        except Exception as err:  # counted: that is the measurement
            errors.append(f"{type(err).__name__}: {err}")
        finally:
            store.close()
        latencies.append(time.monotonic() - started)
        time.sleep(pause)  # a person looks at the page before reloading it
    out.put((latencies, errors))


def _cli_import(db: Path, path: Path) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "metrics", "--db", str(db), "import", "responses", str(path)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.monotonic() - started


def main() -> None:
    """Print the import time alone and under readers, and the readers' latencies and errors."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0)
    parser.add_argument("--pause", type=float, default=1.0, help="Seconds between two reloads of a reader.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        db = folder / "cx.duckdb"
        store = open_store(db)
        import_file(store, "responses", _write(folder / "base.csv", "A", args.rows))
        store.close()
        alone = _cli_import(db, _write(folder / "alone.csv", "B", args.rows))
        ctx = multiprocessing.get_context("spawn")
        stop, out = ctx.Event(), ctx.Queue()
        job = (str(db), stop, out, args.limit, args.pause)
        readers = [ctx.Process(target=_reader, args=job) for _ in range(args.readers)]
        for r in readers:
            r.start()
        time.sleep(3.0)  # readers warmed up: imports done, first pages drawn
        loaded = _cli_import(db, _write(folder / "loaded.csv", "C", args.rows))
        stop.set()
        results = [out.get(timeout=args.limit) for _ in readers]
        for r in readers:
            r.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = [e for _, errs in results for e in errs]
    print(f"rows per import: {args.rows:,}; reader processes: {args.readers}, {args.pause} s between reloads")
    print(f"CLI import alone: {alone:.2f} s; with readers reloading: {loaded:.2f} s")
    print(
        f"page reloads: {len(latencies)}, errors: {len(errors)}; latency median "
        f"{statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    for e in errors[:5]:
        print("  ", e)


if __name__ == "__main__":
    main()
