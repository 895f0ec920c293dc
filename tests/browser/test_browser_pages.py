"""Both pages in a real browser: French and English, filters in the URL, charts drawn, screenshots."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import click_until, settle, shoot

pytestmark = pytest.mark.browser

PAGES = {
    "trajectory": ("", {"fr": "Trajectoire vers les objectifs", "en": "Trajectory towards the targets"}),
    "regions": ("regions", {"fr": "Classement des régions", "en": "Regions league table"}),
}
TRENDS = {"fr": "Tendances mensuelles", "en": "Monthly trends"}
INTERACTIVE = {
    "fr": "Graphique interactif : les valeurs au survol",
    "en": "Interactive chart: values on hover",
}
CHART_IMAGE = '[data-testid="stImage"] img[src^="data:image/svg+xml"]'
CHART_ALT = {"fr": "Graphique : NPS", "en": "Chart: NPS"}
ENGLISH_ONLY = ("Year to date", "Regions league table", "Download (CSV)", "Filters")
RAW_KEY = re.compile(
    r"\b(app|nav|lang|demo|filters|status|card|traj|chart|col|cmp|regions|unit|dim)\.[a-z_]+\b"
)
FRENCH_ONLY = ("Cumul depuis", "Classement des régions", "Télécharger (CSV)", "Filtres")


def nps(page):
    """The value on the NPS card (found by its label, not by position)."""
    card = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text("NPS", exact=True))
    return card.locator('[data-testid="stMetricValue"]')


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_in_each_language_with_charts(app_url, page, name, lang):
    path, heading = PAGES[name]
    page.goto(f"{app_url}/{path}?lang={lang}")
    settle(page)
    page.get_by_text(heading[lang]).first.wait_for()
    if name == "regions":  # the league answers first; its trends are drawn once opened
        page.get_by_text(TRENDS[lang], exact=True).click()
    if name == "trajectory":  # the trajectory is an SVG image; the same chart with hover opens on demand
        chart = page.locator(f'{CHART_IMAGE}[alt^="{CHART_ALT[lang]}"]')
        expect(chart).to_have_count(1)
        assert chart.evaluate("img => img.complete && img.naturalWidth") == 960
        page.get_by_text(INTERACTIVE[lang], exact=True).click()
    page.wait_for_selector(".js-plotly-plot svg")
    assert page.locator(".js-plotly-plot svg").count() >= 1
    body = page.locator('[data-testid="stMain"]').inner_text()
    others = FRENCH_ONLY if lang == "en" else ENGLISH_ONLY
    assert not [w for w in others if w in body], f"{lang} page shows words of the other language"
    assert not [line for line in body.splitlines() if RAW_KEY.search(line)], "a raw message key is on screen"
    if lang == "fr":
        assert "Données de démonstration" in page.locator("body").inner_text()
    shoot(page, f"{name}_{lang}")


def test_region_filter_goes_to_the_url_and_the_link_reopens_the_same_view(app_url, page, browser):
    page.goto(f"{app_url}/?lang=fr")
    settle(page)
    nps_before = nps(page).inner_text()
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    # open the list until it shows, then pick the option itself (typed keys are lost if it opens late)
    option = page.get_by_role("option", name="Bretagne", exact=True)
    click_until(page, box, option)
    option.click()
    page.keyboard.press("Escape")
    # the app rewrites the query string with history.replaceState: no navigation event to wait for
    page.wait_for_function("() => location.search.includes('region=Bretagne')")
    settle(page)
    expect(nps(page)).not_to_have_text(nps_before)
    nps_after = nps(page).inner_text()
    query = parse_qs(urlparse(page.url).query)
    assert query["region"] == ["Bretagne"]
    assert query["lang"] == ["fr"]
    assert {"year", "as_of"} <= set(query)
    shoot(page, "trajectory_fr_bretagne")

    other = browser.new_context(viewport={"width": 1400, "height": 3000}).new_page()
    try:
        other.goto(page.url)
        settle(other)
        expect(nps(other)).to_have_text(nps_after)
        expect(
            other.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        ).to_contain_text("Bretagne")
    finally:
        other.context.close()
