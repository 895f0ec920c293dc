"""The file's shape decided once, with evidence, and overridable (issue "Real exports III", point 2).

Google Forms CSVs hold `;`, `,` and newlines inside a quoted question and repeat section titles;
ACD logs write `yymmdd` dates; exports write `?` or `NA` for "no value". Each test writes the file.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from metrics.cli.main import cli
from metrics.errors import ImportOptionRefused, ImportRefused
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions, options_from, options_json
from metrics.ingest.rejection import TooManyRejected

QUESTION = (
    "Dans quelle mesure recommanderiez-vous l'agence ? (0 = pas du tout; 10 = tout à fait,\n"
    "sans hésiter)"
)


def google_form(section: str) -> str:
    """A French Google Forms CSV: CRLF lines, a question on two lines, a section title asked twice."""
    return (
        f'Horodateur,"{QUESTION}",Région,{section},Vos remarques,{section}\r\n'
        '14/09/2025 10:00:00,9,Bretagne,,"Accueil rapide; personnel aimable",\r\n'
        "15/09/2025 11:30:00,6,Normandie,?,Trop d'attente,NA\r\n"
        "16/09/2025 09:15:00,10,Bretagne,,,\r\n"
    )


def rows(store, sql):
    with store.cursor() as cur:
        return cur.execute(sql).fetchall()


def test_a_google_forms_csv_with_separators_and_a_newline_in_its_quoted_question_is_read_on_commas(
    store, tmp_path
):
    # 3 answers, separated by ","; a ";"-split gives 1 or 2 fields a record, so "," with 6 on all 4
    path = tmp_path / "formulaire.csv"
    path.write_bytes(google_form("Section 2 : votre visite").encode("utf-8"))
    report = import_file(store, "responses", path, options=ImportOptions(mapping={"score": QUESTION}))
    assert (report.rows_read, report.accepted, report.rejected, report.delimiter) == (3, 3, 0, ",")
    assert rows(store, "SELECT responded_at, region, score FROM ds_responses ORDER BY 1") == [
        (dt.datetime(2025, 9, 14, 10, 0), "Bretagne", 9),
        (dt.datetime(2025, 9, 15, 11, 30), "Normandie", 6),
        (dt.datetime(2025, 9, 16, 9, 15), "Bretagne", 10),
    ]
    assert [d.render("en") for d in report.decisions] == [
        "encoding utf-8 (every byte reads as UTF-8)",
        "separator ',' (4 of 4 first records have 6 fields; ';' gives 1 to 2)",
        "header on line 1 (6 columns; Google Forms writes its header on line 1)",
        "survey tool Google Forms (detected from the first rows)",
        # row 2: "?" under the section title, "NA" under the repeated one
        'empty-cell markers "?" x 1, "NA" x 1 (in the first 3 rows; read as empty cells in date, number '
        "and yes/no columns)",
    ]


def test_a_repeated_title_is_refused_only_when_the_column_it_would_feed_is_mapped(store, tmp_path):
    # "Commentaire" is an alias of comment: columns 4 and 6 could both feed it
    path = tmp_path / "formulaire.csv"
    path.write_bytes(google_form("Commentaire").encode("utf-8"))
    asked = ImportOptions(mapping={"score": QUESTION})
    message = (
        'formulaire.csv: columns 4 ("Commentaire") and 6 ("Commentaire") have the same name, so we cannot '
        "tell which one feeds comment; pick one with --map comment=#4 or --map comment=#6"
    )
    with pytest.raises(ImportRefused, match="^" + re.escape(message) + "$"):
        import_file(store, "responses", path, options=asked)
    assert rows(store, "SELECT count(*) FROM ds_responses") == [(0,)]
    picked = ImportOptions(mapping={"score": QUESTION, "comment": "#6"})
    report = import_file(store, "responses", path, options=picked)
    assert (report.accepted, report.mapping["comment"]) == (3, "Commentaire")
    # column 6 holds "NA" on row 2 only: a text column keeps it, since "NA" may be a value there
    got = rows(store, "SELECT comment FROM ds_responses ORDER BY responded_at")
    assert got == [(None,), ("NA",), (None,)]


# a comma CSV whose free-text column holds ";" on every line and whose line 8 has an unquoted comma:
# ";" gives 2 fields on all 12 records, "," gives 3 on 11 of them: the guess is ";", and wrong
AGENDA = "date,libellé,horaires (matin; après-midi)\n" + "".join(
    f"{day:02d}/10/2025,Permanence {day},9h-12h; 14h-17h\n" for day in range(13, 23)
) + "23/10/2025,Fête, feu d'artifice,21h-22h; 22h-23h\n"


def test_the_delimiter_option_overrides_a_wrong_guess_on_the_command_line(tmp_path):
    path = tmp_path / "agenda.csv"
    path.write_text(AGENDA, encoding="utf-8")
    db = ["--db", str(tmp_path / "cx.duckdb")]
    guessed = CliRunner().invoke(cli, [*db, "import", "events", str(path)])
    assert (guessed.exit_code, guessed.stderr) == (1, (
        'Error: agenda.csv: events needs a column "date", "label"; found: date,libellé,horaires (matin, '
        "après-midi). Rename a column or use --map date=YOUR_HEADER\n"
    ))  # fmt: skip
    forced = CliRunner().invoke(cli, [*db, "import", "events", str(path), "--delimiter", ","])
    assert (forced.exit_code, forced.stdout.splitlines()[:5]) == (0, [
        "import 1: agenda.csv -> events (utf-8, separator ',')",
        # 10 days + the line with an unquoted comma (4 fields), rejected: 1 of 11 = 9 % <= 10 %
        "  rows read 11 = accepted 10 (10 new, 0 updated) + rejected 1 + skipped 0",
        "  read: encoding utf-8 (every byte reads as UTF-8)",
        "  read: separator ',' (chosen with --delimiter)",
        "  read: header on line 1 (3 columns, named most like the dataset's among the first 30 records)",
    ])  # fmt: skip


def test_the_separator_chosen_on_the_data_page_overrides_a_wrong_guess(monkeypatch, tmp_path):
    monkeypatch.setenv("CX_DB", str(tmp_path / "page.duckdb"))
    at = AppTest.from_file("../dashboard/pages/data.py", default_timeout=120).run()
    at.file_uploader(key="data_upload").set_value(("agenda.csv", AGENDA.encode(), "text/csv")).run()
    at.selectbox(key="data_dataset").set_value("events").run()
    # the preview's columns as the page shows them: split on ";" first, then on the chosen ","
    assert ["date,libellé,horaires (matin", "après-midi)"] in [list(d.value.columns) for d in at.dataframe]
    at.selectbox(key="data_delimiter").set_value(",").run()
    shown = [list(d.value.columns) for d in at.dataframe]
    assert ["date", "libellé", "horaires (matin; après-midi)"] in shown
    at.button(key="data_import").click().run()
    assert not at.exception
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Lignes lues"], counts["Acceptées"], counts["Rejetées"]) == ("11", "10", "1")
    assert (
        "encodage utf-8 (tous les octets se lisent en UTF-8)\n"
        "séparateur ',' (choisi avec --delimiter)\n"
        "en-tête en ligne 1 (3 colonnes, nommées au plus près du jeu de données parmi les 30 premiers)"
    ) in [x.value for x in at.text]


def test_compact_dates_read_as_dates(store, tmp_path):
    # 991001 = 1 Oct 1999, 20250914 = 14 Sep 2025, 050101 = 1 Jan 2005 (never Excel serial 50101 = 2037)
    path = tmp_path / "appels.csv"
    path.write_text(
        "n° réponse;date de réponse;région;note\n1;991001;Nord;9\n2;20250914;Nord;7\n3;050101;Sud;3\n",
        encoding="utf-8",
    )
    report = import_file(store, "responses", path)
    assert (report.accepted, report.rejected) == (3, 0)
    assert rows(store, "SELECT response_id, CAST(responded_at AS DATE) FROM ds_responses ORDER BY 1") == [
        ("1", dt.date(1999, 10, 1)), ("2", dt.date(2025, 9, 14)), ("3", dt.date(2005, 1, 1)),
    ]  # fmt: skip
    assert [r.describe("en") for r in report.dates] == [
        'responded_at ("date de réponse"): yymmdd or yyyymmdd (compact: all 3 values are 6 or 8 digits)'
    ]


def test_a_date_format_we_do_not_read_is_named_and_the_column_is_not_blamed(store, tmp_path):
    path = tmp_path / "appels.csv"
    path.write_text(
        "n° réponse;date de réponse;région;note\n1;1 oct. 1999;Nord;9\n2;2 oct. 1999;Nord;7\n",
        encoding="utf-8",
    )
    with pytest.raises(TooManyRejected) as refused:
        import_file(store, "responses", path)
    assert refused.value.fix.why("en") == (
        'values such as "1 oct. 1999" (written 9 aaa. 9999: 9 a digit, a a letter) are in a date format we '
        "do not read: write the dates of responded_at as dd/mm/yyyy, yyyy-mm-dd, yymmdd or yyyymmdd, or "
        "correct those lines"
    )
    assert "check which file column feeds" not in str(refused.value)


def test_an_xlsx_report_names_its_sheet_and_no_separator(tmp_path):
    wb = Workbook()
    wb.active.title = "Réponses"
    wb.active.append(["n° réponse", "date de réponse", "région", "note"])
    wb.active.append(["R1", dt.datetime(2025, 9, 2), "Bretagne", 9])
    path = tmp_path / "reponses.xlsx"
    wb.save(path)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "cx.duckdb"), "import", "responses", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:4] == [
        "import 1: reponses.xlsx -> responses (Excel workbook, sheet Réponses)",
        "  rows read 1 = accepted 1 (1 new, 0 updated) + rejected 0 + skipped 0",
        '  read: sheet "Réponses" (the workbook\'s first sheet; an Excel file has no separator)',
        "  read: header on line 1 (4 columns, named most like the dataset's among the first 30 records)",
    ]
    assert "separator '" not in result.stdout
    forced = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "cx.duckdb"), "import", "responses", str(path), "--delimiter", ";"]
    )
    assert (forced.exit_code, forced.stderr) == (2, (
        "Error: --delimiter ';': reponses.xlsx is an Excel workbook, whose cells need no separator; leave "
        "--delimiter out (--sheet chooses the worksheet)\n"
    ))  # fmt: skip


def test_the_delimiter_is_stored_with_the_import_so_a_rebuild_reads_the_file_the_same_way():
    stored = options_json(ImportOptions(delimiter="\t"))
    assert options_from(json.loads(stored)).delimiter == "\t"
    with pytest.raises(ImportOptionRefused, match=re.escape("--delimiter ':': expected one of ;, ,, tab, |")):
        ImportOptions(delimiter=":")
