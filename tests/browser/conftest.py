"""A real `streamlit run` on a free port over a copy of the demo database, and headless Debian chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.pages_demo import demo_db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-results" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60.0) -> None:
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


@pytest.fixture(scope="session")
def app_db(tmp_path_factory):
    """A copy of the demo database for the server: page tests in this process may hold the original."""
    db = tmp_path_factory.mktemp("browser") / "cx.duckdb"
    shutil.copy(demo_db(), db)
    return db


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, app_db):
    db = app_db
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.getbasetemp() / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "CX_DB": str(db)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)  # never skip browser tests in CI
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    # tall viewport: Streamlit scrolls an inner container, so full_page only captures the viewport
    context = browser.new_context(viewport={"width": 1400, "height": 3000}, locale="fr-FR")
    p = context.new_page()
    p.set_default_timeout(60_000)
    try:
        yield p
    finally:
        context.close()


def settle(page) -> None:
    """Wait until the app is connected and the script has finished its run."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_timeout(300)  # let plotly finish drawing after the run
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def shoot(page, name: str) -> Path:
    """Save a screenshot under test-results/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def click_until(page, target, shown, attempts: int = 6, seconds: float = 5.0) -> None:
    """Click `target` until `shown` appears: a script rerun that redraws a widget can swallow a click.

    `seconds` per attempt must exceed what the click's work takes, or a slow action would run twice.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        target.click()
        try:
            shown.wait_for(timeout=seconds * 1000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            settle(page)
    shown.wait_for()
