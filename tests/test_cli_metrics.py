"""The metric commands through click: exactly what the API returns, and the headline table in French."""

import json
import re

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.semantic.definitions import METRICS


@pytest.fixture
def db(tmp_path):
    # Nord, september 2025: 10 9 8 3 -> NPS (2 - 1) / 4 = 25; nine months at 33.5 for the summary
    lines = ["response_id;responded_at;region;score"]
    i = 0
    for month in range(1, 10):
        for score, count in ((10, 87), (8, 93), (2, 20)):
            for _ in range(count):
                i += 1
                lines.append(f"{i};15/{month:02d}/2025;Nord;{score}")
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("year;metric;target;region\n2025;nps;40;\n", encoding="utf-8")
    path = tmp_path / "cx.duckdb"
    runner = CliRunner()
    for dataset, name in (("responses", "r.csv"), ("targets", "t.csv")):
        result = runner.invoke(cli, ["--db", str(path), "import", dataset, str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    return path


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_query_prints_the_api_columns_with_n_and_margin(db):
    result = run(db, "query", "nps", "--grain", "quarter", "--by", "region", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["period"] for r in rows] == ["2025-01-01", "2025-04-01", "2025-07-01"]
    assert {r["region"] for r in rows} == {"Nord"}
    assert [round(r["value"], 1) for r in rows] == [33.5, 33.5, 33.5]
    assert [r["n"] for r in rows] == [600, 600, 600]
    # adjusted Wald: n' = 603, p_P = 261.75/603 = .434080, p_D = 60.75/603 = .100746,
    # var = .534826 - .333333^2 = .423715; moe = 1.959964 * sqrt(.423715 / 603) * 100 = 5.195
    assert round(rows[0]["moe"], 3) == 5.195
    assert set(rows[0]) >= {"value", "n", "moe", "low", "high", "suppressed"}


def test_query_filters_with_where_and_dates(db):
    result = run(
        db,
        "query",
        "responses",
        "--from",
        "01/03/2025",
        "--to",
        "2025-03-31",
        "--where",
        "region=Nord",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("period,value,n,")
    assert lines[1].startswith("2025-03-01,200.0,200,")


def test_query_refuses_an_unknown_dimension_with_exit_2_and_a_suggestion(db):
    result = run(db, "query", "nps", "--by", "regoin")
    assert result.exit_code == 2  # a name that is not declared is misuse
    assert 'did you mean "region"' in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_metrics_lists_every_declared_metric(db):
    result = run(db, "metrics", "--format", "json")
    assert result.exit_code == 0
    assert [r["metric"] for r in json.loads(result.output)] == list(METRICS)


def test_summary_answers_the_executive_question_in_french(db):
    result = run(db, "summary", "--year", "2025", "--as-of", "2025-09-30")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "NPS" in line)
    cells = [c.strip() for c in re.split(r"[│┃]", row) if c.strip()]
    # value, n, moe, target, gap, glide, status, projection, required, reachable
    assert cells == [
        "NPS",
        "Entreprise",
        "33,5",
        "1\u202f800",  # French thousands: narrow no-break space
        "3,0",
        "40,0",
        "-6,5",
        "38,4",  # no 2024 data: from 33,5 at the start of January to 40 in December, 33,5 + 6,5 x 9 / 12
        # 40 x (1 800 + 600) = 33,5 x 1 800 + required x 600 -> required 59,5, where every month so far
        # made exactly 33,5 (its best month too), and nine identical months leave the model no chance:
        # one verdict, "unlikely", never "off track" beside "reachable: yes" (issue #28, point 6)
        "✖ Peu réaliste",
        "33,5",
        "59,5",
        "non",
    ]


def test_trajectory_prints_months_then_the_ytd_line(db):
    result = run(db, "trajectory", "nps", "--year", "2025", "--as-of", "2025-09-30", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["row"] for r in rows] == ["month"] * 9 + ["ytd"]
    assert rows[-1]["required"] == pytest.approx(59.5)
    assert rows[-1]["status"] == "unlikely"  # the verdict (59,5 needed, best month 33,5, 0 % chance)


def test_demo_writes_identical_files_and_clear_removes_every_demo_import(tmp_path):
    db = tmp_path / "cx.duckdb"
    result = run(db, "demo", "--responses", "300", "--out", str(tmp_path / "demo"), "--load")
    assert result.exit_code == 0, result.output
    assert "rejected 0" in result.output
    imports = json.loads(run(db, "imports", "--format", "json").output)
    assert len(imports) == 8
    assert all(i["demo"] for i in imports)
    cleared = run(db, "demo", "--clear")
    assert cleared.output.strip() == "8 demo imports rolled back"
    assert {i["status"] for i in json.loads(run(db, "imports", "--format", "json").output)} == {"rolled_back"}
