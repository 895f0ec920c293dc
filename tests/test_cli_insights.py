"""The insight commands through click: alerts, themes, hand-offs and the board pack."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from metrics.cli import cli
from tests.test_alerts import write_answers


@pytest.fixture(scope="module")
def falling_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("alerts")
    write_answers(tmp / "r.csv", ("Est", "Nord", "Sud"), falling="Sud")
    path = tmp / "cx.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(path), "import", "responses", str(tmp / "r.csv")])
    assert result.exit_code == 0, result.output
    return path


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_alerts_command_lists_the_fall_with_its_start_week_as_json(falling_db):
    result = run(falling_db, "alerts", "--as-of", "2026-12-31", "--since", "2026-05-01", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    sud = [r for r in rows if r["group"] == "Sud" and r["dimension"] == "region"]
    assert len(sud) == 1
    assert sud[0]["metric"] == "nps"
    assert sud[0]["direction"] == "down"
    assert sud[0]["unit"] == "points"
    assert "3_sigma" in sud[0]["rule"]
    # the fall happened on Monday 1 June 2026
    assert abs((dt.date.fromisoformat(sud[0]["started"]) - dt.date(2026, 6, 1)).days) <= 14
    assert all(r["started"] >= "2026-05-01" for r in rows)


def test_alerts_command_refuses_a_bad_date_as_misuse(falling_db):
    result = run(falling_db, "alerts", "--since", "juin")
    assert result.exit_code == 2
    assert "'juin' is not a date" in result.output
