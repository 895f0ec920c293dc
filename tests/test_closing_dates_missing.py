"""A backlog, an SLA or a resolution time says "closing dates missing" instead of a number.

SignalConso-like complaints: most have no closing date, so every one would count as open forever.
The rule: when more than half of the records opened up to the period's end, in the asked scope,
have no closing date, the metrics that read it give no figure and say which column to provide.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.ingest.importing import import_file
from metrics.reports.no_data import why_no_rows
from metrics.semantic.definitions import METRICS, metric
from metrics.semantic.query import metric_frame

HEADER = "n° réclamation;date d'ouverture;région;date de clôture\n"
# Nord: 4 complaints, 1 closed (75 % missing); Sud: 4 complaints, 3 closed (25 % missing)
ROWS = (
    "n1;02/09/2025;Nord;\nn2;03/09/2025;Nord;\nn3;04/09/2025;Nord;\nn4;05/09/2025;Nord;09/09/2025\n"
    "s1;02/09/2025;Sud;04/09/2025\ns2;03/09/2025;Sud;20/09/2025\ns3;04/09/2025;Sud;\n"
    "s4;05/09/2025;Sud;06/09/2025\n"
)
END = dt.date(2025, 9, 30)


@pytest.fixture
def loaded(store, tmp_path):
    src = tmp_path / "signalconso.csv"
    src.write_text(HEADER + ROWS, encoding="utf-8")
    import_file(store, "complaints", src)
    return store


@pytest.mark.parametrize("key", ["open_backlog", "resolved_within_sla_pct", "resolution_days_median"])
def test_mostly_missing_closing_dates_give_no_figure_but_the_reason(loaded, key):
    # both regions together: 4 of 8 missing is exactly half, not most: a figure is given
    assert not metric_frame(loaded, METRICS[key], end=END, start=dt.date(2025, 9, 1)).empty
    nord = metric_frame(loaded, METRICS[key], end=END, start=dt.date(2025, 9, 1), where={"region": ["Nord"]})
    assert nord.empty
    why = why_no_rows(loaded, METRICS[key], END, {"region": ["Nord"]})
    assert why == (
        f"closed_at is empty on 75 % of the 4 complaints rows: {key} needs their closing dates (without one "
        "a record counts as open forever); import them with --map closed_at=HEADER (or --closed-when "
        "COLUMN=STATE for an event log)"
    )


def test_a_scope_with_its_closing_dates_keeps_its_figures(loaded):
    sud = {"end": END, "start": dt.date(2025, 9, 1), "where": {"region": ["Sud"]}}
    backlog = metric_frame(loaded, metric("open_backlog"), **sud)
    # open at 30 September: s3 only (s2 closed on the 20th)
    assert backlog["value"].tolist() == [1.0]
    sla = metric_frame(loaded, metric("resolved_within_sla_pct"), **sud)
    # closed: s1 in 2 days, s2 in 17, s4 in 1; within 10 days: 2 of 3
    assert sla["n"].tolist() == [3]
    assert sla["value"].round(4).tolist() == [round(200 / 3, 4)]


def test_the_cli_says_closing_dates_are_missing(loaded, tmp_path):
    result = CliRunner().invoke(
        cli, ["--db", str(loaded.path), "query", "open_backlog", "--where", "region=Nord"]
    )
    assert result.exit_code == 0, result.output
    assert "closed_at is empty on 75 % of the 4 complaints rows" in result.stderr


def test_the_operations_page_says_closing_dates_are_missing_instead_of_a_backlog(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from metrics.store import open_store

    store = open_store(tmp_path / "page.duckdb")
    src = tmp_path / "signalconso.csv"
    # 4 of 5 complaints without a closing date (80 %)
    src.write_text(HEADER + ROWS.split("s1;")[0] + "s4;05/09/2025;Sud;06/09/2025\n", encoding="utf-8")
    import_file(store, "complaints", src)
    store.close()
    monkeypatch.setenv("CX_DB", str(tmp_path / "page.duckdb"))
    at = AppTest.from_file("../dashboard/pages/operations.py", default_timeout=120)
    at.query_params["metric"] = "open_backlog"
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert (
        "Dates de clôture manquantes : « Date de clôture » est vide sur 60\xa0% des 5 réclamations ouvertes "
        "d'ici là, et sans elle un dossier compte comme ouvert pour toujours. Importez ces dates (colonne "
        "« Date de clôture » dans la correspondance, ou « Clos quand » pour un journal)."
    ) in infos


def test_a_database_holding_only_complaints_has_its_years_and_as_of(loaded):
    # no survey answer at all: the year list and the as-of come from the complaints (opened up to 5 Sept
    # 2025, read on 15 Oct 2026: September is complete); before, the year list was empty and pages failed
    from metrics.reports.periods import years
    from metrics.reports.trajectory import default_as_of

    assert years(loaded) == [2025]
    assert default_as_of(loaded) == dt.date(2025, 9, 30)
