"""The insight commands through click: alerts, themes, hand-offs and the board pack."""

import datetime as dt
import json

import pytest
from babel.numbers import format_decimal
from click.testing import CliRunner
from scipy import stats

from metrics.cli.main import cli
from tests.test_alerts import write_answers
from tests.test_themes import write_themed


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
    rows = json.loads(result.stdout)  # the sentence on how many groups were charted goes to stderr
    sud = [r for r in rows if r["group"] == "Sud" and r["dimension"] == "region"]
    assert len(sud) == 1
    assert sud[0]["metric"] == "nps"
    assert sud[0]["direction"] == "down"
    assert sud[0]["unit"] == "points"
    assert sud[0]["grain"] == "week"
    assert "point" in sud[0]["rule"]
    # the fall happened on Monday 1 June 2026
    assert abs((dt.date.fromisoformat(sud[0]["started"]) - dt.date(2026, 6, 1)).days) <= 14
    assert all(r["started"] >= "2026-05-01" for r in rows)


def test_alerts_command_says_how_many_groups_were_charted_and_the_family_limit(falling_db):
    # 3 regions and their 3 sites, 150 answers a week each: 6 weekly NPS charts, nothing else has data.
    # 6 x (52 + 45) = 582 tests for one false alert in all: z = Φ⁻¹(1 - 1 / 582 / 2) = 3.14
    z = format_decimal(round(stats.norm.isf(1 / 582 / 2), 1), format="0.0", locale="fr")
    result = run(falling_db, "alerts", "--as-of", "2026-12-31", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "6 groupes suivis (6 à la semaine, 0 au mois).\n"
        f"Limites à ±{z} σ, réglées pour les 6 cartes ensemble : au plus 1 fausse alerte attendue "
        "sur la période si rien ne change.\n"
    )
    groups = run(falling_db, "alerts", "--as-of", "2026-12-31", "--groups", "--lang", "en", "--format=json")
    rows = json.loads(groups.stdout)
    assert {(r["dimension"], r["group"]) for r in rows} == {
        ("region", "Est"), ("region", "Nord"), ("region", "Sud"),
        ("site", "EST-1"), ("site", "NOR-1"), ("site", "SUD-1"),
    }  # fmt: skip
    assert {r["grain"] for r in rows} == {"week"}
    assert groups.stderr.startswith("6 groups charted (6 weekly, 0 monthly).\n")


