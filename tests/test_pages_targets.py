"""The Targets page: an impossible target is rejected with its reason, changes nothing; a valid one is saved.

AppTest cannot type into `st.data_editor` (its `set_value` raises), so edits go through
`dashboard.data.save_targets`, the function the Save button calls with the edited table; the page
is then run to show that table and the report.
"""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from metrics.store import open_store
from metrics.targets import list_targets
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
        report = data.save_targets(store, edited)
        after = company_nps(store)
    finally:
        store.close()
    return report, after


def test_page_shows_the_targets_of_the_newest_year(db):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.selectbox(key="targets_year").value == 2026
    shown = at.data_editor[0].value
    assert len(shown) == 5
    assert shown.loc[(shown["metric"] == "nps") & (shown["region"] == ""), "target"].tolist() == [40.0]
    assert set(shown.loc[shown["metric"] == "first_time_fix_rate", "label"]) == {
        "Résolution dès la 1re visite"
    }


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
    assert shown.loc[(shown["metric"] == "nps") & (shown["region"] == ""), "target"].tolist() == [41.0]


def test_save_button_reports_then_refuses_an_unchanged_table(db):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.button(key="targets_save").click().run()
    assert not at.exception
    assert not at.error
    assert dict((m.label, m.value) for m in at.metric)["Rejetées"] == "0"
    at.button(key="targets_save").click().run()
    assert at.error[0].value == "no change to save: these targets are already the current ones"
    assert not at.metric  # the earlier report is gone: nothing was saved this time
