"""Each role on the pages (AppTest's simulated signed-in reader): what it sees, and what it cannot reach."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages_demo import demo_db
from tests.support import AUTH, ROLES_ACCESS

ACCESS = ROLES_ACCESS + """
[[grant]]
who = "data@example.com"
role = "data_steward"
"""


@pytest.fixture(scope="module")
def own_demo(tmp_path_factory):
    """A copy of the shared demo: a signed-in page records the access file in its audit trail."""
    import shutil

    path = tmp_path_factory.mktemp("signed-in") / "cx.duckdb"
    shutil.copyfile(demo_db(), path)
    return path


@pytest.fixture
def signed_in(monkeypatch, tmp_path, own_demo):
    monkeypatch.setenv("CX_DB", str(own_demo))
    access = tmp_path / "access.toml"
    access.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("CX_ACCESS_FILE", str(access))


def run(page, email=None, **params):
    at = AppTest.from_file(f"../dashboard/pages/{page}.py", default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def texts(at):
    return [e.value for kind in ("markdown", "caption", "info", "warning", "text") for e in getattr(at, kind)]


def test_without_an_identity_provider_the_page_says_it_is_local_and_open_to_all(monkeypatch):
    monkeypatch.setenv("CX_DB", str(demo_db()))
    at = AppTest.from_file("../dashboard/pages/trajectory.py", default_timeout=60).run()
    assert any("Mode local, sans connexion" in c.value for c in at.caption)
    assert at.metric  # the figures


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in_button(signed_in):
    at = run("trajectory")
    assert [b.label for b in at.button] == ["Se connecter"]
    assert not at.metric
    assert not at.dataframe


def test_someone_the_access_file_does_not_name_sees_one_sentence(signed_in):
    at = run("trajectory", "stranger@example.com")
    assert [w.value for w in at.warning] == [
        "Votre compte n'a accès à aucune page de ce tableau de bord : demandez un accès à son administrateur."
    ]
    assert not at.metric


def test_a_staff_representative_opens_workload_only(signed_in):
    assert [w.value for w in run("trajectory", "rep@example.com").warning] == [
        "Votre rôle ne donne pas accès à cette page."
    ]
    for page in ("regions", "verbatims", "data", "targets"):
        assert not run(page, "rep@example.com").dataframe, page
    workload = run("workload", "rep@example.com")
    assert workload.dataframe  # the teams' workload, small teams merged as for everyone


def test_a_regional_director_sees_every_region_in_the_league_but_only_their_sites(signed_in):
    at = run("regions", "dir@example.com")
    league = at.dataframe[0].value
    assert len(league) == 9  # the league of all nine regions
    # a link drilling into another region shows nothing of it
    other = run("regions", "dir@example.com", drill="Normandie")
    tables = [d.value for d in other.dataframe]
    assert not any("Site" in t.columns and len(t) for t in tables[1:])
    mine = run("regions", "dir@example.com", drill="Bretagne")
    assert any("Site" in t.columns and len(t) for t in (d.value for d in mine.dataframe))


def test_a_regional_director_asking_for_another_region_in_the_url_gets_no_figure_of_it(signed_in):
    at = run("trajectory", "dir@example.com", region="Normandie")
    # the filter offers only what the director reads: Normandie is refused as a value not in the data
    assert any("Le lien demande region" in w.value and "Normandie" in w.value for w in at.warning)
    # what it shows is the director's own scope, said as such, never "the company"
    assert any("Périmètre : Bretagne" in c.value for c in at.caption)


def test_only_a_data_steward_reaches_the_import_page(signed_in):
    assert [w.value for w in run("data", "boss@example.com").warning] == [
        "Votre rôle ne donne pas accès à cette page."
    ]
    steward = run("data", "data@example.com")
    assert steward.get("file_uploader")


def test_the_data_page_shows_who_changed_what(signed_in):
    at = run("data", "data@example.com")
    trail = next(d.value for d in at.dataframe if "Qui" in d.value.columns)
    # the demo the dashboard loaded on its empty database, by the command line's local admin; and the
    # access file, recorded with its owner on the server when a signed-in page first read it
    assert set(trail["Quoi"]) == {"Démo", "Accès"}
    assert all(w.endswith("(local)") for w in trail.loc[trail["Quoi"] == "Démo", "Qui"])
    assert all(w.endswith("(owner of the file)") for w in trail.loc[trail["Quoi"] == "Accès", "Qui"])


def test_a_new_access_file_is_in_the_audit_trail_after_the_first_signed_in_page(signed_in, own_demo):
    from metrics.access import audit
    from metrics.store import Store

    run("trajectory", "boss@example.com")
    trail = audit.entries(Store(own_demo))
    mine = trail[trail["action"] == "access"]
    assert len(mine) == 1  # the same file read again (every click) is not a new version
    run("regions", "dir@example.com")
    assert len(audit.entries(Store(own_demo)).query("action == 'access'")) == 1
    assert "dir@example.com: regional_director (Bretagne)" in mine["detail"].iloc[0]
