"""Refusals: bad rows are quarantined with line, column, value and reason; bad files change nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from metrics.errors import ImportRefused
from metrics.ingest.history import rejected_records, rejected_rows
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from tests.support import snapshot


def imported(store, dataset, path, **kwargs):
    """Import and check the accounting invariant every report must satisfy.

    These tests look at each rejected row, so the whole-file threshold is lifted unless a test sets it.
    """
    kwargs.setdefault("options", ImportOptions(max_rejected=100.0))
    report = import_file(store, dataset, path, **kwargs)
    assert report.accepted + report.rejected + report.skipped == report.rows_read
    return report


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def problems(report):
    return [(p.line, p.column, p.value, p.reason, p.detail) for p in report.problems]


# a spreadsheet shows: 1 header, 2..11 records, 5 is blank and must not shift the lines after it
RESPONSES = (
    "n° réponse;date de réponse;région;note;canal\n"
    "r1;02/09/2025;Bretagne;9;Boutique\n"
    "r2;02/09/2025;Bretagne;11;Boutique\n"
    "r3;02/09/2025;Bretagne;abc;Boutique\n"
    "\n"
    "r4;02/09/2025;Bretagne;7,5;Web\n"
    "r5;31/02/2025;Bretagne;8;Web\n"
    "r6;02/09/2025;;8;Web\n"
    "r1;03/09/2025;Bretagne;6;Web\n"
    "r7;03/09/2025;Bretagne;6;Web;en trop\n"
    "r8;03/09/2025;Normandie;10;appel\n"
)


def test_import_quarantines_each_bad_row_with_line_column_value_and_reason(store, tmp_path):
    report = imported(store, "responses", write(tmp_path, "reponses.csv", RESPONSES))
    # 9 records (the blank line is not one): r1 and r8 pass, 7 are rejected
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (9, 2, 7, 0)
    assert problems(report) == [
        (3, "note", "11", "out_of_range", "0-10"),
        (4, "note", "abc", "not_a_number", "0-10"),
        (6, "note", "7,5", "not_an_integer", "0-10"),
        (7, "date de réponse", "31/02/2025", "not_a_date", "dd/mm/yyyy"),
        (8, "région", None, "missing", ""),
        (9, "n° réponse", "r1", "duplicate_in_file", "2"),
        (10, None, None, "too_many_columns", "5|6"),
    ]
    with store.cursor() as cur:
        kept = cur.execute("SELECT response_id, score, channel FROM ds_responses ORDER BY 1").fetchall()
    assert kept == [("r1", 9, "shop"), ("r8", 10, "phone")]


def test_row_problems_render_in_french_and_english(store, tmp_path):
    report = imported(store, "responses", write(tmp_path, "reponses.csv", RESPONSES))
    by_line = {p.line: p for p in report.problems}
    assert by_line[3].render("en") == 'reponses.csv, line 3, column note: "11" is outside 0-10'
    assert by_line[3].render("fr") == (
        "reponses.csv, ligne 3, colonne note : « 11 » est hors de l'intervalle 0-10"
    )
    assert by_line[9].render("en") == (
        'reponses.csv, line 9, column n° réponse: id "r1" appears twice in the file (first on line 2)'
    )
    assert by_line[9].render("fr") == (
        "reponses.csv, ligne 9, colonne n° réponse : identifiant « r1 » en double dans le fichier "
        "(déjà vu ligne 2)"
    )
    assert by_line[10].render("en") == "reponses.csv, line 10: too many columns (5 expected, 6 found)"
    assert by_line[10].render("fr") == "reponses.csv, ligne 10 : trop de colonnes (5 attendues, 6 trouvées)"


def test_consecutive_unreadable_lines_do_not_shift_the_lines_after_them(store, tmp_path):
    src = write(tmp_path, "r.csv", "id;date;region;score\n"
                                   "1;02/09/2025;B;7;x\n"      # line 2: 5 fields
                                   "2;02/09/2025;B;7;x;y\n"    # line 3: 6 fields
                                   "3;02/09/2025;B\n"          # line 4: 3 fields
                                   "4;02/09/2025;B;12\n"       # line 5: score out of range
                                   "5;02/09/2025;B;8\n")
    report = imported(store, "responses", src)
    assert (report.accepted, report.rejected) == (1, 4)
    assert problems(report) == [
        (2, None, None, "too_many_columns", "4|5"),
        (3, None, None, "too_many_columns", "4|6"),
        (4, None, None, "missing_columns", "4|3"),
        (5, "score", "12", "out_of_range", "0-10"),
    ]


@pytest.mark.parametrize(("dataset", "text", "expected"), [
    ("interventions",
     "n° intervention;date de clôture;région;ftf\n"
     "I1;02/09/2025;Bretagne;oui\nI2;02/09/2025;Bretagne;peut-être\n",
     (3, "ftf", "peut-être", "not_yes_no", "")),
    ("sites",
     "code site;région;type de site\nRNS;Bretagne;Sous-traité\nCAE;Normandie;franchise\n",
     (3, "type de site", "franchise", "not_allowed", "in_house, subcontracted, offshore")),
    ("complaints",
     "n° réclamation;date d'ouverture;région;date de clôture\nC1;02/09/2025;Bretagne;03/09/2025\n"
     "C2;02/09/2025 10:00;Bretagne;01/09/2025 18:00\n",
     (3, "date de clôture", "01/09/2025 18:00", "closed_before_opened", "")),
    ("workload",
     "date;région;site;équipe;conseillers;contacts traités\n02/09/2025;Bretagne;RNS;N1;12;340\n"
     "02/09/2025;Bretagne;RNS;N1;9;120\n",
     (3, "date", "02/09/2025", "duplicate_in_file", "2")),
])
def test_import_quarantines_dataset_specific_problems(store, tmp_path, dataset, text, expected):
    report = imported(store, dataset, write(tmp_path, f"{dataset}.csv", text))
    assert (report.accepted, report.rejected) == (1, 1)
    assert problems(report) == [expected]


def test_not_allowed_and_closed_before_opened_render_in_both_languages(store, tmp_path):
    src = write(tmp_path, "sites.csv", "code site;région;type\nCAE;Normandie;franchise\n")
    report = imported(store, "sites", src)
    assert [p.render("en") for p in report.problems] == [
        'sites.csv, line 2, column type: "franchise" is not an allowed value '
        "(in_house, subcontracted, offshore)"
    ]
    assert [p.render("fr") for p in report.problems] == [
        "sites.csv, ligne 2, colonne type : « franchise » n'est pas une valeur permise "
        "(in_house, subcontracted, offshore)"
    ]


def test_rejected_records_give_one_row_per_line_with_cells_and_reasons(store, tmp_path):
    src = write(tmp_path, "reponses.csv", "id;date;region;score;comment\n"
                                          "1;02/09/2025;Bretagne;9;ok\n"
                                          "2;32/09/2025;Bretagne;12;deux fautes\n"
                                          "3;02/09/2025;Bretagne;8;ok;en trop\n")
    report = imported(store, "responses", src)
    assert len(rejected_rows(store, report.import_id)) == 3  # two problems on line 3, one on line 4
    frame = rejected_records(store, report.import_id)
    assert frame["raw"].isna().tolist() == [True, False]  # only a line that did not split keeps its raw text
    records = frame.drop(columns="raw").to_dict(orient="records")
    assert records[0] == {
        "line": 3, "id": "2", "date": "32/09/2025", "region": "Bretagne", "score": "12",
        "comment": "deux fautes",
        "reasons": 'date: "32/09/2025" is not a date in the format read for this column (dd/mm/yyyy); '
                   'score: "12" is outside 0-10',
    }
    assert records[1]["line"] == 4
    assert frame["raw"].tolist()[1] == "3;02/09/2025;Bretagne;8;ok;en trop"
    assert records[1]["reasons"] == "too many columns (5 expected, 6 found)"
    french = rejected_records(store, report.import_id, lang="fr")
    assert french["reasons"].tolist()[1] == "trop de colonnes (5 attendues, 6 trouvées)"


def _zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("reponses.csv", "id;date;region;score\n1;02/09/2025;B;9\n")
    return buffer.getvalue()


REFUSED = [
    pytest.param("vide.csv", b"", {}, "vide.csv: the file is empty", id="empty"),
    pytest.param("blancs.csv", b"  \r\n\r\n", {}, "blancs.csv: the file is empty", id="only-blank-lines"),
    pytest.param("logo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", {},
                 "logo.csv: this is a binary file, not a CSV or Excel export; "
                 "export the data as CSV (separator ; or ,) or as .xlsx", id="png"),
    pytest.param("export.csv", _zip_bytes(), {},
                 "export.csv: this is a zip archive, not a CSV or Excel file; "
                 "unzip it and import the file inside",
                 id="zip-renamed"),
    pytest.param("reponses.csv", "n° réponse;date de réponse;région;notte\n1;02/09/2025;B;9\n".encode(), {},
                 'reponses.csv: responses needs a column "score"; found: n° réponse, date de réponse, '
                 'région, notte. Did you mean "notte"? Use --map score=notte', id="missing-score"),
    pytest.param("reponses.csv", "n° réponse;date de réponse;région;notte\n1;02/09/2025;B;9\n".encode(),
                 {"mapping": {"score": "note_reco"}},
                 'reponses.csv: --map score=note_reco: the file has no column "note_reco"; '
                 'found: n° réponse, date de réponse, région, notte; did you mean "notte"?',
                 id="map-unknown-header"),
    pytest.param("reponses.csv", b"id;date;region;score\n1;02/09/2025;B;9\n", {"mapping": {"nps": "score"}},
                 'reponses.csv: --map nps=score: responses has no column "nps"; columns: response_id, '
                 "responded_at, region, score, site, channel, segment, journey, effort, comment, customer_id",
                 id="map-unknown-column"),
    pytest.param("charge.csv", "date;région;site;équipe;conseillers;contacts traités\n"
                               "02/09/2025;B;RNS;N1;12;340\n".encode(), {},
                 'charge.csv: responses needs a column "response_id", "score"; found: date, région, site, '
                 "équipe, conseillers, contacts traités. Use --map response_id=YOUR_HEADER, or --row-id "
                 "when the file has no id. It looks like a workload file: import it into workload instead",
                 id="wrong-dataset"),
]


@pytest.mark.parametrize(("name", "content", "kwargs", "message"), REFUSED)
def test_import_refuses_bad_files_and_changes_nothing(store, tmp_path, name, content, kwargs, message):
    before = snapshot(store)
    with pytest.raises(ImportRefused, match=f"^{re.escape(message)}$"):
        import_file(store, "responses", write(tmp_path, name, content), **kwargs)
    assert snapshot(store) == before


def _two_sheets(path):
    book = Workbook()
    book.active.title = "Synthèse"
    book.active.append(["NPS du mois"])
    book.create_sheet("Réponses").append(["id", "date", "region", "score"])
    book.save(path)
    return path


@pytest.mark.parametrize(("sheet", "message"), [
    ("Septembre", 'export.xlsx: no sheet named "Septembre"; sheets: Synthèse, Réponses'),
    (None, "export.xlsx, sheet Synthèse: no header line found "
           "(expected column names separated by ; , tab or |)"),
])
def test_import_refuses_a_workbook_sheet_it_cannot_use_and_names_it(store, tmp_path, sheet, message):
    before = snapshot(store)
    with pytest.raises(ImportRefused, match=f"^{re.escape(message)}$"):
        import_file(store, "responses", _two_sheets(tmp_path / "export.xlsx"), sheet=sheet)
    assert snapshot(store) == before


def test_import_refuses_the_same_file_twice_naming_the_earlier_import(store, tmp_path):
    src = write(tmp_path, "reponses.csv", b"id;date;region;score\n1;02/09/2025;B;9\n")
    first = imported(store, "responses", src)
    before = snapshot(store)
    expected = (
        rf"^reponses\.csv was already imported into responses as import {first.import_id} on "
        rf"\d\d/\d\d/\d{{4}} \d\d:\d\d; roll that import back first \(python -m metrics rollback "
        rf"{first.import_id}\) to import the same file again$"
    )
    with pytest.raises(ImportRefused, match=expected):
        import_file(store, "responses", src)
    assert snapshot(store) == before
