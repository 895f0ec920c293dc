"""Retention: `python -m metrics purge` blanks old verbatims and deletes old rejected rows, figures stay."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from metrics import clock
from metrics.cli.main import cli
from metrics.ingest.retention import cutoff

HEADER = "n° réponse;date de réponse;région;note;commentaire\n"


def _db(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        HEADER
        + "1;15/03/2023;Nord;10;vieux verbatim\n2;20/06/2024;Nord;0;encore vieux\n"
        + "3;02/01/2025;Nord;9;récent\n4;02/09/2026;Nord;11;rejeté\n",
        encoding="utf-8",
    )
    db = tmp_path / "cx.duckdb"
    args = ["--db", str(db), "import", "responses", str(path), "--max-rejected", "100"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    return db


def _rows(db):
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        comments = con.execute("SELECT response_id, comment, score FROM ds_responses ORDER BY 1").fetchall()
        rejected = con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0]
    return comments, rejected


def test_purge_before_a_date_blanks_older_verbatims_and_keeps_scores(tmp_path):
    db = _db(tmp_path)
    got = CliRunner().invoke(cli, ["--db", str(db), "purge", "--before", "2025-01-01"])
    assert got.exit_code == 0, got.output
    # answers of 15/03/2023 and 20/06/2024 are before 01/01/2025; the import itself is from today
    assert got.output == "purged before 2025-01-01: 2 verbatims blanked, 0 rejected rows deleted\n"
    comments, rejected = _rows(db)
    assert comments == [("1", None, 10), ("2", None, 0), ("3", "récent", 9)]
    assert rejected == 1


def test_purge_deletes_rejected_rows_of_imports_older_than_the_date(tmp_path):
    db = _db(tmp_path)
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    got = CliRunner().invoke(cli, ["--db", str(db), "purge", "--before", tomorrow])
    assert got.exit_code == 0, got.output
    assert got.output == f"purged before {tomorrow}: 3 verbatims blanked, 1 rejected row deleted\n"
    assert _rows(db)[1] == 0


def test_purge_without_date_uses_cx_retention_months(tmp_path, monkeypatch):
    db = _db(tmp_path)
    monkeypatch.setenv("CX_RETENTION_MONTHS", "1")
    got = CliRunner().invoke(cli, ["--db", str(db), "purge"])
    expected = cutoff(clock.today(), 1)
    assert got.output.startswith(f"purged before {expected:%Y-%m-%d}: 3 verbatims blanked")


@pytest.mark.parametrize("value", ["deux", "0", "-3"])
def test_purge_refuses_a_retention_that_is_not_a_positive_number_of_months(tmp_path, monkeypatch, value):
    db = _db(tmp_path)
    monkeypatch.setenv("CX_RETENTION_MONTHS", value)
    got = CliRunner().invoke(cli, ["--db", str(db), "purge"])
    assert got.exit_code == 1
    assert got.output == (
        f'Error: CX_RETENTION_MONTHS is "{value}"; expected a whole number of months, at least 1 (e.g. 24); '
        "fix or unset it\n"
    )
    assert _rows(db)[0][0] == ("1", "vieux verbatim", 10)


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)),  # February has no 31st: its last day
        (dt.date(2026, 1, 15), 24, dt.date(2024, 1, 15)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 30), 1, dt.date(2024, 2, 29)),  # leap year
    ],
)
def test_cutoff_goes_back_whole_months(today, months, expected):
    assert cutoff(today, months) == expected
