"""Masking reads free text only: dates, numbers and ids reach the dataset exactly as written.

Issue "Real exports III", point 1: `01-03-2016 01:22` read as a French phone number became `[tél.]:22`,
so a ServiceNow export was refused and a row of a 5-line file was skipped as a description row.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.store import open_store

D = dt.datetime
DMY = ImportOptions(date_order="dmy", max_rejected=100)
# the three ways exports write a date: ServiceNow's dashes, German-style dots, French slashes
WRITTEN = {
    "dd-mm-yyyy HH:MM": "%d-%m-%Y %H:%M",
    "dd.mm.yyyy HH:MM": "%d.%m.%Y %H:%M",
    "dd/mm/yyyy": "%d/%m/%Y",
}


def _read(written: str, moment: dt.datetime) -> dt.datetime:
    """What a date written with `written` means: a date without a time is midnight."""
    return moment if "HH" in written else D(moment.year, moment.month, moment.day)


def _imported(work: Path, dataset: str, text: str, options: ImportOptions, sql: str):
    src = work / "export.csv"
    src.write_text(text, encoding="utf-8")
    store = open_store(work / "cx.duckdb")
    try:
        report = import_file(store, dataset, src, options=options)
        with store.cursor() as cur:
            return report, cur.execute(sql).fetchall()
    finally:
        store.close()


MINUTES = st.datetimes(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31)).map(
    lambda t: t.replace(second=0, microsecond=0)
)
IDS = st.one_of(
    st.from_regex(r"0[1-9][0-9]{8}", fullmatch=True),  # shaped like a French phone number
    st.from_regex(r"INC[0-9]{7}", fullmatch=True),
    st.from_regex(r"4[0-9]{15}", fullmatch=True),  # as long as a card number, Luhn-valid one time in ten
)
COMPLAINTS = st.lists(
    st.tuples(IDS, MINUTES, st.integers(1, 90), st.integers(0, 1439), st.integers(1, 1000)),
    min_size=1,
    max_size=8,
    unique_by=lambda row: row[0],
)


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(rows=COMPLAINTS, opened=st.sampled_from(sorted(WRITTEN)), closed=st.sampled_from(sorted(WRITTEN)))
def test_ids_dates_and_counts_of_complaints_are_stored_exactly_as_written(rows, opened, closed):
    # closed 1 to 90 days (and some minutes) after opening: never before it, even read as midnight
    lines, expected = ["complaint_id;opened_at;closed_at;contacts;region;category"], {}
    for key, start, days, minutes, contacts in rows:
        end = start + dt.timedelta(days=days, minutes=minutes)
        lines.append(
            f"{key};{start.strftime(WRITTEN[opened])};{end.strftime(WRITTEN[closed])};{contacts};Nord;Réseau"
        )
        expected[key] = (_read(opened, start), _read(closed, end), contacts)
    with tempfile.TemporaryDirectory() as work:
        report, stored = _imported(
            Path(work),
            "complaints",
            "\n".join(lines) + "\n",
            DMY,
            "SELECT complaint_id, opened_at, closed_at, contacts FROM ds_complaints",
        )
    assert (report.accepted, report.rejected, report.skipped) == (len(rows), 0, 0)
    assert {key: tuple(rest) for key, *rest in stored} == expected


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(
    days=st.lists(
        st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31)), min_size=1, max_size=8
    ),
    written=st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]),
    numbers=st.lists(st.tuples(st.integers(0, 9_999_999_999), st.integers(0, 99)), min_size=8, max_size=8),
)
def test_dates_and_numbers_of_workload_are_stored_exactly_as_written(days, written, numbers):
    # counts written on 10 digits with their leading zeros ("0612345678" is 612,345,678 contacts) and
    # minutes with a decimal comma ("0612345678,05" is 612,345,678.05): shaped like phone numbers
    lines, expected = ["date;site;team;agents;contacts_handled;handle_minutes;region"], {}
    for team, (day, (count, cents)) in enumerate(zip(days, numbers, strict=False)):
        lines.append(f"{day.strftime(written)};S1;T{team};3;{count:010d};{count:010d},{cents:02d};Nord")
        expected[f"T{team}"] = (day, count, float(f"{count}.{cents:02d}"))
    with tempfile.TemporaryDirectory() as work:
        report, stored = _imported(
            Path(work),
            "workload",
            "\n".join(lines) + "\n",
            DMY,
            "SELECT team, date, contacts_handled, handle_minutes FROM ds_workload",
        )
    assert (report.accepted, report.rejected, report.skipped) == (len(days), 0, 0)
    assert {team: tuple(rest) for team, *rest in stored} == expected


SERVICENOW = (
    "number,incident_state,active,reassignment_count,caller_id,opened_by,opened_at,sys_updated_by,"
    "sys_updated_at,contact_type,location,category,subcategory,priority,assignment_group,problem_id,rfc,"
    "vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at"
)


def _servicenow_rows(count):
    """`count` closed incidents as ServiceNow's event log writes them: `?` for empty, dd-mm-yyyy HH:MM."""
    rows, expected = [], {}
    for i in range(1, count + 1):
        opened = D(2016, 3, 1 + i % 28, i % 24, 7 * i % 60)
        updated, resolved, closed = (opened + dt.timedelta(hours=h) for h in (2, 30, 150))
        at = [t.strftime("%d-%m-%Y %H:%M") for t in (opened, updated, resolved, closed)]
        rows.append(
            f"INC{i:07d},Closed,false,{i % 3},Caller {2400 + i},Opened by  {i % 9},{at[0]},Updated by {i},"
            f"{at[1]},Phone,Location {140 + i % 5},Category {50 + i % 7},Subcategory {170 + i},3 - Moderate,"
            f"{'?' if i % 4 == 0 else f'Group {i % 6}'},?,?,?,?,code {i % 10},Resolved by {i % 8},"
            f"{at[2]},{at[3]}"
        )
        expected[f"INC{i:07d}"] = (opened, closed)
    return rows, expected


