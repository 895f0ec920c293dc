"""Each page's first screen at 1366x768 and at 400 px wide, and its browser timings against a trivial page.

Screenshots land in test-results/screenshots/ (git-ignored): look at them. The timings are written to
test-results/browser_ratios.json and printed; they are measurements, not pass/fail thresholds
(benchmarks/browser_load.py --ratios gives the same figures for docs/benchmarks.md).
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.browser.conftest import ROOT, shoot
from tests.browser.server import serve
from tests.browser.timing import drawn, measure
from tests.pages_demo import demo_db

pytestmark = pytest.mark.browser

# path -> (French heading, French sidebar link)
PAGES = {
    "": ("Trajectoire vers les objectifs", "Trajectoire"),
    "regions": ("Régions", "Régions"),
    "operations": ("Interventions et réclamations", "Opérations"),
    "workload": ("Charge de travail des équipes", "Charge des équipes"),
    "alerts": ("Alertes", "Alertes"),
    "verbatims": ("Ce que disent les verbatims", "Verbatims"),
}
SIZES = {"desktop": (1366, 768), "phone": (400, 860)}
RATIOS = ROOT / "test-results" / "browser_ratios.json"


@pytest.fixture(scope="module")
def trivial_url(app_db):
    with serve(app_db, script="tests/browser/trivial_app.py") as url:
        yield url


@pytest.fixture(scope="module")
def cold_url(tmp_path_factory):
    """A server of its own: its caches are cold, so each page's first open is a real first open."""
    db = tmp_path_factory.mktemp("cold") / "cx.duckdb"
    shutil.copy(demo_db(), db)
    with serve(db) as url:
        yield url


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", list(PAGES))
def test_first_screen_is_drawn_at_each_size(app_url, browser, path, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{app_url}/{path}?lang=fr")
        drawn(page, PAGES[path][0])
        assert page.locator('[data-testid="stException"]').count() == 0
        shoot(page, f"first_{path or 'trajectory'}_{size}")
    finally:
        context.close()


def test_browser_times_against_a_trivial_page(cold_url, trivial_url, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        floor = measure(page, f"{trivial_url}/one", "Trivial one", f"{trivial_url}/two", "Trivial two", "One")
        results = {"trivial": floor.__dict__}
        for path, (heading, link) in PAGES.items():
            other = "" if path else "regions"
            got = measure(
                page,
                f"{cold_url}/{path}?lang=fr",
                heading,
                f"{cold_url}/{other}?lang=fr",
                PAGES[other][0],
                link,
            )
            results[path or "trajectory"] = {
                **got.__dict__,
                "reload_ratio": got.reload / floor.reload,
                "navigation_ratio": got.navigation / floor.navigation,
            }
    finally:
        context.close()
    RATIOS.parent.mkdir(parents=True, exist_ok=True)
    RATIOS.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    assert all(r["cold"] > 0 for r in results.values())
