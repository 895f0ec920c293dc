"""The project's own workload and events samples uploaded and imported on the Data page of a real server,
in French and English: the report counts every line, and no traceback or server path reaches the page."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ROOT, click_until, settle, shoot
from tests.browser.server import serve
from tests.empty_db import empty_db

pytestmark = pytest.mark.browser

SAMPLES = ROOT / "data" / "samples"
# the page's words, per language: detection, import button, report heading, counts, history
WORDS = {
    "fr": {
        "detected": {"workload": "Charge de travail des équipes", "events": "Événements"},
        "detected_prefix": "Jeu de données reconnu : ",
        "import": "Importer",
        "report": re.compile(r"Compte rendu de l'import n° (\d+)"),
        "counts": ("Lignes lues", "Acceptées", "Rejetées"),
        "history": "Historique des imports",
        "rollback": "Annuler cet import",
    },
    "en": {
        "detected": {"workload": "Team workload", "events": "Events"},
        "detected_prefix": "Detected dataset: ",
        "import": "Import",
        "report": re.compile(r"Report of import no\. (\d+)"),
        "counts": ("Rows read", "Accepted", "Rejected"),
        "history": "Import history",
        "rollback": "Roll back this import",
    },
}
TRACEBACK = ("Traceback", 'File "/', "Error:", "ValueError")


@pytest.fixture
def fresh_url(tmp_path):
    """A server of its own over an empty database: each case imports its sample once, from nothing."""
    db = empty_db(tmp_path / "cx.duckdb")
    with (tmp_path / "streamlit.log").open("w") as log, serve(db, log=log) as url:
        yield url


def data_lines(name: str) -> int:
    """The sample's records: its lines under the header (the samples have no blank or quoted line)."""
    return len((SAMPLES / name).read_text(encoding="utf-8-sig").splitlines()) - 1


def no_traceback(page) -> None:
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert not [w for w in TRACEBACK if w in body], body
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", ["workload", "events"])
def test_a_sample_is_uploaded_and_imported_with_its_line_counts_and_no_traceback(fresh_url, page, key, lang):
    words, name = WORDS[lang], f"{key}.csv"
    lines = data_lines(name)  # workload: 60 team-days; events: 2 events
    page.goto(f"{fresh_url}/data?lang={lang}")
    settle(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(SAMPLES / name))
    settle(page)
    page.get_by_text(words["detected_prefix"] + words["detected"][key], exact=True).wait_for()
    no_traceback(page)  # the page used to fail here, between the detection and the import button
    report = page.get_by_text(words["report"])
    click_until(
        page, page.get_by_role("button", name=words["import"], exact=True), report, attempts=3, seconds=30
    )
    settle(page)
    no_traceback(page)
    assert words["report"].fullmatch(report.inner_text())
    counts = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        counts[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    read, accepted, rejected = words["counts"]
    assert (counts[read], counts[accepted], counts[rejected]) == (str(lines), str(lines), "0"), counts
    page.get_by_role("heading", name=words["history"]).wait_for()  # the history and roll-back stay
    page.get_by_role("button", name=words["rollback"]).wait_for()
    shoot(page, f"data_{key}_{lang}_imported")