def test_a_servicenow_event_log_is_imported_whole_with_every_date_intact(store, tmp_path):
    # 40 incidents opened 2-29 March 2016 (day 1 + i mod 28); 17 of them on a day 01-09 (i = 1-8 and 28-36),
    # written "0d-03-2016 HH:MM" like a Paris number. Before the fix 14 rows were rejected and 2 skipped as
    # description rows, so the file was refused; now all 40 are accepted with their dates, none skipped,
    # and the undeclared date columns (sys_updated_at, resolved_at) are not masked either.
    rows, expected = _servicenow_rows(40)
    src = tmp_path / "incident_event_log.csv"
    src.write_text(SERVICENOW + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    options = ImportOptions(mapping={"complaint_id": "number", "region": "location"}, date_order="dmy")
    report = import_file(store, "complaints", src, options=options)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (40, 40, 0, 0)
    assert sum(report.masked.values()) == 0
    with store.cursor() as cur:
        stored = cur.execute("SELECT complaint_id, opened_at, closed_at FROM ds_complaints").fetchall()
    assert {key: (opened, closed) for key, opened, closed in stored} == expected
    # worked by hand: opened 2 March 01:07, closed 150 h = 6 days 6 h later
    assert expected["INC0000001"] == (D(2016, 3, 2, 1, 7), D(2016, 3, 8, 7, 7))


def test_a_row_whose_dates_look_like_phone_numbers_is_not_skipped_as_a_description_row(store, tmp_path):
    # 5 lines: the header and 4 complaints; line 2's dates (day 01 and 02) are data, not header text
    src = tmp_path / "complaints.csv"
    src.write_text(
        "complaint_id,opened_at,closed_at,region,category\n"
        "C1,01-03-2016 01:22,02-03-2016 09:45,Nord,Facturation\n"
        "C2,15-03-2016 10:00,16-03-2016 11:00,Nord,Réseau\n"
        "C3,17-03-2016 10:00,18-03-2016 11:00,Nord,Réseau\n"
        "C4,20-03-2016 10:00,21-03-2016 11:00,Nord,Réseau\n",
        encoding="utf-8",
    )
    report = import_file(store, "complaints", src)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (4, 4, 0, 0)
    assert report.skipped_by_reason == {}
    with store.cursor() as cur:
        first = cur.execute(
            "SELECT opened_at, closed_at FROM ds_complaints WHERE complaint_id = 'C1'"
        ).fetchall()
    assert first == [(D(2016, 3, 1, 1, 22), D(2016, 3, 2, 9, 45))]


def test_free_text_and_undeclared_columns_are_masked_ids_and_dates_are_not(store, tmp_path):
    # line 3 has 0 contacts (below 1): rejected, so its raw record shows what each of its cells became
    src = tmp_path / "reclamations.csv"
    src.write_text(
        "complaint_id;opened_at;closed_at;region;category;contacts;note agent\n"
        "0612345678;01-03-2016 01:22;02-03-2016 09:45;Nord;rappeler au 06 12 34 56 78;2;RAS\n"
        "0781234567;03-03-2016 08:05;04-03-2016 08:05;Nord;Facturation;0;"
        "joignable au 07 81 23 45 67 depuis le 01-03-2016 01:22\n",
        encoding="utf-8",
    )
    report = import_file(store, "complaints", src, options=DMY)
    assert (report.accepted, report.rejected) == (1, 1)
    assert report.masked["phone"] == 2
    with store.cursor() as cur:
        stored = cur.execute(
            "SELECT complaint_id, opened_at, closed_at, category, contacts FROM ds_complaints"
        ).fetchall()
        (raw,) = cur.execute("SELECT raw FROM rejected_rows").fetchone()
    assert stored == [("0612345678", D(2016, 3, 1, 1, 22), D(2016, 3, 2, 9, 45), "rappeler au [tél.]", 2)]
    assert json.loads(raw) == {
        "complaint_id": "0781234567",
        "opened_at": "03-03-2016 08:05",
        "closed_at": "04-03-2016 08:05",
        "region": "Nord",
        "category": "Facturation",
        "contacts": "0",
        "note agent": "joignable au [tél.] depuis le 01-03-2016 01:22",
    }


def test_a_message_listing_the_headers_masks_personal_data_in_them(store, tmp_path):
    """A quote left open can make the sniffer take a data row for the header: its phone number is masked."""
    from metrics.errors import MissingColumns

    lines = ["n° réponse;date de réponse;région;note;commentaire;id client"]
    lines += [f"R{i:03};{10 + i}/11/2026 09:00;Nord;{i % 11};Bien, appelez le 06 12 34 56 {i:02} svp;C{i}"
              for i in range(10)]
    lines.insert(6, 'R099;10/11/2026 09:00;Nord;5;"Le conseiller a dit ; rappel 01/12/2026;C99')
    src = tmp_path / "avis.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MissingColumns) as refused:
        import_file(store, "responses", src)
    said = str(refused.value)
    assert "06 12 34 56" not in said
    assert "[tél.]" in said
