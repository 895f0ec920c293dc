"""Operations, Workload, Data and Targets in a real browser: both languages, an import with bad rows
reported line by line then rolled back, and no suppressed workload figure in table, hover or CSV."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from metrics.catalogue import text
from metrics.demo import DEMO_STORIES
from metrics.store import Store
from tests.browser.conftest import ROOT, click_until, settle, shoot
from tests.pages_demo import demo_db

pytestmark = pytest.mark.browser

PAGES = ("operations", "workload", "data", "targets")
RAW_KEY = re.compile(r"\b(nav|data|workload|operations|targets|col|filters|download)\.[a-z_]+\b")
SAMPLE = ROOT / "data" / "samples" / "responses_with_errors.csv"


def title(page_name: str, lang: str) -> str:
    return text(f"{page_name}.title", lang)


def title_of(key: str, lang: str) -> str:
    return text(key, lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_renders_in_each_language(app_url, page, name, lang):
    page.goto(f"{app_url}/{name}?lang={lang}")
    settle(page)
    page.get_by_role("heading", name=title(name, lang)).wait_for()
    if name == "operations":  # cards and tables answer; each chart is drawn once opened
        shows = page.get_by_text(title_of("chart.show", lang), exact=True)
        for i in range(shows.count()):
            shows.nth(i).click()
            settle(page)
        assert page.locator(".js-plotly-plot").count() == 3
    if name == "workload":  # the tables answer; the heatmap is drawn once its part is opened
        page.get_by_text(title_of("workload.trend", lang), exact=True).click()
        settle(page)
    if name in ("operations", "workload"):
        page.wait_for_selector(".js-plotly-plot svg")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert not [line for line in body.splitlines() if RAW_KEY.search(line)], "a raw message key is on screen"
    other = "en" if lang == "fr" else "fr"
    assert title(name, other) not in body
    shoot(page, f"{name}_{lang}")


def cells(page) -> list[str]:
    """The text of every rendered cell of every table on the page."""
    return page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_text_contents()


def test_import_through_the_browser_reports_every_rejected_line_then_rolls_back(app_url, page):
    page.goto(f"{app_url}/data?lang=fr")
    settle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLE))
    settle(page)
    page.get_by_text("Jeu de données reconnu : Réponses aux enquêtes").wait_for()
    # 2 of 5 rows rejected = 40 % > 10 %: refused whole, with the reasons and the fix as text
    refused = page.get_by_text("Fichier refusé : rien n'a été importé. Détail et correction :")
    importer = page.get_by_role("button", name="Importer", exact=True)
    click_until(page, importer, refused, attempts=3, seconds=30)
    summary = page.locator('[data-testid="stCode"]').inner_text()
    assert "2 lignes sur 5 seraient rejetées (40 %, au-delà de --max-rejected 10 %)" in summary
    assert "Correction : vérifiez quelle colonne du fichier alimente score : --map score=EN-TETE" in summary
    shoot(page, "data_fr_refused")
    page.get_by_text("Options de lecture").click()
    threshold = page.get_by_label("Refuser le fichier au-delà de ce pourcentage de lignes rejetées")
    threshold.fill("40")
    threshold.press("Enter")
    settle(page)
    report = page.get_by_text("Compte rendu de l'import")
    click_until(page, importer, report, attempts=3, seconds=30)
    settle(page)
    counts = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any("Rejetées" in c and c.strip().endswith("2") for c in counts), counts
    page.locator('[role="gridcell"]', has_text="ligne 4").first.wait_for(
        state="attached"
    )  # grids draw after the run
    problems = [c for c in cells(page) if c.startswith("responses_with_errors.csv, ligne")]
    assert problems == [
        "responses_with_errors.csv, ligne 3, colonne note : « 11 » est hors de l'intervalle 0-10",
        "responses_with_errors.csv, ligne 4, colonne date de réponse : « 31/02/2026 » n'est pas une date "
        "au format lu pour cette colonne (dd/mm/yyyy)",
    ]
    shoot(page, "data_fr_import_report")
    with page.expect_download() as got:
        page.get_by_role("button", name="Télécharger (CSV)").first.click()
    rejected = Path(got.value.path()).read_text(encoding="utf-8")
    assert "E002" in rejected
    assert "E003" in rejected
    assert "E001" not in rejected
    page.get_by_text("Je confirme : retirer les lignes de cet import").click()  # roll-back asks first
    settle(page)
    done = page.get_by_text(re.compile(r"Import n° \d+ annulé : 3 lignes retirées"))
    click_until(page, page.get_by_role("button", name="Annuler cet import"), done, attempts=3, seconds=30)
    settle(page)
    shoot(page, "data_fr_rolled_back")


def hidden_values() -> list[float]:
    """The small team's real contacts per agent-day, month by month, read straight from the rows."""
    store = Store(demo_db())  # same data as the server's copy; the server's file stays untouched
    with store.cursor() as con:
        rows = con.execute(
            "SELECT sum(contacts_handled) * 1.0 / sum(agents) FROM ds_workload WHERE site = ? AND team = ? "
            "GROUP BY date_trunc('month', date)",
            [DEMO_STORIES.small_team_site, DEMO_STORIES.small_team],
        ).fetchall()
    store.close()
    return [r[0] for r in rows]


def test_workload_never_shows_the_small_team(app_url, page):
    secret = {f"{v:.1f}".replace(".", ",") for v in hidden_values()}
    site, team = DEMO_STORIES.small_team_site, DEMO_STORIES.small_team
    merged = f"autres équipes ({site})"
    page.goto(f"{app_url}/workload?lang=fr&region=Normandie")
    settle(page)
    page.get_by_text("Évolution mensuelle", exact=True).click()  # the heatmap's part
    settle(page)
    merged_line = page.locator(".ytick text", has_text=f"{site} · {merged}")  # a heatmap row
    click_until(
        page, page.locator('[data-testid="stRadio"]').get_by_text("Équipe", exact=True), merged_line.first
    )
    settle(page)
    page.wait_for_selector(".js-plotly-plot svg")
    assert page.locator(".ytick text", has_text=f"{site} · {team}").count() == 0
    shown = cells(page)
    assert merged in shown, "the small team is listed only inside its site's other teams"
    hover = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => p.data || [])"
        ".flatMap(t => (t.text || []).flat().map(String))"
    )
    with page.expect_download() as got:  # [0] is the before/after table, [1] the latest months by team
        page.get_by_role("button", name="Télécharger (CSV)").nth(1).click()
    csv = Path(got.value.path()).read_text(encoding="utf-8-sig")  # French CSV: BOM and ';'
    assert f"{site};{team};" not in csv
    assert f"{site};{merged};" in csv
    for value in secret:
        assert not any(text.endswith(value) for text in hover)
    shoot(page, "workload_fr_normandie_teams")
