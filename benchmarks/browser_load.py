"""Browser sessions reloading pages on a real `streamlit run` while a CLI import writes: errors and times.

Usage: .venv/bin/python benchmarks/browser_load.py --sessions 5 --rows 200000
       .venv/bin/python benchmarks/browser_load.py --ratios   (each page against a trivial page)
       .venv/bin/python benchmarks/browser_load.py --floor    (what one element of each kind, and
                                                              Trajectoire's elements without queries, cost)
Loopback only (127.0.0.1, a free port), bounded: the sessions reload until the import ends, and at
most --limit seconds. Each session is its own browser context (its own Streamlit session) loading
the Trajectory and Regions pages in turn. An error is a page that does not finish its run, shows a
Streamlit exception, or shows an alert about the database.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.concurrency import _write  # noqa: E402
from tests.browser.server import CHROMIUM, LAUNCH_ARGS, serve, settle  # noqa: E402
from tests.browser.timing import PAGES as APP_PAGES  # noqa: E402
from tests.browser.timing import Timings, markdown, measure, ratios  # noqa: E402
from tests.pages_demo import demo_db  # noqa: E402

PAGES = ("", "regions")


def page_ratios(db: Path, rounds: int) -> None:
    """Print each page's cold open, warm reload and navigation against a trivial page, same run."""
    from playwright.sync_api import sync_playwright

    with (
        serve(db) as app_url,
        serve(db, script="tests/browser/trivial_app.py") as trivial_url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            print(markdown(ratios(browser, app_url, trivial_url, rounds)))
        finally:
            browser.close()


# path -> (heading, sidebar link) of the floor app's pages (benchmarks/browser_floor_app.py)
FLOOR = {
    "trivial": ("Trivial", "Trivial"),
    "plotly": ("One Plotly line", "Plotly"),
    "plotly4": ("Four Plotly lines", "Plotly x4"),
    "grid": ("One grid", "Grid"),
    "table": ("One static table", "Table"),
    "shell": ("Shell", "Shell"),
    "cards": ("Quatre cartes", "Quatre cartes"),
    "trajectory": ("Trajectoire sans requête", "Trajectoire sans requête"),
}


def floor(db: Path, rounds: int) -> None:
    """Print each floor page's median warm reload and sidebar navigation against the trivial page's.

    Each page is reached by its sidebar link from the trivial page (the trivial page from the shell), as
    `--ratios` reaches the dashboard's pages. The dashboard's own Trajectoire follows, same run: its
    navigation compares with "Trajectoire sans requête" as it is; its reload skips the base-path probe
    every `/name` reload pays (about 0.1 s), since it is the default page at `/`.
    """
    from playwright.sync_api import sync_playwright

    with (
        serve(db, script="benchmarks/browser_floor_app.py") as url,
        serve(db) as app_url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR").new_page()
            page.set_default_timeout(60_000)
            print("| page | warm reload | reload ratio | sidebar navigation | navigation ratio |")
            print("|---|---|---|---|---|")
            base: Timings | None = None
            for path, (heading, link) in FLOOR.items():
                other = "shell" if path == "trivial" else "trivial"
                got = measure(page, f"{url}/{path}", heading, f"{url}/{other}", FLOOR[other][0], link, rounds)
                base = base or got
                print(_floor_row(heading, got, base))
            heading, link = APP_PAGES[""]
            got = measure(
                page,
                f"{app_url}/?lang=fr",
                heading,
                f"{app_url}/regions?lang=fr",
                APP_PAGES["regions"][0],
                link,
                rounds,
            )
            print(_floor_row("Trajectoire (the dashboard's, at /)", got, base))
        finally:
            browser.close()


def _floor_row(name: str, got: Timings, base: Timings) -> str:
    return (
        f"| {name} | {got.reload:.2f} s | {got.reload / base.reload:.1f}× "
        f"| {got.navigation:.2f} s | {got.navigation / base.navigation:.1f}× |"
    )


def main() -> None:
    """Print the import time, the page loads, their errors and their latencies."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--limit", type=float, default=180.0)
    parser.add_argument("--ratios", action="store_true", help="time each page against a trivial page")
    parser.add_argument("--floor", action="store_true", help="time one element of each kind")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cx-load-"))
    db = work / "cx.duckdb"
    shutil.copy(demo_db(), db)
    if args.ratios or args.floor:
        (page_ratios if args.ratios else floor)(db, args.rounds)
        shutil.rmtree(work, ignore_errors=True)
        return
    loads: list[float] = []
    errors: list[str] = []
    with serve(db) as url:
        source = _write(work / "lot.csv", "Z", args.rows)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
            pages = []
            for _ in range(args.sessions):
                page = browser.new_context(locale="fr-FR").new_page()
                page.set_default_timeout(60_000)
                page.goto(f"{url}/?lang=fr")
                settle(page)
                pages.append(page)
            started = time.monotonic()
            importer = subprocess.Popen(
                [sys.executable, "-m", "metrics", "--db", str(db), "import", "responses", str(source)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            turn = 0
            while importer.poll() is None and time.monotonic() - started < args.limit:
                page = pages[turn % len(pages)]
                path = PAGES[turn // len(pages) % len(PAGES)]
                turn += 1
                began = time.monotonic()
                try:
                    page.goto(f"{url}/{path}?lang=fr")
                    settle(page)
                except Exception as err:  # counted: that is the measurement
                    errors.append(f"{path or 'trajectory'}: {type(err).__name__}: {str(err)[:120]}")
                    continue
                loads.append(time.monotonic() - began)
                exceptions = page.locator('[data-testid="stException"]').count()
                alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
                bad = [a for a in alerts if "base de données" in a or "database" in a]
                if exceptions or bad:
                    errors.append(f"{path or 'trajectory'}: {exceptions} exceptions, alerts {bad[:1]}")
            importer.wait(timeout=args.limit)
            took = time.monotonic() - started
            browser.close()
    shutil.rmtree(work, ignore_errors=True)
    print(
        f"{args.sessions} browser sessions; import of {args.rows:,} rows: {took:.1f} s "
        f"(exit {importer.returncode})"
    )
    print(
        f"page loads during the import: {len(loads)}, errors: {len(errors)}; load median "
        f"{statistics.median(loads):.2f} s, max {max(loads):.2f} s"
    )
    for e in errors[:5]:
        print("  ", e)


if __name__ == "__main__":
    main()
