"""The Data page: an upload with two bad rows is imported, its reasons shown as text, and rolled back."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.writes import inspect, run_import
from metrics.ingest import history
from metrics.ingest.options import ImportOptions
from metrics.store import open_store

PAGE = "../dashboard/pages/data.py"
# 4 answers; line 3 has a score of 11, line 4 a 31 February -> 2 accepted, 2 rejected
CONTENT = (
    "n° réponse;date de réponse;région;note\r\n"
    "1;02/09/2025;Bretagne;10\r\n"
    "2;02/09/2025;Bretagne;11\r\n"
    "3;31/02/2025;Bretagne;8\r\n"
    "4;03/09/2025;Normandie;3\r\n"
).encode("cp1252")
REASONS_FR = [
    "reponses.csv, ligne 3, colonne note : « 11 » est hors de l'intervalle 0-10",
    "reponses.csv, ligne 4, colonne date de réponse : « 31/02/2025 » n'est pas une date "
    "au format lu pour cette colonne (dd/mm/yyyy)",
]


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "cx.duckdb")
    yield s
    s.close()


def test_upload_header_is_recognised_as_survey_answers():
    assert inspect("reponses.csv", CONTENT).ranked[0] == "responses"


def test_run_import_rejects_the_two_bad_rows_with_their_reasons(store):
    # 2 of 4 rejected = 50 %: stored only because the threshold is lifted to 100 %
    lifted = ImportOptions(max_rejected=100.0)
    report = run_import(store, "responses", inspect("reponses.csv", CONTENT).source, options=lifted)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (4, 2, 2, 0)
    assert report.file_name == "reponses.csv"
    assert [p.render("fr") for p in report.problems] == REASONS_FR
    assert report.problems[0].render("en") == 'reponses.csv, line 3, column note: "11" is outside 0-10'
    rejected = history.rejected_records(store, report.import_id, lang="fr")
    assert list(rejected["line"]) == [3, 4]
    assert list(rejected["note"]) == ["11", "8"]


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    monkeypatch.setenv("CX_DB", str(path))
    return path


def test_uploading_shows_counts_and_reasons_then_rolls_back(empty_db):
    at = AppTest.from_file(PAGE, default_timeout=120).run()  # a new database gets the demo data first
    assert not at.exception
    at.file_uploader(key="data_upload").set_value(("reponses.csv", CONTENT, "text/csv")).run()
    assert at.selectbox(key="data_dataset").value == "responses"
    preview = next(d.value for d in at.dataframe if "note" in d.value.columns)
    assert len(preview) == 4  # the file's rows, as text, before anything is imported
    at.number_input(key="data_max_rejected").set_value(100.0).run()  # 2 of 4 rejected = 50 %: allow it
    at.button(key="data_import").click().run()
    assert not at.exception
    assert not at.error
    counts = {m.label: m.value for m in at.metric}
    assert counts == {
        "Lignes lues": "4",
        "Acceptées": "2",
        "dont lignes existantes remplacées": "0",
        "Rejetées": "2",
        "Ignorées": "0",
    }
    problems = next(d.value for d in at.dataframe if "Problème" in d.value.columns)
    assert list(problems["Problème"]) == REASONS_FR
    new_id = int(at.subheader[0].value.rsplit(" ", 1)[-1])  # "Compte rendu de l'import n° 9"
    choice = next(s for s in at.selectbox if (s.key or "").startswith("data_rollback_id"))
    # the roll-back choice starts on the import just made, never on an id chosen before it
    assert choice.value == new_id
    assert at.button(key="data_rollback").disabled  # nothing is undone before the confirmation
    assert choice.options[0].startswith(f"n° {new_id} · reponses.csv · Réponses aux enquêtes · ")
    at.checkbox(key=f"data_rollback_sure_{new_id}").check().run()
    at.button(key="data_rollback").click().run()
    assert at.success[0].value == (
        f"Import n° {new_id} annulé : 2 lignes retirées, les lignes remplacées rétablies."
    )
    log = next(d.value for d in at.dataframe if "N° import" in d.value.columns).set_index("N° import")
    assert log.loc[new_id, "État"] == "annulé"  # the history drawn after the click is already current
    assert log.loc[new_id, "Jeu de données"] == "Réponses aux enquêtes"
    store = open_store(empty_db)
    try:
        imports = history.list_imports(store).set_index("import_id")
    finally:
        store.close()
    assert imports.loc[new_id, "status"] == "rolled_back"
    assert imports.loc[new_id, "file_name"] == "reponses.csv"


def test_the_mapping_editor_feeds_an_unaliased_column_into_the_import(empty_db, tmp_path):
    # "note_reco" matches no alias: the editor's row for score starts empty; the user picks the header
    from dashboard.components.mapping import chosen_mapping, mapping_frame
    from metrics.ingest.inspection import inspect_file

    content = "n° réponse;date de réponse;région;note_reco\r\n1;02/09/2025;Nord;9\r\n".encode("cp1252")
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    suggested = mapping_frame(inspect_file(path), "responses")  # what the page hands to st.data_editor
    frame = suggested.copy()
    score = frame["column"] == "score"
    assert frame.loc[score, "Colonne du fichier"].item() == "–"  # not mapped
    assert frame.loc[frame["column"] == "region", "Colonne du fichier"].item() == "région"
    frame.loc[score, "Colonne du fichier"] = "note_reco"  # the user's edit
    mapping = chosen_mapping(frame, "responses", suggested)
    assert mapping == {"score": "note_reco"}  # only the change: the import's aliases do the rest
    store = open_store(empty_db)
    try:
        report = run_import(store, "responses", inspect("export.csv", content).source, mapping=mapping)
    finally:
        store.close()
    assert (report.accepted, report.rejected) == (1, 0)


def test_two_columns_sharing_a_name_are_offered_by_position_and_one_can_be_picked(empty_db, tmp_path):
    # a Google Forms section repeats "Commentaire": the editor offers "#4 Commentaire" and
    # "#5 Commentaire"; the user's pick reaches the import as "#5" (the CLI's --map comment=#5)
    from dashboard.components.mapping import choices, chosen_mapping, mapping_frame
    from metrics.ingest.inspection import inspect_file

    content = ("n° réponse;date de réponse;région;Commentaire;Commentaire;note\r\n"
               "1;02/09/2025;Nord;accueil;trop long;9\r\n").encode("cp1252")
    path = tmp_path / "form.csv"
    path.write_bytes(content)
    seen = inspect_file(path)
    assert choices(seen.headers) == ["n° réponse", "date de réponse", "région", "#4 Commentaire",
                                     "#5 Commentaire", "note"]
    suggested = mapping_frame(seen, "responses")
    frame = suggested.copy()
    frame.loc[frame["column"] == "comment", "Colonne du fichier"] = "#5 Commentaire"
    mapping = chosen_mapping(frame, "responses", suggested)
    assert mapping == {"comment": "#5"}
    store = open_store(empty_db)
    try:
        report = run_import(store, "responses", inspect("form.csv", content).source, mapping=mapping)
        with store.cursor() as cur:
            assert cur.execute("SELECT comment FROM ds_responses").fetchall() == [("trop long",)]
    finally:
        store.close()
    assert report.accepted == 1


# a survey export whose score header matches no alias: it holds "site" and "région", so it fills the
# required columns of Sites, and an import into Sites would overwrite the two sites below
SURVEY = (
    "n° réponse;date de réponse;site;région;Note reco client\r\n"
    "1;02/09/2025;IDF-BTQ01;Île-de-France;9\r\n"
    "2;02/09/2025;NOR-BTQ01;Normandie;3\r\n"
    "3;03/09/2025;NEW-BTQ09;Normandie;7\r\n"
).encode("cp1252")
SITES = (
    "code site;région;type de site;nom du site\r\n"
    "IDF-BTQ01;Île-de-France;Interne;Boutique Paris\r\n"
    "NOR-BTQ01;Normandie;Interne;Boutique Rouen\r\n"
    "BRE-BTQ01;Bretagne;Interne;Boutique Rennes\r\n"
).encode()


@pytest.fixture
def sites_db(tmp_path, monkeypatch):
    path = tmp_path / "sites.duckdb"
    store = open_store(path)
    try:
        run_import(store, "sites", inspect("sites.csv", SITES).source)
    finally:
        store.close()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def test_a_survey_file_with_an_unknown_score_header_gets_no_guess_and_no_import_button(sites_db):
    from dashboard.components.uploads import guess

    assert guess(inspect("reponses.csv", SURVEY).headers) is None
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value(("reponses.csv", SURVEY, "text/csv")).run()
    assert not at.exception
    assert at.selectbox(key="data_dataset").value is None  # the user chooses; nothing chosen for them
    texts = [x.value for x in at.text]
    assert "Jeu de données non reconnu avec certitude : choisissez-le ci-dessous." in texts
    assert not [b for b in at.button if b.key == "data_import"]


def test_importing_into_sites_names_the_sites_it_would_update_and_waits_for_a_confirmation(sites_db):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value(("reponses.csv", SURVEY, "text/csv")).run()
    at.selectbox(key="data_dataset").set_value("sites").run()
    texts = [x.value for x in at.text]
    # IDF-BTQ01 and NOR-BTQ01 exist already; NEW-BTQ09 would be new -> 2 updates, listed in key order
    assert "⚠ L'import mettra à jour 2 lignes existantes de « Sites » : IDF-BTQ01, NOR-BTQ01" in texts
    assert "⚠ Le fichier n'a pas été reconnu : vérifiez qu'il s'agit bien de « Sites »." in texts
    assert at.button(key="data_import").disabled
    assert _site_names(sites_db)[0] == ("BRE-BTQ01", "Boutique Rennes")  # nothing touched yet
    at.checkbox(key="data_confirm_sites").check().run()
    at.button(key="data_import").click().run()
    counts = {m.label: m.value for m in at.metric}
    # 3 accepted, of which 2 replaced IDF-BTQ01 and NOR-BTQ01
    assert (counts["Acceptées"], counts["dont lignes existantes remplacées"]) == ("3", "2")
    assert not at.get("progress")  # the bar is gone once the report is shown


def test_a_file_that_matches_its_detection_and_adds_rows_needs_no_confirmation(sites_db):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value(("reponses.csv", CONTENT, "text/csv")).run()
    assert at.selectbox(key="data_dataset").value == "responses"
    assert not [c for c in at.checkbox if c.key.startswith("data_confirm")]
    assert not at.button(key="data_import").disabled


def _site_names(path):
    store = open_store(path)
    try:
        with store.cursor() as cur:
            return cur.execute("SELECT site, name FROM ds_sites ORDER BY site").fetchall()
    finally:
        store.close()


MARKDOWN_HEADER = "![p](http://evil.example/p.png)"
MARKDOWN_NAME = "[clic ici](http://evil.example) <img src=x>.csv"


def test_markdown_in_a_refused_file_header_and_name_is_shown_literally(sites_db):
    from markdown_it import MarkdownIt

    # no column of any dataset: the import refuses, quoting the header and the file name
    content = f"{MARKDOWN_HEADER};<b>x</b>\r\n1;2\r\n".encode()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value((MARKDOWN_NAME, content, "text/csv")).run()
    at.selectbox(key="data_dataset").set_value("responses").run()
    at.button(key="data_import").click().run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert shown, "the refusal is shown"
    for body in shown:
        html = MarkdownIt("commonmark").render(body)
        assert "<a " not in html, html
        assert "<img" not in html, html
        assert "<b>" not in html, html
        assert "evil" in html  # the text itself is still there, to be read
        assert "http://" not in html  # a browser's GFM would autolink a bare URL


def test_importing_the_same_file_twice_is_refused_in_french_without_a_cli_command(empty_db):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.file_uploader(key="data_upload").set_value(("reponses.csv", CONTENT, "text/csv")).run()
    at.number_input(key="data_max_rejected").set_value(100.0).run()
    at.button(key="data_import").click().run()
    first = int(at.subheader[0].value.rsplit(" ", 1)[-1])
    at.run()  # the page drawn after the import knows its rows exist now: confirm the update
    at.checkbox(key="data_confirm_responses").check().run()
    at.button(key="data_import").click().run()
    assert not at.exception
    # the error box escapes Markdown punctuation: read it back as the user sees it
    shown = at.error[0].value.replace("\u2060", "").replace("\\", "")
    assert shown.startswith(f"reponses.csv a déjà été importé dans responses (import {first} du ")
    assert shown.endswith(
        f"; annulez d'abord l'import n° {first} dans l'historique ci-dessous pour réimporter le même fichier"
    )
    assert "python -m" not in shown


def test_a_complaints_file_mostly_without_closing_dates_is_imported_with_the_warning(empty_db):
    content = ("n° réclamation;date d'ouverture;région;date de clôture\n"
               "s1;02/09/2025;Nord;\ns2;03/09/2025;Nord;\ns3;04/09/2025;Nord;05/09/2025\n").encode()
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value(("plaintes.csv", content, "text/csv")).run()
    at.selectbox(key="data_dataset").set_value("complaints").run()
    at.button(key="data_import").click().run()
    assert not at.exception
    # shown literally: Markdown escapes taken off to read the sentence
    shown = [w.value.replace("\\", "").replace("\u2060", "") for w in at.warning]
    warned = [w for w in shown if "closed_at" in w]
    # 2 of 3 without a closing date: 67 %
    assert len(warned) == 1
    assert "67 %" in warned[0]
    assert "comptent ces dossiers comme ouverts pour toujours" in warned[0]


def test_figures_follow_an_import_without_dropping_every_cache(tmp_path, monkeypatch):
    # cached figures are keyed on the data version: an import moves it, so the next run reads anew
    from streamlit.testing.v1 import AppTest

    from metrics.ingest.importing import import_file

    db = tmp_path / "cx.duckdb"
    monkeypatch.setenv("CX_DB", str(db))
    header = "n° réponse;date de réponse;région;note\r\n"
    first = tmp_path / "a.csv"
    first.write_text(header + "1;02/09/2026;Nord;10\r\n2;03/09/2026;Nord;0\r\n", encoding="utf-8")
    store = open_store(db)
    import_file(store, "responses", first)
    store.close()

    def nps():
        at = AppTest.from_file("../dashboard/pages/trajectory.py", default_timeout=120).run()
        assert not at.exception
        return next(m.value for m in at.metric if m.label.startswith("NPS"))

    assert nps().startswith("0")  # (1 promoter - 1 detractor) / 2
    more = tmp_path / "b.csv"
    more.write_text(header + "3;04/09/2026;Nord;9\r\n4;05/09/2026;Nord;10\r\n", encoding="utf-8")
    store = open_store(db)
    import_file(store, "responses", more)
    store.close()
    assert nps().startswith("50")  # (3 - 1) / 4
