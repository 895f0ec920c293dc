"""Downloads: French CSV opens in French Excel (BOM, `;`, decimal comma, rounded, French words); .xlsx too."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from dashboard.components.exports import people_frame
from metrics.reports.output import spreadsheet_csv, xlsx_bytes

# what a metric frame and a league frame hand to the download: raw English keys and 15-digit floats
RAW = pd.DataFrame(
    {
        "period": [pd.Timestamp(2026, 10, 1)],
        "channel": ["field_visit"],
        "team": ["=HYPERLINK(\"http://evil.example\")"],
        "value": [32.456789012345],
        "n": [1234.0],
        "moe": [4.04999999],
        "verdict": ["noise"],
        "suppressed": [False],
    }
)


def test_a_french_csv_has_a_bom_semicolons_decimal_commas_rounded_values_and_french_words():
    got = spreadsheet_csv(people_frame(RAW, decimals=1), "fr")
    assert got.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8 ("Équipe", not "Ã‰quipe")
    lines = got[3:].decode("utf-8").split("\r\n")
    assert lines[0] == "Mois;Canal;Équipe;Valeur;n;Marge ±;Vs reste de l'entreprise;Masqué"
    # 32.456789 -> 32,5 ; 4.0499 -> 4,0 ; a formula from the data is quoted, so Excel shows it as text
    assert lines[1] == (
        "01/10/2026;Visite terrain;\"'=HYPERLINK(\"\"http://evil.example\"\")\";"
        "32,5;1234;4,0;≈ dans le bruit;non"
    )


def test_an_english_csv_is_the_usual_comma_separated_file(monkeypatch):
    import streamlit as st

    monkeypatch.setitem(st.session_state, "lang", "en")
    got = spreadsheet_csv(people_frame(RAW, decimals=1), "en").decode("utf-8").splitlines()
    assert got[0] == "Month,Channel,Team,Value,n,Margin ±,Vs rest of company,Suppressed"
    assert got[1].startswith("2026-10-01,Field visit,")
    assert got[1].endswith(",32.5,1234,4.0,≈ within noise,no")


def test_the_xlsx_keeps_numbers_as_numbers_and_never_holds_a_formula():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(people_frame(RAW, decimals=1))))
    rows = list(book.active.iter_rows())
    header = [c.value for c in rows[0]]
    cells = dict(zip(header, rows[1], strict=True))
    assert cells["Valeur"].value == 32.5
    assert cells["Valeur"].data_type == "n"
    assert cells["n"].value == 1234
    assert cells["Équipe"].data_type == "s"
    assert not [c for row in rows for c in row if c.data_type == "f"]


def test_each_cell_is_worded_even_when_a_column_repeats_values_and_holds_real_booleans():
    # a bool dtype column (numpy booleans), a repeated label and missing cells, as a 29,000-row table has
    raw = pd.DataFrame(
        {
            "channel": ["field_visit", "shop", "field_visit", None],
            "suppressed": pd.Series([True, False, True, False], dtype=bool),
            "period": pd.to_datetime(["2026-10-01", "2026-10-01", None, "2026-09-01"]),
        }
    )
    got = people_frame(raw)
    assert list(got.iloc[:, 0]) == ["Visite terrain", "Boutique", "Visite terrain", None]
    assert list(got.iloc[:, 1]) == ["oui", "non", "oui", "non"]
    assert list(got.iloc[:, 2]) == ["01/10/2026", "01/10/2026", None, "01/09/2026"]
