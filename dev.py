#!/usr/bin/env python3
"""One command to set up and run: `python3 dev.py dashboard` or `python3 dev.py test`.

`python3 dev.py dates` runs the page and report tests again with the product's clock pinned to
other days (a December with one month left, a January after year end), as CI does: an assertion
that only holds on one date fails there, not for a newcomer next month.

It creates .venv, installs the pinned-from-below requirements when they changed, installs Debian's
chromium for the browser tests when it is missing and we may (root with apt-get), then runs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
CHROMIUM = Path("/usr/bin/chromium")
# the second pass: days whose calendar differs from the suite's pinned 2026-10-15 (tests/conftest.py)
OTHER_DAYS = ("2026-12-20", "2027-01-15")
# what depends on the date: the pages, the reports (trajectory, summary, alerts, board pack)
DATED_TESTS = (
    "tests/test_pages_*.py",
    "tests/test_calendar_edges.py",
    "tests/test_trajectory.py",
    "tests/test_probability.py",
    "tests/test_alerts.py",
    "tests/test_cli_insights.py",
    "tests/test_cli_metrics.py",
    "tests/test_demo_stories.py",
)


def _say(text: str) -> None:
    print(f"[dev] {text}", flush=True)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install `requirements` unless the same file was installed already."""
    if not PY.exists():
        _say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        wanted.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == wanted.hexdigest():
        return
    _say(f"installing {requirements}")
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "-r", str(ROOT / requirements)], check=True)
    stamp.write_text(wanted.hexdigest())


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser tests when it is missing and we are allowed to."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        _say("installing chromium for the browser tests (apt-get)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)
        return
    _say("chromium is missing: install it (sudo apt-get install chromium) or the browser tests will fail")


def other_days(rest: list[str]) -> int:
    """The page and report tests once per day of OTHER_DAYS, with CX_TODAY pinned to it."""
    files = sorted(str(p.relative_to(ROOT)) for pattern in DATED_TESTS for p in ROOT.glob(pattern))
    worst = 0
    for day in OTHER_DAYS:
        _say(f"page and report tests with the clock pinned to {day} (CX_TODAY)")
        pinned = {**os.environ, "CX_TODAY": day}
        code = subprocess.call([str(PY), "-m", "pytest", "-q", *files, *rest], env=pinned)
        worst = worst or code
    return worst


def main(argv: list[str]) -> int:
    """Dispatch `dashboard`, `test` or `dates`; extra arguments go to streamlit or pytest."""
    if not argv or argv[0] not in ("dashboard", "test", "dates"):
        print("usage: python3 dev.py dashboard | test [pytest args] | dates [pytest args]", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    command, rest = argv[0], argv[1:]
    if command == "dashboard":
        ensure_venv("requirements.txt")
        # imports the pages' modules before the server listens (dashboard/__main__.py)
        return subprocess.call([str(PY), "-m", "dashboard", *rest])
    ensure_venv("requirements-dev.txt")
    ensure_venv("requirements-spark.txt")  # the DuckDB-Spark equivalence tests run in CI, never skipped
    ensure_chromium()
    if command == "dates":
        return other_days(rest)
    code = subprocess.call([str(PY), "-m", "pytest", *rest])
    if code == 5:
        _say("pytest collected no tests: that is a failure")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
