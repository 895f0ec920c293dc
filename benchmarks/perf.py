"""The five performance figures of issue 14, measured side by side in one run.

Usage:
    .venv/bin/python benchmarks/perf.py --sizes 1000000 3000000 --page-size 1000000
    .venv/bin/python benchmarks/perf.py --quick          # tiny sizes: what CI runs so this cannot rot
    .venv/bin/python benchmarks/perf.py --only demo pages --demo-size 10000000 --page-size 10000000

Rows:
1. import: `python -m metrics import responses FILE` of a UTF-8 `;` file, against DuckDB's own
   `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` of the same file: wall time, ratio, peak RSS.
2. CLI start: `python -m metrics --help` against `python -c "import duckdb"` (median of 5).
3. first open: the dashboard's entry script on an empty database (it loads the demo), in AppTest.
4. pages: every page script in AppTest on a demo database of --page-size answers, cold then warm.
5. demo load: `python -m metrics demo --load --responses N`, wall time and peak RSS (the demo goes
   straight into the database; its database then serves the pages when --page-size is the same).

`--only` runs some rows; `--pages-db` times the pages on an existing demo database instead.

Each command runs in its own process under /usr/bin/time, so peak memory is that process's own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PAGES = ("trajectory", "regions", "operations", "workload", "data", "targets", "alerts", "verbatims")
REGIONS = ("Bretagne", "Centre", "Est", "Nord", "Normandie", "Ouest", "Sud-Est", "Sud-Ouest", "Île-de-France")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command, in its own process."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *cmd],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    wall, kb = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kb) / 1024


def responses_file(path: Path, rows: int, seed: int = 1) -> Path:
    """A UTF-8 `;` survey export of `rows` answers, written in chunks (French headers, dd/mm/yyyy)."""
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("n° réponse;date de réponse;région;canal;note;effort client\n")
        for start in range(0, rows, 500_000):
            n = min(500_000, rows - start)
            days = rng.integers(1, 29, n)
            months = rng.integers(1, 13, n)
            region = np.array(REGIONS)[rng.integers(0, len(REGIONS), n)]
            channel = np.array(("Boutique", "Téléphone", "Web", "Application"))[rng.integers(0, 4, n)]
            score = rng.integers(0, 11, n)
            effort = rng.integers(1, 8, n)
            lines = [
                f"R{start + i};{days[i]:02d}/{months[i]:02d}/2025;{region[i]};{channel[i]};"
                f"{score[i]};{effort[i]}\n"
                for i in range(n)
            ]
            out.writelines(lines)
    return path


# DuckDB's own grouping of a `calls_file` into team-days, what `import workload --per-call` stores: the
# yardstick of issue 31's per-call goal (benchmarks/import_vs_reader.py, benchmarks/import_floor.py)
CALLS_GROUPED = (
    "SELECT strptime(CAST(date AS VARCHAR), '%Y%m%d') AS day, queue, count(*) AS calls, "
    "count(DISTINCT server) AS agents, sum(service_time) / 60.0 AS minutes, "
    "count(*) FILTER (WHERE monitored = 'oui') AS monitored FROM {source} GROUP BY ALL"
)


def calls_file(path: Path, rows: int, seed: int = 1) -> Path:
    """A contact centre's per-call log of `rows` calls (yyyymmdd dates, agent ids, seconds, a yes/no flag).

    40 queues (teams) over 2025, 25 agents each: about 14,600 team-days, whatever the number of calls.
    """
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("date;queue;server;service_time;monitored\n")
        for start in range(0, rows, 500_000):
            n = min(500_000, rows - start)
            day = (np.datetime64("2025-01-01") + rng.integers(0, 365, n)).astype(str)
            queue = rng.integers(0, 40, n)
            agent = queue * 100 + rng.integers(0, 25, n)
            seconds = rng.integers(20, 900, n)
            monitored = np.array(("oui", "non"))[rng.integers(0, 2, n)]
            day = np.char.replace(day, "-", "")
            out.writelines(
                f"{day[i]};Q{queue[i]};AG{agent[i]};{seconds[i]};{monitored[i]}\n" for i in range(n)
            )
    return path


def bench_import(work: Path, rows: int) -> dict[str, float]:
    """Our import against DuckDB's bare reader on the same file, in one run."""
    csv = responses_file(work / f"reponses_{rows}.csv", rows)
    ours, ours_mb = timed([PY, "-m", "metrics", "--db", str(work / f"ours_{rows}.duckdb"),
                           "import", "responses", str(csv)])
    raw_sql = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', header=true)\", [sys.argv[2]])"
    )
    raw, raw_mb = timed([PY, "-c", raw_sql, str(work / f"raw_{rows}.duckdb"), str(csv)])
    return {"rows": rows, "import_s": ours, "duckdb_s": raw, "ratio": ours / raw,
            "import_peak_mb": ours_mb, "duckdb_peak_mb": raw_mb}


