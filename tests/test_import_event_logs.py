"""Non-response is not an error, event logs keep one line per record, and advice never invents data.

Real-shaped files written by each test: a Google Forms survey whose NPS question was optional, a
ServiceNow-style incident log (one line per state change, `?` for empty), exports with null markers.
"""

from __future__ import annotations

import re

import pytest

from metrics.errors import ImportRefused
from metrics.ingest.history import rejected_rows
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.ingest.reasons import render_reason
from metrics.ingest.rejection import TooManyRejected
from tests.support import snapshot


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def imported(store, dataset, path, **options):
    report = import_file(store, dataset, path, options=ImportOptions(**options))
    assert report.accepted + report.rejected + report.skipped == report.rows_read
    return report


def rows(store, sql):
    with store.cursor() as cur:
        return cur.execute(sql).fetchall()


# 20 answers, the recommendation question left blank on 9 of them (45 %): lines 2, 4, 6... for i even < 18
FORM = "Horodateur,Quelle est la probabilité que vous nous recommandiez ?,Commentaire\n" + "".join(
    f"2026/03/{1 + i:02d} 10:00:00,{'' if i % 2 == 0 and i < 18 else i % 11},réponse {i}\n" for i in range(20)
)
FORM_OPTIONS = {
    "mapping": {
        "score": "Quelle est la probabilité que vous nous recommandiez ?",
        "response_id": "Horodateur",
        "responded_at": "Horodateur",
    },
    "constants": {"region": "Bretagne"},
}


def test_a_blank_optional_nps_answer_is_a_counted_non_response_not_a_rejection(store, tmp_path):
    src = write(tmp_path, "formulaire.csv", FORM)
    report = imported(store, "responses", src, **FORM_OPTIONS)
    # 9 blanks (i = 0, 2, ..., 16) are skipped, not rejected: 45 % would have refused the file before
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (20, 11, 0, 9)
    assert report.skipped_by_reason == {"no_score": 9}
    assert report.status == "done"
    assert set(rejected_rows(store, report.import_id)["reason"]) == {"no_score"}
    said = render_reason("no_score", None, None, "fr")
    assert said == "sans réponse à la question de recommandation, ignorée"
    # the NPS counts the 11 answers only: i = 1, 3, ..., 17 -> 1 3 5 7 9 0 2 4 6 and i = 18, 19 -> 7 8
    assert rows(store, "SELECT count(*), count(score) FROM ds_responses") == [(11, 11)]


def test_a_blank_measure_is_never_given_a_made_up_value(store, tmp_path):
    # an effort score (a measure) blank on 3 of 4 rows of a file whose header has no effort column name:
    # the fix maps a column or corrects lines, never "--set effort=VALUE" for every row
    src = write(
        tmp_path,
        "interventions.csv",
        "intervention_id;completed_at;region;first_time_fix\n"
        "i1;02/09/2025;Nord;oui\ni2;02/09/2025;Nord;\ni3;03/09/2025;Nord;\ni4;03/09/2025;Nord;\n",
    )
    before = snapshot(store)
    with pytest.raises(TooManyRejected) as refused:
        import_file(store, "interventions", src)
    assert "--set" not in str(refused.value)
    assert str(refused.value).endswith("Fix: first_time_fix is empty on those rows: map the file column that "
                                       "holds it with --map first_time_fix=HEADER, or correct those lines")
    assert snapshot(store) == before


# a ServiceNow incident event log: one line per state change, ids repeat, "?" where a field is empty
LOG = (
    "number,incident_state,opened_at,closed_at,category\n"
    "INC0000045,New,01-03-2016 01:22,?,Category 55\n"
    "INC0000045,Active,01-03-2016 01:22,?,Category 55\n"
    "INC0000045,Resolved,01-03-2016 01:22,?,Category 55\n"
    "INC0000045,Closed,01-03-2016 01:22,11-03-2016 09:00,Category 55\n"
    "INC0000047,New,04-03-2016 13:05,?,Category 40\n"
    "INC0000047,Active,04-03-2016 13:05,?,Category 40\n"
    "INC0000051,New,05-03-2016 09:41,?,?\n"
    "INC0000051,Closed,05-03-2016 09:41,06-03-2016 10:15,Category 12\n"
)
LOG_OPTIONS = {"mapping": {"complaint_id": "number"}, "constants": {"region": "Nord"}, "date_order": "dmy"}


