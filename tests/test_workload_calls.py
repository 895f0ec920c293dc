"""Workload from what contact centres export: per-call ACD logs, average handle times, no agent count.

Issue "Real exports III", point 5: a per-call log could not be loaded at all, an average handle time
mapped to `handle_minutes` was stored as a total (0.147 min instead of 2.63), and a daily export
without agents was refused.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.contracts.datasets import DATASETS
from metrics.errors import ImportOptionRefused, MissingColumns
from metrics.ingest import pii
from metrics.ingest.archive import archive_dir
from metrics.ingest.history import rollback
from metrics.ingest.importing import import_file
from metrics.ingest.mapping import header_score
from metrics.ingest.options import ImportOptions
from metrics.ingest.preview import plan_import
from metrics.ingest.rebuild import rebuild
from metrics.ingest.sniffing import sniff
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store
from tests.support import snapshot

OCT1, OCT2, OCT3 = dt.date(1999, 10, 1), dt.date(1999, 10, 2), dt.date(1999, 10, 3)
SET = {"region": "Nord", "site": "LIL-CC"}
# an ACD's call log: one row per call, yymmdd dates, the agent in `server`, seconds, a yes/no flag;
# line 9 has a service time that is no number, line 10 no agent, line 11 is empty
ACD = (
    "date;queue;server;service_time;monitored\r\n"
    "991001;A;AG1001;120;oui\r\n"
    "991001;A;AG1002;200;non\r\n"
    "991001;A;AG1001;100;oui\r\n"
    "991001;B;AG2001;90;non\r\n"
    "991001;B;AG2002;150;oui\r\n"
    "991002;A;AG1001;60;non\r\n"
    "991002;A;AG1003;240;non\r\n"
    "991002;B;AG2001;abc;non\r\n"
    "991002;B;;30;non\r\n"
    ";;;;\r\n"
)
AGENTS = ("AG1001", "AG1002", "AG1003", "AG2001", "AG2002")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def calls(store, tmp_path, text=ACD, name="acd.csv", **options):
    options.setdefault("constants", SET)
    options.setdefault("max_rejected", 100.0)
    report = import_file(store, "workload", write(tmp_path, name, text), options=ImportOptions(**options))
    assert report.accepted + report.rejected + report.skipped == report.rows_read
    return report


def workload(store):
    with store.cursor() as cur:
        return cur.execute(
            "SELECT date, region, site, team, agents, contacts_handled, round(handle_minutes, 4), "
            "evaluations FROM ds_workload ORDER BY date, team"
        ).fetchall()


def test_a_per_call_acd_log_is_grouped_into_team_days_counted_by_hand(store, tmp_path):
    report = calls(store, tmp_path)
    assert workload(store) == [
        # A on 1 Oct 1999: 3 calls by 2 agents (AG1001 twice), 120 + 200 + 100 s = 420 s = 7 min, 2 monitored
        (OCT1, "Nord", "LIL-CC", "A", 2, 3, 7.0, 2),
        # B on 1 Oct: 2 calls by 2 agents, 90 + 150 = 240 s = 4 min, 1 monitored
        (OCT1, "Nord", "LIL-CC", "B", 2, 2, 4.0, 1),
        # A on 2 Oct: 2 calls by 2 agents, 60 + 240 = 300 s = 5 min, none monitored
        (OCT2, "Nord", "LIL-CC", "A", 2, 2, 5.0, 0),
        # B on 2 Oct: both calls rejected, so no row
    ]
    # 10 lines read = 7 calls accepted + 2 rejected + 1 empty line skipped
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (10, 7, 2, 1)
    assert (report.dataset, report.log, report.grouped, report.updated, report.inserted) == (
        "workload", "workload_calls", 3, 0, 7,
    )
    assert [(p.line, p.column, p.reason) for p in report.problems] == [
        (9, "service_time", "not_a_number"),
        (10, "server", "missing"),
    ]
    assert [r.pattern for r in report.dates] == ["yymmdd"]
    assert report.notices == ()  # agents come from the calls


def test_agent_ids_appear_nowhere_in_the_database_nor_its_archive(store, tmp_path):
    calls(store, tmp_path)
    with store.cursor() as cur:
        columns = cur.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND data_type = 'VARCHAR'"
        ).fetchall()
        found = [
            (table, column, agent)
            for table, column in columns
            for agent in AGENTS
            if cur.execute(f'SELECT count(*) FROM "{table}" WHERE contains("{column}", ?)', [agent])
            .fetchall() != [(0,)]
        ]
        # the rejected line 9 kept its cells, its agent replaced by the salted hash
        raw = cur.execute("SELECT raw FROM rejected_rows WHERE line = 9").fetchall()[0][0]
    assert found == []
    assert re.search(r'"server":"#[0-9a-f]{20}"', raw)
    archived = [p for p in archive_dir(store.path).glob("*.gz")]
    assert len(archived) == 1
    text = gzip.decompress(archived[0].read_bytes()).decode("utf-8")
    assert "991001;A;" in text
    assert not [a for a in AGENTS if a in text]
    # each distinct agent hashed once and joined back: the same salted formula as a customer id's
    secret = pii.salt(store.path)
    assert {line.split(";")[2].strip('"') for line in text.splitlines()[1:] if line.split(";")[2]} == {
        pii._hash(a, secret) for a in AGENTS
    }


def test_queues_named_by_their_phone_numbers_stay_distinct_teams(store, tmp_path):
    """A team is a dimension, never masked: two phone-numbered queues are not merged into "[tél.]"."""
    log = (
        "date;queue;server;service_time;monitored\n"
        "991001;09 69 39 39 00;AG1;120;oui\n"
        "991001;08 00 10 02 00;AG2;60;non\n"
        "991001;09 69 39 39 00;AG3;180;non\n"
        "991001;3900;AG4;30;non\n"
        "991001;Rappelez le 06 12 34 56 78;AG5;90;non\n"
    )
    report = calls(store, tmp_path, log)
    assert workload(store) == [
        # by hand: 0800... one call of 60 s; 0969... two calls, two agents, 120 + 180 s = 5 min, 1 monitored
        (OCT1, "Nord", "LIL-CC", "08 00 10 02 00", 1, 1, 1.0, 0),
        (OCT1, "Nord", "LIL-CC", "09 69 39 39 00", 2, 2, 5.0, 1),
        (OCT1, "Nord", "LIL-CC", "3900", 1, 1, 0.5, 0),
        (OCT1, "Nord", "LIL-CC", "Rappelez le 06 12 34 56 78", 1, 1, 1.5, 0),
    ]
    assert report.masked.get("phone", 0) == 0


def test_a_call_log_carrying_its_region_and_site_is_still_known_for_a_call_log(store, tmp_path):
    """An agent id and a service time make a call log certain, whatever other columns it carries."""
    log = (
        "date;region;site;queue;agent;service time\n"
        "991001;Nord;LIL-CC;A;AG1;120\n"
        "991001;Nord;LIL-CC;A;AG2;60\n"
        "991001;Est;NAN-CC;B;AG3;30\n"
    )
    report = calls(store, tmp_path, log, constants={})
    assert (report.dataset, report.log, report.grouped) == ("workload", "workload_calls", 2)
    assert workload(store) == [
        # by hand: A, two agents, 120 + 60 s = 3 min; B, one agent, 30 s = 0.5 min; nothing monitored
        (OCT1, "Nord", "LIL-CC", "A", 2, 2, 3.0, None),
        (OCT1, "Est", "NAN-CC", "B", 1, 1, 0.5, None),
    ]


def test_service_times_written_as_durations_are_read_as_seconds(store, tmp_path):
    """ACD reports write a call's handle time h:mm:ss or mm:ss: "00:05:23" and "5:23" are 323 seconds."""
    log = (
        "date;queue;server;service_time;monitored\n"
        "991001;A;AG1;00:05:23;oui\n"
        "991001;A;AG2;5:23;non\n"
        "991001;A;AG3;1:00:00;non\n"
        "991001;A;AG4;0:00:14,5;non\n"
        "991001;A;AG5;95;non\n"
        "991001;A;AG6;5:75;non\n"
    )
    report = calls(store, tmp_path, log)
    # by hand: 323 + 323 + 3600 + 14.5 + 95 = 4355.5 s = 72.5917 min over five calls by five agents
    assert workload(store) == [(OCT1, "Nord", "LIL-CC", "A", 5, 5, 72.5917, 1)]
    # "5:75" has 75 seconds: no duration, no number
    assert [(p.line, p.reason) for p in report.problems] == [(7, "not_a_number")]


