"""Each page's first screen at 1366x768 and at 400 px wide, and its browser timings against a trivial page.

Screenshots land in test-results/screenshots/ (git-ignored): look at them. The timings are written to
test-results/browser_ratios.json and printed; they are measurements, not pass/fail thresholds
(benchmarks/browser_load.py --ratios gives the same figures for docs/benchmarks.md).
"""

from __future__ import annotations

import contextlib
import json
import shutil

import pytest

from metrics.catalogue import text
from tests.browser.conftest import ROOT, shoot
from tests.browser.server import serve
from tests.browser.timing import PAGES, drawn, markdown, ratios
from tests.pages_demo import demo_db

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 768), "phone": (400, 860)}
RATIOS = ROOT / "test-results" / "browser_ratios.json"
# path -> the message key of the page's heading, to wait for it in either language
TITLE_KEYS = {
    "": "traj.title",
    "regions": "regions.title",
    "operations": "operations.title",
    "workload": "workload.title",
    "alerts": "alerts.title",
    "verbatims": "verbatims.title",
    "followups": "followups.title",
}


@contextlib.contextmanager
def opened(browser, url: str, heading: str, width: int = 1366, height: int = 768, lang: str = "fr"):
    """A page of its own at `width` x `height`, opened at `url` and drawn; closed on exit."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=f"{lang}-FR")
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(url)
        drawn(page, heading)
        yield page
    finally:
        context.close()


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


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", list(PAGES))
def test_first_screen_is_drawn_at_each_size(app_url, browser, path, size, lang):
    width, height = SIZES[size]
    url, heading = f"{app_url}/{path}?lang={lang}", text(TITLE_KEYS[path], lang)
    with opened(browser, url, heading, width, height, lang) as page:
        assert page.locator('[data-testid="stException"]').count() == 0
        # French names the files as before (the README's images); English adds its language
        shoot(page, f"first_{path or 'trajectory'}_{size}" + ("" if lang == "fr" else "_en"))


def test_league_decisive_columns_are_on_screen_at_400_px(app_url, browser):
    with opened(browser, f"{app_url}/regions?lang=fr", "Régions", *SIZES["phone"]) as page:
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for()
        # the grid puts only the columns it draws on screen in its accessible table
        headers = grid.locator('[role="columnheader"]')
        headers.first.wait_for(state="attached")
        shown = [h.strip() for h in headers.all_text_contents()]
        assert shown[:4] == ["Région", "Objectif", "Écart", "Vs le reste"], shown
        shoot(page, "regions_league_phone")


def test_browser_times_against_a_trivial_page(cold_url, trivial_url, browser):
    results = ratios(browser, cold_url, trivial_url)
    RATIOS.parent.mkdir(parents=True, exist_ok=True)
    RATIOS.write_text(json.dumps(results, indent=2))
    print(markdown(results))
    assert set(results) == {"trivial", "trivial_subpage", *(p or "trajectory" for p in PAGES)}
    assert all(r["cold"] > 0 and r["reload"] > 0 and r["navigation"] > 0 for r in results.values())


def test_a_league_row_click_drills_to_the_sites_and_the_breadcrumb_comes_back(app_url, page):
    page.goto(f"{app_url}/regions?lang=fr")
    drawn(page, "Régions")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    box = grid.bounding_box()
    # the grid is a canvas: its first row's selection box sits under the 35 px header, 16 px in
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    page.wait_for_function("() => location.search.includes('drill=Bretagne')")
    page.get_by_text("Régions › Bretagne").wait_for()
    drawn(page, "Régions")
    shoot(page, "regions_drill_bretagne")
    page.get_by_role("button", name="← Toutes les régions").click()
    page.wait_for_function("() => !location.search.includes('drill=')")
    page.get_by_text("Classement des régions").wait_for()


def test_regions_charts_draw_when_their_part_is_opened_and_the_link_keeps_it_open(app_url, page):
    page.goto(f"{app_url}/regions?lang=fr")
    drawn(page, "Régions")
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0  # the league alone: no chart library
    page.get_by_text("Tendances mensuelles", exact=True).click()
    page.wait_for_function("() => location.search.includes('regions_trends_fr')")
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    drawn(page, "Régions")
    page.get_by_text("Types de site", exact=True).click()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= 3"
    )
    drawn(page, "Régions")
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot(page, "regions_opened")
    page.reload()  # a copied link reopens both parts
    drawn(page, "Régions")
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 3


def test_trajectory_breakdowns_draw_when_opened_and_each_tab_draws_its_split(app_url, page):
    page.goto(f"{app_url}/?lang=fr")
    drawn(page, "Trajectoire vers les objectifs")
    # the executive's chart is an SVG image: no chart library on the first screen
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    page.get_by_text("Répartition depuis le 1er janvier", exact=True).click()
    page.wait_for_function("() => location.search.includes('traj_breakdowns_fr')")
    for name in ("Segment", "Canal", "Parcours"):
        page.get_by_role("tab", name=name).click()
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= 1"
        )
        drawn(page, "Trajectoire vers les objectifs")
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.locator('[data-testid="stDataFrame"]').count() == 1, name
    shoot(page, "trajectory_breakdowns_opened")
    page.reload()  # a copied link reopens the breakdowns
    drawn(page, "Trajectoire vers les objectifs")
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1


COUNT_RUNS = """() => { window.__runs = 0; new MutationObserver(() => {
  const s = document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state');
  if (s !== window.__state) { window.__state = s; if (s === 'running') window.__runs++; }
}).observe(document, {subtree: true, attributes: true, childList: true}); }"""


def test_a_sidebar_link_runs_the_page_once_and_keeps_the_language(app_url, browser):
    with opened(browser, f"{app_url}/regions?lang=en", "Regions", lang="en") as page:
        page.evaluate(COUNT_RUNS)
        # the link drops the query string: the page used to run twice to write ?lang= back
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Comments").first.click()
        page.wait_for_function("() => location.pathname.endsWith('/verbatims')")
        drawn(page, "What the comments say")
        page.wait_for_timeout(1500)  # a second run would start within this
        assert page.evaluate("window.__runs") == 1
        assert "lang=en" in page.url