def bench_cli(repeat: int = 5) -> dict[str, float]:
    """Median start of `--help` against a bare `import duckdb`."""
    helps = [timed([PY, "-m", "metrics", "--help"])[0] for _ in range(repeat)]
    bare = [timed([PY, "-c", "import duckdb"])[0] for _ in range(repeat)]
    return {"help_s": statistics.median(helps), "import_duckdb_s": statistics.median(bare),
            "ratio": statistics.median(helps) / max(statistics.median(bare), 1e-3)}


APPTEST = """
import json, sys, time
from streamlit.testing.v1 import AppTest
import streamlit as st
out = {}
for name in sys.argv[1:]:
    path = "streamlit_app.py" if name == "app" else f"dashboard/pages/{name}.py"
    st.cache_data.clear()
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        at = AppTest.from_file(path, default_timeout=600).run()
        runs.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"{name}: {at.exception[0].message}")
    out[name] = {"cold_s": runs[0], "warm_s": runs[1]}
print(json.dumps(out))
"""


def run_apptest(db: Path, names: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Cold and warm AppTest runs of page scripts against `db`, in a fresh interpreter."""
    out = subprocess.run(
        [PY, "-c", APPTEST, *names], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "CX_DB": str(db)}, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"AppTest failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_demo(work: Path, responses: int) -> tuple[dict[str, float], Path]:
    """`demo --load` at `responses` answers: wall time and peak memory; returns the database too."""
    db = work / f"demo_{responses}.duckdb"
    wall, mb = timed([PY, "-m", "metrics", "--db", str(db), "demo", "--load", "--responses", str(responses)])
    return {"responses": responses, "wall_s": wall, "peak_mb": mb}, db


ROWS = ("import", "cli", "first_open", "demo", "pages")


def main(argv: list[str] | None = None) -> dict[str, object]:
    """Run every row (or `--only` some) and print markdown tables; `--out` also writes the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--page-size", type=int, default=1_000_000)
    parser.add_argument("--demo-size", type=int, default=None, help="demo --load size (default: --page-size)")
    parser.add_argument("--pages-db", type=Path, default=None, help="time the pages on this demo database")
    parser.add_argument("--only", nargs="+", choices=ROWS, default=list(ROWS))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes, page_size = ([20_000], 2_000) if args.quick else (args.sizes, args.page_size)
    demo_size = page_size if args.quick or args.demo_size is None else args.demo_size
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="cx-bench-") as tmp:
        work = Path(tmp)
        if "import" in args.only:
            result["import"] = [bench_import(work, n) for n in sizes]
        if "cli" in args.only:
            result["cli"] = bench_cli()
        if "first_open" in args.only:
            start = time.perf_counter()
            result["first_open"] = run_apptest(work / "empty.duckdb", ("app",))["app"]
            result["first_open"]["total_s"] = time.perf_counter() - start
        db = args.pages_db
        if "demo" in args.only:
            result["demo_load"], built = bench_demo(work, demo_size)
            db = db or (built if demo_size == page_size else None)
        if "pages" in args.only:
            db = db or bench_demo(work, page_size)[1]
            result["pages"] = run_apptest(db, PAGES)
            result["page_size"] = page_size
    result["load_average"] = os.getloadavg()
    print(render(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, default=str))
    return result


def render(r: dict) -> str:
    """The figures as the markdown tables of docs/benchmarks.md (the rows that were run)."""
    lines: list[str] = []
    if "import" in r:
        lines += [
            "| rows | import | DuckDB read_csv | ratio | import peak RSS | DuckDB peak RSS |",
            "|---|---|---|---|---|---|",
        ]
        lines += [f"| {x['rows']:,} | {x['import_s']:.1f} s | {x['duckdb_s']:.1f} s | {x['ratio']:.1f}× | "
                  f"{x['import_peak_mb']:.0f} MB | {x['duckdb_peak_mb']:.0f} MB |" for x in r["import"]]
        lines.append("")
    if "cli" in r:
        c = r["cli"]
        lines.append(f"CLI `--help`: {c['help_s']:.2f} s against `import duckdb` "
                     f"{c['import_duckdb_s']:.2f} s ({c['ratio']:.1f}×)")
    if "first_open" in r:
        first = r["first_open"]["cold_s"]
        lines.append(f"First open on an empty database (demo load in AppTest): {first:.1f} s")
    if "demo_load" in r:
        d = r["demo_load"]
        lines.append(f"`demo --load --responses {d['responses']:,}`: {d['wall_s']:.1f} s, "
                     f"peak {d['peak_mb']:.0f} MB")
    if "pages" in r:
        lines += ["", f"| page ({r.get('page_size', 0):,} answers) | cold | warm |", "|---|---|---|"]
        lines += [f"| {name} | {p['cold_s']:.2f} s | {p['warm_s']:.2f} s |" for name, p in r["pages"].items()]
    lines.append("load average: " + " ".join(f"{x:.1f}" for x in r["load_average"]))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
