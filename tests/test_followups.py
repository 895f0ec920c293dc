"""Closing the loop with detractors: the queue, who may change a case, the figures per region, the call-back.

Each test writes the answers and complaints it needs (`;`-separated, French headers) and works the
expected figures out by hand. The product's "now" (metrics.clock.now) is pinned by each test, so the
closing times, hence the hours to close and the on-time share, are known to the minute.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from click.testing import CliRunner
from statsmodels.stats.proportion import proportion_confint

from metrics import catalogue, clock
from metrics.access.caller import AccessDenied, Caller
from metrics.cli.main import cli
from metrics.followup.display import effect_text, queue_table, region_table
from metrics.followup.edits import Change, FollowUpRefused, apply, set_follow_up
from metrics.followup.queue import first_cases, queue
from metrics.followup.stats import by_region, callback_effect
from metrics.ingest.importing import import_file
from tests.support import snapshot

NOW = dt.datetime(2026, 10, 15, 12, 0)
HEADER = "n° réponse;date de réponse;région;site;note;commentaire;client\n"
DIRECTOR = Caller(who="dir@example.com", roles=("regional_director",), regions=("Bretagne",))
STAFF = Caller(who="rep@example.com", roles=("staff_representative",))
EXECUTIVE = Caller(who="boss@example.com", roles=("executive",))
ADMIN = Caller(who="admin@example.com", roles=("admin",))


@pytest.fixture(autouse=True)
def pinned_now(monkeypatch):
    at = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: at["now"])
    return at


def load(store, tmp_path, responses, complaints=None):
    path = tmp_path / "reponses.csv"
    path.write_text(HEADER + responses, encoding="utf-8")
    import_file(store, "responses", path)
    if complaints:
        other = tmp_path / "reclamations.csv"
        other.write_text(
            "n° réclamation;date d'ouverture;région;site;client\n" + complaints, encoding="utf-8"
        )
        import_file(store, "complaints", other)


# Bretagne: 6 detractors on 1 Sept 10:00 (B1-B6), a promoter and a passive (not cases), a complaint
# opened this morning; Normandie: one detractor
BASIC = (
    "B1;2026-09-01 10:00;Bretagne;BRE-1;0;Trop long;C1\n"
    "B2;2026-09-01 10:00;Bretagne;BRE-1;6;;C2\n"
    "B3;2026-09-01 10:00;Bretagne;BRE-1;3;;C3\n"
    "B4;2026-09-01 10:00;Bretagne;BRE-2;5;;C4\n"
    "B5;2026-09-01 10:00;Bretagne;BRE-2;4;;C5\n"
    "B6;2026-09-01 10:00;Bretagne;BRE-2;2;;C6\n"
    "P1;2026-09-01 10:00;Bretagne;BRE-1;9;Parfait;C7\n"
    "P2;2026-09-01 10:00;Bretagne;BRE-1;7;;C8\n"
    "N1;2026-09-02 09:30;Normandie;NOR-1;1;Inadmissible;C9\n"
)
COMPLAINT = "K1;2026-10-15 08:00;Bretagne;BRE-1;C10\n"


def test_the_queue_lists_every_detractor_and_complaint_open_and_due_48_hours_later(store, tmp_path):
    load(store, tmp_path, BASIC, COMPLAINT)
    got = queue(store)
    rows = list(
        zip(got["source"], got["source_id"], got["status"], got["due_at"], got["overdue"], strict=True)
    )
    sept3 = dt.datetime(2026, 9, 3, 10, 0)
    assert rows == [
        # answered 1 Sept 10:00 -> due 3 Sept 10:00, long past on 15 Oct: overdue
        ("response", "B1", "open", sept3, True), ("response", "B2", "open", sept3, True),
        ("response", "B3", "open", sept3, True), ("response", "B4", "open", sept3, True),
        ("response", "B5", "open", sept3, True), ("response", "B6", "open", sept3, True),
        # answered 2 Sept 09:30 -> due 4 Sept 09:30
        ("response", "N1", "open", dt.datetime(2026, 9, 4, 9, 30), True),
        # opened this morning at 8 -> due on the 17th at 8: not overdue at noon
        ("complaint", "K1", "open", dt.datetime(2026, 10, 17, 8, 0), False),
    ]  # fmt: skip
    # the promoter (9) and the passive (7) are no case; comments under the floor of 10 are withheld
    assert got["comment"].isna().all()
    assert got.loc[got["source_id"].isin(["B1", "N1"]), "comment_hidden"].tolist() == [True, True]
    # a regional director's queue holds their own regions only
    from metrics.access.scoped import scoped

    assert set(queue(scoped(store, DIRECTOR))["source_id"]) == {"B1", "B2", "B3", "B4", "B5", "B6", "K1"}


def test_the_due_delay_follows_the_setting(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_FOLLOW_UP_HOURS", "24")
    load(store, tmp_path, BASIC)
    got = queue(store, regions=["Normandie"])
    assert got["due_at"].tolist() == [dt.datetime(2026, 9, 3, 9, 30)]  # 2 Sept 09:30 + 24 h


def test_a_site_with_ten_commented_detractors_shows_their_comments_one_with_fewer_does_not(store, tmp_path):
    many = "".join(f"S{i};2026-09-05 10:00;Bretagne;BRE-1;2;Attente {i};X{i}\n" for i in range(10))
    few = "".join(f"T{i};2026-09-05 10:00;Bretagne;BRE-2;2;Bruit {i};Y{i}\n" for i in range(9))
    load(store, tmp_path, many + few)
    got = queue(store).set_index("source_id")
    assert got.loc["S3", "comment"] == "Attente 3"  # 10 comments at BRE-1: shown
    assert got.loc["T3", "comment"] is None  # 9 at BRE-2: withheld
    assert bool(got.loc["T3", "comment_hidden"])


def test_the_first_cases_are_the_most_urgent_and_the_floor_counts_every_case(store, tmp_path):
    # BRE-1: 10 commented detractors, one a day from 1 Sept; only the 3 most urgent are fetched, and
    # their comments still show: the floor counts the site's 10, not the 3 on the page
    many = "".join(f"S{i};2026-09-{i + 1:02d} 10:00;Bretagne;BRE-1;2;Attente {i};X{i}\n" for i in range(10))
    few = "".join(f"T{i};2026-09-{i + 1:02d} 11:00;Bretagne;BRE-2;2;Bruit {i};Y{i}\n" for i in range(2))
    load(store, tmp_path, many + few)
    got, total = first_cases(store, limit=3)
    assert total == 12
    assert got["source_id"].tolist() == ["S0", "T0", "S1"]  # happened 1 Sept 10:00, 11:00, 2 Sept
    assert got["comment"].tolist() == ["Attente 0", None, "Attente 1"]
    assert got["comment_hidden"].tolist() == [False, True, False]
    # a status filter counts what it keeps; the floor still counts the site's cases of every status
    set_follow_up(store, ADMIN, Change("response", "S0", status="closed", outcome="reached"))
    closed, total = first_cases(store, status=("closed",), limit=3)
    assert (closed["source_id"].tolist(), total) == (["S0"], 1)
    assert closed["comment"].tolist() == ["Attente 0"]
    nothing, none = first_cases(store, regions=["Normandie"])
    assert (len(nothing), none) == (0, 0)


def test_a_director_changes_a_case_of_their_region_and_the_change_is_audited(store, tmp_path, pinned_now):
    load(store, tmp_path, BASIC)
    pinned_now["now"] = dt.datetime(2026, 9, 1, 20, 0)
    row = set_follow_up(
        store, DIRECTOR, Change("response", "B1", owner="Anne", status="closed", outcome="reached")
    )
    assert (row["owner"], row["status"], row["outcome"]) == ("Anne", "closed", "reached")
    with store.cursor() as cur:
        stored = cur.execute("SELECT source, source_id, owner, status, outcome, closed_at, updated_by "
                             "FROM follow_ups").fetchall()  # fmt: skip
        trail = cur.execute(
            "SELECT who, action, subject, detail FROM audit WHERE action = 'follow_up'"
        ).fetchall()
        imported = cur.execute("SELECT score, comment FROM ds_responses WHERE response_id = 'B1'").fetchall()
    assert stored == [
        ("response", "B1", "Anne", "closed", "reached", dt.datetime(2026, 9, 1, 20, 0), "dir@example.com")
    ]
    assert [(w, a, s) for w, a, s, _ in trail] == [("dir@example.com", "follow_up", "response B1")]
    detail = json.loads(trail[0][3])
    assert detail["before"]["status"] == "open"
    assert (detail["after"]["owner"], detail["after"]["status"], detail["after"]["outcome"]) == (
        "Anne", "closed", "reached",
    )  # fmt: skip
    assert imported == [(0, "Trop long")]  # the imported answer is untouched
    # the same change again writes nothing, and adds no line to the trail
    set_follow_up(store, DIRECTOR, Change("response", "B1", status="closed"))
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM audit WHERE action = 'follow_up'").fetchall() == [(1,)]


@pytest.mark.parametrize(
    ("caller", "change", "error", "message"),
    [
        (DIRECTOR, Change("response", "N1", owner="Anne"), FollowUpRefused,
         "response N1 is not a case you may follow up"),
        (DIRECTOR, Change("response", "P1", owner="Anne"), FollowUpRefused,
         "response P1 is not a case you may follow up"),  # a promoter is no case
        (STAFF, Change("response", "B1", owner="Anne"), AccessDenied, "rep@example.com may not change"),
        (EXECUTIVE, Change("response", "B1", owner="Anne"), AccessDenied, "boss@example.com may not change"),
        (ADMIN, Change("response", "B1", status="closed"), FollowUpRefused, "to close response B1, give the"),
        (ADMIN, Change("response", "B1", status="done"), FollowUpRefused, 'status "done" is unknown'),
    ],
)  # fmt: skip
def test_a_refused_change_leaves_the_database_as_it_was(store, tmp_path, caller, change, error, message):
    load(store, tmp_path, BASIC)
    before = snapshot(store)
    with pytest.raises(error, match=message):
        set_follow_up(store, caller, change)
    assert snapshot(store) == before


def test_a_batch_with_one_case_out_of_reach_changes_none_of_them(store, tmp_path):
    load(store, tmp_path, BASIC)
    before = snapshot(store)
    with pytest.raises(FollowUpRefused):
        apply(
            store, DIRECTOR, [Change("response", "B1", owner="Anne"), Change("response", "N1", owner="Anne")]
        )
    assert snapshot(store) == before


def test_the_refusal_is_said_in_french_on_the_page():
    err = FollowUpRefused("followups.refused.not_a_case", source="response", source_id="N1")
    assert err.render("fr", "page") == (
        "response N1 n'est pas un cas que vous pouvez suivre (un détracteur ou une réclamation de vos "
        "régions) : rien n'a été modifié"
    )


def close(store, pinned_now, source_id, hours, outcome="reached"):
    pinned_now["now"] = dt.datetime(2026, 9, 1, 10, 0) + dt.timedelta(hours=hours)
    set_follow_up(store, ADMIN, Change("response", source_id, status="closed", outcome=outcome))


def test_close_rate_on_time_share_and_hours_to_close_per_region_match_a_hand_count(
    store, tmp_path, pinned_now
):
    load(store, tmp_path, BASIC, COMPLAINT)
    for source_id, hours in (("B1", 10), ("B2", 20), ("B3", 30), ("B4", 60)):
        close(store, pinned_now, source_id, hours)
    pinned_now["now"] = NOW
    got = by_region(store).set_index("region")
    b = got.loc["Bretagne"]
    # 7 cases (B1-B6, K1), 4 closed: 4/7 = 57.1 %, Wilson's interval from statsmodels
    low, high = proportion_confint(4, 7, method="wilson")
    assert (b["cases"], b["closed"]) == (7, 4)
    assert b["close_rate"] == pytest.approx(100 * 4 / 7)
    assert (b["close_low"], b["close_high"]) == (pytest.approx(100 * low), pytest.approx(100 * high))
    # decided: the 4 closed + B5, B6 open past their due date = 6 (K1 is not due yet); on time: B1-B3
    # closed within 48 h (B4 took 60 h) -> 3/6 = 50 %
    low, high = proportion_confint(3, 6, method="wilson")
    assert (b["decided"], b["on_time"], b["on_time_rate"]) == (6, 3, 50.0)
    assert (b["on_time_low"], b["on_time_high"]) == (pytest.approx(100 * low), pytest.approx(100 * high))
    # hours: K1 open 4 h so far (censored), closings at 10, 20, 30, 60, B5 and B6 open 1,058 h so far.
    # Kaplan-Meier: 6 at risk at 10 -> 5/6; x 4/5 at 20 -> 4/6; x 3/4 at 30 -> 1/2 exactly, so the
    # median is midway to the next closing: (30 + 60) / 2 = 45 h. With 7 cases the median lies between
    # the 1st and 7th values (98.4 %): low = the shortest time so far, 4 h; high unbounded (3 still open)
    assert (b["open"], b["hours"], b["hours_low"]) == (3, 45.0, 4.0)
    assert math.isnan(b["hours_high"])
    # Normandie: 1 case, open and overdue
    n = got.loc["Normandie"]
    assert (n["cases"], n["closed"], n["decided"], n["on_time"]) == (1, 0, 1, 0)
    assert math.isnan(n["hours"])
    # no figure per person: the owners never appear in the region table
    assert "owner" not in got.columns


def test_the_region_table_reads_in_french_and_english(store, tmp_path, pinned_now):
    load(store, tmp_path, BASIC, COMPLAINT)
    for source_id, hours in (("B1", 10), ("B2", 20), ("B3", 30), ("B4", 60)):
        close(store, pinned_now, source_id, hours)
    pinned_now["now"] = NOW
    got = by_region(store)
    fr = region_table(got, "fr").iloc[0].tolist()
    en = region_table(got, "en").iloc[0].tolist()
    assert fr[:4] == ["Bretagne", "7", "4", "57\xa0%"]
    assert en[:4] == ["Bretagne", "7", "4", "57%"]
    assert (fr[7], en[7]) == ("45", "45")
    assert list(region_table(got, "en").columns)[:4] == ["Region", "Cases", "Closed", "Close rate"]


def test_the_call_back_effect_matches_an_independent_count(store, tmp_path):
    # 12 customers reached after their detractor answer of 2 Sept, 12 not; each answers again on 20 Sept.
    # Reached: next scores 9,10,9,10,9,10 (6 promoters), 7,8,7,8 (passives), 3,5 (detractors) -> NPS 33.3
    # Others:  9,10,9 (3 promoters), 7,8,7,8, 0,1,2,3,4 (5 detractors) -> NPS (3 - 5)/12 = -16.7
    reached = [9, 10, 9, 10, 9, 10, 7, 8, 7, 8, 3, 5]
    others = [9, 10, 9, 7, 8, 7, 8, 0, 1, 2, 3, 4]
    lines = []
    for group, scores in (("A", reached), ("O", others)):
        for i, later in enumerate(scores):
            lines.append(f"{group}{i};2026-09-02 10:00;Bretagne;BRE-1;2;;{group}C{i}\n")
            lines.append(f"{group}{i}b;2026-09-20 10:00;Bretagne;BRE-1;{later};;{group}C{i}\n")
    # noise that must not count: an answer before the detractor's, a second later answer (only the
    # first counts), a later answer without a score
    lines.append("OX;2026-08-01 10:00;Bretagne;BRE-1;10;;OC0\n")
    lines.append("OY;2026-09-25 10:00;Bretagne;BRE-1;10;;OC3\n")  # O3 answered 7 first
    lines.append("OZ;2026-09-10 10:00;Bretagne;BRE-1;;;OC8\n")
    load(store, tmp_path, "".join(lines))
    apply(store, ADMIN, [Change("response", f"A{i}", status="closed", outcome="reached") for i in range(12)])
    # a call that did not reach the customer is in the "others" group
    set_follow_up(store, ADMIN, Change("response", "O0", status="closed", outcome="not_reached"))
    got = callback_effect(store).set_index("group")
    assert got.loc["reached", ["n", "promoters", "detractors"]].tolist() == [12, 6, 2]
    assert got.loc["others", ["n", "promoters", "detractors"]].tolist() == [12, 3, 5]
    assert got.loc["reached", "nps"] == pytest.approx(100 * 4 / 12)
    assert got.loc["others", "nps"] == pytest.approx(-100 * 2 / 12)
    # difference 50.0; variance of one answer p_P + p_D - (p_P - p_D)^2 in each group
    var_a = 6 / 12 + 2 / 12 - (4 / 12) ** 2
    var_b = 3 / 12 + 5 / 12 - (2 / 12) ** 2
    moe = 1.959964 * 100 * math.sqrt(var_a / 12 + var_b / 12)
    assert got.loc["reached", "difference"] == pytest.approx(50.0)
    assert got.loc["reached", "difference_low"] == pytest.approx(50.0 - moe, abs=1e-3)
    assert got.loc["reached", "difference_high"] == pytest.approx(50.0 + moe, abs=1e-3)
    assert effect_text(callback_effect(store), "en") == (
        "Next answer of reached customers: NPS +50.0 points against the others "
        "(95 % interval: -11.8 to 111.8)."
    )


def test_the_call_back_comparison_says_too_few_under_ten_answers_a_group(store, tmp_path):
    load(
        store,
        tmp_path,
        "A1;2026-09-02 10:00;Bretagne;BRE-1;2;;C1\nA2;2026-09-20 10:00;Bretagne;BRE-1;9;;C1\n",
    )
    got = callback_effect(store)
    assert got["enough"].tolist() == [False, False]
    assert (
        effect_text(got, "fr") == "Trop peu de réponses ultérieures pour comparer (minimum par groupe : 10)."
    )


def test_statuses_are_worded_from_the_catalogue():
    # every message's languages and placeholders are checked by tests/test_messages.py
    assert catalogue.text("followups.status.closed", "en") == "Closed"
    assert catalogue.text("followups.status.closed", "fr") == "Clos"


def run(store, *args):
    result = CliRunner().invoke(cli, ["--db", str(store.path), *args])
    return result


def test_the_cli_lists_the_queue_and_sets_a_case(store, tmp_path):
    load(store, tmp_path, BASIC, COMPLAINT)
    store.close()
    listed = run(store, "followups", "--region", "Normandie", "--from", "2026-09-01", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [(r["source_id"], r["status"], r["due_at"]) for r in json.loads(listed.stdout)] == [
        ("N1", "open", "2026-09-04T09:30:00")
    ]
    done = run(store, "followups", "set", "response", "N1", "--owner", "Léa", "--status", "closed",
               "--outcome", "not_reached")  # fmt: skip
    assert (done.exit_code, done.stdout) == (0, "response N1: closed, not_reached\n")
    table = run(store, "followups", "--region", "Normandie", "--status", "closed", "--lang", "en")
    assert "Léa" in table.stdout
    assert "Not reached" in table.stdout
    refused = run(store, "followups", "set", "response", "P1", "--owner", "Léa")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: response P1 is not a case you may follow up")
    stats = run(store, "followups", "stats", "--format", "json")
    rows = {r["region"]: (r["cases"], r["closed"]) for r in json.loads(stats.stdout)}
    assert rows == {"Bretagne": (7, 0), "Normandie": (1, 1)}


def test_the_queue_table_of_the_cli_says_statuses_in_words(store, tmp_path):
    load(store, tmp_path, BASIC)
    table = queue_table(queue(store, regions=["Normandie"]), "fr")
    assert table.iloc[0][["Origine", "Statut", "En retard"]].tolist() == ["Détracteur", "Ouvert", "oui"]


def test_the_board_pack_has_the_follow_up_section(store, tmp_path, pinned_now):
    from metrics.followup.display import pack_section

    load(store, tmp_path, BASIC, COMPLAINT)
    close(store, pinned_now, "B1", 10)
    html_fr = pack_section(store, dt.date(2026, 1, 1), dt.date(2026, 9, 30), "fr")
    assert "<h2>Rappels des détracteurs</h2>" in html_fr
    assert "<td>Bretagne</td>" in html_fr
    assert "Taux de clôture" in html_fr
    # K1 was opened on 15 Oct, after the pack's month: Bretagne counts B1-B6 only, 1 closed of 6
    assert "<td>6</td>" in html_fr
    assert "17\xa0%" in html_fr
    assert "Detractor follow-ups" in pack_section(store, dt.date(2026, 1, 1), dt.date(2026, 9, 30), "en")


def test_a_rebuild_keeps_what_people_set_on_their_cases(store, tmp_path, pinned_now):
    # follow-ups are written by people, not imported: `rebuild` replays the imports and carries them over
    from metrics.ingest.rebuild import rebuild
    from metrics.store import open_store

    load(store, tmp_path, BASIC)
    pinned_now["now"] = dt.datetime(2026, 9, 1, 20, 0)
    set_follow_up(store, DIRECTOR, Change("response", "B1", owner="Anne", status="closed", outcome="reached"))
    before = queue(store).set_index("source_id")[["owner", "status", "outcome"]]
    store.close()
    out = tmp_path / "rebuilt.duckdb"
    rebuild(store.path, out)
    rebuilt = open_store(out)
    try:
        after = queue(rebuilt).set_index("source_id")[["owner", "status", "outcome"]]
        with rebuilt.cursor() as cur:
            kept = cur.execute("SELECT source_id, owner, updated_by FROM follow_ups").fetchall()
    finally:
        rebuilt.close()
    assert kept == [("B1", "Anne", "dir@example.com")]
    assert after.fillna("").to_dict() == before.fillna("").to_dict()
