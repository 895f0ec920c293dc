"""Numbers written with both separators (issue 15): the column's own values say which one is the decimal."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.errors import ImportRefused
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions

HEADER = "date;région;site;équipe;conseillers;contacts traités;temps de traitement;heures planifiées\r\n"


def workload_file(tmp_path, minutes):
    """One workload row per handle time, teams N1, N2... in order."""
    body = "".join(
        f"02/09/2025;Bretagne;RNS;N{i};12;340;{m};84\r\n" for i, m in enumerate(minutes, start=1)
    )
    path = tmp_path / "charge.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def minutes_by_team(store):
    with store.cursor() as cur:
        return dict(cur.execute("SELECT team, handle_minutes FROM ds_workload ORDER BY team").fetchall())


def test_import_reads_a_us_column_with_thousands_commas(store, tmp_path):
    # "1,234.5": the point comes last, so it is the decimal: 1234.5 (not 1.2345);
    # in the same column "1,250" is then 1250 and "12.5" stays 12.5
    src = workload_file(tmp_path, ["1,234.5", "12.5", "1,250"])
    report = import_file(store, "workload", src, options=ImportOptions(max_rejected=100.0))
    assert (report.accepted, report.rejected) == (3, 0)
    assert minutes_by_team(store) == {"N1": 1234.5, "N2": 12.5, "N3": 1250.0}


def test_import_reads_a_french_column_with_thousands_points_and_spaces(store, tmp_path):
    # "1.234,5" and "1 234,5": the comma comes last, so it is the decimal: 1234.5; "12,5" is 12.5
    src = workload_file(tmp_path, ["1.234,5", "1 234,5", "12,5"])
    report = import_file(store, "workload", src, options=ImportOptions(max_rejected=100.0))
    assert (report.accepted, report.rejected) == (3, 0)
    assert minutes_by_team(store) == {"N1": 1234.5, "N2": 1234.5, "N3": 12.5}


def test_import_refuses_a_column_mixing_decimal_points_and_commas(store, tmp_path):
    src = workload_file(tmp_path, ["1,234.5", "12,5", "1.234,5", "2,000.75"])
    with pytest.raises(ImportRefused) as refused:
        import_file(store, "workload", src, options=ImportOptions(max_rejected=100.0))
    assert str(refused.value) == (
        'charge.csv, column "temps de traitement" (handle_minutes): numbers such as "1,234.5", "2,000.75" '
        'have a decimal point and numbers such as "1.234,5" a decimal comma, so we cannot tell which '
        "separator marks the decimals; write every number of the column the same way (1234.5 or 1234,5)"
    )
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM ds_workload").fetchall() == [(0,)]
        assert cur.execute("SELECT count(*) FROM imports").fetchall() == [(0,)]


def test_import_keeps_dates_beside_a_decided_number_column(store, tmp_path):
    # the decision is per column: the date column next to it is still read day-first
    src = workload_file(tmp_path, ["1,234.5"])
    import_file(store, "workload", src)
    with store.cursor() as cur:
        assert cur.execute("SELECT date FROM ds_workload").fetchall() == [(dt.date(2025, 9, 2),)]


def test_several_files_import_all_or_none_in_one_transaction(store, tmp_path):
    from metrics.ingest.importing import import_files

    good = workload_file(tmp_path, ["12,5"])
    bad = tmp_path / "vide.csv"
    bad.write_text("rien;du;tout\r\n", encoding="utf-8")  # no column of the sites dataset: refused
    with pytest.raises(ImportRefused):
        import_files(store, [("workload", good), ("sites", bad)])
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM ds_workload").fetchall() == [(0,)]
    reports = import_files(store, [("workload", good)], demo=True)
    assert [(r.dataset, r.accepted, r.demo) for r in reports] == [("workload", 1, True)]


def test_files_past_the_batch_size_commit_one_by_one(store, tmp_path):
    from metrics.ingest.importing import import_files

    first = workload_file(tmp_path, ["12,5"])
    bad = tmp_path / "vide.csv"
    bad.write_text("rien;du;tout\r\n", encoding="utf-8")
    # a batch of 1 byte: each file has its own transaction, so the first stays when the second is refused
    with pytest.raises(ImportRefused):
        import_files(store, [("workload", first), ("sites", bad)], batch_bytes=1)
    with store.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM ds_workload").fetchall() == [(1,)]
