"""The follow-ups page (AppTest): the queue, its figures, an edit through the data editor, and each role."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from metrics import clock
from metrics.ingest.importing import import_file
from metrics.store import open_store
from tests.support import AUTH, ROLES_ACCESS

PAGE = "../dashboard/pages/followups.py"
NOW = dt.datetime(2026, 10, 15, 12, 0)
EDITOR = "followups_editor"
# Bretagne: two detractors and a promoter; Normandie: one detractor
ANSWERS = (
    "n° réponse;date de réponse;région;site;note;commentaire;client\n"
    "B1;2026-09-01 10:00;Bretagne;BRE-1;0;[Lien](http://exemple.fr);C1\n"
    "B2;2026-09-03 10:00;Bretagne;BRE-1;6;;C2\n"
    "P1;2026-09-01 10:00;Bretagne;BRE-1;10;;C3\n"
    "N1;2026-09-02 09:30;Normandie;NOR-1;1;;C4\n"
)
ACCESS = ROLES_ACCESS


@pytest.fixture
def db(monkeypatch, tmp_path):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    path = tmp_path / "cx.duckdb"
    src = tmp_path / "reponses.csv"
    src.write_text(ANSWERS, encoding="utf-8")
    store = open_store(path)
    import_file(store, "responses", src)
    store.close()
    monkeypatch.setenv("CX_DB", str(path))
    return path


@pytest.fixture
def signed_in(monkeypatch, tmp_path, db):
    access = tmp_path / "access.toml"
    access.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("CX_ACCESS_FILE", str(access))


def page(email=None, **params):
    at = AppTest.from_file(PAGE, default_timeout=120)
    if email:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def follow_ups(path):
    store = open_store(path)
    try:
        with store.cursor() as cur:
            return cur.execute(
                "SELECT source_id, owner, status, outcome, updated_by FROM follow_ups ORDER BY 1"
            ).fetchall()
    finally:
        store.close()


def regions_of(at):
    """The per-region table: the second table of the page, after the editor."""
    return at.dataframe[1].value


def edit(at, rows):
    at.session_state[EDITOR] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    return at


def test_the_page_shows_the_queue_and_the_figures_per_region(db):
    at = page()
    assert [t.value for t in at.title] == ["Rappeler les clients détracteurs"]
    queue = at.data_editor(key=EDITOR).value
    # the three detractors, most overdue first (due 48 h after the answer); the promoter is no case
    assert queue["N°"].tolist() == ["B1", "N1", "B2"]
    assert queue["Échéance"].tolist() == ["3 sept. 2026, 10:00", "4 sept. 2026, 09:30", "5 sept. 2026, 10:00"]
    assert queue["Statut"].tolist() == ["open", "open", "open"]  # keys, shown as words by the column
    # a lone comment is under the floor of 10: withheld, and the page says so
    assert (queue["Verbatim"] == "").all()  # hidden: a blank cell, never "None"
    assert any("Verbatims masqués" in c.value for c in at.caption)
    regions = regions_of(at)
    assert regions[["Région", "Cas", "Clos", "Taux de clôture"]].values.tolist() == [
        ["Bretagne", "2", "0", "0\xa0%"],
        ["Normandie", "1", "0", "0\xa0%"],
    ]
    assert [t.value for t in at.text] == [
        "Trop peu de réponses ultérieures pour comparer (minimum par groupe : 10)."
    ]


def test_an_edit_in_the_data_editor_reaches_the_table_and_the_figures(db):
    at = page()
    edit(at, {0: {"Responsable": "Anne", "Statut": "closed", "Résultat de l'appel": "reached"}})
    assert follow_ups(db) == [("B1", "Anne", "closed", "reached", f"{_local_user()} (local)")]
    assert [s.value for s in at.success] == ["Cas enregistrés : 1."]
    # the "to do" queue no longer lists B1; Bretagne has closed 1 case of 2
    assert at.data_editor(key=EDITOR).value["N°"].tolist() == ["N1", "B2"]
    regions = regions_of(at)
    assert regions[["Région", "Clos", "Taux de clôture"]].values.tolist()[0] == ["Bretagne", "1", "50\xa0%"]


def test_closing_without_an_outcome_is_refused_on_the_page_and_nothing_is_stored(db):
    at = page()
    edit(at, {0: {"Statut": "closed"}})
    assert follow_ups(db) == []
    # shown literally (plain.literal escapes the punctuation Markdown would read)
    assert [e.value.replace("\\", "") for e in at.error] == [
        "pour clore response B1, indiquez le résultat de l'appel (reached, not_reached, resolved)"
    ]


def test_the_page_reads_in_english(db):
    at = page(lang="en")
    assert [t.value for t in at.title] == ["Closing the loop with detractors"]
    queue = at.data_editor(key=EDITOR).value
    assert list(queue.columns)[:3] == ["Source", "Id", "Date"]
    assert queue["Due"].tolist()[0] == "Sep 3, 2026, 10:00\u202fAM"
    assert regions_of(at)["Close rate"].tolist() == ["0%", "0%"]


def test_a_regional_director_sees_and_changes_their_own_region_only(signed_in, db):
    at = page("dir@example.com")
    assert at.data_editor(key=EDITOR).value["N°"].tolist() == ["B1", "B2"]
    assert regions_of(at)["Région"].tolist() == ["Bretagne"]
    edit(at, {1: {"Responsable": "Yann", "Statut": "in_progress"}})
    assert follow_ups(db) == [("B2", "Yann", "in_progress", None, "dir@example.com")]


def test_an_executive_reads_the_queue_but_an_edit_writes_nothing(signed_in, db):
    at = page("boss@example.com")
    assert any("Lecture seule" in c.value for c in at.caption)
    edit(at, {0: {"Responsable": "Anne"}})
    assert follow_ups(db) == []


def test_a_staff_representative_does_not_open_the_page(signed_in, db):
    at = page("rep@example.com")
    assert [w.value for w in at.warning] == ["Votre rôle ne donne pas accès à cette page."]
    assert not at.dataframe


def _local_user():
    import getpass

    return getpass.getuser()
