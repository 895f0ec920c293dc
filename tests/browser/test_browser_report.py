"""The board pack opened from disk with the network off: every chart drawn, nothing fetched."""

from __future__ import annotations

import re
import shutil

import pytest

from metrics.catalogue import text
from metrics.reports.board_pack import report_html
from metrics.store import open_store
from tests.browser.conftest import SCREENSHOTS, settle, shoot
from tests.pages_demo import demo_db

pytestmark = pytest.mark.browser
RAW_KEY = re.compile(r"\b(alerts|verbatims|handoffs|nav)\.[a-z_0-9]+\b")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    db = folder / "cx.duckdb"
    shutil.copy(demo_db(), db)
    store = open_store(db)
    try:
        content = report_html(store, lang="fr")
    finally:
        store.close()
    path = folder / "report.html"
    path.write_bytes(content)
    return path


def test_board_pack_opens_offline_and_draws_every_chart(browser, report_file):
    expected = report_file.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    assert expected >= 3  # trajectories, alerts, themes on the demo data
    context = browser.new_context(offline=True, viewport={"width": 1300, "height": 9000})
    page = context.new_page()
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    try:
        page.goto(report_file.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {expected}", timeout=60_000
        )
        drawn = page.eval_on_selector_all(
            ".plotly-graph-div",
            "els => els.map(e => e.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length)",
        )
        assert len(drawn) == expected
        assert all(traces > 0 for traces in drawn), drawn
        assert [u for u in fetched if not u.startswith("file:")] == []
        assert page.locator("h1").inner_text().startswith("Rapport mensuel expérience client")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "report_fr.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "heading", "lang"),
    [
        ("alerts", "Alertes : ce qui a changé, et depuis quand", "fr"),
        ("alerts", "Alerts: what changed, and since when", "en"),
        ("verbatims", "Ce que disent les verbatims", "fr"),
        ("verbatims", "What the comments say", "en"),
    ],
)
def test_insight_pages_draw_their_charts(app_url, page, path, heading, lang):
    page.goto(f"{app_url}/{path}?lang={lang}")
    settle(page)
    page.get_by_text(heading).first.wait_for()
    if path in ("alerts", "verbatims"):  # the tables answer first; the charts are drawn once opened
        shows = page.get_by_text(text("chart.show", lang), exact=True)
        for i in range(shows.count()):
            shows.nth(i).click()
            settle(page)
    page.wait_for_selector(".js-plotly-plot svg")
    # Alerts: the one control chart chosen in the list; Verbatims: impact and the theme's months
    assert page.locator(".js-plotly-plot").count() == (1 if path == "alerts" else 2)
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert not RAW_KEY.search(body), "a raw message key is on screen"
    shoot(page, f"{path}_{lang}")


def test_verbatims_search_box_in_the_browser(app_url, page):
    page.goto(f"{app_url}/verbatims?lang=fr")
    settle(page)
    box = page.get_by_role("textbox", name="Rechercher dans les commentaires")
    box.fill("facture")
    box.press("Enter")
    page.get_by_text("réponses contiennent ces mots.").wait_for()
    settle(page)
    shoot(page, "verbatims_search_fr")
