"""A translator adds a language by adding one `.po` file: no code changes, and it shows everywhere.

The test writes a Polish catalogue (three plural forms: 1 wiersz, 3 wiersze, 5 wierszy) next to a copy
of the product's own, points the catalogue at that folder, and checks the language is offered by the
CLI and the pages, picks its own plural forms, and falls back to French for what it does not translate.
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from metrics import catalogue
from metrics.cli.main import cli
from metrics.reports import formatting
from tests.pages_demo import demo_db

POLISH = r"""
msgid ""
msgstr ""
"Language: pl\n"
"Content-Type: text/plain; charset=utf-8\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

msgid "lang.name"
msgstr "Polski"

msgid "lang.label"
msgstr "Język"

msgid "targets.title"
msgstr "Cele roczne"

msgid "count.rejected_rows_deleted"
msgid_plural "{n}"
msgstr[0] "{n} odrzucony wiersz usunięty"
msgstr[1] "{n} odrzucone wiersze usunięte"
msgstr[2] "{n} odrzuconych wierszy usuniętych"
"""


@pytest.fixture
def polish(tmp_path):
    root = tmp_path / "locale"
    shutil.copytree(catalogue.LOCALE_DIR, root)
    po = catalogue.po_path("pl", root)
    po.parent.mkdir(parents=True)
    po.write_text(POLISH, encoding="utf-8")
    kept = catalogue.LOCALE_DIR
    catalogue.LOCALE_DIR = root
    catalogue.reload()
    try:
        yield
    finally:
        catalogue.LOCALE_DIR = kept
        catalogue.reload()


def test_the_languages_are_the_catalogues_found_french_first(polish):
    assert catalogue.langs() == ("fr", "en", "pl")


def test_the_product_has_french_and_english_and_nothing_else():
    assert catalogue.langs() == ("fr", "en")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 odrzucony wiersz usunięty"),
        (3, "3 odrzucone wiersze usunięte"),
        (5, "5 odrzuconych wierszy usuniętych"),
        (22, "22 odrzucone wiersze usunięte"),
        (12, "12 odrzuconych wierszy usuniętych"),  # 12-14 take the third form despite ending in 2-4
    ],
)
def test_a_new_language_picks_its_own_plural_forms(polish, n, expected):
    assert catalogue.text("count.rejected_rows_deleted", "pl", n=n) == expected


def test_a_message_the_new_catalogue_lacks_reads_in_french(polish):
    assert catalogue.text("demo.remove", "pl") == "Retirer la démo"


def test_numbers_in_a_new_language_follow_its_own_locale(polish):
    # babel's Polish: a comma for decimals, a no-break space between thousands
    assert formatting.number(1234.5, 1, "pl") == "1\xa0234,5"


def test_the_cli_offers_the_new_language(polish):
    out = CliRunner().invoke(cli, ["rejected", "--help"]).output
    assert "[fr|en|pl]" in out


def test_the_pages_offer_and_speak_the_new_language(polish, monkeypatch):
    monkeypatch.setenv("CX_DB", str(demo_db()))
    at = AppTest.from_file("../dashboard/pages/targets.py", default_timeout=120)
    at.query_params["lang"] = "pl"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Cele roczne"
    switch = at.sidebar.selectbox(key="lang_choice")
    assert switch.options == ["Français", "English", "Polski"]
    assert switch.value == "pl"
