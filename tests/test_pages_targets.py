"""The Targets page: an impossible target is rejected with its reason, changes nothing; a valid one is saved.

AppTest cannot type into `st.data_editor` (its `set_value` raises), so edits go through
`dashboard.writes.save_targets`, the function the Save button calls with the edited table; the page
is then run to show that table and the report.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import writes
from metrics.ingest.target_table import list_targets
from metrics.store import open_store
from tests.pages_demo import demo_db

PAGE = "../dashboard/pages/targets.py"
REASON_FR = "ligne 4, colonne target : « 140.0 » est une valeur impossible pour cet indicateur"


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A copy of the demo database, since these tests write to it."""
    path = tmp_path / "cx.duckdb"
    shutil.copy(demo_db(), path)
    monkeypatch.setenv("CX_DB", str(path))
    return path


def company_nps(store, year=2026):
    got = list_targets(store, year)
    return got.loc[(got["metric"] == "nps") & got["region"].isna(), "target"].tolist()


def edit_company_nps(path, value):
    """What the page sends after the user types `value` into the company NPS cell of 2026."""
    store = open_store(path)
    try:
        edited = list_targets(store, 2026)
        assert company_nps(store) == [40.0]  # the demo target
        edited.loc[(edited["metric"] == "nps") & edited["region"].isna(), "target"] = value
        report = writes.save_targets(store, edited)
        after = company_nps(store)
    finally:
        store.close()
    return report, after


def test_page_shows_the_targets_of_the_newest_year_with_names_units_and_french_decimals(db):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.selectbox(key="targets_year_fr").value == 2026
    shown = at.data_editor[0].value
    assert len(shown) == 5
    company = shown["region"] == "(toute l'entreprise)"
    assert shown.loc[(shown["metric"] == "NPS") & company, "target"].tolist() == ["40"]
    assert "first_time_fix_rate" not in set(shown["metric"])  # names, never keys
    assert set(shown.loc[shown["metric"] == "NPS", "range"]) == {"de -100 à 100"}
    ftf = shown["metric"] == "Résolution dès la 1re visite"
    assert shown.loc[ftf, "range"].tolist() == ["de 0\xa0% à 100\xa0%"]
    rate = shown.loc[shown["metric"] == "Réclamations pour 1 000 clients", "target"].tolist()
    assert rate == ["2,5"]  # the demo's 2.5 per 1,000, with a French decimal comma


def test_the_editor_rows_come_back_as_keys_and_numbers_and_out_of_range_targets_are_refused():
    from dashboard.components.targets import changes, check

    edited = pd.DataFrame(
        {
            "year": [2026, 2026, 2026, 2026],
            "metric": ["NPS", "Résolution dès la 1re visite", "NPS", "Réclamations pour 1 000 clients"],
            "range": ["", "", "", ""],
            "target": ["42", "85,5", "123,1", "-1"],
            "region": ["(toute l'entreprise)", "Bretagne", "Nord", "(toute l'entreprise)"],
        }
    )
    got = check(edited)
    assert got.rows.to_dict("records") == [
        {"year": 2026, "metric": "nps", "target": 42.0, "region": None},
        {"year": 2026, "metric": "first_time_fix_rate", "target": 85.5, "region": "Bretagne"},
    ]
    assert got.problems == (
        "Ligne 3 : NPS ne peut pas valoir 123,1 ; valeurs possibles : de -100 à 100.",
        "Ligne 4 : Réclamations pour 1 000 clients ne peut pas valoir -1 ; "
        "valeurs possibles : 0\u202f‰ ou plus.",  # babel: a narrow no-break space before ‰
    )
    current = pd.DataFrame(
        {"year": [2026], "metric": ["nps"], "target": [40.0], "region": [None]}
    )
    assert changes(current, got.rows) == [
        "2026 · NPS · (toute l'entreprise) : 40 → 42",
        "2026 · Résolution dès la 1re visite · Bretagne : nouvel objectif 85,5\xa0%",
    ]


def test_impossible_nps_is_rejected_with_its_reason_and_the_target_stays(db):
    report, after = edit_company_nps(db, 140)
    # 5 rows sent (2026: 4 company targets + Île-de-France NPS); line 4 of the file is the company NPS
    assert (report.rows_read, report.rejected) == (5, 1)
    assert report.problems[0].render("fr").endswith(REASON_FR)
    assert after == [40.0]
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["targets_report"] = report
    at.run()
    assert dict((m.label, m.value) for m in at.metric)["Rejetées"] == "1"
    assert at.dataframe[-1].value["Problème"].iloc[0].endswith(REASON_FR)


def test_valid_nps_edit_is_saved(db):
    report, after = edit_company_nps(db, 41)
    assert report.rejected == 0
    assert report.problems == ()
    assert after == [41.0]
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    shown = at.data_editor[0].value
    company = shown["region"] == "(toute l'entreprise)"
    assert shown.loc[(shown["metric"] == "NPS") & company, "target"].tolist() == ["41"]


def test_reviewing_an_unchanged_table_says_so_in_french_and_offers_no_save(db):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.button(key="targets_review").click().run()
    assert not at.exception
    assert not at.error
    infos = [i.value for i in at.info]
    assert "Aucun changement à enregistrer : ces objectifs sont déjà ceux en vigueur." in infos
    assert not [b for b in at.button if b.key == "targets_save"]
