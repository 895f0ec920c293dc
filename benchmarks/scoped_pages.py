"""Each page's server run for each role: is a scoped reader's page slower than an unscoped one?

Usage: .venv/bin/python benchmarks/scoped_pages.py --rounds 5 [--db cx.duckdb]

One fresh interpreter per reader, side by side in one run, over the same demo database: the local mode
(no sign-in: every right, no scope), a signed-in executive (every region, no workload scope), a regional
director (Bretagne: every table shadowed by a view of its rows) and a staff representative (no survey
row, no comment). Each page runs in Streamlit's AppTest (the page script as the server runs it; the
browser's drawing is the same for every reader), once cold and then `--rounds` warm runs (median).
A page a role may not open is marked `-`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pages_demo import demo_db  # noqa: E402
from tests.support import AUTH, ROLES_ACCESS  # noqa: E402

PAGES = ("trajectory", "regions", "operations", "workload", "alerts", "verbatims", "followups")
READERS = {"local": None, "executive": "boss@example.com", "director": "dir@example.com",
           "representative": "rep@example.com"}
RUN = """
import json, statistics, sys, time
from streamlit.testing.v1 import AppTest
email, rounds, auth = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
out = {}
for name in sys.argv[4:]:
    runs, refused = [], False
    for _ in range(1 + rounds):
        at = AppTest.from_file(f"dashboard/pages/{name}.py", default_timeout=600)
        if email != "-":
            at.secrets["auth"] = auth
            at.user = {"is_logged_in": True, "email": email}
        start = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"{name} as {email}: {at.exception[0].message}")
        refused = not at.title  # a page the role may not open shows one sentence, no title
    out[name] = None if refused else {"cold_s": runs[0], "warm_s": statistics.median(runs[1:])}
print(json.dumps(out))
"""


def measure(db: Path, rounds: int) -> dict[str, dict[str, dict[str, float] | None]]:
    """Cold and median warm seconds of each page, for each reader, each in a fresh interpreter."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="cx-scoped-") as tmp:
        access = Path(tmp) / "access.toml"
        access.write_text(ROLES_ACCESS, encoding="utf-8")
        for reader, email in READERS.items():
            env = {**os.environ, "CX_DB": str(db), "CX_ACCESS_FILE": str(access)}
            out = subprocess.run(
                [sys.executable, "-c", RUN, email or "-", str(rounds), json.dumps(AUTH), *PAGES],
                capture_output=True, text=True, cwd=ROOT, env=env, check=False,
            )
            if out.returncode != 0:
                raise SystemExit(f"{reader}: {out.stderr[-3000:]}")
            results[reader] = json.loads(out.stdout.strip().splitlines()[-1])
    return results


def table(results: dict[str, dict[str, dict[str, float] | None]]) -> str:
    """A markdown table: warm (cold) seconds per page and reader, and each reader's warm ratio to local."""
    readers = list(results)
    lines = ["| page | " + " | ".join(f"{r}: warm (cold)" for r in readers) + " | warm ratio to local |",
             "|---" * (len(readers) + 2) + "|"]
    for page in PAGES:
        cells, base = [], (results["local"][page] or {}).get("warm_s")
        ratios = []
        for reader in readers:
            got = results[reader][page]
            cells.append("-" if got is None else f"{got['warm_s']:.3f} s ({got['cold_s']:.2f} s)")
            if got is not None and base and reader != "local":
                ratios.append(f"{reader[:3]} {got['warm_s'] / base:.2f}×")
        lines.append(f"| {page} | " + " | ".join(cells) + f" | {', '.join(ratios)} |")
    return "\n".join(lines)


def main() -> None:
    """Parse the options, measure, print the table and the load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a database (default: the tests' demo)")
    args = parser.parse_args()
    db = args.db or demo_db()
    print(table(measure(db, args.rounds)))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