def test_daily_hours_and_handle_time_written_as_durations(store, tmp_path):
    """A workforce export's "7:30" of scheduled time is 7.5 hours; "125:30" of handle time 7,530 minutes."""
    daily = (
        "date;équipe;agents;contacts traités;temps de traitement;heures planifiées;heures sup\n"
        "01/10/1999;A;5;120;125:30;37:30;1:15\n"
        "02/10/1999;A;5;100;2:00:30;40;0:45\n"
    )
    calls(store, tmp_path, daily, name="wfm.csv")
    with store.cursor() as cur:
        got = cur.execute(
            "SELECT date, handle_minutes, scheduled_hours, overtime_hours FROM ds_workload ORDER BY date"
        ).fetchall()
    # 125 h 30 = 7530 min; 2 h 0 min 30 s = 120.5 min; 37 h 30 = 37.5 h; 1 h 15 = 1.25 h; 0 h 45 = 0.75 h
    assert got == [(OCT1, 7530.0, 37.5, 1.25), (OCT2, 120.5, 40.0, 0.75)]


def test_a_second_log_replaces_a_team_day_and_counts_its_calls_as_updated(store, tmp_path):
    calls(store, tmp_path)
    later = "date;queue;server;service_time;monitored\n991002;A;AG1001;90;oui\n991003;A;AG1001;30;non\n"
    # the Data page's preview reads the calls' keys: one stored team-day comes again
    source = sniff(write(tmp_path, "acd_later.csv", later), header_score(DATASETS["workload"]))
    plan = plan_import(store, "workload", source, options=ImportOptions(constants=SET))
    assert (plan.updates, plan.examples) == (1, ("1999-10-02 · A",))
    report = calls(store, tmp_path, later, "acd_later.csv")
    # 2 calls: A on 2 Oct replaces the stored team-day (1 call updated), A on 3 Oct is new
    assert (report.accepted, report.updated, report.inserted, report.grouped) == (2, 1, 1, 2)
    assert workload(store)[2:] == [
        (OCT2, "Nord", "LIL-CC", "A", 1, 1, 1.5, 1),  # 90 s = 1.5 min
        (OCT3, "Nord", "LIL-CC", "A", 1, 1, 0.5, 0),  # 30 s = 0.5 min
    ]
    rollback(store, report.import_id)
    assert workload(store)[2] == (OCT2, "Nord", "LIL-CC", "A", 2, 2, 5.0, 0)


