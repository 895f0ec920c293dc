"""The Data page's reading options (issue 12): date order, survey tool, row id, constants, threshold,
and the whole-file refusal shown with its reasons and fix, in French, as text."""

from __future__ import annotations

import re

import pandas as pd
from streamlit.testing.v1 import AppTest

PAGE = "../dashboard/pages/data.py"
# English headers, US dates all with both fields <= 12 (1-4 November 2019): ambiguous
FORM = (
    b"Timestamp,Region,Score\r\n"
    b"11/1/2019 8:51:12,North,9\r\n"
    b"11/2/2019 10:02:45,North,7\r\n"
    b"11/3/2019 17:30:00,South,10\r\n"
    b"11/4/2019 4:33:11,South,3\r\n"
)
# 4 answers; line 3 has a score of 11, line 4 a 31 February -> 2 of 4 rejected = 50 % > 10 %
TWO_BAD = (
    "n° réponse;date de réponse;région;note\r\n"
    "1;02/09/2025;Bretagne;10\r\n2;02/09/2025;Bretagne;11\r\n"
    "3;31/02/2025;Bretagne;8\r\n4;03/09/2025;Normandie;3\r\n"
).encode("cp1252")


def _page(monkeypatch, tmp_path, name, content):
    monkeypatch.setenv("CX_DB", str(tmp_path / "page.duckdb"))
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.file_uploader(key="data_upload").set_value((name, content, "text/csv")).run()
    return at


def test_ambiguous_dates_are_refused_then_read_with_the_chosen_order_and_preset(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, "form.csv", FORM)
    at.selectbox(key="data_dataset").set_value("responses").run()
    at.button(key="data_import").click().run()
    assert not at.exception
    # the error box escapes file text against Markdown (issue 15): read it back as the user sees it
    shown = re.sub(r"\\(.)", r"\1", at.error[0].value.replace("\u2060", ""))
    # the page's language, and the page's fix (the option below) rather than the CLI's --date-order
    assert shown.startswith('form.csv, colonne « Timestamp » (responded_at) : des dates comme "11/1/2019"')
    assert shown.endswith("choisissez l'ordre dans « Ordre des dates », sous « Options de lecture »")
    at.selectbox(key="data_date_order").set_value("mdy").run()
    at.selectbox(key="data_preset").set_value("google-forms").run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert not at.error
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Lignes lues"], counts["Acceptées"], counts["Rejetées"]) == ("4", "4", "0")
    notes = [x.value for x in at.text]
    assert 'responded_at ("Timestamp"): mm/dd/yyyy (imposé par --date-order)' in notes


def test_a_mostly_rejected_file_shows_the_refusal_summary_with_the_fix(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, "reponses.csv", TWO_BAD)
    at.button(key="data_import").click().run()
    assert not at.exception
    assert at.error[0].value == "Fichier refusé : rien n'a été importé. Détail et correction :"
    assert at.code[0].value == (
        "reponses.csv : 2 lignes sur 4 seraient rejetées (50 %, au-delà de --max-rejected 10 %) ; "
        "rien n'a été importé. Raisons les plus fréquentes :\n"
        "  1 x ligne 3, colonne note : « 11 » est hors de l'intervalle 0-10\n"
        "  1 x ligne 4, colonne date de réponse : « 31/02/2025 » n'est pas une date au format lu pour "
        "cette colonne (dd/mm/yyyy)\n"
        "Correction : vérifiez quelle colonne du fichier alimente score : --map score=EN-TETE"
    )
    assert not [m for m in at.metric if m.label == "Acceptées"]  # no report: nothing was imported


def test_the_row_id_checkbox_and_threshold_reach_the_import(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, "reponses.csv", TWO_BAD)
    at.checkbox(key="data_row_id").check().run()
    at.number_input(key="data_max_rejected").set_value(50.0).run()  # 2 of 4 = 50 %: at the threshold
    at.button(key="data_import").click().run()
    assert not at.exception
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Acceptées"], counts["Rejetées"]) == ("2", "2")
    # the sentence the CLI prints too, with babel's no-break space before %
    assert "2 lignes sur 4 rejetées (50\xa0%) : import partiel." in [w.value for w in at.warning]


def test_typed_constants_become_set_options():
    from dashboard.components.import_options import chosen_constants

    edited = pd.DataFrame(
        {"column": ["region", "site", "channel"], "Colonne attendue": ["R", "S", "C"],
         "Valeur": [" Bretagne ", "", None]}
    )
    assert chosen_constants(edited) == {"region": "Bretagne"}


def test_a_qualtrics_export_shows_the_rows_skipped_by_reason(monkeypatch, tmp_path):
    # line 2 question texts, 3 ImportIds (description rows), 4 a preview, 5 unfinished, 6 an answer
    content = (
        b"ResponseId,RecordedDate,Status,Finished,region,score\n"
        b"Response ID,Recorded Date,Response Type,Finished,Region,How likely?\n"
        b'"{""ImportId"":""_recordId""}","{""ImportId"":""recordedDate""}","{""ImportId"":""status""}",'
        b'"{""ImportId"":""finished""}","{""ImportId"":""QID2""}","{""ImportId"":""QID1""}"\n'
        b"R_1,2025-09-02 10:05:01,Survey Preview,1,Nord,9\n"
        b"R_2,2025-09-02 11:05:01,IP Address,0,Nord,8\n"
        b"R_3,2025-09-02 12:05:01,IP Address,1,Sud,7\n"
    )
    at = _page(monkeypatch, tmp_path, "qualtrics.csv", content)
    at.selectbox(key="data_dataset").set_value("responses").run()
    at.button(key="data_import").click().run()
    assert not at.exception
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Lignes lues"], counts["Acceptées"], counts["Ignorées"]) == ("5", "1", "4")
    assert (
        "2 x ligne de description sous l'en-tête (export d'outil d'enquête), ignorée\n"
        "1 x réponse de prévisualisation de l'enquête, ignorée\n"
        "1 x réponse non terminée, ignorée"
    ) in [x.value for x in at.text]


# a complaints system's history: one line per state change, the line's time under "date de clôture"
HISTORY = (
    "n° réclamation;état;date d'ouverture;date de clôture;région\r\n"
    "c1;Ouvert;02/09/2025;02/09/2025;Nord\r\nc1;Clos;02/09/2025;05/09/2025;Nord\r\n"
    "c2;Ouvert;03/09/2025;03/09/2025;Nord\r\nc2;En cours;03/09/2025;04/09/2025;Nord\r\n"
).encode("cp1252")


def test_keep_and_closed_when_reach_the_import_and_the_report_says_so(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path, "historique.csv", HISTORY)
    at.selectbox(key="data_dataset").set_value("complaints").run()
    at.text_input(key="data_closed_when").input("état").run()  # no states: said, and the rule dropped
    assert not at.exception
    assert "la forme attendue est COLONNE=ÉTAT" in at.error[0].value.replace("\\", "").replace("\u2060", "")
    at.selectbox(key="data_keep").set_value("last").run()
    at.text_input(key="data_closed_when").input("état=clos").run()
    assert not at.error
    at.button(key="data_import").click().run()
    assert not at.exception
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Lignes lues"], counts["Acceptées"], counts["Rejetées"]) == ("4", "2", "0")
    notes = "\n".join(x.value for x in at.text)
    # c1's last line is Clos (closed 05/09), c2's is En cours (open although its line has a date)
    said = "clos quand état = clos (1 sur 2 dossiers clos, datés par « date de clôture » de leur ligne)"
    assert said in notes
