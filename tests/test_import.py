"""Importing real, awkward files: separators, encodings, dates, booleans, headers, xlsx, and the counts."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from metrics.ingest.history import rejected_rows
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.store import open_store

HEADER = "n° réponse;date de réponse;région;note;canal;commentaire"
D = dt.datetime


def imported(store, dataset, path, **kwargs):
    """Import and check the accounting invariant every report must satisfy.

    These tests look at each rejected row, so the whole-file threshold is lifted unless a test sets it.
    """
    kwargs.setdefault("options", ImportOptions(max_rejected=100.0))
    report = import_file(store, dataset, path, **kwargs)
    assert report.accepted + report.rejected + report.skipped == report.rows_read
    return report


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def rows(store, sql):
    with store.cursor() as cur:
        return cur.execute(sql).fetchall()


def responses(store):
    return rows(
        store,
        "SELECT response_id, responded_at, region, score, channel, comment "
        "FROM ds_responses ORDER BY response_id",
    )


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_import_reads_each_separator(store, tmp_path, sep):
    text = (
        sep.join(["id", "date", "region", "score", "channel"])
        + "\n"
        + "".join(
            sep.join(cells) + "\n"
            for cells in (
                ["r1", "02/09/2025", "Bretagne", "9", "Boutique"],
                ["r2", "03/09/2025", "Normandie", "4", "téléphone"],
            )
        )
    )
    # English headers and no day above 12: only a ';' file is French enough to read them day-first
    options = ImportOptions(date_order=None if sep == ";" else "dmy")
    report = imported(store, "responses", write(tmp_path, "reponses.csv", text), options=options)
    assert (report.rows_read, report.accepted, report.delimiter) == (2, 2, sep)
    assert responses(store) == [
        ("r1", D(2025, 9, 2), "Bretagne", 9, "shop", None),
        ("r2", D(2025, 9, 3), "Normandie", 4, "phone", None),
    ]


def test_import_reads_decimal_commas_in_workload(store, tmp_path):
    # handle_minutes "12,5" -> 12.5; "1 234,75" (a space as thousands separator) -> 1234.75
    src = write(
        tmp_path,
        "charge.csv",
        "date;région;site;équipe;conseillers;contacts traités;temps de traitement;"
        "heures planifiées\r\n"
        "02/09/2025;Bretagne;RNS;N1;12;340;12,5;84\r\n"
        "02/09/2025;Bretagne;RNS;N2;8;210;1 234,75;56,25\r\n",
    )
    report = imported(store, "workload", src)
    assert (report.accepted, report.rejected) == (2, 0)
    assert rows(
        store,
        "SELECT date, site, team, agents, contacts_handled, handle_minutes, scheduled_hours "
        "FROM ds_workload ORDER BY team",
    ) == [
        (dt.date(2025, 9, 2), "RNS", "N1", 12, 340, 12.5, 84.0),
        (dt.date(2025, 9, 2), "RNS", "N2", 8, 210, 1234.75, 56.25),
    ]


# the euro sign, en dash, right quote and oe ligature are bytes 0x80, 0x96, 0x92, 0x9c in cp1252
COMMENT_CP1252 = "prix 12 € – délai ’long’ cœur"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("cp1252", "cp1252"),
    ],
)
def test_import_decodes_utf8_bom_and_cp1252_comments(store, tmp_path, encoding, reported):
    src = write(
        tmp_path, "reponses.csv", f"{HEADER}\r\n1;02/09/2025;Île-de-France;10;;{COMMENT_CP1252}\r\n", encoding
    )
    report = imported(store, "responses", src)
    assert (report.encoding, report.accepted) == (reported, 1)
    assert responses(store) == [("1", D(2025, 9, 2), "Île-de-France", 10, None, COMMENT_CP1252)]


def test_import_decodes_latin1(store, tmp_path):
    # 0x81 is undefined in cp1252: the file can only be Latin-1
    src = write(tmp_path, "reponses.csv", f"{HEADER}\n1;02/09/2025;Bretagne;8;;très déçu \x81\n", "latin-1")
    report = imported(store, "responses", src)
    assert report.encoding == "latin-1"
    assert responses(store) == [("1", D(2025, 9, 2), "Bretagne", 8, None, "très déçu \x81")]


def test_import_reads_excel_unicode_text_utf16_tab_crlf(store, tmp_path):
    text = (
        "N° réponse\tDate de réponse\tRégion\tNote\r\n"
        "1\t02/09/2025\tRégion Sud\t7\r\n2\t03/09/2025\tBretagne\t12\r\n"
    )
    report = imported(store, "responses", write(tmp_path, "export.txt", text, "utf-16"))
    assert (report.encoding, report.delimiter, report.accepted, report.rejected) == ("utf-16", "\t", 1, 1)
    assert responses(store) == [("1", D(2025, 9, 2), "Région Sud", 7, None, None)]
    assert [p.render("en") for p in report.problems] == [
        'export.txt, line 3, column Note: "12" is outside 0-10'
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02/09/2025", D(2025, 9, 2)),
        ("02/09/2025 14:30", D(2025, 9, 2, 14, 30)),
        ("02/09/2025 14:30:15", D(2025, 9, 2, 14, 30, 15)),
        ("2025-09-02", D(2025, 9, 2)),
        ("2025-09-02 14:30:15", D(2025, 9, 2, 14, 30, 15)),
        ("2025-09-02T14:30:15", D(2025, 9, 2, 14, 30, 15)),
        # Excel serial: day 45902 after 30/12/1899 is 02/09/2025
        ("45902", D(2025, 9, 2)),
    ],
)
def test_import_reads_french_iso_and_excel_serial_dates(store, tmp_path, text, expected):
    src = write(tmp_path, "r.csv", f"id;date;region;score\r\n1;{text};B;5\r\n")
    report = imported(store, "responses", src)
    assert report.accepted == 1
    assert rows(store, "SELECT responded_at FROM ds_responses") == [(expected,)]


def test_import_reads_every_yes_no_spelling(store, tmp_path):
    words = ["oui", "non", "o", "n", "yes", "no", "true", "false", "Vrai", "FAUX", "1", "0"]
    body = "".join(f"{i};02/09/2025;Bretagne;{w}\n" for i, w in enumerate(words, start=10))
    src = write(tmp_path, "interventions.csv", "n° intervention;date de clôture;région;ftf\n" + body)
    report = imported(store, "interventions", src)
    assert report.accepted == 12
    assert rows(store, "SELECT first_time_fix FROM ds_interventions ORDER BY intervention_id") == [
        (v,) for v in [True, False] * 6
    ]


def test_import_trims_surrounding_spaces(store, tmp_path):
    src = write(
        tmp_path,
        "r.csv",
        " id ; date ; region ; score ; canal \n  7 ;  02/09/2025 14:30 ;  Bretagne  ; 9 ; Boutique \n",
    )
    assert imported(store, "responses", src).accepted == 1
    assert responses(store) == [("7", D(2025, 9, 2, 14, 30), "Bretagne", 9, "shop", None)]


def test_import_skips_survey_tool_description_rows(store, tmp_path):
    # line 1 header, 2 question texts, 3 ImportIds, 4-5 answers
    src = write(
        tmp_path,
        "qualtrics.csv",
        "ResponseId,RecordedDate,Region,Q1\n"
        '"Response ID","Recorded Date","Region","How likely are you to recommend us? (0-10)"\n'
        '"{""ImportId"":""_recordId""}","{""ImportId"":""recordedDate""}",'
        '"{""ImportId"":""QID7""}","{""ImportId"":""QID1""}"\n'
        "R_1,2025-09-02 10:00:00,Bretagne,9\n"
        "R_2,2025-09-02 11:00:00,Bretagne,11\n",
    )
    report = imported(store, "responses", src, mapping={"score": "Q1"})
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (4, 1, 1, 2)
    assert [(p.line, p.reason) for p in report.problems] == [(5, "out_of_range")]
    assert responses(store) == [("R_1", D(2025, 9, 2, 10), "Bretagne", 9, None, None)]
    quarantined = rejected_rows(store, report.import_id)
    assert quarantined[["line", "reason"]].values.tolist() == [
        [2, "description_row"],
        [3, "description_row"],
        [5, "out_of_range"],
    ]


@pytest.mark.parametrize(
    "header",
    [
        "n° réponse;date de réponse;région;note",
        "N° REPONSE;Date_de_Reponse;REGION;Note",
        "  N°Réponse ; DATE DE RÉPONSE ; Région. ; NOTE  ",
        "response_id;responded_at;region;score",
    ],
)
def test_import_matches_french_headers_whatever_the_spelling(store, tmp_path, header):
    report = imported(store, "responses", write(tmp_path, "r.csv", f"{header}\n5;02/09/2025;Bretagne;6\n"))
    assert report.mapping["score"] == [h.strip() for h in header.split(";")][3]
    assert responses(store) == [("5", D(2025, 9, 2), "Bretagne", 6, None, None)]


def test_import_uses_an_explicit_mapping(store, tmp_path):
    src = write(tmp_path, "r.csv", "n° réponse;date de réponse;région;notte\n5;02/09/2025;Bretagne;6\n")
    report = imported(store, "responses", src, mapping={"score": "notte"})
    assert report.mapping == {
        "response_id": "n° réponse",
        "responded_at": "date de réponse",
        "region": "région",
        "score": "notte",
    }
    assert responses(store) == [("5", D(2025, 9, 2), "Bretagne", 6, None, None)]


def test_import_keeps_a_quoted_comment_with_separator_and_newline(store, tmp_path):
    # the first record spans lines 2-3 of the text but is row 2 of the spreadsheet; the bad one is row 3
    src = write(
        tmp_path, "r.csv", f'{HEADER}\r\n1;02/09/2025;B;9;;"pas mal; mais\r\nlent"\r\n2;02/09/2025;B;99;;\r\n'
    )
    report = imported(store, "responses", src)
    assert responses(store) == [("1", D(2025, 9, 2), "B", 9, None, "pas mal; mais\r\nlent")]
    assert [(p.line, p.column, p.value) for p in report.problems] == [(3, "note", "99")]


def _workbook(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(title)
        for row in table:
            sheet.append(row)
    book.save(path)
    return path


XLSX_RESPONSES = [
    ["N° réponse", "Date de réponse", "Région", "Note", "Canal", "Commentaire"],
    [101, dt.datetime(2025, 9, 2, 14, 30), "Bretagne", 9, "Agence", "très bien"],
    [102, dt.datetime(2025, 9, 3), "Normandie", 7.0, None, None],
    [103, dt.datetime(2025, 9, 4), "Normandie", 7.5, None, None],
    [104, "05/09/2025", "Normandie", 0, "Web", "texte"],
]


def test_import_reads_xlsx_date_and_number_cells(store, tmp_path):
    src = _workbook(tmp_path / "reponses.xlsx", {"Feuil1": XLSX_RESPONSES})
    report = imported(store, "responses", src)
    assert (report.encoding, report.sheet, report.accepted, report.rejected) == ("xlsx", "Feuil1", 3, 1)
    assert responses(store) == [
        ("101", D(2025, 9, 2, 14, 30), "Bretagne", 9, "shop", "très bien"),
        ("102", D(2025, 9, 3), "Normandie", 7, None, None),
        ("104", D(2025, 9, 5), "Normandie", 0, "web", "texte"),
    ]
    assert [p.render("en") for p in report.problems] == [
        'reponses.xlsx, line 4, column Note: "7.5" is not a whole number'
    ]


def test_import_reads_the_chosen_sheet_of_a_workbook(store, tmp_path):
    src = _workbook(
        tmp_path / "export.xlsx",
        {
            "Synthèse": [["NPS du mois", 42]],
            "Charge": [
                ["date", "site", "équipe", "région", "conseillers", "contacts", "temps de traitement"],
                [dt.datetime(2025, 9, 2), "RNS", "N1", "Bretagne", 12, 340, 12.5],
            ],
        },
    )
    report = imported(store, "workload", src, sheet="Charge")
    assert (report.sheet, report.accepted) == ("Charge", 1)
    stored = rows(store, "SELECT date, site, team, agents, contacts_handled, handle_minutes FROM ds_workload")
    assert stored == [(dt.date(2025, 9, 2), "RNS", "N1", 12, 340, 12.5)]


def test_import_skips_empty_workbook_rows_without_shifting_lines(store, tmp_path):
    src = _workbook(
        tmp_path / "reponses.xlsx",
        {
            "Feuil1": [
                ["id", "date", "region", "score"],
                [1, dt.datetime(2025, 9, 2), "Bretagne", 9],
                [None, None, None, None],
                [2, dt.datetime(2025, 9, 2), "Bretagne", 12],
            ]
        },
    )
    report = imported(store, "responses", src)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (3, 1, 1, 1)
    assert [(p.line, p.reason) for p in report.problems] == [(4, "out_of_range")]


# one generated line per kind; blank lines are not records, the rest are
KINDS = ("good", "bad_score", "blank", "extra_column", "good_multiline")


def _generated_file(kinds, newline):
    """The text, the lines that must be quarantined, and how many records must be accepted."""
    lines, bad_lines, good = ["id;date;region;score;comment"], set(), 0
    for number, kind in enumerate(kinds, start=2):
        lines.append(
            {
                "good": f"r{number};02/09/2025;B;{number % 11};ok",
                "bad_score": f"r{number};02/09/2025;B;{11 + number};ok",
                "blank": "",
                "extra_column": f"r{number};02/09/2025;B;5;ok;extra",
                "good_multiline": f'r{number};02/09/2025;B;5;"a;{newline}b"',
            }[kind]
        )
        if kind in ("bad_score", "extra_column"):
            bad_lines.add(number)
        good += kind.startswith("good")
    return newline.join(lines) + newline, bad_lines, good


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(kinds=st.lists(st.sampled_from(KINDS), max_size=10), newline=st.sampled_from(["\n", "\r\n"]))
def test_import_accounts_for_every_record_of_random_files(kinds, newline):
    text, bad_lines, good = _generated_file(kinds, newline)
    records = sum(kind != "blank" for kind in kinds)
    with tempfile.TemporaryDirectory() as work:
        src = Path(work) / "r.csv"
        src.write_text(text, encoding="utf-8", newline="")
        store = open_store(Path(work) / "cx.duckdb")
        try:
            report = imported(store, "responses", src)
            stored = rows(store, "SELECT count(*) FROM ds_responses")[0][0]
            quarantined = set(rejected_rows(store, report.import_id)["line"])
        finally:
            store.close()
    assert report.rows_read == records
    assert report.accepted == stored == good
    assert quarantined == bad_lines


def test_line_numbers_stay_exact_in_a_file_large_enough_to_be_read_in_parallel(store, tmp_path):
    # 150,000 data rows; bad scores on data rows 10, 77,777 and 150,000 -> file lines 11, 77,778, 150,001
    bad = {10, 77_777, 150_000}
    lines = ["response_id;responded_at;region;score"]
    lines += [f"R{i};01/09/2025;Nord;{11 if i in bad else i % 11}" for i in range(1, 150_001)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(store, "responses", path)
    assert (report.accepted, report.rejected) == (149_997, 3)
    assert [(p.line, p.value) for p in report.problems] == [(11, "11"), (77_778, "11"), (150_001, "11")]


def test_inspection_detects_the_dataset_suggests_the_mapping_and_previews_rows(tmp_path):
    from metrics.ingest.inspection import inspect_file

    path = tmp_path / "export.csv"
    path.write_bytes(
        "n° réponse;date de réponse;région;note_reco\r\n1;02/09/2025;Nord;9\r\n2;03/09/2025;Est;4\r\n".encode(
            "cp1252"
        )
    )
    seen = inspect_file(path)
    assert seen.ranked[0] == "responses"
    assert (seen.encoding, seen.delimiter) == ("cp1252", ";")
    mapping = seen.suggested_mapping("responses")
    assert mapping["response_id"] == "n° réponse"
    assert mapping["region"] == "région"
    assert mapping["score"] is None  # "note_reco" is no alias: the user maps it
    assert seen.preview.to_dict("list") == {
        "n° réponse": ["1", "2"],
        "date de réponse": ["02/09/2025", "03/09/2025"],
        "région": ["Nord", "Est"],
        "note_reco": ["9", "4"],
    }


def test_second_import_refreshes_only_its_months_and_the_rollup_matches_the_rows(tmp_path):
    # first file: September  R1 10, R2 3 -> 1 promoter, 1 detractor of 2
    #             October    R3 9       -> 1 promoter of 1
    # second file replaces R2 (now 8 in November) and adds R4 6 in November:
    #   September R1 10 -> 1 promoter of 1; October unchanged; November 8, 6 -> 0 promoters, 1 detractor of 2
    store = open_store(tmp_path / "cx.duckdb")
    first = write(
        tmp_path,
        "septembre.csv",
        "n° réponse;date de réponse;région;note\n"
        "R1;02/09/2025;Bretagne;10\nR2;03/09/2025;Bretagne;3\nR3;14/10/2025;Bretagne;9\n",
    )
    second = write(
        tmp_path,
        "novembre.csv",
        "n° réponse;date de réponse;région;note\nR2;04/11/2025;Bretagne;8\nR4;05/11/2025;Bretagne;6\n",
    )
    imported(store, "responses", first)
    assert imported(store, "responses", second).updated == 1
    got = rows(
        store,
        'SELECT responded_at, sum("nps__promoters"), sum("nps__detractors"), sum("nps__n") '
        "FROM rollup_responses GROUP BY 1 ORDER BY 1",
    )
    assert got == [
        (dt.date(2025, 9, 1), 1, 0, 1),
        (dt.date(2025, 10, 1), 1, 0, 1),
        (dt.date(2025, 11, 1), 0, 1, 2),
    ]