def test_board_pack_says_how_many_groups_were_charted_before_saying_no_alert(falling_db, tmp_path):
    # the Sud fall started in June: outside the last quarter of 2026, so no alert, but 6 groups watched
    out = tmp_path / "pack.html"
    result = run(falling_db, "report", "--month", "2026-12", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    alerts = page.split("<h2>Alerts (last quarter)</h2>")[1].split("<h2>")[0]
    # the 52 weeks to Sunday 27 December: 6 x (52 + 45) = 582 tests, z = 3.14 as in the CLI
    assert alerts.startswith("<p>6 groups charted (6 weekly, 0 monthly).</p><p>Limits at ±3.1σ, set for")
    assert alerts.endswith("<p>No alert this quarter.</p>")


def test_alerts_command_refuses_a_bad_date_as_misuse(falling_db):
    result = run(falling_db, "alerts", "--since", "juin")
    assert result.exit_code == 2
    assert "'juin' is not a date" in result.output


def test_themes_command_prints_share_nps_with_without_and_impact(tmp_path):
    db = tmp_path / "cx.duckdb"
    src = write_themed(tmp_path / "reponses.csv")
    assert run(db, "import", "responses", str(src)).exit_code == 0
    result = run(db, "themes", "--lang", "en", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["theme"]: r for r in json.loads(result.output)}
    # worked in tests/test_themes.py: waiting share 15/30, NPS -33.3 vs +33.3, impact 100 * 10 / 40
    assert rows["waiting"]["share"] == 0.5
    assert round(rows["waiting"]["nps_with"], 1) == -33.3
    assert round(rows["waiting"]["nps_without"], 1) == 33.3
    assert rows["waiting"]["impact"] == 25.0
    assert rows["waiting"]["label"] == "Waiting time"
    assert list(rows)[:2] == ["waiting", "price"]


def test_themes_command_by_region_and_unknown_dimension_is_misuse(tmp_path):
    db = tmp_path / "cx.duckdb"
    assert run(db, "import", "responses", str(write_themed(tmp_path / "r.csv"))).exit_code == 0
    result = run(db, "themes", "--by", "region", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("region,theme,label,share")
    assert run(db, "themes", "--by", "regoin").exit_code == 2


def test_handoffs_command_prints_each_measure_with_n(tmp_path):
    db = tmp_path / "cx.duckdb"
    lines = ["n° réclamation;date d'ouverture;date de clôture;région;nb contacts"]
    # 1 of 4 complaints took several contacts: 25 %; one contact: 1, 1, 1 day; several: 4 days
    lines += ["C1;02/03/2026;03/03/2026;Nord;1", "C2;02/03/2026;03/03/2026;Nord;1"]
    lines += ["C3;02/03/2026;03/03/2026;Nord;1", "C4;02/03/2026;06/03/2026;Nord;3"]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(db, "import", "complaints", str(tmp_path / "c.csv")).exit_code == 0
    result = run(db, "handoffs", "--format", "json")
    assert result.exit_code == 0, result.output
    got = {(r["measure"], r["group"]): r for r in json.loads(result.output)}
    assert got[("several_contacts_pct", "all")]["value"] == 25.0
    assert got[("several_contacts_pct", "all")]["n"] == 4
    assert got[("resolution_days_median", "one")]["value"] == 1.0
    assert got[("resolution_days_median", "several")]["value"] == 4.0
    assert ("nps", "one") not in got  # no customer ids: no linked answers


def test_report_command_writes_a_self_contained_page_with_escaped_names(tmp_path):
    db = tmp_path / "cx.duckdb"
    # nine months at 33.5 (87 promoters, 20 detractors of 200 each month) against a target of 40:
    # 59.5 needed over the last three months -> a probability of at most 5 %
    region = "<img src=x onerror=alert(1)>"
    lines = ["response_id;responded_at;region;score;comment"]
    i = 0
    for month in range(1, 10):
        for score, count in ((10, 87), (8, 93), (2, 20)):
            for _ in range(count):
                i += 1
                lines.append(f"{i};15/{month:02d}/2025;{region};{score};Trop d'attente <b>vraiment</b>")
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("year;metric;target;region\n2025;nps;40;\n", encoding="utf-8")
    for dataset, name in (("responses", "r.csv"), ("targets", "t.csv")):
        assert run(db, "import", dataset, str(tmp_path / name)).exit_code == 0
    out = tmp_path / "report.html"
    result = run(db, "report", "--month", "2025-09", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == f"board pack written to {out}\n"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script src=" not in page  # plotly.js is inlined, nothing to fetch
    assert page.count('class="plotly-graph-div"') == 2  # the NPS trajectory and the theme impact
    assert region not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>vraiment</b>" not in page
    assert "Monthly customer-experience report · Sep 2025" in page
    cells = page.split("Chance of reaching it</th>")[1].split("</tr>")[1]
    chance = cells.split("<td>")[-1].split("</td>")[0]
    assert chance in {"0%", "1%", "2%", "3%", "4%", "5%"}
    # the chart title, inside plotly's JSON (which writes "·" as \u00b7)
    assert f"NPS \\u00b7 at the current pace, a {chance} chance of reaching 40" in page


def test_report_command_refuses_a_bad_month_as_misuse(tmp_path):
    result = run(tmp_path / "cx.duckdb", "report", "--month", "09/2026", "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert "'09/2026' is not a month (expected YYYY-MM" in result.output


def test_report_html_works_from_a_fresh_interpreter(tmp_path):
    # the dashboard imports the board pack without the CLI: the imports must not go round in a circle
    import subprocess
    import sys

    code = "from metrics.reports.board_pack import report_html; from metrics.store import open_store; "
    code += f"print(len(report_html(open_store({str(tmp_path / 'cx.duckdb')!r}))) > 0)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "True\n"


def test_themes_command_trend_gives_each_theme_share_per_month(tmp_path):
    db = tmp_path / "cx.duckdb"
    assert run(db, "import", "responses", str(write_themed(tmp_path / "r.csv"))).exit_code == 0
    result = run(db, "themes", "--trend", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["theme"]: r for r in json.loads(result.output)}
    # January 2026 only: waiting 15 of 30 commented answers, price 10 of 30
    assert rows["waiting"]["period"] == "2026-01-01"
    assert rows["waiting"]["share"] == 0.5
    assert (rows["price"]["mentions"], rows["price"]["comments"]) == (10, 30)
    misuse = run(db, "themes", "--trend", "--by", "region")
    assert misuse.exit_code == 2
    assert "--trend and --by cannot be combined" in misuse.output


@pytest.mark.parametrize(
    "args",
    [
        ("query", "nps", "--from", "2025-13-01"),
        ("compare", "nps", "--by", "region", "--to", "31/02/2025"),
        ("trajectory", "nps", "--as-of", "hier"),
        ("purge", "--before", "1er janvier"),
        ("themes", "--from", "2025/01/01"),
    ],
)
def test_every_date_option_refuses_a_bad_date_while_parsing_with_the_formats(tmp_path, args):
    result = run(tmp_path / "never.duckdb", *args)
    assert result.exit_code == 2
    assert f"{args[-1]!r} is not a date (expected yyyy-mm-dd or dd/mm/yyyy)" in result.output
    assert not (tmp_path / "never.duckdb").exists()  # refused before any command ran


def test_date_options_show_their_formats_in_help():
    result = CliRunner().invoke(cli, ["query", "--help"])
    assert "--from [yyyy-mm-dd|dd/mm/yyyy]" in result.output


def test_a_day_month_year_date_is_read_like_an_iso_one():
    from metrics.cli.args import DATE

    assert DATE.convert("30/09/2025", None, None) == dt.date(2025, 9, 30)
    assert DATE.convert("2025-09-30", None, None) == dt.date(2025, 9, 30)