def test_per_call_forces_the_shape_of_a_log_its_headers_do_not_reveal(store, tmp_path):
    # yyyymmdd dates, headers no alias knows: as a daily workload file it lacks contacts_handled
    text = "jour;file;conseiller;duree\n19991001;A;X1;30\n19991001;A;X2;90\n"
    mapping = {"team": "file", "agent_id": "conseiller", "service_seconds": "duree"}
    with pytest.raises(MissingColumns, match='workload needs a column "contacts_handled"'):
        calls(store, tmp_path, text, mapping={"team": "file"})
    report = calls(store, tmp_path, text, mapping=mapping, per_call=True)
    assert report.log == "workload_calls"
    # 2 calls by 2 agents, 30 + 90 = 120 s = 2 min, no monitored column: unknown, not zero
    assert workload(store) == [(OCT1, "Nord", "LIL-CC", "A", 2, 2, 2.0, None)]


def test_per_call_is_refused_for_a_dataset_without_a_per_call_shape(store, tmp_path):
    with pytest.raises(ImportOptionRefused, match=r"^--per-call: responses has no per-call shape; only "
                       r"workload has one$"):
        import_file(store, "responses", write(tmp_path, "r.csv", "id;date;region;score\n1;02/09/2025;B;9\n"),
                    options=ImportOptions(per_call=True))


