"""A real `streamlit run` on a free port over a copy of the demo database, and headless Debian chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.server import CHROMIUM, LAUNCH_ARGS, ROOT, serve, settle
from tests.pages_demo import demo_db

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "ROOT", "SCREENSHOTS", "click_until", "settle", "shoot"]
SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture(scope="session")
def app_db(tmp_path_factory):
    """A copy of the demo database for the server: page tests in this process may hold the original."""
    db = tmp_path_factory.mktemp("browser") / "cx.duckdb"
    shutil.copy(demo_db(), db)
    return db


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, app_db):
    with (tmp_path_factory.getbasetemp() / "streamlit.log").open("w") as log, serve(app_db, log=log) as url:
        yield url


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
