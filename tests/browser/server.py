"""One way to serve the app for browser tests and benchmarks: on a free loopback port, as users start it.

The dashboard is served by `python -m dashboard` (what `dev.py dashboard` runs: its modules imported
before the server listens); any other script (the trivial page, the floors) by `streamlit run`.

The conftest and `benchmarks/browser_load.py` both start servers; they share this helper so a flag
or a health check changes in one place.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60.0) -> None:
    """Return once `/_stcore/health` answers 200; raise if the server exits or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health within {seconds:.0f} s")


@contextlib.contextmanager
def serve(
    db: Path,
    script: str = "streamlit_app.py",
    log: IO[str] | None = None,
    *,
    port: int | None = None,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """`script` served headless over the database `db`; yields its URL and stops it on exit.

    `extra` options go to streamlit (e.g. `--secrets.files` for sign-in), `env` adds variables.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    start = ["-m", "dashboard"] if script == "streamlit_app.py" else ["-m", "streamlit", "run", script]
    proc = subprocess.Popen(
        [
            sys.executable,
            *start,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            *extra,
        ],
        cwd=ROOT,
        env={**os.environ, "CX_DB": str(db), **(env or {})},
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def settle(page) -> None:
    """Wait until the app is connected and the script has finished its run."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_timeout(300)  # let plotly finish drawing after the run
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
