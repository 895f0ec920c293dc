"""The import commands through click: exit codes, exact output, files written, help; and safe CSV."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.reports import output

GOOD_AND_BAD = (
    "n° réponse;date de réponse;région;note;commentaire\n"
    "1;02/09/2025;Bretagne;9;=HYPERLINK(\"http://x\")\n"
    "2;02/09/2025;Bretagne;11;-3 points\n"
    "3;03/09/2025;Normandie;7;ok;en trop\n"
)


@pytest.fixture
def run(tmp_path):
    db = tmp_path / "cx.duckdb"

    def invoke(*args):
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert "Traceback" not in result.output + result.stderr
        return result

    return invoke


@pytest.fixture
def responses_csv(tmp_path):
    path = tmp_path / "reponses.csv"
    path.write_text(GOOD_AND_BAD, encoding="cp1252")
    return path


def test_import_command_prints_the_report_with_counts(run, responses_csv):
    result = run("import", "responses", str(responses_csv), "--max-rejected", "100")
    assert result.exit_code == 0
    assert result.stdout == (
        "import 1: reponses.csv -> responses (cp1252, separator ';')\n"
        "  rows read 3 = accepted 1 (1 new, 0 updated) + rejected 2 + skipped 0\n"
        "  read: encoding cp1252 (not UTF-8; read as Windows-1252, Excel's French CSV)\n"
        "  read: separator ';' (3 of 4 first records have 5 fields; no other separator splits them)\n"
        "  read: header on line 1 (5 columns, named most like the dataset's among the first 30 records)\n"
        '  dates: responded_at ("date de réponse"): dd/mm/yyyy (no day above 12 anywhere; day first '
        "because the export is French)\n"
        '  reponses.csv, line 3, column note: "11" is outside 0-10\n'
        "  reponses.csv, line 4: too many columns (5 expected, 6 found)\n"
    )
    # 2 of 3 rows rejected = 67 %, allowed by --max-rejected 100: stored, but said on stderr
    assert result.stderr == (
        "Warning: 2 of 3 rows rejected (67%): partial import. List them with: "
        "python -m metrics rejected 1\n"
    )


def test_import_command_with_map_option(run, tmp_path):
    src = tmp_path / "r.csv"
    src.write_text("id;date;region;notte\n1;02/09/2025;B;9\n", encoding="utf-8")
    result = run("import", "responses", str(src), "--map", "score=notte")
    assert result.exit_code == 0
    assert "rows read 1 = accepted 1 (1 new, 0 updated) + rejected 0 + skipped 0" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    (b"", "Error: vide.csv: the file is empty\n"),
    (b"id;date;region;notte\n1;02/09/2025;B;9\n",
     'Error: vide.csv: responses needs a column "score"; found: id, date, region, notte. '
     'Did you mean "notte"? Use --map score=notte\n'),
])
def test_import_command_refusal_exits_1_with_the_message_on_stderr(run, tmp_path, content, message):
    src = tmp_path / "vide.csv"
    src.write_bytes(content)
    result = run("import", "responses", str(src))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_import_command_refuses_the_same_file_twice_with_exit_1(run, responses_csv):
    assert run("import", "responses", str(responses_csv), "--max-rejected", "100").exit_code == 0
    result = run("import", "responses", str(responses_csv), "--max-rejected", "100")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: reponses.csv was already imported into responses as import 1 on ")


def test_import_command_with_unknown_dataset_is_misuse(run, responses_csv):
    result = run("import", "reponses", str(responses_csv))
    assert result.exit_code == 2
    assert "'reponses' is not one of" in result.stderr


def test_imports_command_lists_the_import_as_json(run, responses_csv):
    run("import", "responses", str(responses_csv), "--max-rejected", "100")
    result = run("imports", "--format", "json")
    assert result.exit_code == 0
    [listed] = json.loads(result.stdout)
    assert {k: listed[k] for k in ("import_id", "dataset", "file_name", "rows_read", "accepted", "rejected",
                                   "skipped", "status", "encoding", "delimiter")} == {
        "import_id": 1, "dataset": "responses", "file_name": "reponses.csv", "rows_read": 3, "accepted": 1,
        "rejected": 2, "skipped": 0, "status": "partial", "encoding": "cp1252", "delimiter": ";",
    }


def test_rejected_command_writes_the_rejected_lines_to_a_safe_csv(run, responses_csv, tmp_path):
    run("import", "responses", str(responses_csv), "--max-rejected", "100")
    out = tmp_path / "rejets.csv"
    result = run("rejected", "1", "--out", str(out), "--lang", "en")
    assert (result.exit_code, result.stdout) == (0, f"2 rejected lines written to {out}\n")
    # "-3 points" is text a spreadsheet would run as a formula: it gets a quote
    assert out.read_text(encoding="utf-8-sig") == (
        "line;n° réponse;date de réponse;région;note;commentaire;reasons;raw\n"
        "3;2;02/09/2025;Bretagne;11;'-3 points;\"note: \"\"11\"\" is outside 0-10\";\n"
        '4;;;;;;too many columns (5 expected, 6 found);"3;03/09/2025;Normandie;7;ok;en trop"\n'
    )


def test_rejected_command_lists_problems_as_json_in_french(run, responses_csv):
    run("import", "responses", str(responses_csv), "--max-rejected", "100")
    result = run("rejected", "1", "--lang", "fr", "--format", "json")
    assert result.exit_code == 0
    assert [(r["line"], r["reason"], r["message"]) for r in json.loads(result.stdout)] == [
        (3, "out_of_range", "« 11 » est hors de l'intervalle 0-10"),
        (4, "too_many_columns", "trop de colonnes (5 attendues, 6 trouvées)"),
    ]


def test_rollback_command_rolls_back_once_then_refuses(run, responses_csv):
    run("import", "responses", str(responses_csv), "--max-rejected", "100")
    result = run("rollback", "1")
    assert result.exit_code == 0
    # one sentence for the CLI and the Data page, with its plural ("1 row", not "1 rows")
    assert result.stdout == "Import no. 1 rolled back: 1 row removed, the rows it replaced restored.\n"
    again = run("rollback", "1")
    assert (again.exit_code, again.stderr) == (1, "Error: import 1 was already rolled back\n")
    assert json.loads(run("imports", "--format", "json").stdout)[0]["status"] == "rolled_back"


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_every_command_has_help_ending_with_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    # click prints the docstring, then the options: the docstring's last line is the example
    docstring = (cli.commands[command] if command else cli).help
    last = docstring.strip().splitlines()[-1].strip()
    assert last.startswith("Example: python -m metrics")
    assert last in " ".join(result.output.split())  # click wraps long lines


def test_safe_csv_neutralises_formulas_but_leaves_numbers_alone():
    frame = pd.DataFrame({
        "comment": ['=HYPERLINK("http://x","clic")', "+33 6 12", "@SUM(A1)", "-2+3+cmd|'/C calc'!A0", "bien"],
        "as_text": ["-3", "+1,5", "12", "-0.5", "abc"],
        "score": [-3, 1, 12, 0, 7],
    })
    assert output.safe_csv(frame, sep=";") == (
        "comment;as_text;score\n"
        '"\'=HYPERLINK(""http://x"",""clic"")";-3;-3\n'
        "'+33 6 12;+1,5;1\n"
        "'@SUM(A1);12;12\n"
        "'-2+3+cmd|'/C calc'!A0;-0.5;0\n"
        "bien;abc;7\n"
    )


def test_import_command_refuses_a_mostly_rejected_file_with_exit_1_and_the_fix(run, responses_csv):
    # 2 of 3 rows rejected = 67 % > 10 %: nothing stored, the reasons and the fix on stderr
    result = run("import", "responses", str(responses_csv))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: reponses.csv: 2 of 3 rows would be rejected (67 %, above --max-rejected 10 %); nothing was "
        "imported. Commonest reasons:\n"
        '  1 x line 3, column note: "11" is outside 0-10\n'
        "  1 x line 4: too many columns (5 expected, 6 found)\n"
        "Fix: check which file column feeds score: --map score=HEADER\n"
    )
    assert json.loads(run("imports", "--format", "json").stdout) == []


def test_import_command_options_set_row_id_date_order_and_preset(run, tmp_path):
    src = tmp_path / "form.csv"
    src.write_text("Timestamp,Note\n11/1/2019 8:51:12,9\n11/2/2019 9:00:00,7\n", encoding="utf-8")
    result = run(
        "import", "responses", str(src), "--preset", "google-forms", "--date-order", "mdy",
        "--set", "region=Bretagne", "--map", "score=Note",
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[1:] == [
        "  rows read 2 = accepted 2 (2 new, 0 updated) + rejected 0 + skipped 0",
        "  read: encoding utf-8 (every byte reads as UTF-8)",
        "  read: separator ',' (3 of 3 first records have 2 fields; no other separator splits them)",
        "  read: header on line 1 (2 columns; Google Forms writes its header on line 1)",
        "  read: survey tool Google Forms (chosen with --preset)",
        '  dates: responded_at ("Timestamp"): mm/dd/yyyy (forced by --date-order)',
    ]


def test_import_command_refuses_a_malformed_set_option(run, responses_csv):
    result = run("import", "responses", str(responses_csv), "--set", "region")
    assert (result.exit_code, result.stderr) == (
        2,  # misuse of an option, like click's own usage errors
        "Error: --set 'region': expected COLUMN=VALUE, e.g. --set region=Bretagne\n",
    )


def test_query_with_no_rows_says_so_on_stderr(run):
    result = run("query", "nps", "--by", "region")
    assert result.exit_code == 0
    assert result.stderr == (
        "no data for nps (grain month, by region): no responses rows yet: import some with: "
        "python -m metrics import responses FILE\n"
    )


def test_query_names_the_column_a_metric_needs_when_no_file_provided_it(run, tmp_path):
    # three complaints without a closing-date column: rows exist, the median resolution cannot
    src = tmp_path / "plaintes.csv"
    src.write_text("n° réclamation;date d'ouverture;région\nc1;02/09/2025;Nord\nc2;03/09/2025;Nord\n"
                   "c3;04/09/2025;Sud\n", encoding="utf-8")
    assert run("import", "complaints", str(src)).exit_code == 0
    result = run("query", "resolution_days_median")
    assert result.stderr == (
        "no data for resolution_days_median (grain month): 3 complaints rows, but closed_at is empty on "
        "every one and resolution_days_median needs it: import a file that has it, naming its header "
        "with --map closed_at=HEADER\n"
    )
    filtered = run("query", "complaints", "--where", "region=Ouest")
    assert filtered.stderr.endswith("no complaints rows match; check the filters and dates\n")


def test_dry_run_lists_every_rejected_line_of_a_refused_file_and_stores_nothing(run, responses_csv, tmp_path):
    # the same 2-of-3 file the default threshold refuses: every line is listed, nothing is stored
    result = run("import", "responses", str(responses_csv), "--dry-run")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "dry run, nothing stored: reponses.csv -> responses (cp1252, separator ';')",
        "  rows read 3 = accepted 1 (1 new, 0 updated) + rejected 2 + skipped 0",
        "  read: encoding cp1252 (not UTF-8; read as Windows-1252, Excel's French CSV)",
        "  read: separator ';' (3 of 4 first records have 5 fields; no other separator splits them)",
        "  read: header on line 1 (5 columns, named most like the dataset's among the first 30 records)",
        '  dates: responded_at ("date de réponse"): dd/mm/yyyy (no day above 12 anywhere; day first '
        "because the export is French)",
        '  reponses.csv, line 3, column note: "11" is outside 0-10',
        "  reponses.csv, line 4: too many columns (5 expected, 6 found)",
    ]
    assert result.stderr.startswith("Error: reponses.csv: 2 of 3 rows would be rejected (67 %")
    assert json.loads(run("imports", "--format", "json").stdout) == []
    # a dry run takes no import number: the first real import is still number 1
    assert run("import", "responses", str(responses_csv), "--max-rejected", "100").stdout.startswith(
        "import 1: reponses.csv"
    )


def test_the_cli_starts_without_loading_pandas_scipy_or_the_import_pipeline():
    # --help must answer at once: heavy modules load inside the commands that use them
    import subprocess
    import sys

    code = (
        "import sys, metrics.cli.main; "
        "print(sorted(m for m in ('pandas', 'numpy', 'scipy', 'pyarrow', 'phonenumbers', 'plotly', "
        "'sqlglot', 'metrics.semantic.definitions') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "[]"