DAILY = (
    "date;région;site;équipe;conseillers;contacts traités;AHT (s)\n"
    "01/10/2025;Nord;LIL-CC;A;6;40;158\n"
    "01/10/2025;Nord;LIL-CC;B;5;25;90,5\n"
)


def test_an_average_per_call_in_seconds_becomes_the_total_handle_minutes(store, tmp_path):
    report = import_file(store, "workload", write(tmp_path, "daily.csv", DAILY))
    assert report.mapping["avg_handle_seconds"] == "AHT (s)"
    with store.cursor() as cur:
        got = cur.execute("SELECT team, round(handle_minutes, 4) FROM ds_workload ORDER BY team").fetchall()
    # A: 158 s x 40 contacts / 60 = 105.3333 min; B: 90.5 s x 25 / 60 = 37.7083 min
    assert got == [("A", 105.3333), ("B", 37.7083)]


def test_an_average_mapped_by_name_is_converted_too(store, tmp_path):
    text = DAILY.replace("AHT (s)", "DMT")
    import_file(store, "workload", write(tmp_path, "daily.csv", text),
                options=ImportOptions(mapping={"avg_handle_minutes": "DMT"}))
    with store.cursor() as cur:
        got = cur.execute("SELECT team, round(handle_minutes, 4) FROM ds_workload ORDER BY team").fetchall()
    # read as minutes: A 158 x 40 = 6320 min; B 90.5 x 25 = 2262.5 min
    assert got == [("A", 6320.0), ("B", 2262.5)]
    # a header that says total is a total, even with DMT in it: stored as written
    total = DAILY.replace("AHT (s)", "DMT totale (min)").replace("01/10", "02/10").replace(";158\n", ";105\n")
    import_file(store, "workload", write(tmp_path, "total.csv", total))
    with store.cursor() as cur:
        assert cur.execute(
            "SELECT team, handle_minutes FROM ds_workload WHERE date = '2025-10-02' ORDER BY team"
        ).fetchall() == [("A", 105.0), ("B", 90.5)]


REFUSED = [
    pytest.param(
        "DMT", {"handle_minutes": "DMT"},
        'daily.csv: column "DMT" reads as an average per contact, and handle_minutes is a total; use --map '
        "avg_handle_seconds=DMT (seconds) or --map avg_handle_minutes=DMT (minutes): the import multiplies "
        "it by contacts_handled",
        id="dmt",
    ),
    pytest.param(
        "Avg Handle Time", {"handle_minutes": "Avg Handle Time"},
        'daily.csv: column "Avg Handle Time" reads as an average per contact, and handle_minutes is a total; '
        "use --map 'avg_handle_seconds=Avg Handle Time' (seconds) or --map 'avg_handle_minutes=Avg Handle "
        "Time' (minutes): the import multiplies it by contacts_handled",
        id="avg-spaced",
    ),
    pytest.param(
        "durée moyenne de traitement", {"handle_minutes": "durée moyenne de traitement"},
        'daily.csv: column "durée moyenne de traitement" reads as an average per contact, and handle_minutes '
        "is a total; use --map 'avg_handle_seconds=durée moyenne de traitement' (seconds) or --map "
        "'avg_handle_minutes=durée moyenne de traitement' (minutes): the import multiplies it by "
        "contacts_handled",
        id="moyenne",
    ),
]


