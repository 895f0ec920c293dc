"""The calendar's edges, read the same on the Trajectory page, in `summary` and in the board pack.

Each case pins the product's clock (CX_TODAY) and builds its own small year of answers, so every
expected figure is worked out by hand below: 1 January, 31 January without a previous year, December
with one month left, the day after year end, 29 February and a mid-month as-of.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from metrics.cli.main import cli
from metrics.ingest.importing import import_file
from metrics.reports.board_pack import build_report
from metrics.reports.trajectory import default_as_of, trajectory
from metrics.semantic.definitions import metric
from metrics.store import open_store

PAGE = "../dashboard/pages/trajectory.py"


def answers(path, months, year):
    """months: {month: (promoters, passives, detractors, day)}: one answer per line on that day."""
    lines = ["response_id;responded_at;region;score"]
    i = 0
    for month, (p, s, d, day) in months.items():
        for score, count in ((10, p), (8, s), (2, d)):
            for _ in range(count):
                i += 1
                lines.append(f"{year}-{i};{day:02d}/{month:02d}/{year};Bretagne;{score}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(tmp_path, months, year, targets):
    """A DuckDB file holding `months` of answers in `year` and `targets` ({year: NPS target})."""
    db = tmp_path / "cx.duckdb"
    store = open_store(db)
    try:
        import_file(store, "responses", answers(tmp_path / "r.csv", months, year))
        lines = ["year;metric;target;region", *(f"{y};nps;{t};" for y, t in targets.items())]
        (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_file(store, "targets", tmp_path / "t.csv")
    finally:
        store.close()
    return db


def page(db, monkeypatch, **params):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def pack_words(db, month, lang="fr"):
    """The board pack's text without plotly's embedded code."""
    store = open_store(db)
    try:
        pack = build_report(store, month, lang)
    finally:
        store.close()
    return re.sub(r"<script>.*?</script>", "", pack, flags=re.S)


def answer_line(at):
    """The executive's answer at the top of the page: "**NPS** · status — sentence"."""
    return next(md.value for md in at.markdown if md.value.startswith("**NPS**"))


def summary(db, *args):
    """`summary` as a person reads it (the table), first row as {header: cell}."""
    got = CliRunner().invoke(cli, ["--db", str(db), "summary", *args], env={"COLUMNS": "400"})
    assert got.exit_code == 0, got.output
    rows = [
        [cell.strip() for cell in line.strip("│┃").split("│" if "│" in line else "┃")]
        for line in got.output.splitlines()
        if line.startswith(("│", "┃"))
    ]
    return dict(zip(rows[0], rows[1], strict=True))


# each month 10 answers: 5 promoters, 3 passives, 2 detractors -> (5 - 2) / 10 = NPS 30
FLAT_30 = (5, 3, 2, 15)


@pytest.fixture
def year_2026(tmp_path):
    """January to December 2026 at NPS 30, targets 35 for 2026 and 2027."""
    return build(tmp_path, {m: FLAT_30 for m in range(1, 13)}, 2026, {2026: 35, 2027: 35})


def test_on_1_january_the_new_year_has_no_data_yet_and_no_status(year_2026, monkeypatch):
    monkeypatch.setenv("CX_TODAY", "2027-01-01")
    store = open_store(year_2026)
    try:
        tr = trajectory(store, metric("nps"), year=2027)
    finally:
        store.close()
    assert (tr.status, tr.n, tr.projection, tr.required) == ("no_data_yet", 0, None, None)
    assert tr.as_of == dt.date(2027, 1, 1)  # read up to today, not up to a December to come
    row = summary(year_2026, "--year", "2027")
    assert row["statut"] == "○ Pas encore de données cette année"
    assert row["projection"] == "—"
    assert summary(year_2026, "--year", "2027", "--lang", "en")["status"] == "○ No data yet this year"
    at = page(year_2026, monkeypatch, year="2027")
    assert "○ Pas encore de données cette année" in answer_line(at)
    assert not any("Au rythme actuel" in md.value for md in at.markdown)  # no chance without data
    assert "○ Pas encore de données cette année" in pack_words(year_2026, dt.date(2027, 1, 1))
    # the year with data is still the default view: its result, not a blank year
    assert "Année terminée : objectif 35 manqué (30,0)." in answer_line(page(year_2026, monkeypatch))


def test_the_day_after_year_end_reads_met_or_missed_with_no_projection(year_2026, monkeypatch):
    monkeypatch.setenv("CX_TODAY", "2027-01-01")
    row = summary(year_2026)
    # 2026 ends at 30,0 against 35: missed, nothing left to project or require
    assert (row["cumul"], row["statut"], row["projection"], row["requis"]) == (
        "30,0", "✖ Objectif manqué", "—", "—"
    )
    at = page(year_2026, monkeypatch, lang="en")
    line = answer_line(at)
    assert "✖ Target missed" in line
    assert "Year over: target 35 missed (30.0)." in line
    assert "projection" not in line.lower()
    text = pack_words(year_2026, dt.date(2026, 12, 1))
    assert "✖ Objectif manqué" in text
    assert "rojection" not in text