def test_an_event_log_without_keep_is_refused_with_keep_last_not_row_id(store, tmp_path):
    src = write(tmp_path, "incidents.csv", LOG)
    with pytest.raises(TooManyRejected) as refused:
        import_file(store, "complaints", src, options=ImportOptions(**LOG_OPTIONS))
    # 5 of 8 lines repeat an id already seen: more than half, so successive states of one record
    message = str(refused.value)
    assert "--keep last" in message
    assert "--row-id" not in message


def test_keep_last_stores_each_ticket_once_in_its_latest_state(store, tmp_path):
    src = write(tmp_path, "incidents.csv", LOG)
    report = imported(store, "complaints", src, keep="last", **LOG_OPTIONS)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (8, 3, 0, 5)
    assert report.skipped_by_reason == {"other_state": 5}
    got = rows(store, "SELECT complaint_id, closed_at, category FROM ds_complaints ORDER BY 1")
    # "?" is no date and no category: an empty cell, not a rejected row
    assert [(i, str(c) if c else None, k) for i, c, k in got] == [
        ("INC0000045", "2016-03-11 09:00:00", "Category 55"),
        ("INC0000047", None, "Category 40"),
        ("INC0000051", "2016-03-06 10:15:00", "Category 12"),
    ]


def test_keep_first_stores_each_ticket_as_first_seen(store, tmp_path):
    src = write(tmp_path, "incidents.csv", LOG)
    imported(store, "complaints", src, keep="first", **LOG_OPTIONS)
    got = rows(store, "SELECT complaint_id, closed_at, category FROM ds_complaints ORDER BY 1")
    assert got == [("INC0000045", None, "Category 55"), ("INC0000047", None, "Category 40"),
                   ("INC0000051", None, "?")]  # a free-text column keeps what the file says


def test_keep_accepts_only_first_or_last():
    with pytest.raises(Exception, match=r"--keep latest: expected one of first, last"):
        ImportOptions(keep="latest")


@pytest.mark.parametrize("marker", ["?", "NA", "n/a", "NULL", "-", "(vide)", "#N/A"])
def test_null_markers_in_a_typed_column_are_empty_cells(store, tmp_path, marker):
    src = write(
        tmp_path,
        "plaintes.csv",
        f"n° réclamation;date d'ouverture;région;date de clôture;nb contacts\n"
        f"c1;02/09/2025;Nord;{marker};{marker}\nc2;03/09/2025;Nord;05/09/2025;2\n",
    )
    report = imported(store, "complaints", src)
    assert (report.accepted, report.rejected) == (2, 0)
    assert rows(store, "SELECT complaint_id, closed_at IS NULL, contacts FROM ds_complaints ORDER BY 1") == [
        ("c1", True, None),
        ("c2", False, 2),
    ]


def test_a_missing_id_is_never_matched_to_a_header_that_only_rhymes(store, tmp_path):
    # "location" and "n° réclamation" share "-ation" (difflib 0,60), but one is a place and one an id
    src = write(tmp_path, "incidents.csv", LOG.replace("category", "location"))
    with pytest.raises(ImportRefused) as refused:
        import_file(store, "complaints", src, options=ImportOptions(date_order="dmy"))
    assert "complaint_id" in str(refused.value)
    assert "location" not in str(refused.value).split("found:")[-1].split(".", 1)[-1]
    assert "Did you mean" not in str(refused.value)


def test_complaints_mostly_without_a_closing_date_are_stored_with_a_warning(store, tmp_path):
    # SignalConso-like: 3 of 4 reports have no closing date (75 %): a backlog would hold them forever
    src = write(
        tmp_path,
        "signalconso.csv",
        "n° réclamation;date d'ouverture;région;date de clôture\n"
        "s1;02/09/2025;Nord;\ns2;03/09/2025;Nord;\ns3;04/09/2025;Nord;\ns4;05/09/2025;Nord;09/09/2025\n",
    )
    report = imported(store, "complaints", src)
    assert report.accepted == 4
    said = [n.render("en") for n in report.notices]
    assert len(said) == 1
    assert said[0].startswith("signalconso.csv: closed_at is empty on 75 % of the rows; ")
    assert "Open backlog" in said[0] or "backlog" in said[0].lower()
    assert "count those records as open forever" in said[0]
    # three of four closed: no warning
    more = write(tmp_path, "closed.csv", "n° réclamation;date d'ouverture;région;date de clôture\n"
                 "c1;02/09/2025;Nord;05/09/2025\nc2;03/09/2025;Nord;\n")
    assert imported(store, "complaints", more).notices == ()


