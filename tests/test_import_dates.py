"""Dates read right or refused: the order of each column decided from its own values, two-digit years, ISO.

Issue 12, problems 1-3: US month-first dates were misread without a word, two-digit years and ISO
timestamps with fractional seconds were rejected.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.errors import ImportRefused
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.store import open_store
from tests.support import snapshot

D = dt.datetime


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def dates(store, table="ds_responses", column="responded_at", key="response_id"):
    with store.cursor() as cur:
        return cur.execute(f"SELECT {key}, {column} FROM {table} ORDER BY {key}").fetchall()


# a Google Forms export (US locale): 1-4 November 2019, every value with both fields <= 12
GOOGLE_FORMS = (
    "Timestamp,Region,How likely are you to recommend us?\n"
    "11/1/2019 8:51:12,North,9\n"
    "11/2/2019 10:02:45,North,7\n"
    "11/3/2019 17:30:00,South,10\n"
    "11/4/2019 4:33:11,South,3\n"
)


def test_ambiguous_us_dates_are_refused_naming_the_column_and_the_option(store, tmp_path):
    src = write(tmp_path, "form.csv", GOOGLE_FORMS)
    before = snapshot(store)
    with pytest.raises(ImportRefused) as refused:
        import_file(
            store,
            "responses",
            src,
            mapping={"response_id": "Timestamp", "score": "How likely are you to recommend us?"},
        )
    assert str(refused.value) == (
        'form.csv, column "Timestamp" (responded_at): dates such as "11/1/2019", "11/2/2019", "11/3/2019" '
        "read both day-first and month-first, and no value has a day above 12 to tell; say which with "
        "--date-order dmy (day first, 01/02/2025 = 1 February) or --date-order mdy (month first, "
        "01/02/2025 = January 2)"
    )
    assert snapshot(store) == before


def test_date_order_mdy_reads_google_forms_timestamps_as_november(store, tmp_path):
    src = write(tmp_path, "form.csv", GOOGLE_FORMS)
    report = import_file(
        store,
        "responses",
        src,
        options=ImportOptions(
            date_order="mdy",
            mapping={"response_id": "Timestamp", "score": "How likely are you to recommend us?"},
        ),
    )
    assert (report.accepted, report.rejected, report.status) == (4, 0, "done")
    assert dates(store) == [
        ("11/1/2019 8:51:12", D(2019, 11, 1, 8, 51, 12)),
        ("11/2/2019 10:02:45", D(2019, 11, 2, 10, 2, 45)),
        ("11/3/2019 17:30:00", D(2019, 11, 3, 17, 30)),
        ("11/4/2019 4:33:11", D(2019, 11, 4, 4, 33, 11)),
    ]
    assert [r.describe("en") for r in report.dates] == [
        'responded_at ("Timestamp"): mm/dd/yyyy (forced by --date-order)'
    ]


def test_a_second_field_above_12_proves_month_first(store, tmp_path):
    # complaints export: 2/8/2019 is 8 February because 2/13/2019 has a second field of 13
    src = write(
        tmp_path,
        "complaints.csv",
        "complaint_id,opened_at,category\nc1,2/8/2019,Billing\nc2,2/13/2019,Billing\nc3,12/1/2019,Billing\n",
    )
    report = import_file(
        store, "complaints", src, options=ImportOptions(constants={"region": "Nord"})
    )
    assert dates(store, "ds_complaints", "opened_at", "complaint_id") == [
        ("c1", D(2019, 2, 8)),
        ("c2", D(2019, 2, 13)),
        ("c3", D(2019, 12, 1)),
    ]
    # 1 value (2/13) of 3 has its second field above 12
    assert [r.describe("en") for r in report.dates] == [
        'opened_at ("opened_at"): mm/dd/yyyy (detected: 1 of 3 values have a day above 12)'
    ]


def test_a_first_field_above_12_proves_day_first_in_an_english_file(store, tmp_path):
    src = write(
        tmp_path, "r.csv", "id,date,region,score\nr1,2/8/2019,North,9\nr2,25/12/2019,North,9\n"
    )
    report = import_file(store, "responses", src)
    assert report.dates[0].order == "dmy"
    assert dates(store) == [("r1", D(2019, 8, 2)), ("r2", D(2019, 12, 25))]


def test_two_digit_years_are_read_beside_four_digit_ones(store, tmp_path):
    # a bank export: 1/9/21 is 1 September 2021 (day first: 25/12/2021 proves it); 68 -> 2068 is the pivot
    src = write(
        tmp_path,
        "banque.csv",
        "n° réponse;date de réponse;région;note\n"
        "1;1/9/21;Nord;9\n2;25/12/2021;Nord;8\n3;5/1/25 14:30;Nord;7\n",
    )
    report = import_file(store, "responses", src)
    assert (report.accepted, report.rejected) == (3, 0)
    assert dates(store) == [
        ("1", D(2021, 9, 1)),
        ("2", D(2021, 12, 25)),
        ("3", D(2025, 1, 5, 14, 30)),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-11-01 08:51:12.402", D(2019, 11, 1, 8, 51, 12, 402000)),
        ("2019-11-01T08:51:12", D(2019, 11, 1, 8, 51, 12)),
        # Paris is UTC+1 in November: 08:51 UTC is 09:51 in Paris
        ("2019-11-01T08:51:12Z", D(2019, 11, 1, 9, 51, 12)),
        ("2019-11-01T08:51:12.5+00:00", D(2019, 11, 1, 9, 51, 12, 500000)),
        # Paris is UTC+2 in July: an instant written at +02:00 keeps its clock time
        ("2019-07-01T08:51:12+02:00", D(2019, 7, 1, 8, 51, 12)),
        # New York (-05:00 in November): 08:51 there is 13:51 UTC, 14:51 in Paris
        ("2019-11-01T08:51:12-05:00", D(2019, 11, 1, 14, 51, 12)),
        # the basic ISO form without a colon: 08:51 at +02:00 is 06:51 UTC, 07:51 in Paris in November
        ("2019-11-01T08:51:12+0200", D(2019, 11, 1, 7, 51, 12)),
        ("2019-11-01 08:51:12-0500", D(2019, 11, 1, 14, 51, 12)),
        ("01/11/2019 8:51:12 PM", D(2019, 11, 1, 20, 51, 12)),
        ("01/11/2019 8:51 AM", D(2019, 11, 1, 8, 51)),
        # a zone after any spelling of a date and time (Google Forms: "PM UTC+1"); Paris is UTC+1 until
        # 29 March 2026: 22:22 at UTC+1 is 21:22 UTC, 22:22 in Paris
        ("2026/03/15 10:22:33 PM UTC+1", D(2026, 3, 15, 22, 22, 33)),
        ("2026/03/15 10:22:33 PM GMT+01:00", D(2026, 3, 15, 22, 22, 33)),
        ("15/03/2026 10:22:33 +0100", D(2026, 3, 15, 10, 22, 33)),
        ("2026-03-15 10:22:33 UTC", D(2026, 3, 15, 11, 22, 33)),  # 10:22 UTC is 11:22 in Paris
        # 20:51 at -05:00 is 01:51 UTC the next day, 02:51 in Paris
        ("11/13/2019 8:51:12 PM -05:00", D(2019, 11, 14, 2, 51, 12)),
        # 08:51 at -03:30 is 12:21 UTC, 13:21 in Paris
        ("2019-11-01 08:51 gmt-3:30", D(2019, 11, 1, 13, 21)),
    ],
)
def test_iso_fractions_t_z_offsets_and_am_pm_are_read(store, tmp_path, text, expected):
    src = write(tmp_path, "r.csv", f"id;date;region;score\nr1;{text};Nord;9\n")
    report = import_file(store, "responses", src)
    assert (report.accepted, report.rejected) == (1, 0)
    assert dates(store) == [("r1", expected)]


def test_offsets_are_converted_to_cx_timezone(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_TIMEZONE", "UTC")
    src = write(tmp_path, "r.csv", "id;date;region;score\nr1;2019-11-01T08:51:12+02:00;Nord;9\n")
    report = import_file(store, "responses", src)
    assert dates(store) == [("r1", D(2019, 11, 1, 6, 51, 12))]  # 08:51 at +02:00 is 06:51 UTC
    assert (
        report.dates[0].describe("en")
        == 'responded_at ("date"): yyyy-mm-dd (ISO dates, UTC offsets -> UTC)'
    )


def test_an_unknown_cx_timezone_is_refused_in_a_sentence(store, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_TIMEZONE", "Europe/Atlantis")
    src = write(tmp_path, "r.csv", "id;date;region;score\nr1;2019-11-01;Nord;9\n")
    with pytest.raises(
        ImportRefused, match=r'^CX_TIMEZONE="Europe/Atlantis" is not a time zone DuckDB knows'
    ):
        import_file(store, "responses", src)


def test_a_bad_date_names_the_format_read_for_its_column(store, tmp_path):
    # read month-first (2/13 proves it), so 13/2/2019 cannot be a date in this column
    src = write(
        tmp_path,
        "r.csv",
        "id,date,region,score\nr1,2/13/2019,N,9\nr2,2/14/2019,N,9\nr3,13/2/2019,N,9\n",
    )
    report = import_file(store, "responses", src, options=ImportOptions(max_rejected=100.0))
    assert [p.render("en") for p in report.problems] == [
        'r.csv, line 4, column date: "13/2/2019" is not a date in the format read for this column '
        "(mm/dd/yyyy)"
    ]


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2068, 12, 31)), min_size=1, max_size=12),
    order=st.sampled_from(["dmy", "mdy"]),
    two_digit=st.booleans(),
)
def test_any_dates_written_in_one_order_read_back_exactly_or_are_refused(
    tmp_path_factory, days, order, two_digit
):
    # whatever the dates, an English file is either read exactly or refused as ambiguous: never misread
    year = "%y" if two_digit else "%Y"
    spelled = "%d/%m/" + year if order == "dmy" else "%m/%d/" + year
    body = "".join(f"r{i:02d},{d.strftime(spelled)},N,9\n" for i, d in enumerate(days))
    work = tmp_path_factory.mktemp("dates")
    src = write(work, "r.csv", "id,date,region,score\n" + body)
    store = open_store(work / "cx.duckdb")
    try:
        proves = any((d.day > 12) for d in days)  # a day above 12 tells the order
        if not proves:
            with pytest.raises(ImportRefused, match=r"--date-order dmy"):
                import_file(store, "responses", src)
            return
        import_file(store, "responses", src)
        assert [r[1].date() for r in dates(store)] == days
    finally:
        store.close()


def test_a_date_column_is_decided_once_per_file_by_the_plan_and_the_import(store, tmp_path, monkeypatch):
    # the Data page plans an import (the key columns' dates decided) and then imports the same sniffed
    # file: each column's reading is decided once, and the import reuses the plan's
    from metrics.ingest import dates
    from metrics.ingest.importing import import_file
    from metrics.ingest.inspection import sniff_upload
    from metrics.ingest.preview import plan_import

    path = tmp_path / "evenements.csv"
    rows = "date;libellé;région\n02/09/2025;Réorganisation;Nord\n13/09/2025;Grève;Nord\n"
    path.write_text(rows, encoding="utf-8")
    calls = []
    real = dates._read_dates
    monkeypatch.setattr(dates, "_read_dates", lambda cur, **kw: calls.append(kw["column"]) or real(cur, **kw))
    src = sniff_upload(path)
    plan_import(store, "events", src)  # the date is part of an event's key: the plan reads it
    report = import_file(store, "events", path, source=src)
    assert report.accepted == 2
    assert calls == ["date"]  # decided by the plan, reused by the import (twice without the memo)
    assert [r.order for r in report.dates] == ["dmy"]