def test_31_january_without_a_previous_year_is_not_on_track_by_construction(tmp_path, monkeypatch):
    # January 2025 only, 1 000 answers: 400 promoters, 479 passives, 121 detractors -> NPS 27,9
    db = build(tmp_path, {1: (400, 479, 121, 20)}, 2025, {2025: 32})
    monkeypatch.setenv("CX_TODAY", "2025-02-03")
    store = open_store(db)
    try:
        tr = trajectory(store, metric("nps"))
    finally:
        store.close()
    assert tr.as_of == dt.date(2025, 1, 31)
    assert tr.value == pytest.approx(27.9)
    # no previous year: the path starts at 27,9 at the start of January and reaches 32 in December,
    # so January is held to one twelfth of the way: 27,9 + (32 - 27,9) / 12 = 28,2417
    assert tr.glide == pytest.approx(28.2417, abs=1e-4)
    # below the path by 0,34, within the margin of error (about 4 points at n = 1 000): at risk
    assert tr.status == "at_risk"
    assert summary(db)["statut"] == "⚠ À surveiller"
    assert "⚠ À surveiller" in answer_line(page(db, monkeypatch))


def test_december_with_one_month_left_speaks_of_the_month_in_the_singular(tmp_path, monkeypatch):
    db = build(tmp_path, {m: FLAT_30 for m in range(1, 12)}, 2026, {2026: 35})
    monkeypatch.setenv("CX_TODAY", "2026-12-05")
    # 11 months x 10 answers at 30; December brings the last three months' mean volume, 10:
    # 35 x (110 + 10) = 30 x 110 + required x 10 -> required = (4 200 - 3 300) / 10 = 90,0
    fr = answer_line(page(db, monkeypatch))
    assert "Objectif 35 : le mois restant doit faire en moyenne 90,0." in fr
    en = answer_line(page(db, monkeypatch, lang="en"))
    assert "Target 35: the remaining month must average 90.0." in en
    assert summary(db)["requis"] == "90,0"
    assert "<td>90,0</td>" in pack_words(db, dt.date(2026, 11, 1))


def test_29_february_is_a_complete_month_end(tmp_path, monkeypatch):
    # January and February 2028 (a leap year) at NPS 30; February's answers on its 29th
    db = build(tmp_path, {1: FLAT_30, 2: (5, 3, 2, 29)}, 2028, {2028: 35})
    store = open_store(db)
    try:
        # read on 29 February itself: the data reach the month's last day, so February is complete
        assert default_as_of(store, today=dt.date(2028, 2, 29)) == dt.date(2028, 2, 29)
        monkeypatch.setenv("CX_TODAY", "2028-03-01")
        tr = trajectory(store, metric("nps"))
    finally:
        store.close()
    assert (tr.as_of, tr.n, tr.months_left) == (dt.date(2028, 2, 29), 20, 10)
    # 35 x (20 + 100) = 30 x 20 + required x 100 -> required = (4 200 - 600) / 100 = 36,0
    assert tr.required == pytest.approx(36.0)
    assert "Objectif 35 : les 10 mois restants doivent faire en moyenne 36,0." in answer_line(
        page(db, monkeypatch)
    )


def test_a_mid_month_as_of_counts_the_rest_of_the_month_pro_rata(tmp_path, monkeypatch):
    # January to October, and 1-15 November, 10 answers each at NPS 30
    db = build(tmp_path, {m: FLAT_30 for m in range(1, 12)}, 2026, {2026: 35})
    monkeypatch.setenv("CX_TODAY", "2026-12-05")
    row = summary(db, "--as-of", "2026-11-15")
    # months to come: half of November (15 of 30 days) and December = 1,5 months of 10 answers = 15;
    # 35 x (110 + 15) = 30 x 110 + required x 15 -> required = (4 375 - 3 300) / 15 = 71,67
    assert row["requis"] == "71,7"
    assert row["n"] == "110"
    store = open_store(db)
    try:
        tr = trajectory(store, metric("nps"), as_of=dt.date(2026, 11, 15))
    finally:
        store.close()
    assert tr.months_left == 2  # whole months still to come, for the sentence: November and December
    assert tr.to_come == pytest.approx(1.5)


def test_a_running_dashboard_follows_the_day_without_an_import(year_2026, monkeypatch):
    # the cached answers carry today: at midnight on 31 December the new year's targets become choosable
    monkeypatch.setenv("CX_TODAY", "2026-12-31")
    assert page(year_2026, monkeypatch).selectbox(key="f_year_fr").options == ["2026"]
    monkeypatch.setenv("CX_TODAY", "2027-01-01")
    assert page(year_2026, monkeypatch).selectbox(key="f_year_fr").options == ["2027", "2026"]
