"""Who sees and who changes what: the access file, rights checked in metrics/, reads scoped in the store."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.access import audit
from metrics.access.caller import AccessDenied, Caller
from metrics.access.policy import caller_for, read_grants
from metrics.access.roles import ROLES, Action
from metrics.access.scoped import ScopedStore, scoped
from metrics.errors import CxError
from metrics.ingest import history
from metrics.ingest.importing import import_file
from metrics.ingest.rebuild import rebuild
from metrics.ingest.target_table import list_targets, save_targets
from metrics.semantic.definitions import METRICS, metric
from metrics.semantic.query import dimensions_of, metric_frame
from metrics.store import open_store
from tests.support import snapshot

ACCESS = """
[[grant]]
who = "Marie.Durand@example.com"
role = "regional_director"
regions = ["Bretagne", "Normandie"]

[[grant]]
group = "cx-executives"
role = "executive"

[[grant]]
who = "rep-42"
role = "staff_representative"
"""

DIRECTOR = Caller(who="marie", roles=("regional_director",), regions=("Bretagne",))
EXECUTIVE = Caller(who="eve", roles=("executive",))
STAFF = Caller(who="rep", roles=("staff_representative",))
STEWARD = Caller(who="sam", roles=("data_steward",))


def test_the_access_file_names_people_by_email_or_sub_and_groups_by_claim(tmp_path):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    grants = read_grants(path)
    marie = caller_for({"email": "marie.durand@example.com", "sub": "x1"}, grants)
    assert (marie.roles, marie.regions, marie.region_filter) == (
        ("regional_director",), ("Bretagne", "Normandie"), ("Bretagne", "Normandie")
    )
    # a group in the `groups` or `roles` claim: every region
    boss = caller_for({"email": "boss@example.com", "groups": ["staff", "cx-executives"]}, grants)
    assert (boss.roles, boss.region_filter) == (("executive",), None)
    assert caller_for({"sub": "rep-42"}, grants).roles == ("staff_representative",)
    # nobody the file names is nobody: no role, no figure
    assert caller_for({"email": "intruder@example.com", "groups": ["cx-execs"]}, grants) is None
    # a director who is also in the executives' group reads every region
    both = caller_for({"email": "marie.durand@example.com", "roles": "cx-executives"}, grants)
    assert both.region_filter is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[grant]]\nwho = "a@b.fr"\nrole = "boss"\n', r"access.toml, grant 1: role 'boss' is not one of"),
        ('[[grant]]\nwho = "a@b.fr"\nrole = "regional_director"\n',
         r"grant 1: a regional_director needs regions"),
        ('[[grant]]\nrole = "executive"\n', r"grant 1: give either who"),
        ("[[grant]\n", r"access.toml: not a valid access file"),
    ],
)
def test_a_malformed_access_file_is_refused_with_the_grant_and_its_problem(tmp_path, text, message):
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CxError, match=message):
        read_grants(path)


def test_rights_come_from_the_roles_table():
    assert ROLES["staff_representative"].pages == {"workload"}
    assert not STAFF.verbatims
    assert "responses" not in STAFF.datasets
    assert Caller.local().roles == ("admin",)
    assert Caller.local().who.endswith("(local)")
    with pytest.raises(AccessDenied, match=r"eve may not import files"):
        EXECUTIVE.require(Action.IMPORT)


RESPONSES = (
    "n° réponse;date de réponse;région;site;note;commentaire\n"
    "b1;02/09/2025;Bretagne;RNS;10;très bien\n"
    "b2;03/09/2025;Bretagne;BRS;6;trop long\n"
    "n1;04/09/2025;Normandie;CAE;9;parfait\n"
    "o1;05/09/2025;Occitanie;TLS;3;jamais rappelé\n"
)


@pytest.fixture
def answers(store, tmp_path):
    src = tmp_path / "reponses.csv"
    src.write_text(RESPONSES, encoding="utf-8")
    import_file(store, "responses", src)
    return store


def test_a_role_without_the_right_cannot_import_and_the_database_is_untouched(answers, tmp_path):
    src = tmp_path / "autres.csv"
    src.write_text(RESPONSES.replace("b1;", "x1;").replace("b2;", "x2;"), encoding="utf-8")
    before = snapshot(answers)
    for caller in (EXECUTIVE, DIRECTOR, STAFF):
        with pytest.raises(AccessDenied):
            import_file(answers, "responses", src, caller=caller)
        with pytest.raises(AccessDenied):
            history.rollback(answers, 1, caller=caller)
    assert snapshot(answers) == before


def test_every_write_is_in_the_audit_trail_with_who_and_what(answers, tmp_path):
    trail = audit.entries(answers)
    # the fixture's import, made by the command line's local admin
    assert trail["action"].tolist() == ["import"]
    assert trail["who"][0].endswith("(local)")
    first = json.loads(trail["detail"][0])
    assert (first["dataset"], first["file"], first["accepted"]) == ("responses", "reponses.csv", 4)
    assert len(first["sha256"]) == 64
    for target in (35.0, 40.0):
        table = pd.DataFrame({"year": [2025], "metric": ["nps"], "target": [target], "region": [None]})
        save_targets(answers, table, caller=STEWARD)
    history.rollback(answers, 1, caller=STEWARD)
    trail = audit.entries(answers)
    assert trail["action"].tolist() == ["rollback", "targets", "targets", "import"]
    assert trail["who"].tolist()[:3] == ["sam", "sam", "sam"]
    change = json.loads(trail["detail"][1])["changes"]
    assert change == [{"year": 2025, "metric": "nps", "region": None, "before": 35.0, "after": 40.0}]
    assert json.loads(trail["detail"][2])["changes"][0]["before"] is None  # a new target
    assert list_targets(answers)["target"].tolist() == [40.0]


def test_the_audit_trail_survives_a_rebuild(answers, tmp_path):
    history.rollback(answers, 1, caller=STEWARD)
    old = audit.entries(answers)
    answers.close()
    out = tmp_path / "rebuilt.duckdb"
    rebuild(answers.path, out)
    new = open_store(out)
    try:
        got = audit.entries(new)
    finally:
        new.close()
    # the old trail, oldest first, then the replays the rebuild itself made
    cols = ["who", "action", "subject"]
    assert got.tail(len(old))[cols].values.tolist() == old[cols].values.tolist()
    assert len(got) == 2 * len(old)


def test_a_regional_director_reads_only_their_regions_rows(answers):
    mine = scoped(answers, DIRECTOR)
    assert isinstance(mine, ScopedStore)
    by_site = metric_frame(mine, metric("nps"), grain="year", by=("site",))
    assert sorted(by_site["site"]) == ["BRS", "RNS"]  # Bretagne's two sites, nothing of the others
    # Bretagne alone: 10 and 6 -> (1 - 1) / 2 = 0
    assert metric_frame(mine, metric("nps"), grain="year")["value"].tolist() == [0.0]
    # the league reads every region's own figure: Bretagne 0, Normandie +100, Occitanie -100
    league = metric_frame(mine.league_source(), metric("nps"), grain="year", by=("region",))
    assert dict(zip(league["region"], league["value"], strict=True)) == {
        "Bretagne": 0.0, "Normandie": 100.0, "Occitanie": -100.0
    }
    with mine.cursor() as cur:
        comments = cur.execute("SELECT comment FROM ds_responses ORDER BY 1").fetchall()
        assert comments == [("trop long",), ("très bien",)]
        assert cur.execute("SELECT count(*) FROM rejected_rows").fetchall() == [(0,)]


def test_a_staff_representative_reads_no_survey_answer_and_no_comment(answers):
    theirs = scoped(answers, STAFF)
    assert metric_frame(theirs, metric("nps"), grain="year").empty
    with theirs.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM ds_responses").fetchall() == [(0,)]


def test_an_unrestricted_caller_reads_the_store_itself_at_no_cost(answers):
    assert scoped(answers, Caller.local()) is answers
    assert scoped(answers, STEWARD) is answers


@pytest.fixture(scope="module")
def operator(tmp_path_factory):
    from metrics import demo

    root = tmp_path_factory.mktemp("operator")
    store = open_store(root / "cx.duckdb")
    demo.load_direct(store, responses=3000, as_of=dt.date(2025, 9, 30))
    yield store
    store.close()


REGION_NAMES = ("Bretagne", "Normandie", "Occitanie", "Île-de-France", "Hauts-de-France", "Grand Est",
                "Auvergne-Rhône-Alpes", "Nouvelle-Aquitaine", "Provence-Alpes-Côte d'Azur")


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    regions=st.lists(st.sampled_from(REGION_NAMES), min_size=1, max_size=3, unique=True),
    role=st.sampled_from(["regional_director", "staff_representative"]),
    by=st.sampled_from([(), ("region",), ("site",), ("region", "site"), ("channel",)]),
)
def test_no_scoped_query_returns_a_row_outside_the_scope(operator, regions, role, by):
    caller = Caller(who="x", roles=(role,), regions=tuple(regions))
    theirs = scoped(operator, caller)
    sites = dict(_site_regions(operator))
    for key, m in METRICS.items():
        if not set(by) <= set(dimensions_of(m)):
            continue
        frame = metric_frame(theirs, m, grain="year", by=by)
        if m.dataset not in caller.datasets and m.dataset != "rate":
            assert frame.empty, key
        if caller.region_filter is not None and not frame.empty:
            if "region" in frame:
                assert set(frame["region"].dropna()) <= set(regions), key
            if "site" in frame:
                # a merged unit names its region: "autres sites (Normandie)"
                shown = {sites.get(s, str(s).removeprefix("autres sites (").removesuffix(")"))
                         for s in frame["site"].dropna()}
                assert shown <= set(regions), key


def _site_regions(store):
    with store.cursor() as cur:
        return cur.execute('SELECT "site", "region" FROM ds_sites').fetchall()


def test_the_access_file_is_parsed_once_per_version_and_an_edit_takes_effect(tmp_path):
    import os

    from metrics.access import policy

    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    policy._parsed.cache_clear()
    first = read_grants(path)
    assert read_grants(path) is first  # the same version: no second parse
    assert policy._parsed.cache_info().misses == 1
    path.write_text(ACCESS.replace('"Bretagne", "Normandie"', '"Bretagne"'), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    marie = caller_for({"email": "marie.durand@example.com"}, read_grants(path))
    assert marie.regions == ("Bretagne",)


def test_each_new_version_of_the_access_file_is_in_the_audit_trail(store, tmp_path):
    from metrics.access.changes import record_access_change

    path = tmp_path / "access.toml"
    assert not record_access_change(store, path)  # no file, and never was: nothing to record
    path.write_text(ACCESS, encoding="utf-8")
    assert record_access_change(store, path)
    assert not record_access_change(store, path)  # read again, unchanged: nothing new
    path.write_text(ACCESS.replace('"Bretagne", "Normandie"', '"Bretagne"').replace("rep-42", "rep-43"),
                    encoding="utf-8")
    assert record_access_change(store, path)
    path.write_text("[[grant]]\nrole = 'king'\nwho = 'x'\n", encoding="utf-8")
    assert record_access_change(store, path)
    trail = audit.entries(store)
    assert list(trail["action"]) == ["access"] * 3
    latest, edit, first = (json.loads(d) for d in trail["detail"][:3])
    assert first["sha256_before"] == "absent"
    assert first["added"] == ["Marie.Durand@example.com: regional_director (Bretagne, Normandie)",
                              "group cx-executives: executive", "rep-42: staff_representative"]
    assert edit["added"] == ["Marie.Durand@example.com: regional_director (Bretagne)",
                             "rep-43: staff_representative"]
    assert edit["removed"] == ["Marie.Durand@example.com: regional_director (Bretagne, Normandie)",
                               "rep-42: staff_representative"]
    assert edit["sha256_before"] == first["sha256"] != edit["sha256"]
    # a malformed file: recorded with its problem, every grant gone
    assert "role 'king' is not one of" in latest["problem"]
    assert latest["grants"] == []
    assert len(latest["removed"]) == 3
    assert all(w.endswith("(owner of the file)") for w in trail["who"])


def test_the_audit_command_records_an_unseen_access_file_edit(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from metrics.cli.main import cli

    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("CX_ACCESS_FILE", str(path))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "cx.duckdb"), "audit", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "access," + str(path) in result.output
    assert "rep-42: staff_representative" in result.output


def test_every_action_has_a_label_on_the_data_page_and_a_refusal_sentence():
    # a new Action without them would crash the Data page's audit table, or a refusal
    from dashboard.components.audit import ACTIONS
    from metrics.access.caller import _WHAT

    assert set(ACTIONS) == {a.value for a in Action}
    assert set(_WHAT) == set(Action)
