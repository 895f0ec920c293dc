"""The CLI tables for people: rounded as shown, in French or English, partial periods flagged."""

import json
import re

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli


@pytest.fixture
def db(tmp_path):
    # Nord: 3 answers a month, January to May 2025 (10, 9, 3) -> NPS (2 - 1) / 3 = 33.333 each month.
    # The last answer is on 14 May: the data end is 30 April (last complete month), so Q2 is partial.
    lines = ["response_id;responded_at;region;channel;score"]
    i = 0
    for month in range(1, 6):
        for score in (10, 9, 3):
            i += 1
            lines.append(f"{i};14/{month:02d}/2025;Nord;web;{score}")
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "cx.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(path), "import", "responses", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    return path


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def rows(output):
    lines = [line for line in output.splitlines() if "│" in line]
    return [[c.strip() for c in re.split(r"[│┃]", line) if c.strip()] for line in lines]


def test_query_table_names_quarters_flags_the_partial_one_and_rounds_in_french(db):
    result = run(db, "query", "nps", "--grain", "quarter", "--by", "channel")
    assert result.exit_code == 0, result.output
    got = rows(result.output)
    # Q1: 9 answers, 3 promoters, 3 detractors... (6 - 3) / 9 = 33.3; Q2: (4 - 2) / 6 = 33.3
    assert [r[:4] for r in got] == [
        ["T1 2025", "Web", "33,3", "9"],
        ["T2 2025 (partiel)", "Web", "33,3", "6"],
    ]
    assert "période" in result.output
    assert "33.333" not in result.output


def test_query_table_in_english_and_json_keeps_full_precision(db):
    english = rows(run(db, "query", "nps", "--grain", "quarter", "--lang", "en").output)
    assert [r[:3] for r in english] == [["Q1 2025", "33.3", "9"], ["Q2 2025 (partial)", "33.3", "6"]]
    records = json.loads(run(db, "query", "nps", "--grain", "quarter", "--format", "json").output)
    assert records[0]["value"] == pytest.approx(100 / 3, abs=1e-9)  # not rounded for scripts


def test_trajectory_table_uses_month_names_and_the_pages_status_words(db, tmp_path):
    (tmp_path / "t.csv").write_text("year;metric;target;region\n2025;nps;99;\n", encoding="utf-8")
    assert run(db, "import", "targets", str(tmp_path / "t.csv")).exit_code == 0
    result = run(db, "trajectory", "nps", "--as-of", "2025-04-30")
    assert result.exit_code == 0, result.output
    got = rows(result.output)
    assert [r[0] for r in got[:4]] == ["janv. 2025", "févr. 2025", "mars 2025", "avr. 2025"]
    # 33.3 after 4 months; 99 needs (99 * 12 - 33.3 * 4) / 8 = 131.8 > 100: out of reach, as on the cards
    assert "✖ Hors d'atteinte" in result.output
    assert "hors d'atteinte, au mieux" in result.output