@pytest.mark.parametrize(("header", "mapping", "message"), REFUSED)
def test_an_average_mapped_to_a_total_is_refused_naming_the_option(store, tmp_path, header, mapping, message):
    src = write(tmp_path, "daily.csv", DAILY.replace("AHT (s)", header))
    before = snapshot(store)
    with pytest.raises(ImportOptionRefused, match=f"^{re.escape(message)}$"):
        import_file(store, "workload", src, options=ImportOptions(mapping=mapping))
    assert snapshot(store) == before


def test_a_total_given_twice_as_total_and_average_is_refused(store, tmp_path):
    text = DAILY.replace(";AHT (s)", ";AHT (s);temps de traitement").replace("158\n", "158;105\n").replace(
        "90,5\n", "90,5;37\n"
    )
    with pytest.raises(ImportOptionRefused, match=re.escape(
        'daily.csv: handle_minutes is given 2 times, by "temps de traitement" (handle_minutes), '
        '"AHT (s)" (avg_handle_seconds); map only one of them'
    )):
        import_file(store, "workload", write(tmp_path, "daily.csv", text))


NO_AGENTS = (
    "date;région;site;équipe;contacts traités;temps de traitement\n"
    "01/10/2025;Nord;LIL-CC;B;100;250\n"
)


def test_a_file_without_agents_loads_with_a_warning_naming_the_metrics_that_need_them(store, tmp_path):
    report = import_file(store, "workload", write(tmp_path, "sans_effectif.csv", NO_AGENTS))
    assert report.accepted == 1
    assert [n.render("en", "cli") for n in report.notices] == [
        "sans_effectif.csv gives no agent count (agents): Contacts per agent-day, Overtime hours per "
        "agent-day, Evaluations per agent-day need it and leave these rows out; Average handle time can use "
        "them. Without a count, the privacy rule treats the team as small: its figures appear only merged "
        "(other teams, other sites) with teams that reach 5 agents. Add a column of agents per team and day "
        "(--map agents=HEADER)."
    ]
    assert report.notices[0].render("fr").startswith(
        "sans_effectif.csv ne donne pas le nombre de conseillers (agents) : Contacts par conseiller et par "
        "jour, Heures supplémentaires par conseiller-jour, Évaluations par conseiller-jour en ont besoin"
    )


def test_the_cli_prints_the_grouping_and_the_missing_agents_warning(tmp_path):
    db = tmp_path / "cx.duckdb"
    log = write(tmp_path, "acd.csv", ACD)
    daily = write(tmp_path, "sans_effectif.csv", NO_AGENTS)
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(db), "import", "workload", str(log), "--set", "region=Nord",
                                "--set", "site=LIL-CC", "--max-rejected", "30"])
    assert first.exit_code == 0
    assert first.stdout.splitlines()[1:3] == [
        "  rows read 10 = accepted 7 (7 new, 0 updated) + rejected 2 + skipped 1",
        "  Call log (one call per row): 7 rows grouped, Team workload receives 3 (one team on one day); "
        "agent ids counted, never stored",
    ]
    second = runner.invoke(cli, ["--db", str(db), "import", "workload", str(daily)])
    assert second.exit_code == 0
    assert second.stderr.startswith("Warning: sans_effectif.csv gives no agent count (agents): ")


def test_a_team_without_agents_is_never_published_alone(store, tmp_path):
    # A: 10 agents; B: no count (0 for the privacy rule); C: 6 agents. B is small, and alone it stays
    # small, so the smallest other team, C, joins it: "autres équipes (LIL-CC)" = B + C, A alone.
    text = (
        "date;région;site;équipe;conseillers;contacts traités;temps de traitement\n"
        "01/10/2025;Nord;LIL-CC;A;10;400;1000\n"
        "01/10/2025;Nord;LIL-CC;B;;100;250\n"
        "01/10/2025;Nord;LIL-CC;C;6;120;360\n"
    )
    import_file(store, "workload", write(tmp_path, "charge.csv", text))
    per_agent = metric_frame(store, metric("contacts_per_agent_day"), by=("team",)).set_index("team")
    handle = metric_frame(store, metric("avg_handle_minutes"), by=("team",)).set_index("team")
    assert sorted(per_agent.index) == sorted(handle.index) == ["A", "autres équipes (LIL-CC)"]
    # contacts per agent-day of B + C: only C has agents, so only C's contacts count: 120 / 6 = 20.0
    # (B's 100 contacts over C's 6 agents would give 36.7)
    assert per_agent.loc["autres équipes (LIL-CC)", "value"] == 20.0
    # average handle time of B + C: (250 + 360) min / (100 + 120) contacts = 2.7727
    assert handle.loc["autres équipes (LIL-CC)", "value"] == pytest.approx(2.7727, abs=1e-4)