# the same log as ServiceNow's "incident event log" often comes: no closing date, a time on each line
TIMED_LOG = (
    "number,incident_state,opened_at,sys_updated_on,category\n"
    "INC0000045,New,01-03-2016 01:22,01-03-2016 01:23,Category 55\n"
    "INC0000045,Resolved,01-03-2016 01:22,09-03-2016 17:40,Category 55\n"
    "INC0000045,Closed,01-03-2016 01:22,11-03-2016 09:00,Category 55\n"
    "INC0000047,New,04-03-2016 13:05,04-03-2016 13:06,Category 40\n"
    "INC0000047,Active,04-03-2016 13:05,05-03-2016 08:30,Category 40\n"
    "INC0000051,New,05-03-2016 09:41,05-03-2016 09:41,Category 12\n"
    "INC0000051,clôturé ,05-03-2016 09:41,06-03-2016 10:15,Category 12\n"
)
TIMED_OPTIONS = {
    "mapping": {"complaint_id": "number", "closed_at": "sys_updated_on"},
    "constants": {"region": "Nord"},
    "date_order": "dmy",
    "keep": "last",
}


def test_closed_when_takes_closing_dates_from_the_state_of_each_kept_line(store, tmp_path):
    src = write(tmp_path, "incidents.csv", TIMED_LOG)
    report = imported(store, "complaints", src, closed_when="incident_state=Closed,Clôturé", **TIMED_OPTIONS)
    assert (report.rows_read, report.accepted, report.skipped) == (7, 3, 4)
    got = rows(store, "SELECT complaint_id, closed_at FROM ds_complaints ORDER BY 1")
    # 45 closed at its Closed line's time; 47's last line is Active (open, though the line has a time);
    # 51's "clôturé " matches "Clôturé" once case, accents and spaces are folded
    assert [(i, str(c) if c else None) for i, c in got] == [
        ("INC0000045", "2016-03-11 09:00:00"),
        ("INC0000047", None),
        ("INC0000051", "2016-03-06 10:15:00"),
    ]
    said = [d.render("en") for d in report.decisions if d.topic == "closing"]
    assert said == ["closed when incident_state = Closed, Clôturé (2 of 3 records closed, dated by their "
                    "line's sys_updated_on)"]


def test_a_closing_line_rejected_for_its_date_is_not_counted_closed(store, tmp_path):
    # INC0000051's kept line closes it on 31 November, no date: the line is rejected, the record not stored
    log = TIMED_LOG.replace("09:41,06-03-2016 10:15", "09:41,31-11-2016 10:15")
    src = write(tmp_path, "incidents.csv", log)
    options = dict(TIMED_OPTIONS, max_rejected=100.0)
    report = imported(store, "complaints", src, closed_when="incident_state=Closed,Clôturé", **options)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (7, 2, 1, 4)
    said = [d.render("en") for d in report.decisions if d.topic == "closing"]
    # stored: 45 (closed) and 47 (open)
    assert said == ["closed when incident_state = Closed, Clôturé (1 of 2 records closed, dated by their "
                    "line's sys_updated_on)"]


def test_the_closing_warning_never_asks_for_an_option_already_given(store, tmp_path):
    # --closed-when given: 47 (Active) and 51 ("clôturé ", not Closed) are open, 2 of 3 (67 %): really open
    src = write(tmp_path, "incidents.csv", TIMED_LOG)
    report = imported(store, "complaints", src, closed_when="incident_state=Closed,Resolved", **TIMED_OPTIONS)
    (said,) = [n.render("en", surface="cli") for n in report.notices]
    assert said.startswith("incidents.csv: 67 % of the records stored are in no closing state "
                           "(Closed, Resolved); ")
    assert said.endswith(" count them as open until a later export closes them.")
    assert "--map" not in said
    assert "--keep" not in said
    # the column mapped but mostly empty, no --closed-when: the hint names the event log's options only
    empty = write(tmp_path, "empty.csv", "n° réclamation;date d'ouverture;région;date de clôture\n"
                  "e1;02/09/2025;Nord;\ne2;03/09/2025;Nord;\ne3;04/09/2025;Nord;05/09/2025\n")
    (said,) = [n.render("en", surface="cli") for n in imported(store, "complaints", empty).notices]
    assert said.startswith("empty.csv: closed_at is empty on 67 % of the rows; ")
    assert "--closed-when STATE_COLUMN=STATE[,STATE]" in said
    assert "--map" not in said
    # no closing column at all: the hint asks for it
    none = write(tmp_path, "none.csv", "n° réclamation;date d'ouverture;région\nz1;02/09/2025;Nord\n")
    (said,) = [n.render("en", surface="cli") for n in imported(store, "complaints", none).notices]
    assert "--map closed_at=HEADER" in said


