"""Every selectbox option of every page, a French CSV as Excel reads it, shared links, user text as text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import click_until, settle, shoot

pytestmark = pytest.mark.browser

PAGES = ("", "regions", "operations", "workload", "alerts", "verbatims", "followups", "data", "targets")
LANGUAGE = "Langue"  # switching language is walked by the per-language tests


def boxes(page):
    return page.locator('[data-testid="stSelectbox"]')


def box_label(box) -> str:
    return box.locator('[data-testid="stWidgetLabel"]').inner_text().strip()


def box_index(page, label: str) -> int:
    """The index of the selectbox labelled `label`, once it is drawn (a loaded server draws late)."""
    boxes(page).filter(has=page.get_by_text(label, exact=True)).first.wait_for(state="visible")
    return next(i for i, b in enumerate(boxes(page).all()) if box_label(b) == label)


def box_value(box) -> str:
    return box.locator('input[role="combobox"]').input_value().strip()


def options_of(page, box) -> list[str]:
    listbox = page.locator('[role="listbox"]')
    click_until(page, box, listbox)
    page.locator('[role="option"]').first.wait_for()
    names = [n.strip() for n in page.locator('[role="option"]').all_inner_texts()]
    page.keyboard.press("Escape")
    return names


def choose(page, index: int, name: str) -> None:
    option = page.get_by_role("option", name=name, exact=True)
    click_until(page, boxes(page).nth(index), option)
    option.click()
    settle(page)


def assert_no_error(page, where: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, f"an exception is shown after {where}"
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Traceback" not in body, where


@pytest.mark.parametrize("path", PAGES)
def test_every_selectbox_option_of_the_page_renders(app_url, page, path):
    page.goto(f"{app_url}/{path}?lang=fr")
    settle(page)
    boxes(page).nth(1).wait_for(state="visible")  # the language box and at least one more: the page is drawn
    settle(page)
    walked = 0
    index = 0
    while index < boxes(page).count():
        box = boxes(page).nth(index)
        label = box_label(box)
        if label != LANGUAGE:
            for name in options_of(page, box):
                choose(page, index, name)
                assert_no_error(page, f"{label} = {name}")
                walked += 1
        index += 1
    assert walked >= 1
    shoot(page, f"walk_{path or 'trajectory'}")


def test_a_french_csv_download_opens_in_french_excel(app_url, page):
    page.goto(f"{app_url}/?lang=fr")
    settle(page)
    # the trajectory chart (an SVG image), whose CSV button comes first
    page.locator('[data-testid="stImage"] img[alt^="Graphique : NPS"]').first.wait_for()
    settle(page)
    with page.expect_download() as got:
        page.get_by_role("button", name="Télécharger (CSV)").first.click()
    raw = Path(got.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8, "Équipe" not "Ã‰quipe"
    lines = raw[3:].decode("utf-8").split("\r\n")
    header = lines[0].split(";")
    assert header[:2] == ["Mois", "Valeur"], header
    assert "period" not in header
    first = lines[1].split(";")
    assert re.fullmatch(r"-?\d+,\d", first[1]), first  # decimal comma, rounded to the 1 decimal shown
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", first[0]), first


# page -> the selectbox whose last option a user picks before sharing the link
SHARED = {
    "": "Indicateur du graphique",
    "regions": "Indicateur",  # the drilled region is a link of its own (?drill=)
    "operations": "Indicateur",
    "workload": "Événement",
    "targets": "Année",
}


def view(page) -> list[tuple[str, str]]:
    return [(box_label(b), box_value(b)) for b in boxes(page).all()]


@pytest.mark.parametrize("path", list(SHARED))
def test_a_shared_link_reopens_the_page_to_the_same_view(app_url, page, browser, path):
    page.goto(f"{app_url}/{path}?lang=fr")
    settle(page)
    index = box_index(page, SHARED[path])
    names = options_of(page, boxes(page).nth(index))
    choose(page, index, names[-1] if box_value(boxes(page).nth(index)) != names[-1] else names[0])
    page.wait_for_timeout(500)  # the app rewrites the query string with history.replaceState
    settle(page)
    before = view(page)
    other = browser.new_context(viewport={"width": 1400, "height": 3000}, locale="fr-FR").new_page()
    try:
        other.goto(page.url)
        settle(other)
        # a loaded machine can settle before the widgets arrive: wait for as many as the first page had
        boxes(other).nth(len(before) - 1).wait_for(state="visible", timeout=60_000)
        settle(other)
        assert view(other) == before, urlparse(page.url).query
        assert_no_error(other, page.url)
    finally:
        other.context.close()


def test_an_invalid_link_value_is_reported(app_url, page):
    page.goto(f"{app_url}/?lang=fr&year=2019&region=Atlantis")
    settle(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "year=2019" in body
    assert "region=Atlantis" in body


MARKDOWN_HEADER = "![p](http://evil.example/p.png)"
HTML_HEADER = '<img src="http://evil.example/i.png">'
NAME = "[clic ici](http__evil.example) <b>gras</b>.csv"


def test_markdown_and_html_in_an_uploaded_file_stay_text(app_url, page):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(app_url) else None)
    page.goto(f"{app_url}/data?lang=fr")
    settle(page)
    content = f"{MARKDOWN_HEADER};{HTML_HEADER};[lien](http://evil.example)\r\n1;2;3\r\n".encode()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": NAME, "mimeType": "text/csv", "buffer": content}
    )
    settle(page)
    box = next((i for i, b in enumerate(boxes(page).all()) if box_label(b) == "Jeu de données"), None)
    if box is not None:  # the file was read: pick a dataset and import, so the refusal quoting them shows
        choose(page, box, "Réponses aux enquêtes")
        refusal = page.locator('[data-testid="stAlertContentError"]').first
        click_until(page, page.get_by_role("button", name="Importer", exact=True), refusal, attempts=3)
    page.locator('[data-testid="stAlertContentError"]').first.wait_for()
    main = page.locator('[data-testid="stMain"]')
    shown = main.inner_text().replace("\u2060", "")  # the invisible joiners that stop autolinks
    assert MARKDOWN_HEADER in shown  # the header is there, to be read, character for character
    assert HTML_HEADER in shown
    assert main.locator('a[href*="evil"]').count() == 0
    assert main.locator('img[src*="evil"]').count() == 0
    assert main.locator("b", has_text="gras").count() == 0
    page.wait_for_timeout(1000)
    assert not [u for u in outside if "evil" in u], outside
    shoot(page, "data_fr_markdown_upload")


def test_switching_language_redraws_the_navigation_and_the_month_at_once(app_url, page):
    page.goto(f"{app_url}/regions?lang=fr")
    settle(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert "Charge des équipes" in nav.inner_text()
    index = box_index(page, LANGUAGE)
    choose(page, index, "English")
    page.get_by_role("heading", name="Regions league table").wait_for()
    assert "Workload" in nav.inner_text()  # with no further click
    assert "Charge des équipes" not in nav.inner_text()
    months = [box_value(b) for b in boxes(page).all() if box_label(b) == "Data up to the end of"]
    assert months
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{4}", months[0]), months  # "Oct 2026", not "oct. 2026"