def test_share_of_contacts_monitored_per_team_month_by_hand(store, tmp_path):
    text = (
        "date;région;site;équipe;conseillers;contacts traités;contacts analysés\n"
        "01/10/2025;Nord;LIL-CC;A;6;40;10\n"
        "02/10/2025;Nord;LIL-CC;A;6;60;15\n"
        "01/10/2025;Nord;LIL-CC;C;5;80;8\n"
        "02/10/2025;Nord;LIL-CC;C;5;20;\n"
    )
    import_file(store, "workload", write(tmp_path, "charge.csv", text))
    got = metric_frame(store, metric("monitored_contacts_pct"), by=("team",)).set_index("team")
    # A: (10 + 15) of (40 + 60) contacts = 25.0 %; C: 8 of 80 (the day without a count is left out) = 10.0 %
    assert got["value"].round(4).to_dict() == {"A": 25.0, "C": 10.0}


def test_a_rebuild_from_the_archive_groups_the_hashed_calls_into_the_same_team_days(store, tmp_path):
    calls(store, tmp_path)
    rebuilt = rebuild(store.path, tmp_path / "rebuilt.duckdb")
    again = open_store(rebuilt.path)
    try:
        # the archive holds hashes, not ids: distinct hashes count the same agents (A on 1 Oct: 2)
        assert workload(again) == workload(store)
        assert workload(again)[0] == (OCT1, "Nord", "LIL-CC", "A", 2, 3, 7.0, 2)
    finally:
        again.close()


def test_the_data_page_shows_the_grouping_of_a_call_log(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CX_DB", str(tmp_path / "page.duckdb"))
    at = AppTest.from_file("../dashboard/pages/data.py", default_timeout=120).run()
    at.file_uploader(key="data_upload").set_value(("acd.csv", ACD.encode("utf-8"), "text/csv")).run()
    at.selectbox(key="data_dataset").set_value("workload").run()
    rows = list(at.data_editor(key="data_constants_workload").value["column"])
    at.session_state["data_constants_workload"] = {
        "edited_rows": {rows.index("region"): {"Valeur": "Nord"}, rows.index("site"): {"Valeur": "LIL-CC"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.number_input(key="data_max_rejected").set_value(30.0).run()
    at.button(key="data_import").click().run()
    assert not at.exception
    texts = [x.value for x in at.text]
    # the same words as the CLI: 7 accepted calls became 3 team-days
    assert (
        "Journal d'appels (un appel par ligne) : 7 lignes regroupées, « Charge de travail des équipes » en "
        "reçoit 3 (une équipe sur une journée) ; identifiants d'agents comptés, jamais conservés"
    ) in texts


def test_a_column_of_durations_is_offered_for_a_duration_and_not_for_a_plain_number():
    """The mapping offers a header whose samples are durations to a seconds column (typed_candidates)."""
    from metrics.contracts.datasets import LOGS
    from metrics.ingest.mapping import typed_candidates

    rows = LOGS["workload_calls"].rows
    samples = [["00:05:23", "5:23", "abc"], ["0:00:14,5", "12:40", "def"], ["1:00:00", "0:59", "ghi"]]
    headers = ["durée", "heure", "texte"]
    assert typed_candidates(rows.column("service_seconds"), headers, samples) == [0, 1]
    # contacts_handled counts calls: a duration is no count
    assert typed_candidates(DATASETS["workload"].column("contacts_handled"), headers, samples) == []
