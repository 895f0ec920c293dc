"""A required value the metric cannot take is never printed: the board pack and the CLI say why, alike.

Nine months of 2025 in Nord, worked out by hand (the months to come bring the recent volume each):
- first-time fix: 100 visits a month, 80 fixed -> 80 %; target 95 %: required (95 x 1200 - 80 x 900) / 300
  = 140 % > 100 %: out of reach, at best (80 x 900 + 100 x 300) / 1200 = 85,0 %;
- complaints: 3 a month for 1,000 customers -> 3,00 per 1,000; target 0,5: required
  (0,5 x 12 000 - 3 x 9 000) / 3 000 = -7,00 < 0: out of reach, at best 27 000 / 12 000 = 2,25 per 1,000;
- NPS: 100 answers a month, 60 promoters, 10 detractors -> 50; target -20: required
  (-20 x 1200 - 50 x 900) / 300 = -230 < -100: any months will do, "acquis".
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.ingest.importing import import_file
from metrics.reports import formatting
from metrics.reports.board_pack import build_report
from metrics.semantic.definitions import metric

SEPT_END = dt.date(2025, 9, 30)
EXPECTED = {
    "fr": {
        "NPS": "acquis quoi qu'il arrive",
        "Résolution dès la 1re visite": "hors d'atteinte, au mieux 85,0\xa0%",
        "Réclamations pour 1 000 clients": "hors d'atteinte, au mieux 2,25\u202f‰",  # CLDR: narrow space
    },
    "en": {
        "NPS": "secured whatever happens",
        "First-time fix rate": "out of reach, best 85.0%",
        "Complaints per 1,000 customers": "out of reach, best 2.25‰",
    },
}


def load(store, tmp_path, name, dataset, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(store, dataset, path)


@pytest.fixture
def db(store, tmp_path):
    answers = [(10, 60), (8, 30), (2, 10)]
    load(store, tmp_path, "r.csv", "responses", ["response_id;responded_at;region;score"] + [
        f"R{m}-{score}-{k};15/{m:02d}/2025;Nord;{score}"
        for m in range(1, 10) for score, n in answers for k in range(n)
    ])  # fmt: skip
    load(store, tmp_path, "i.csv", "interventions", ["intervention_id;completed_at;region;first_time_fix"] + [
        f"I{m}-{k};15/{m:02d}/2025;Nord;{'oui' if k < 80 else 'non'}"
        for m in range(1, 10) for k in range(100)
    ])  # fmt: skip
    load(store, tmp_path, "c.csv", "complaints", ["complaint_id;opened_at;region"] + [
        f"C{m}-{k};10/{m:02d}/2025;Nord" for m in range(1, 10) for k in range(3)
    ])  # fmt: skip
    load(store, tmp_path, "k.csv", "customers", ["month;region;customers"] + [
        f"{m:02d}/2025;Nord;1000" for m in range(1, 13)
    ])  # fmt: skip
    load(store, tmp_path, "t.csv", "targets", [
        "year;metric;target;region", "2025;nps;-20;", "2025;first_time_fix_rate;95;",
        "2025;complaints_per_1000_customers;0,5;",
    ])  # fmt: skip
    return store


def board_pack_required(store, lang):
    """Metric label -> the "required" cell of the board pack's targets table."""
    page = build_report(store, SEPT_END, lang)
    table = page.split("<table", 2)[1]  # the first table: this year's targets
    cells = r"<t[dh]>(.*?)</t[dh]>"
    rows = [re.findall(cells, row, re.S) for row in re.findall(r"<tr.*?>(.*?)</tr>", table, re.S)]
    header, *body = [[html.unescape(c).strip() for c in row] for row in rows]
    column = header.index({"fr": "Requis d'ici décembre", "en": "Required until December"}[lang])
    return {row[0]: row[column] for row in body}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_board_pack_says_out_of_reach_with_the_best_possible_or_secured(db, lang):
    got = board_pack_required(db, lang)
    assert got == EXPECTED[lang]
    assert not re.search(r"140|-7,00|-7\.00|-230", "".join(got.values()))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cli_summary_prints_the_same_cells_as_the_board_pack(db, lang):
    path = str(db.path)
    db.close()
    result = CliRunner().invoke(
        cli, ["--db", path, "summary", "--year", "2025", "--as-of", "2025-09-30", "--lang", lang]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "│" in line]
    for label, cell in EXPECTED[lang].items():
        row = next(line for line in lines if line.startswith(f"│ {label} "))
        assert f"│ {cell} " in row, row


@pytest.mark.parametrize(("key", "required", "verdict"), [
    ("nps", 100.0, "possible"),  # every answer to come a promoter: hard, possible
    ("nps", 100.3, "out_of_reach"),
    ("nps", -100.0, "possible"),
    ("nps", -100.1, "secured"),
    ("first_time_fix_rate", 148.0, "out_of_reach"),
    ("first_time_fix_rate", -1.0, "secured"),
    ("complaints_per_1000_customers", -2.31, "out_of_reach"),  # lower is better: below 0 is beyond best
    ("complaints_per_1000_customers", 0.0, "possible"),
    ("complaints_per_1000_customers", 1e6, "possible"),  # no upper bound: any number of complaints
    ("nps", None, "none"),
])  # fmt: skip
def test_one_rule_says_what_a_required_value_means(key, required, verdict):
    assert formatting.requirement(metric(key), required) == verdict