def test_without_closed_when_every_line_time_would_close_the_record(store, tmp_path):
    # the option matters: mapped alone, the time of an Active line reads as a closing date
    src = write(tmp_path, "incidents.csv", TIMED_LOG)
    imported(store, "complaints", src, **TIMED_OPTIONS)
    assert rows(store, "SELECT count(closed_at) FROM ds_complaints") == [(3,)]


def test_resolved_counts_as_closed_only_when_named(store, tmp_path):
    src = write(tmp_path, "incidents.csv", TIMED_LOG)
    options = dict(TIMED_OPTIONS, keep="first")
    imported(store, "complaints", src, closed_when="incident_state=Resolved", **options)
    # first lines are all New: nothing closed
    assert rows(store, "SELECT count(*), count(closed_at) FROM ds_complaints") == [(3, 0)]


@pytest.mark.parametrize(
    ("rule", "mapping", "message"),
    [
        ("state=Closed", {"complaint_id": "number", "closed_at": "sys_updated_on"},
         'the file has no column "state"; columns: number, incident_state'),
        ("incident_state=Closed", {"complaint_id": "number"},
         "--closed-when needs the time of each line as closed_at: map it with --map closed_at=HEADER"),
    ],
)
def test_closed_when_refusals_name_the_fix_and_store_nothing(store, tmp_path, rule, mapping, message):
    src = write(tmp_path, "incidents.csv", TIMED_LOG)
    before = snapshot(store)
    options = dict(TIMED_OPTIONS, mapping=mapping)
    with pytest.raises(ImportRefused, match=re.escape(message)):
        import_file(store, "complaints", src, options=ImportOptions(closed_when=rule, **options))
    assert snapshot(store) == before


def test_closed_when_serves_only_datasets_that_close_and_needs_states(store, tmp_path):
    with pytest.raises(Exception, match=r"expected COLUMN=STATE\[,STATE\.\.\.\], e\.g\. --closed-when"):
        ImportOptions(closed_when="incident_state")
    src = write(
        tmp_path, "avis.csv", "response_id;responded_at;region;score;statut\nr1;02/09/2025;Nord;9;Clos\n"
    )
    with pytest.raises(ImportRefused, match="responses has no closing date"):
        import_file(store, "responses", src, options=ImportOptions(closed_when="statut=Clos"))


def test_closed_when_is_replayed_by_rebuild(store, tmp_path):
    import json

    from metrics.ingest.options import options_from, options_json

    opts = ImportOptions(closed_when="incident_state=Closed", **TIMED_OPTIONS)
    assert options_from(json.loads(options_json(opts))).closed_when == "incident_state=Closed"


def test_the_cli_takes_closed_when_and_reports_the_decision(tmp_path):
    from click.testing import CliRunner

    from metrics.cli.main import cli

    src = write(tmp_path, "incidents.csv", TIMED_LOG)
    args = ["--db", str(tmp_path / "cx.duckdb"), "import", "complaints", str(src), "--keep", "last",
            "--map", "complaint_id=number", "--map", "closed_at=sys_updated_on", "--set", "region=Nord",
            "--date-order", "dmy", "--closed-when", "incident_state=Closed,Clôturé"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "closed when incident_state = Closed, Clôturé (2 of 3 records closed, dated by their line's " \
           "sys_updated_on)" in result.output
    bad = CliRunner().invoke(cli, [*args[:-2], "--closed-when", "incident_state"])
    assert bad.exit_code == 2
    assert "--closed-when 'incident_state': expected COLUMN=STATE[,STATE...]" in bad.output
