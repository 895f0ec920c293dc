"""Real exports read right or refused: no silent partial import, description rows, files without ids, and
survey tools (issue 12, problems 4-8). Fixtures are hand-made in each tool's documented export shape.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.errors import ImportRefused
from metrics.ingest.history import rejected_rows
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.ingest.rejection import TooManyRejected
from tests.support import snapshot

D = dt.datetime


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def imported(store, dataset, path, **options):
    report = import_file(store, dataset, path, options=ImportOptions(**options))
    assert report.accepted + report.rejected + report.skipped == report.rows_read
    return report


def table(store, sql):
    with store.cursor() as cur:
        return cur.execute(sql).fetchall()


# --- 4. no silent partial import -------------------------------------------------------------------

NONE_GOOD = "id;date;region;score\nr1;02/09/2025;Nord;11\nr2;02/09/2025;Nord;12\nr3;xx;Nord;9\n"


def test_a_file_with_no_good_row_is_refused_whole_and_changes_nothing(store, tmp_path):
    # 3 of 3 rejected = 100 % > 10 %: two scores out of range (lines 2, 3), one bad date (line 4)
    src = write(tmp_path, "r.csv", NONE_GOOD)
    before = snapshot(store)
    with pytest.raises(TooManyRejected) as refused:
        import_file(store, "responses", src)
    assert str(refused.value) == (
        "r.csv: 3 of 3 rows would be rejected (100 %, above --max-rejected 10 %); nothing was imported. "
        "Commonest reasons:\n"
        '  2 x line 2, column score: "11" is outside 0-10\n'
        '  1 x line 4, column date: "xx" is not a date in the format read for this column (dd/mm/yyyy)\n'
        "Fix: check which file column feeds score: --map score=HEADER"
    )
    assert snapshot(store) == before


def test_month_first_values_read_day_first_suggest_date_order_mdy(store, tmp_path):
    # 2 values prove day first (13/01, 14/01), 1 proves month first (1/13): read day first, so 1/13 is
    # rejected: 1 of 3 = 33 % of the column looks month-first
    src = write(
        tmp_path,
        "r.csv",
        "id;survey_date;region;score\nr1;13/01/2019;N;9\nr2;14/01/2019;N;9\nr3;1/13/2019;N;9\n",
    )
    with pytest.raises(TooManyRejected) as refused:
        import_file(store, "responses", src, mapping={"responded_at": "survey_date"})
    err = refused.value
    assert (err.rejected, err.rows_read, err.fix.option) == (1, 3, "--date-order mdy")
    assert err.fix.why("en") == "33 % of responded_at values look month-first: add --date-order mdy"
    assert err.render("fr").endswith(
        "Correction : 33 % des valeurs de responded_at ont le mois en premier : ajoutez --date-order mdy"
    )


def test_rejections_at_the_threshold_are_stored_as_a_partial_import(store, tmp_path):
    # 1 rejected of 10 = 10 %: at the threshold, so the 9 good rows are stored and the import is partial
    body = "".join(f"r{i};02/09/2025;Nord;{9 if i else 11}\n" for i in range(10))
    report = imported(store, "responses", write(tmp_path, "r.csv", "id;date;region;score\n" + body))
    assert (report.accepted, report.rejected, report.status) == (9, 1, "partial")
    assert table(store, "SELECT status FROM imports") == [("partial",)]


# --- 5. description rows --------------------------------------------------------------------------


def test_real_rows_with_bad_dates_under_the_header_are_rejected_not_skipped(store, tmp_path):
    # lines 2-4 are complaints whose dates do not parse; their contacts are numbers, so they are data
    src = write(
        tmp_path,
        "complaints.csv",
        "complaint_id,opened_at,category,contacts,region\n"
        "c1,2019-02-30,Billing,2,N\nc2,2019-13-01,Billing,1,N\nc3,unknown,Billing,3,N\n"
        "c4,2019-02-08,Billing,1,N\n",
    )
    report = imported(store, "complaints", src, max_rejected=100.0)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (4, 1, 3, 0)
    assert [(p.line, p.reason) for p in report.problems] == [
        (2, "not_a_date"),
        (3, "not_a_date"),
        (4, "not_a_date"),
    ]


def test_a_repeated_header_under_the_header_is_skipped(store, tmp_path):
    src = write(
        tmp_path, "r.csv", "id;date;region;score\nid;date;region;score\nr1;02/09/2025;N;9\n"
    )
    report = imported(store, "responses", src)
    assert (report.rows_read, report.accepted, report.skipped) == (2, 1, 1)
    assert report.skipped_by_reason == {"description_row": 1}


# --- 6. files without ids or dimensions -----------------------------------------------------------

FORM = (
    "Timestamp,How likely are you to recommend us?\n2019-11-01 08:51:12,9\n2019-11-02 10:02:45,7\n"
)


def test_set_and_row_id_import_a_file_without_id_or_region(store, tmp_path):
    report = imported(
        store,
        "responses",
        write(tmp_path, "form.csv", FORM),
        mapping={"score": "How likely are you to recommend us?"},
        constants={"region": "Bretagne"},
        row_id=True,
        preset="google-forms",
    )
    assert (report.accepted, report.rejected) == (2, 0)
    got = table(store, "SELECT response_id, region, score FROM ds_responses ORDER BY score")
    assert [(len(i), i[0], r, s) for i, r, s in got] == [
        (17, "h", "Bretagne", 7),
        (17, "h", "Bretagne", 9),
    ]
    assert report.mapping["region"] == "= Bretagne"
    assert report.mapping["response_id"] == "(row hash)"


def test_row_ids_make_a_re_export_update_rather_than_duplicate(store, tmp_path):
    options = {
        "mapping": {"score": "How likely are you to recommend us?"},
        "constants": {"region": "B"},
    }
    imported(store, "responses", write(tmp_path, "a.csv", FORM), row_id=True, **options)
    later = FORM + "2019-11-03 17:30:00,10\n"  # the same 2 answers and one new
    report = imported(store, "responses", write(tmp_path, "b.csv", later), row_id=True, **options)
    assert (report.accepted, report.updated, report.inserted) == (3, 2, 1)
    assert table(store, "SELECT count(*) FROM ds_responses") == [(3,)]


def test_two_identical_rows_get_one_id_and_the_second_is_rejected_as_a_duplicate(store, tmp_path):
    src = write(tmp_path, "form.csv", FORM + "2019-11-01 08:51:12,9\n")  # line 4 repeats line 2
    report = imported(
        store,
        "responses",
        src,
        mapping={"score": "How likely are you to recommend us?"},
        constants={"region": "B"},
        row_id=True,
        max_rejected=100.0,
    )
    assert [(p.line, p.column, p.reason, p.detail) for p in report.problems] == [
        (4, "--row-id", "duplicate_in_file", "2")
    ]


def test_one_header_feeds_two_fields(store, tmp_path):
    src = write(tmp_path, "form.csv", FORM)
    report = imported(
        store,
        "responses",
        src,
        mapping={
            "response_id": "Timestamp",
            "responded_at": "Timestamp",
            "score": "How likely are you to recommend us?",
        },
        constants={"region": "B"},
    )
    assert report.accepted == 2
    assert table(store, "SELECT response_id, responded_at FROM ds_responses ORDER BY 1") == [
        ("2019-11-01 08:51:12", D(2019, 11, 1, 8, 51, 12)),
        ("2019-11-02 10:02:45", D(2019, 11, 2, 10, 2, 45)),
    ]


def test_row_id_is_refused_for_a_dataset_keyed_by_several_columns(store, tmp_path):
    src = write(
        tmp_path,
        "charge.csv",
        "date;site;équipe;conseillers;contacts traités\n02/09/2025;S;T;3;40\n",
    )
    with pytest.raises(
        ImportRefused, match=r"--row-id: workload is identified by date, site, team, not by one"
    ):
        imported(store, "workload", src, row_id=True)


# --- 7. survey tools --------------------------------------------------------------------------------

QUALTRICS = (
    "StartDate,EndDate,Status,Finished,RecordedDate,ResponseId,Q1,Q2\n"
    '"Start Date","End Date","Response Type","Finished","Recorded Date","Response ID",'
    '"How likely are you to recommend us?","Region"\n'
    '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""status""}",'
    '"{""ImportId"":""finished""}","{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}",'
    '"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}"\n'
    "2025-09-02 10:00:00,2025-09-02 10:05:00,IP Address,1,2025-09-02 10:05:01,R_1,9,Nord\n"
    "2025-09-02 11:00:00,2025-09-02 11:05:00,Survey Preview,1,2025-09-02 11:05:01,R_2,10,Nord\n"
    "2025-09-02 12:00:00,2025-09-02 12:05:00,IP Address,0,2025-09-02 12:05:01,R_3,3,Nord\n"
    "2025-09-02 13:00:00,2025-09-02 13:05:00,IP Address,1,2025-09-02 13:05:01,R_4,6,Sud\n"
)


def test_qualtrics_is_detected_mapped_by_question_text_and_drops_previews_and_unfinished(
    store, tmp_path
):
    # lines 2-3 header rows, 5 a preview, 6 unfinished: 6 rows read = 2 accepted + 4 skipped
    report = imported(
        store,
        "responses",
        write(tmp_path, "qualtrics.csv", QUALTRICS),
        mapping={"score": "How likely are you to recommend us?", "region": "Region"},
    )
    assert report.preset == "qualtrics"
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (6, 2, 0, 4)
    assert report.skipped_by_reason == {
        "description_row": 2,
        "preview_response": 1,
        "unfinished_response": 1,
    }
    assert table(
        store, "SELECT response_id, responded_at, region, score FROM ds_responses ORDER BY 1"
    ) == [
        ("R_1", D(2025, 9, 2, 10, 5, 1), "Nord", 9),
        ("R_4", D(2025, 9, 2, 13, 5, 1), "Sud", 6),
    ]


def test_qualtrics_map_accepts_the_column_ids_too(store, tmp_path):
    report = imported(
        store,
        "responses",
        write(tmp_path, "qualtrics.csv", QUALTRICS),
        mapping={"score": "Q1", "region": "Q2"},
        preset="qualtrics",
    )
    assert report.accepted == 2


QUALTRICS_LEGACY = (
    "V1,V2,V7,V8,V9,V10,Q1,Q2\n"
    "ResponseID,ResponseSet,Status,StartDate,EndDate,Finished,"
    "How likely are you to recommend us?,Region\n"
    "R_1,Default,0,2025-09-02 10:00:00,2025-09-02 10:05:00,1,9,Nord\n"
    "R_2,Default,1,2025-09-02 11:00:00,2025-09-02 11:05:00,1,10,Nord\n"
    "R_3,Default,0,2025-09-02 12:00:00,2025-09-02 12:05:00,0,2,Nord\n"
)


def test_qualtrics_legacy_reads_ids_from_row_one_and_questions_from_row_two(store, tmp_path):
    # line 2 question texts (skipped), line 4 a preview (Status 1), line 5 unfinished (Finished 0)
    report = imported(
        store,
        "responses",
        write(tmp_path, "legacy.csv", QUALTRICS_LEGACY),
        mapping={"score": "How likely are you to recommend us?", "region": "Q2"},
    )
    assert report.preset == "qualtrics-legacy"
    assert (report.rows_read, report.accepted, report.skipped) == (4, 1, 3)
    assert table(store, "SELECT response_id, responded_at, score FROM ds_responses") == [
        ("R_1", D(2025, 9, 2, 10, 5), 9)
    ]


SURVEYMONKEY = (
    "Respondent ID,Collector ID,Start Date,End Date,How likely are you to recommend us?,Region,\n"
    ",,,,Response,Response,Other (please specify)\n"
    "114,431,09/02/2025 10:00:00 AM,09/02/2025 10:05:00 AM,9,North,\n"
    "115,431,09/13/2025 11:00:00 AM,09/13/2025 11:05:00 PM,4,,Brittany\n"
)


def test_surveymonkey_second_header_row_is_skipped_and_its_names_map(store, tmp_path):
    # 09/13 proves month first; the 2nd answer's region is in the "Other" column under "Region"
    report = imported(
        store,
        "responses",
        write(tmp_path, "monkey.csv", SURVEYMONKEY),
        mapping={
            "score": "How likely are you to recommend us?",
            "region": "Region - Other (please specify)",
        },
        max_rejected=100.0,
    )
    assert report.preset == "surveymonkey"
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (3, 1, 1, 1)
    assert table(store, "SELECT response_id, responded_at, region, score FROM ds_responses") == [
        ("115", D(2025, 9, 13, 23, 5), "Brittany", 4)
    ]
    assert [(p.line, p.reason) for p in report.problems] == [(3, "missing")]


TYPEFORM = (
    "#,How likely are you to recommend us?,Response Type,Start Date (UTC),Submit Date (UTC),Network ID\n"
    "a1b2,9,completed,2025-09-02 10:00:00,2025-09-02 10:01:00,n1\n"
    "c3d4,,partial,2025-09-02 11:00:00,,n2\n"
)


def test_typeform_id_and_date_come_from_the_preset_and_partial_answers_are_dropped(store, tmp_path):
    report = imported(
        store,
        "responses",
        write(tmp_path, "typeform.csv", TYPEFORM),
        mapping={"score": "How likely are you to recommend us?"},
        constants={"region": "Nord"},
    )
    assert report.preset == "typeform"
    assert (report.rows_read, report.accepted, report.skipped) == (2, 1, 1)
    assert report.skipped_by_reason == {"unfinished_response": 1}
    # "Submit Date (UTC)" 10:01 UTC is 12:01 in Paris (UTC+2 in September)
    assert table(store, "SELECT response_id, responded_at FROM ds_responses") == [
        ("a1b2", D(2025, 9, 2, 12, 1))
    ]
    assert report.dates[0].describe("en") == (
        'responded_at ("Submit Date (UTC)"): yyyy-mm-dd (ISO dates, UTC -> Europe/Paris)'
    )


def test_an_unknown_preset_is_refused_with_the_list(store, tmp_path):
    with pytest.raises(
        ImportRefused, match=r"--preset qualtrix: no such survey tool; did you mean"
    ):
        imported(store, "responses", write(tmp_path, "r.csv", FORM), preset="qualtrix")


# --- 8. suggestions by type -------------------------------------------------------------------------


def test_did_you_mean_proposes_only_columns_whose_values_fit_the_type(store, tmp_path):
    # "State" is spelled like "date" but holds CA, TX: it is not offered for a date column
    src = write(
        tmp_path,
        "complaints.csv",
        "Complaint ID,State,Product\n3412345,CA,Mortgage\n3412346,TX,Credit card\n",
    )
    with pytest.raises(ImportRefused) as refused:
        imported(store, "complaints", src)
    message = str(refused.value)
    assert 'Did you mean "State"' not in message
    assert message == (
        'complaints.csv: complaints needs a column "opened_at", "region"; found: Complaint ID, State, '
        "Product. Rename a column or use --map opened_at=YOUR_HEADER"
    )


def test_did_you_mean_still_offers_a_date_column_spelled_close(store, tmp_path):
    src = write(tmp_path, "complaints.csv", "Complaint ID,Dates,region\n1,2019-02-08,N\n")
    with pytest.raises(ImportRefused, match=r'Did you mean "Dates"\? Use --map opened_at=Dates$'):
        imported(store, "complaints", src)


def test_rejected_rows_stay_listable_after_a_partial_import(store, tmp_path):
    report = imported(store, "responses", write(tmp_path, "r.csv", NONE_GOOD), max_rejected=100.0)
    assert report.status == "partial"
    assert rejected_rows(store, report.import_id)["line"].tolist() == [2, 3, 4]


def test_every_import_option_and_preset_is_documented_with_an_example():
    from pathlib import Path

    from metrics.cli.imports import import_command
    from metrics.ingest.presets import PRESETS
    from metrics.reports.docs import data_contracts

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    contracts = data_contracts()
    options = [o for p in import_command.params for o in p.opts if o.startswith("--")]
    assert set(options) >= {"--set", "--row-id", "--date-order", "--max-rejected", "--preset", "--map"}
    examples = [line for line in readme.splitlines() if "python -m metrics import " in line]
    for option in options:
        assert any(option in line for line in examples), f"README has no import example with {option}"
    for key in PRESETS:
        assert f"`{key}`" in contracts
        assert key in readme


def test_a_dry_run_changes_nothing_and_reports_what_would_be_updated(store, tmp_path):
    src = write(tmp_path, "r.csv", "id;date;region;score\nr1;02/09/2025;N;9\nr2;02/09/2025;N;11\n")
    imported(store, "responses", write(tmp_path, "first.csv", "id;date;region;score\nr1;01/09/2025;N;5\n"))
    before = snapshot(store)
    report = imported(store, "responses", src, dry_run=True)
    assert snapshot(store) == before
    # r1 exists (would be updated), r2 has a score of 11: 1 of 2 rejected = 50 % > 10 %
    assert (report.dry_run, report.accepted, report.updated, report.rejected) == (True, 1, 1, 1)
    assert report.refusal.startswith("r.csv: 1 of 2 rows would be rejected (50 %")
